/**
 * IPv6 (issue 4): dual-stack VPCs and subnets, IPv6 addresses on instances, IPv6 routes, security
 * group and network ACL rules for IPv6 prefixes, the internet gateway for IPv6 (no NAT) and the
 * egress-only internet gateway (aws-data-plane.md §3.1, §3.2, §3.4, §3.5).
 *
 * A flow is IPv6 when one of its endpoints is an IPv6 address (a literal, or an internet host with an
 * IPv6 address); an instance then takes part with its IPv6 address. The IPv4 hot path (numbers, the
 * compiled network) is untouched: the IPv6 view of the network (bigint prefixes via ip.ts) is built on
 * the first IPv6 trace and cached per compiled network, and this file walks the flow with the same
 * Walker (hops, drops, MTU legs) as the IPv4 walk.
 *
 * Rules modelled:
 * - IPv4 and IPv6 are independent: 0.0.0.0/0 does not match IPv6 (a `::/0` route is needed), IPv4
 *   rules of groups and ACLs never match IPv6 packets and IPv6 rules never match IPv4 ones.
 * - A local route per VPC IPv6 CIDR; the subnet's /64 is on-link (layer 2).
 * - The internet gateway forwards IPv6 without translation, from the VPC's interfaces' global
 *   addresses only; inbound to an instance's IPv6 address when the VPC has an internet gateway.
 * - The egress-only internet gateway is stateful: instance-initiated traffic and its replies only;
 *   a connection from the internet is dropped (EIGW_INBOUND_NOT_ALLOWED, a vnet code).
 * - Block Public Access applies to both gateways (the egress-only one counts as outbound-only).
 * - `icmp` in expectations and rules means ICMPv6 for IPv6 flows (echo request 128, reply 129).
 */
import type { CInterface, CNetworkAcl, CompiledNetwork, CRouteTable, CSecurityGroup, CSubnet, CVpc } from './compile.js';
import type { EndpointRef, Origin, Protocol } from './model.js';
import type { Header, HopKind, Place, TraceResult } from './path.js';
import type { TraceQuery } from './index.js';
import { DEFAULT_CLIENT_PORT } from './model.js';
import { formatIp, isPublic, parseIp, parsePrefix, prefixContains, reservedRole, type Prefix } from './ip.js';
import { macAddress, resourceId, underlayAddress } from './ids.js';
import { Codes } from './codes.js';
import { blockPublicAccessAllows } from './block-public-access.js';
import { INTERNET_MTU, VPC_MTU, Walker } from './walk.js';
import { hyperplaneEnd6, hyperplaneFromInternet6, hyperplaneLocal6, NOT_HYPERPLANE, routeToGwlbEndpoint6 } from './ipv6-hyperplane.js';
import type { CPeering, CTransitGateway, CVpnGateway } from './between-networks.js';
import { peeringBetween } from './between-networks.js';
import type { CGatewayEndpoint, CNatGateway } from './services.js';
import { internetGatewayEdgeTable } from './middlebox.js';
import { serviceAddress6, serviceOwning6, isAwsService, prefixList, type PrefixList } from './prefix-lists.js';
import { routeToPeering6, routeToSddc6, routeToTransitGateway6, routeToVpnGateway6 } from './ipv6-between.js';
import { NAT64_PREFIX, routeToNat64 } from './ipv6-nat64.js';
import { fromSiteHost6, isSiteHost6, resolveSiteHost6, siteHostByIp6, siteHostIpv6Text, vgwPrefixes6, prefixText, type SiteHost6 } from './ipv6-site.js';
import { applianceSeesFlow } from './middlebox.js';
import { replyThroughGatewayEndpoint6, routeToGatewayEndpoint6 } from './ipv6-gateway-endpoint.js';

// --- The IPv6 view of the network ------------------------------------------------------------------

interface Rule6 { protocol: Protocol; from: number; to: number; prefix?: Prefix; group?: CSecurityGroup; text: string; origin?: Origin }
interface AclRule6 extends Rule6 { number: number; action: 'allow' | 'deny' }
export type Target6 =
  | { kind: 'local' }
  | { kind: 'internet-gateway' }
  | { kind: 'egress-only-internet-gateway' }
  | { kind: 'instance'; iface: CInterface }
  /** A gateway load balancer endpoint (ipv6-hyperplane.ts). */
  | { kind: 'gwlb-endpoint'; name: string }
  /** NAT64 for 64:ff9b::/96 (ipv6-nat64.ts). */
  | { kind: 'nat-gateway'; nat: CNatGateway }
  /** A dual-stack gateway endpoint: the IPv6 prefixes of the service's prefix list (ipv6-gateway-endpoint.ts). */
  | { kind: 'gateway-endpoint'; endpoint: CGatewayEndpoint; list: PrefixList }
  /** Between networks (ipv6-between.ts). */
  | { kind: 'peering'; peering: CPeering }
  | { kind: 'transit-gateway'; tgw: CTransitGateway }
  | { kind: 'vpn-gateway'; vgw: CVpnGateway }
  | { kind: 'sddc'; name: string }
  | { kind: 'unsupported'; name: string; what: string }
  | { kind: 'missing'; name: string };
/** `rank` orders routes of one prefix length: local, then CIDR routes, then prefix-list routes (§3.2). */
export interface Route6 { prefix: Prefix; target: Target6; text: string; origin?: Origin; rank?: number }

/** What encapsulates an IPv6 packet onto the underlay: an instance's interface, a NAT gateway, a transit gateway interface. */
export interface Sender6 { underlay: string; eniId: string; mac: string; qualified?: string }

export interface CEgressOnlyGateway {
  name: string; qualified: string; vpc: CVpc; origin?: Origin; readonly id: string; readonly underlay: string; readonly mac: string;
}

export interface V6View {
  vpcCidrs: Map<CVpc, Prefix[]>;
  eigw: Map<CVpc, CEgressOnlyGateway>;
  subnet: Map<CSubnet, Prefix>;
  addrs: Map<CInterface, bigint[]>;
  byAddr: Map<bigint, CInterface>;
  routes: Map<CRouteTable, Route6[]>;
  sg: Map<CSecurityGroup, { inbound: Rule6[]; outbound: Rule6[] }>;
  members: Map<CSecurityGroup, Set<bigint>>;
  acl: Map<CNetworkAcl, { inbound: AclRule6[]; outbound: AclRule6[] }>;
  hostsByAddr: Map<bigint, { name: string; origin?: Origin; mac: string }>;
}

const views = new WeakMap<CompiledNetwork, V6View>();

function v6Prefix(text: string | undefined): Prefix | undefined {
  if (typeof text !== 'string') return undefined;
  const p = parsePrefix(text);
  return p && p.family === 6 ? p : undefined;
}

function v6Addr(text: string | undefined): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const a = parseIp(text);
  return a && a.family === 6 ? a.value : undefined;
}

function arr<T>(x: readonly T[] | undefined | null): T[] {
  return Array.isArray(x) ? x.filter(v => v !== null && v !== undefined) : [];
}

function portsText(protocol: Protocol, ports?: { from: number; to: number }): string {
  if (protocol === 'icmp' || protocol === 'all' || !ports) return protocol;
  return ports.from === ports.to ? `${protocol} ${ports.from}` : `${protocol} ${ports.from}-${ports.to}`;
}

