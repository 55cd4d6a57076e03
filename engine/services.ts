/**
 * Hyperplane and edge services compiled once (issue 4): NAT gateways, gateway endpoints, the
 * route targets they are, and the addresses they hold in their VPCs.
 *
 * compile.ts calls compileServices() after every VPC's subnets, groups and route tables exist and
 * before route targets are resolved, so that `0.0.0.0/0 -> nat` and `s3 -> s3ep` resolve here.
 */
import type { CompiledNetwork, CRoute, CSubnet, CVpc } from './compile.js';
import type { NatGateway, Origin } from './model.js';
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

/** Route targets that are services of the VPC (compile.ts RouteTarget includes these). */
export type ServiceTarget =
  | { kind: 'nat-gateway'; nat: CNatGateway }
  | { kind: 'gateway-endpoint'; endpoint: CGatewayEndpoint };

/** A service node that holds an address in the VPC (what the mapping service resolves to). */
export type ServiceNode = CNatGateway;

export interface CVpcServices {
  natGateways: Map<string, CNatGateway>;
  gatewayEndpoints: Map<string, CGatewayEndpoint>;
  /** Private address -> the service node holding it. */
  byIp: Map<number, ServiceNode>;
}

export interface CNetworkServices {
  /** Elastic IP -> public NAT gateway. */
  natByPublicIp: Map<number, CNatGateway>;
}

export function emptyVpcServices(): CVpcServices {
  return { natGateways: new Map(), gatewayEndpoints: new Map(), byIp: new Map() };
}

export function emptyNetworkServices(): CNetworkServices {
  return { natByPublicIp: new Map() };
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
  const pending: CNatGateway[] = [];
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
  for (const nat of pending) {
    const addr = deriveAddress(nat.vpc, nat.subnet!);
    if (addr === undefined) continue;
    nat.privateIp = addr;
    nat.vpc.services.byIp.set(addr, nat);
  }
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
  return undefined;
}

export function isServiceTarget(target: { kind: string }): target is ServiceTarget {
  return target.kind === 'nat-gateway' || target.kind === 'gateway-endpoint';
}

export function natAddressText(nat: CNatGateway): string {
  return nat.privateIp !== undefined ? formatV4(nat.privateIp) : '(no address)';
}
