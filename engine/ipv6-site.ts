/**
 * IPv6 to and from on-premises sites: Site-to-Site VPN with IPv6 inside the tunnel, Direct Connect
 * virtual interfaces with an IPv6 BGP peering, and the virtual private gateway's IPv6 over Direct
 * Connect (aws-data-plane.md §3.9, §4, §5.3, §5.4). site.ts holds the same legs for IPv4.
 *
 * Rules modelled, with their sources:
 * - A VPN connection carries ONE family inside its tunnels: "Your Site-to-Site VPN connection on a
 *   transit gateway can support either IPv4 traffic or IPv6 traffic inside the VPN tunnels" (VPN guide,
 *   "IPv4 and IPv6 traffic in AWS Site-to-Site VPN"); `tunnelInside` defaults to ipv4. A dual-stack site
 *   needs two connections. "IPv4 outer tunnel with IPv6 inner packets … is not supported for virtual
 *   private gateways" (same page; VPN-ROUTE "VGWs do not support IPv6"): an ipv6-inside VPN only works
 *   on a transit gateway.
 * - The outer packets stay IPv4 between the outside addresses (OutsideIpAddressType default PublicIpv4,
 *   EC2 API VpnConnectionOptionsSpecification; vnet does not model IPv6 outside addresses); the ESP
 *   trailer's next header is 41 (IPv6). Tunnel MTU 1446 as for IPv4 (§4, AES-GCM without NAT-T: the
 *   outer overhead does not depend on the inner family); the TCP MSS inside is 1446 − 40 (IPv6 header,
 *   RFC 8200) − 20 (TCP) = 1386, 20 bytes below IPv4's 1406.
 * - Direct Connect: "A virtual interface can support a single IPv4 BGP peering session and a single IPv6
 *   BGP peering session … IPv4 and IPv6 operate in dual-stack mode for the virtual interface" (DX guide,
 *   "Add a BGP peer"); private and transit VIFs both take IPv6 peerings (whitepaper "IPv6 on AWS",
 *   Hybrid connectivity design). A VIF without the IPv6 peering (`ipv6`) carries no IPv6. The 802.1Q tag's
 *   type is 0x86DD. A private VIF to a virtual private gateway carries IPv6 (the VGW advertises the VPC's
 *   IPv6 CIDR over it, same whitepaper: "Advertising IPv6 prefixes from AWS"): the VGW's IPv6 is Direct
 *   Connect only.
 * - BGP: the customer gateway announces the site's IPv6 prefixes over links that carry IPv6 (an
 *   ipv6-inside VPN, a VIF with IPv6 peering); they propagate into transit gateway tables (VPN source,
 *   Direct Connect gateway source) and, over Direct Connect, into VPC tables that propagate the VGW. AWS
 *   announces back the VPC IPv6 CIDRs (VGW, DX gateway) or the IPv6 routes of the table associated with
 *   the attachment (transit gateway). A static VPN with an IPv6 tunnel carries its IPv6 static routes.
 * - Ingress through a VGW for IPv6 is delivered by the mapping service: "VGWs don't support IPv6
 *   interception" (VPC-RTOPT, §3.3), so the VGW's gateway route table does not route IPv6.
 * - A packet sent into a link that does not carry IPv6 (the site router's static route into an
 *   ipv4-inside tunnel, a transit gateway static route to such a VPN attachment, a VIF without IPv6
 *   peering) is dropped there: BAD_STATE_ATTACHMENT (RA: the attachment between components is not
 *   functional), naming the tunnel's inside version.
 */
import type { CompiledNetwork, CSubnet, CVpc } from './compile.js';
import type { CConnection, CDirectConnect, CSite, CTgwAttachment, CVpnConnection, CVpnGateway } from './between-networks.js';
import type { EndpointRef, Origin } from './model.js';
import type { Header, Place } from './path.js';
import { formatIp, parseIp, parsePrefix, prefixContains, type Prefix } from './ip.js';
import { macAddress } from './ids.js';
import { formatV4 } from './ipv4.js';
import { Codes } from './codes.js';
import { VPC_MTU } from './walk.js';
import { attachmentTo, connectionRank, connectionText, dot1qHeaders, espHeaders, espSpi, SITE_LAN_MTU, VPN_TUNNEL_MTU } from './site.js';
import { encap6, fmt, frame6, inner6, type Arrival6, type Packet6, type Route6, type Sender6, type Walk6 } from './ipv6.js';
import { tgwFromAttachment6, tgwView6 } from './ipv6-between.js';
import { hyperplaneLocal6, NOT_HYPERPLANE } from './ipv6-hyperplane.js';

