/**
 * IPv6 between networks: VPC peering, transit gateways, and the targets that carry no IPv6
 * (aws-data-plane.md §3.7–§3.9). The IPv4 files (peering.ts, transit-gateway.ts) hold the same rules
 * on IPv4 numbers; this file applies them to the IPv6 view and reuses their codes and texts.
 *
 * - Peering: an active peering carries IPv6 between the two VPCs' IPv6 CIDRs only
 *   (PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, which is non-transitivity and no edge-to-edge routing); a
 *   pending peering, or one that does not connect the VPC, makes the route a blackhole
 *   (BAD_STATE_ROUTE). Delivery in the peer by the mapping service; its subnet's ACL and the
 *   interface's groups apply. MTU 9001 in a Region, 8500 between Regions.
 * - Transit gateway: routes IPv4 and IPv6 (§3.8). A VPC attachment's "IPv6 support" option (AWS
 *   default off) decides only what propagates, not what passes. EC2 API reference,
 *   CreateTransitGatewayVpcAttachmentRequestOptions / TransitGatewayVpcAttachmentOptions, Ipv6Support:
 *   "When disabled, the network interface does not receive an IPv6 address, and IPv6 routes do not
 *   propagate. The setting does not filter IPv6 traffic." So off: the VPC's IPv6 CIDRs are not
 *   propagated into the gateway's tables, while a static IPv6 route to the attachment still carries
 *   IPv6 into the VPC and IPv6 from the VPC still enters the gateway. Static IPv6 routes and blackholes
 *   as for IPv4; the same priority (static > VPC propagated), AZ restriction, ACLs of the attachment
 *   subnet (inbound on the way in, outbound on the way out unless the destination is in that subnet),
 *   appliance mode.
 * - On-premises (ipv6-site.ts): a VPN attachment whose tunnel carries IPv6 propagates the site's IPv6
 *   prefixes (BGP) or installs its IPv6 static routes (static VPN, static priority); a Direct Connect
 *   gateway attachment propagates the IPv6 prefixes of VIFs with an IPv6 peering. IPv6 routed to a VPN
 *   whose tunnel is IPv4 inside, or to a VIF without IPv6 peering, is dropped at the attachment
 *   (BAD_STATE_ATTACHMENT). Virtual private gateways carry IPv6 only over Direct Connect (VPN-ROUTE: no
 *   IPv6 VPN on a VGW).
 */
import type { CompiledNetwork, CSubnet } from './compile.js';
import type { CPeering, CTgwAttachment, CTgwRouteTable, CTransitGateway, CVpnGateway } from './between-networks.js';
import { TGW_ROUTE_RANK, type TgwRouteSource } from './between-networks.js';
import type { Origin } from './model.js';
import type { Place } from './path.js';
import { formatIp, parsePrefix, prefixContains, type Prefix } from './ip.js';
import { hash32 } from './ids.js';
import { Codes } from './codes.js';
import { VPC_MTU, type Underlaid } from './walk.js';
import { INTER_REGION_PEERING_MTU, peerOf } from './peering.js';
import { attachmentEniFor, attachmentEniInto, TGW_MTU, TGW_VPN_MTU, vpcAttachmentOf } from './transit-gateway.js';
import { attachmentTo } from './site.js';
import { encap6, fmt, inner6, type Arrival6, type Packet6, type Route6, type Sender6, type Walk6 } from './ipv6.js';
import { hyperplaneLocal6, NOT_HYPERPLANE } from './ipv6-hyperplane.js';
import { noIpv6Reason, prefixText, sitePrefixes6, siteHostAt6, toSiteOverDx6, toSiteOverVpn6, vgwEgress6 } from './ipv6-site.js';

function ruleOf(route: { text: string; origin?: Origin }) {
  return route.origin ? { text: route.text, origin: route.origin } : { text: route.text };
}

function within(prefixes: Prefix[], addr: bigint): boolean {
  return prefixes.some(c => prefixContains(c, { family: 6, value: addr }));
}

function cidrsText(prefixes: Prefix[]): string {
  return prefixes.map(c => `${formatIp({ family: 6, value: c.network })}/${c.length}`).join(', ') || 'no IPv6 CIDR';
}

// --- Peering ----------------------------------------------------------------------------------------

