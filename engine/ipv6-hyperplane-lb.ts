/**
 * Dual-stack network load balancers over IPv6 (issue 4; ELB guide "IP address type", "Update the IP
 * address types for your Network Load Balancer"; aws-data-plane.md §3.11).
 *
 * A dual-stack NLB's node holds an IPv6 address in its subnet's /64 (services.ts). An IPv6 client
 * reaches it from the VPC (or a peer) by the mapping service, or, for an internet-facing load
 * balancer, from the internet through the VPC's internet gateway (no translation). At the node:
 * - its subnet's network ACL (IPv6 rules) inbound, then the load balancer's security groups (IPv6
 *   rules; PrivateLink traffic unless "enforce inbound rules on PrivateLink traffic" is off);
 * - the listener, then a target (same AZ / cross-zone rules as for IPv4, load-balancer.ts);
 * - "The Network Load Balancer communicates with targets based on the IP address type of the target
 *   group": an IPv6 target group (IP targets only, TCP listeners only, dual-stack load balancers only)
 *   keeps the flow IPv6, with client IP preservation as for IPv4; an IPv4 target group means the node
 *   translates: the target sees the node's private IPv4 address and a remapped port (no client IP
 *   preservation across families), and the reply is translated back to IPv6 at the node.
 * The target's reply belongs to the load balancer's flow: the mapping service returns it to the node
 * whatever the target's route table says; the node answers the client from the address it was sent
 * to, by its subnet's route table (the dual-stack requirements: "the route tables for the Network Load
 * Balancer subnets must route IPv6 traffic", "the network ACLs ... must allow IPv6 traffic").
 *
 * Both cases return an Arrival6 of kind 'translated': this file walks the reply back to the client.
 */
import type { CInterface, CSubnet } from './compile.js';
import type { CEndpointEni, CLbNode, CListener, CTarget } from './services.js';
import type { Packet } from './packet.js';
import type { Place } from './path.js';
import type { Arrival6, End6, Packet6, Walk6 } from './ipv6.js';
import { encap6, fmt, frame6, INTERNET_ROUTER_MAC, ported } from './ipv6.js';
import { frameStack } from './packet.js';
import { formatV4, isRfc1918V4, isRfc6598V4, v4Contains } from './ipv4.js';
import { prefixContains } from './ip.js';
import { hash32 } from './ids.js';
import { Codes } from './codes.js';
import { blockPublicAccessAllows } from './block-public-access.js';
import { INTERNET_MTU, VPC_MTU } from './walk.js';
import { chooseTarget, lbRule, matchListener, sendFromNode, targetAz, type LbSession } from './load-balancer.js';
import { ensureServiceMembers6, type Sender6Like } from './ipv6-hyperplane-common.js';

/** How an IPv6 flow entered the node: from its VPC (or routed to it), the internet, or PrivateLink (step 5). */
export type Lb6Entry =
  | { kind: 'vpc' }
  | { kind: 'internet' }
  | { kind: 'privatelink'; eni: CEndpointEni; client: bigint; clientPort?: number; back: (w: Walk6, node: CLbNode, p: Packet6) => Arrival6 | undefined };

function end(a: bigint, port: number | undefined, p: Packet6): string {
  return ported(p) ? `[${fmt(a)}]:${port}` : fmt(a);
}

function end4(a: number, port: number | undefined, p: { protocol: string }): string {
  return p.protocol === 'tcp' || p.protocol === 'udp' ? `${formatV4(a)}:${port}` : formatV4(a);
}

function remappedPort(lbQualified: string, p: Packet6): number {
  return 1024 + (hash32(`${lbQualified}|${p.protocol}|${p.src}:${p.srcPort}|${p.dstPort}`) % 64512);
}

