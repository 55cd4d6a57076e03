/**
 * Hyperplane and edge services compiled once (issue 4): NAT gateways, gateway endpoints, the
 * route targets they are, and the addresses they hold in their VPCs.
 *
 * compile.ts calls compileServices() after every VPC's subnets, groups and route tables exist and
 * before route targets are resolved, so that `0.0.0.0/0 -> nat` and `s3 -> s3ep` resolve here.
 */
import type { CInterface, CompiledNetwork, CRoute, CSecurityGroup, CSubnet, CVpc } from './compile.js';
import type { IpAddressType, LoadBalancer, LoadBalancerListener, NatGateway, Origin, Protocol, SubnetAddresses } from './model.js';
import { hash32 } from './ids.js';
import { formatV4, parseV4, reservedRoleV4, v4Contains } from './ipv4.js';
import { parseIp, parsePrefix, prefixContains, prefixSize, reservedRole, type Prefix } from './ip.js';
import { macAddress, resourceId, underlayAddress } from './ids.js';
import { isAwsService, prefixList, type AwsService, type PrefixList } from './prefix-lists.js';

/** Something with an address in a VPC that Hyperplane (not an instance) answers for. */
interface CNode {
  name: string;
  /** "vpc.name". */
  qualified: string;
  vpc: CVpc;
  origin?: Origin;
  readonly eniId: string;
  readonly mac: string;
  readonly underlay: string;
}

export interface CNatGateway extends CNode {
  kind: 'nat-gateway';
  readonly id: string;
  model: NatGateway;
  /** Undefined when the subnet does not exist in the VPC. */
  subnet?: CSubnet;
  private: boolean;
  /** Private address in its subnet (declared or derived); undefined when it cannot have one. */
  privateIp?: number;
  /** Elastic IP of a public NAT gateway. */
  publicIp?: number;
}

export interface CGatewayEndpoint {
  kind: 'gateway-endpoint';
  name: string;
  qualified: string;
  readonly id: string;
  vpc: CVpc;
  service: AwsService;
  list: PrefixList;
  origin?: Origin;
  /** The Blackfoot edge that serves the endpoint. */
  readonly underlay: string;
}

/** A target of a load balancer listener. */
export type CTarget =
  | { kind: 'instance'; iface: CInterface; text: string }
  | { kind: 'ip'; ip: number; iface?: CInterface; text: string }
  /** An IPv6 IP target (an IPv6 target group of a dual-stack NLB); `az` from its interface or subnet /64. */
  | { kind: 'ip6'; ip: bigint; iface?: CInterface; az?: string; text: string }
  | { kind: 'missing'; text: string };

export interface CListener {
  protocol: Protocol;
  port?: number;
  targets: CTarget[];
  targetType: 'instance' | 'ip';
  /**
   * The target group's IP address type: 6 when its targets are IPv6 addresses. "All IP addresses
   * within a target group must have the same IP address type" (ELB guide, target groups, IP address
   * type): a target of the other family is `missing`.
   */
  family: 4 | 6;
  targetPort?: number;
  /** Client IP preservation (NLB-TG defaults: on for instance targets and UDP, off for IP targets with TCP). */
  preserveClientIp: boolean;
  text: string;
  origin?: Origin;
}

export interface CLoadBalancer {
  kind: 'load-balancer';
  name: string;
  qualified: string;
  vpc: CVpc;
  model: LoadBalancer;
  type: 'network' | 'gateway';
  internetFacing: boolean;
  /** `dualstack`: nodes hold IPv6 addresses (in dual-stack subnets) and listeners take IPv6 clients. */
  ipAddressType: IpAddressType;
  /** "Enforce inbound rules on PrivateLink traffic" (default on). */
  enforceInboundOnPrivateLink: boolean;
  crossZone: boolean;
  nodes: CLbNode[];
  securityGroups: CSecurityGroup[];
  unresolvedGroups: string[];
  listeners: CListener[];
  origin?: Origin;
  readonly id: string;
}

