/**
 * On-premises sites and the links that reach them: Site-to-Site VPN and Direct Connect
 * (aws-data-plane.md §3.9, §5.3, §5.4).
 *
 * - A VPN leg is IPsec ESP (IP protocol 50) in tunnel mode between the AWS tunnel's outside address
 *   and the customer gateway's: the whole inner packet rides inside ESP. Tunnel MTU 1446, MSS 1406
 *   (AES-GCM without NAT-T, §4); the outer packets are limited to 1500 bytes.
 * - A Direct Connect leg is an Ethernet frame tagged 802.1Q with the virtual interface's VLAN id;
 *   MTU 1500, or the VIF's jumbo MTU (9001 private, 8500 transit).
 * - Both legs leave AWS through a Blackfoot edge (§5.6).
 *
 * - A VPN connection carries one family inside its tunnels (`tunnelInside`, default ipv4); IPv4 sent into
 *   an ipv6-inside VPN is dropped there (BAD_STATE_ATTACHMENT). ipv6-site.ts carries IPv6.
 *
 * Which link the site uses towards AWS: the longest prefix AWS announces over it (a virtual private
 * gateway announces its VPC's CIDRs; a transit gateway the routes of the table associated with the
 * attachment), then Direct Connect over a static VPN over a BGP VPN, mirroring AWS's own preference
 * (§3.9) — on-premises routers are a customer's choice; this is the model's.
 */
import type { Header } from './path.js';
import type { Origin } from './model.js';
import type { Packet } from './packet.js';
import { frameStack, innerStack } from './packet.js';
import type { Arrival, Walker } from './walk.js';
import type { CConnection, CDirectConnect, CSite, CSiteHost, CTgwAttachment, CTransitGateway, CVpnConnection } from './between-networks.js';
import { formatV4, v4Contains, type V4Prefix } from './ipv4.js';
import { hash32, macAddress } from './ids.js';
import { Codes } from './codes.js';
import { vgwIngress } from './vpn-gateway.js';
import { tgwFromAttachment } from './transit-gateway.js';

/** Inner MTU of a VPN tunnel with AES-GCM and no NAT-T (§4); MSS 1406 = 1446 − 40. */
export const VPN_TUNNEL_MTU = 1446;
export const VPN_TUNNEL_MSS = 1406;
/** The outer packets of a VPN tunnel, on the internet. */
export const VPN_OUTER_MTU = 1500;
export const SITE_LAN_MTU = 1500;
const VPN_TTL = 64;

/** Rank of a link for the same prefix: Direct Connect, then static VPN, then BGP VPN (§3.9). */
export function connectionRank(c: CConnection): number {
  return c.kind === 'dx' ? 0 : c.routing === 'static' ? 1 : 2;
}

export function connectionText(c: CConnection): string {
  return c.kind === 'dx' ? `Direct Connect ${c.name} (VLAN ${c.vlan})` : `${c.routing === 'static' ? 'static' : 'BGP'} VPN ${c.name}`;
}

/** The Security Parameter Index of one direction's SA: 32 bits, ≥ 256 (RFC 4303 reserves 1–255). */
export function espSpi(vpn: CVpnConnection, towardsAws: boolean): string {
  const spi = (hash32(`spi:${vpn.name}:${towardsAws ? 'in' : 'out'}`) | 0x100) >>> 0;
  return `0x${spi.toString(16).padStart(8, '0')}`;
}

/** IPsec ESP in tunnel mode (RFC 4303, RFC 4301): outer IPv4 (protocol 50), ESP, the whole inner packet. */
export function espStack(p: Packet, outerSrc: number, outerDst: number, spi: string): Header[] {
  return [...espHeaders(outerSrc, outerDst, spi, 'ipv4'), ...innerStack(p)];
}

/**
 * The outer IPv4 header and the ESP header of a tunnel-mode packet. The ESP trailer's next header names
 * the inner packet's version: 4 (IP-in-IP, IPv4) or 41 (IPv6) (IANA protocol numbers, RFC 4303 §2.6).
 */
export function espHeaders(outerSrc: number, outerDst: number, spi: string, inner: 'ipv4' | 'ipv6'): Header[] {
  return [
    {
      kind: 'ipv4', name: 'Outer IPv4 (tunnel)', bytes: 20,
      fields: [
        { name: 'src', value: formatV4(outerSrc) },
        { name: 'dst', value: formatV4(outerDst) },
        { name: 'protocol', value: '50 (ESP)' },
        { name: 'ttl', value: String(VPN_TTL) },
      ],
    },
    {
      kind: 'esp', name: 'ESP', bytes: 8,
      fields: [
        { name: 'spi', value: spi },
        { name: 'sequence', value: '1' },
        { name: 'mode', value: 'tunnel (RFC 4301): the inner packet is encrypted' },
        { name: 'cipher', value: `AES-GCM: 8 B IV before, padding, next header ${inner === 'ipv4' ? '4 (IPv4)' : '41 (IPv6)'} and 16 B ICV after the inner packet` },
      ],
    },
  ];
}