/** An IPv6 packet arrives at a load balancer node (after the mapping service or the internet gateway). */
export function arriveAtLbNode6(walk: Walk6, node: CLbNode, p: Packet6, sender: { underlay: string }, fromSubnet: CSubnet | undefined, entry: Lb6Entry): Arrival6 | undefined {
  const w = walk.w;
  const lb = node.lb;
  const subnet = node.subnet;
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'decapsulate', origin: lb.origin,
    detail: `Load balancer ${lb.name}: its node in ${node.az} (${fmt(node.ipv6!)}, ${node.eniId}, subnet ${subnet.name}) receives the IPv6 packet from ${sender.underlay} on Hyperplane.`,
    stack: () => frame6(p, subnet.gatewayMac, node.mac), mtu: VPC_MTU,
  });
  if (lb.type === 'gateway') {
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: Codes.NO_POSSIBLE_DESTINATION,
      detail: `${lb.qualified} is a gateway load balancer: traffic reaches it only through a gateway load balancer endpoint, not at its address.`,
    });
  }
  if (fromSubnet !== subnet && !walk.acl(subnet, 'inbound', p, 'hyperplane')) return undefined;
  ensureServiceMembers6(walk);
  const asIface = node as unknown as CInterface;
  if (lb.securityGroups.length > 0 && entry.kind === 'privatelink' && !lb.enforceInboundOnPrivateLink) {
    if (w.record) w.hop({
      component: lb.securityGroups[0].qualified, kind: 'security-group', place: 'hyperplane', action: 'allow', origin: lb.securityGroups[0].origin,
      detail: `Load balancer ${lb.name} does not enforce inbound rules on PrivateLink traffic (privatelink-inbound-rules off): its security groups are not evaluated for this flow from interface endpoint ${entry.eni.endpoint.qualified}.`,
      rule: lbRule(lb, `load-balancer ${lb.name} privatelink-inbound-rules off`),
    });
  } else if (lb.securityGroups.length > 0) {
    // PrivateLink traffic is seen from the consumer client's address (load-balancer.ts, same guide).
    const seen: Packet6 = entry.kind === 'privatelink' ? { ...p, src: entry.client, srcPort: entry.clientPort } : p;
    if (!walk.sg(asIface, 'inbound', seen, 'hyperplane')) return undefined;
  }
  const listener = matchListener(lb, p);
  if (!listener.ok) return w.fail({ component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: listener.code, detail: listener.reason, rule: lbRule(lb) });
  const l = listener.listener;
  if (l.targetPort !== undefined && (!Number.isInteger(l.targetPort) || l.targetPort < 1 || l.targetPort > 65535)) {
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: Codes.TARGET_PORT_RESTRICTION, rule: lbRule(lb, l.text),
      detail: `${l.text}: targets are registered on a port from 1 to 65535, and the load balancer only sends to that port; ${l.targetPort} is not one.`,
    });
  }
  const choice = chooseTarget(node, l);
  if (!choice.ok) return w.fail({ component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: choice.code, detail: choice.reason, rule: lbRule(lb, l.text) });
  return l.family === 6 ? toIpv6Target(walk, node, p, l, choice.target, entry) : toIpv4Target(walk, node, p, l, choice.target, choice.address, entry);
}

