/**
 * Between networks (issue 3), compiled: VPC peerings, transit gateways, virtual private gateways,
 * on-premises sites with their VPN and Direct Connect links, Direct Connect gateways and VMware Cloud
 * on AWS SDDCs, indexed once per compile like the rest of the network (compile.ts calls
 * compileBetweenNetworks last).
 *
 * It also finishes the VPC route tables: route targets that name a peering, a transit gateway, a
 * virtual private gateway or an SDDC; routes propagated from a virtual private gateway (`propagate
 * vgw`); the SDDC routes VMware Cloud on AWS writes into the connected VPC's main table; and it
 * removes routes AWS refuses to install (a route more specific than the local route that is not
 * exactly a subnet's CIDR). Security-group references to another VPC's groups keep working only
 * across an active same-region peering (aws-data-plane.md §3.7).
 *
 * Compiling never throws: what does not resolve stays absent and the walk explains it.
 */
import type { NetworkModel, Origin, Peering, TransitGateway, TransitGatewayAttachment } from './model.js';
import type { CompiledNetwork, CRoute, CRouteTable, CSubnet, CVpc } from './compile.js';
import { parseV4, parseV4Prefix, v4Contains, type V4Prefix } from './ipv4.js';
import { hash32, macAddress, resourceId, underlayAddress } from './ids.js';
import { compileSddcs, type CSddc } from './vmc.js';

export const DEFAULT_AMAZON_ASN = 64512;
export const DEFAULT_CUSTOMER_ASN = 65000;
/** compile.ts's UNDECLARED_ACCOUNT (not imported: compile.ts imports this file). */
const UNDECLARED_ACCOUNT = '000000000000';

/**
 * "The packet comes from no subnet of this VPC" for the services' arrival functions (hyperplane.ts),
 * which check a subnet's ACL inbound when the packet comes from another subnet; they accept undefined.
 */
export const NO_SUBNET = undefined as unknown as CSubnet;

/** Something that encapsulates onto the underlay: an interface, a gateway's edge, a transit gateway ENI. */
export interface Sender { underlay: string; eniId: string; mac: string }

export interface CPeering {
  name: string;
  id: string;
  requester?: CVpc;
  accepter?: CVpc;
  active: boolean;
  interRegion: boolean;
  crossAccount: boolean;
  origin?: Origin;
}

export interface CVpnGateway extends Sender {
  name: string;
  /** "vpc.vgw". */
  qualified: string;
  id: string;
  vpc: CVpc;
  asn: number;
  origin?: Origin;
  /** Every VPN and Direct Connect link that reaches this gateway (directly or through a DX gateway). */
  connections: CConnection[];
  /** The gateway route table edge-associated with this gateway (ingress routing, §3.3). */
  edgeTable?: CRouteTable;
}

/** A host of an on-premises site or of an SDDC segment. */
export interface CSiteHost {
  name: string;
  /** "site.host"; an address when the host is not declared (a bare IP inside the site). */
  qualified: string;
  ip: number;
  ipText: string;
  origin?: Origin;
  mac: string;
  network: CSite | CSddc;
  declared: boolean;
}

export interface CSite {
  kind: 'site';
  name: string;
  cidrs: V4Prefix[];
  customerGatewayIp: number;
  asn: number;
  hosts: CSiteHost[];
  connections: CConnection[];
  /** The router's static routes into a link (resolved after the links are compiled). */
  staticRoutes: { prefix: V4Prefix; connection: CConnection; text: string; origin?: Origin }[];
  origin?: Origin;
  /** MAC of the site's router (the customer gateway's inside interface). */
  routerMac: string;
}

export interface CVpnConnection {
  kind: 'vpn';
  name: string;
  id: string;
  site: CSite;
  gateway?: { kind: 'vgw'; vgw: CVpnGateway } | { kind: 'tgw'; tgw: CTransitGateway };
  routing: 'bgp' | 'static';
  /** What the site side announces: BGP the site's CIDRs, static the listed routes (none with IPv6 inside). */
  prefixes: V4Prefix[];
  /**
   * The family inside the tunnels: one per connection ("either IPv4 traffic or IPv6 traffic inside the VPN
   * tunnels", VPN guide "IPv4 and IPv6 traffic"). An ipv6 tunnel carries no IPv4 (ipv6-site.ts carries its IPv6).
   */
  tunnelInside: 'ipv4' | 'ipv6';
  /** The AWS endpoint of the tunnel (the first of the two tunnels; derived, public). */
  awsOutsideIp: number;
  origin?: Origin;
}