/** An Ethernet frame with an 802.1Q tag: the Direct Connect virtual interface's VLAN. */
export function dot1qStack(p: Packet, srcMac: string, dstMac: string, vlan: number): Header[] {
  return [...dot1qHeaders(srcMac, dstMac, vlan, 'ipv4'), ...innerStack(p)];
}

/** The Ethernet and 802.1Q headers; the tag's type field names the inner packet (0x0800 IPv4, 0x86DD IPv6). */
export function dot1qHeaders(srcMac: string, dstMac: string, vlan: number, inner: 'ipv4' | 'ipv6'): Header[] {
  return [
    {
      kind: 'ethernet', name: 'Ethernet', bytes: 14,
      fields: [{ name: 'src', value: srcMac }, { name: 'dst', value: dstMac }, { name: 'type', value: '0x8100 (802.1Q)' }],
    },
    {
      kind: 'dot1q', name: '802.1Q', bytes: 4,
      fields: [{ name: 'vlan', value: String(vlan) }, { name: 'priority', value: '0' }, { name: 'type', value: inner === 'ipv4' ? '0x0800 (IPv4)' : '0x86DD (IPv6)' }],
    },
  ];
}

/** A host of the site by address: declared, else an undeclared machine inside the site's CIDRs. */
export function siteHostAt(site: CSite, addr: number): CSiteHost | undefined {
  const declared = site.hosts.find(h => h.ip === addr);
  if (declared) return declared;
  if (!site.cidrs.some(c => v4Contains(c, addr))) return undefined;
  const ipText = formatV4(addr);
  return { name: ipText, qualified: `${site.name}.${ipText}`, ip: addr, ipText, mac: macAddress(`site-host:${site.name}.${ipText}`), network: site, declared: false };
}

function hostLabel(host: CSiteHost): string {
  return host.declared ? `${host.qualified} (${host.ipText})` : `the machine at ${host.ipText} in site ${host.network.name}`;
}

/**
 * Attachments of each compiled gateway by what they attach (a VPC, a VPN, a Direct Connect gateway,
 * a peer gateway: objects of distinct types, so the object alone says the kind). Built on the first
 * lookup: walks ask once or twice per trace and a hub has a hundred attachments. The compiled network
 * is never changed after compile(), and a new compile makes new gateway objects, so an entry never
 * goes stale.
 */
const attachmentIndex = new WeakMap<CTransitGateway, Map<object, CTgwAttachment>>();

/** The gateway's attachment to a VPC, VPN, Direct Connect gateway or peer gateway: the first declared. */
export function attachmentTo(tgw: CTransitGateway, target: object): CTgwAttachment | undefined {
  let index = attachmentIndex.get(tgw);
  if (!index) {
    index = new Map();
    for (const a of tgw.attachments.values()) {
      const attached = a.kind === 'vpc' ? a.vpc : a.kind === 'vpn' ? a.vpn : a.kind === 'direct-connect-gateway' ? a.dxgw : a.peer;
      if (attached && !index.has(attached)) index.set(attached, a);
    }
    attachmentIndex.set(tgw, index);
  }
  return index.get(target);
}

/**
 * What AWS announces to the site over one link, per compiled link (like attachmentIndex: it reads
 * only the compiled network, which compile() alone builds). Callers must not change the array.
 */
const announcedCache = new WeakMap<CConnection, readonly V4Prefix[]>();

export function announced(c: CConnection): readonly V4Prefix[] {
  let prefixes = announcedCache.get(c);
  if (!prefixes) announcedCache.set(c, prefixes = announcedNow(c));
  return prefixes;
}

