/**
 * Transit gateway (aws-data-plane.md §3.8): a regional router on Hyperplane (§5.6).
 *
 * Into the gateway from a VPC: a subnet can send to it only from an Availability Zone where the VPC
 * attachment has a subnet (TGW_ROUTE_AZ_RESTRICTION); the attachment subnet's network ACL checks the
 * packet inbound (TGW-NACL). In the gateway: the route table associated with the attachment the
 * packet came from (none: TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION), longest prefix, then for one
 * prefix static > VPC propagated > Direct Connect gateway propagated > VPN propagated; blackhole
 * routes drop (TGW_RTB_BAD_STATE_ROUTE). Out of the gateway into a VPC: one attachment subnet, the
 * one in the Availability Zone the packet came from unless the attachment has appliance mode (then a
 * flow hash picks one for both directions); the packet is routed by that subnet's route table, its
 * network ACL checks it outbound unless the destination is in the attachment subnet itself.
 * MTU 8500 through the gateway, 1500 towards a VPN.
 */
import type { Packet } from './packet.js';
import type { DecidingRule, Place } from './path.js';
import { encapsulatedStack, innerStack } from './packet.js';
import type { Arrival, Underlaid, Walker } from './walk.js';
import type { CRoute, CSubnet } from './compile.js';
import type { CTgwAttachment, CTgwEni, CTgwRoute, CTgwRouteTable, CTransitGateway, Sender } from './between-networks.js';
import { formatV4, v4Contains } from './ipv4.js';
import { hash32 } from './ids.js';
import { Codes } from './codes.js';
import { resolveInVpc } from './mapping-service.js';
import { isOnLink } from './virtual-router.js';
import { walkState } from './middlebox.js';
import { arriveAtService } from './hyperplane.js';
import { toSiteOverDx, toSiteOverVpn, attachmentTo, siteHostAt } from './site.js';

export const TGW_MTU = 8500;
export const TGW_VPN_MTU = 1500;

/** Longest prefix match in a transit gateway route table (routes are sorted by compile). */
export function tgwLookup(table: CTgwRouteTable, dst: number): CTgwRoute | undefined {
  for (const r of table.routes) if (v4Contains(r.prefix, dst)) return r;
  return undefined;
}

/** A hash of the flow that is the same in both directions (appliance mode keeps a flow on one interface). */
function symmetricFlowHash(p: Packet): number {
  const [a, b] = p.src < p.dst ? [p.src, p.dst] : [p.dst, p.src];
  const [pa, pb] = p.src < p.dst ? [p.srcPort ?? 0, p.dstPort ?? 0] : [p.dstPort ?? 0, p.srcPort ?? 0];
  return hash32(`${a}|${b}|${p.protocol}|${pa}|${pb}`);
}

function eniIn(att: CTgwAttachment & { kind: 'vpc' }, az: string | undefined): CTgwEni | undefined {
  return att.enis.find(e => e.subnet.az === az);
}

/**
 * The VPC attachment a route of `subnet`'s table leads to, or undefined after the drop: a transit
 * gateway not attached to the VPC makes the route a blackhole. Both address families.
 */
export function vpcAttachmentOf(
  w: Walker, subnet: CSubnet, route: { text: string }, rule: DecidingRule, tgw: CTransitGateway, place: Place,
): (CTgwAttachment & { kind: 'vpc' }) | undefined {
  const att = attachmentTo(tgw, subnet.vpc) as (CTgwAttachment & { kind: 'vpc' }) | undefined;
  if (att) return att;
  const table = subnet.routeTable;
  return w.fail({
    component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.BAD_STATE_ROUTE, rule,
    detail: `Route ${route.text} names transit gateway ${tgw.name}, which has no attachment to VPC ${subnet.vpc.name}: the route is a blackhole.`,
  });
}