export interface CDirectConnect {
  kind: 'dx';
  name: string;
  id: string;
  site: CSite;
  gateway?: { kind: 'vgw'; vgw: CVpnGateway } | { kind: 'dxgw'; dxgw: CDirectConnectGateway };
  vlan: number;
  mtu: number;
  /** The site's CIDRs, announced over BGP. */
  prefixes: V4Prefix[];
  origin?: Origin;
  edgeMac: string;
}

export type CConnection = CVpnConnection | CDirectConnect;

export interface CDirectConnectGateway {
  name: string;
  id: string;
  vgws: CVpnGateway[];
  tgws: CTransitGateway[];
  connections: CDirectConnect[];
  origin?: Origin;
}

/** The transit gateway's network interface in one attachment subnet. */
export interface CTgwEni extends Sender { subnet: CSubnet }

/** Ids derived on first read, like an instance's (compile.ts): a verdict-only walk reads none of them. */
class TgwEni implements CTgwEni {
  private ids?: { eniId: string; mac: string; underlay: string };
  constructor(readonly subnet: CSubnet, private readonly seed: string) {}
  private derive() {
    return this.ids ??= {
      eniId: resourceId('eni', 'tgw-eni', this.seed), mac: macAddress(`tgw-eni:${this.seed}`), underlay: underlayAddress(`tgw-eni:${this.seed}`),
    };
  }
  get eniId(): string { return this.derive().eniId; }
  get mac(): string { return this.derive().mac; }
  get underlay(): string { return this.derive().underlay; }
}

export type CTgwAttachment = {
  name: string;
  qualified: string;
  id: string;
  tgw: CTransitGateway;
  origin?: Origin;
  association?: CTgwRouteTable;
} & (
  | { kind: 'vpc'; vpc?: CVpc; subnets: CSubnet[]; enis: CTgwEni[]; applianceMode: boolean }
  | { kind: 'vpn'; vpn?: CVpnConnection }
  | { kind: 'direct-connect-gateway'; dxgw?: CDirectConnectGateway }
  | { kind: 'peering'; peer?: CTransitGateway }
);

export type TgwRouteSource = 'static' | 'vpc' | 'direct-connect-gateway' | 'vpn';

export interface CTgwRoute {
  prefix: V4Prefix;
  attachment?: CTgwAttachment;
  blackhole: boolean;
  source: TgwRouteSource;
  text: string;
  origin?: Origin;
}

export interface CTgwRouteTable {
  name: string;
  qualified: string;
  id: string;
  origin?: Origin;
  /** Installed routes: longest prefix first, then by the documented priority (routeRank). */
  routes: CTgwRoute[];
  /** Propagated routes not installed because a route of higher priority has the same prefix. */
  shadowed: CTgwRoute[];
}

export interface CTransitGateway extends Sender {
  name: string;
  id: string;
  region: string;
  account: string;
  asn: number;
  attachments: Map<string, CTgwAttachment>;
  routeTables: CTgwRouteTable[];
  origin?: Origin;
}

export interface BetweenNetworks {
  peerings: Map<string, CPeering>;
  transitGateways: Map<string, CTransitGateway>;
  /** By "vpc.vgw" and, when unambiguous, by the bare name. */
  vpnGateways: Map<string, CVpnGateway>;
  sites: Map<string, CSite>;
  vpns: Map<string, CVpnConnection>;
  directConnects: Map<string, CDirectConnect>;
  directConnectGateways: Map<string, CDirectConnectGateway>;
  sddcs: Map<string, CSddc>;
}


/**
 * Transit gateway route priority for one prefix (aws-data-plane.md §3.8, tgw-route-tables): static
 * (static VPN routes included) > prefix-list references > VPC propagated > Direct Connect gateway
 * propagated > Connect propagated > Site-to-Site VPN propagated.
 */
export const TGW_ROUTE_RANK: Record<TgwRouteSource, number> = { static: 0, vpc: 2, 'direct-connect-gateway': 3, vpn: 5 };

function list<T extends object>(value: readonly T[] | undefined | null): T[] {
  return Array.isArray(value) ? value.filter(x => x !== null && typeof x === 'object') : [];
}