/** TCP MSS inside a VPN tunnel for IPv6: the tunnel MTU 1446 − 40 (IPv6) − 20 (TCP). */
export const VPN_TUNNEL_MSS6 = 1386;

/** A host of a site with an IPv6 address: declared, or an undeclared machine inside the site's IPv6 prefixes. */
export interface SiteHost6 {
  name: string;
  qualified: string;
  addr: bigint;
  site: CSite;
  mac: string;
  origin?: Origin;
  declared: boolean;
}

interface SiteStaticRoute6 { prefix: Prefix; connection: CConnection; text: string; origin?: Origin }

/** The IPv6 side of the sites and their links, built once per compiled network on the first use. */
export interface SiteView6 {
  prefixes: Map<CSite, Prefix[]>;
  hosts: Map<CSite, SiteHost6[]>;
  /** `site.host` of hosts declared with an IPv4 address (an IPv6 flow naming one is an endpoint error). */
  v4Hosts: Set<string>;
  staticRoutes: Map<CSite, SiteStaticRoute6[]>;
  tunnelInside: Map<CVpnConnection, 'ipv4' | 'ipv6'>;
  /** A static VPN's IPv6 static routes. */
  vpnStatic6: Map<CVpnConnection, Prefix[]>;
  dxIpv6: Map<CDirectConnect, boolean>;
}

const views = new WeakMap<CompiledNetwork, SiteView6>();

function arr<T>(x: readonly T[] | undefined | null): T[] {
  return Array.isArray(x) ? x.filter(v => v !== null && v !== undefined) : [];
}

function v6Prefix(text: unknown): Prefix | undefined {
  const p = typeof text === 'string' ? parsePrefix(text) : undefined;
  return p && p.family === 6 ? p : undefined;
}

function v6Addr(text: unknown): bigint | undefined {
  const a = typeof text === 'string' ? parseIp(text) : undefined;
  return a && a.family === 6 ? a.value : undefined;
}

export function prefixText(p: Prefix): string {
  return `${formatIp({ family: 6, value: p.network })}/${p.length}`;
}

function within(prefixes: readonly Prefix[], addr: bigint): boolean {
  return prefixes.some(c => prefixContains(c, { family: 6, value: addr }));
}

export function siteView6(network: CompiledNetwork): SiteView6 {
  let view = views.get(network);
  if (view) return view;
  view = { prefixes: new Map(), hosts: new Map(), v4Hosts: new Set(), staticRoutes: new Map(), tunnelInside: new Map(), vpnStatic6: new Map(), dxIpv6: new Map() };
  const b = network.between;
  for (const s of arr(network.model.sites)) {
    const site = b?.sites.get(s.name);
    if (!site || site.origin !== s.origin) continue;
    view.prefixes.set(site, arr(s.cidrs).map(v6Prefix).filter((p): p is Prefix => !!p));
    const hosts: SiteHost6[] = [];
    for (const h of arr(s.hosts)) {
      if (typeof h.name !== 'string' || hosts.some(x => x.name === h.name)) continue;
      const addr = v6Addr(h.ip);
      if (addr === undefined) { view.v4Hosts.add(`${s.name}.${h.name}`); continue; }
      hosts.push({ name: h.name, qualified: `${s.name}.${h.name}`, addr, site, mac: macAddress(`site-host:${s.name}.${h.name}`), origin: h.origin, declared: true });
    }
    view.hosts.set(site, hosts);
  }
  for (const v of arr(network.model.vpns)) {
    const vpn = b?.vpns.get(v.name);
    if (!vpn || vpn.origin !== v.origin) continue;
    view.tunnelInside.set(vpn, v.tunnelInside === 'ipv6' ? 'ipv6' : 'ipv4');
    view.vpnStatic6.set(vpn, v.routing === 'static' ? arr(v.staticRoutes).map(v6Prefix).filter((p): p is Prefix => !!p) : []);
  }
  for (const d of arr(network.model.directConnects)) {
    const dx = b?.directConnects.get(d.name);
    if (dx && dx.origin === d.origin) view.dxIpv6.set(dx, d.ipv6 === true);
  }
  // The router's static routes for IPv6 prefixes (Site.routes), into one of the site's own links.
  for (const s of arr(network.model.sites)) {
    const site = b?.sites.get(s.name);
    if (!site || site.origin !== s.origin) continue;
    const routes: SiteStaticRoute6[] = [];
    for (const r of arr(s.routes)) {
      const prefix = v6Prefix(r.destination);
      const connection = site.connections.find(c => c.name === r.via);
      if (prefix && connection) routes.push({ prefix, connection, text: `${r.destination} -> ${r.via}`, origin: r.origin });
    }
    view.staticRoutes.set(site, routes);
  }
  views.set(network, view);
  return view;
}

