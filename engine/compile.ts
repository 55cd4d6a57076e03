/**
 * The compiled network: the model indexed once for the walk.
 *
 * analyze() runs on every keystroke, so everything trace() needs is prepared here: addresses and
 * prefixes parsed to numbers, references resolved to objects, route tables sorted for longest-prefix
 * match, network ACL rules sorted by number, security-group membership as address sets.
 * Compiling never throws: what does not parse or resolve is kept as absent, and the walk explains it.
 */
import {
  DEFAULT_REGION, type Instance, type NetworkAcl, type NetworkModel, type Origin, type Protocol,
  type RouteTable, type SecurityGroup, type Subnet, type Vpc,
} from './model.js';
import { formatV4, isPublicV4, parseV4, parseV4Prefix, v4Contains, type V4Prefix } from './ipv4.js';
import { hostName, macAddress, resourceId, underlayAddress } from './ids.js';
import {
  compileServices, emptyNetworkServices, emptyVpcServices, prefixListRoutes, resolveServiceTarget, sortRoutes,
  type CNetworkServices, type CVpcServices, type ServiceTarget,
} from './services.js';
import { isAwsService, prefixList } from './prefix-lists.js';
import {
  compileBetweenNetworks, type BetweenNetworks, type CPeering, type CTransitGateway, type CVpnGateway,
} from './between-networks.js';
import type { CSddc } from './vmc.js';

/** Shown as the account of a VPC that declares none. */
export const UNDECLARED_ACCOUNT = '000000000000';

export interface CompiledNetwork {
  model: NetworkModel;
  vpcs: Map<string, CVpc>;
  /** Every instance's network interface, in declaration order. */
  interfaces: CInterface[];
  /** Public IPv4 address -> interface (public addresses are global). */
  byPublicIp: Map<number, CInterface>;
  hosts: Map<string, CHost>;
  hostsByIp: Map<number, CHost>;
  /**
   * The address that stands for `internet` as an endpoint: the first address of 198.51.100.0/24,
   * 203.0.113.0/24, 192.0.2.0/24 (documentation ranges) that nothing in the model owns.
   */
  internetAddress: number;
  /** Hyperplane and edge services across VPCs (issue 4, services.ts). */
  services: CNetworkServices;
  /** Peerings, transit gateways, sites, VPN, Direct Connect, SDDCs (issue 3, between-networks.ts). */
  between: BetweenNetworks;
}

export interface CVpc {
  name: string;
  id: string;
  account: string;
  region: string;
  model: Vpc;
  origin?: Origin;
  cidrs: V4Prefix[];
  igw?: CInternetGateway;
  subnets: CSubnet[];
  subnetsByName: Map<string, CSubnet>;
  routeTables: Map<string, CRouteTable>;
  mainRouteTable: CRouteTable;
  securityGroups: Map<string, CSecurityGroup>;
  /** The group instances without groups get: the declared `default`, else the implicit one. */
  defaultSecurityGroup: CSecurityGroup;
  networkAcls: Map<string, CNetworkAcl>;
  byPrivateIp: Map<number, CInterface>;
  instances: Map<string, CInterface>;
  /** NAT gateways, endpoints, load balancers of the VPC (issue 4, services.ts). */
  services: CVpcServices;
}

export interface CInternetGateway {
  name: string;
  qualified: string;
  id: string;
  vpc: CVpc;
  origin?: Origin;
  /** Underlay address of the Blackfoot edge serving this gateway. */
  underlay: string;
  /** MAC of the edge on the internet side. */
  mac: string;
}

export interface CSubnet {
  name: string;
  qualified: string;
  readonly id: string;
  vpc: CVpc;
  model: Subnet;
  origin?: Origin;
  prefix?: V4Prefix;
  az: string;
  routeTable: CRouteTable;
  /** Undefined: the VPC's default network ACL, which allows everything. */
  networkAcl?: CNetworkAcl;
  /** MAC the virtual router answers ARP with for off-subnet destinations. */
  readonly gatewayMac: string;
  interfaces: CInterface[];
}

/**
 * A class rather than an object literal with getters: V8 builds a literal's accessors one by one at
 * run time, which made the 500 subnets of the estate benchmark a visible part of compile().
 */