/** The IPv6 view, built once per compiled network on the first IPv6 flow. */
export function v6View(network: CompiledNetwork): V6View {
  let view = views.get(network);
  if (view) return view;
  view = {
    vpcCidrs: new Map(), eigw: new Map(), subnet: new Map(), addrs: new Map(), byAddr: new Map(), routes: new Map(),
    sg: new Map(), members: new Map(), acl: new Map(), hostsByAddr: new Map(),
  };
  for (const vpc of network.vpcs.values()) {
    view.vpcCidrs.set(vpc, arr(vpc.model.ipv6Cidrs).map(v6Prefix).filter((p): p is Prefix => !!p));
    const e = vpc.model.egressOnlyInternetGateway;
    if (e && typeof e.name === 'string') {
      const qualified = `${vpc.name}.${e.name}`;
      view.eigw.set(vpc, {
        name: e.name, qualified, vpc, origin: e.origin, id: resourceId('eigw', 'eigw', qualified),
        underlay: underlayAddress(`edge:${qualified}`), mac: macAddress(`edge:${qualified}`),
      });
    }
    for (const subnet of vpc.subnets) {
      const p = v6Prefix(subnet.model.ipv6Cidr);
      if (p) view.subnet.set(subnet, p);
    }
    for (const iface of vpc.instances.values()) {
      const addrs = arr(iface.model.ipv6).map(v6Addr).filter((a): a is bigint => a !== undefined);
      view.addrs.set(iface, addrs);
      for (const a of addrs) {
        if (!view.byAddr.has(a)) view.byAddr.set(a, iface);
        for (const g of iface.securityGroups) {
          let m = view.members.get(g);
          if (!m) view.members.set(g, m = new Set());
          m.add(a);
        }
      }
    }
  }
  for (const vpc of network.vpcs.values()) {
    const seenSg = new Set<string>();
    for (const sg of arr(vpc.model.securityGroups)) {
      const group = vpc.securityGroups.get(sg.name);
      if (!group || seenSg.has(sg.name)) continue;
      seenSg.add(sg.name);
      const rules = { inbound: [] as Rule6[], outbound: [] as Rule6[] };
      for (const r of arr(sg.rules)) {
        const ports = r.ports ?? { from: 0, to: 65535 };
        const word = r.direction === 'inbound' ? 'from' : 'to';
        if (r.peer?.kind === 'cidr') {
          const prefix = v6Prefix(r.peer.cidr);
          if (!prefix) continue;
          rules[r.direction === 'inbound' ? 'inbound' : 'outbound'].push({ protocol: r.protocol, from: ports.from, to: ports.to, prefix, text: `${r.direction} ${portsText(r.protocol, r.ports)} ${word} ${r.peer.cidr}`, origin: r.origin });
        } else if (r.peer?.kind === 'security-group') {
          const owner = network.vpcs.get(r.peer.vpc);
          const target = owner?.securityGroups.get(r.peer.name) ?? (r.peer.name === 'default' ? owner?.defaultSecurityGroup : undefined);
          if (!target) continue;
          const text = `${r.direction} ${portsText(r.protocol, r.ports)} ${word} ${r.peer.name}`;
          // A reference to another VPC's group matches only across an active same-Region peering (§3.7),
          // for IPv6 members as for IPv4 ones (between-networks.ts restrictGroupReferences).
          const why = target.vpc === vpc ? undefined : crossVpcReference(network, vpc, target.vpc);
          rules[r.direction === 'inbound' ? 'inbound' : 'outbound'].push(why
            ? { protocol: r.protocol, from: ports.from, to: ports.to, text: `${text} (matches nothing: ${why})`, origin: r.origin }
            : { protocol: r.protocol, from: ports.from, to: ports.to, group: target, text, origin: r.origin });
        }
      }
      view.sg.set(group, rules);
    }
    // The implicit default group: inbound from members, outbound all (::/0 too in a dual-stack VPC).
    if (vpc.defaultSecurityGroup.implicit) {
      view.sg.set(vpc.defaultSecurityGroup, {
        inbound: [{ protocol: 'all', from: 0, to: 65535, group: vpc.defaultSecurityGroup, text: 'inbound all from default (implicit default group)' }],
        outbound: [{ protocol: 'all', from: 0, to: 65535, prefix: v6Prefix('::/0'), text: 'outbound all to ::/0 (implicit default group)' }],
      });
    }
    const seenAcl = new Set<string>();
    for (const a of arr(vpc.model.networkAcls)) {
      const acl = vpc.networkAcls.get(a.name);
      if (!acl || seenAcl.has(a.name)) continue;
      seenAcl.add(a.name);
      const rules = { inbound: [] as AclRule6[], outbound: [] as AclRule6[] };
      for (const r of arr(a.rules)) {
        const prefix = v6Prefix(r.cidr);
        if (!prefix) continue;
        const ports = r.ports ?? { from: 0, to: 65535 };
        const word = r.direction === 'inbound' ? 'from' : 'to';
        rules[r.direction === 'inbound' ? 'inbound' : 'outbound'].push({
          number: r.number, action: r.action, protocol: r.protocol, from: ports.from, to: ports.to, prefix,
          text: `${r.direction} ${r.number} ${r.action} ${portsText(r.protocol, r.ports)} ${word} ${r.cidr}`, origin: r.origin,
        });
      }
      rules.inbound.sort((x, y) => x.number - y.number);
      rules.outbound.sort((x, y) => x.number - y.number);
      view.acl.set(acl, rules);
    }
    const tables = new Set([...vpc.routeTables.values(), vpc.mainRouteTable]);
    const cidrs6 = view.vpcCidrs.get(vpc) ?? [];
    const subnet6 = new Set(vpc.subnets.map(s => view.subnet.get(s)).filter((x): x is Prefix => !!x).map(prefixKey));
    const endpoints6 = dualStackGatewayEndpoints(vpc);
    for (const table of tables) {
      const model = arr(vpc.model.routeTables).find(rt => rt.name === table.name && !table.implicit);
      const declared: Route6[] = [];
      for (const r of arr(model?.routes)) {
        if (typeof r.destination !== 'string' || typeof r.target !== 'string') continue;
        if (r.destinationIsPrefixList) {
          // `s3 -> s3ep`: the IPv6 prefixes of the list too, when the endpoint is dual-stack (§3.10).
          const ep = endpoints6.find(e => e.name === r.target && e.service === r.destination);
          if (ep) declared.push(...prefixListRoutes6(ep, `${r.destination} -> ${r.target}`, r.origin));
          continue;
        }
        const prefix = v6Prefix(r.destination);
        if (!prefix) continue;
        // A route more specific than the local route must be exactly a subnet's IPv6 CIDR (or the VPC's);
        // AWS refuses any other (§3.2), so it is not installed — as for IPv4 (between-networks.ts).
        if (cidrs6.some(c => c.length <= prefix.length && prefixContains(c, { family: 6, value: prefix.network }))
          && !cidrs6.some(c => prefixKey(c) === prefixKey(prefix)) && !subnet6.has(prefixKey(prefix))) continue;
        declared.push({ prefix, target: target6(network, vpc, view, r.target), text: `${r.destination} -> ${r.target}`, origin: r.origin, rank: 1 });
      }
      for (const ep of endpoints6) {
        if (!ep.routeTables.includes(table.name) || declared.some(r => r.target.kind === 'gateway-endpoint' && r.target.endpoint === ep.endpoint)) continue;
        declared.push(...prefixListRoutes6(ep, `${ep.service} -> ${ep.name} (gateway endpoint ${ep.name})`, ep.origin));
      }
      // `propagate vgw`: the IPv6 prefixes the gateway learned over Direct Connect IPv6 peerings (the VGW has
      // no IPv6 VPN), rank 3 below static routes (§3.2); none inside the local route (between-networks.ts).
      for (const gatewayName of arr(model?.propagate)) {
        const vgw = network.between?.vpnGateways.get(`${vpc.name}.${gatewayName}`);
        if (!vgw) continue;
        const done = new Set<string>();
        for (const { prefix } of vgwPrefixes6(network, vgw)) {
          const key = prefixKey(prefix);
          if (done.has(key) || cidrs6.some(c => c.length <= prefix.length && prefixContains(c, { family: 6, value: prefix.network }))) continue;
          done.add(key);
          declared.push({ prefix, target: { kind: 'vpn-gateway', vgw }, text: `${prefixText(prefix)} -> ${gatewayName} (propagated)`, origin: vgw.origin, rank: 3 });
        }
      }
      // A declared route for exactly a VPC IPv6 CIDR replaces the local route's target (§3.2).
      const replaced = new Set(declared.filter(r => cidrs6.some(c => prefixKey(c) === prefixKey(r.prefix))).map(r => prefixKey(r.prefix)));
      const routes: Route6[] = cidrs6.filter(prefix => !replaced.has(prefixKey(prefix)))
        .map(prefix => ({ prefix, target: { kind: 'local' as const }, text: `${formatIp({ family: 6, value: prefix.network })}/${prefix.length} -> local`, origin: vpc.origin, rank: 0 }));
      routes.push(...declared);
      routes.sort((a, b) => b.prefix.length - a.prefix.length || (a.rank ?? 1) - (b.rank ?? 1));
      view.routes.set(table, routes);
    }
  }
  for (const h of arr(network.model.internetHosts)) {
    const a = v6Addr(h.ip);
    if (a !== undefined && !view.hostsByAddr.has(a)) view.hostsByAddr.set(a, { name: h.name, origin: h.origin, mac: macAddress(`host:${h.name}`) });
  }
  views.set(network, view);
  return view;
}

function prefixKey(p: Prefix): string {
  return `${p.network}/${p.length}`;
}

/** Why a reference to a group of `other` matches nothing from `vpc`, or undefined when it may match. */
function crossVpcReference(network: CompiledNetwork, vpc: CVpc, other: CVpc): string | undefined {
  const peering = network.between ? peeringBetween(network.between, vpc, other) : undefined;
  return !peering ? `no peering connects ${vpc.name} and ${other.name}`
    : !peering.active ? `peering ${peering.name} is not active`
      : peering.interRegion ? `peering ${peering.name} is inter-Region, where group references do not work` : undefined;
}