/** Why a link carries no IPv6, or undefined when it does. */
export function noIpv6Reason(network: CompiledNetwork, c: CConnection): string | undefined {
  const view = siteView6(network);
  if (c.kind === 'dx') {
    return view.dxIpv6.get(c) ? undefined
      : `Direct Connect ${c.name} (VLAN ${c.vlan}) has no IPv6 BGP peering: a virtual interface carries IPv6 only with its own IPv6 session (one session per family)`;
  }
  const inside = view.tunnelInside.get(c) ?? 'ipv4';
  if (inside === 'ipv4') {
    return `VPN ${c.name} has tunnel inside IP version ipv4: a Site-to-Site VPN connection carries either IPv4 or IPv6 inside its tunnels, not both (a dual-stack site needs a second connection with tunnel-inside ipv6)`;
  }
  if (c.gateway?.kind !== 'tgw') {
    return `VPN ${c.name} ends at ${c.gateway ? `virtual private gateway ${c.gateway.vgw.qualified}` : 'no gateway'}: IPv6 inside a VPN tunnel is supported only on a transit gateway (virtual private gateways do not support IPv6 VPN)`;
  }
  return undefined;
}

/** The prefixes a site announces over IPv6 on one link (BGP: its IPv6 prefixes; a static VPN: its IPv6 static routes). */
export function sitePrefixes6(network: CompiledNetwork, c: CConnection): Prefix[] {
  if (noIpv6Reason(network, c)) return [];
  const view = siteView6(network);
  if (c.kind === 'vpn' && c.routing === 'static') return view.vpnStatic6.get(c) ?? [];
  return view.prefixes.get(c.site) ?? [];
}

/** What a virtual private gateway knows for IPv6: the IPv6 prefixes of Direct Connect VIFs with IPv6 peering. */
export function vgwPrefixes6(network: CompiledNetwork, vgw: CVpnGateway): { prefix: Prefix; connection: CDirectConnect }[] {
  const out: { prefix: Prefix; connection: CDirectConnect }[] = [];
  for (const c of vgw.connections) {
    if (c.kind !== 'dx') continue;
    for (const prefix of sitePrefixes6(network, c)) out.push({ prefix, connection: c });
  }
  return out;
}

/** What AWS announces to the site for IPv6 over one link (nothing over a link that carries no IPv6). */
export function announced6(walk: Walk6, c: CConnection): Prefix[] {
  if (noIpv6Reason(walk.network, c)) return [];
  const vpcCidrs = (vpc: CVpc) => walk.view.vpcCidrs.get(vpc) ?? [];
  const tgwRoutes = (att: CTgwAttachment | undefined) =>
    att?.association ? (tgwView6(walk).routes.get(att.association) ?? []).filter(r => !r.blackhole && r.attachment !== att).map(r => r.prefix) : [];
  if (c.kind === 'vpn') {
    if (c.gateway?.kind !== 'tgw') return [];
    return tgwRoutes(attachmentTo(c.gateway.tgw, c));
  }
  if (c.gateway?.kind === 'vgw') return vpcCidrs(c.gateway.vgw.vpc);
  if (c.gateway?.kind === 'dxgw') {
    const dxgw = c.gateway.dxgw;
    const out = dxgw.vgws.flatMap(g => vpcCidrs(g.vpc));
    for (const tgw of dxgw.tgws) out.push(...tgwRoutes(attachmentTo(tgw, dxgw)));
    return out;
  }
  return [];
}

interface SiteLink6 { connection: CConnection; prefix: Prefix; staticRoute?: { text: string; origin?: Origin } }