class CompiledSubnet implements CSubnet {
  origin?: Origin;
  prefix?: V4Prefix;
  az: string;
  interfaces: CInterface[] = [];
  private derivedId?: string;
  private derivedMac?: string;
  constructor(
    readonly name: string, readonly qualified: string, readonly vpc: CVpc, readonly model: Subnet,
    public routeTable: CRouteTable, public networkAcl: CNetworkAcl | undefined,
  ) {
    this.origin = model.origin;
    this.prefix = parseV4Prefix(model.cidr);
    this.az = model.az;
  }
  get id(): string { return this.derivedId ??= resourceId('subnet', 'subnet', this.qualified); }
  get gatewayMac(): string { return this.derivedMac ??= macAddress(`router:${this.qualified}`); }
}

/** Ids, MAC, host and underlay address are derived on first use: compile() runs per keystroke. */
export interface CInterface {
  /** The instance's name. */
  name: string;
  /** "vpc.instance". */
  qualified: string;
  vpc: CVpc;
  subnet: CSubnet;
  model: Instance;
  origin?: Origin;
  privateIp?: number;
  publicIp?: number;
  securityGroups: CSecurityGroup[];
  /** Group names the instance lists that name no group of its VPC. */
  unresolvedGroups: string[];
  sourceDestCheck: boolean;
  readonly eniId: string;
  readonly instanceId: string;
  readonly mac: string;
  readonly host: string;
  readonly underlay: string;
}

class Interface implements CInterface {
  securityGroups: CSecurityGroup[] = [];
  unresolvedGroups: string[] = [];
  privateIp?: number;
  publicIp?: number;
  origin?: Origin;
  private ids?: { eni: string; instance: string; mac: string; host: string; underlay: string };
  constructor(
    readonly name: string, readonly qualified: string, readonly vpc: CVpc, readonly subnet: CSubnet,
    readonly model: Instance, readonly sourceDestCheck: boolean,
  ) {
    this.origin = model.origin;
    this.privateIp = parseV4(model.privateIp);
    this.publicIp = parseV4(model.publicIp);
  }
  private derive() {
    if (!this.ids) {
      const q = this.qualified;
      const host = hostName(q);
      this.ids = {
        eni: resourceId('eni', 'eni', q), instance: resourceId('i', 'instance', q), mac: macAddress(`eni:${q}`),
        host, underlay: underlayAddress(host),
      };
    }
    return this.ids;
  }
  get eniId(): string { return this.derive().eni; }
  get instanceId(): string { return this.derive().instance; }
  get mac(): string { return this.derive().mac; }
  get host(): string { return this.derive().host; }
  get underlay(): string { return this.derive().underlay; }
}

export interface CHost {
  name: string;
  ip?: number;
  ipText: string;
  origin?: Origin;
  mac: string;
}

export type CSgPeer =
  | { kind: 'cidr'; prefix?: V4Prefix }
  | { kind: 'security-group'; group?: CSecurityGroup };

export interface CSgRule {
  protocol: Protocol;
  fromPort: number;
  toPort: number;
  peer: CSgPeer;
  text: string;
  origin?: Origin;
}

export interface CSecurityGroup {
  name: string;
  qualified: string;
  vpc: CVpc;
  origin?: Origin;
  /** The VPC's default group when the user did not declare one. */
  implicit: boolean;
  inbound: CSgRule[];
  outbound: CSgRule[];
  /** Private addresses of the interfaces the group is attached to. */
  members: Set<number>;
}

export interface CAclRule {
  number: number;
  action: 'allow' | 'deny';
  protocol: Protocol;
  fromPort: number;
  toPort: number;
  prefix?: V4Prefix;
  text: string;
  origin?: Origin;
}

export interface CNetworkAcl {
  name: string;
  qualified: string;
  origin?: Origin;
  /** Ascending rule number: the evaluation order. */
  inbound: CAclRule[];
  outbound: CAclRule[];
}

export type RouteTarget =
  | { kind: 'local' }
  | { kind: 'internet-gateway'; igw: CInternetGateway }
  | { kind: 'instance'; iface: CInterface }
  /** An internet gateway attached to another VPC: a subnet route can only use its own VPC's. */
  | { kind: 'foreign-internet-gateway'; igw: CInternetGateway }
  /** A name that resolves to nothing in the VPC: AWS shows such a route as a blackhole. */
  | { kind: 'missing'; name: string }
  /** NAT gateways, gateway endpoints... (services.ts). */
  | ServiceTarget
  /** Between networks (issue 3, between-networks.ts): resolved after the VPCs' own elements. */
  | { kind: 'peering'; peering: CPeering }
  | { kind: 'transit-gateway'; tgw: CTransitGateway }
  | { kind: 'vpn-gateway'; vgw: CVpnGateway }
  | { kind: 'sddc'; sddc: CSddc };