interface DualStackGatewayEndpoint { name: string; service: string; endpoint: CGatewayEndpoint; routeTables: string[]; origin?: Origin }

/** The VPC's gateway endpoints with ip-address-type dualstack: their routes carry the list's IPv6 prefixes too. */
function dualStackGatewayEndpoints(vpc: CVpc): DualStackGatewayEndpoint[] {
  const out: DualStackGatewayEndpoint[] = [];
  for (const e of arr(vpc.model.gatewayEndpoints)) {
    if (e.ipAddressType !== 'dualstack' && e.ipAddressType !== 'ipv6') continue;
    const endpoint = vpc.services.gatewayEndpoints.get(e.name);
    if (!endpoint || endpoint.origin !== e.origin || out.some(x => x.endpoint === endpoint)) continue;
    out.push({ name: e.name, service: e.service, endpoint, routeTables: arr(e.routeTables).filter(t => typeof t === 'string'), origin: e.origin });
  }
  return out;
}

/** One route per IPv6 prefix of the endpoint's list (a prefix-list route: rank 2, §3.2). */
function prefixListRoutes6(ep: DualStackGatewayEndpoint, text: string, origin?: Origin): Route6[] {
  const list = ep.endpoint.list;
  return list.prefixes6.map(prefix => ({ prefix, target: { kind: 'gateway-endpoint' as const, endpoint: ep.endpoint, list }, text, origin, rank: 2 }));
}

/** Route targets as compile.ts and between-networks.ts resolve them: the VPC's own elements, then peering, transit gateway, VGW, SDDC. */
function target6(network: CompiledNetwork, vpc: CVpc, view: V6View, name: string): Target6 {
  if (name === 'local') return { kind: 'local' };
  if (vpc.igw && vpc.igw.name === name) return { kind: 'internet-gateway' };
  if (view.eigw.get(vpc)?.name === name) return { kind: 'egress-only-internet-gateway' };
  const iface = vpc.instances.get(name);
  if (iface) return { kind: 'instance', iface };
  const nat = vpc.services.natGateways.get(name);
  if (nat) return { kind: 'nat-gateway', nat };
  if (vpc.services.gatewayEndpoints.get(name)) return { kind: 'unsupported', name, what: 'a gateway endpoint: its routes have the service\'s prefix list as destination, not a CIDR' };
  if (vpc.services.gwlbEndpoints.get(name)) return { kind: 'gwlb-endpoint', name };
  const b = network.between;
  if (b) {
    const peering = b.peerings.get(name);
    if (peering) return { kind: 'peering', peering };
    const tgw = b.transitGateways.get(name);
    if (tgw) return { kind: 'transit-gateway', tgw };
    const vgw = b.vpnGateways.get(`${vpc.name}.${name}`) ?? b.vpnGateways.get(name);
    if (vgw) return { kind: 'vpn-gateway', vgw };
    if (b.sddcs.get(name)) return { kind: 'sddc', name };
  }
  return { kind: 'missing', name };
}

// --- Packets and headers --------------------------------------------------------------------------

export interface Packet6 {
  protocol: Protocol;
  src: bigint;
  dst: bigint;
  srcPort?: number;
  dstPort?: number;
  reply: boolean;
  hopLimit: number;
  viaAppliance: boolean;
  /** The load balancer or interface endpoint (qualified name) that delivered the packet to its target. */
  servedBy?: string;
  /** How the packet entered the VPC it is in when not from one of its interfaces (packet.ts `via`). */
  via?: 'peering' | 'transit-gateway' | 'internet-gateway' | 'direct-connect';
}

const NEXT_HEADER: Record<Protocol, string> = { tcp: '6 (TCP)', udp: '17 (UDP)', icmp: '58 (ICMPv6)', all: 'any (all traffic)' };

export function fmt(a: bigint): string {
  return formatIp({ family: 6, value: a });
}

export function ported(p: Packet6): boolean {
  return p.protocol === 'tcp' || p.protocol === 'udp';
}

function end(a: bigint, port: number | undefined, p: Packet6): string {
  return ported(p) ? `[${fmt(a)}]:${port}` : fmt(a);
}

export function flowText(p: Packet6): string {
  const what = p.protocol === 'icmp' ? (p.reply ? 'icmpv6 echo reply' : 'icmpv6 echo request') : p.protocol === 'all' ? 'a packet (any protocol)' : p.protocol;
  return `${what} ${end(p.src, p.srcPort, p)} → ${end(p.dst, p.dstPort, p)}`;
}

/** The IPv6 header (40 bytes, RFC 8200) and the transport header. */
export function inner6(p: Packet6): Header[] {
  const ip: Header = {
    kind: 'ipv6', name: 'IPv6', bytes: 40,
    fields: [
      { name: 'src', value: fmt(p.src) }, { name: 'dst', value: fmt(p.dst) },
      { name: 'next header', value: NEXT_HEADER[p.protocol] }, { name: 'hop limit', value: String(p.hopLimit) },
    ],
  };
  switch (p.protocol) {
    case 'tcp': return [ip, { kind: 'tcp', name: 'TCP', bytes: 20, fields: [{ name: 'src port', value: String(p.srcPort ?? 0) }, { name: 'dst port', value: String(p.dstPort ?? 0) }, { name: 'flags', value: p.reply ? 'SYN, ACK' : 'SYN' }] }];
    case 'udp': return [ip, { kind: 'udp', name: 'UDP', bytes: 8, fields: [{ name: 'src port', value: String(p.srcPort ?? 0) }, { name: 'dst port', value: String(p.dstPort ?? 0) }] }];
    case 'icmp': return [ip, { kind: 'icmp', name: 'ICMPv6', bytes: 8, fields: [{ name: 'type', value: p.reply ? '129 (echo reply)' : '128 (echo request)' }, { name: 'code', value: '0' }] }];
    default: return [ip];
  }
}

export function frame6(p: Packet6, srcMac: string, dstMac: string): Header[] {
  return [{ kind: 'ethernet', name: 'Ethernet', bytes: 14, fields: [{ name: 'src', value: srcMac }, { name: 'dst', value: dstMac }, { name: 'type', value: '0x86DD (IPv6)' }] }, ...inner6(p)];
}

/** The VPC encapsulation around an IPv6 packet: the same modelled outer headers as for IPv4 (packet.ts). */
export function encap6(p: Packet6, outerSrc: string, outerDst: string, vpcId: string, srcIf: string, dstIf: string): Header[] {
  return [
    { kind: 'ipv4', name: 'Outer IPv4 (underlay, modelled)', bytes: 20, modelled: true, fields: [{ name: 'src', value: outerSrc }, { name: 'dst', value: outerDst }, { name: 'protocol', value: '17 (UDP)' }] },
    { kind: 'udp', name: 'Outer UDP (modelled)', bytes: 8, modelled: true, fields: [{ name: 'dst port', value: 'VPC encapsulation (port not published)' }] },
    { kind: 'vpc-encap', name: 'VPC encapsulation (modelled)', bytes: 16, modelled: true, fields: [{ name: 'vpc', value: vpcId }, { name: 'src interface', value: srcIf }, { name: 'dst interface', value: dstIf }] },
    ...inner6(p),
  ];
}

export const INTERNET_ROUTER_MAC = '02:00:5e:00:00:01';

// --- Rules ----------------------------------------------------------------------------------------

function protoMatches(rule: { protocol: Protocol; from: number; to: number }, p: Packet6): boolean {
  if (rule.protocol === 'all') return true;
  if (rule.protocol !== p.protocol) return false;
  if (ported(p)) { const port = p.dstPort ?? 0; return port >= rule.from && port <= rule.to; }
  return true;
}

function peerMatches(view: V6View, r: Rule6, addr: bigint, p: Packet6): boolean {
  if (r.prefix) return prefixContains(r.prefix, { family: 6, value: addr });
  return !!r.group && !p.viaAppliance && !!view.members.get(r.group)?.has(addr);
}

function describe(p: Packet6, direction: 'inbound' | 'outbound'): string {
  const peer = fmt(direction === 'inbound' ? p.src : p.dst);
  const what = ported(p) ? `${p.protocol} port ${p.dstPort}` : p.protocol === 'icmp' ? 'icmpv6' : 'traffic of any protocol';
  return direction === 'inbound' ? `${what} from ${peer}` : `${what} to ${peer}`;
}

// --- The walk -------------------------------------------------------------------------------------