function strings(value: readonly string[] | undefined | null): string[] {
  return Array.isArray(value) ? value.filter(x => typeof x === 'string') : [];
}

function prefixes(texts: readonly string[] | undefined): V4Prefix[] {
  return strings(texts).map(t => parseV4Prefix(t)).filter((p): p is V4Prefix => !!p);
}

/** An address inside a range, chosen by the hash of a seed; never the range's first or last address. */
export function derivedAddress(seed: string, base: string, bits: number): number {
  const start = parseV4(base)!;
  const size = 2 ** bits;
  const offset = 1 + (hash32(seed) % (size - 2));
  return (start + offset) >>> 0;
}

/**
 * AWS tunnel outside addresses are Amazon public addresses; the model takes them from 18.232.0.0/14
 * (an Amazon EC2 range in us-east-1), one per VPN connection, derived from its name.
 */
const AWS_VPN_OUTSIDE_RANGE = '18.232.0.0';
/** A customer gateway without a declared address gets one from 203.0.113.128/25 (documentation range). */
const CGW_RANGE = '203.0.113.128';

export function compileBetweenNetworks(network: CompiledNetwork): BetweenNetworks {
  const model: NetworkModel = network.model;
  const between: BetweenNetworks = {
    peerings: new Map(), transitGateways: new Map(), vpnGateways: new Map(), sites: new Map(), vpns: new Map(),
    directConnects: new Map(), directConnectGateways: new Map(), sddcs: new Map(),
  };

  // Virtual private gateways: one per VPC.
  const bareVgw = new Map<string, CVpnGateway[]>();
  for (const vpc of network.vpcs.values()) {
    const g = vpc.model.vpnGateway;
    if (!g || typeof g !== 'object' || typeof g.name !== 'string') continue;
    const qualified = `${vpc.name}.${g.name}`;
    const vgw: CVpnGateway = {
      name: g.name, qualified, id: resourceId('vgw', 'vgw', qualified), vpc, asn: g.asn ?? DEFAULT_AMAZON_ASN, origin: g.origin,
      connections: [], underlay: underlayAddress(`edge:${qualified}`), mac: macAddress(`edge:${qualified}`),
      eniId: resourceId('vgw', 'vgw', qualified),
    };
    between.vpnGateways.set(qualified, vgw);
    bareVgw.set(g.name, [...(bareVgw.get(g.name) ?? []), vgw]);
    for (const table of vpc.routeTables.values()) {
      const declared = list(vpc.model.routeTables).find(rt => rt.name === table.name);
      if (declared?.edge === g.name && !vgw.edgeTable) vgw.edgeTable = table;
    }
  }
  for (const [name, gateways] of bareVgw) if (gateways.length === 1 && !between.vpnGateways.has(name)) between.vpnGateways.set(name, gateways[0]);

  for (const p of list(model.peerings)) {
    if (between.peerings.has(p.name)) continue;
    between.peerings.set(p.name, compilePeering(network, p));
  }

  for (const t of list(model.transitGateways)) {
    if (between.transitGateways.has(t.name)) continue;
    between.transitGateways.set(t.name, {
      name: t.name, id: resourceId('tgw', 'tgw', t.name), region: t.region || 'us-east-1', account: t.account ?? UNDECLARED_ACCOUNT,
      asn: t.asn ?? DEFAULT_AMAZON_ASN, attachments: new Map(), routeTables: [], origin: t.origin,
      underlay: underlayAddress(`hyperplane:${t.name}`), mac: macAddress(`hyperplane:${t.name}`), eniId: resourceId('tgw', 'tgw', t.name),
    });
  }

  for (const s of list(model.sites)) {
    if (between.sites.has(s.name)) continue;
    const site: CSite = {
      kind: 'site', name: s.name, cidrs: prefixes(s.cidrs),
      customerGatewayIp: parseV4(s.customerGatewayIp) ?? derivedAddress(`cgw:${s.name}`, CGW_RANGE, 7),
      asn: s.asn ?? DEFAULT_CUSTOMER_ASN, hosts: [], connections: [], staticRoutes: [], origin: s.origin, routerMac: macAddress(`cgw:${s.name}`),
    };
    for (const h of list(s.hosts)) {
      const ip = parseV4(h.ip);
      if (ip === undefined || site.hosts.some(x => x.name === h.name)) continue;
      site.hosts.push({ name: h.name, qualified: `${s.name}.${h.name}`, ip, ipText: h.ip, origin: h.origin, mac: macAddress(`site-host:${s.name}.${h.name}`), network: site, declared: true });
    }
    between.sites.set(s.name, site);
  }

  for (const d of list(model.directConnectGateways)) {
    if (between.directConnectGateways.has(d.name)) continue;
    const dxgw: CDirectConnectGateway = { name: d.name, id: resourceId('dxgw', 'dxgw', d.name), vgws: [], tgws: [], connections: [], origin: d.origin };
    for (const a of strings(d.associations)) {
      const tgw = between.transitGateways.get(a);
      const vgw = between.vpnGateways.get(a);
      if (tgw) dxgw.tgws.push(tgw);
      else if (vgw) dxgw.vgws.push(vgw);
    }
    between.directConnectGateways.set(d.name, dxgw);
  }

  for (const v of list(model.vpns)) {
    const site = between.sites.get(v.site);
    if (!site || between.vpns.has(v.name)) continue;
    const vgw = between.vpnGateways.get(v.to);
    const tgw = between.transitGateways.get(v.to);
    const vpn: CVpnConnection = {
      kind: 'vpn', name: v.name, id: resourceId('vpn', 'vpn', v.name), site,
      gateway: vgw ? { kind: 'vgw', vgw } : tgw ? { kind: 'tgw', tgw } : undefined,
      routing: v.routing === 'static' ? 'static' : 'bgp',
      prefixes: v.tunnelInside === 'ipv6' ? [] : v.routing === 'static' ? prefixes(v.staticRoutes) : site.cidrs,
      tunnelInside: v.tunnelInside === 'ipv6' ? 'ipv6' : 'ipv4',
      awsOutsideIp: derivedAddress(`vpn:${v.name}`, AWS_VPN_OUTSIDE_RANGE, 18), origin: v.origin,
    };
    between.vpns.set(v.name, vpn);
    site.connections.push(vpn);
    if (vgw) vgw.connections.push(vpn);
  }

  for (const d of list(model.directConnects)) {
    const site = between.sites.get(d.site);
    if (!site || between.directConnects.has(d.name)) continue;
    const vgw = between.vpnGateways.get(d.to);
    const dxgw = between.directConnectGateways.get(d.to);
    const dx: CDirectConnect = {
      kind: 'dx', name: d.name, id: resourceId('dxvif', 'dx', d.name), site,
      gateway: vgw ? { kind: 'vgw', vgw } : dxgw ? { kind: 'dxgw', dxgw } : undefined,
      vlan: d.vlan, mtu: d.mtu ?? 1500, prefixes: site.cidrs, origin: d.origin, edgeMac: macAddress(`dx:${d.name}`),
    };
    between.directConnects.set(d.name, dx);
    site.connections.push(dx);
    if (vgw) vgw.connections.push(dx);
    if (dxgw) {
      dxgw.connections.push(dx);
      for (const g of dxgw.vgws) g.connections.push(dx);
    }
  }

  // The sites' own static routes name a link of the site (a route to another site's link, or to a
  // name that is no link, is skipped here and reported by the language).
  for (const s of list(model.sites)) {
    const site = between.sites.get(s.name);
    if (!site || site.origin !== s.origin) continue;
    for (const r of list(s.routes)) {
      const prefix = parseV4Prefix(r.destination);
      const connection = site.connections.find(c => c.name === r.via);
      if (prefix && connection) site.staticRoutes.push({ prefix, connection, text: `${r.destination} -> ${r.via}`, origin: r.origin });
    }
  }

  for (const t of list(model.transitGateways)) {
    const tgw = between.transitGateways.get(t.name);
    if (!tgw || tgw.origin !== t.origin || tgw.attachments.size > 0 || tgw.routeTables.length > 0) continue;
    for (const a of list(t.attachments)) {
      if (!tgw.attachments.has(a.name)) tgw.attachments.set(a.name, compileAttachment(network, between, tgw, a));
    }
  }
  for (const t of list(model.transitGateways)) {
    const tgw = between.transitGateways.get(t.name);
    if (!tgw || tgw.origin !== t.origin || tgw.routeTables.length > 0) continue;
    compileTgwRouteTables(tgw, t.routeTables);
  }

  between.sddcs = compileSddcs(network, list(model.sddcs));
  finishRouteTables(network, between);
  restrictGroupReferences(network, between);
  return between;
}

