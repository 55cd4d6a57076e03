/**
 * Network load balancers on Hyperplane (aws-data-plane.md §3.11; RA ELB and ELBV2 codes).
 *
 * A node per enabled AZ (one subnet each) holds a private address, and a public one when the load
 * balancer is internet-facing (the internet gateway maps it 1:1). A packet to a node:
 * - enters the node's subnet (its network ACL inbound) and, when the load balancer has security
 *   groups, their inbound rules (PrivateLink traffic too, seen from the client's private address,
 *   unless "enforce inbound rules on PrivateLink traffic" is off);
 * - must match a listener: protocol (ELBV2_LISTENERS_MISMATCH) and port
 *   (ELBV2_LISTENER_PORT_RESTRICTION);
 * - goes to a registered target: only targets in AZs the load balancer has enabled
 *   (ELBV2_NO_TARGETS_IN_AZ); with cross-zone off only targets in the node's own AZ
 *   (ELB_NOT_CROSSZONE); IP targets must be private addresses (TARGET_ADDRESS_RESTRICTION);
 * - destination NAT to the target's address and port; with client IP preservation (default on for
 *   instance targets and UDP, off for IP targets with TCP; always off for PrivateLink) the target
 *   sees the client's address, otherwise the node's, with a remapped source port (REMAP_EPHEMERAL_PORT);
 * - the node sends it from its subnet (network ACL outbound, route table) to the target, whose
 *   network ACL and security groups apply.
 * The target's reply belongs to the load balancer's flow: the mapping service returns it to the node
 * (no route to the client needed), which translates it back.
 * A listener whose target group is IPv6 (dual-stack load balancers) takes IPv4 clients too: the node
 * translates the flow to IPv6 (ipv6-hyperplane-lb-ipv4-client.ts) and answers the client here
 * (answerClient).
 */
import type { CInterface, CSubnet } from './compile.js';
import type { CEndpointEni, CLbNode, CListener, CLoadBalancer, CTarget } from './services.js';
import type { Packet } from './packet.js';
import { encapsulatedStack, frameStack } from './packet.js';
import { formatV4, isRfc1918V4, isRfc6598V4, v4Contains } from './ipv4.js';
import { hash32 } from './ids.js';
import { Codes } from './codes.js';
import { resolveInVpc } from './mapping-service.js';
import { isOnLink, longestPrefixMatch } from './virtual-router.js';
import { blockPublicAccessAllows } from './block-public-access.js';
import { INTERNET_MTU, VPC_MTU, type Arrival, type Walker } from './walk.js';
import { privateLinkReturn } from './privatelink.js';
import { ipv4ClientToIpv6Group } from './ipv6-hyperplane-lb-ipv4-client.js';

/** How the flow entered the load balancer: from its VPC (or routed to it), the internet, or PrivateLink. */
export type LbEntry =
  | { kind: 'vpc' }
  | { kind: 'internet' }
  | { kind: 'privatelink'; eni: CEndpointEni; client: number; clientPort?: number }
  /**
   * An IPv6 client the node translated to IPv4 (ipv6-hyperplane-lb.ts): the reply, once back at the
   * node, continues as IPv6. `resume` walks that IPv6 part and keeps its arrival; it returns false
   * when the IPv6 part was dropped.
   */
  | { kind: 'ipv6'; resume: (p: Packet) => boolean };

/** The flow state a node keeps for the target's replies (keyed in Walker.sessions by the target interface). */
export interface LbSession {
  kind: 'lb';
  node: CLbNode;
  entry: LbEntry;
  /** What the client sent: its address and port, and the address and port it sent to. */
  client: number;
  clientPort?: number;
  lbAddr: number;
  lbPort?: number;
  /** What the target sees as the source. */
  seenSrc: number;
  seenSrcPort?: number;
  target: number;
  targetPort?: number;
}

