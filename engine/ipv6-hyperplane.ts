/**
 * IPv6 through Hyperplane services (issue 4): dual-stack network load balancers, interface endpoints
 * of dual-stack PrivateLink services, and gateway load balancer endpoints carrying IPv6 inside GENEVE.
 *
 * ipv6.ts calls these at four points of an IPv6 walk; each returns NOT_HYPERPLANE when the address or
 * the endpoint is not one of these services, so the IPv6 walk goes on as before. The elements live in
 * ipv6-hyperplane-lb.ts (load balancers), ipv6-hyperplane-privatelink.ts (interface endpoints) and
 * ipv6-hyperplane-geneve.ts (GWLB endpoints).
 */
import type { CompiledNetwork, CRouteTable, CSubnet, CVpc } from './compile.js';
import type { EndpointRef } from './model.js';
import type { Place } from './path.js';
import type { Arrival6, End6, Packet6, V6View, Walk6 } from './ipv6.js';
import { encap6, fmt } from './ipv6.js';
import { Codes } from './codes.js';
import { VPC_MTU } from './walk.js';
import { servesIpv6 } from './services.js';
import { noNodeInZone } from './endpoints.js';
import { arriveAtLbNode6, internetToLbNode6 } from './ipv6-hyperplane-lb.js';
import { arriveAtEndpointEni6 } from './ipv6-hyperplane-privatelink.js';
import { routeToGwlbEndpointV6 } from './ipv6-hyperplane-geneve.js';
import type { Sender6Like } from './ipv6-hyperplane-common.js';

export const NOT_HYPERPLANE = Symbol('not a Hyperplane address');

type Error6 = Extract<End6, { kind: 'error' }>;

function error(code: string, reason: string, component?: string): Error6 {
  return { kind: 'error', code, reason, ...(component ? { component } : {}) };
}

/**
 * A load balancer or interface endpoint named as the destination of an IPv6 flow: the IPv6 address of
 * its node or interface in the sender's AZ (or the `in <zone>` one), else the first; from the
 * internet only an internet-facing load balancer's.
 */
export function hyperplaneEnd6(network: CompiledNetwork, _view: V6View, ref: EndpointRef, source?: End6): End6 {
  if (ref?.kind !== 'load-balancer' && ref?.kind !== 'interface-endpoint') {
    return error(Codes.NO_SOURCE_OR_DESTINATION, `The endpoint ${JSON.stringify(ref)} cannot take part in an IPv6 flow.`);
  }
  const qualified = `${ref.vpc}.${ref.name}`;
  if (!source) {
    return ref.kind === 'interface-endpoint'
      // RA VPCE_INTRA_VPC_TRAFFIC: an endpoint only answers connections its VPC started (endpoints.ts).
      ? error(Codes.VPCE_INTRA_VPC_TRAFFIC, `Interface endpoint ${qualified} cannot start connections: the service behind it only answers connections that resources in VPC ${ref.vpc} start (PrivateLink is one-directional).`, qualified)
      : error(Codes.NO_SOURCE_OR_DESTINATION, `Load balancer ${qualified} does not start connections; it forwards connections to its targets.`);
  }
  const vpc = network.vpcs.get(ref.vpc);
  const zone = typeof ref.zone === 'string' ? ref.zone : undefined;
  const az = zone ?? (source.kind === 'interface' && source.iface.vpc === vpc ? source.iface.subnet.az : undefined);
  if (ref.kind === 'interface-endpoint') {
    const e = vpc?.services.interfaceEndpoints.get(ref.name);
    if (!e) return error(Codes.NO_SOURCE_OR_DESTINATION, `There is no interface endpoint ${ref.name} in VPC ${ref.vpc}.`);
    if (!servesIpv6(e.ipAddressType)) return error(Codes.INVALID_CONFIGURATION, `Interface endpoint ${qualified} has no IPv6 address: its IP address type is ipv4 (dualstack gives its interfaces IPv6 addresses).`, qualified);
    const enis = e.enis.filter(n => n.ipv6 !== undefined);
    if (enis.length === 0) return error(Codes.INVALID_CONFIGURATION, `Interface endpoint ${qualified} is dualstack, but none of its subnets has an IPv6 CIDR, so its interfaces have no IPv6 address.`, qualified);
    const eni = zone !== undefined ? enis.find(n => n.az === zone) : enis.find(n => n.az === az) ?? enis[0];
    if (!eni) { const err = noNodeInZone(qualified, 'interface-endpoint', zone!, enis.map(n => n.az)); return error(err.code, err.reason, err.component); }
    return { kind: 'served-by', qualified, addr: eni.ipv6! };
  }
  const lb = vpc?.services.loadBalancers.get(ref.name);
  if (!lb) return error(Codes.NO_SOURCE_OR_DESTINATION, `There is no load balancer ${ref.name} in VPC ${ref.vpc}.`);
  if (!servesIpv6(lb.ipAddressType)) return error(Codes.INVALID_CONFIGURATION, `Load balancer ${qualified} has no IPv6 address: its IP address type is ipv4 (dualstack gives its nodes IPv6 addresses).`, qualified);
  const nodes = lb.nodes.filter(n => n.ipv6 !== undefined);
  if (nodes.length === 0) return error(Codes.INVALID_CONFIGURATION, `Load balancer ${qualified} is dualstack, but none of its subnets has an IPv6 CIDR, so its nodes have no IPv6 address (a dual-stack requirement).`, qualified);
  // Only an internet source needs an internet-facing scheme: an internal load balancer is reachable from
  // its VPC and over peering, VPN, Direct Connect and transit gateways (ELB guide, internal load balancers:
  // "internal load balancers can only route requests from clients with access to the VPC for the load
  // balancer"). A site host over a VPN or Direct Connect is such a client.
  if ((source.kind === 'host' || source.kind === 'internet') && !lb.internetFacing) {
    return error(Codes.IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, `Load balancer ${qualified} is ${lb.type === 'gateway' ? 'a gateway load balancer' : 'internal'}: it cannot be reached from the internet, over IPv6 either.`, qualified);
  }
  const node = zone !== undefined ? nodes.find(n => n.az === zone) : nodes.find(n => n.az === az) ?? nodes[0];
  if (!node) { const err = noNodeInZone(qualified, 'load-balancer', zone!, nodes.map(n => n.az)); return error(err.code, err.reason, err.component); }
  return { kind: 'served-by', qualified, addr: node.ipv6! };
}

