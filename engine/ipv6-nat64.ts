/**
 * NAT64 at a NAT gateway (aws-data-plane.md §3.6: "IPv6 only via NAT64 (with DNS64)"; VPC user guide,
 * "DNS64 and NAT64"): a subnet routes 64:ff9b::/96 — the well-known prefix of RFC 6052, where the last
 * 32 bits are the IPv4 address — to a public or private NAT gateway, which translates the IPv6 packet
 * into IPv4:
 *
 * - source: the gateway's private IPv4 address (then its Elastic IP at the internet gateway for a
 *   public one, as for IPv4 traffic), source port from 1024–65535;
 * - destination: the IPv4 address embedded in the last 32 bits;
 * - TCP, UDP and ICMP only (ICMPv6 echo becomes ICMP echo);
 * - the same checks as for IPv4 (nat-gateway.ts): the gateway's subnet ACL inbound on the IPv6
 *   packet, only traffic from its own VPC (not over peering: NGW_REQUIRES_SOURCE_IN_VPC; from a
 *   transit gateway it is fine), then the IPv4 machinery: the gateway's subnet ACL outbound and route
 *   table, the internet gateway, a peer or transit gateway for a private gateway.
 *
 * The reply comes back to the gateway as IPv4, is translated back (source 64:ff9b::<IPv4 source>,
 * destination the client's IPv6 address and port) and is sent from the gateway's subnet to the client
 * by its IPv6 route table. The flow leaves IPv6, so the arrival is a `translated` one (ipv6.ts).
 */
import type { CSubnet } from './compile.js';
import type { CNatGateway } from './services.js';
import type { Place } from './path.js';
import type { Arrival } from './walk.js';
import { INITIAL_TTL, frameStack, type Packet } from './packet.js';
import { formatV4 } from './ipv4.js';
import { parsePrefix, prefixContains, type Prefix } from './ip.js';
import { Codes } from './codes.js';
import { VPC_MTU } from './walk.js';
import { natPort, natRule, sendFromNat, type NatSession } from './nat-gateway.js';
import { startFromService } from './hyperplane.js';
import { startFromSiteHost } from './between-walk.js';
import { encap6, fmt, frame6, ported, type Arrival6, type End6, type Packet6, type Sender6, type Walk6 } from './ipv6.js';

/** 64:ff9b::/96, the NAT64 well-known prefix (RFC 6052 §2.1) AWS's NAT gateways translate. */
export const NAT64_PREFIX: Prefix = parsePrefix('64:ff9b::/96')!;

/** The IPv4 address embedded in a 64:ff9b::/96 address (its last 32 bits). */
export function embeddedIpv4(addr: bigint): number {
  return Number(addr & 0xffffffffn);
}

/** 64:ff9b::<IPv4>: how the gateway shows an IPv4 source to the IPv6 client. */
export function synthesized(ipv4: number): bigint {
  return NAT64_PREFIX.network | BigInt(ipv4 >>> 0);
}

function end4(addr: number, port: number | undefined, protocol: string): string {
  return protocol === 'tcp' || protocol === 'udp' ? `${formatV4(addr)}:${port}` : formatV4(addr);
}

function end6(addr: bigint, port: number | undefined, p: Packet6): string {
  return ported(p) ? `[${fmt(addr)}]:${port}` : fmt(addr);
}

function arrivalText(a: Arrival): string {
  switch (a.kind) {
    case 'interface': return a.iface.qualified;
    case 'host': return a.host.name;
    case 'aws-service': return a.list.name;
    case 'site-host': return a.host.qualified;
    case 'translated': return a.where;
    default: return `the internet (${formatV4(a.packet.dst)})`;
  }
}

/** Starts the IPv4 reply where the translated packet arrived (walk.ts replySource/start, for this flow). */
function startReply4(w: Walk6['w'], arrival: Arrival, reply: Packet): Arrival | undefined {
  switch (arrival.kind) {
    case 'interface': return w.fromInterface(arrival.iface, reply);
    case 'host': return w.fromHost(arrival.host, reply);
    case 'aws-service': return startFromService(w, { kind: 'aws-service', list: arrival.list, addr: reply.src, via: arrival.via }, reply);
    case 'site-host': return startFromSiteHost(w, arrival.host, reply);
    // A dual-stack load balancer translated the IPv4 packet again (to an IPv6 target group): it walks
    // the target's reply back to its node and on towards the NAT gateway itself.
    case 'translated': return arrival.reply();
    default: return w.fromInternet(reply, `the host at ${formatV4(reply.src)}`);
  }
}

