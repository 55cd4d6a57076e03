/**
 * Where the walk (walk.ts) hands a packet to a Hyperplane or edge service (issue 4), and which
 * element file takes it: one dispatch per entry point, so walk.ts needs one line per hook.
 */
import type { CInternetGateway, CRoute, CSubnet } from './compile.js';
import type { ServiceNode, ServiceTarget } from './services.js';
import type { Packet } from './packet.js';
import type { Place } from './path.js';
import type { Source } from './endpoints.js';
import { formatV4 } from './ipv4.js';
import { innerStack } from './packet.js';
import { serviceOwning } from './prefix-lists.js';
import { arriveAtNatGateway, internetToNatGateway, natGatewayToInternet, routeToNatGateway } from './nat-gateway.js';
import { replyThroughGatewayEndpoint, routeToGatewayEndpoint } from './gateway-endpoint.js';
import { arriveAtLbNode, internetToLbNode, replyThroughLoadBalancer, type LbSession } from './load-balancer.js';
import { arriveAtEndpointEni } from './privatelink.js';
import { routeToGwlbEndpoint } from './geneve.js';
import type { CInterface } from './compile.js';
import { Codes } from './codes.js';
import type { Arrival, Sender, Walker } from './walk.js';

/** A route of a subnet's table sends the packet to a service. */
export function routeToService(
  w: Walker, sender: Sender, subnet: CSubnet, p: Packet, match: CRoute, target: ServiceTarget, place: Place,
): Arrival | undefined {
  switch (target.kind) {
    case 'nat-gateway': return routeToNatGateway(w, sender, subnet, p, match, target.nat, place);
    case 'gateway-endpoint': return routeToGatewayEndpoint(w, sender, subnet, p, match, target.endpoint, place);
    case 'gwlb-endpoint': return routeToGwlbEndpoint(w, sender, subnet, p, match, target.endpoint, place);
  }
}

/** The packet is addressed to a service's own address in the VPC (the mapping service found it). */
export function arriveAtService(
  w: Walker, node: ServiceNode, p: Packet, sender: Sender, fromSubnet: CSubnet, _layer2: boolean,
): Arrival | undefined {
  switch (node.kind) {
    case 'nat-gateway': return arriveAtNatGateway(w, node, p, sender, fromSubnet);
    case 'lb-node':
      if (node.lb.type === 'gateway') {
        return w.fail({
          component: node.lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: node.lb.origin, code: Codes.NO_POSSIBLE_DESTINATION,
          detail: `${node.lb.qualified} is a gateway load balancer: traffic reaches it only through a gateway load balancer endpoint, not at its address.`,
        });
      }
      return arriveAtLbNode(w, node, p, sender, fromSubnet, { kind: 'vpc' });
    case 'endpoint-eni': return arriveAtEndpointEni(w, node, p, sender, fromSubnet);
    case 'gwlb-endpoint':
      return w.fail({
        component: node.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', origin: node.origin, code: Codes.NO_POSSIBLE_DESTINATION,
        detail: `Gateway load balancer endpoint ${node.name} is a route target: it takes packets routed to it, not packets addressed to it.`,
      });
  }
}

/** A service's address is the source of a packet at the internet gateway. */
export function egressFromService(w: Walker, igw: CInternetGateway, node: ServiceNode, p: Packet): Arrival | undefined {
  switch (node.kind) {
    case 'nat-gateway': return natGatewayToInternet(w, igw, node, p);
    default:
      return w.fail({
        component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', origin: igw.origin, code: Codes.IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS,
        detail: `Internet gateway ${igw.name} only forwards traffic from addresses paired with a public one; ${node.qualified}'s address ${formatV4(p.src)} is not.`,
      });
  }
}

/**
 * A target answers a flow a load balancer forwarded to it: the reply goes back to the load balancer,
 * not by the route table. null when the interface holds no such flow.
 */
export function replyToService(w: Walker, iface: CInterface, p: Packet): Arrival | undefined | null {
  const s = w.sessions.get(iface) as LbSession | undefined;
  if (!s || s.kind !== 'lb' || !p.reply || p.dst !== s.seenSrc || p.src !== s.target) return null;
  return replyThroughLoadBalancer(w, iface, s, p);
}

/**
 * The internet carries a packet to a public address a service owns (a NAT gateway's Elastic IP, an
 * AWS service's prefix list); null when no service owns it.
 */
export function internetToService(w: Walker, p: Packet): Arrival | undefined | null {
  const nat = w.network.services.natByPublicIp.get(p.dst);
  if (nat) return internetToNatGateway(w, nat, p);
  const node = w.network.services.lbByPublicIp.get(p.dst);
  if (node) return internetToLbNode(w, node, p);
  const list = serviceOwning(p.dst);
  if (list) {
    if (w.record) w.hop({
      component: list.name, kind: 'internet', place: w.receiverPlace, action: 'deliver',
      detail: `${formatV4(p.dst)} is in prefix list ${list.name}: ${list.service === 's3' ? 'Amazon S3' : 'Amazon DynamoDB'} receives it over the internet.`,
      stack: () => innerStack(p),
    });
    return { kind: 'aws-service', list, packet: p };
  }
  return null;
}

/** An AWS service answers: back through the gateway endpoint it came from, else over the internet. */
export function startFromService(w: Walker, source: Extract<Source, { kind: 'aws-service' }>, p: Packet): Arrival | undefined {
  if (source.via) return replyThroughGatewayEndpoint(w, source.via, p);
  return w.fromInternet(p, `${source.list.name} at ${formatV4(source.addr)}`);
}