/** The site router's link for an IPv6 address: longest prefix; its static route wins a tie; then DX > static VPN > BGP VPN (site.ts siteLinkTo). */
function siteLinkTo6(walk: Walk6, site: CSite, dst: bigint): SiteLink6 | undefined {
  let best: SiteLink6 | undefined;
  for (const r of siteView6(walk.network).staticRoutes.get(site) ?? []) {
    if (prefixContains(r.prefix, { family: 6, value: dst }) && (!best || r.prefix.length > best.prefix.length)) {
      best = { connection: r.connection, prefix: r.prefix, staticRoute: { text: r.text, ...(r.origin ? { origin: r.origin } : {}) } };
    }
  }
  for (const connection of site.connections) {
    for (const prefix of announced6(walk, connection)) {
      if (!prefixContains(prefix, { family: 6, value: dst })) continue;
      if (!best || prefix.length > best.prefix.length
        || (prefix.length === best.prefix.length && !best.staticRoute && connectionRank(connection) < connectionRank(best.connection))) {
        best = { connection, prefix };
      }
    }
  }
  return best;
}

/** The site host that holds an IPv6 address: declared, else an undeclared machine inside the site's IPv6 prefixes. */
export function siteHostAt6(network: CompiledNetwork, site: CSite, addr: bigint): SiteHost6 | undefined {
  const view = siteView6(network);
  const declared = view.hosts.get(site)?.find(h => h.addr === addr);
  if (declared) return declared;
  if (!within(view.prefixes.get(site) ?? [], addr)) return undefined;
  const text = fmt(addr);
  return { name: text, qualified: `${site.name}.${text}`, addr, site, mac: macAddress(`site-host:${site.name}.${text}`), declared: false };
}

/** Any site's host at an IPv6 address. */
export function siteHostByIp6(network: CompiledNetwork, addr: bigint): SiteHost6 | undefined {
  const sites = network.between ? [...network.between.sites.values()] : [];
  for (const site of sites) { const h = siteView6(network).hosts.get(site)?.find(x => x.addr === addr); if (h) return h; }
  for (const site of sites) { const h = siteHostAt6(network, site, addr); if (h) return h; }
  return undefined;
}

/** Whether an endpoint names a site host declared with an IPv6 address (the flow is then IPv6). */
export function isSiteHost6(network: CompiledNetwork, ref: EndpointRef): boolean {
  if (ref?.kind !== 'site-host') return false;
  const site = network.between?.sites.get(ref.site);
  return !!site && !!siteView6(network).hosts.get(site)?.some(h => h.name === ref.name);
}

/** A site host named in an IPv6 flow, or why it cannot take part. */
export function resolveSiteHost6(network: CompiledNetwork, ref: { site: string; name: string }): SiteHost6 | { code: string; reason: string; component?: string } {
  const b = network.between;
  const site = b?.sites.get(ref.site);
  if (!site) {
    if (b?.sddcs.get(ref.site)) return { code: Codes.INVALID_CONFIGURATION, component: `${ref.site}.${ref.name}`, reason: `${ref.site}.${ref.name} is a host of SDDC ${ref.site}, whose segments are IPv4 in this model: it cannot take part in an IPv6 flow.` };
    return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no host ${ref.name} in site or SDDC ${ref.site}.` };
  }
  const view = siteView6(network);
  const host = view.hosts.get(site)?.find(h => h.name === ref.name);
  if (host) return host;
  if (view.v4Hosts.has(`${ref.site}.${ref.name}`)) {
    return { code: Codes.INVALID_CONFIGURATION, component: `${ref.site}.${ref.name}`, reason: `${ref.site}.${ref.name} has no IPv6 address (a site host has one address, and this one is IPv4), so it cannot take part in an IPv6 flow.` };
  }
  return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no host ${ref.name} in site ${ref.site}.` };
}

/** The IPv4 address a site host was declared with, for a family-4 flow that names an IPv6 host. */
export function siteHostIpv6Text(network: CompiledNetwork, ref: EndpointRef): string | undefined {
  if (ref?.kind !== 'site-host') return undefined;
  const site = network.between?.sites.get(ref.site);
  const h = site ? siteView6(network).hosts.get(site)?.find(x => x.name === ref.name) : undefined;
  return h ? fmt(h.addr) : undefined;
}

function hostLabel(h: SiteHost6): string {
  return h.declared ? `${h.qualified} (${fmt(h.addr)})` : `the machine at ${fmt(h.addr)} in site ${h.site.name}`;
}

function esp6(p: Packet6, outerSrc: number, outerDst: number, spi: string): Header[] {
  return [...espHeaders(outerSrc, outerDst, spi, 'ipv6'), ...inner6(p)];
}

function dot1q6(p: Packet6, srcMac: string, dstMac: string, vlan: number): Header[] {
  return [...dot1qHeaders(srcMac, dstMac, vlan, 'ipv6'), ...inner6(p)];
}