function ported(p: Pick<Packet, 'protocol'>): boolean {
  return p.protocol === 'tcp' || p.protocol === 'udp';
}

function endText(addr: number, port: number | undefined, p: Packet): string {
  return ported(p) ? `${formatV4(addr)}:${port}` : formatV4(addr);
}

export function lbRule(lb: CLoadBalancer, text?: string) {
  const t = text ?? `load-balancer ${lb.name} ${lb.type}${lb.internetFacing ? ' internet-facing' : ''}${lb.crossZone ? ' cross-zone' : ''}`;
  return lb.origin ? { text: t, origin: lb.origin } : { text: t };
}

/** The AZ of a target, when it is in the load balancer's VPC. */
export function targetAz(lb: CLoadBalancer, t: CTarget): string | undefined {
  if (t.kind === 'instance') return t.iface.subnet.az;
  if (t.kind === 'ip') {
    if (t.iface) return t.iface.subnet.az;
    return lb.vpc.subnets.find(s => s.prefix && v4Contains(s.prefix, t.ip))?.az;
  }
  if (t.kind === 'ip6') return t.az;
  return undefined;
}

function targetAddress(t: CTarget): number | undefined {
  return t.kind === 'instance' ? t.iface.privateIp : t.kind === 'ip' ? t.ip : undefined;
}

/** `address` is the IPv4 address of an IPv4 target; an IPv6 target's is `target.ip`. */
export type TargetChoice = { ok: true; target: CTarget; address: number } | { ok: false; code: string; reason: string };

/** Which target a node sends a new flow to: its own AZ first; other AZs only with cross-zone on. */
export function chooseTarget(node: CLbNode, listener: CListener): TargetChoice {
  const lb = node.lb;
  const enabled = new Set(lb.nodes.map(n => n.az));
  const registered = listener.targets.filter(t => t.kind !== 'missing');
  if (registered.length === 0) {
    return { ok: false, code: Codes.ELBV2_NO_TARGETS_IN_AZ, reason: `${listener.text} of ${lb.qualified} has no registered target that exists.` };
  }
  // Targets in an AZ the load balancer has not enabled receive no traffic.
  const usable = registered.filter(t => { const az = targetAz(lb, t); return az === undefined || enabled.has(az); });
  if (usable.length === 0) {
    return { ok: false, code: Codes.ELBV2_NO_TARGETS_IN_AZ, reason: `Every target of ${listener.text} is in an Availability Zone where ${lb.name} has no subnet (enabled: ${[...enabled].join(', ') || 'none'}), so none receives traffic.` };
  }
  const sameAz = usable.filter(t => { const az = targetAz(lb, t); return az === undefined || az === node.az; });
  const pool = lb.crossZone ? [...sameAz, ...usable.filter(t => !sameAz.includes(t))] : sameAz;
  if (pool.length === 0) {
    return { ok: false, code: Codes.ELB_NOT_CROSSZONE, reason: `Cross-zone load balancing is off for ${lb.name}, and its node in ${node.az} has no target in ${node.az} (targets: ${usable.map(t => `${t.text} in ${targetAz(lb, t)}`).join(', ')}).` };
  }
  const target = pool[0];
  return { ok: true, target, address: targetAddress(target)! };
}

export function matchListener(lb: CLoadBalancer, p: Pick<Packet, 'protocol' | 'dstPort'>): { ok: true; listener: CListener } | { ok: false; code: string; reason: string } {
  const sameProtocol = lb.listeners.filter(l => l.protocol === p.protocol);
  const exact = sameProtocol.find(l => l.port === undefined || l.port === p.dstPort);
  if (exact) return { ok: true, listener: exact };
  if (sameProtocol.length > 0) {
    return { ok: false, code: Codes.ELBV2_LISTENER_PORT_RESTRICTION, reason: `Load balancer ${lb.name} listens for ${p.protocol} on port ${sameProtocol.map(l => l.port).join(', ')} only, not ${p.dstPort}.` };
  }
  const listens = lb.listeners.map(l => `${l.protocol} ${l.port ?? ''}`.trim()).join(', ') || 'nothing';
  return { ok: false, code: Codes.ELBV2_LISTENERS_MISMATCH, reason: `Load balancer ${lb.name} has no listener for ${p.protocol === 'all' ? 'traffic of any protocol' : p.protocol}${ported(p) ? ` ${p.dstPort}` : ''} (it listens on ${listens}).` };
}