/** A load balancer's node in one subnet (one per AZ): an address Hyperplane answers for. */
export interface CLbNode extends CNode {
  kind: 'lb-node';
  lb: CLoadBalancer;
  subnet: CSubnet;
  az: string;
  privateIp?: number;
  publicIp?: number;
  /** IPv6 address of a dual-stack load balancer's node (global: reachable from the internet when internet-facing). */
  ipv6?: bigint;
  /** For security-group evaluation the node is treated like an interface with the LB's groups. */
  securityGroups: CSecurityGroup[];
  unresolvedGroups: string[];
  readonly id: string;
}

export interface CEndpointService {
  name: string;
  vpc?: CVpc;
  lb?: CLoadBalancer;
  /** Accounts allowed besides the provider's own. */
  allowedAccounts: string[];
  /** Families endpoints may use (SupportedIpAddressTypes; default IPv4 only). */
  supportsIpv4: boolean;
  supportsIpv6: boolean;
  origin?: Origin;
  readonly id: string;
}

export interface CInterfaceEndpoint {
  kind: 'interface-endpoint';
  name: string;
  qualified: string;
  vpc: CVpc;
  serviceName: string;
  service?: CEndpointService;
  ipAddressType: IpAddressType;
  enis: CEndpointEni[];
  origin?: Origin;
  readonly id: string;
}

/** The requester-managed interface of an interface endpoint in one subnet. */
export interface CEndpointEni extends CNode {
  kind: 'endpoint-eni';
  endpoint: CInterfaceEndpoint;
  subnet: CSubnet;
  az: string;
  privateIp?: number;
  /** IPv6 address of a dual-stack (or IPv6) endpoint's interface. */
  ipv6?: bigint;
  securityGroups: CSecurityGroup[];
  unresolvedGroups: string[];
  readonly id: string;
}

export interface CGwlbEndpoint extends CNode {
  kind: 'gwlb-endpoint';
  serviceName: string;
  service?: CEndpointService;
  subnet?: CSubnet;
  ipAddressType: IpAddressType;
  privateIp?: number;
  /** IPv6 address of a dual-stack endpoint's interface. */
  ipv6?: bigint;
  readonly id: string;
}

/** Route targets that are services of the VPC (compile.ts RouteTarget includes these). */
export type ServiceTarget =
  | { kind: 'nat-gateway'; nat: CNatGateway }
  | { kind: 'gateway-endpoint'; endpoint: CGatewayEndpoint }
  | { kind: 'gwlb-endpoint'; endpoint: CGwlbEndpoint };

/** A service node that holds an address in the VPC (what the mapping service resolves to). */
export type ServiceNode = CNatGateway | CLbNode | CEndpointEni | CGwlbEndpoint;

export interface CVpcServices {
  natGateways: Map<string, CNatGateway>;
  gatewayEndpoints: Map<string, CGatewayEndpoint>;
  loadBalancers: Map<string, CLoadBalancer>;
  interfaceEndpoints: Map<string, CInterfaceEndpoint>;
  gwlbEndpoints: Map<string, CGwlbEndpoint>;
  /** Private address -> the service node holding it. */
  byIp: Map<number, ServiceNode>;
  /** IPv6 address -> the load balancer node or endpoint interface holding it. */
  byIpv6: Map<bigint, Ipv6Node>;
}

/** Service nodes that can hold an IPv6 address (dual-stack load balancers and endpoints). */
export type Ipv6Node = CLbNode | CEndpointEni | CGwlbEndpoint;

export interface CNetworkServices {
  /** Elastic IP -> public NAT gateway. */
  natByPublicIp: Map<number, CNatGateway>;
  /** Public address -> node of an internet-facing load balancer. */
  lbByPublicIp: Map<number, CLbNode>;
  /** IPv6 address -> service node, across VPCs (the internet finds an internet-facing node's address here). */
  byIpv6: Map<bigint, Ipv6Node>;
  endpointServices: Map<string, CEndpointService>;
}