function linkKind(c: CConnection): 'vpn' | 'direct-connect' {
  return c.kind === 'dx' ? 'direct-connect' : 'vpn';
}

/** The link does not carry IPv6: BAD_STATE_ATTACHMENT at the link. */
function noIpv6(walk: Walk6, c: CConnection, why: string): undefined {
  return walk.w.fail({ component: c.name, kind: linkKind(c), place: 'blackfoot', origin: c.origin, code: Codes.BAD_STATE_ATTACHMENT, detail: `${why}, so it drops this IPv6 packet.` });
}

// --- The site's side ---------------------------------------------------------------------------------

/** The packet arrives at the site's router from AWS: delivered to the host holding the IPv6 address. */
export function deliverInSite6(walk: Walk6, site: CSite, p: Packet6): Arrival6 | undefined {
  const w = walk.w;
  const host = siteHostAt6(walk.network, site, p.dst);
  if (!host) {
    const own = siteView6(walk.network).prefixes.get(site) ?? [];
    return w.fail({
      component: site.name, kind: 'site', place: 'peer', origin: site.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      detail: `${fmt(p.dst)} is not inside site ${site.name}'s IPv6 prefixes (${own.map(prefixText).join(', ') || 'none'}), so its router has nowhere to send it.`,
    });
  }
  if (!w.leg(SITE_LAN_MTU, { component: site.name, kind: 'site', place: 'peer' })) return undefined;
  if (w.record) w.hop({
    component: host.qualified, kind: 'host', place: w.receiverPlace, action: 'deliver', origin: host.origin,
    detail: `Site ${site.name}'s router delivers the IPv6 packet on its LAN to ${hostLabel(host)}.`,
    stack: () => frame6(p, site.routerMac, host.mac), mtu: SITE_LAN_MTU,
  });
  return { kind: 'site-host', host, packet: p };
}

/** From AWS to the site over an ipv6-inside VPN: ESP in outer IPv4, next header 41. */
export function toSiteOverVpn6(walk: Walk6, vpn: CVpnConnection, p: Packet6, from: string): Arrival6 | undefined {
  const w = walk.w;
  const why = noIpv6Reason(walk.network, vpn);
  if (why) return noIpv6(walk, vpn, why);
  const site = vpn.site;
  // A VPN tunnel does not fragment the inner packet (§4).
  if (!w.leg(VPN_TUNNEL_MTU, { component: vpn.name, kind: 'vpn', place: 'blackfoot' }, true)) return undefined;
  if (w.record) w.hop({
    component: vpn.name, kind: 'vpn', place: 'blackfoot', action: 'encapsulate', origin: vpn.origin,
    detail: `${from} sends the IPv6 packet into VPN ${vpn.name} (${vpn.id}, tunnel inside IPv6, tunnel 1 of 2): the VPN endpoint ${formatV4(vpn.awsOutsideIp)} wraps it in IPsec ESP (tunnel mode, outer IPv4) to customer gateway ${formatV4(site.customerGatewayIp)}. Tunnel MTU ${VPN_TUNNEL_MTU}, MSS ${VPN_TUNNEL_MSS6} for IPv6 (40-byte IPv6 header).`,
    stack: () => esp6(p, vpn.awsOutsideIp, site.customerGatewayIp, espSpi(vpn, false)), mtu: VPN_TUNNEL_MTU,
  });
  if (w.record) w.hop({
    component: site.name, kind: 'site', place: 'peer', action: 'decapsulate', origin: site.origin,
    detail: `Customer gateway ${formatV4(site.customerGatewayIp)} (ASN ${site.asn}) decrypts the ESP packet (SPI ${espSpi(vpn, false)}) and routes the inner IPv6 packet.`,
    stack: () => inner6(p),
  });
  return deliverInSite6(walk, site, p);
}

/** From AWS to the site over a Direct Connect VIF with IPv6 peering: 802.1Q, type 0x86DD. */
export function toSiteOverDx6(walk: Walk6, dx: CDirectConnect, p: Packet6, from: string): Arrival6 | undefined {
  const w = walk.w;
  const why = noIpv6Reason(walk.network, dx);
  if (why) return noIpv6(walk, dx, why);
  const site = dx.site;
  if (!w.leg(dx.mtu, { component: dx.name, kind: 'direct-connect', place: 'blackfoot' })) return undefined;
  if (w.record) w.hop({
    component: dx.name, kind: 'direct-connect', place: 'blackfoot', action: 'encapsulate', origin: dx.origin,
    detail: `${from} sends the IPv6 packet over Direct Connect ${dx.name} (${dx.id}, IPv6 BGP peering): the edge frames it with an 802.1Q tag, VLAN ${dx.vlan}, towards site ${site.name}'s router. MTU ${dx.mtu}.`,
    stack: () => dot1q6(p, dx.edgeMac, site.routerMac, dx.vlan), mtu: dx.mtu,
  });
  if (w.record) w.hop({
    component: site.name, kind: 'site', place: 'peer', action: 'decapsulate', origin: site.origin,
    detail: `Site ${site.name}'s router takes the frame off VLAN ${dx.vlan} and routes the IPv6 packet.`,
    stack: () => inner6(p),
  });
  return deliverInSite6(walk, site, p);
}