/** IPv6 target group: destination NAT to the target's IPv6 address, the flow stays IPv6. */
function toIpv6Target(walk: Walk6, node: CLbNode, p: Packet6, l: CListener, target: CTarget, entry: Lb6Entry): Arrival6 | undefined {
  const w = walk.w;
  const lb = node.lb;
  const fail = (code: string, detail: string) => w.fail({ component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code, detail, rule: lbRule(lb, l.text) });
  // "IPv6 target groups can only be used with dualstack load balancers with TCP or TLS listeners."
  if (l.protocol !== 'tcp') return fail(Codes.INVALID_CONFIGURATION, `${l.text} is an IPv6 target group on a ${l.protocol} listener: IPv6 target groups take TCP (or TLS) listeners only.`);
  if (target.kind !== 'ip6') return fail(Codes.TARGET_ADDRESS_RESTRICTION, `Target ${target.text} is not an IPv6 address: a target group holds addresses of one family.`);
  // IP targets must be addresses of the VPC (load-balancer.ts, TARGET_ADDRESS_RESTRICTION); for IPv6,
  // whose addresses are all global, that means the VPC's IPv6 CIDRs.
  const cidrs = walk.view.vpcCidrs.get(lb.vpc) ?? [];
  if (!cidrs.some(c => prefixContains(c, { family: 6, value: target.ip }))) {
    return fail(Codes.TARGET_ADDRESS_RESTRICTION, `IPv6 target ${target.text} of ${lb.name} is outside VPC ${lb.vpc.name}'s IPv6 CIDRs (${cidrs.map(c => fmt(c.network) + '/' + c.length).join(', ') || 'none'}).`);
  }
  const preserve = l.preserveClientIp && entry.kind !== 'privatelink';
  // Over PrivateLink the endpoint already put the node's address in the source and names itself.
  const served = p.servedBy ?? lb.qualified;
  const out: Packet6 = { ...p, dst: target.ip, servedBy: served };
  if (ported(p)) out.dstPort = l.targetPort ?? p.dstPort;
  if (!preserve && entry.kind !== 'privatelink') {
    out.src = node.ipv6!;
    if (ported(p)) out.srcPort = remappedPort(lb.qualified, p);
  }
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'translate', origin: lb.origin, rule: lbRule(lb, l.text),
    detail: `${l.text} matches (IPv6 target group): to target ${target.text} in ${targetAz(lb, target) ?? 'an unknown AZ'}; destination ${end(p.dst, p.dstPort, p)} → ${end(out.dst, out.dstPort, p)}; ${preserve ? `client IP preservation on: the target sees the client ${end(out.src, out.srcPort, p)}` : `${entry.kind === 'privatelink' ? 'PrivateLink: ' : 'client IP preservation off: '}source ${end(p.src, p.srcPort, p)} → ${end(out.src, out.srcPort, p)} (the node's IPv6 address; the source port is remapped)`}.`,
    stack: () => frame6(out, node.mac, node.subnet.gatewayMac), mtu: VPC_MTU,
  });
  if (lb.securityGroups.length > 0 && !walk.sg(node as unknown as CInterface, 'outbound', out, 'hyperplane')) return undefined;
  const arrival = sendFromNode6(walk, node, out);
  if (!arrival) return undefined;
  if (arrival.kind !== 'interface') return arrival;
  const targetIface = arrival.iface;
  return {
    kind: 'translated', packet: p, where: targetIface.qualified,
    matches: (d: End6) => matchesLb(d, served, targetIface),
    reply: () => {
      const r: Packet6 = { protocol: out.protocol, src: out.dst, dst: out.src, reply: true, hopLimit: 64, viaAppliance: false };
      if (ported(out)) { r.srcPort = out.dstPort; r.dstPort = out.srcPort; }
      if (!targetReplies6(walk, targetIface, node, r)) return undefined;
      const back: Packet6 = { protocol: p.protocol, src: p.dst, dst: p.src, reply: true, hopLimit: 64, viaAppliance: false };
      if (ported(p)) { back.srcPort = p.dstPort; back.dstPort = p.srcPort; }
      if (w.record) w.hop({
        component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'translate', origin: lb.origin, rule: lbRule(lb),
        detail: `Load balancer ${lb.name} translates the reply back: source ${end(r.src, r.srcPort, r)} → ${end(back.src, back.srcPort, back)}, destination → ${end(back.dst, back.dstPort, back)} (the client).`,
        stack: () => frame6(back, node.mac, node.subnet.gatewayMac), mtu: VPC_MTU,
      });
      return answerClient6(walk, node, back, entry);
    },
  };
}

/**
 * IPv4 target group behind an IPv6 client: the node translates the flow to IPv4 (source its private
 * IPv4 address, a remapped port) and walks it with the IPv4 machinery (load-balancer.ts sendFromNode);
 * the target's reply comes back to the node through the IPv4 walk's load balancer session, which
 * hands it back here (LbEntry 'ipv6') to be translated to IPv6 and sent to the client.
 */