/** A subnet route sent the IPv6 packet to a peering connection (peering.ts routeToPeering, for IPv6). */
export function routeToPeering6(walk: Walk6, sender: Sender6, subnet: CSubnet, route: Route6, peering: CPeering, p: Packet6, place: Place): Arrival6 | undefined {
  const w = walk.w;
  const vpc = subnet.vpc;
  const table = subnet.routeTable;
  const rule = ruleOf(route);
  const peer = peerOf(w, subnet, route, rule, peering, place);
  if (!peer) return undefined;
  w.routed(table, route, place, () => `Route table ${table.name}: ${fmt(p.dst)} matches ${route.text} (longest prefix match): to peering ${peering.name}.`);
  const peerCidrs = walk.view.vpcCidrs.get(peer) ?? [];
  const ownCidrs = walk.view.vpcCidrs.get(vpc) ?? [];
  // RA PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, with the VPCs' IPv6 CIDRs.
  if (!within(peerCidrs, p.dst) || !within(ownCidrs, p.src)) {
    const which = !within(peerCidrs, p.dst)
      ? `its destination ${fmt(p.dst)} is not inside peer VPC ${peer.name}'s IPv6 CIDRs (${cidrsText(peerCidrs)}): peering is not transitive and a peer's gateways (internet, egress-only, NAT, VPN, Direct Connect, endpoints) cannot be used through it`
      : `its source ${fmt(p.src)} is not inside VPC ${vpc.name}'s IPv6 CIDRs: traffic that entered ${vpc.name} from elsewhere cannot continue over a peering (no edge-to-edge routing)`;
    return w.fail({
      component: peering.name, kind: 'peering', place: 'underlay', origin: peering.origin, code: Codes.PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, rule,
      detail: `Peering ${peering.name} only carries traffic between the two VPCs' addresses; ${which}.`,
    });
  }
  const target = walk.view.byAddr.get(p.dst);
  const mtu = peering.interRegion ? INTER_REGION_PEERING_MTU : VPC_MTU;
  const inPeer: Packet6 = { ...p, via: 'peering' };
  if (!target || target.vpc !== peer) {
    // A load balancer node or an endpoint interface of the peer (ipv6-hyperplane.ts), as peering.ts
    // hands IPv4 service addresses to arriveAtService; the packet comes from no subnet of the peer.
    if (!peer.services.byIpv6.has(p.dst)) return walk.noInterface(peer, p.dst, 'underlay');
    if (!w.leg(mtu, { component: peering.name, kind: 'peering', place: 'underlay' })) return undefined;
    if (w.record) w.hop({
      component: peering.name, kind: 'peering', place: 'underlay', action: 'forward', origin: peering.origin,
      detail: `Peering ${peering.name} (${peering.id}) carries ${fmt(p.dst)} into peer VPC ${peer.name}.`, mtu,
    });
    const served = hyperplaneLocal6(walk, sender, peer, undefined, inPeer, 'underlay');
    return served === NOT_HYPERPLANE ? walk.noInterface(peer, p.dst, 'underlay') : served;
  }
  if (!w.leg(mtu, { component: peering.name, kind: 'peering', place: 'underlay' })) return undefined;
  if (w.record) w.hop({
    component: peering.name, kind: 'peering', place: 'underlay', action: 'encapsulate', origin: peering.origin,
    detail: `Peering ${peering.name} (${peering.id}, requester ${peering.requester?.name ?? '?'}, accepter ${peering.accepter?.name ?? '?'}): the mapping service resolves ${fmt(p.dst)} in peer VPC ${peer.name} (${peer.id}) to ${target.qualified} (${target.eniId}) on ${target.host}${peering.interRegion ? '; between Regions the traffic is encrypted on the AWS backbone, MTU 8500' : ''}.`,
    stack: () => encap6(inPeer, sender.underlay, target.underlay, peer.id, sender.eniId, target.eniId), mtu,
  });
  w.underlay(sender, target);
  return walk.deliver(target, inPeer, undefined, sender, false);
}

// --- Transit gateway --------------------------------------------------------------------------------

interface TgwRoute6 { prefix: Prefix; attachment?: CTgwAttachment; blackhole: boolean; source: TgwRouteSource; text: string; origin?: Origin }

/** The IPv6 side of the transit gateways: which VPC attachments have IPv6 support, and each table's IPv6 routes. */
interface TgwView6 {
  ipv6Support: Map<CTgwAttachment, boolean>;
  routes: Map<CTgwRouteTable, TgwRoute6[]>;
  shadowed: Map<CTgwRouteTable, TgwRoute6[]>;
}