export type Arrival6 =
  | { kind: 'interface'; iface: CInterface; packet: Packet6 }
  | { kind: 'host'; name: string; packet: Packet6 }
  | { kind: 'internet'; packet: Packet6 }
  /** A host of an on-premises site (ipv6-site.ts). */
  | { kind: 'site-host'; host: SiteHost6; packet: Packet6 }
  /** Amazon S3 (or another AWS service) took the packet: through a dual-stack gateway endpoint, or from the internet. */
  | { kind: 'aws-service'; list: PrefixList; packet: Packet6; via?: CGatewayEndpoint }
  /**
   * The flow left IPv6 on the way (NAT64 at a NAT gateway, a dual-stack load balancer forwarding to
   * IPv4 targets, PrivateLink): the element that translated it walks the rest, and the reply back to
   * the translation point, itself. `packet` is the IPv6 packet as it was before the translation.
   */
  | {
    kind: 'translated'; packet: Packet6;
    /** Where the translated packet arrived, for "delivered elsewhere" messages. */
    where: string;
    /** Whether the arrival is the expectation's destination. */
    matches: (destination: End6) => boolean;
    /** Walks the reply from where the packet arrived back into IPv6 (the walker is already in 'return'). */
    reply: () => Arrival6 | undefined;
  };

export class Walk6 {
  /** Connections the egress-only gateways have seen leave (their replies may come in). */
  private readonly eigwFlows = new Set<string>();
  constructor(readonly w: Walker, readonly view: V6View, readonly network: CompiledNetwork) {}

  sg(iface: CInterface, direction: 'inbound' | 'outbound', p: Packet6, place: Place): boolean {
    const w = this.w;
    const groups = iface.securityGroups;
    if (w.direction === 'return' && w.tracked.has(iface) && groups.length > 0) {
      if (w.record) w.hop({ component: groups[0].qualified, kind: 'security-group', place, action: 'allow', origin: groups[0].origin, detail: `Security groups are stateful: this is the reply of a flow ${iface.qualified}'s groups allowed.`, rule: { text: 'tracked connection (reply of an allowed flow)' } });
      return true;
    }
    const peer = direction === 'inbound' ? p.src : p.dst;
    for (const g of groups) {
      for (const r of this.view.sg.get(g)?.[direction] ?? []) {
        if (protoMatches(r, p) && peerMatches(this.view, r, peer, p)) {
          if (w.direction === 'forward') w.tracked.add(iface);
          if (w.record) w.hop({ component: g.qualified, kind: 'security-group', place, action: 'allow', origin: g.origin, detail: `Security group ${g.name} of ${iface.qualified} allows it: ${r.text}.`, rule: r.origin ? { text: r.text, origin: r.origin } : { text: r.text } });
          return true;
        }
      }
    }
    const g = groups[0];
    const anyV4 = groups.some(x => (direction === 'inbound' ? x.inbound : x.outbound).length > 0);
    w.fail({
      component: g ? g.qualified : iface.qualified, kind: 'security-group', place, origin: g ? g.origin : iface.origin,
      code: groups.length > 0 && groups.every(x => x.inbound.length === 0 && x.outbound.length === 0 && (this.view.sg.get(x)?.inbound.length ?? 0) === 0 && (this.view.sg.get(x)?.outbound.length ?? 0) === 0) ? Codes.SG_HAS_NO_RULES : Codes.ENI_SG_RULES_MISMATCH,
      detail: `No ${direction} rule of security group${groups.length > 1 ? 's' : ''} ${groups.map(x => x.name).join(', ') || '(none)'} on ${iface.qualified} allows ${describe(p, direction)}${anyV4 ? ' (IPv4 rules never match IPv6 traffic: an IPv6 prefix such as ::/0 is needed)' : ''}.`,
      rule: g ? { text: `security group ${groups.map(x => x.name).join(', ')}: no ${direction} rule matches`, ...(g.origin ? { origin: g.origin } : {}) } : undefined,
    });
    return false;
  }

  acl(subnet: CSubnet, direction: 'inbound' | 'outbound', p: Packet6, place: Place): boolean {
    const w = this.w;
    const acl = subnet.networkAcl;
    const component = acl ? acl.qualified : `${subnet.vpc.name}.default-network-acl`;
    if (!acl) {
      if (w.record) w.hop({ component, kind: 'network-acl', place, action: 'allow', origin: subnet.vpc.origin, detail: `Network ACL of subnet ${subnet.name} allows it ${direction}: default network ACL (allows all, ::/0 included).`, rule: { text: `default network ACL: ${direction} 101 allow all ${direction === 'inbound' ? 'from' : 'to'} ::/0` } });
      return true;
    }
    const addr = direction === 'inbound' ? p.src : p.dst;
    for (const r of this.view.acl.get(acl)?.[direction] ?? []) {
      if (!r.prefix || !prefixContains(r.prefix, { family: 6, value: addr }) || !protoMatches(r, p)) continue;
      if (r.action === 'allow') {
        if (w.record) w.hop({ component, kind: 'network-acl', place, action: 'allow', origin: acl.origin, detail: `Network ACL of subnet ${subnet.name} allows it ${direction}: ${r.text}.`, rule: r.origin ? { text: r.text, origin: r.origin } : { text: r.text } });
        return true;
      }
      w.fail({ component, kind: 'network-acl', place, origin: acl.origin, code: Codes.SUBNET_ACL_RESTRICTION, rule: r.origin ? { text: r.text, origin: r.origin } : { text: r.text }, detail: `Network ACL ${acl.name} of subnet ${subnet.name} denies ${describe(p, direction)}: ${direction} rule ${r.number} is the first that matches.` });
      return false;
    }
    w.fail({
      component, kind: 'network-acl', place, origin: acl.origin, code: Codes.SUBNET_ACL_RESTRICTION, rule: { text: `${direction} * deny all` },
      detail: `No ${direction} rule of network ACL ${acl.name} (subnet ${subnet.name}) allows ${describe(p, direction)}, so the final * rule denies it (IPv4 rules never match IPv6 traffic).${p.reply && ported(p) ? ` Replies to the client's port ${p.dstPort} need their own rule.` : ''}`,
    });
    return false;
  }

  fromInterface(iface: CInterface, p: Packet6, forwarding = false): Arrival6 | undefined {
    const w = this.w;
    const own = this.view.addrs.get(iface) ?? [];
    const place = w.direction === 'forward' ? 'source' : 'destination';
    const hostPlace: Place = w.direction === 'forward' ? 'source-host' : 'destination-host';
    if (!w.leg(VPC_MTU, { component: iface.qualified, kind: 'instance', place })) return undefined;
    const subnet = iface.subnet;
    const sub6 = this.view.subnet.get(subnet);
    const onLink = !!sub6 && prefixContains(sub6, { family: 6, value: p.dst });
    if (forwarding) {
      if (p.hopLimit <= 1) return w.fail({ component: iface.qualified, kind: 'instance', place, code: Codes.ROUTING_LOOP, detail: `The packet's hop limit ran out at ${iface.qualified}.` });
      p = { ...p, hopLimit: p.hopLimit - 1, viaAppliance: true };
    }
    if (w.record) w.hop({
      component: iface.qualified, kind: 'instance', place, action: forwarding ? 'forward' : 'send', origin: iface.origin,
      detail: forwarding ? `${iface.qualified} (source/destination check off) forwards the IPv6 packet as a router, decrementing the hop limit.` : `${iface.qualified} (${own.map(fmt).join(', ')}, ${iface.eniId}) sends ${flowText(p)}.`,
      stack: () => frame6(p, iface.mac, subnet.gatewayMac), mtu: VPC_MTU,
    });
    if (!own.includes(p.src) && iface.sourceDestCheck) {
      return w.fail({ component: iface.qualified, kind: 'instance', place, origin: iface.origin, code: Codes.ENI_SOURCE_DEST_CHECK_RESTRICTION, detail: `${iface.qualified} has source/destination check on, so it drops outbound packets whose source (${fmt(p.src)}) is not one of its addresses.` });
    }
    if (!this.sg(iface, 'outbound', p, hostPlace)) return undefined;
    if (own.includes(p.dst) && !forwarding) {
      if (w.record) w.hop({ component: iface.qualified, kind: 'instance', place: w.direction === 'forward' ? 'destination' : 'source', action: 'deliver', origin: iface.origin, detail: `${fmt(p.dst)} is ${iface.qualified}'s own address.` });
      return { kind: 'interface', iface, packet: p };
    }
    if (onLink) {
      const target = this.view.byAddr.get(p.dst);
      if (!target || target.vpc !== iface.vpc) {
        const served = hyperplaneLocal6(this, iface, iface.vpc, subnet, p, hostPlace);
        return served === NOT_HYPERPLANE ? this.noInterface(iface.vpc, p.dst, hostPlace) : served;
      }
      if (w.record) w.hop({ component: `${iface.vpc.name}.virtual-router`, kind: 'virtual-router', place: hostPlace, action: 'encapsulate', detail: `${fmt(p.dst)} is in subnet ${subnet.name}'s own IPv6 /64: delivered at layer 2 to ${target.qualified}; no route table, no network ACL.`, stack: () => encap6(p, iface.underlay, target.underlay, iface.vpc.id, iface.eniId, target.eniId), mtu: VPC_MTU });
      w.underlay(iface, target);
      return this.deliver(target, p, subnet, { mac: iface.mac, underlay: iface.underlay }, true);
    }
    if (!this.acl(subnet, 'outbound', p, hostPlace)) return undefined;
    return this.route(iface, subnet, p, hostPlace);
  }