function toIpv4Target(walk: Walk6, node: CLbNode, p: Packet6, l: CListener, target: CTarget, address: number, entry: Lb6Entry): Arrival6 | undefined {
  const w = walk.w;
  const lb = node.lb;
  if (node.privateIp === undefined) {
    return w.fail({ component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: Codes.INVALID_CONFIGURATION, detail: `The node of ${lb.name} in ${node.az} has no private IPv4 address to translate the flow from.` });
  }
  if (target.kind === 'ip' && !lb.vpc.cidrs.some(c => v4Contains(c, address)) && !isRfc1918V4(address) && !isRfc6598V4(address)) {
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: Codes.TARGET_ADDRESS_RESTRICTION, rule: lbRule(lb, l.text),
      detail: `IP target ${formatV4(address)} of ${lb.name} is a public address: IP targets must be in the VPC's CIDRs or private (RFC 1918, RFC 6598) ranges.`,
    });
  }
  const served = p.servedBy ?? lb.qualified;
  const out: Packet = { protocol: p.protocol, src: node.privateIp, dst: address, ttl: 64, reply: false, viaAppliance: false, servedBy: served };
  if (ported(p)) { out.srcPort = remappedPort(lb.qualified, p); out.dstPort = l.targetPort ?? p.dstPort; }
  if (p.protocol === 'icmp') out.icmpType = 8;
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'translate', origin: lb.origin, rule: lbRule(lb, l.text),
    detail: `${l.text} matches (IPv4 target group): load balancer ${lb.name} translates the IPv6 flow to IPv4 — the target ${target.text} in ${targetAz(lb, target) ?? 'an unknown AZ'} sees the node's private address: ${end(p.src, p.srcPort, p)} → ${end(p.dst, p.dstPort, p)} becomes ${end4(out.src, out.srcPort, out)} → ${end4(out.dst, out.dstPort, out)} (client IP preservation does not cross address families).`,
    stack: () => frameStack(out, node.mac, node.subnet.gatewayMac), mtu: VPC_MTU,
  });
  if (lb.securityGroups.length > 0 && !w.securityGroup(node as unknown as CInterface, 'outbound', out, 'hyperplane')) return undefined;
  let back6: Arrival6 | undefined;
  const session: LbSession = {
    kind: 'lb', node, client: node.privateIp, clientPort: out.srcPort, lbAddr: node.privateIp, lbPort: out.srcPort,
    seenSrc: out.src, seenSrcPort: out.srcPort, target: out.dst, targetPort: out.dstPort,
    entry: {
      kind: 'ipv6',
      resume: (r4: Packet) => {
        const back: Packet6 = { protocol: p.protocol, src: p.dst, dst: p.src, reply: true, hopLimit: 64, viaAppliance: false };
        if (ported(p)) { back.srcPort = p.dstPort; back.dstPort = p.srcPort; }
        if (w.record) w.hop({
          component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'translate', origin: lb.origin, rule: lbRule(lb),
          detail: `Load balancer ${lb.name} translates the IPv4 reply back to IPv6: ${end4(r4.src, r4.srcPort, r4)} → ${end4(r4.dst, r4.dstPort, r4)} becomes ${end(back.src, back.srcPort, back)} → ${end(back.dst, back.dstPort, back)} (the client).`,
          stack: () => frame6(back, node.mac, node.subnet.gatewayMac), mtu: VPC_MTU,
        });
        back6 = answerClient6(walk, node, back, entry);
        return back6 !== undefined;
      },
    },
  };
  const targetIface = target.kind === 'instance' || target.kind === 'ip' ? target.iface : undefined;
  if (targetIface) w.sessions.set(targetIface, session);
  const arrival = sendFromNode(w, node, out);
  if (!arrival) return undefined;
  const where = arrival.kind === 'interface' ? arrival.iface.qualified : arrival.kind === 'host' ? arrival.host.name : 'the internet';
  return {
    kind: 'translated', packet: p, where,
    matches: (d: End6) => arrival.kind === 'interface' && arrival.packet.servedBy === served && matchesLb(d, served, arrival.iface),
    reply: () => {
      if (arrival.kind !== 'interface') return undefined;
      const got = arrival.packet;
      const r4: Packet = { protocol: got.protocol, src: got.dst, dst: got.src, ttl: 64, reply: true, viaAppliance: false };
      if (ported(p)) { r4.srcPort = got.dstPort; r4.dstPort = got.srcPort; }
      if (got.protocol === 'icmp') r4.icmpType = 0;
      if (!w.fromInterface(arrival.iface, r4)) return undefined;
      return back6;
    },
  };
}

