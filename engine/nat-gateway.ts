/**
 * NAT gateways on Hyperplane (aws-data-plane.md §3.6).
 *
 * - Source NAT only: the source becomes the gateway's private address and, for TCP and UDP, a source
 *   port from 1024–65535 (RA NGW_SOURCE_ADDRESS_REASSIGN, REMAP_EPHEMERAL_PORT); the destination is
 *   never rewritten (NGW_DEST_ADDRESS_PRESERVATION). A public gateway's address is then mapped 1:1 to
 *   its Elastic IP by the internet gateway, as Reachability Analyzer models it.
 * - TCP, UDP and ICMP only (PROTOCOL_RESTRICTION).
 * - Only traffic from its own VPC: not over peering, VPN or Direct Connect (NGW_REQUIRES_SOURCE_IN_VPC);
 *   traffic from a transit gateway is a documented pattern and is translated.
 * - No security group; its subnet's network ACL applies to the packet entering (original addresses)
 *   and leaving (translated addresses and ports), and its subnet's route table routes the translated
 *   packet.
 * - A private NAT gateway has no Elastic IP: the internet gateway drops its traffic.
 * - Stateful: only replies of connections it translated come back in; anything else addressed to it
 *   is dropped (NGW_UNSOLICITED_INBOUND, a vnet code).
 */
import type { CRoute, CSubnet, CInternetGateway } from './compile.js';
import type { CNatGateway } from './services.js';
import type { Packet } from './packet.js';
import type { Place } from './path.js';
import { encapsulatedStack, frameStack } from './packet.js';
import { formatV4, isRfc1918V4, isRfc6598V4, v4Contains } from './ipv4.js';
import { hash32 } from './ids.js';
import { Codes } from './codes.js';
import { resolveInVpc } from './mapping-service.js';
import { isOnLink } from './virtual-router.js';
import { blockPublicAccessAllows } from './block-public-access.js';
import { INTERNET_MTU, VPC_MTU, type Arrival, type Sender, type Walker } from './walk.js';

/** The translation a NAT gateway holds for one connection. */
export interface NatSession {
  protocol: Packet['protocol'];
  client: number;
  clientPort?: number;
  natPort?: number;
  remote: number;
  remotePort?: number;
  /**
   * NAT64 (ipv6-nat64.ts): the client is an IPv6 interface, so the reply is translated back to IPv6 and
   * walked on by the IPv6 walk; this returns an arrival that only stands for that walk's outcome.
   */
  toIpv6?: (reply: Packet) => Arrival | undefined;
}

export const NAT_PORT_MIN = 1024;
export const NAT_PORT_MAX = 65535;

/** The source port the gateway picks: deterministic per connection, within 1024–65535. */
export function natPort(nat: CNatGateway, p: { protocol: string; src: number | bigint; dst: number | bigint; srcPort?: number; dstPort?: number }): number {
  const key = `${nat.qualified}|${p.protocol}|${p.src}:${p.srcPort}|${p.dst}:${p.dstPort}`;
  return NAT_PORT_MIN + (hash32(key) % (NAT_PORT_MAX - NAT_PORT_MIN + 1));
}

function ported(p: Packet): boolean {
  return p.protocol === 'tcp' || p.protocol === 'udp';
}

function endText(addr: number, port: number | undefined, p: Packet): string {
  return ported(p) ? `${formatV4(addr)}:${port}` : formatV4(addr);
}

export function natRule(nat: CNatGateway) {
  const text = nat.private ? `nat-gateway ${nat.name} in ${nat.model.subnet} private` : `nat-gateway ${nat.name} in ${nat.model.subnet} public-ip ${nat.model.publicIp ?? '?'}`;
  return nat.origin ? { text, origin: nat.origin } : { text };
}