export function emptyVpcServices(): CVpcServices {
  return {
    natGateways: new Map(), gatewayEndpoints: new Map(), loadBalancers: new Map(), interfaceEndpoints: new Map(),
    gwlbEndpoints: new Map(), byIp: new Map(), byIpv6: new Map(),
  };
}

export function emptyNetworkServices(): CNetworkServices {
  return { natByPublicIp: new Map(), lbByPublicIp: new Map(), byIpv6: new Map(), endpointServices: new Map() };
}

function list<T extends object>(value: readonly T[] | undefined | null): T[] {
  return Array.isArray(value) ? value.filter(x => x !== null && typeof x === 'object') : [];
}

function node<T extends { qualified: string }>(prefix: string, fields: T): T & { eniId: string; mac: string; underlay: string; id: string } {
  let ids: { eni: string; mac: string; underlay: string; id: string } | undefined;
  const derive = () => ids ??= {
    eni: resourceId('eni', 'eni', fields.qualified), mac: macAddress(`eni:${fields.qualified}`),
    underlay: underlayAddress(`hyperplane:${fields.qualified}`), id: resourceId(prefix, prefix, fields.qualified),
  };
  return Object.defineProperties(fields, {
    eniId: { get: () => derive().eni, enumerable: true },
    mac: { get: () => derive().mac, enumerable: true },
    underlay: { get: () => derive().underlay, enumerable: true },
    id: { get: () => derive().id, enumerable: true },
  }) as T & { eniId: string; mac: string; underlay: string; id: string };
}

/**
 * An address AWS would assign to a service's interface when the model does not say: the highest
 * address of the subnet below the reserved broadcast address that nothing else holds.
 */
function deriveAddress(vpc: CVpc, subnet: CSubnet): number | undefined {
  const prefix = subnet.prefix;
  if (!prefix) return undefined;
  const last = prefix.network + 2 ** (32 - prefix.length) - 1;
  for (let addr = last - 1; addr > prefix.network + 3; addr--) {
    if (!vpc.byPrivateIp.has(addr) && !vpc.services.byIp.has(addr)) return addr;
  }
  return undefined;
}

/**
 * A declared private address a node may take: inside its subnet, not one of the five reserved
 * addresses, not held by an instance or another service. Otherwise undefined and the node gets a
 * derived one (the language reports the declaration).
 */
function claimV4(vpc: CVpc, subnet: CSubnet, text: string | undefined): number | undefined {
  const addr = parseV4(text);
  if (addr === undefined || !subnet.prefix || !v4Contains(subnet.prefix, addr) || reservedRoleV4(subnet.prefix, addr)) return undefined;
  if (vpc.byPrivateIp.has(addr) || vpc.services.byIp.has(addr)) return undefined;
  return addr;
}

function addressType(t: IpAddressType | undefined): IpAddressType {
  return t === 'dualstack' || t === 'ipv6' ? t : 'ipv4';
}

/** Whether an element of this IP address type has IPv6 addresses (AWS: `dualstack`, and `ipv6` for endpoints). */
export function servesIpv6(t: IpAddressType): boolean {
  return t === 'dualstack' || t === 'ipv6';
}

/** The /64 of a dual-stack subnet, parsed on demand (subnets keep only their IPv4 prefix compiled). */
export function subnetIpv6(subnet: CSubnet): Prefix | undefined {
  const text = subnet.model.ipv6Cidr;
  if (typeof text !== 'string') return undefined;
  const p = parsePrefix(text);
  return p && p.family === 6 ? p : undefined;
}

function declaredFor(addresses: readonly SubnetAddresses[] | undefined, subnet: string): SubnetAddresses | undefined {
  return Array.isArray(addresses) ? addresses.find(a => a !== null && typeof a === 'object' && a.subnet === subnet) : undefined;
}

/** A node that should hold an IPv6 address, and the one its model declares. */
interface PendingV6 { node: Ipv6Node; subnet: CSubnet; prefix: Prefix; declared?: string }