function compilePeering(network: CompiledNetwork, p: Peering): CPeering {
  const requester = network.vpcs.get(p.requester);
  const accepter = network.vpcs.get(p.accepter);
  return {
    name: p.name, id: resourceId('pcx', 'pcx', p.name), requester, accepter, active: p.status !== 'pending',
    interRegion: !!requester && !!accepter && requester.region !== accepter.region,
    crossAccount: !!requester && !!accepter && requester.account !== accepter.account,
    origin: p.origin,
  };
}

function compileAttachment(network: CompiledNetwork, between: BetweenNetworks, tgw: CTransitGateway, a: TransitGatewayAttachment): CTgwAttachment {
  const qualified = `${tgw.name}.${a.name}`;
  const base = { name: a.name, qualified, id: resourceId('tgw-attach', 'tgw-attach', qualified), tgw, origin: a.origin };
  switch (a.kind) {
    case 'vpc': {
      const vpc = network.vpcs.get(a.vpc);
      const subnets: CSubnet[] = [];
      for (const name of strings(a.subnets)) {
        const s = vpc?.subnetsByName.get(name);
        // One subnet per AZ (§3.8): a second subnet in the same AZ is refused; the first counts.
        if (s && !subnets.some(x => x.az === s.az)) subnets.push(s);
      }
      const enis = subnets.map(subnet => new TgwEni(subnet, `${qualified}@${subnet.qualified}`));
      return { ...base, kind: 'vpc', vpc, subnets, enis, applianceMode: !!a.applianceMode };
    }
    case 'vpn': {
      const vpn = between.vpns.get(a.vpn);
      return { ...base, kind: 'vpn', vpn: vpn && vpn.gateway?.kind === 'tgw' && vpn.gateway.tgw === tgw ? vpn : undefined };
    }
    case 'direct-connect-gateway': {
      const dxgw = between.directConnectGateways.get(a.directConnectGateway);
      return { ...base, kind: 'direct-connect-gateway', dxgw };
    }
    case 'peering':
      return { ...base, kind: 'peering', peer: between.transitGateways.get(a.transitGateway) };
    default:
      return { ...base, kind: 'vpn', vpn: undefined };
  }
}