function announcedNow(c: CConnection): V4Prefix[] {
  const tgwRoutes = (att: CTgwAttachment | undefined) =>
    att?.association ? att.association.routes.filter(r => !r.blackhole && r.attachment !== att).map(r => r.prefix) : [];
  if (c.kind === 'vpn') {
    // The BGP session inside an IPv6 tunnel carries IPv6 routes only (ipv6-site.ts announced6).
    if (c.tunnelInside === 'ipv6') return [];
    if (c.gateway?.kind === 'vgw') return c.gateway.vgw.vpc.cidrs;
    if (c.gateway?.kind === 'tgw') {
      const tgw = c.gateway.tgw;
      return tgwRoutes(attachmentTo(tgw, c));
    }
    return [];
  }
  if (c.gateway?.kind === 'vgw') return c.gateway.vgw.vpc.cidrs;
  if (c.gateway?.kind === 'dxgw') {
    const dxgw = c.gateway.dxgw;
    const out = dxgw.vgws.flatMap(g => g.vpc.cidrs);
    for (const tgw of dxgw.tgws) out.push(...tgwRoutes(attachmentTo(tgw, dxgw)));
    return out;
  }
  return [];
}

/** A link the site's router chose for an address: learned from AWS, or the router's own static route. */
export interface SiteLink { connection: CConnection; prefix: V4Prefix; staticRoute?: { text: string; origin?: Origin } }

/**
 * The best link from the site towards an address, or undefined when neither AWS announces a route for
 * it nor the router has a static one. Longest prefix first; on equal prefixes the router's static route
 * wins over a learned one (a static route's administrative distance is lower than eBGP's on common
 * routers — the customer's configuration, not AWS's).
 */
export function siteLinkTo(site: CSite, dst: number): SiteLink | undefined {
  let best: SiteLink | undefined;
  for (const r of site.staticRoutes) {
    if (v4Contains(r.prefix, dst) && (!best || r.prefix.length > best.prefix.length)) {
      best = { connection: r.connection, prefix: r.prefix, staticRoute: { text: r.text, ...(r.origin ? { origin: r.origin } : {}) } };
    }
  }
  for (const connection of site.connections) {
    for (const prefix of announced(connection)) {
      if (!v4Contains(prefix, dst)) continue;
      if (!best || prefix.length > best.prefix.length
        || (prefix.length === best.prefix.length && !best.staticRoute && connectionRank(connection) < connectionRank(best.connection))) {
        best = { connection, prefix };
      }
    }
  }
  return best;
}

function linkText(link: SiteLink): string {
  return link.staticRoute ? `its static route ${link.staticRoute.text}` : `${link.prefix.text} (learned over ${connectionText(link.connection)})`;
}

/** The packet arrives at the site's router from AWS: delivered to the host that holds the address. */
export function deliverInSite(w: Walker, site: CSite, p: Packet): Arrival | undefined {
  const host = siteHostAt(site, p.dst);
  if (!host) {
    return w.fail({
      component: site.name, kind: 'site', place: 'peer', origin: site.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      detail: `${formatV4(p.dst)} is not inside site ${site.name} (${site.cidrs.map(c => c.text).join(', ') || 'no CIDR'}), so its router has nowhere to send it.`,
    });
  }
  if (!w.leg(SITE_LAN_MTU, { component: site.name, kind: 'site', place: 'peer' })) return undefined;
  if (w.record) w.hop({
    component: host.qualified, kind: 'host', place: w.receiverPlace, action: 'deliver', origin: host.origin,
    detail: `Site ${site.name}'s router delivers the packet on its LAN to ${hostLabel(host)}.`,
    stack: () => frameStack(p, site.routerMac, host.mac), mtu: SITE_LAN_MTU,
  });
  return { kind: 'site-host', host, packet: p };
}

/** From AWS to the site over a VPN: ESP from the AWS tunnel endpoint to the customer gateway. */
export function toSiteOverVpn(w: Walker, vpn: CVpnConnection, p: Packet, from: string): Arrival | undefined {
  const site = vpn.site;
  if (vpn.tunnelInside === 'ipv6') return ipv6Tunnel(w, vpn, `${from} sends ${formatV4(p.dst)} into VPN ${vpn.name}`);
  // A VPN tunnel does not fragment the inner packet (no jumbo frames, no PMTUD, §4).
  if (!w.leg(VPN_TUNNEL_MTU, { component: vpn.name, kind: 'vpn', place: 'blackfoot' }, true)) return undefined;
  if (w.record) w.hop({
    component: vpn.name, kind: 'vpn', place: 'blackfoot', action: 'encapsulate', origin: vpn.origin,
    detail: `${from} sends the packet into VPN ${vpn.name} (${vpn.id}, tunnel 1 of 2): the Blackfoot VPN endpoint ${formatV4(vpn.awsOutsideIp)} wraps it in IPsec ESP (tunnel mode) to customer gateway ${formatV4(site.customerGatewayIp)}. Tunnel MTU ${VPN_TUNNEL_MTU}, MSS ${VPN_TUNNEL_MSS}; the ESP packets cross the internet in at most ${VPN_OUTER_MTU} bytes.`,
    stack: () => espStack(p, vpn.awsOutsideIp, site.customerGatewayIp, espSpi(vpn, false)), mtu: VPN_TUNNEL_MTU,
  });
  if (w.record) w.hop({
    component: site.name, kind: 'site', place: 'peer', action: 'decapsulate', origin: site.origin,
    detail: `Customer gateway ${formatV4(site.customerGatewayIp)} (ASN ${site.asn}) checks and decrypts the ESP packet (SPI ${espSpi(vpn, false)}) and routes the inner packet.`,
    stack: () => innerStack(p),
  });
  return deliverInSite(w, site, p);
}