  /**
   * A Hyperplane element (load balancer node, NAT gateway, endpoint interface, GWLB endpoint) sends an
   * IPv6 packet from its subnet: for an address in the subnet's own /64 the virtual router delivers at
   * layer 2 (no route table, no network ACL; an instance, else a node or endpoint of the VPC), otherwise
   * the subnet's network ACL outbound and then its IPv6 routes. `who` names the sender in the hop.
   */
  sendFromSubnet(sender: Sender6, vpc: CVpc, subnet: CSubnet, p: Packet6, who: string): Arrival6 | undefined {
    const w = this.w;
    const sub6 = this.view.subnet.get(subnet);
    if (sub6 && prefixContains(sub6, { family: 6, value: p.dst })) {
      const target = this.view.byAddr.get(p.dst);
      if (!target || target.vpc !== vpc) {
        const served = hyperplaneLocal6(this, sender, vpc, subnet, p, 'hyperplane');
        return served === NOT_HYPERPLANE ? this.noInterface(vpc, p.dst, 'hyperplane') : served;
      }
      if (w.record) w.hop({
        component: `${vpc.name}.virtual-router`, kind: 'virtual-router', place: 'hyperplane', action: 'encapsulate',
        detail: `${fmt(p.dst)} is in ${who}'s own /64 (subnet ${subnet.name}): delivered at layer 2 to ${target.qualified}; no route table, no network ACL.`,
        stack: () => encap6(p, sender.underlay, target.underlay, vpc.id, sender.eniId, target.eniId), mtu: VPC_MTU,
      });
      w.underlay(sender, target);
      return this.deliver(target, p, subnet, sender, true);
    }
    if (!this.acl(subnet, 'outbound', p, 'hyperplane')) return undefined;
    return this.route(sender, subnet, p, 'hyperplane');
  }

  noInterface(vpc: CVpc, dst: bigint, place: Place): undefined {
    const subnet = [...this.view.subnet].find(([s, pre]) => s.vpc === vpc && prefixContains(pre, { family: 6, value: dst }));
    const role = subnet ? reservedRole(subnet[1], { family: 6, value: dst }) : undefined;
    if (role) return this.w.fail({ component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, code: Codes.RESERVED_SUBNET_ADDRESS, detail: `${fmt(dst)} is the ${role} of subnet ${subnet![0].name}'s IPv6 CIDR, one of the addresses AWS reserves.` });
    return this.w.fail({
      component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, code: subnet ? Codes.ADDRESS_NOT_ASSIGNED : Codes.ADDRESS_NOT_IN_SUBNET,
      detail: subnet ? `No network interface in subnet ${subnet[0].name} of VPC ${vpc.name} has the IPv6 address ${fmt(dst)}.` : `${fmt(dst)} is inside VPC ${vpc.name}'s IPv6 CIDRs but in none of its subnets.`,
    });
  }