/** IPv6 addresses the VPC's instances hold (the mapping service must never give a node one of them). */
function instanceIpv6(vpc: CVpc): Set<bigint> {
  const taken = new Set<bigint>();
  for (const iface of vpc.instances.values()) {
    for (const text of Array.isArray(iface.model.ipv6) ? iface.model.ipv6 : []) {
      const a = typeof text === 'string' ? parseIp(text) : undefined;
      if (a && a.family === 6) taken.add(a.value);
    }
  }
  return taken;
}

/**
 * IPv6 addresses for dual-stack nodes: the declared one when it is inside the subnet's /64, not
 * reserved (the first four and the last address, §3.1) and free; otherwise, like the IPv4 ones, the
 * highest free address below the /64's last address.
 */
function assignIpv6(network: CompiledNetwork, pending: PendingV6[]): void {
  if (pending.length === 0) return;
  const takenByVpc = new Map<CVpc, Set<bigint>>();
  const taken = (vpc: CVpc) => { let t = takenByVpc.get(vpc); if (!t) takenByVpc.set(vpc, t = instanceIpv6(vpc)); return t; };
  const hold = (n: Ipv6Node, addr: bigint) => {
    n.ipv6 = addr;
    taken(n.vpc).add(addr);
    n.vpc.services.byIpv6.set(addr, n);
    if (!network.services.byIpv6.has(addr)) network.services.byIpv6.set(addr, n);
  };
  const rest: PendingV6[] = [];
  for (const p of pending) {
    const a = typeof p.declared === 'string' ? parseIp(p.declared) : undefined;
    const ok = a && a.family === 6 && prefixContains(p.prefix, a) && !reservedRole(p.prefix, a) && !taken(p.node.vpc).has(a.value);
    if (ok) hold(p.node, a.value); else rest.push(p);
  }
  for (const p of rest) {
    const used = taken(p.node.vpc);
    const last = p.prefix.network + prefixSize(p.prefix) - 1n;
    // A /64 has room; the bound only keeps a pathological (longer) prefix from looping long.
    for (let addr = last - 1n, tries = 0; addr > p.prefix.network + 3n && tries < 4096; addr--, tries++) {
      if (!used.has(addr)) { hold(p.node, addr); break; }
    }
  }
}