/** Whether the flow's arrival at `target` through load balancer `qualified` is what the expectation names. */
function matchesLb(d: End6, qualified: string, target: CInterface): boolean {
  switch (d.kind) {
    case 'served-by': return d.qualified === qualified;
    case 'interface': return d.iface === target;
    case 'internet': return true; // a bare address: whatever owns it may receive it
    default: return false;
  }
}

/** The node sends an IPv6 packet from its subnet: layer 2 in its /64, else its ACL outbound and route table. */
export function sendFromNode6(walk: Walk6, node: CLbNode, p: Packet6): Arrival6 | undefined {
  return walk.sendFromSubnet(node, node.vpc, node.subnet, p, `load balancer ${node.lb.name}'s node`);
}

/** The target's IPv6 reply goes back to the node (the flow is the load balancer's), whatever its route table says. */
export function targetReplies6(walk: Walk6, target: CInterface, node: CLbNode, r: Packet6): boolean {
  const w = walk.w;
  const lb = node.lb;
  const place: Place = w.direction === 'forward' ? 'source' : 'destination';
  const hostPlace: Place = w.direction === 'forward' ? 'source-host' : 'destination-host';
  if (w.record) w.hop({
    component: target.qualified, kind: 'instance', place, action: 'send', origin: target.origin,
    detail: `${target.qualified} answers the load balancer's flow: ${end(r.src, r.srcPort, r)} → ${end(r.dst, r.dstPort, r)}.`,
    stack: () => frame6(r, target.mac, target.subnet.gatewayMac), mtu: VPC_MTU,
  });
  if (!walk.sg(target, 'outbound', r, hostPlace)) return false;
  if (target.subnet !== node.subnet && !walk.acl(target.subnet, 'outbound', r, hostPlace)) return false;
  if (w.record) w.hop({
    component: `${target.vpc.name}.mapping-service`, kind: 'mapping-service', place: hostPlace, action: 'encapsulate',
    detail: `The reply belongs to a flow of load balancer ${lb.name}: the mapping service returns it to the node in ${node.az} (${node.underlay}), whatever the route table says.`,
    stack: () => encap6(r, target.underlay, node.underlay, target.vpc.id, target.eniId, node.eniId), mtu: VPC_MTU,
  });
  w.underlay(target, node);
  if (target.subnet !== node.subnet && !walk.acl(node.subnet, 'inbound', r, 'hyperplane')) return false;
  return true;
}

/** The node answers the client from the address the client used: into the VPC, over the internet, or back over PrivateLink. */
function answerClient6(walk: Walk6, node: CLbNode, back: Packet6, entry: Lb6Entry): Arrival6 | undefined {
  switch (entry.kind) {
    case 'vpc': return sendFromNode6(walk, node, back);
    case 'internet': return nodeToInternet6(walk, node, back);
    case 'privatelink': return entry.back(walk, node, back);
  }
}

/**
 * An internet-facing node answers an internet client: its subnet's ACL outbound, an IPv6 route to the
 * internet gateway in its subnet's table (a dual-stack requirement), the gateway without translation.
 */