/** A site host sends an IPv6 packet: its router picks the link whose AWS side announces the destination. */
export function fromSiteHost6(walk: Walk6, host: SiteHost6, p: Packet6): Arrival6 | undefined {
  const w = walk.w;
  const site = host.site;
  if (!w.leg(SITE_LAN_MTU, { component: host.qualified, kind: 'host', place: w.senderPlace })) return undefined;
  if (w.record) w.hop({
    component: host.qualified, kind: 'host', place: w.senderPlace, action: 'send', origin: host.origin,
    detail: `${hostLabel(host)} sends ${fmt(p.src)} → ${fmt(p.dst)} to site ${site.name}'s router.`,
    stack: () => frame6(p, host.mac, site.routerMac), mtu: SITE_LAN_MTU,
  });
  if (within(siteView6(walk.network).prefixes.get(site) ?? [], p.dst)) return deliverInSite6(walk, site, p);
  const link = siteLinkTo6(walk, site, p.dst);
  if (!link) {
    const links = site.connections.map(c => `${connectionText(c)}${noIpv6Reason(walk.network, c) ? (c.kind === 'dx' ? ', no IPv6 peering' : ', tunnel inside IPv4') : ''}`);
    return w.fail({
      component: site.name, kind: 'site', place: 'peer', origin: site.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      detail: `Site ${site.name} has no IPv6 route to ${fmt(p.dst)}: none of its links${links.length ? ` (${links.join('; ')})` : ''} learns that prefix from AWS over IPv6, and the router has no static IPv6 route for it.`,
    });
  }
  const c = link.connection;
  const why = noIpv6Reason(walk.network, c);
  const matched = link.staticRoute ? `its static route ${link.staticRoute.text}` : `${prefixText(link.prefix)} (learned over ${connectionText(c)})`;
  if (why) {
    return w.fail({
      component: c.name, kind: linkKind(c), place: 'blackfoot', origin: c.origin, code: Codes.BAD_STATE_ATTACHMENT,
      ...(link.staticRoute ? { rule: { text: link.staticRoute.text, ...(link.staticRoute.origin ? { origin: link.staticRoute.origin } : {}) } } : {}),
      detail: `Site ${site.name}'s router sends ${fmt(p.dst)} by ${matched}, but ${why}: the IPv6 packet is dropped.`,
    });
  }
  if (c.kind === 'vpn') {
    if (!w.leg(VPN_TUNNEL_MTU, { component: site.name, kind: 'site', place: 'peer' }, true)) return undefined;
    if (w.record) w.hop({
      component: site.name, kind: 'site', place: 'peer', action: 'encapsulate', origin: site.origin,
      detail: `Site ${site.name}'s router matches ${matched}; customer gateway ${formatV4(site.customerGatewayIp)} wraps the IPv6 packet in IPsec ESP (tunnel mode, outer IPv4) to the AWS endpoint ${formatV4(c.awsOutsideIp)}. Tunnel MTU ${VPN_TUNNEL_MTU}, MSS ${VPN_TUNNEL_MSS6} for IPv6.`,
      stack: () => esp6(p, site.customerGatewayIp, c.awsOutsideIp, espSpi(c, true)), mtu: VPN_TUNNEL_MTU,
    });
    const tgw = c.gateway?.kind === 'tgw' ? c.gateway.tgw : undefined;
    if (w.record) w.hop({
      component: c.name, kind: 'vpn', place: 'blackfoot', action: 'decapsulate', origin: c.origin,
      detail: `The VPN endpoint ${formatV4(c.awsOutsideIp)} of ${c.id} decrypts the ESP packet (SPI ${espSpi(c, true)}) and hands the inner IPv6 packet to transit gateway ${tgw?.name ?? '?'}.`,
      stack: () => inner6(p),
    });
    const att = tgw ? attachmentTo(tgw, c) : undefined;
    if (!att) return w.fail({ component: c.name, kind: 'vpn', place: 'blackfoot', origin: c.origin, code: Codes.BAD_STATE_ATTACHMENT, detail: `VPN ${c.name} has no attachment on transit gateway ${tgw?.name ?? '?'}.` });
    return tgwFromAttachment6(walk, att, p, undefined);
  }
  if (!w.leg(c.mtu, { component: site.name, kind: 'site', place: 'peer' })) return undefined;
  if (w.record) w.hop({
    component: site.name, kind: 'site', place: 'peer', action: 'encapsulate', origin: site.origin,
    detail: `Site ${site.name}'s router matches ${matched} and sends the IPv6 frame tagged 802.1Q VLAN ${c.vlan}. MTU ${c.mtu}.`,
    stack: () => dot1q6(p, site.routerMac, c.edgeMac, c.vlan), mtu: c.mtu,
  });
  if (w.record) w.hop({
    component: c.name, kind: 'direct-connect', place: 'blackfoot', action: 'decapsulate', origin: c.origin,
    detail: `The edge of Direct Connect ${c.name} removes the 802.1Q tag (VLAN ${c.vlan}) and hands the IPv6 packet to ${c.gateway?.kind === 'dxgw' ? `Direct Connect gateway ${c.gateway.dxgw.name}` : c.gateway ? `virtual private gateway ${c.gateway.vgw.qualified}` : 'no gateway'}.`,
    stack: () => inner6(p),
  });
  if (c.gateway?.kind === 'vgw') return vgwIngress6(walk, c.gateway.vgw, p, connectionText(c));
  if (c.gateway?.kind === 'dxgw') {
    const dxgw = c.gateway.dxgw;
    const vgw = dxgw.vgws.find(g => within(walk.view.vpcCidrs.get(g.vpc) ?? [], p.dst));
    if (vgw) {
      if (w.record) w.hop({
        component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', action: 'route', origin: dxgw.origin,
        detail: `Direct Connect gateway ${dxgw.name} (${dxgw.id}) sends ${fmt(p.dst)} to associated virtual private gateway ${vgw.qualified}.`,
      });
      return vgwIngress6(walk, vgw, p, connectionText(c));
    }
    for (const tgw of dxgw.tgws) {
      const att = attachmentTo(tgw, dxgw);
      if (!att || !within(announced6(walk, c), p.dst)) continue;
      if (w.record) w.hop({
        component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', action: 'route', origin: dxgw.origin,
        detail: `Direct Connect gateway ${dxgw.name} (${dxgw.id}) sends ${fmt(p.dst)} to associated transit gateway ${tgw.name} (attachment ${att.name}).`,
      });
      return tgwFromAttachment6(walk, att, p, undefined);
    }
    return w.fail({
      component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', origin: dxgw.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      detail: `Direct Connect gateway ${dxgw.name} has no associated gateway for ${fmt(p.dst)}.`,
    });
  }
  return w.fail({ component: c.name, kind: 'direct-connect', place: 'blackfoot', origin: c.origin, code: Codes.BAD_STATE_ATTACHMENT, detail: `Direct Connect ${c.name} ends at no gateway.` });
}

