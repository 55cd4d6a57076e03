/**
 * IPv4 clients of a dual-stack network load balancer whose listener forwards to an IPv6 target group
 * (issue 4): the mirror of ipv6-hyperplane-lb.ts toIpv4Target.
 *
 * "The Network Load Balancer communicates with targets based on the IP address type of the target
 * group" (ELB guide, "IP address type"; AWS blog on NLB IPv6 target groups): an IPv4 client's flow to
 * a listener whose target group is IPv6 is translated at the node. Rules modelled:
 * - "IPv6 target groups can only be used with dualstack load balancers with TCP or TLS listeners":
 *   an ipv4 load balancer, or a listener of another protocol, is INVALID_CONFIGURATION; the node must
 *   hold an IPv6 address (its subnet has an IPv6 CIDR, a dual-stack requirement);
 * - the target is chosen as for IPv4 (AZ, cross-zone: load-balancer.ts chooseTarget) and must be an
 *   IPv6 address of the VPC (TARGET_ADDRESS_RESTRICTION);
 * - client IP preservation does not cross address families: the target sees the node's IPv6 address
 *   and a remapped source port, even when preservation is on;
 * - the IPv6 leg is walked by the IPv6 machinery (ipv6.ts): the load balancer's security groups
 *   outbound and the node subnet's network ACL outbound with their IPv6 rules, the target's subnet
 *   ACL and groups inbound with theirs;
 * - the target's reply belongs to the load balancer's flow: the mapping service returns it to the node
 *   whatever the target's route table says (ipv6-hyperplane-lb.ts targetReplies6); the node translates
 *   it back to IPv4 and answers the client the way the flow came (load-balancer.ts answerClient: into
 *   the VPC, to the internet through the internet gateway's 1:1 NAT, or back over PrivateLink).
 * The flow ends in a walk.ts Arrival of kind 'translated' whose reply() walks all of that.
 */
import type { CInterface } from './compile.js';
import type { CLbNode, CListener } from './services.js';
import type { Packet } from './packet.js';
import type { Receiver } from './endpoints.js';
import type { Packet6 } from './ipv6.js';
import { fmt, frame6, Walk6, v6View } from './ipv6.js';
import { frameStack, INITIAL_TTL } from './packet.js';
import { formatV4 } from './ipv4.js';
import { prefixContains } from './ip.js';
import { hash32 } from './ids.js';
import { Codes } from './codes.js';
import { servesIpv6 } from './services.js';
import { VPC_MTU, type Arrival, type Walker } from './walk.js';
import { answerClient, chooseTarget, lbRule, targetAz, type LbEntry } from './load-balancer.js';
import { sendFromNode6, targetReplies6 } from './ipv6-hyperplane-lb.js';
import { ensureServiceMembers6 } from './ipv6-hyperplane-common.js';

function ported(p: { protocol: string }): boolean {
  return p.protocol === 'tcp' || p.protocol === 'udp';
}

function end4(a: number, port: number | undefined, p: { protocol: string }): string {
  return ported(p) ? `${formatV4(a)}:${port}` : formatV4(a);
}

function end6(a: bigint, port: number | undefined, p: { protocol: string }): string {
  return ported(p) ? `[${fmt(a)}]:${port}` : fmt(a);
}

/**
 * At the node, after the listener matched an IPv6 target group: translate the IPv4 flow to IPv6, walk
 * it to the target, and return the arrival whose reply comes back through the node to the client.
 */