/** A packet arrives at a load balancer node: listener, target, translation, then to the target. */
export function arriveAtLbNode(
  w: Walker, node: CLbNode, p: Packet, sender: { underlay: string }, fromSubnet: CSubnet | undefined, entry: LbEntry,
): Arrival | undefined {
  const lb = node.lb;
  const subnet = node.subnet;
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'decapsulate', origin: lb.origin,
    detail: `Load balancer ${lb.name}: its node in ${node.az} (${formatV4(node.privateIp!)}, ${node.eniId}, subnet ${subnet.name}) receives the packet from ${sender.underlay} on Hyperplane.`,
    stack: () => frameStack(p, subnet.gatewayMac, node.mac), mtu: VPC_MTU,
  });
  if (fromSubnet !== subnet && !w.networkAcl(subnet, 'inbound', p, 'hyperplane')) return undefined;
  const asIface = node as unknown as CInterface;
  // PrivateLink traffic is evaluated too: "Enforce inbound rules on PrivateLink traffic" is on by
  // default (ELBv2 SetSecurityGroups, EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic), and the
  // rules then see the client's private address, not the endpoint interface's (ELB guide, "Update the
  // security groups for your Network Load Balancer", Considerations).
  // With the setting off, PrivateLink traffic skips the inbound rules (the same guide: "Enforce
  // inbound rules on PrivateLink traffic"); the outbound rules toward the targets still apply.
  const seenByGroups: Packet = entry.kind === 'privatelink' ? { ...p, src: entry.client, srcPort: entry.clientPort } : p;
  if (lb.securityGroups.length > 0 && entry.kind === 'privatelink' && !lb.enforceInboundOnPrivateLink) {
    if (w.record) w.hop({
      component: lb.securityGroups[0].qualified, kind: 'security-group', place: 'hyperplane', action: 'allow', origin: lb.securityGroups[0].origin,
      detail: `Load balancer ${lb.name} does not enforce inbound rules on PrivateLink traffic (privatelink-inbound-rules off): its security groups ${lb.securityGroups.map(g => g.name).join(', ')} are not evaluated for this flow from interface endpoint ${entry.eni.endpoint.qualified}.`,
      rule: lbRule(lb, `load-balancer ${lb.name} privatelink-inbound-rules off`),
    });
  } else if (lb.securityGroups.length > 0 && !w.securityGroup(asIface, 'inbound', seenByGroups, 'hyperplane')) return undefined;
  const listener = matchListener(lb, p);
  if (!listener.ok) {
    return w.fail({ component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: listener.code, detail: listener.reason, rule: lbRule(lb) });
  }
  const l = listener.listener;
  if (l.targetPort !== undefined && (!Number.isInteger(l.targetPort) || l.targetPort < 1 || l.targetPort > 65535)) {
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: Codes.TARGET_PORT_RESTRICTION, rule: lbRule(lb, l.text),
      detail: `${l.text}: targets are registered on a port from 1 to 65535, and the load balancer only sends to that port; ${l.targetPort} is not one.`,
    });
  }
  // An IPv6 target group: the node translates the IPv4 flow to IPv6 (ipv6-hyperplane-lb-ipv4-client.ts).
  if (l.family === 6) return ipv4ClientToIpv6Group(w, node, p, l, entry);
  const choice = chooseTarget(node, l);
  if (!choice.ok) {
    return w.fail({ component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: choice.code, detail: choice.reason, rule: lbRule(lb, l.text) });
  }
  const dstAddr = choice.address;
  if (choice.target.kind === 'ip' && !lb.vpc.cidrs.some(c => v4Contains(c, dstAddr)) && !isRfc1918V4(dstAddr) && !isRfc6598V4(dstAddr)) {
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: Codes.TARGET_ADDRESS_RESTRICTION, rule: lbRule(lb, l.text),
      detail: `IP target ${formatV4(dstAddr)} of ${lb.name} is a public address: IP targets must be in the VPC's CIDRs or private (RFC 1918, RFC 6598) ranges.`,
    });
  }
  // PrivateLink: the provider always sees the load balancer's address (§3.11).
  const preserve = l.preserveClientIp && entry.kind !== 'privatelink';
  const out: Packet = { ...p, dst: dstAddr };
  if (ported(p)) out.dstPort = l.targetPort ?? p.dstPort;
  // PrivateLink already put the node's address in the source (privatelink.ts).
  if (!preserve && entry.kind !== 'privatelink') {
    out.src = node.privateIp!;
    if (ported(p)) out.srcPort = 1024 + (hash32(`${lb.qualified}|${p.protocol}|${p.src}:${p.srcPort}|${p.dstPort}`) % 64512);
  }
  if (!out.servedBy) out.servedBy = lb.qualified;
  const session: LbSession = {
    kind: 'lb', node, entry, client: p.src, clientPort: p.srcPort, lbAddr: p.dst, lbPort: p.dstPort,
    seenSrc: out.src, seenSrcPort: out.srcPort, target: out.dst, targetPort: out.dstPort,
  };
  const targetIface = choice.target.kind === 'instance' || choice.target.kind === 'ip' ? choice.target.iface : undefined;
  if (targetIface) w.sessions.set(targetIface, session);
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'translate', origin: lb.origin, rule: lbRule(lb, l.text),
    detail: `${l.text} matches: to target ${choice.target.text}${choice.target.kind === 'instance' ? ` (${formatV4(dstAddr)})` : ''} in ${targetAz(lb, choice.target) ?? 'a network outside the VPC'}; destination ${endText(p.dst, p.dstPort, p)} → ${endText(out.dst, out.dstPort, p)}; ${preserve ? `client IP preservation on: the target sees the client ${endText(out.src, out.srcPort, p)}` : `${entry.kind === 'privatelink' ? 'PrivateLink: ' : 'client IP preservation off: '}source ${endText(p.src, p.srcPort, p)} → ${endText(out.src, out.srcPort, p)} (the load balancer's address; the source port is remapped)`}.`,
    stack: () => frameStack(out, node.mac, subnet.gatewayMac), mtu: VPC_MTU,
  });
  if (lb.securityGroups.length > 0 && !w.securityGroup(asIface, 'outbound', out, 'hyperplane')) return undefined;
  return sendFromNode(w, node, out);
}