/** What an attachment propagates into a transit gateway route table (§3.8). */
function propagatedRoutes(att: CTgwAttachment): CTgwRoute[] {
  const out: CTgwRoute[] = [];
  const add = (prefix: V4Prefix, source: TgwRouteSource, why: string) =>
    out.push({ prefix, attachment: att, blackhole: false, source, text: `${prefix.text} -> ${att.name} (${why})`, origin: att.origin });
  switch (att.kind) {
    case 'vpc':
      for (const p of att.vpc?.cidrs ?? []) add(p, 'vpc', `propagated from VPC ${att.vpc!.name}`);
      break;
    case 'vpn':
      // A static VPN's routes count as static routes (the documented priority lists "static, including
      // static VPN" first); a BGP VPN propagates the prefixes the customer gateway announces.
      if (att.vpn) for (const p of att.vpn.prefixes) add(p, att.vpn.routing === 'static' ? 'static' : 'vpn', att.vpn.routing === 'static' ? `static route of VPN ${att.vpn.name}` : `propagated over BGP from VPN ${att.vpn.name}`);
      break;
    case 'direct-connect-gateway':
      for (const dx of att.dxgw?.connections ?? []) for (const p of dx.prefixes) add(p, 'direct-connect-gateway', `propagated over BGP from Direct Connect ${dx.name}`);
      break;
    case 'peering':
      break; // transit gateway peering: static routes only
  }
  return out;
}

/** Each attachment's position in declaration order (the sort below asks per comparison). */
const attachmentOrders = new WeakMap<CTransitGateway, Map<CTgwAttachment, number>>();
function attachmentOrder(tgw: CTransitGateway): Map<CTgwAttachment, number> {
  let order = attachmentOrders.get(tgw);
  if (!order) attachmentOrders.set(tgw, order = new Map([...tgw.attachments.values()].map((a, i) => [a, i])));
  return order;
}