/** A subnet route sends the packet to the NAT gateway. */
export function routeToNatGateway(
  w: Walker, sender: Sender, subnet: CSubnet, p: Packet, match: CRoute, nat: CNatGateway, place: Place,
): Arrival | undefined {
  const table = subnet.routeTable;
  const vpc = subnet.vpc;
  w.routed(table, match, place, () => `Route table ${table.name}: ${formatV4(p.dst)} matches ${match.text} (longest prefix match): to NAT gateway ${nat.name}.`);
  if (!nat.subnet || nat.privateIp === undefined) {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.INVALID_CONFIGURATION, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} has no usable address: ${nat.subnet ? `subnet ${nat.subnet.name} has no free address` : `VPC ${vpc.name} has no subnet ${nat.model.subnet}`}.`,
    });
  }
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
    detail: `The mapping service sends traffic for NAT gateway ${nat.name} (${nat.id}, ${formatV4(nat.privateIp)}) to its Hyperplane node at ${nat.underlay}.`,
    stack: () => encapsulatedStack(p, { outerSrc: sender.underlay, outerDst: nat.underlay, vpcId: vpc.id, srcInterface: sender.eniId, dstInterface: nat.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(sender, nat);
  return translateOutbound(w, nat, p, subnet);
}

/** The gateway receives a packet to translate: checks, source NAT, then its subnet sends it on. */
function translateOutbound(w: Walker, nat: CNatGateway, p: Packet, fromSubnet: CSubnet | undefined): Arrival | undefined {
  const natSubnet = nat.subnet!;
  const vpc = nat.vpc;
  if (w.record) w.hop({
    component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', action: 'decapsulate', origin: nat.origin,
    detail: `NAT gateway ${nat.name} (${nat.eniId} in subnet ${natSubnet.name}) receives the packet on Hyperplane.`,
    stack: () => frameStack(p, natSubnet.gatewayMac, nat.mac), mtu: VPC_MTU,
  });
  if (fromSubnet !== natSubnet && !w.networkAcl(natSubnet, 'inbound', p, 'hyperplane')) return undefined;
  if (p.via === 'peering' || p.via === 'vpn' || p.via === 'direct-connect') {
    const over = p.via === 'peering' ? 'a VPC peering connection' : p.via === 'vpn' ? 'a Site-to-Site VPN' : 'Direct Connect';
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.NGW_REQUIRES_SOURCE_IN_VPC, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} only translates traffic from its own VPC ${vpc.name}; this packet arrived over ${over}, and AWS does not route traffic to a NAT gateway through it (a transit gateway works).`,
    });
  }
  if (p.via !== 'transit-gateway' && !vpc.cidrs.some(c => v4Contains(c, p.src))) {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.NGW_REQUIRES_SOURCE_IN_VPC, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} only translates traffic from its own VPC ${vpc.name}; the source ${formatV4(p.src)} is outside the VPC's CIDRs.`,
    });
  }
  if (p.protocol !== 'tcp' && p.protocol !== 'udp' && p.protocol !== 'icmp') {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.PROTOCOL_RESTRICTION, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} translates TCP, UDP and ICMP only, not traffic of any protocol (§3.6).`,
    });
  }
  if (w.sessions.has(nat) && (w.sessions.get(nat) as NatSession & { direction: string }).direction === w.direction) {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.ROUTING_LOOP,
      detail: `The packet came back to NAT gateway ${nat.name} a second time: the routes send it around a loop.`,
    });
  }
  const out: Packet = { ...p, src: nat.privateIp! };
  const session: NatSession & { direction: string } = { protocol: p.protocol, client: p.src, remote: p.dst, direction: w.direction };
  if (ported(p)) {
    out.srcPort = natPort(nat, p);
    session.clientPort = p.srcPort; session.natPort = out.srcPort; session.remotePort = p.dstPort;
  }
  w.sessions.set(nat, session);
  if (w.record) w.hop({
    component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', action: 'translate', origin: nat.origin, rule: natRule(nat),
    detail: `Source NAT: ${endText(p.src, p.srcPort, p)} → ${endText(out.src, out.srcPort, p)} (the gateway's private address${ported(p) ? '; source port remapped into 1024–65535' : ''}); the destination ${endText(p.dst, p.dstPort, p)} is never rewritten.${nat.private ? ' A private NAT gateway: no Elastic IP.' : ` The internet gateway maps ${formatV4(out.src)} to the Elastic IP ${nat.publicIp !== undefined ? formatV4(nat.publicIp) : '(none)'}.`}`,
    stack: () => frameStack(out, nat.mac, natSubnet.gatewayMac), mtu: VPC_MTU,
  });
  return sendFromNat(w, nat, out);
}

