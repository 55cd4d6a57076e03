/**
 * Network ACLs: stateless subnet filters (aws-data-plane.md §3.13).
 *
 * Rules are evaluated in ascending number and the first match decides; when none matches, the final
 * `*` rule denies. Inbound rules match the source address, outbound rules the destination; ports are
 * the packet's own destination port, so replies need their own rule (ephemeral ports). A subnet
 * without a declared ACL uses the VPC's default ACL, which allows everything.
 */
import type { Packet } from './packet.js';
import type { CAclRule, CNetworkAcl, CSubnet } from './compile.js';
import { v4Contains } from './ipv4.js';
import { protocolMatches, describePacket } from './security-group.js';
import { Codes } from './codes.js';
import type { Origin } from './model.js';

export type AclDecision =
  | { allowed: true; component: string; text: string; origin?: Origin }
  | { allowed: false; code: string; component: string; text: string; origin?: Origin; reason: string };

const DEFAULT_INBOUND = 'default network ACL: inbound 100 allow all from 0.0.0.0/0';
const DEFAULT_OUTBOUND = 'default network ACL: outbound 100 allow all to 0.0.0.0/0';

export function aclComponent(subnet: CSubnet): string {
  return subnet.networkAcl ? subnet.networkAcl.qualified : `${subnet.vpc.name}.default-network-acl`;
}

function ruleMatches(rule: CAclRule, addr: number, p: Packet): boolean {
  return !!rule.prefix && v4Contains(rule.prefix, addr) && protocolMatches(rule.protocol, rule.fromPort, rule.toPort, p);
}

export function evaluateNetworkAcl(
  subnet: CSubnet, direction: 'inbound' | 'outbound', p: Packet,
): AclDecision {
  const acl: CNetworkAcl | undefined = subnet.networkAcl;
  const component = aclComponent(subnet);
  if (!acl) {
    return { allowed: true, component, text: direction === 'inbound' ? DEFAULT_INBOUND : DEFAULT_OUTBOUND, origin: subnet.vpc.origin };
  }
  const addr = direction === 'inbound' ? p.src : p.dst;
  for (const rule of direction === 'inbound' ? acl.inbound : acl.outbound) {
    if (!ruleMatches(rule, addr, p)) continue;
    if (rule.action === 'allow') return { allowed: true, component, text: rule.text, origin: rule.origin };
    const what = describePacket(p, direction);
    return {
      allowed: false, code: Codes.SUBNET_ACL_RESTRICTION, component, text: rule.text, origin: rule.origin,
      reason: `Network ACL ${acl.name} of subnet ${subnet.name} denies ${what}: ${direction} rule ${rule.number} is the first that matches.`,
    };
  }
  const what = describePacket(p, direction);
  const reply = p.reply && (p.protocol === 'tcp' || p.protocol === 'udp')
    ? ` Network ACLs are stateless: replies to the client's port ${p.dstPort} need their own ${direction} rule.` : '';
  return {
    allowed: false, code: Codes.SUBNET_ACL_RESTRICTION, component, text: `${direction} * deny all`, origin: acl.origin,
    reason: `No ${direction} rule of network ACL ${acl.name} (subnet ${subnet.name}) allows ${what}, so the final * rule denies it.${reply}`,
  };
}