function nodeToInternet6(walk: Walk6, node: CLbNode, p: Packet6): Arrival6 | undefined {
  const w = walk.w;
  const subnet = node.subnet;
  const igw = node.vpc.igw;
  if (!walk.acl(subnet, 'outbound', p, 'hyperplane')) return undefined;
  const table = subnet.routeTable;
  const match = (walk.view.routes.get(table) ?? []).find(r => prefixContains(r.prefix, { family: 6, value: p.dst }));
  if (!match || match.target.kind !== 'internet-gateway' || !igw) {
    return w.fail({
      component: table.qualified, kind: 'route-table', place: 'hyperplane', origin: table.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      ...(match ? { rule: match.origin ? { text: match.text, origin: match.origin } : { text: match.text } } : {}),
      detail: `Route table ${table.name} of subnet ${subnet.name} ${match ? `sends ${fmt(p.dst)} by ${match.text}, not` : 'has no IPv6 route'} to the internet gateway: a dual-stack load balancer's subnets must route IPv6 traffic to answer IPv6 clients on the internet.`,
    });
  }
  w.routed(table, match, 'hyperplane', () => `Route table ${table.name}: ${fmt(p.dst)} matches ${match.text} (longest prefix match): to internet gateway ${igw.name}.`);
  if (w.record) w.hop({
    component: `${node.vpc.name}.mapping-service`, kind: 'mapping-service', place: 'hyperplane', action: 'encapsulate',
    detail: `The mapping service sends the node's reply to internet gateway ${igw.name}'s Blackfoot edge at ${igw.underlay}.`,
    stack: () => encap6(p, node.underlay, igw.underlay, node.vpc.id, node.eniId, igw.id), mtu: VPC_MTU,
  });
  w.underlay(node, igw);
  if (!blockPublicAccessAllows(w, igw, subnet, 'egress', p, false)) return undefined;
  if (!w.leg(INTERNET_MTU, { component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot' })) return undefined;
  if (w.record) w.hop({
    component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', action: 'forward', origin: igw.origin,
    detail: `Internet gateway ${igw.name} sends the node's IPv6 reply to the internet unchanged (IPv6 is not translated).`,
    stack: () => frame6(p, igw.mac, INTERNET_ROUTER_MAC), mtu: INTERNET_MTU,
  });
  return walk.internet(p);
}

/** The internet sends to an internet-facing dual-stack node's IPv6 address: through the VPC's internet gateway. */
export function internetToLbNode6(walk: Walk6, node: CLbNode, p: Packet6): Arrival6 | undefined {
  const w = walk.w;
  const lb = node.lb;
  const igw = lb.vpc.igw;
  if (!lb.internetFacing) {
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'internet', origin: lb.origin, code: Codes.IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS,
      detail: `${fmt(p.dst)} is the IPv6 address of internal load balancer ${lb.qualified}'s node in ${node.az}: an internal load balancer takes no traffic from the internet.`,
    });
  }
  if (!igw) {
    return w.fail({ component: 'internet', kind: 'internet', place: 'internet', code: Codes.NO_INTERNET_GATEWAY, detail: `${fmt(p.dst)} is the IPv6 address of internet-facing load balancer ${lb.qualified}, but VPC ${lb.vpc.name} has no internet gateway.` });
  }
  if (w.record) w.hop({
    component: 'internet', kind: 'internet', place: 'internet', action: 'forward',
    detail: `The internet routes ${fmt(p.dst)} to internet gateway ${igw.qualified} of VPC ${lb.vpc.name} (load balancer ${lb.name}'s node in ${node.az}).`,
    stack: () => frame6(p, INTERNET_ROUTER_MAC, igw.mac), mtu: INTERNET_MTU,
  });
  if (!blockPublicAccessAllows(w, igw, node.subnet, 'ingress', p, false)) return undefined;
  if (w.record) w.hop({
    component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', action: 'encapsulate', origin: igw.origin,
    detail: `Internet gateway ${igw.name} takes the IPv6 packet in without translation; the mapping service resolves ${fmt(p.dst)} to load balancer ${lb.name}'s node on Hyperplane (${node.underlay}).`,
    stack: () => encap6(p, igw.underlay, node.underlay, lb.vpc.id, igw.id, node.eniId), mtu: VPC_MTU,
  });
  w.underlay(igw, node);
  return arriveAtLbNode6(walk, node, p, igw, undefined, { kind: 'internet' });
}

export type { Sender6Like };