/** Compiles every VPC's services; call after pass 1 of compile(), before route targets resolve. */
export function compileServices(network: CompiledNetwork): void {
  // Declared addresses first, so derived ones never take them.
  const pending: (CNatGateway | CLbNode | CEndpointEni | CGwlbEndpoint)[] = [];
  const pendingV6: PendingV6[] = [];
  for (const vpc of network.vpcs.values()) {
    for (const n of list(vpc.model.natGateways)) {
      if (vpc.services.natGateways.has(n.name)) continue;
      const subnet = typeof n.subnet === 'string' ? vpc.subnetsByName.get(n.subnet) : undefined;
      const nat: CNatGateway = node('nat', {
        kind: 'nat-gateway' as const, name: n.name, qualified: `${vpc.name}.${n.name}`, vpc, origin: n.origin, model: n,
        subnet, private: n.private === true, privateIp: undefined as number | undefined, publicIp: undefined as number | undefined,
      });
      if (!nat.private) nat.publicIp = parseV4(n.publicIp);
      vpc.services.natGateways.set(n.name, nat);
      const declared = parseV4(n.privateIp);
      if (declared !== undefined && subnet?.prefix && v4Contains(subnet.prefix, declared)) {
        nat.privateIp = declared;
        if (!vpc.services.byIp.has(declared) && !vpc.byPrivateIp.has(declared)) vpc.services.byIp.set(declared, nat);
      } else if (subnet) pending.push(nat);
      if (nat.publicIp !== undefined && !network.services.natByPublicIp.has(nat.publicIp) && !network.byPublicIp.has(nat.publicIp)) {
        network.services.natByPublicIp.set(nat.publicIp, nat);
      }
    }
    for (const e of list(vpc.model.gatewayEndpoints)) {
      if (vpc.services.gatewayEndpoints.has(e.name) || !isAwsService(e.service)) continue;
      const qualified = `${vpc.name}.${e.name}`;
      let id: string | undefined;
      let underlay: string | undefined;
      const endpoint: CGatewayEndpoint = {
        kind: 'gateway-endpoint', name: e.name, qualified, vpc, service: e.service, list: prefixList(e.service, vpc.region),
        origin: e.origin,
        get id() { return id ??= resourceId('vpce', 'vpce', qualified); },
        get underlay() { return underlay ??= underlayAddress(`edge:${qualified}`); },
      };
      vpc.services.gatewayEndpoints.set(e.name, endpoint);
      // The endpoint's route (`<prefix list> -> endpoint`) goes into each table it names (§3.10),
      // unless the table already declares it.
      for (const tableName of Array.isArray(e.routeTables) ? e.routeTables : []) {
        const table = vpc.routeTables.get(tableName);
        if (!table) continue;
        if (table.routes.some(r => r.prefixList === endpoint.list.name && r.target.kind === 'missing' && r.target.name === e.name)) continue;
        table.routes.push(...prefixListRoutes(endpoint.list, e.name, `${e.service} -> ${e.name} (gateway endpoint ${e.name})`, e.origin));
        sortRoutes(table.routes);
      }
    }
  }
  for (const vpc of network.vpcs.values()) {
    for (const lb of list(vpc.model.loadBalancers)) compileLoadBalancer(network, vpc, lb, pending, pendingV6);
  }
  for (const svc of list(network.model.endpointServices)) {
    if (network.services.endpointServices.has(svc.name)) continue;
    const vpc = network.vpcs.get(svc.vpc);
    const lb = vpc?.services.loadBalancers.get(svc.loadBalancer);
    let id: string | undefined;
    const types = Array.isArray(svc.supportedIpAddressTypes) && svc.supportedIpAddressTypes.length > 0 ? svc.supportedIpAddressTypes : ['ipv4'];
    network.services.endpointServices.set(svc.name, {
      name: svc.name, vpc, lb, origin: svc.origin,
      allowedAccounts: Array.isArray(svc.allowedAccounts) ? svc.allowedAccounts.filter(a => typeof a === 'string') : [],
      supportsIpv4: types.includes('ipv4'), supportsIpv6: types.includes('ipv6'),
      get id() { return id ??= resourceId('vpce-svc', 'vpce-svc', svc.name); },
    });
  }
  for (const vpc of network.vpcs.values()) {
    for (const e of list(vpc.model.interfaceEndpoints)) {
      if (vpc.services.interfaceEndpoints.has(e.name)) continue;
      const qualified = `${vpc.name}.${e.name}`;
      let id: string | undefined;
      const endpoint: CInterfaceEndpoint = {
        kind: 'interface-endpoint', name: e.name, qualified, vpc, serviceName: e.service,
        service: network.services.endpointServices.get(e.service), ipAddressType: addressType(e.ipAddressType), enis: [], origin: e.origin,
        get id() { return id ??= resourceId('vpce', 'vpce', qualified); },
      };
      vpc.services.interfaceEndpoints.set(e.name, endpoint);
      // An interface endpoint without groups gets the VPC's default group, as an instance does.
      const named = groupsOf(vpc, e.securityGroups);
      const { groups, unresolved } = Array.isArray(e.securityGroups) && e.securityGroups.length > 0 ? named : { groups: [vpc.defaultSecurityGroup], unresolved: [] };
      const seenAz = new Set<string>();
      for (const subnetName of Array.isArray(e.subnets) ? e.subnets : []) {
        const subnet = vpc.subnetsByName.get(subnetName);
        if (!subnet || seenAz.has(subnet.az)) continue; // one subnet per AZ (the language reports more)
        seenAz.add(subnet.az);
        const eni: CEndpointEni = node('eni', {
          kind: 'endpoint-eni' as const, name: `${e.name}@${subnet.name}`, qualified: `${qualified}@${subnet.name}`, vpc, origin: e.origin,
          endpoint, subnet, az: subnet.az, privateIp: undefined as number | undefined, securityGroups: groups, unresolvedGroups: unresolved,
        });
        endpoint.enis.push(eni);
        const declared = declaredFor(e.addresses, subnet.name);
        holdOrDerive(vpc, eni, claimV4(vpc, subnet, declared?.privateIp), pending);
        const v6 = servesIpv6(endpoint.ipAddressType) ? subnetIpv6(subnet) : undefined;
        if (v6) pendingV6.push({ node: eni, subnet, prefix: v6, declared: declared?.ipv6 });
      }
    }
    for (const e of list(vpc.model.gatewayLoadBalancerEndpoints)) {
      if (vpc.services.gwlbEndpoints.has(e.name)) continue;
      const subnet = vpc.subnetsByName.get(e.subnet);
      const ep: CGwlbEndpoint = node('vpce', {
        kind: 'gwlb-endpoint' as const, name: e.name, qualified: `${vpc.name}.${e.name}`, vpc, origin: e.origin,
        serviceName: e.service, service: network.services.endpointServices.get(e.service), subnet, ipAddressType: addressType(e.ipAddressType),
        privateIp: undefined as number | undefined,
      });
      vpc.services.gwlbEndpoints.set(e.name, ep);
      if (subnet) {
        holdOrDerive(vpc, ep, claimV4(vpc, subnet, e.privateIp), pending);
        const v6 = servesIpv6(ep.ipAddressType) ? subnetIpv6(subnet) : undefined;
        if (v6) pendingV6.push({ node: ep, subnet, prefix: v6, declared: e.ipv6 });
      }
    }
  }
  for (const n of pending) {
    const addr = deriveAddress(n.vpc, n.subnet!);
    if (addr === undefined) continue;
    n.privateIp = addr;
    n.vpc.services.byIp.set(addr, n);
    if ('securityGroups' in n) for (const g of n.securityGroups) g.members.add(addr);
  }
  assignIpv6(network, pendingV6);
  for (const vpc of network.vpcs.values()) {
    for (const lb of vpc.services.loadBalancers.values()) {
      if (!lb.internetFacing) continue;
      lb.nodes.forEach((n, i) => {
        // A subnet mapping's Elastic IP overrides the positional `publicIps` entry.
        const declared = parseV4(declaredFor(lb.model.addresses, n.subnet.name)?.publicIp)
          ?? (Array.isArray(lb.model.publicIps) ? parseV4(lb.model.publicIps[i]) : undefined);
        n.publicIp = declared ?? derivePublicAddress(network, n.qualified);
        if (!network.services.lbByPublicIp.has(n.publicIp)) network.services.lbByPublicIp.set(n.publicIp, n);
      });
    }
  }
}