/**
 * A packet in VPC `vpc` for an address no instance holds: a load balancer node's or an endpoint's.
 * `fromSubnet` is the subnet the sender sent from; undefined when the packet entered the VPC from
 * outside (a peering, a virtual private gateway), which never delivers at layer 2 nor skips an ACL.
 */
export function hyperplaneLocal6(walk: Walk6, sender: Sender6Like, vpc: CVpc, fromSubnet: CSubnet | undefined, p: Packet6, place: Place): Arrival6 | undefined | typeof NOT_HYPERPLANE {
  const node = vpc.services.byIpv6.get(p.dst);
  if (!node) return NOT_HYPERPLANE;
  const w = walk.w;
  const from = sender;
  const layer2 = fromSubnet !== undefined && node.subnet === fromSubnet;
  if (w.record) w.hop({
    component: layer2 ? `${vpc.name}.virtual-router` : `${vpc.name}.mapping-service`, kind: layer2 ? 'virtual-router' : 'mapping-service', place, action: 'encapsulate',
    detail: `${layer2 ? `${fmt(p.dst)} is in subnet ${fromSubnet.name}'s own /64: delivered at layer 2 (no route table, no network ACL)` : `The mapping service resolves ${fmt(p.dst)} in ${vpc.id}`} to ${node.qualified} (${node.eniId}) on Hyperplane (${node.underlay}).`,
    stack: () => encap6(p, from.underlay, node.underlay, vpc.id, from.eniId, node.eniId), mtu: VPC_MTU,
  });
  w.underlay(from, node);
  switch (node.kind) {
    case 'lb-node': return arriveAtLbNode6(walk, node, p, from, fromSubnet, { kind: 'vpc' });
    case 'endpoint-eni': return arriveAtEndpointEni6(walk, node, p, from, fromSubnet);
    case 'gwlb-endpoint':
      return w.fail({
        component: node.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', origin: node.origin, code: Codes.NO_POSSIBLE_DESTINATION,
        detail: `Gateway load balancer endpoint ${node.name} is a route target: it takes packets routed to it, not packets addressed to it.`,
      });
  }
}

/** A packet on the internet for a global address no instance holds: an internet-facing load balancer node's. */
export function hyperplaneFromInternet6(walk: Walk6, p: Packet6): Arrival6 | undefined | typeof NOT_HYPERPLANE {
  const node = walk.network.services.byIpv6.get(p.dst);
  if (!node) return NOT_HYPERPLANE;
  if (node.kind === 'lb-node') return internetToLbNode6(walk, node, p);
  return walk.w.fail({
    component: node.qualified, kind: node.kind === 'endpoint-eni' ? 'interface-endpoint' : 'gateway-load-balancer-endpoint', place: 'internet', origin: node.origin,
    code: Codes.NO_POSSIBLE_DESTINATION,
    detail: `${fmt(p.dst)} is the IPv6 address of ${node.kind === 'endpoint-eni' ? `interface endpoint ${node.endpoint.qualified}` : `gateway load balancer endpoint ${node.qualified}`}: an endpoint takes traffic from its own VPC's resources, not from the internet.`,
  });
}

/**
 * An IPv6 route of `table` (a subnet's, or a gateway route table's) to a gateway load balancer endpoint;
 * `fromSubnet` is the sending subnet, undefined at the edge (the internet gateway).
 */
export function routeToGwlbEndpoint6(walk: Walk6, sender: Sender6Like, vpc: CVpc, table: CRouteTable, fromSubnet: CSubnet | undefined, p: Packet6, place: Place, name: string): Arrival6 | undefined {
  return routeToGwlbEndpointV6(walk, sender, vpc, table, fromSubnet, p, place, name);
}