export interface CRoute {
  prefix: V4Prefix;
  target: RouteTarget;
  text: string;
  origin?: Origin;
  /** The prefix list this route was expanded from (e.g. "com.amazonaws.us-east-1.s3"). */
  prefixList?: string;
  /** Routes the user did not write: propagated from a virtual private gateway, or an SDDC's (issue 3). */
  installedBy?: 'propagated' | 'sddc';
}

export interface CRouteTable {
  name: string;
  qualified: string;
  origin?: Origin;
  /** True for the main table the engine supplies when a VPC declares none. */
  implicit: boolean;
  /** Longest prefix first; on equal prefixes the local route first, then declaration order. */
  routes: CRoute[];
  /** Declared routes whose destination is not a valid IPv4 CIDR (never match). */
  invalidRoutes: string[];
}

/**
 * The model's arrays, tolerating a model that is not shaped as its type says (a half-lowered AST, a
 * hand-written JSON file): compiling must not throw, so what is not an array counts as empty and
 * holes are skipped.
 */
function list<T extends object>(value: readonly T[] | undefined | null): T[] {
  return Array.isArray(value) ? value.filter(x => x !== null && typeof x === 'object') : [];
}

function strings(value: readonly string[] | undefined | null): string[] {
  return Array.isArray(value) ? value.filter(x => typeof x === 'string') : [];
}

const PROTOCOL_ALL_PORTS = { from: 0, to: 65535 };

function portsText(protocol: Protocol, ports?: { from: number; to: number }): string {
  if (protocol === 'icmp' || protocol === 'all' || !ports) return protocol;
  return ports.from === ports.to ? `${protocol} ${ports.from}` : `${protocol} ${ports.from}-${ports.to}`;
}

function compileRouteTable(vpc: CVpc, rt: RouteTable | undefined, name: string): CRouteTable {
  const routes: CRoute[] = vpc.cidrs.map(prefix => ({
    prefix, target: { kind: 'local' as const }, text: `${prefix.text} -> local`, origin: vpc.origin,
  }));
  const invalidRoutes: string[] = [];
  const table: CRouteTable = {
    name, qualified: `${vpc.name}.${name}`, origin: rt?.origin ?? vpc.origin, implicit: !rt, routes, invalidRoutes,
  };
  for (const route of list(rt?.routes)) {
    if (route.destinationIsPrefixList && isAwsService(route.destination)) {
      routes.push(...prefixListRoutes(prefixList(route.destination, vpc.region), route.target, `${route.destination} -> ${route.target}`, route.origin));
      continue;
    }
    const prefix = parseV4Prefix(route.destination);
    const text = `${route.destination} -> ${route.target}`;
    if (!prefix) { invalidRoutes.push(text); continue; }
    routes.push({ prefix, target: { kind: 'missing', name: route.target }, text, origin: route.origin });
  }
  // Stable sort: equal lengths keep local routes (pushed first) ahead of declared ones.
  sortRoutes(routes);
  return table;
}

function compileAcl(vpc: CVpc, acl: NetworkAcl): CNetworkAcl {
  const compiled: CNetworkAcl = { name: acl.name, qualified: `${vpc.name}.${acl.name}`, origin: acl.origin, inbound: [], outbound: [] };
  for (const rule of list(acl.rules)) {
    const ports = rule.ports ?? PROTOCOL_ALL_PORTS;
    const word = rule.direction === 'inbound' ? 'from' : 'to';
    const text = `${rule.direction} ${rule.number} ${rule.action} ${portsText(rule.protocol, rule.ports)} ${word} ${rule.cidr}`;
    (rule.direction === 'inbound' ? compiled.inbound : compiled.outbound).push({
      number: rule.number, action: rule.action, protocol: rule.protocol, fromPort: ports.from, toPort: ports.to,
      prefix: parseV4Prefix(rule.cidr), text, origin: rule.origin,
    });
  }
  compiled.inbound.sort((a, b) => a.number - b.number);
  compiled.outbound.sort((a, b) => a.number - b.number);
  return compiled;
}

function newGroup(vpc: CVpc, sg: SecurityGroup | undefined, name: string): CSecurityGroup {
  return {
    name, qualified: `${vpc.name}.${name}`, vpc, origin: sg?.origin ?? vpc.origin, implicit: !sg,
    inbound: [], outbound: [], members: new Set(),
  };
}