function compileTgwRouteTables(tgw: CTransitGateway, tables: TransitGateway['routeTables'] | undefined): void {
  for (const t of list(tables)) {
    if (tgw.routeTables.some(x => x.name === t.name)) continue;
    const qualified = `${tgw.name}.${t.name}`;
    const table: CTgwRouteTable = { name: t.name, qualified, id: resourceId('tgw-rtb', 'tgw-rtb', qualified), origin: t.origin, routes: [], shadowed: [] };
    tgw.routeTables.push(table);
    for (const name of strings(t.associations)) {
      const att = tgw.attachments.get(name);
      // Each attachment is associated with exactly one table; the first association counts.
      if (att && !att.association) att.association = table;
    }
    const candidates: CTgwRoute[] = [];
    for (const r of list(t.routes)) {
      const prefix = parseV4Prefix(r.destination);
      if (!prefix) continue;
      const att = r.attachment !== undefined ? tgw.attachments.get(r.attachment) : undefined;
      candidates.push({
        prefix, attachment: att, blackhole: r.blackhole || !att, source: 'static',
        text: r.blackhole ? `${r.destination} blackhole` : `${r.destination} -> ${r.attachment}`, origin: r.origin,
      });
    }
    for (const name of strings(t.propagations)) {
      const att = tgw.attachments.get(name);
      if (att) candidates.push(...propagatedRoutes(att));
    }
    // Longest prefix first; equal prefixes by the documented priority, then by attachment order: the
    // first of equals is installed, so of two VPC attachments with identical CIDRs the one attached
    // later does not propagate (§3.8).
    const declared = (r: CTgwRoute) => r.source === 'static' || !r.attachment ? -1 : attachmentOrder(tgw).get(r.attachment) ?? -1;
    candidates.sort((a, b) => b.prefix.length - a.prefix.length || TGW_ROUTE_RANK[a.source] - TGW_ROUTE_RANK[b.source] || declared(a) - declared(b));
    const seen = new Set<string>();
    for (const route of candidates) {
      if (seen.has(route.prefix.text)) table.shadowed.push(route);
      else { seen.add(route.prefix.text); table.routes.push(route); }
    }
  }
}

/** The prefixes a virtual private gateway knows from on-premises, with the links that announce them. */
export function vgwPrefixes(vgw: CVpnGateway): { prefix: V4Prefix; connection: CConnection }[] {
  const out: { prefix: V4Prefix; connection: CConnection }[] = [];
  for (const c of vgw.connections) for (const prefix of c.prefixes) out.push({ prefix, connection: c });
  return out;
}

function withinLocal(vpc: CVpc, prefix: V4Prefix): boolean {
  return vpc.cidrs.some(c => c.length <= prefix.length && v4Contains(c, prefix.network));
}

function resolveTarget(between: BetweenNetworks, vpc: CVpc, name: string): CRoute['target'] | undefined {
  const peering = between.peerings.get(name);
  if (peering) return { kind: 'peering', peering };
  const tgw = between.transitGateways.get(name);
  if (tgw) return { kind: 'transit-gateway', tgw };
  const vgw = between.vpnGateways.get(`${vpc.name}.${name}`) ?? between.vpnGateways.get(name);
  if (vgw) return { kind: 'vpn-gateway', vgw };
  const sddc = between.sddcs.get(name);
  if (sddc) return { kind: 'sddc', sddc };
  return undefined;
}

/**
 * Route rank inside one prefix length in a VPC route table: local, static CIDR, prefix list, propagated
 * (aws-data-plane.md §3.2: on an equal prefix static routes beat propagated ones, a CIDR route beats a
 * prefix-list route, and a prefix-list route beats a propagated one; services.ts sortRoutes agrees).
 */
function vpcRouteRank(route: CRoute): number {
  if (route.target.kind === 'local') return 0;
  if (route.installedBy === 'propagated') return 3;
  return route.prefixList ? 2 : 1;
}