/** From AWS to the site over Direct Connect: an 802.1Q-tagged frame on the virtual interface's VLAN. */
export function toSiteOverDx(w: Walker, dx: CDirectConnect, p: Packet, from: string): Arrival | undefined {
  const site = dx.site;
  if (!w.leg(dx.mtu, { component: dx.name, kind: 'direct-connect', place: 'blackfoot' })) return undefined;
  if (w.record) w.hop({
    component: dx.name, kind: 'direct-connect', place: 'blackfoot', action: 'encapsulate', origin: dx.origin,
    detail: `${from} sends the packet over Direct Connect ${dx.name} (${dx.id}): the Blackfoot edge frames it with an 802.1Q tag, VLAN ${dx.vlan}, towards site ${site.name}'s router. MTU ${dx.mtu}.`,
    stack: () => dot1qStack(p, dx.edgeMac, site.routerMac, dx.vlan), mtu: dx.mtu,
  });
  if (w.record) w.hop({
    component: site.name, kind: 'site', place: 'peer', action: 'decapsulate', origin: site.origin,
    detail: `Site ${site.name}'s router takes the frame off VLAN ${dx.vlan} and routes the packet.`,
    stack: () => innerStack(p),
  });
  return deliverInSite(w, site, p);
}

/** A host of the site sends: its router picks the link whose AWS side announces the destination. */
export function fromSiteHost(w: Walker, site: CSite, host: CSiteHost, p: Packet): Arrival | undefined {
  if (!w.leg(SITE_LAN_MTU, { component: host.qualified, kind: 'host', place: w.senderPlace })) return undefined;
  if (w.record) w.hop({
    component: host.qualified, kind: 'host', place: w.senderPlace, action: 'send', origin: host.origin,
    detail: `${hostLabel(host)} sends ${formatV4(p.src)} → ${formatV4(p.dst)} to site ${site.name}'s router.`,
    stack: () => frameStack(p, host.mac, site.routerMac), mtu: SITE_LAN_MTU,
  });
  if (site.cidrs.some(c => v4Contains(c, p.dst))) return deliverInSite(w, site, p);
  const link = siteLinkTo(site, p.dst);
  if (!link) {
    return w.fail({
      component: site.name, kind: 'site', place: 'peer', origin: site.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      detail: `Site ${site.name} has no route to ${formatV4(p.dst)}: none of its links${site.connections.length ? ` (${site.connections.map(connectionText).join(', ')})` : ''} learns that prefix from AWS, and the router has no static route for it.`,
    });
  }
  const c = link.connection;
  if (c.kind === 'vpn') {
    if (c.tunnelInside === 'ipv6') return ipv6Tunnel(w, c, `Site ${site.name}'s router sends ${formatV4(p.dst)} by ${linkText(link)}`);
    if (!w.leg(VPN_TUNNEL_MTU, { component: site.name, kind: 'site', place: 'peer' }, true)) return undefined;
    if (w.record) w.hop({
      component: site.name, kind: 'site', place: 'peer', action: 'encapsulate', origin: site.origin,
      detail: `Site ${site.name}'s router matches ${linkText(link)}; customer gateway ${formatV4(site.customerGatewayIp)} wraps the packet in IPsec ESP (tunnel mode) to the AWS endpoint ${formatV4(c.awsOutsideIp)}. Tunnel MTU ${VPN_TUNNEL_MTU}, MSS ${VPN_TUNNEL_MSS}.`,
      stack: () => espStack(p, site.customerGatewayIp, c.awsOutsideIp, espSpi(c, true)), mtu: VPN_TUNNEL_MTU,
    });
    if (w.record) w.hop({
      component: c.name, kind: 'vpn', place: 'blackfoot', action: 'decapsulate', origin: c.origin,
      detail: `The Blackfoot VPN endpoint ${formatV4(c.awsOutsideIp)} of ${c.id} decrypts the ESP packet (SPI ${espSpi(c, true)}) and hands the inner packet to ${c.gateway?.kind === 'tgw' ? `transit gateway ${c.gateway.tgw.name}` : c.gateway ? `virtual private gateway ${c.gateway.vgw.qualified}` : 'no gateway'}.`,
      stack: () => innerStack(p),
    });
    if (c.gateway?.kind === 'vgw') return vgwIngress(w, c.gateway.vgw, p, connectionText(c), 'vpn');
    if (c.gateway?.kind === 'tgw') {
      const tgw = c.gateway.tgw;
      const att = attachmentTo(tgw, c);
      return att ? tgwFromAttachment(w, att, p, undefined) : badAttachment(w, c.name, `VPN ${c.name} has no attachment on transit gateway ${tgw.name}.`);
    }
    return badAttachment(w, c.name, `VPN ${c.name} ends at no gateway.`);
  }
  if (!w.leg(c.mtu, { component: site.name, kind: 'site', place: 'peer' })) return undefined;
  if (w.record) w.hop({
    component: site.name, kind: 'site', place: 'peer', action: 'encapsulate', origin: site.origin,
    detail: `Site ${site.name}'s router matches ${linkText(link)} and sends the frame tagged 802.1Q VLAN ${c.vlan}. MTU ${c.mtu}.`,
    stack: () => dot1qStack(p, site.routerMac, c.edgeMac, c.vlan), mtu: c.mtu,
  });
  if (w.record) w.hop({
    component: c.name, kind: 'direct-connect', place: 'blackfoot', action: 'decapsulate', origin: c.origin,
    detail: `The Blackfoot edge of Direct Connect ${c.name} removes the 802.1Q tag (VLAN ${c.vlan}) and hands the packet to ${c.gateway?.kind === 'dxgw' ? `Direct Connect gateway ${c.gateway.dxgw.name}` : c.gateway ? `virtual private gateway ${c.gateway.vgw.qualified}` : 'no gateway'}.`,
    stack: () => innerStack(p),
  });
  if (c.gateway?.kind === 'vgw') return vgwIngress(w, c.gateway.vgw, p, connectionText(c), 'direct-connect');
  if (c.gateway?.kind === 'dxgw') {
    const dxgw = c.gateway.dxgw;
    const vgw = dxgw.vgws.find(g => g.vpc.cidrs.some(x => v4Contains(x, p.dst)));
    if (vgw) {
      if (w.record) w.hop({
        component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', action: 'route', origin: dxgw.origin,
        detail: `Direct Connect gateway ${dxgw.name} (${dxgw.id}) sends ${formatV4(p.dst)} to associated virtual private gateway ${vgw.qualified}.`,
      });
      return vgwIngress(w, vgw, p, connectionText(c), 'direct-connect');
    }
    for (const tgw of dxgw.tgws) {
      const att = attachmentTo(tgw, dxgw);
      if (!att || !announced(c).some(x => v4Contains(x, p.dst))) continue;
      if (w.record) w.hop({
        component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', action: 'route', origin: dxgw.origin,
        detail: `Direct Connect gateway ${dxgw.name} (${dxgw.id}) sends ${formatV4(p.dst)} to associated transit gateway ${tgw.name} (attachment ${att.name}).`,
      });
      return tgwFromAttachment(w, att, p, undefined);
    }
    return w.fail({
      component: dxgw.name, kind: 'direct-connect-gateway', place: 'blackfoot', origin: dxgw.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      detail: `Direct Connect gateway ${dxgw.name} has no associated gateway for ${formatV4(p.dst)}.`,
    });
  }
  return badAttachment(w, c.name, `Direct Connect ${c.name} ends at no gateway.`);
}

/** An IPv4 packet sent into a VPN whose tunnels carry IPv6: the connection carries one family only. */
function ipv6Tunnel(w: Walker, vpn: CVpnConnection, what: string): undefined {
  return w.fail({
    component: vpn.name, kind: 'vpn', place: 'blackfoot', origin: vpn.origin, code: Codes.BAD_STATE_ATTACHMENT,
    detail: `${what}, but VPN ${vpn.name} has tunnel inside IP version ipv6: a Site-to-Site VPN connection carries either IPv4 or IPv6 inside its tunnels, not both (a dual-stack site needs a second connection with IPv4 inside), so it drops this IPv4 packet.`,
  });
}

function badAttachment(w: Walker, component: string, detail: string): undefined {
  return w.fail({ component, kind: 'vpn', place: 'blackfoot', code: Codes.BAD_STATE_ATTACHMENT, detail });
}