/** The gateway's interface in the sender's zone, or undefined after TGW_ROUTE_AZ_RESTRICTION. Both families. */
export function attachmentEniFor(w: Walker, att: CTgwAttachment & { kind: 'vpc' }, subnet: CSubnet, tgw: CTransitGateway): CTgwEni | undefined {
  const eni = eniIn(att, subnet.az);
  if (eni) return eni;
  return w.fail({
    component: att.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', origin: att.origin, code: Codes.TGW_ROUTE_AZ_RESTRICTION,
    detail: `Subnet ${subnet.name} is in ${subnet.az}, where attachment ${att.name} of transit gateway ${tgw.name} has no subnet (it has ${att.subnets.map(s => `${s.name} in ${s.az}`).join(', ') || 'none'}): resources in that zone cannot reach the gateway.`,
  });
}

/** A subnet route sent the packet to a transit gateway. */
export function routeToTransitGateway(w: Walker, sender: Sender, subnet: CSubnet, route: CRoute, tgw: CTransitGateway, p: Packet): Arrival | undefined {
  const vpc = subnet.vpc;
  const table = subnet.routeTable;
  const place = w.senderHostPlace;
  const rule = { text: route.text, ...(route.origin ? { origin: route.origin } : {}) };
  const att = vpcAttachmentOf(w, subnet, route, rule, tgw, place);
  if (!att) return undefined;
  w.routed(table, route, place, () => `Route table ${table.name}: ${formatV4(p.dst)} matches ${route.text} (longest prefix match): to transit gateway ${tgw.name}.`);
  const eni = attachmentEniFor(w, att, subnet, tgw);
  if (!eni) return undefined;
  // The transit gateway does not fragment: larger packets are dropped (§3.8, §4).
  if (!w.leg(TGW_MTU, { component: att.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
    detail: `The mapping service sends traffic for transit gateway ${tgw.name} to its interface ${eni.eniId} in attachment subnet ${eni.subnet.name} (${eni.subnet.az}).`,
    stack: () => encapsulatedStack(p, { outerSrc: sender.underlay, outerDst: eni.underlay, vpcId: vpc.id, srcInterface: sender.eniId, dstInterface: eni.eniId }),
    mtu: TGW_MTU,
  });
  tgwUnderlay(w, sender, eni);
  // TGW-NACL: traffic to the gateway is checked inbound by the attachment subnet's ACL (even when the
  // sender shares that subnet).
  if (!w.networkAcl(eni.subnet, 'inbound', p, 'hyperplane')) return undefined;
  return tgwFromAttachment(w, att, p, subnet.az);
}

/** The packet is in the transit gateway, having come from `from`; `az` is its zone when it came from a VPC. */
export function tgwFromAttachment(w: Walker, from: CTgwAttachment, p: Packet, az: string | undefined): Arrival | undefined {
  const tgw = from.tgw;
  p = { ...p, via: 'transit-gateway' };
  if (w.overBudget(tgw.name, 'transit-gateway', 'hyperplane')) return undefined;
  const table = from.association;
  if (!table) {
    return w.fail({
      component: from.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', origin: from.origin, code: Codes.TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION,
      detail: `Attachment ${from.name} of transit gateway ${tgw.name} is associated with no route table, so the gateway cannot route what comes from it.`,
    });
  }
  const route = tgwLookup(table, p.dst);
  if (!route) {
    return w.fail({
      component: table.qualified, kind: 'transit-gateway-route-table', place: 'hyperplane', origin: table.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      rule: { text: `transit gateway route table ${table.name}`, ...(table.origin ? { origin: table.origin } : {}) },
      detail: `Transit gateway route table ${table.name} (associated with ${from.name}) has no route that matches ${formatV4(p.dst)}.`,
    });
  }
  const rule = { text: route.text, ...(route.origin ? { origin: route.origin } : {}) };
  if (route.blackhole || !route.attachment) {
    return w.fail({
      component: table.qualified, kind: 'transit-gateway-route-table', place: 'hyperplane', origin: table.origin, code: Codes.TGW_RTB_BAD_STATE_ROUTE, rule,
      detail: `Transit gateway route table ${table.name}: ${formatV4(p.dst)} matches ${route.text}, a blackhole route: the gateway drops the packet.`,
    });
  }
  const to = route.attachment;
  if (w.record) {
    const shadowed = table.shadowed.filter(s => s.prefix.text === route.prefix.text);
    w.hop({
      component: table.qualified, kind: 'transit-gateway-route-table', place: 'hyperplane', action: 'route', origin: table.origin, rule,
      detail: `Transit gateway ${tgw.name} (${tgw.id}, ASN ${tgw.asn}) looks up ${formatV4(p.dst)} in ${table.name} (${table.id}), the table associated with ${from.name}: ${route.text}${shadowed.length ? `, preferred over ${shadowed.map(s => s.text).join(', ')} (static > VPC > Direct Connect gateway > VPN)` : ''}.`,
      stack: () => innerStack(p),
    });
  }
  switch (to.kind) {
    case 'vpc': return tgwIntoVpc(w, to, p, az);
    case 'vpn': {
      if (!to.vpn) return badAttachment(w, to, `Attachment ${to.name} names no VPN connection of this gateway.`);
      if (!w.leg(TGW_VPN_MTU, { component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
      if (w.record) w.hop({
        component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', action: 'forward', origin: to.origin,
        detail: `Transit gateway ${tgw.name} sends the packet to VPN attachment ${to.name} (${to.id}); MTU ${TGW_VPN_MTU} towards a VPN.`,
        mtu: TGW_VPN_MTU,
      });
      return toSiteOverVpn(w, to.vpn, p, `Transit gateway ${tgw.name}`);
    }
    case 'direct-connect-gateway': {
      const dxgw = to.dxgw;
      if (!dxgw) return badAttachment(w, to, `Attachment ${to.name} names no Direct Connect gateway.`);
      const dx = dxgw.connections.find(c => !!siteHostAt(c.site, p.dst));
      if (!dx) {
        return w.fail({
          component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', origin: dxgw.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
          detail: `Direct Connect gateway ${dxgw.name} has no virtual interface to a site that holds ${formatV4(p.dst)}.`,
        });
      }
      if (!w.leg(TGW_MTU, { component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
      if (w.record) w.hop({
        component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', action: 'forward', origin: to.origin,
        detail: `Transit gateway ${tgw.name} sends the packet to Direct Connect gateway ${dxgw.name} (attachment ${to.name}).`,
        mtu: TGW_MTU,
      });
      if (w.record) w.hop({
        component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', action: 'route', origin: dxgw.origin,
        detail: `Direct Connect gateway ${dxgw.name} (${dxgw.id}) sends ${formatV4(p.dst)} to the transit virtual interface ${dx.name} of site ${dx.site.name}.`,
      });
      return toSiteOverDx(w, dx, p, `Direct Connect gateway ${dxgw.name}`);
    }
    case 'peering': {
      const peer = to.peer;
      const back = peer ? attachmentTo(peer, tgw) : undefined;
      if (!peer || !back) {
        return badAttachment(w, to, `Peering attachment ${to.name} has no matching peering attachment on ${peer ? `transit gateway ${peer.name}` : 'the other gateway'}.`);
      }
      if (!w.leg(TGW_MTU, { component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
      if (w.record) w.hop({
        component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', action: 'forward', origin: to.origin,
        detail: `Transit gateway ${tgw.name} sends the packet over peering attachment ${to.name} to transit gateway ${peer.name}${peer.region !== tgw.region ? ` in ${peer.region}` : ''}; MTU ${TGW_MTU}.`,
        mtu: TGW_MTU,
      });
      return tgwFromAttachment(w, back, p, undefined);
    }
  }
}

/** The physical network between a host and the gateway's interface: a leg of at most 8500 bytes. */
function tgwUnderlay(w: Walker, from: Underlaid, to: Underlaid): void {
  if (w.record) w.hop({
    component: 'underlay', kind: 'underlay', place: 'underlay', action: 'forward', mtu: TGW_MTU,
    detail: `The physical network carries the encapsulated packet from ${from.underlay} to ${to.underlay} (transit gateway traffic: at most ${TGW_MTU} bytes).`,
  });
}

function badAttachment(w: Walker, att: CTgwAttachment, detail: string): undefined {
  return w.fail({ component: att.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', origin: att.origin, code: Codes.BAD_STATE_ATTACHMENT, detail });
}

/**
 * The attachment interface a packet leaving the gateway into a VPC uses, remembered for middlebox.ts
 * (a reply sent into another AZ): appliance mode hashes the flow (`hash`, the same both ways), else the
 * zone the packet came from, else the hash. `why` is text for the recorded hop only. Both families.
 */
export function attachmentEniInto(w: Walker, att: CTgwAttachment & { kind: 'vpc' }, az: string | undefined, hash: number): { eni: CTgwEni; why: () => string } {
  const same = att.applianceMode ? undefined : eniIn(att, az);
  const eni = same ?? att.enis[hash % att.enis.length];
  const why = () => att.applianceMode ? `appliance mode: a hash of the flow picks ${eni.subnet.az} for both directions`
    : same ? `without appliance mode the gateway stays in the zone the packet came from (${az})`
      : az ? `no attachment subnet in ${az}, the zone the packet came from: a hash of the flow picks ${eni.subnet.az}`
        : `the packet came from a VPN, Direct Connect or peering attachment, which has no zone: a hash of the flow picks ${eni.subnet.az}`;
  const state = walkState(w);
  if (w.direction === 'forward') { if (!state.tgwForward.has(att)) state.tgwForward.set(att, eni); }
  else state.tgwReturn = { attachment: att, eni };
  return { eni, why };
}

/** Out of the gateway into a VPC through one of the attachment's subnets. */
function tgwIntoVpc(w: Walker, att: CTgwAttachment & { kind: 'vpc' }, p: Packet, az: string | undefined): Arrival | undefined {
  const tgw = att.tgw;
  const vpc = att.vpc;
  if (!vpc || att.enis.length === 0) return badAttachment(w, att, `Attachment ${att.name} has no subnet in VPC ${att.vpc?.name ?? '?'}.`);
  const { eni, why } = attachmentEniInto(w, att, az, symmetricFlowHash(p));
  if (!w.leg(TGW_MTU, { component: att.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
  if (w.record) w.hop({
    component: att.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', action: 'encapsulate', origin: att.origin,
    detail: `Transit gateway ${tgw.name} sends the packet into VPC ${vpc.name} through attachment ${att.name} (${att.id}), interface ${eni.eniId} in subnet ${eni.subnet.name} (${why()}). MTU ${TGW_MTU}.`,
    stack: () => encapsulatedStack(p, { outerSrc: tgw.underlay, outerDst: eni.underlay, vpcId: vpc.id, srcInterface: tgw.id, dstInterface: eni.eniId }),
    mtu: TGW_MTU,
  });
  const subnet = eni.subnet;
  // Traffic from the gateway is routed by the attachment subnet's route table (§3.8). A destination in
  // the attachment subnet itself is delivered without a network ACL check (TGW-NACL, same subnet).
  if (isOnLink(subnet, p.dst)) {
    const node = vpc.services.byIp.get(p.dst);
    if (node) return arriveAtService(w, node, p, eni, subnet, true);
    const found = resolveInVpc(vpc, p.dst);
    if (!found.found) return w.fail({ component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place: 'hyperplane', code: found.code, detail: found.reason });
    w.underlay(eni, found.iface);
    return w.deliverToInterface(found.iface, p, subnet, eni, false);
  }
  if (!w.networkAcl(subnet, 'outbound', p, 'hyperplane')) return undefined;
  return w.route(eni, subnet, p);
}