/** The gateway's interface sends a (translated) packet: same subnet at layer 2, else ACL and routes. */
export function sendFromNat(w: Walker, nat: CNatGateway, p: Packet): Arrival | undefined {
  const natSubnet = nat.subnet!;
  if (isOnLink(natSubnet, p.dst)) {
    const found = resolveInVpc(nat.vpc, p.dst);
    if (!found.found) return w.fail({ component: `${nat.vpc.name}.virtual-router`, kind: 'virtual-router', place: 'hyperplane', code: found.code, detail: found.reason });
    if (w.record) w.hop({
      component: `${nat.vpc.name}.virtual-router`, kind: 'virtual-router', place: 'hyperplane', action: 'encapsulate',
      detail: `${formatV4(p.dst)} is in the NAT gateway's own subnet ${natSubnet.name}: delivered at layer 2 to ${found.iface.qualified}; no route table, no network ACL.`,
      stack: () => encapsulatedStack(p, { outerSrc: nat.underlay, outerDst: found.iface.underlay, vpcId: nat.vpc.id, srcInterface: nat.eniId, dstInterface: found.iface.eniId }),
      mtu: VPC_MTU,
    });
    w.underlay(nat, found.iface);
    return w.deliverToInterface(found.iface, p, natSubnet, nat, true);
  }
  if (!w.networkAcl(natSubnet, 'outbound', p, 'hyperplane')) return undefined;
  return w.route(nat, natSubnet, p, 'hyperplane');
}

/**
 * A packet addressed to the gateway's private address: the reply of a translated connection is
 * translated back to the client; anything else is unsolicited and dropped.
 */