// --- The virtual private gateway for IPv6 (Direct Connect only) -----------------------------------------

/** An IPv6 packet from a Direct Connect VIF enters the VPC through its virtual private gateway. */
function vgwIngress6(walk: Walk6, vgw: CVpnGateway, p: Packet6, via: string): Arrival6 | undefined {
  const w = walk.w;
  const vpc = vgw.vpc;
  p = { ...p, via: 'direct-connect' };
  if (!within(walk.view.vpcCidrs.get(vpc) ?? [], p.dst)) {
    return w.fail({
      component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', origin: vgw.origin, code: Codes.VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS,
      detail: `Virtual private gateway ${vgw.name} only delivers to addresses of interfaces in VPC ${vpc.name}; ${fmt(p.dst)} is outside its IPv6 CIDRs (no edge-to-edge routing).`,
    });
  }
  if (w.record) w.hop({
    component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', action: 'route', origin: vgw.origin,
    detail: `Virtual private gateway ${vgw.name} (${vgw.id}) receives ${fmt(p.dst)} from ${via}${vgw.edgeTable ? `; its gateway route table ${vgw.edgeTable.name} does not route IPv6 (VGWs do not support IPv6 interception), so the mapping service delivers it` : ''}.`,
  });
  const target = walk.view.byAddr.get(p.dst);
  if (!target || target.vpc !== vpc) {
    // A dual-stack load balancer node or endpoint interface (ipv6-hyperplane.ts), from no subnet of the VPC.
    if (!vpc.services.byIpv6.has(p.dst)) return walk.noInterface(vpc, p.dst, 'blackfoot');
    const served = hyperplaneLocal6(walk, vgw, vpc, undefined, p, 'blackfoot');
    return served === NOT_HYPERPLANE ? walk.noInterface(vpc, p.dst, 'blackfoot') : served;
  }
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place: 'blackfoot', action: 'encapsulate',
    detail: `The mapping service resolves ${fmt(p.dst)} in ${vpc.id} to ${target.qualified} (${target.eniId}) on ${target.host}.`,
    stack: () => encap6(p, vgw.underlay, target.underlay, vpc.id, vgw.id, target.eniId), mtu: VPC_MTU,
  });
  w.underlay(vgw, target);
  return walk.deliver(target, p, undefined, vgw, false);
}