export function compile(model: NetworkModel): CompiledNetwork {
  model = model ?? { vpcs: [], internetHosts: [], expectations: [] };
  const network: CompiledNetwork = {
    model, vpcs: new Map(), interfaces: [], byPublicIp: new Map(), hosts: new Map(), hostsByIp: new Map(),
    internetAddress: 0, services: emptyNetworkServices(), between: undefined!,
  };

  // Pass 1: VPCs, gateways, groups, ACLs, route tables, subnets and interfaces.
  for (const v of list(model.vpcs)) {
    if (network.vpcs.has(v.name)) continue; // duplicate names: the language reports them; first wins
    const vpc: CVpc = {
      name: v.name, id: resourceId('vpc', 'vpc', v.name), account: v.account ?? UNDECLARED_ACCOUNT,
      region: v.region || DEFAULT_REGION, model: v, origin: v.origin,
      cidrs: strings(v.cidrs).map(c => parseV4Prefix(c)).filter((p): p is V4Prefix => !!p),
      subnets: [], subnetsByName: new Map(), routeTables: new Map(), mainRouteTable: undefined!,
      securityGroups: new Map(), defaultSecurityGroup: undefined!, networkAcls: new Map(),
      byPrivateIp: new Map(), instances: new Map(), services: emptyVpcServices(),
    };
    network.vpcs.set(v.name, vpc);
    if (v.internetGateway) {
      const qualified = `${v.name}.${v.internetGateway.name}`;
      vpc.igw = {
        name: v.internetGateway.name, qualified, id: resourceId('igw', 'igw', qualified), vpc,
        origin: v.internetGateway.origin, underlay: underlayAddress(`edge:${qualified}`), mac: macAddress(`edge:${qualified}`),
      };
    }
    for (const sg of list(v.securityGroups)) {
      if (!vpc.securityGroups.has(sg.name)) vpc.securityGroups.set(sg.name, newGroup(vpc, sg, sg.name));
    }
    // The default group: inbound all from its own members, outbound all (aws-data-plane.md §3.12).
    // A declared group named `default` replaces it.
    let defaultGroup = vpc.securityGroups.get('default');
    if (!defaultGroup) {
      defaultGroup = newGroup(vpc, undefined, 'default');
      defaultGroup.inbound.push({ protocol: 'all', fromPort: 0, toPort: 65535, peer: { kind: 'security-group', group: defaultGroup }, text: 'inbound all from default (implicit default group)' });
      defaultGroup.outbound.push({ protocol: 'all', fromPort: 0, toPort: 65535, peer: { kind: 'cidr', prefix: parseV4Prefix('0.0.0.0/0') }, text: 'outbound all to 0.0.0.0/0 (implicit default group)' });
    }
    vpc.defaultSecurityGroup = defaultGroup;
    for (const acl of list(v.networkAcls)) {
      if (!vpc.networkAcls.has(acl.name)) vpc.networkAcls.set(acl.name, compileAcl(vpc, acl));
    }
    for (const rt of list(v.routeTables)) {
      if (!vpc.routeTables.has(rt.name)) vpc.routeTables.set(rt.name, compileRouteTable(vpc, rt, rt.name));
    }
    const declaredMain = list(v.routeTables).find(rt => rt.main);
    // With no table marked main, the main table holds only the local routes (aws-data-plane.md §3.2).
    vpc.mainRouteTable = declaredMain ? vpc.routeTables.get(declaredMain.name)! : compileRouteTable(vpc, undefined, 'main');

    for (const s of list(v.subnets)) {
      if (vpc.subnetsByName.has(s.name)) continue;
      const subnet = new CompiledSubnet(
        s.name, `${v.name}.${s.name}`, vpc, s,
        (s.routeTable !== undefined && vpc.routeTables.get(s.routeTable)) || vpc.mainRouteTable,
        s.networkAcl !== undefined ? vpc.networkAcls.get(s.networkAcl) : undefined,
      );
      vpc.subnets.push(subnet);
      vpc.subnetsByName.set(s.name, subnet);
      for (const inst of list(s.instances)) {
        if (vpc.instances.has(inst.name)) continue;
        const iface = new Interface(inst.name, `${v.name}.${inst.name}`, vpc, subnet, inst, inst.sourceDestCheck !== false);
        const names = strings(inst.securityGroups);
        if (names.length === 0) iface.securityGroups.push(defaultGroup);
        for (const name of names) {
          const group = vpc.securityGroups.get(name) ?? (name === 'default' ? defaultGroup : undefined);
          if (group) { if (!iface.securityGroups.includes(group)) iface.securityGroups.push(group); }
          else iface.unresolvedGroups.push(name);
        }
        subnet.interfaces.push(iface);
        vpc.instances.set(inst.name, iface);
        network.interfaces.push(iface);
        if (iface.privateIp !== undefined) {
          if (!vpc.byPrivateIp.has(iface.privateIp)) vpc.byPrivateIp.set(iface.privateIp, iface);
          for (const g of iface.securityGroups) g.members.add(iface.privateIp);
        }
        if (iface.publicIp !== undefined && !network.byPublicIp.has(iface.publicIp)) network.byPublicIp.set(iface.publicIp, iface);
      }
    }
  }

  compileServices(network);

  // Pass 2: references that may point forward or into another VPC.
  for (const vpc of network.vpcs.values()) {
    const seen = new Set<string>();
    for (const sg of list(vpc.model.securityGroups)) {
      if (seen.has(sg.name)) continue; // a duplicate declaration: the first one counts
      seen.add(sg.name);
      const group = vpc.securityGroups.get(sg.name)!;
      for (const rule of list(sg.rules)) {
        const ports = rule.ports ?? PROTOCOL_ALL_PORTS;
        let peer: CSgPeer;
        let peerText: string;
        if (!rule.peer || typeof rule.peer !== 'object') {
          peer = { kind: 'cidr', prefix: undefined };
          peerText = '(no peer)';
        } else if (rule.peer.kind === 'cidr') {
          peer = { kind: 'cidr', prefix: parseV4Prefix(rule.peer.cidr) };
          peerText = rule.peer.cidr;
        } else {
          const owner = network.vpcs.get(rule.peer.vpc);
          const target = owner?.securityGroups.get(rule.peer.name) ?? (rule.peer.name === 'default' ? owner?.defaultSecurityGroup : undefined);
          peer = { kind: 'security-group', group: target };
          peerText = rule.peer.vpc === vpc.name ? rule.peer.name : `${rule.peer.vpc}.${rule.peer.name}`;
        }
        const text = `${rule.direction} ${portsText(rule.protocol, rule.ports)} ${rule.direction === 'inbound' ? 'from' : 'to'} ${peerText}`;
        (rule.direction === 'inbound' ? group.inbound : group.outbound).push({
          protocol: rule.protocol, fromPort: ports.from, toPort: ports.to, peer, text, origin: rule.origin,
        });
      }
    }
    const tables = new Set([...vpc.routeTables.values(), vpc.mainRouteTable]);
    for (const table of tables) {
      for (const route of table.routes) {
        if (route.target.kind === 'missing') route.target = resolveRouteTarget(network, vpc, route.target.name);
      }
    }
  }

  for (const h of list(model.internetHosts)) {
    if (network.hosts.has(h.name)) continue;
    const host: CHost = { name: h.name, ip: parseV4(h.ip), ipText: h.ip, origin: h.origin, mac: macAddress(`host:${h.name}`) };
    network.hosts.set(h.name, host);
    if (host.ip !== undefined && !network.hostsByIp.has(host.ip)) network.hostsByIp.set(host.ip, host);
  }
  network.between = compileBetweenNetworks(network);
  network.internetAddress = pickInternetAddress(network);
  return network;
}

