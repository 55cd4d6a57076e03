/**
 * IPv6 through Hyperplane services (issue 4): dual-stack network load balancers, interface endpoints
 * of dual-stack PrivateLink services, and gateway load balancer endpoints carrying IPv6 inside GENEVE.
 *
 * ipv6.ts calls these at four points of an IPv6 walk; each returns NOT_HYPERPLANE when the address or
 * the endpoint is not one of these services, so the IPv6 walk goes on as before.
 */
import type { CompiledNetwork, CInterface, CSubnet } from './compile.js';
import type { EndpointRef } from './model.js';
import type { Place } from './path.js';
import type { Arrival6, End6, Packet6, V6View, Walk6 } from './ipv6.js';
import { Codes } from './codes.js';

export const NOT_HYPERPLANE = Symbol('not a Hyperplane address');

/** A load balancer or interface endpoint named as an endpoint of an IPv6 flow. */
export function hyperplaneEnd6(network: CompiledNetwork, _view: V6View, ref: EndpointRef, _source?: End6): End6 {
  if (ref?.kind !== 'load-balancer' && ref?.kind !== 'interface-endpoint') {
    return { kind: 'error', code: Codes.NO_SOURCE_OR_DESTINATION, reason: `The endpoint ${JSON.stringify(ref)} cannot take part in an IPv6 flow.` };
  }
  const vpc = network.vpcs.get(ref.vpc);
  const what = ref.kind === 'load-balancer' ? 'load balancer' : 'interface endpoint';
  return {
    kind: 'error', code: Codes.INVALID_CONFIGURATION, component: `${ref.vpc}.${ref.name}`,
    reason: `${what} ${ref.vpc}.${ref.name}${vpc ? '' : ' (unknown VPC)'} has no IPv6 address: its IP address type is ipv4.`,
  };
}

/** A packet in a VPC for an address no instance holds: a load balancer node's or an endpoint's. */
export function hyperplaneLocal6(_walk: Walk6, _sender: CInterface, _subnet: CSubnet, _p: Packet6, _place: Place): Arrival6 | undefined | typeof NOT_HYPERPLANE {
  return NOT_HYPERPLANE;
}

/** A packet on the internet for a global address no instance holds: an internet-facing load balancer node's. */
export function hyperplaneFromInternet6(_walk: Walk6, _p: Packet6): Arrival6 | undefined | typeof NOT_HYPERPLANE {
  return NOT_HYPERPLANE;
}

/** An IPv6 route to a gateway load balancer endpoint. */
export function routeToGwlbEndpoint6(walk: Walk6, _sender: CInterface, subnet: CSubnet, _p: Packet6, place: Place, name: string): Arrival6 | undefined {
  const table = subnet.routeTable;
  return walk.w.fail({
    component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.INVALID_CONFIGURATION,
    detail: `Route table ${table.name} sends IPv6 traffic to gateway load balancer endpoint ${name}, which vnet models for IPv4 only.`,
  });
}