  route(sender: Sender6, subnet: CSubnet, p: Packet6, place: Place): Arrival6 | undefined {
    const w = this.w;
    const vpc = subnet.vpc;
    const table = subnet.routeTable;
    const routes = this.view.routes.get(table) ?? [];
    const match = routes.find(r => prefixContains(r.prefix, { family: 6, value: p.dst }));
    if (!match) {
      return w.fail({
        component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.NO_ROUTE_TO_DESTINATION, rule: { text: `route table ${table.name}` },
        detail: `Route table ${table.name} of subnet ${subnet.name} has no IPv6 route that matches ${fmt(p.dst)} (0.0.0.0/0 does not match IPv6: a ::/0 route is needed).`,
      });
    }
    const rule = match.origin ? { text: match.text, origin: match.origin } : { text: match.text };
    const routeHop = (to: string) => { if (w.record) w.hop({ component: table.qualified, kind: 'route-table', place, action: 'route', origin: table.origin, rule, detail: `Route table ${table.name}: ${fmt(p.dst)} matches ${match.text} (longest prefix match)${to}.` }); };
    const t = match.target;
    switch (t.kind) {
      case 'missing':
        return w.fail({ component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.BAD_STATE_ROUTE, rule, detail: `Route ${match.text} matches ${fmt(p.dst)}, but VPC ${vpc.name} has no element named ${t.name}: a blackhole.` });
      case 'gwlb-endpoint':
        routeHop(`: to gateway load balancer endpoint ${t.name}`);
        return routeToGwlbEndpoint6(this, sender, vpc, table, subnet, p, place, t.name);
      case 'nat-gateway':
        // NAT64 (§3.6): only the well-known prefix 64:ff9b::/96 is translated (RFC 6052).
        if (!prefixContains(NAT64_PREFIX, { family: 6, value: p.dst })) {
          return w.fail({ component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.INVALID_CONFIGURATION, rule, detail: `Route ${match.text} sends IPv6 traffic for ${fmt(p.dst)} to NAT gateway ${t.nat.name}, but a NAT gateway translates IPv6 only for 64:ff9b::/96 (NAT64, the IPv4 address in the last 32 bits): other IPv6 destinations cannot use a NAT gateway.` });
        }
        routeHop(`: to NAT gateway ${t.nat.name} (NAT64)`);
        return routeToNat64(this, sender, subnet, p, place, t.nat);
      case 'gateway-endpoint':
        routeHop(`: ${fmt(p.dst)} is in prefix list ${t.list.name}, to gateway endpoint ${t.endpoint.name}`);
        return routeToGatewayEndpoint6(this, sender, subnet, p, place, t.endpoint);
      case 'peering':
        return routeToPeering6(this, sender, subnet, match, t.peering, p, place);
      case 'transit-gateway':
        return routeToTransitGateway6(this, sender, subnet, match, t.tgw, p, place);
      case 'vpn-gateway':
        return routeToVpnGateway6(this, sender, subnet, match, t.vgw, p, place);
      case 'sddc':
        return routeToSddc6(this, subnet, match, t.name, p, place);
      case 'unsupported':
        return w.fail({ component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.INVALID_CONFIGURATION, rule, detail: `Route ${match.text} sends IPv6 traffic to ${t.name}, ${t.what}.` });
      case 'local': {
        routeHop('');
        const target = this.view.byAddr.get(p.dst);
        if (!target || target.vpc !== vpc) {
          const served = hyperplaneLocal6(this, sender, vpc, subnet, p, place);
          return served === NOT_HYPERPLANE ? this.noInterface(vpc, p.dst, place) : served;
        }
        if (w.record) w.hop({ component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate', detail: `The mapping service resolves ${fmt(p.dst)} in ${vpc.id} to ${target.qualified} (${target.eniId}) on ${target.host}.`, stack: () => encap6(p, sender.underlay, target.underlay, vpc.id, sender.eniId, target.eniId), mtu: VPC_MTU });
        w.underlay(sender, target);
        return this.deliver(target, p, subnet, { mac: sender.mac, underlay: sender.underlay }, false);
      }
      case 'instance': {
        routeHop(`: next hop instance ${t.iface.qualified}`);
        if (w.record) w.hop({ component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate', detail: `The mapping service sends the packet to ${t.iface.qualified} (${t.iface.eniId}).`, stack: () => encap6(p, sender.underlay, t.iface.underlay, vpc.id, sender.eniId, t.iface.eniId), mtu: VPC_MTU });
        w.underlay(sender, t.iface);
        return this.deliver(t.iface, p, subnet, { mac: sender.mac, underlay: sender.underlay }, false);
      }
      case 'internet-gateway': {
        const igw = vpc.igw!;
        routeHop(`: to internet gateway ${igw.name}`);
        if (w.record) w.hop({ component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate', detail: `The mapping service sends traffic for internet gateway ${igw.name} to its Blackfoot edge at ${igw.underlay}.`, stack: () => encap6(p, sender.underlay, igw.underlay, vpc.id, sender.eniId, igw.id), mtu: VPC_MTU });
        w.underlay(sender, igw);
        // The source's owner: an instance's interface, or a load balancer node / endpoint interface of
        // this VPC (a dual-stack node answering a client, §3.11) — both are interfaces in the VPC.
        const owner: { vpc: CVpc; subnet?: CSubnet } | undefined = this.view.byAddr.get(p.src) ?? vpc.services.byIpv6.get(p.src);
        if (!owner || owner.vpc !== vpc || !isPublic({ family: 6, value: p.src })) {
          return w.fail({ component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', origin: igw.origin, code: Codes.IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS, detail: `Internet gateway ${igw.name} only forwards IPv6 traffic from global addresses of interfaces in VPC ${vpc.name}; ${fmt(p.src)} is not one.` });
        }
        if (!blockPublicAccessAllows(w, igw, owner.subnet, 'egress', p, false)) return undefined;
        if (!w.leg(INTERNET_MTU, { component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot' })) return undefined;
        if (w.record) w.hop({ component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', action: 'forward', origin: igw.origin, detail: `The Blackfoot edge strips the VPC encapsulation and sends the IPv6 packet to the internet unchanged: IPv6 addresses are not translated.`, stack: () => frame6(p, igw.mac, INTERNET_ROUTER_MAC), mtu: INTERNET_MTU });
        return this.internet(p);
      }
      case 'egress-only-internet-gateway': {
        const eigw = this.view.eigw.get(vpc)!;
        routeHop(`: to egress-only internet gateway ${eigw.name}`);
        if (w.record) w.hop({ component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate', detail: `The mapping service sends traffic for egress-only internet gateway ${eigw.name} (${eigw.id}) to its edge at ${eigw.underlay}.`, stack: () => encap6(p, sender.underlay, eigw.underlay, vpc.id, sender.eniId, eigw.id), mtu: VPC_MTU });
        w.underlay(sender, eigw);
        const owner = this.view.byAddr.get(p.src);
        if (!blockPublicAccessAllows(w, eigw, owner?.subnet, 'egress', p, true)) return undefined;
        if (!w.leg(INTERNET_MTU, { component: eigw.qualified, kind: 'egress-only-internet-gateway', place: 'blackfoot' })) return undefined;
        if (!p.reply) this.eigwFlows.add(flowKey(p.src, p.dst, p));
        if (w.record) w.hop({ component: eigw.qualified, kind: 'egress-only-internet-gateway', place: 'blackfoot', action: 'forward', origin: eigw.origin, detail: `Egress-only internet gateway ${eigw.name} sends the packet out unchanged and remembers the connection, so its replies may come back in.`, stack: () => frame6(p, eigw.mac, INTERNET_ROUTER_MAC), mtu: INTERNET_MTU });
        return this.internet(p);
      }
    }
  }

  deliver(iface: CInterface, p: Packet6, fromSubnet: CSubnet | undefined, sender: { mac: string; underlay: string }, layer2: boolean): Arrival6 | undefined {
    const w = this.w;
    const hostPlace: Place = w.direction === 'forward' ? 'destination-host' : 'source-host';
    const subnet = iface.subnet;
    if (w.record) w.hop({ component: iface.host, kind: 'host', place: hostPlace, action: 'decapsulate', origin: iface.origin, detail: `Host ${iface.host} strips the VPC encapsulation and hands the frame to ${iface.eniId}.`, stack: () => frame6(p, layer2 ? sender.mac : subnet.gatewayMac, iface.mac), mtu: VPC_MTU });
    if (fromSubnet !== subnet && !this.acl(subnet, 'inbound', p, hostPlace)) return undefined;
    if (!this.sg(iface, 'inbound', p, hostPlace)) return undefined;
    if (!(this.view.addrs.get(iface) ?? []).includes(p.dst)) {
      if (iface.sourceDestCheck) return w.fail({ component: iface.qualified, kind: 'instance', place: w.direction === 'forward' ? 'destination' : 'source', origin: iface.origin, code: Codes.ENI_SOURCE_DEST_CHECK_RESTRICTION, detail: `${iface.qualified} has source/destination check on, so it drops inbound packets for ${fmt(p.dst)}, which is not its address.` });
      // A stateful appliance drops a reply it never saw the request of (middlebox.ts, VPC-RTOPT).
      if (!applianceSeesFlow(w, iface, `${fmt(p.src)} → ${fmt(p.dst)}`)) return undefined;
      return this.fromInterface(iface, p, true);
    }
    if (w.record) w.hop({ component: iface.qualified, kind: 'instance', place: w.direction === 'forward' ? 'destination' : 'source', action: 'deliver', origin: iface.origin, detail: `Delivered to ${iface.qualified} (${fmt(p.dst)}, ${iface.eniId}).` });
    return { kind: 'interface', iface, packet: p };
  }

  fromInternet(p: Packet6, label: string, host?: { name: string; origin?: Origin; mac: string }): Arrival6 | undefined {
    const w = this.w;
    const place = w.direction === 'forward' ? 'source' : 'destination';
    if (!w.leg(INTERNET_MTU, { component: host?.name ?? 'internet', kind: host ? 'host' : 'internet', place })) return undefined;
    if (w.record) w.hop({ component: host?.name ?? 'internet', kind: host ? 'host' : 'internet', place, action: 'send', origin: host?.origin, detail: `${host ? host.name : `The internet (${label})`} sends ${flowText(p)}.`, stack: () => frame6(p, host?.mac ?? INTERNET_ROUTER_MAC, INTERNET_ROUTER_MAC), mtu: INTERNET_MTU });
    return this.internet(p);
  }

  internet(p: Packet6): Arrival6 | undefined {
    const w = this.w;
    const a = { family: 6 as const, value: p.dst };
    if (!isPublic(a)) return w.fail({ component: 'internet', kind: 'internet', place: 'internet', code: Codes.DESTINATION_NOT_PUBLIC, detail: `${fmt(p.dst)} is not a global IPv6 address: the internet does not route it.` });
    const owner = this.view.byAddr.get(p.dst);
    if (owner) return this.enterVpc(owner, p);
    const served = hyperplaneFromInternet6(this, p);
    if (served !== NOT_HYPERPLANE) return served;
    const list = serviceOwning6(p.dst);
    if (list) {
      if (w.record) w.hop({ component: list.name, kind: 'internet', place: w.direction === 'forward' ? 'destination' : 'source', action: 'deliver', detail: `${fmt(p.dst)} is in prefix list ${list.name}: ${serviceName(list)} receives it over the internet.`, stack: () => inner6(p) });
      return { kind: 'aws-service', list, packet: p };
    }
    const host = this.view.hostsByAddr.get(p.dst);
    const receiver = w.direction === 'forward' ? 'destination' : 'source';
    if (host) {
      if (w.record) w.hop({ component: host.name, kind: 'host', place: receiver, action: 'deliver', origin: host.origin, detail: `Delivered over the internet to ${host.name} (${fmt(p.dst)}).`, stack: () => frame6(p, INTERNET_ROUTER_MAC, host.mac) });
      return { kind: 'host', name: host.name, packet: p };
    }
    if (w.record) w.hop({ component: 'internet', kind: 'internet', place: 'internet', action: 'deliver', detail: `${fmt(p.dst)} is a global IPv6 address outside every network in the model: the internet accepts it.` });
    return { kind: 'internet', packet: p };
  }

  /** Ingress routing of IPv6 entering through the internet gateway; 'local' leaves delivery to the mapping service. */
  edgeRoute(table: CRouteTable, gateway: Sender6 & { name: string; qualified: string }, vpc: CVpc, p: Packet6): Arrival6 | undefined | 'local' {
    return edgeRoute6(this, table, gateway, vpc, p);
  }

  /** The internet delivers to an instance's IPv6 address: its VPC's internet gateway, or an egress-only gateway for replies. */
  enterVpc(owner: CInterface, p: Packet6): Arrival6 | undefined {
    const w = this.w;
    const vpc = owner.vpc;
    const eigw = this.view.eigw.get(vpc);
    const key = flowKey(p.dst, p.src, p);
    const gateway: { qualified: string; name: string; origin?: Origin; underlay: string; mac: string; id: string; kind: HopKind } | undefined =
      eigw && p.reply && this.eigwFlows.has(key) ? { ...eigw, kind: 'egress-only-internet-gateway' }
        : vpc.igw ? { ...vpc.igw, kind: 'internet-gateway' } : undefined;
    if (!gateway) {
      if (eigw) {
        return w.fail({
          component: eigw.qualified, kind: 'egress-only-internet-gateway', place: 'blackfoot', origin: eigw.origin, code: Codes.EIGW_INBOUND_NOT_ALLOWED,
          detail: `Egress-only internet gateway ${eigw.name} only lets in replies of connections instances in VPC ${vpc.name} started; ${flowText(p)} starts a connection from the internet, so it is dropped.`,
        });
      }
      return w.fail({ component: 'internet', kind: 'internet', place: 'internet', code: Codes.NO_INTERNET_GATEWAY, detail: `${fmt(p.dst)} is the IPv6 address of ${owner.qualified}, but VPC ${vpc.name} has no internet gateway.` });
    }
    if (w.record) w.hop({ component: 'internet', kind: 'internet', place: 'internet', action: 'forward', detail: `The internet routes ${fmt(p.dst)} to ${gateway.qualified} of VPC ${vpc.name}.`, stack: () => frame6(p, INTERNET_ROUTER_MAC, gateway.mac), mtu: INTERNET_MTU });
    const bpaGateway = { name: gateway.name, qualified: gateway.qualified, vpc };
    if (!blockPublicAccessAllows(w, bpaGateway, owner.subnet, 'ingress', p, gateway.kind === 'egress-only-internet-gateway')) return undefined;
    if (gateway.kind === 'internet-gateway') {
      // Ingress routing: a gateway route table edge-associated with the internet gateway (§3.3).
      const edge = internetGatewayEdgeTable(vpc);
      if (edge) {
        if (w.record) w.hop({ component: gateway.qualified, kind: gateway.kind, place: 'blackfoot', action: 'forward', origin: gateway.origin, detail: `Internet gateway ${gateway.name} takes the IPv6 packet in without translation; gateway route table ${edge.name} (edge-associated with it) routes it.`, stack: () => frame6(p, INTERNET_ROUTER_MAC, gateway.mac) });
        const redirected = this.edgeRoute(edge, { ...gateway, eniId: gateway.id }, vpc, p);
        if (redirected !== 'local') return redirected;
      }
    }
    if (w.record) w.hop({
      component: gateway.qualified, kind: gateway.kind, place: 'blackfoot', action: 'encapsulate', origin: gateway.origin,
      detail: `${gateway.kind === 'egress-only-internet-gateway' ? `Egress-only internet gateway ${gateway.name} recognises the reply of a connection it carried out` : `Internet gateway ${gateway.name} takes the IPv6 packet in without translation`}; the mapping service resolves ${fmt(p.dst)} to ${owner.qualified} on ${owner.host}.`,
      stack: () => encap6(p, gateway.underlay, owner.underlay, vpc.id, gateway.id, owner.eniId), mtu: VPC_MTU,
    });
    w.underlay(gateway, owner);
    return this.deliver(owner, p, undefined, { mac: gateway.mac, underlay: gateway.underlay }, false);
  }
}

/**
 * (Walk6) A gateway route table routes IPv6 entering through the internet gateway as it routes IPv4
 * (middlebox.ts edgeRoute): `local`, a middlebox interface, or a gateway load balancer endpoint.
 */
function edgeRoute6(walk: Walk6, table: CRouteTable, gateway: Sender6 & { name: string; qualified: string }, vpc: CVpc, p: Packet6): Arrival6 | undefined | 'local' {
  const w = walk.w;
  const match = (walk.view.routes.get(table) ?? []).find(r => prefixContains(r.prefix, { family: 6, value: p.dst }));
  if (!match) return 'local';
  const rule = match.origin ? { text: match.text, origin: match.origin } : { text: match.text };
  const t = match.target;
  if (t.kind === 'gwlb-endpoint') {
    w.routed(table, match, 'blackfoot', () => `Gateway route table ${table.name} (edge-associated with ${gateway.name}): ${fmt(p.dst)} matches ${match.text} (longest prefix match): to gateway load balancer endpoint ${t.name}.`);
    // From the edge: no subnet sent it, so the endpoint subnet's ACL checks it inbound.
    return routeToGwlbEndpoint6(walk, gateway, vpc, table, undefined, p, 'blackfoot', t.name);
  }
  if (t.kind !== 'instance') {
    if (w.record) w.hop({ component: table.qualified, kind: 'route-table', place: 'blackfoot', action: 'route', origin: table.origin, rule, detail: `Gateway route table ${table.name} (edge-associated with ${gateway.name}): ${fmt(p.dst)} matches ${match.text}: delivered in the VPC.` });
    return 'local';
  }
  const appliance = t.iface;
  if (w.record) w.hop({ component: table.qualified, kind: 'route-table', place: 'blackfoot', action: 'route', origin: table.origin, rule, detail: `Gateway route table ${table.name} (edge-associated with ${gateway.name}): ${fmt(p.dst)} matches ${match.text} (longest prefix match): the packet goes to middlebox ${appliance.qualified} first.` });
  if (w.record) w.hop({ component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place: 'blackfoot', action: 'encapsulate', detail: `The mapping service resolves middlebox ${appliance.qualified} (${appliance.eniId}) on ${appliance.host} (${appliance.underlay}).`, stack: () => encap6(p, gateway.underlay, appliance.underlay, vpc.id, gateway.eniId, appliance.eniId), mtu: VPC_MTU });
  w.underlay(gateway, appliance);
  return walk.deliver(appliance, p, undefined, gateway, false);
}

export function flowKey(inside: bigint, outside: bigint, p: Packet6): string {
  const ports = ported(p) ? (p.reply ? `${p.dstPort}|${p.srcPort}` : `${p.srcPort}|${p.dstPort}`) : '';
  return `${p.protocol}|${inside}|${outside}|${ports}`;
}

// --- Endpoints and the trace ---------------------------------------------------------------------

function isV6Text(text: string | undefined): boolean {
  if (typeof text !== 'string') return false;
  return parseIp(text)?.family === 6;
}

/**
 * A flow is IPv6 when the query says so (`family` 6: `expect a -> b ipv6 ...`) or, without a family,
 * when an endpoint is an IPv6 address or an internet host with one. With `family` 4 an IPv6 endpoint
 * is a contradiction: traceV6 reports it (the IPv4 walk would only say "not IPv4").
 */
export function isV6Query(network: CompiledNetwork, query: TraceQuery): boolean {
  if (query.family === 6) return true;
  const v6 = (ref: EndpointRef) => !!ref && typeof ref === 'object'
    && ((ref.kind === 'ip' && isV6Text(ref.ip)) || (ref.kind === 'host' && !network.hosts.get(ref.name)?.ip && isV6Text(network.hosts.get(ref.name)?.ipText))
      || isSiteHost6(network, ref));
  return v6(query.source) || v6(query.destination);
}

export function serviceName(list: PrefixList): string {
  return list.service === 's3' ? 'Amazon S3' : 'Amazon DynamoDB';
}

export type End6 =
  | { kind: 'interface'; iface: CInterface; addr: bigint }
  | { kind: 'host'; name: string; addr: bigint; host: { name: string; origin?: Origin; mac: string } }
  | { kind: 'internet'; addr: bigint; label: string }
  /** A host of an on-premises site with an IPv6 address (ipv6-site.ts). */
  | { kind: 'site-host'; host: SiteHost6; addr: bigint }
  /** A load balancer or interface endpoint: the packet goes to `addr` and must reach one of its targets. */
  | { kind: 'served-by'; qualified: string; addr: bigint }
  /** `s3` / `dynamodb`: an IPv6 address of the service's prefix list in the source's region. */
  | { kind: 'aws-service'; list: PrefixList; addr: bigint }
  | { kind: 'error'; code: string; reason: string; component?: string };

const INTERNET_V6 = parseIp('2001:db8:ffff::1')!.value;

/** `source`: the resolved source, when resolving a destination (a load balancer picks the node in the sender's AZ). */
function resolve6(network: CompiledNetwork, view: V6View, ref: EndpointRef, source?: End6): End6 {
  switch (ref?.kind) {
    case 'instance': {
      const iface = network.vpcs.get(ref.vpc)?.instances.get(ref.name);
      if (!iface) return { kind: 'error', code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no instance ${ref.name} in VPC ${ref.vpc}.` };
      const addr = view.addrs.get(iface)?.[0];
      if (addr === undefined) return { kind: 'error', code: Codes.INVALID_CONFIGURATION, component: iface.qualified, reason: `${iface.qualified} has no IPv6 address, so it cannot take part in an IPv6 flow.` };
      return { kind: 'interface', iface, addr };
    }
    case 'host': {
      const h = network.hosts.get(ref.name);
      const addr = v6Addr(h?.ipText);
      if (!h || addr === undefined) return { kind: 'error', code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no internet host ${ref.name} with an IPv6 address.` };
      return { kind: 'host', name: h.name, addr, host: { name: h.name, origin: h.origin, mac: h.mac } };
    }
    case 'ip': {
      const addr = v6Addr(ref.ip);
      if (addr === undefined) return { kind: 'error', code: Codes.INVALID_CONFIGURATION, reason: `${ref.ip} is an IPv4 address in an IPv6 flow: both ends of a flow use one family.` };
      const iface = view.byAddr.get(addr);
      if (iface) return { kind: 'interface', iface, addr };
      const host = view.hostsByAddr.get(addr);
      if (host) return { kind: 'host', name: host.name, addr, host };
      const siteHost = siteHostByIp6(network, addr);
      if (siteHost) return { kind: 'site-host', host: siteHost, addr };
      return { kind: 'internet', addr, label: `a host on the internet at ${ref.ip}` };
    }
    case 'site-host': {
      const found = resolveSiteHost6(network, ref);
      if ('code' in found) return { kind: 'error', ...found };
      return { kind: 'site-host', host: found, addr: found.addr };
    }
    case 'internet':
      return { kind: 'internet', addr: INTERNET_V6, label: `any IPv6 address outside every network, represented by ${fmt(INTERNET_V6)}` };
    case 'load-balancer':
    case 'interface-endpoint':
      return hyperplaneEnd6(network, view, ref, source);
    case 'aws-service': {
      if (!isAwsService(ref.service)) break;
      if (!source) return { kind: 'error', code: Codes.NO_SOURCE_OR_DESTINATION, reason: `${ref.service} answers connections; it does not start them in an IPv6 flow.` };
      const region = source.kind === 'interface' ? source.iface.vpc.region : undefined;
      const list = prefixList(ref.service, region);
      const addr = serviceAddress6(ref.service, region);
      if (addr === undefined) {
        return { kind: 'error', code: Codes.NO_SOURCE_OR_DESTINATION, reason: `${serviceName(list)} publishes no IPv6 ranges (${list.name} in AWS's ip-ranges.json lists IPv4 prefixes only), so it cannot be the destination of an IPv6 flow.` };
      }
      return { kind: 'aws-service', list, addr };
    }
    default:
      break;
  }
  return { kind: 'error', code: Codes.NO_SOURCE_OR_DESTINATION, reason: `The endpoint ${JSON.stringify(ref)} cannot take part in an IPv6 flow.` };
}

/** An IPv6 endpoint of a query that asks for IPv4 (`family` 4): the family contradicts the address. */
function familyConflict(network: CompiledNetwork, query: TraceQuery): string | undefined {
  for (const ref of [query.source, query.destination]) {
    if (ref?.kind === 'ip' && isV6Text(ref.ip)) return `${ref.ip} is an IPv6 address, but the flow is IPv4 (family 4): both ends of a flow use one family.`;
    if (ref?.kind === 'host') {
      const h = network.hosts.get(ref.name);
      if (h && !h.ip && isV6Text(h.ipText)) return `Internet host ${ref.name} has only an IPv6 address (${h.ipText}), but the flow is IPv4 (family 4).`;
    }
    const site6 = siteHostIpv6Text(network, ref);
    if (site6 && ref.kind === 'site-host') return `Site host ${ref.site}.${ref.name} has only an IPv6 address (${site6}), but the flow is IPv4 (family 4).`;
  }
  return undefined;
}

/** Walks an IPv6 flow forward and back. */
export function traceV6(network: CompiledNetwork, query: TraceQuery, record: boolean): TraceResult {
  if (query.family === 4) {
    const reason = familyConflict(network, query) ?? 'The flow is IPv4 (family 4).';
    return { verdict: 'unreachable', code: Codes.INVALID_CONFIGURATION, direction: 'forward', component: 'endpoint', reason, hops: [] };
  }
  const view = v6View(network);
  const src = resolve6(network, view, query.source);
  const dst = resolve6(network, view, query.destination, src);
  for (const e of [src, dst]) {
    if (e.kind === 'error') return { verdict: 'unreachable', code: e.code, direction: 'forward', component: e.component ?? 'endpoint', reason: e.reason, hops: [] };
  }
  const s = src as Exclude<End6, { kind: 'error' }>;
  const d = dst as Exclude<End6, { kind: 'error' }>;
  const portsOn = query.protocol === 'tcp' || query.protocol === 'udp';
  const p: Packet6 = { protocol: query.protocol, src: s.addr, dst: d.addr, reply: false, hopLimit: 64, viaAppliance: false };
  if (portsOn) { p.srcPort = query.fromPort ?? DEFAULT_CLIENT_PORT; p.dstPort = query.port ?? 0; }
  const flow: TraceResult['flow'] = { protocol: query.protocol, srcIp: fmt(s.addr), dstIp: fmt(d.addr), ...(portsOn ? { srcPort: p.srcPort, dstPort: p.dstPort } : {}) };
  const w = new Walker(network, record);
  w.size = query.size;
  w.packetProtocol = query.protocol;
  const walk = new Walk6(w, view, network);
  const start = (e: Exclude<End6, { kind: 'error' }>, packet: Packet6): Arrival6 | undefined =>
    e.kind === 'interface' ? walk.fromInterface(e.iface, packet)
      : e.kind === 'site-host' ? fromSiteHost6(walk, e.host, packet)
      : e.kind === 'served-by' ? undefined
        : e.kind === 'aws-service' ? walk.fromInternet(packet, `${e.list.name} at ${fmt(e.addr)}`)
          : walk.fromInternet(packet, e.kind === 'internet' ? e.label : e.name, e.kind === 'host' ? e.host : undefined);
  const fail = (direction: 'forward' | 'return'): TraceResult => {
    const drop = w.drop!;
    return { verdict: 'unreachable', code: drop.code, direction, component: drop.component, reason: drop.reason, ...(drop.rule ? { rule: drop.rule } : {}), flow, hops: w.hops };
  };
  const matches = (a: Arrival6, e: Exclude<End6, { kind: 'error' }>) =>
    a.kind === 'translated' ? a.matches(e)
      : e.kind === 'interface' ? a.kind === 'interface' && a.iface === e.iface
        : e.kind === 'host' ? a.kind === 'host' && a.name === e.name
          : e.kind === 'site-host' ? a.kind === 'site-host' && a.host.site === e.host.site && a.host.addr === e.host.addr
          : e.kind === 'served-by' ? a.kind === 'interface' && a.packet.servedBy === e.qualified
            : e.kind === 'aws-service' ? a.kind === 'aws-service' && a.list.service === e.list.service
              : true;
  const elsewhere = (a: Arrival6, direction: 'forward' | 'return'): TraceResult => {
    const where = a.kind === 'interface' ? a.iface.qualified : a.kind === 'host' ? a.name : a.kind === 'site-host' ? a.host.qualified : a.kind === 'translated' ? a.where : a.kind === 'aws-service' ? a.list.name : 'the internet';
    w.drop = { code: Codes.DELIVERED_ELSEWHERE, component: where, reason: `The packet was delivered to ${where}, not to ${direction === 'forward' ? (d.kind === 'served-by' ? `a target of ${d.qualified}` : flow.dstIp) : flow.srcIp}.` };
    const last = w.hops[w.hops.length - 1];
    if (last) last.code = Codes.DELIVERED_ELSEWHERE;
    return fail(direction);
  };
  if (s.kind === 'served-by') return { verdict: 'unreachable', code: Codes.NO_SOURCE_OR_DESTINATION, direction: 'forward', component: s.qualified, reason: `${s.qualified} cannot start a flow: load balancers and endpoints are destinations.`, hops: [] };
  w.begin('forward');
  const arrival = start(s, p);
  if (!arrival || w.halted) return fail('forward');
  if (!matches(arrival, d)) return elsewhere(arrival, 'forward');
  w.begin('return');
  let back: Arrival6 | undefined;
  if (arrival.kind === 'translated') {
    back = arrival.reply();
  } else if (arrival.kind === 'aws-service') {
    // The service answers from the address it was sent to: back through the endpoint, else over the internet.
    const got = arrival.packet;
    const reply: Packet6 = { protocol: got.protocol, src: got.dst, dst: got.src, reply: true, hopLimit: 64, viaAppliance: false };
    if (portsOn) { reply.srcPort = got.dstPort; reply.dstPort = got.srcPort; }
    back = arrival.via ? replyThroughGatewayEndpoint6(walk, arrival.via, arrival.list, reply)
      : walk.fromInternet(reply, `${arrival.list.name} at ${fmt(reply.src)}`);
  } else {
    const got = arrival.packet;
    const reply: Packet6 = { protocol: got.protocol, src: got.dst, dst: got.src, reply: true, hopLimit: 64, viaAppliance: false };
    if (portsOn) { reply.srcPort = got.dstPort; reply.dstPort = got.srcPort; }
    const from: Exclude<End6, { kind: 'error' }> = arrival.kind === 'interface' ? { kind: 'interface', iface: arrival.iface, addr: reply.src }
      : arrival.kind === 'host' ? { kind: 'host', name: arrival.name, addr: reply.src, host: view.hostsByAddr.get(reply.src)! }
        : arrival.kind === 'site-host' ? { kind: 'site-host', host: arrival.host, addr: reply.src }
        : { kind: 'internet', addr: reply.src, label: `the host at ${fmt(reply.src)}` };
    back = start(from, reply);
  }
  if (!back) return fail('return');
  if (!matches(back, s) || back.packet.dst !== s.addr) return elsewhere(back, 'return');
  return { verdict: 'reachable', code: null, direction: null, reason: 'The connection is established and its replies come back.', flow, hops: w.hops, ...(w.forwardMtu !== undefined ? { pathMtu: w.forwardMtu } : {}) };
}