/** A node takes its declared address now (so derived ones never take it), else waits for a derived one. */
function holdOrDerive(vpc: CVpc, n: CLbNode | CEndpointEni | CGwlbEndpoint, declared: number | undefined, pending: (CNatGateway | CLbNode | CEndpointEni | CGwlbEndpoint)[]): void {
  if (declared === undefined) { pending.push(n); return; }
  n.privateIp = declared;
  vpc.services.byIp.set(declared, n);
  if ('securityGroups' in n) for (const g of n.securityGroups) g.members.add(declared);
}

function groupsOf(vpc: CVpc, names: readonly string[] | undefined): { groups: CSecurityGroup[]; unresolved: string[] } {
  const groups: CSecurityGroup[] = [];
  const unresolved: string[] = [];
  for (const name of Array.isArray(names) ? names : []) {
    const g = vpc.securityGroups.get(name) ?? (name === 'default' ? vpc.defaultSecurityGroup : undefined);
    if (g) { if (!groups.includes(g)) groups.push(g); } else unresolved.push(name);
  }
  return { groups, unresolved };
}

/**
 * A public address for an internet-facing load balancer node the model gives none: from
 * 3.208.0.0/12 (an AWS us-east-1 EC2 range), skipping addresses the model owns.
 */
function derivePublicAddress(network: CompiledNetwork, seed: string): number {
  const base = parseV4('3.208.0.0')!;
  let addr = base + (hash32(`public:${seed}`) % (1 << 20));
  while (network.byPublicIp.has(addr) || network.hostsByIp.has(addr) || network.services.natByPublicIp.has(addr) || network.services.lbByPublicIp.has(addr)) addr++;
  return addr;
}