function finishRouteTables(network: CompiledNetwork, between: BetweenNetworks): void {
  for (const vpc of network.vpcs.values()) {
    const tables = new Set<CRouteTable>([...vpc.routeTables.values(), vpc.mainRouteTable]);
    const subnetCidrs = new Set(vpc.subnets.map(s => s.prefix?.text).filter((t): t is string => !!t));
    for (const table of tables) {
      for (const route of table.routes) {
        if (route.target.kind === 'missing') route.target = resolveTarget(between, vpc, route.target.name) ?? route.target;
      }
      // A route more specific than the local route must be exactly a subnet's CIDR (§3.2); AWS refuses
      // any other, so it is not installed. Gateway (edge) tables follow the same rule (§3.3).
      const refused = table.routes.filter(r => r.target.kind !== 'local' && withinLocal(vpc, r.prefix)
        && !vpc.cidrs.some(c => c.text === r.prefix.text) && !subnetCidrs.has(r.prefix.text));
      if (refused.length > 0) {
        table.routes = table.routes.filter(r => !refused.includes(r));
        for (const r of refused) table.invalidRoutes.push(`${r.text} (more specific than the local route but not a subnet's CIDR: AWS refuses it)`);
      }
      // A declared route for exactly a VPC CIDR replaces the local route's target (§3.2: "its target
      // can be replaced (e.g. by an ENI in gateway route tables) and restored").
      const replacing = new Set(table.routes.filter(r => r.target.kind !== 'local' && vpc.cidrs.some(c => c.text === r.prefix.text)).map(r => r.prefix.text));
      if (replacing.size > 0) table.routes = table.routes.filter(r => r.target.kind !== 'local' || !replacing.has(r.prefix.text));
      const declared = list(vpc.model.routeTables).find(rt => rt.name === table.name && !table.implicit);
      for (const gatewayName of strings(declared?.propagate)) {
        const vgw = between.vpnGateways.get(`${vpc.name}.${gatewayName}`);
        if (!vgw) continue;
        const done = new Set<string>();
        for (const { prefix } of vgwPrefixes(vgw)) {
          if (done.has(prefix.text)) continue;
          done.add(prefix.text);
          // The local route is preferred over propagated routes that overlap it, even more specific
          // ones (§3.2, VPN-ROUTE), so such a route never carries traffic: it is not installed.
          if (withinLocal(vpc, prefix)) continue;
          table.routes.push({ prefix, target: { kind: 'vpn-gateway', vgw }, text: `${prefix.text} -> ${gatewayName} (propagated)`, origin: vgw.origin, installedBy: 'propagated' });
        }
      }
    }
    for (const sddc of between.sddcs.values()) {
      if (sddc.vpc !== vpc) continue;
      // VMware Cloud on AWS writes the SDDC's routes into the connected VPC's main table only (seeds/004).
      const main = vpc.mainRouteTable;
      for (const prefix of sddc.cidrs) {
        if (vpc.cidrs.some(c => v4Contains(c, prefix.network) || v4Contains(prefix, c.network))) continue; // overlap: refused
        main.routes.push({ prefix, target: { kind: 'sddc', sddc }, text: `${prefix.text} -> ${sddc.name} (SDDC route, active ENI)`, origin: sddc.origin, installedBy: 'sddc' });
      }
    }
    for (const table of tables) table.routes.sort((a, b) => b.prefix.length - a.prefix.length || vpcRouteRank(a) - vpcRouteRank(b));
  }
}

/** Active peering between two VPCs, if any. */
export function peeringBetween(between: BetweenNetworks, a: CVpc, b: CVpc): CPeering | undefined {
  for (const p of between.peerings.values()) {
    if ((p.requester === a && p.accepter === b) || (p.requester === b && p.accepter === a)) return p;
  }
  return undefined;
}

/**
 * A rule referencing another VPC's security group matches only across an active peering in the same
 * Region (aws-data-plane.md §3.7; inter-Region peers must use CIDRs). Elsewhere the reference matches
 * nothing: the rule keeps its text with the reason appended.
 */
function restrictGroupReferences(network: CompiledNetwork, between: BetweenNetworks): void {
  for (const vpc of network.vpcs.values()) {
    for (const group of vpc.securityGroups.values()) {
      for (const rule of [...group.inbound, ...group.outbound]) {
        if (rule.peer.kind !== 'security-group' || !rule.peer.group || rule.peer.group.vpc === vpc) continue;
        const other = rule.peer.group.vpc;
        const peering = peeringBetween(between, vpc, other);
        const why = !peering ? `no peering connects ${vpc.name} and ${other.name}`
          : !peering.active ? `peering ${peering.name} is not active`
            : peering.interRegion ? `peering ${peering.name} is inter-Region, where group references do not work` : undefined;
        if (why) {
          rule.peer = { kind: 'security-group', group: undefined };
          rule.text = `${rule.text} (matches nothing: ${why})`;
        }
      }
    }
  }
}
