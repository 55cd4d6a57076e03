/**
 * Security groups: allow-only, stateful, attached to network interfaces.
 *
 * All rules of all groups of the interface are unioned; any matching rule allows
 * (aws-data-plane.md §3.12). Replies of flows the interface's groups allowed pass in both directions
 * without rules (connection tracking); the walk says when a packet is such a reply.
 */
import type { Packet } from './packet.js';
import type { CInterface, CSecurityGroup, CSgRule } from './compile.js';
import { formatV4, v4Contains } from './ipv4.js';
import { Codes } from './codes.js';
import type { Protocol } from './model.js';

export type SgDecision =
  | { allowed: true; group: CSecurityGroup; rule: CSgRule }
  | { allowed: true; tracked: true; group: CSecurityGroup }
  | { allowed: false; code: string; groups: CSecurityGroup[]; reason: string };

/** A rule's protocol and ports against the packet's protocol and destination port. */
export function protocolMatches(ruleProtocol: Protocol, fromPort: number, toPort: number, p: Packet): boolean {
  if (ruleProtocol === 'all') return true;
  if (ruleProtocol !== p.protocol) return false;
  if (p.protocol === 'tcp' || p.protocol === 'udp') {
    const port = p.dstPort ?? 0;
    return port >= fromPort && port <= toPort;
  }
  return true;
}

function peerMatches(rule: CSgRule, addr: number, p: Packet): boolean {
  if (rule.peer.kind === 'cidr') return !!rule.peer.prefix && v4Contains(rule.peer.prefix, addr);
  // A group reference stands for the members' private addresses; traffic routed through a middlebox
  // does not match it (aws-data-plane.md §3.7 middlebox caveat, §3.12).
  return !!rule.peer.group && !p.viaAppliance && rule.peer.group.members.has(addr);
}

/**
 * True when a group-reference rule matches the packet but for the appliance on its path: only then
 * is the router caveat the reason for the drop, and worth saying.
 */
function groupReferenceWouldMatch(groups: CSecurityGroup[], direction: 'inbound' | 'outbound', addr: number, p: Packet): boolean {
  return groups.some(g => (direction === 'inbound' ? g.inbound : g.outbound).some(rule =>
    rule.peer.kind !== 'cidr' && !!rule.peer.group && rule.peer.group.members.has(addr)
    && protocolMatches(rule.protocol, rule.fromPort, rule.toPort, p)));
}

export function describePacket(p: Packet, direction: 'inbound' | 'outbound'): string {
  const peer = formatV4(direction === 'inbound' ? p.src : p.dst);
  const what = p.protocol === 'tcp' || p.protocol === 'udp' ? `${p.protocol} port ${p.dstPort}` : p.protocol === 'icmp' ? 'icmp' : 'traffic of any protocol';
  return direction === 'inbound' ? `${what} from ${peer}` : `${what} to ${peer}`;
}

export function evaluateSecurityGroups(
  iface: CInterface, direction: 'inbound' | 'outbound', p: Packet, tracked: boolean,
): SgDecision {
  const groups = iface.securityGroups;
  if (tracked && groups.length > 0) return { allowed: true, tracked: true, group: groups[0] };
  const peer = direction === 'inbound' ? p.src : p.dst;
  for (const group of groups) {
    for (const rule of direction === 'inbound' ? group.inbound : group.outbound) {
      if (protocolMatches(rule.protocol, rule.fromPort, rule.toPort, p) && peerMatches(rule, peer, p)) {
        return { allowed: true, group, rule };
      }
    }
  }
  const names = groups.map(g => g.name).join(', ');
  const what = describePacket(p, direction);
  if (groups.length === 0) {
    return {
      allowed: false, code: Codes.ENI_SG_RULES_MISMATCH, groups,
      reason: `${iface.qualified} has no usable security group (${iface.unresolvedGroups.join(', ')} not declared in VPC ${iface.vpc.name}), so nothing allows ${what}.`,
    };
  }
  if (groups.every(g => g.inbound.length === 0 && g.outbound.length === 0)) {
    return {
      allowed: false, code: Codes.SG_HAS_NO_RULES, groups,
      reason: `Security group ${names} of ${iface.qualified} has no rules, so it denies ${what}.`,
    };
  }
  const none = groups.every(g => (direction === 'inbound' ? g.inbound : g.outbound).length === 0);
  const hint = none
    ? ` (no ${direction} rule at all${direction === 'outbound' ? ': a declared group with no outbound rule allows no outbound traffic' : ''})`
    : p.viaAppliance && groupReferenceWouldMatch(groups, direction, peer, p)
      ? ' (the packet came through an instance acting as a router, so group references do not match it)' : '';
  return {
    allowed: false, code: Codes.ENI_SG_RULES_MISMATCH, groups,
    reason: `No ${direction} rule of security group${groups.length > 1 ? 's' : ''} ${names} on ${iface.qualified} allows ${what}${hint}.`,
  };
}