export function arriveAtNatGateway(
  w: Walker, nat: CNatGateway, p: Packet, sender: { underlay: string }, fromSubnet: CSubnet | undefined,
): Arrival | undefined {
  const natSubnet = nat.subnet!;
  if (w.record) w.hop({
    component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', action: 'decapsulate', origin: nat.origin,
    detail: `NAT gateway ${nat.name} (${formatV4(nat.privateIp!)}, ${nat.eniId}) receives the packet from ${sender.underlay} on Hyperplane.`,
    stack: () => frameStack(p, natSubnet.gatewayMac, nat.mac), mtu: VPC_MTU,
  });
  if (fromSubnet !== natSubnet && !w.networkAcl(natSubnet, 'inbound', p, 'hyperplane')) return undefined;
  const s = w.sessions.get(nat) as NatSession | undefined;
  const matches = !!s && p.reply && p.protocol === s.protocol && p.src === s.remote
    && (!ported(p) || (p.srcPort === s.remotePort && p.dstPort === s.natPort));
  if (!s || !matches) {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.NGW_UNSOLICITED_INBOUND, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} has no translation for ${p.protocol} from ${endText(p.src, p.srcPort, p)} to ${endText(p.dst, p.dstPort, p)}: a NAT gateway only lets in replies of connections its VPC started, so unsolicited inbound traffic is dropped.`,
    });
  }
  if (s.toIpv6) return s.toIpv6(p);
  const back: Packet = { ...p, dst: s.client };
  if (ported(p)) back.dstPort = s.clientPort;
  if (w.record) w.hop({
    component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', action: 'translate', origin: nat.origin, rule: natRule(nat),
    detail: `Reverse NAT for the tracked connection: destination ${endText(p.dst, p.dstPort, p)} → ${endText(back.dst, back.dstPort, p)} (the client).`,
    stack: () => frameStack(back, nat.mac, natSubnet.gatewayMac), mtu: VPC_MTU,
  });
  return sendFromNat(w, nat, back);
}

/** The NAT gateway's subnet routes to the internet gateway: the Elastic IP replaces its private address. */
export function natGatewayToInternet(w: Walker, igw: CInternetGateway, nat: CNatGateway, p: Packet): Arrival | undefined {
  const rule = { text: `internet-gateway ${igw.name}`, ...(igw.origin ? { origin: igw.origin } : {}) };
  if (nat.private || nat.publicIp === undefined) {
    return w.fail({
      component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', origin: igw.origin, code: Codes.IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS, rule,
      detail: nat.private
        ? `${nat.qualified} is a private NAT gateway: it has no Elastic IP, so internet gateway ${igw.name} drops its traffic (§3.6).`
        : `NAT gateway ${nat.qualified} has no valid Elastic IP (${nat.model.publicIp ?? 'none'}), so internet gateway ${igw.name} drops its traffic.`,
    });
  }
  if (isRfc1918V4(p.dst) || isRfc6598V4(p.dst)) {
    const rfc1918 = isRfc1918V4(p.dst);
    return w.fail({
      component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', origin: igw.origin, rule,
      code: rfc1918 ? Codes.IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS : Codes.IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS,
      detail: `Internet gateway ${igw.name} drops outbound traffic to the ${rfc1918 ? 'private (RFC 1918)' : 'shared (RFC 6598)'} address ${formatV4(p.dst)}.`,
    });
  }
  if (!blockPublicAccessAllows(w, igw, nat.subnet, 'egress', p, true)) return undefined;
  const out: Packet = { ...p, src: nat.publicIp };
  if (!w.leg(INTERNET_MTU, { component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot' })) return undefined;
  if (w.record) w.hop({
    component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', action: 'translate', origin: igw.origin,
    rule: { text: `public-ip ${formatV4(nat.publicIp)} of ${nat.qualified}`, ...(nat.origin ? { origin: nat.origin } : {}) },
    detail: `The Blackfoot edge strips the VPC encapsulation; 1:1 NAT: source ${formatV4(p.src)} (NAT gateway ${nat.name}) rewritten to its Elastic IP ${formatV4(nat.publicIp)}.`,
    stack: () => frameStack(out, igw.mac, INTERNET_ROUTER_MAC), mtu: INTERNET_MTU,
  });
  return w.internet(out);
}

/** MAC of the provider router at the edge (walk.ts uses the same model value). */
const INTERNET_ROUTER_MAC = '02:00:5e:00:00:01';

/** The internet sends to a NAT gateway's Elastic IP: the internet gateway maps it to the private address. */
export function internetToNatGateway(w: Walker, nat: CNatGateway, p: Packet): Arrival | undefined {
  const igw = nat.vpc.igw;
  const dst = formatV4(p.dst);
  if (!igw) {
    return w.fail({
      component: 'internet', kind: 'internet', place: 'internet', code: Codes.NO_INTERNET_GATEWAY,
      detail: `${dst} is the Elastic IP of NAT gateway ${nat.qualified}, but VPC ${nat.vpc.name} has no internet gateway, so the internet cannot reach it.`,
    });
  }
  if (w.record) w.hop({
    component: 'internet', kind: 'internet', place: 'internet', action: 'forward',
    detail: `The internet routes ${dst} to internet gateway ${igw.qualified}, which holds it for NAT gateway ${nat.qualified}.`,
    stack: () => frameStack(p, INTERNET_ROUTER_MAC, igw.mac), mtu: INTERNET_MTU,
  });
  const rule = { text: `internet-gateway ${igw.name}`, ...(igw.origin ? { origin: igw.origin } : {}) };
  if (isRfc1918V4(p.src) || isRfc6598V4(p.src)) {
    const rfc1918 = isRfc1918V4(p.src);
    return w.fail({
      component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', origin: igw.origin, rule,
      code: rfc1918 ? Codes.IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS : Codes.IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS,
      detail: `Internet gateway ${igw.name} drops inbound traffic from the ${rfc1918 ? 'private (RFC 1918)' : 'shared (RFC 6598)'} address ${formatV4(p.src)}.`,
    });
  }
  if (nat.privateIp === undefined || !nat.subnet) {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.INVALID_CONFIGURATION, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} has no usable private address to translate ${dst} to.`,
    });
  }
  if (!blockPublicAccessAllows(w, igw, nat.subnet, 'ingress', p, true)) return undefined;
  const inside: Packet = { ...p, dst: nat.privateIp, via: 'internet-gateway' };
  if (w.record) w.hop({
    component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', action: 'translate', origin: igw.origin,
    rule: { text: `public-ip ${dst} of ${nat.qualified}`, ...(nat.origin ? { origin: nat.origin } : {}) },
    detail: `1:1 NAT: destination ${dst} (Elastic IP) rewritten to the private address ${formatV4(nat.privateIp)} of NAT gateway ${nat.name}.`,
    stack: () => frameStack(inside, INTERNET_ROUTER_MAC, igw.mac),
  });
  if (w.record) w.hop({
    component: `${igw.vpc.name}.mapping-service`, kind: 'mapping-service', place: 'blackfoot', action: 'encapsulate',
    detail: `The mapping service resolves ${formatV4(nat.privateIp)} in ${igw.vpc.id} to NAT gateway ${nat.name} (${nat.eniId}) on Hyperplane (${nat.underlay}).`,
    stack: () => encapsulatedStack(inside, { outerSrc: igw.underlay, outerDst: nat.underlay, vpcId: igw.vpc.id, srcInterface: igw.id, dstInterface: nat.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(igw, nat);
  return arriveAtNatGateway(w, nat, inside, igw, undefined);
}