const tgwViews = new WeakMap<CompiledNetwork, TgwView6>();

function arr<T>(x: readonly T[] | undefined | null): T[] {
  return Array.isArray(x) ? x.filter(v => v !== null && v !== undefined) : [];
}

function v6(text: string | undefined): Prefix | undefined {
  const p = typeof text === 'string' ? parsePrefix(text) : undefined;
  return p && p.family === 6 ? p : undefined;
}

/** Built on the first IPv6 flow through a transit gateway, once per compiled network. */
export function tgwView6(walk: Walk6): TgwView6 {
  const network = walk.network;
  let view = tgwViews.get(network);
  if (view) return view;
  view = { ipv6Support: new Map(), routes: new Map(), shadowed: new Map() };
  for (const t of arr(network.model.transitGateways)) {
    const tgw = network.between.transitGateways.get(t.name);
    if (!tgw || tgw.origin !== t.origin) continue;
    for (const a of arr(t.attachments)) {
      const att = tgw.attachments.get(a.name);
      if (att && att.origin === a.origin && a.kind === 'vpc') view.ipv6Support.set(att, a.ipv6Support === true);
    }
    for (const rt of arr(t.routeTables)) {
      const table = tgw.routeTables.find(x => x.name === rt.name);
      if (!table || table.origin !== rt.origin) continue;
      const candidates: TgwRoute6[] = [];
      for (const r of arr(rt.routes)) {
        const prefix = v6(r.destination);
        if (!prefix) continue;
        const att = r.attachment !== undefined ? tgw.attachments.get(r.attachment) : undefined;
        candidates.push({ prefix, attachment: att, blackhole: r.blackhole || !att, source: 'static', text: r.blackhole ? `${r.destination} blackhole` : `${r.destination} -> ${r.attachment}`, origin: r.origin });
      }
      for (const name of arr(rt.propagations)) {
        const att = tgw.attachments.get(name);
        if (!att) continue;
        if (att.kind === 'vpn' && att.vpn) {
          // A VPN whose tunnel carries IPv6: its customer gateway announces the site's IPv6 prefixes over
          // BGP; a static VPN's IPv6 routes count as static routes, as for IPv4 (between-networks.ts).
          const vpn = att.vpn;
          const source: TgwRouteSource = vpn.routing === 'static' ? 'static' : 'vpn';
          for (const prefix of sitePrefixes6(network, vpn)) {
            candidates.push({ prefix, attachment: att, blackhole: false, source, text: `${prefixText(prefix)} -> ${att.name} (${vpn.routing === 'static' ? `static route of VPN ${vpn.name}` : `propagated over BGP from VPN ${vpn.name}`})`, origin: att.origin });
          }
          continue;
        }
        if (att.kind === 'direct-connect-gateway') {
          // Transit VIFs with an IPv6 BGP peering announce the site's IPv6 prefixes (DX guide, one session per family).
          for (const dx of att.dxgw?.connections ?? []) {
            for (const prefix of sitePrefixes6(network, dx)) {
              candidates.push({ prefix, attachment: att, blackhole: false, source: 'direct-connect-gateway', text: `${prefixText(prefix)} -> ${att.name} (propagated over BGP from Direct Connect ${dx.name})`, origin: att.origin });
            }
          }
          continue;
        }
        // A VPC attachment propagates its VPC's IPv6 CIDRs only with IPv6 support (§3.8).
        if (att.kind !== 'vpc' || !att.vpc || !view.ipv6Support.get(att)) continue;
        for (const prefix of walk.view.vpcCidrs.get(att.vpc) ?? []) {
          candidates.push({ prefix, attachment: att, blackhole: false, source: 'vpc', text: `${formatIp({ family: 6, value: prefix.network })}/${prefix.length} -> ${att.name} (propagated from VPC ${att.vpc.name})`, origin: att.origin });
        }
      }
      // Longest prefix, then the documented priority, then attachment order (as between-networks.ts).
      const order = [...tgw.attachments.values()];
      const declared = (r: TgwRoute6) => r.source === 'static' || !r.attachment ? -1 : order.indexOf(r.attachment);
      candidates.sort((a, b) => b.prefix.length - a.prefix.length || TGW_ROUTE_RANK[a.source] - TGW_ROUTE_RANK[b.source] || declared(a) - declared(b));
      const installed: TgwRoute6[] = [];
      const shadowed: TgwRoute6[] = [];
      const seen = new Set<string>();
      for (const route of candidates) {
        const key = `${route.prefix.network}/${route.prefix.length}`;
        if (seen.has(key)) shadowed.push(route);
        else { seen.add(key); installed.push(route); }
      }
      view.routes.set(table, installed);
      view.shadowed.set(table, shadowed);
    }
  }
  tgwViews.set(network, view);
  return view;
}