function compileLoadBalancer(
  network: CompiledNetwork, vpc: CVpc, m: LoadBalancer, pending: (CLbNode | CNatGateway | CEndpointEni | CGwlbEndpoint)[], pendingV6: PendingV6[],
): void {
  if (vpc.services.loadBalancers.has(m.name)) return;
  const qualified = `${vpc.name}.${m.name}`;
  const { groups, unresolved } = groupsOf(vpc, m.securityGroups);
  let id: string | undefined;
  const lb: CLoadBalancer = {
    kind: 'load-balancer', name: m.name, qualified, vpc, model: m, type: m.type === 'gateway' ? 'gateway' : 'network',
    internetFacing: m.scheme === 'internet-facing' && m.type !== 'gateway', crossZone: m.crossZone === true,
    ipAddressType: addressType(m.ipAddressType), enforceInboundOnPrivateLink: m.enforceInboundOnPrivateLink !== false,
    nodes: [], securityGroups: groups, unresolvedGroups: unresolved, listeners: [], origin: m.origin,
    get id() { return id ??= resourceId(m.type === 'gateway' ? 'gwy' : 'net', 'elb', qualified); },
  };
  vpc.services.loadBalancers.set(m.name, lb);
  const seenAz = new Set<string>();
  for (const subnetName of Array.isArray(m.subnets) ? m.subnets : []) {
    const subnet = vpc.subnetsByName.get(subnetName);
    if (!subnet || seenAz.has(subnet.az)) continue;
    seenAz.add(subnet.az);
    const n: CLbNode = node('eni', {
      kind: 'lb-node' as const, name: `${m.name}@${subnet.az}`, qualified: `${qualified}@${subnet.az}`, vpc, origin: m.origin,
      lb, subnet, az: subnet.az, privateIp: undefined as number | undefined, publicIp: undefined as number | undefined,
      securityGroups: groups, unresolvedGroups: unresolved,
    });
    lb.nodes.push(n);
    const declared = declaredFor(m.addresses, subnet.name);
    holdOrDerive(vpc, n, claimV4(vpc, subnet, declared?.privateIp), pending);
    const v6 = servesIpv6(lb.ipAddressType) ? subnetIpv6(subnet) : undefined;
    if (v6) pendingV6.push({ node: n, subnet, prefix: v6, declared: declared?.ipv6 });
  }
  for (const l of list(m.listeners)) lb.listeners.push(compileListener(vpc, lb, l));
}