/** The node sends from its subnet: layer 2 in the same subnet, else its ACL outbound and route table. */
export function sendFromNode(w: Walker, node: CLbNode, p: Packet): Arrival | undefined {
  const subnet = node.subnet;
  if (isOnLink(subnet, p.dst)) {
    const found = resolveInVpc(node.vpc, p.dst);
    if (!found.found) return w.fail({ component: `${node.vpc.name}.virtual-router`, kind: 'virtual-router', place: 'hyperplane', code: found.code, detail: found.reason });
    if (w.record) w.hop({
      component: `${node.vpc.name}.virtual-router`, kind: 'virtual-router', place: 'hyperplane', action: 'encapsulate',
      detail: `${formatV4(p.dst)} is in the node's own subnet ${subnet.name}: delivered at layer 2 to ${found.iface.qualified}; no route table, no network ACL.`,
      stack: () => encapsulatedStack(p, { outerSrc: node.underlay, outerDst: found.iface.underlay, vpcId: node.vpc.id, srcInterface: node.eniId, dstInterface: found.iface.eniId }),
      mtu: VPC_MTU,
    });
    w.underlay(node, found.iface);
    return w.deliverToInterface(found.iface, p, subnet, node, true);
  }
  if (!w.networkAcl(subnet, 'outbound', p, 'hyperplane')) return undefined;
  return w.route(node, subnet, p, 'hyperplane');
}