export function ipv4ClientToIpv6Group(w: Walker, node: CLbNode, p: Packet, l: CListener, entry: LbEntry): Arrival | undefined {
  const lb = node.lb;
  const fail = (code: string, detail: string) => w.fail({ component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code, detail, rule: lbRule(lb, l.text) });
  // An 'ipv6' entry is an IPv6 client already translated to IPv4 (ipv6-hyperplane-lb.ts): it never
  // reaches a listener a second time; refuse rather than translate twice.
  if (entry.kind === 'ipv6') return fail(Codes.INVALID_CONFIGURATION, `${l.text} is an IPv6 target group, but this flow was already translated from IPv6 by ${lb.name}.`);
  // "IPv6 target groups can only be used with dualstack load balancers with TCP or TLS listeners."
  if (!servesIpv6(lb.ipAddressType)) {
    return fail(Codes.INVALID_CONFIGURATION, `${l.text} is an IPv6 target group, but load balancer ${lb.name} has IP address type ${lb.ipAddressType}: IPv6 target groups are used with dualstack load balancers only.`);
  }
  if (l.protocol !== 'tcp') {
    return fail(Codes.INVALID_CONFIGURATION, `${l.text} is an IPv6 target group on a ${l.protocol} listener: IPv6 target groups take TCP (or TLS) listeners only.`);
  }
  if (node.ipv6 === undefined) {
    return fail(Codes.INVALID_CONFIGURATION, `The node of ${lb.name} in ${node.az} has no IPv6 address (subnet ${node.subnet.name} has no IPv6 CIDR), so it cannot send to the IPv6 target group of ${l.text}.`);
  }
  const choice = chooseTarget(node, l);
  if (!choice.ok) return fail(choice.code, choice.reason);
  const target = choice.target;
  if (target.kind !== 'ip6') return fail(Codes.TARGET_ADDRESS_RESTRICTION, `Target ${target.text} is not an IPv6 address: a target group holds addresses of one family.`);
  const walk = new Walk6(w, v6View(w.network), w.network);
  // IP targets must be addresses of the VPC; IPv6 addresses are all global, so: the VPC's IPv6 CIDRs.
  const cidrs = walk.view.vpcCidrs.get(lb.vpc) ?? [];
  if (!cidrs.some(c => prefixContains(c, { family: 6, value: target.ip }))) {
    return fail(Codes.TARGET_ADDRESS_RESTRICTION, `IPv6 target ${target.text} of ${lb.name} is outside VPC ${lb.vpc.name}'s IPv6 CIDRs (${cidrs.map(c => `${fmt(c.network)}/${c.length}`).join(', ') || 'none'}).`);
  }
  // Rules `from nlb-sg` at the target match the nodes' IPv6 addresses.
  ensureServiceMembers6(walk);
  // Over PrivateLink the endpoint already named itself (privatelink.ts); the expectation names it.
  const served = p.servedBy ?? lb.qualified;
  const out: Packet6 = {
    protocol: p.protocol, src: node.ipv6, dst: target.ip, reply: false, hopLimit: 64, viaAppliance: false, servedBy: served,
    srcPort: 1024 + (hash32(`${lb.qualified}|${p.protocol}|${p.src}:${p.srcPort}|${p.dstPort}`) % 64512),
    dstPort: l.targetPort ?? p.dstPort,
  };
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'translate', origin: lb.origin, rule: lbRule(lb, l.text),
    detail: `${l.text} matches (IPv6 target group): load balancer ${lb.name} translates the IPv4 flow to IPv6 — ${end4(p.src, p.srcPort, p)} → ${end4(p.dst, p.dstPort, p)} becomes ${end6(out.src, out.srcPort, out)} → ${end6(out.dst, out.dstPort, out)}, to target ${target.text} in ${targetAz(lb, target) ?? 'an unknown AZ'}; the target sees the node's IPv6 address and a remapped port (client IP preservation${l.preserveClientIp ? ', on for this target group,' : ''} does not cross address families).`,
    stack: () => frame6(out, node.mac, node.subnet.gatewayMac), mtu: VPC_MTU,
  });
  const asIface = node as unknown as CInterface;
  if (lb.securityGroups.length > 0 && !walk.sg(asIface, 'outbound', out, 'hyperplane')) return undefined;
  const arrival = sendFromNode6(walk, node, out);
  if (!arrival) return undefined;
  if (arrival.kind !== 'interface') {
    const where = arrival.kind === 'host' ? arrival.name : arrival.kind === 'translated' ? arrival.where : 'the internet';
    return { kind: 'translated', packet: p, where, matches: () => false, reply: () => undefined };
  }
  const targetIface = arrival.iface;
  const got = arrival.packet;
  return {
    kind: 'translated', packet: p, where: targetIface.qualified,
    matches: (r: Receiver) => got.servedBy === served && (
      r.kind === 'served-by' ? r.qualified === served : r.kind === 'interface' ? r.iface === targetIface : r.kind === 'any'),
    reply: () => {
      const r6: Packet6 = { protocol: got.protocol, src: got.dst, dst: got.src, reply: true, hopLimit: 64, viaAppliance: false, srcPort: got.dstPort, dstPort: got.srcPort };
      if (!targetReplies6(walk, targetIface, node, r6)) return undefined;
      const back: Packet = { protocol: p.protocol, src: p.dst, dst: p.src, ttl: INITIAL_TTL, reply: true, viaAppliance: false, srcPort: p.dstPort, dstPort: p.srcPort };
      if (w.record) w.hop({
        component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'translate', origin: lb.origin, rule: lbRule(lb),
        detail: `Load balancer ${lb.name} translates the IPv6 reply back to IPv4: ${end6(r6.src, r6.srcPort, r6)} → ${end6(r6.dst, r6.dstPort, r6)} becomes ${end4(back.src, back.srcPort, back)} → ${end4(back.dst, back.dstPort, back)} (the client).`,
        stack: () => frameStack(back, node.mac, node.subnet.gatewayMac), mtu: VPC_MTU,
      });
      return answerClient(w, node, entry, back);
    },
  };
}
