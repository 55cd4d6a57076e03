/**
 * Hyperplane and edge services compiled once (issue 4): NAT gateways, gateway endpoints, the
 * route targets they are, and the addresses they hold in their VPCs.
 *
 * compile.ts calls compileServices() after every VPC's subnets, groups and route tables exist and
 * before route targets are resolved, so that `0.0.0.0/0 -> nat` and `s3 -> s3ep` resolve here.
 */
import type { CInterface, CompiledNetwork, CRoute, CSecurityGroup, CSubnet, CVpc } from './compile.js';
import type { LoadBalancer, LoadBalancerListener, NatGateway, Origin, Protocol } from './model.js';
import { hash32 } from './ids.js';
import { formatV4, parseV4, v4Contains } from './ipv4.js';
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
  | { kind: 'missing'; text: string };

export interface CListener {
  protocol: Protocol;
  port?: number;
  targets: CTarget[];
  targetType: 'instance' | 'ip';
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
}

export interface CNetworkServices {
  /** Elastic IP -> public NAT gateway. */
  natByPublicIp: Map<number, CNatGateway>;
  /** Public address -> node of an internet-facing load balancer. */
  lbByPublicIp: Map<number, CLbNode>;
  endpointServices: Map<string, CEndpointService>;
}

export function emptyVpcServices(): CVpcServices {
  return {
    natGateways: new Map(), gatewayEndpoints: new Map(), loadBalancers: new Map(), interfaceEndpoints: new Map(),
    gwlbEndpoints: new Map(), byIp: new Map(),
  };
}

export function emptyNetworkServices(): CNetworkServices {
  return { natByPublicIp: new Map(), lbByPublicIp: new Map(), endpointServices: new Map() };
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

/** Compiles every VPC's services; call after pass 1 of compile(), before route targets resolve. */
export function compileServices(network: CompiledNetwork): void {
  // Declared addresses first, so derived ones never take them.
  const pending: (CNatGateway | CLbNode | CEndpointEni | CGwlbEndpoint)[] = [];
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
    for (const lb of list(vpc.model.loadBalancers)) compileLoadBalancer(network, vpc, lb, pending);
  }
  for (const svc of list(network.model.endpointServices)) {
    if (network.services.endpointServices.has(svc.name)) continue;
    const vpc = network.vpcs.get(svc.vpc);
    const lb = vpc?.services.loadBalancers.get(svc.loadBalancer);
    let id: string | undefined;
    network.services.endpointServices.set(svc.name, {
      name: svc.name, vpc, lb, origin: svc.origin,
      allowedAccounts: Array.isArray(svc.allowedAccounts) ? svc.allowedAccounts.filter(a => typeof a === 'string') : [],
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
        service: network.services.endpointServices.get(e.service), enis: [], origin: e.origin,
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
        pending.push(eni);
      }
    }
    for (const e of list(vpc.model.gatewayLoadBalancerEndpoints)) {
      if (vpc.services.gwlbEndpoints.has(e.name)) continue;
      const subnet = vpc.subnetsByName.get(e.subnet);
      const ep: CGwlbEndpoint = node('vpce', {
        kind: 'gwlb-endpoint' as const, name: e.name, qualified: `${vpc.name}.${e.name}`, vpc, origin: e.origin,
        serviceName: e.service, service: network.services.endpointServices.get(e.service), subnet, privateIp: undefined as number | undefined,
      });
      vpc.services.gwlbEndpoints.set(e.name, ep);
      if (subnet) pending.push(ep);
    }
  }
  for (const n of pending) {
    const addr = deriveAddress(n.vpc, n.subnet!);
    if (addr === undefined) continue;
    n.privateIp = addr;
    n.vpc.services.byIp.set(addr, n);
    if ('securityGroups' in n) for (const g of n.securityGroups) g.members.add(addr);
  }
  for (const vpc of network.vpcs.values()) {
    for (const lb of vpc.services.loadBalancers.values()) {
      if (!lb.internetFacing) continue;
      lb.nodes.forEach((n, i) => {
        const declared = Array.isArray(lb.model.publicIps) ? parseV4(lb.model.publicIps[i]) : undefined;
        n.publicIp = declared ?? derivePublicAddress(network, n.qualified);
        if (!network.services.lbByPublicIp.has(n.publicIp)) network.services.lbByPublicIp.set(n.publicIp, n);
      });
    }
  }
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

function compileLoadBalancer(network: CompiledNetwork, vpc: CVpc, m: LoadBalancer, pending: (CLbNode | CNatGateway | CEndpointEni | CGwlbEndpoint)[]): void {
  if (vpc.services.loadBalancers.has(m.name)) return;
  const qualified = `${vpc.name}.${m.name}`;
  const { groups, unresolved } = groupsOf(vpc, m.securityGroups);
  let id: string | undefined;
  const lb: CLoadBalancer = {
    kind: 'load-balancer', name: m.name, qualified, vpc, model: m, type: m.type === 'gateway' ? 'gateway' : 'network',
    internetFacing: m.scheme === 'internet-facing' && m.type !== 'gateway', crossZone: m.crossZone === true,
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
    pending.push(n);
  }
  for (const l of list(m.listeners)) lb.listeners.push(compileListener(vpc, lb, l));
}

function compileListener(vpc: CVpc, lb: CLoadBalancer, l: LoadBalancerListener): CListener {
  const targetType = l.targetType === 'ip' ? 'ip' : 'instance';
  const targets: CTarget[] = (Array.isArray(l.targets) ? l.targets : []).map((t): CTarget => {
    if (targetType === 'instance') {
      const iface = vpc.instances.get(t);
      return iface ? { kind: 'instance', iface, text: t } : { kind: 'missing', text: t };
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
  return { protocol: l.protocol, port: l.port, targets, targetType, targetPort: l.targetPort, preserveClientIp, text, origin: l.origin };
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