function compileListener(vpc: CVpc, lb: CLoadBalancer, l: LoadBalancerListener): CListener {
  const targetType = l.targetType === 'ip' ? 'ip' : 'instance';
  const texts = (Array.isArray(l.targets) ? l.targets : []).filter((t): t is string => typeof t === 'string');
  // The group's family is its first target's (IPv6 groups hold IP targets only).
  const family: 4 | 6 = targetType === 'ip' && texts.length > 0 && parseIp(texts[0])?.family === 6 ? 6 : 4;
  let byIpv6: Map<bigint, CInterface> | undefined;
  const targets: CTarget[] = texts.map((t): CTarget => {
    if (targetType === 'instance') {
      const iface = vpc.instances.get(t);
      return iface ? { kind: 'instance', iface, text: t } : { kind: 'missing', text: t };
    }
    if (family === 6) {
      const a = parseIp(t);
      if (!a || a.family !== 6) return { kind: 'missing', text: t };
      byIpv6 ??= instancesByIpv6(vpc);
      const iface = byIpv6.get(a.value);
      const az = iface?.subnet.az ?? vpc.subnets.find(s => { const p = subnetIpv6(s); return p && prefixContains(p, a); })?.az;
      return { kind: 'ip6', ip: a.value, ...(iface ? { iface } : {}), ...(az ? { az } : {}), text: t };
    }
    const ip = parseV4(t);
    if (ip === undefined) return { kind: 'missing', text: t };
    const iface = vpc.byPrivateIp.get(ip);
    return iface ? { kind: 'ip', ip, iface, text: t } : { kind: 'ip', ip, text: t };
  });
  // NLB-TG: preservation defaults on for instance targets and for UDP, off for IP targets with TCP.
  const preserveClientIp = l.preserveClientIp ?? (targetType === 'instance' || l.protocol === 'udp');
  const what = lb.type === 'gateway' ? 'all' : l.port !== undefined ? `${l.protocol} ${l.port}` : l.protocol;
  const text = `listener ${what} -> ${targets.map(t => t.text).join(', ')}${l.targetPort !== undefined ? ` port ${l.targetPort}` : ''}${targetType === 'ip' ? ' target-type ip' : ''}`;
  return { protocol: l.protocol, port: l.port, targets, targetType, family, targetPort: l.targetPort, preserveClientIp, text, origin: l.origin };
}

/** Instances of the VPC by IPv6 address (IPv6 IP targets). */
function instancesByIpv6(vpc: CVpc): Map<bigint, CInterface> {
  const out = new Map<bigint, CInterface>();
  for (const iface of vpc.instances.values()) {
    for (const text of Array.isArray(iface.model.ipv6) ? iface.model.ipv6 : []) {
      const a = typeof text === 'string' ? parseIp(text) : undefined;
      if (a && a.family === 6 && !out.has(a.value)) out.set(a.value, iface);
    }
  }
  return out;
}

/** One route per prefix of the list; the text shows the list, as the console does. */
export function prefixListRoutes(list: PrefixList, target: string, text: string, origin?: Origin): CRoute[] {
  return list.prefixes.map(prefix => ({ prefix, target: { kind: 'missing' as const, name: target }, text, origin, prefixList: list.name }));
}

/**
 * Longest prefix first; on equal prefixes local routes (pushed first) stay first, and a CIDR route
 * beats a prefix-list route (aws-data-plane.md §3.2: "static CIDR route beats an overlapping static
 * prefix-list route"); otherwise declaration order (stable sort).
 */
export function sortRoutes(routes: CRoute[]): void {
  routes.sort((a, b) => b.prefix.length - a.prefix.length || (a.prefixList ? 1 : 0) - (b.prefixList ? 1 : 0));
}

/** A route target naming a service of the VPC, or undefined. */
export function resolveServiceTarget(vpc: CVpc, name: string): ServiceTarget | undefined {
  const nat = vpc.services.natGateways.get(name);
  if (nat) return { kind: 'nat-gateway', nat };
  const endpoint = vpc.services.gatewayEndpoints.get(name);
  if (endpoint) return { kind: 'gateway-endpoint', endpoint };
  const gwlbe = vpc.services.gwlbEndpoints.get(name);
  if (gwlbe) return { kind: 'gwlb-endpoint', endpoint: gwlbe };
  return undefined;
}

export function isServiceTarget(target: { kind: string }): target is ServiceTarget {
  return target.kind === 'nat-gateway' || target.kind === 'gateway-endpoint' || target.kind === 'gwlb-endpoint';
}

export function natAddressText(nat: CNatGateway): string {
  return nat.privateIp !== undefined ? formatV4(nat.privateIp) : '(no address)';
}