/**
 * A subnet route sent an IPv6 packet to the VPC's virtual private gateway. The gateway knows IPv6
 * prefixes only from Direct Connect VIFs with an IPv6 peering (no IPv6 VPN on a VGW); the source must be
 * an address of an interface in the VPC (VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS).
 */
export function vgwEgress6(walk: Walk6, sender: Sender6, subnet: CSubnet, route: Route6, vgw: CVpnGateway, p: Packet6, place: Place): Arrival6 | undefined {
  const w = walk.w;
  const vpc = subnet.vpc;
  const rule = route.origin ? { text: route.text, origin: route.origin } : { text: route.text };
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
    detail: `The mapping service sends traffic for virtual private gateway ${vgw.name} (${vgw.id}) to its edge at ${vgw.underlay}.`,
    stack: () => encap6(p, sender.underlay, vgw.underlay, vpc.id, sender.eniId, vgw.id), mtu: VPC_MTU,
  });
  if (!w.leg(VPC_MTU, { component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot' })) return undefined;
  w.underlay(sender, vgw);
  // RA VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS, checked first as for IPv4 (vpn-gateway.ts).
  const owner = walk.view.byAddr.get(p.src);
  if ((!owner || owner.vpc !== vpc) && !vpc.services.byIpv6.has(p.src)) {
    return w.fail({
      component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', origin: vgw.origin, code: Codes.VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS,
      detail: `Virtual private gateway ${vgw.name} only carries traffic whose source is an address of an interface in VPC ${vpc.name}; ${fmt(p.src)} is not (no edge-to-edge routing).`,
    });
  }
  const known = vgwPrefixes6(walk.network, vgw);
  let best: { prefix: Prefix; connection: CDirectConnect } | undefined;
  for (const k of known) if (prefixContains(k.prefix, { family: 6, value: p.dst }) && (!best || k.prefix.length > best.prefix.length)) best = k;
  if (!best) {
    const vpns = vgw.connections.filter(c => c.kind === 'vpn').map(c => c.name);
    return w.fail({
      component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', origin: vgw.origin, code: Codes.NO_ROUTE_TO_DESTINATION, rule,
      detail: `Virtual private gateway ${vgw.name} knows no IPv6 prefix that contains ${fmt(p.dst)}: it does not support IPv6 over Site-to-Site VPN${vpns.length ? ` (${vpns.join(', ')} carry no IPv6)` : ''} and learns IPv6 prefixes only over Direct Connect virtual interfaces with an IPv6 BGP peering${known.length ? ` (it knows ${[...new Set(known.map(k => prefixText(k.prefix)))].join(', ')})` : ' (none reaches it)'}. Use a transit gateway for IPv6 VPN.`,
    });
  }
  const dx = best.connection;
  if (w.record) w.hop({
    component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', action: 'route', origin: vgw.origin,
    rule: { text: `${prefixText(best.prefix)} via ${connectionText(dx)}`, ...(dx.origin ? { origin: dx.origin } : {}) },
    detail: `Virtual private gateway ${vgw.name} (${vgw.id}, ASN ${vgw.asn}) strips the VPC encapsulation and sends ${fmt(p.dst)} over ${connectionText(dx)} (${prefixText(best.prefix)}, learned over its IPv6 BGP peering).`,
    stack: () => inner6(p),
  });
  return toSiteOverDx6(walk, dx, p, `Virtual private gateway ${vgw.name}`);
}