function flowHash(p: Packet6): number {
  const [a, b] = p.src < p.dst ? [p.src, p.dst] : [p.dst, p.src];
  const [pa, pb] = p.src < p.dst ? [p.srcPort ?? 0, p.dstPort ?? 0] : [p.dstPort ?? 0, p.srcPort ?? 0];
  return hash32(`${a}|${b}|${p.protocol}|${pa}|${pb}`);
}

/** A subnet route sent the IPv6 packet to a transit gateway (transit-gateway.ts routeToTransitGateway, for IPv6). */
export function routeToTransitGateway6(walk: Walk6, sender: Sender6, subnet: CSubnet, route: Route6, tgw: CTransitGateway, p: Packet6, place: Place): Arrival6 | undefined {
  const w = walk.w;
  const vpc = subnet.vpc;
  const table = subnet.routeTable;
  const att = vpcAttachmentOf(w, subnet, route, ruleOf(route), tgw, place);
  if (!att) return undefined;
  w.routed(table, route, place, () => `Route table ${table.name}: ${fmt(p.dst)} matches ${route.text} (longest prefix match): to transit gateway ${tgw.name}.`);
  const eni = attachmentEniFor(w, att, subnet, tgw);
  if (!eni) return undefined;
  // IPv6 support off does not filter IPv6 traffic (EC2 API reference, Ipv6Support): no check here.
  if (!w.leg(TGW_MTU, { component: att.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
    detail: `The mapping service sends traffic for transit gateway ${tgw.name} to its interface ${eni.eniId} in attachment subnet ${eni.subnet.name} (${eni.subnet.az}).`,
    stack: () => encap6(p, sender.underlay, eni.underlay, vpc.id, sender.eniId, eni.eniId), mtu: TGW_MTU,
  });
  tgwUnderlay(walk, sender, eni);
  // TGW-NACL: the attachment subnet's ACL checks traffic to the gateway inbound.
  if (!walk.acl(eni.subnet, 'inbound', p, 'hyperplane')) return undefined;
  return tgwFromAttachment6(walk, att, p, subnet.az);
}

function tgwUnderlay(walk: Walk6, from: Underlaid, to: Underlaid): void {
  if (walk.w.record) walk.w.hop({
    component: 'underlay', kind: 'underlay', place: 'underlay', action: 'forward', mtu: TGW_MTU,
    detail: `The physical network carries the encapsulated packet from ${from.underlay} to ${to.underlay} (transit gateway traffic: at most ${TGW_MTU} bytes).`,
  });
}

/** The IPv6 packet is in the transit gateway, having come from `from`. */
export function tgwFromAttachment6(walk: Walk6, from: CTgwAttachment, p: Packet6, az: string | undefined): Arrival6 | undefined {
  const w = walk.w;
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
  const view = tgwView6(walk);
  const route = (view.routes.get(table) ?? []).find(r => prefixContains(r.prefix, { family: 6, value: p.dst }));
  if (!route) {
    return w.fail({
      component: table.qualified, kind: 'transit-gateway-route-table', place: 'hyperplane', origin: table.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      rule: { text: `transit gateway route table ${table.name}`, ...(table.origin ? { origin: table.origin } : {}) },
      detail: `Transit gateway route table ${table.name} (associated with ${from.name}) has no IPv6 route that matches ${fmt(p.dst)} (a VPC attachment propagates its VPC's IPv6 CIDRs only with IPv6 support on; off, a static IPv6 route to it is needed).`,
    });
  }
  const rule = ruleOf(route);
  if (route.blackhole || !route.attachment) {
    return w.fail({
      component: table.qualified, kind: 'transit-gateway-route-table', place: 'hyperplane', origin: table.origin, code: Codes.TGW_RTB_BAD_STATE_ROUTE, rule,
      detail: `Transit gateway route table ${table.name}: ${fmt(p.dst)} matches ${route.text}, a blackhole route: the gateway drops the packet.`,
    });
  }
  const to = route.attachment;
  const key = `${route.prefix.network}/${route.prefix.length}`;
  const shadowed = (view.shadowed.get(table) ?? []).filter(s => `${s.prefix.network}/${s.prefix.length}` === key);
  const packet = p;
  if (w.record) w.hop({
    component: table.qualified, kind: 'transit-gateway-route-table', place: 'hyperplane', action: 'route', origin: table.origin, rule,
    detail: `Transit gateway ${tgw.name} (${tgw.id}, ASN ${tgw.asn}) looks up ${fmt(p.dst)} in ${table.name} (${table.id}), the table associated with ${from.name}: ${route.text}${shadowed.length ? `, preferred over ${shadowed.map(s => s.text).join(', ')} (static > VPC > Direct Connect gateway > VPN)` : ''}.`,
    stack: () => inner6(packet),
  });
  switch (to.kind) {
    case 'vpc': return tgwIntoVpc6(walk, to, p, az);
    case 'peering': {
      const peer = to.peer;
      const back = peer ? attachmentTo(peer, tgw) : undefined;
      if (!peer || !back) {
        return w.fail({ component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', origin: to.origin, code: Codes.BAD_STATE_ATTACHMENT, detail: `Peering attachment ${to.name} has no matching peering attachment on ${peer ? `transit gateway ${peer.name}` : 'the other gateway'}.` });
      }
      if (!w.leg(TGW_MTU, { component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
      if (w.record) w.hop({
        component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', action: 'forward', origin: to.origin,
        detail: `Transit gateway ${tgw.name} sends the IPv6 packet over peering attachment ${to.name} to transit gateway ${peer.name}${peer.region !== tgw.region ? ` in ${peer.region}` : ''}; MTU ${TGW_MTU}.`, mtu: TGW_MTU,
      });
      return tgwFromAttachment6(walk, back, p, undefined);
    }
    case 'vpn': {
      const vpn = to.vpn;
      if (!vpn) return w.fail({ component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', origin: to.origin, code: Codes.BAD_STATE_ATTACHMENT, detail: `Attachment ${to.name} names no VPN connection of this gateway.` });
      // A static route may send IPv6 to a VPN whose tunnel carries IPv4 only: the attachment drops it.
      const why = noIpv6Reason(walk.network, vpn);
      if (why) {
        return w.fail({ component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', origin: to.origin, code: Codes.BAD_STATE_ATTACHMENT, rule, detail: `Transit gateway ${tgw.name} sends ${fmt(p.dst)} to VPN attachment ${to.name} (${route.text}), but ${why}.` });
      }
      if (!w.leg(TGW_VPN_MTU, { component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
      if (w.record) w.hop({
        component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', action: 'forward', origin: to.origin,
        detail: `Transit gateway ${tgw.name} sends the IPv6 packet to VPN attachment ${to.name} (${to.id}, tunnel inside IPv6); MTU ${TGW_VPN_MTU} towards a VPN.`, mtu: TGW_VPN_MTU,
      });
      return toSiteOverVpn6(walk, vpn, p, `Transit gateway ${tgw.name}`);
    }
    case 'direct-connect-gateway': {
      const dxgw = to.dxgw;
      if (!dxgw) return w.fail({ component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', origin: to.origin, code: Codes.BAD_STATE_ATTACHMENT, detail: `Attachment ${to.name} names no Direct Connect gateway.` });
      const holders = dxgw.connections.filter(c => !!siteHostAt6(walk.network, c.site, p.dst));
      const dx = holders.find(c => !noIpv6Reason(walk.network, c)) ?? holders[0];
      if (!dx) {
        return w.fail({
          component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', origin: dxgw.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
          detail: `Direct Connect gateway ${dxgw.name} has no virtual interface to a site that holds ${fmt(p.dst)}.`,
        });
      }
      if (!w.leg(TGW_MTU, { component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
      if (w.record) w.hop({
        component: to.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', action: 'forward', origin: to.origin,
        detail: `Transit gateway ${tgw.name} sends the IPv6 packet to Direct Connect gateway ${dxgw.name} (attachment ${to.name}).`, mtu: TGW_MTU,
      });
      if (w.record) w.hop({
        component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', action: 'route', origin: dxgw.origin,
        detail: `Direct Connect gateway ${dxgw.name} (${dxgw.id}) sends ${fmt(p.dst)} to the transit virtual interface ${dx.name} of site ${dx.site.name}.`,
      });
      return toSiteOverDx6(walk, dx, p, `Direct Connect gateway ${dxgw.name}`);
    }
  }
}

/** Out of the gateway into a VPC through one of the attachment's subnets (transit-gateway.ts tgwIntoVpc, for IPv6). */
function tgwIntoVpc6(walk: Walk6, att: CTgwAttachment & { kind: 'vpc' }, p: Packet6, az: string | undefined): Arrival6 | undefined {
  const w = walk.w;
  const tgw = att.tgw;
  const vpc = att.vpc;
  if (!vpc || att.enis.length === 0) {
    return w.fail({ component: att.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', origin: att.origin, code: Codes.BAD_STATE_ATTACHMENT, detail: `Attachment ${att.name} has no subnet in VPC ${att.vpc?.name ?? '?'}.` });
  }
  // Reached by a static IPv6 route when IPv6 support is off: "The setting does not filter IPv6 traffic."
  const ipv6Support = tgwView6(walk).ipv6Support.get(att) === true;
  const { eni, why } = attachmentEniInto(w, att, az, flowHash(p));
  if (!w.leg(TGW_MTU, { component: att.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane' }, true)) return undefined;
  if (w.record) w.hop({
    component: att.qualified, kind: 'transit-gateway-attachment', place: 'hyperplane', action: 'encapsulate', origin: att.origin,
    detail: `Transit gateway ${tgw.name} sends the IPv6 packet into VPC ${vpc.name} through attachment ${att.name} (${att.id}, IPv6 support ${ipv6Support ? 'on' : 'off: its interfaces have no IPv6 address and its VPC\'s IPv6 CIDRs do not propagate, but IPv6 traffic is not filtered'}), interface ${eni.eniId} in subnet ${eni.subnet.name} (${why()}). MTU ${TGW_MTU}.`,
    stack: () => encap6(p, tgw.underlay, eni.underlay, vpc.id, tgw.id, eni.eniId), mtu: TGW_MTU,
  });
  const subnet = eni.subnet;
  const sub6 = walk.view.subnet.get(subnet);
  // Routed by the attachment subnet's table; a destination in that subnet itself: no ACL at all (TGW-NACL).
  if (sub6 && prefixContains(sub6, { family: 6, value: p.dst })) {
    const target = walk.view.byAddr.get(p.dst);
    if (!target || target.vpc !== vpc) {
      const served = hyperplaneLocal6(walk, eni, vpc, subnet, p, 'hyperplane');
      return served === NOT_HYPERPLANE ? walk.noInterface(vpc, p.dst, 'hyperplane') : served;
    }
    w.underlay(eni, target);
    return walk.deliver(target, p, subnet, eni, false);
  }
  if (!walk.acl(subnet, 'outbound', p, 'hyperplane')) return undefined;
  return walk.route(eni, subnet, p, 'hyperplane');
}

// --- Targets without IPv6 ---------------------------------------------------------------------------

/**
 * An IPv6 route to the VPC's virtual private gateway: IPv6 only over Direct Connect (ipv6-site.ts);
 * VGWs do not support IPv6 VPN (VPN-ROUTE, §3.9).
 */
export function routeToVpnGateway6(walk: Walk6, sender: Sender6, subnet: CSubnet, route: Route6, vgw: CVpnGateway, p: Packet6, place: Place): Arrival6 | undefined {
  const w = walk.w;
  const table = subnet.routeTable;
  w.routed(table, route, place, () => `Route table ${table.name}: ${fmt(p.dst)} matches ${route.text} (longest prefix match): to virtual private gateway ${vgw.name}.`);
  if (vgw.vpc !== subnet.vpc) {
    return w.fail({ component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.BAD_STATE_ROUTE, rule: ruleOf(route), detail: `Route ${route.text} names virtual private gateway ${vgw.qualified}, which is attached to VPC ${vgw.vpc.name}, not ${subnet.vpc.name}: a blackhole.` });
  }
  return vgwEgress6(walk, sender, subnet, route, vgw, p, place);
}

/** An IPv6 route to an SDDC: vnet's SDDC segments and routes are IPv4 (vmc.ts). */
export function routeToSddc6(walk: Walk6, subnet: CSubnet, route: Route6, name: string, p: Packet6, place: Place): Arrival6 | undefined {
  const table = subnet.routeTable;
  return walk.w.fail({
    component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.NO_ROUTE_TO_DESTINATION, rule: ruleOf(route),
    detail: `Route ${route.text} sends ${fmt(p.dst)} to SDDC ${name}, whose management network and segments are IPv4 in this model: no interface of the SDDC holds an IPv6 address.`,
  });
}