/** A subnet route (already recorded) sends an IPv6 packet for 64:ff9b::/96 to the NAT gateway. */
export function routeToNat64(walk: Walk6, sender: Sender6, subnet: CSubnet, p: Packet6, place: Place, nat: CNatGateway): Arrival6 | undefined {
  const w = walk.w;
  const vpc = subnet.vpc;
  if (!nat.subnet || nat.privateIp === undefined) {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.INVALID_CONFIGURATION, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} has no usable address: ${nat.subnet ? `subnet ${nat.subnet.name} has no free address` : `VPC ${vpc.name} has no subnet ${nat.model.subnet}`}.`,
    });
  }
  const natSubnet = nat.subnet;
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
    detail: `The mapping service sends traffic for NAT gateway ${nat.name} (${nat.id}) to its Hyperplane node at ${nat.underlay}.`,
    stack: () => encap6(p, sender.underlay, nat.underlay, vpc.id, sender.eniId, nat.eniId), mtu: VPC_MTU,
  });
  w.underlay(sender, nat);
  if (w.record) w.hop({
    component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', action: 'decapsulate', origin: nat.origin,
    detail: `NAT gateway ${nat.name} (${nat.eniId} in subnet ${natSubnet.name}) receives the IPv6 packet on Hyperplane.`,
    stack: () => frame6(p, natSubnet.gatewayMac, nat.mac), mtu: VPC_MTU,
  });
  if (subnet !== natSubnet && !walk.acl(natSubnet, 'inbound', p, 'hyperplane')) return undefined;
  if (p.via === 'peering') {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.NGW_REQUIRES_SOURCE_IN_VPC, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} only translates traffic from its own VPC ${vpc.name}; this packet arrived over a VPC peering connection, and AWS does not route traffic to a NAT gateway through it (a transit gateway works).`,
    });
  }
  const own = walk.view.vpcCidrs.get(nat.vpc) ?? [];
  if (p.via !== 'transit-gateway' && !own.some(c => prefixContains(c, { family: 6, value: p.src }))) {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.NGW_REQUIRES_SOURCE_IN_VPC, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} only translates traffic from its own VPC ${nat.vpc.name}; the source ${fmt(p.src)} is outside the VPC's IPv6 CIDRs.`,
    });
  }
  if (p.protocol !== 'tcp' && p.protocol !== 'udp' && p.protocol !== 'icmp') {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.PROTOCOL_RESTRICTION, rule: natRule(nat),
      detail: `NAT gateway ${nat.name} translates TCP, UDP and ICMP only, not traffic of any protocol (§3.6).`,
    });
  }
  const previous = w.sessions.get(nat) as (NatSession & { direction?: string }) | undefined;
  if (previous && previous.direction === w.direction) {
    return w.fail({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: nat.origin, code: Codes.ROUTING_LOOP,
      detail: `The packet came back to NAT gateway ${nat.name} a second time: the routes send it around a loop.`,
    });
  }
  const dst4 = embeddedIpv4(p.dst);
  const out: Packet = { protocol: p.protocol, src: nat.privateIp, dst: dst4, ttl: p.hopLimit, reply: false, viaAppliance: false };
  if (ported(p)) { out.srcPort = natPort(nat, p); out.dstPort = p.dstPort; }
  if (p.protocol === 'icmp') out.icmpType = 8;

  // The reply's way back into IPv6, called by arriveAtNatGateway (nat-gateway.ts) for this session.
  let reachedNat = false;
  let back6: Arrival6 | undefined;
  const toIpv6 = (reply: Packet): Arrival | undefined => {
    reachedNat = true;
    const r6: Packet6 = { protocol: reply.protocol, src: synthesized(reply.src), dst: p.src, reply: true, hopLimit: 64, viaAppliance: false };
    if (ported(p)) { r6.srcPort = reply.srcPort; r6.dstPort = p.srcPort; }
    if (w.record) w.hop({
      component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', action: 'translate', origin: nat.origin, rule: natRule(nat),
      detail: `NAT64, reverse: ${end4(reply.src, reply.srcPort, reply.protocol)} → ${end4(reply.dst, reply.dstPort, reply.protocol)} becomes ${end6(r6.src, r6.srcPort, r6)} → ${end6(r6.dst, r6.dstPort, r6)} (the IPv4 source inside 64:ff9b::/96; the client's IPv6 address and port from the tracked connection).`,
      stack: () => frame6(r6, nat.mac, natSubnet.gatewayMac), mtu: VPC_MTU,
    });
    back6 = sendFromNat6(walk, nat, r6);
    return back6 ? { kind: 'internet', packet: reply } : undefined;
  };
  const session: NatSession & { direction: string } = { protocol: p.protocol, client: 0, remote: dst4, direction: w.direction, toIpv6 };
  if (ported(p)) { session.clientPort = p.srcPort; session.natPort = out.srcPort; session.remotePort = p.dstPort; }
  w.sessions.set(nat, session);
  if (w.record) w.hop({
    component: nat.qualified, kind: 'nat-gateway', place: 'hyperplane', action: 'translate', origin: nat.origin, rule: natRule(nat),
    detail: `NAT64: ${end6(p.src, p.srcPort, p)} → ${end6(p.dst, p.dstPort, p)} becomes ${end4(out.src, out.srcPort, p.protocol)} → ${end4(dst4, out.dstPort, p.protocol)}: the source is the gateway's private address${ported(p) ? ' with a port from 1024–65535' : ''}, the destination the IPv4 address in the last 32 bits of 64:ff9b::/96 (RFC 6052); a 40-byte IPv6 header becomes a 20-byte IPv4 header.${nat.private ? ' A private NAT gateway: no Elastic IP.' : ` The internet gateway maps ${formatV4(out.src)} to the Elastic IP ${nat.publicIp !== undefined ? formatV4(nat.publicIp) : '(none)'}.`}`,
    stack: () => frameStack(out, nat.mac, natSubnet.gatewayMac), mtu: VPC_MTU,
  });
  const arrival = sendFromNat(w, nat, out);
  if (!arrival) return undefined;
  const where = arrivalText(arrival);
  return {
    kind: 'translated', packet: p, where,
    // The IPv6 destination names the IPv4 address it embeds: the flow holds when that address got it.
    // The embedded address got it: itself, or (a load balancer's or endpoint's address) one of its
    // targets; a load balancer that translated again (to an IPv6 target group) says itself whether
    // it delivered.
    matches: (e: End6) => e.kind !== 'error' && e.addr === p.dst
      && (arrival.kind === 'translated' ? arrival.matches({ kind: 'any' }) : arrival.packet.dst === dst4 || !!arrival.packet.servedBy),
    reply: () => {
      const got = arrival.packet;
      const reply: Packet = { protocol: got.protocol, src: got.dst, dst: got.src, ttl: INITIAL_TTL, reply: true, viaAppliance: false };
      if (got.protocol === 'tcp' || got.protocol === 'udp') { reply.srcPort = got.dstPort; reply.dstPort = got.srcPort; }
      if (got.protocol === 'icmp') reply.icmpType = 0;
      const back4 = startReply4(w, arrival, reply);
      if (reachedNat) return back6;
      if (!back4) return undefined;
      // The reply reached something else than the NAT gateway (its routes bypass it): not the client.
      return { kind: 'translated', packet: p, where: arrivalText(back4), matches: () => false, reply: () => undefined };
    },
  };
}

/** The gateway sends the translated-back IPv6 reply: same subnet at layer 2, else its ACL and IPv6 routes. */
function sendFromNat6(walk: Walk6, nat: CNatGateway, p: Packet6): Arrival6 | undefined {
  const sender: Sender6 = { underlay: nat.underlay, eniId: nat.eniId, mac: nat.mac, qualified: nat.qualified };
  return walk.sendFromSubnet(sender, nat.vpc, nat.subnet!, p, `NAT gateway ${nat.name}`);
}