/** The target's reply: back to the node that forwarded the flow, translated, then to the client. */
export function replyThroughLoadBalancer(w: Walker, target: CInterface, s: LbSession, p: Packet): Arrival | undefined {
  const node = s.node;
  const lb = node.lb;
  if (target.subnet !== node.subnet && !w.networkAcl(target.subnet, 'outbound', p, w.senderHostPlace)) return undefined;
  if (w.record) w.hop({
    component: `${target.vpc.name}.mapping-service`, kind: 'mapping-service', place: w.senderHostPlace, action: 'encapsulate',
    detail: `The reply belongs to a flow of load balancer ${lb.name}: the mapping service returns it to the node in ${node.az} (${node.underlay}), whatever the route table says.`,
    stack: () => encapsulatedStack(p, { outerSrc: target.underlay, outerDst: node.underlay, vpcId: target.vpc.id, srcInterface: target.eniId, dstInterface: node.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(target, node);
  if (target.subnet !== node.subnet && !w.networkAcl(node.subnet, 'inbound', p, 'hyperplane')) return undefined;
  // The IPv6 walk keeps the real arrival; this value only tells the IPv4 walk that the reply went on.
  if (s.entry.kind === 'ipv6') return s.entry.resume(p) ? { kind: 'internet', packet: p } : undefined;
  const back: Packet = { ...p, src: s.lbAddr, dst: s.client };
  if (ported(p)) { back.srcPort = s.lbPort; back.dstPort = s.clientPort; }
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'translate', origin: lb.origin, rule: lbRule(lb),
    detail: `Load balancer ${lb.name} translates the reply back: source ${endText(p.src, p.srcPort, p)} → ${endText(back.src, back.srcPort, p)}, destination → ${endText(back.dst, back.dstPort, p)} (the client).`,
    stack: () => frameStack(back, node.mac, node.subnet.gatewayMac), mtu: VPC_MTU,
  });
  return answerClient(w, node, s.entry, back);
}

/** The node sends its (translated) reply to the IPv4 client the way the flow came in. */
export function answerClient(w: Walker, node: CLbNode, entry: Exclude<LbEntry, { kind: 'ipv6' }>, back: Packet): Arrival | undefined {
  switch (entry.kind) {
    case 'vpc': return sendFromNode(w, node, back);
    case 'internet': return nodeToInternet(w, node, back);
    case 'privatelink': return privateLinkReturn(w, entry.eni, node, back, entry);
  }
}

/** MAC of the provider router at the edge (walk.ts uses the same model value). */
const INTERNET_ROUTER_MAC = '02:00:5e:00:00:01';

/**
 * An internet-facing node answers over the internet: its subnet's network ACL outbound and route table
 * (an internet-facing load balancer's subnets are public: a route to the internet gateway), then the
 * internet gateway maps its address to the public one.
 */
function nodeToInternet(w: Walker, node: CLbNode, p: Packet): Arrival | undefined {
  const igw = node.vpc.igw!;
  const subnet = node.subnet;
  if (!w.networkAcl(subnet, 'outbound', p, 'hyperplane')) return undefined;
  const table = subnet.routeTable;
  const match = longestPrefixMatch(table, p.dst);
  if (!match || match.target.kind !== 'internet-gateway' || match.target.igw !== igw) {
    return w.fail({
      component: table.qualified, kind: 'route-table', place: 'hyperplane', origin: table.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      ...(match ? { rule: match.origin ? { text: match.text, origin: match.origin } : { text: match.text } } : {}),
      detail: `Route table ${table.name} of subnet ${subnet.name} ${match ? `sends ${formatV4(p.dst)} by ${match.text}, not` : 'has no route for ' + formatV4(p.dst) + ', nothing'} to internet gateway ${igw.name}: an internet-facing load balancer's subnets must be public for its nodes to answer clients on the internet.`,
    });
  }
  w.routed(table, match, 'hyperplane', () => `Route table ${table.name}: ${formatV4(p.dst)} matches ${match.text} (longest prefix match): to internet gateway ${igw.name}.`);
  if (!blockPublicAccessAllows(w, igw, node.subnet, 'egress', p, false)) return undefined;
  const out: Packet = { ...p, src: node.publicIp! };
  if (w.record) w.hop({
    component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', action: 'translate', origin: igw.origin,
    rule: { text: `public address ${formatV4(node.publicIp!)} of ${node.lb.qualified}` },
    detail: `1:1 NAT: source ${formatV4(p.src)} (node of ${node.lb.name}) rewritten to its public address ${formatV4(node.publicIp!)}.`,
    stack: () => frameStack(out, igw.mac, INTERNET_ROUTER_MAC), mtu: INTERNET_MTU,
  });
  if (!w.leg(INTERNET_MTU, { component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot' })) return undefined;
  return w.internet(out);
}

/** The internet sends to a node's public address: the internet gateway maps it to the private one. */
export function internetToLbNode(w: Walker, node: CLbNode, p: Packet): Arrival | undefined {
  const lb = node.lb;
  const igw = lb.vpc.igw;
  const dst = formatV4(p.dst);
  if (!igw) {
    return w.fail({
      component: 'internet', kind: 'internet', place: 'internet', code: Codes.NO_INTERNET_GATEWAY,
      detail: `${dst} is the public address of internet-facing load balancer ${lb.qualified}, but VPC ${lb.vpc.name} has no internet gateway.`,
    });
  }
  if (w.record) w.hop({
    component: 'internet', kind: 'internet', place: 'internet', action: 'forward',
    detail: `The internet routes ${dst} to internet gateway ${igw.qualified}, which holds it for load balancer ${lb.qualified} (node in ${node.az}).`,
    stack: () => frameStack(p, INTERNET_ROUTER_MAC, igw.mac), mtu: INTERNET_MTU,
  });
  if (isRfc1918V4(p.src) || isRfc6598V4(p.src)) {
    return w.fail({
      component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', origin: igw.origin,
      code: isRfc1918V4(p.src) ? Codes.IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS : Codes.IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS,
      detail: `Internet gateway ${igw.name} drops inbound traffic from the non-public address ${formatV4(p.src)}.`,
    });
  }
  if (!blockPublicAccessAllows(w, igw, node.subnet, 'ingress', p, false)) return undefined;
  const inside: Packet = { ...p, dst: node.privateIp! };
  if (w.record) w.hop({
    component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', action: 'translate', origin: igw.origin,
    rule: lbRule(lb),
    detail: `1:1 NAT: destination ${dst} rewritten to the private address ${formatV4(node.privateIp!)} of ${lb.name}'s node in ${node.az}.`,
    stack: () => frameStack(inside, INTERNET_ROUTER_MAC, igw.mac),
  });
  if (w.record) w.hop({
    component: `${lb.vpc.name}.mapping-service`, kind: 'mapping-service', place: 'blackfoot', action: 'encapsulate',
    detail: `The mapping service resolves ${formatV4(node.privateIp!)} to load balancer ${lb.name}'s node on Hyperplane (${node.underlay}).`,
    stack: () => encapsulatedStack(inside, { outerSrc: igw.underlay, outerDst: node.underlay, vpcId: lb.vpc.id, srcInterface: igw.id, dstInterface: node.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(igw, node);
  return arriveAtLbNode(w, node, inside, igw, undefined, { kind: 'internet' });
}