function resolveRouteTarget(network: CompiledNetwork, vpc: CVpc, name: string): RouteTarget {
  if (name === 'local') return { kind: 'local' };
  if (vpc.igw && vpc.igw.name === name) return { kind: 'internet-gateway', igw: vpc.igw };
  const iface = vpc.instances.get(name);
  if (iface) return { kind: 'instance', iface };
  const service = resolveServiceTarget(vpc, name);
  if (service) return service;
  for (const other of network.vpcs.values()) {
    if (other !== vpc && other.igw && (other.igw.name === name || other.igw.qualified === name)) {
      return { kind: 'foreign-internet-gateway', igw: other.igw };
    }
  }
  return { kind: 'missing', name };
}

function ownedByModel(network: CompiledNetwork, addr: number): boolean {
  if (network.byPublicIp.has(addr) || network.hostsByIp.has(addr)) return true;
  for (const vpc of network.vpcs.values()) if (vpc.cidrs.some(p => v4Contains(p, addr))) return true;
  return false;
}

function pickInternetAddress(network: CompiledNetwork): number {
  for (const base of ['198.51.100.0', '203.0.113.0', '192.0.2.0']) {
    const start = parseV4(base)!;
    for (let i = 1; i < 255; i++) {
      const addr = start + i;
      if (isPublicV4(addr) && !ownedByModel(network, addr)) return addr;
    }
  }
  // Every documentation address is taken: walk public space until a free address appears.
  for (let addr = parseV4('11.0.0.1')!; addr < 0xdfffffff; addr++) if (!ownedByModel(network, addr) && isPublicV4(addr)) return addr;
  return parseV4('198.51.100.1')!;
}

export { formatV4 };
