/**
 * Gateway load balancer endpoints for IPv6 (issue 4; aws-data-plane.md §5.1, §4, §3.11).
 *
 * An IPv6 route (`::/0` or narrower) may name a GWLB endpoint of ip-address-type dualstack (an ipv4
 * endpoint takes no IPv6: the route is refused, INVALID_CONFIGURATION here). The IPv6 packet rides
 * GENEVE like an IPv4 one: "IPv4 and IPv6 client traffic are both carried inside an IPv4 GENEVE outer
 * header" (§5.1) — outer IPv4 + UDP 6081 + GENEVE with AWS's options (68 bytes), protocol type
 * 0x86DD, then the customer's IPv6 header (40 bytes) unchanged. The appliance's ACL and groups see
 * the outer IPv4 UDP packet; the endpoint then forwards the inner packet by its subnet's IPv6 routes.
 */
import type { CRouteTable, CSubnet, CVpc } from './compile.js';
import type { CGwlbEndpoint } from './services.js';
import type { Header, Place } from './path.js';
import type { Arrival6, Packet6, Walk6 } from './ipv6.js';
import { encap6, fmt, frame6, inner6 } from './ipv6.js';
import { Codes } from './codes.js';
import { VPC_MTU } from './walk.js';
import { servesIpv6 } from './services.js';
import { endpointRule, firstVisit, geneveHeader, geneveOuter, geneveTunnelForFlow, selectAppliance, throughAppliance, type GeneveTunnel } from './geneve.js';
import type { Sender6Like } from './ipv6-hyperplane-common.js';

/** Outer IPv4, outer UDP 6081, GENEVE (protocol type IPv6), then the customer's IPv6 packet unchanged. */
export function geneveStack6(t: GeneveTunnel, ep: CGwlbEndpoint, p: Packet6, returning: boolean): Header[] {
  return [...geneveOuter(t, returning), geneveHeader(t, ep, 6), ...inner6(p)];
}

/** A subnet's (or an edge table's: `fromSubnet` undefined) IPv6 route sends the packet to a gateway load balancer endpoint. */
export function routeToGwlbEndpointV6(walk: Walk6, sender: Sender6Like, vpc: CVpc, table: CRouteTable, fromSubnet: CSubnet | undefined, p: Packet6, place: Place, name: string): Arrival6 | undefined {
  const w = walk.w;
  const ep = vpc.services.gwlbEndpoints.get(name);
  if (!ep) {
    return w.fail({ component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.BAD_STATE_ROUTE, detail: `Route table ${table.name} sends ${fmt(p.dst)} to ${name}, which is not a gateway load balancer endpoint of VPC ${vpc.name}: a blackhole.` });
  }
  if (!servesIpv6(ep.ipAddressType)) {
    return w.fail({
      component: ep.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', origin: ep.origin, code: Codes.INVALID_CONFIGURATION, rule: endpointRule(ep),
      detail: `Route table ${table.name} sends IPv6 traffic to gateway load balancer endpoint ${ep.name}, whose IP address type is ipv4: only a dualstack endpoint takes IPv6 (AWS refuses the route).`,
    });
  }
  if (!ep.subnet || ep.privateIp === undefined) {
    return w.fail({ component: ep.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', origin: ep.origin, code: Codes.INVALID_CONFIGURATION, rule: endpointRule(ep), detail: `Gateway load balancer endpoint ${ep.name} has no usable subnet or address.` });
  }
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
    detail: `The mapping service sends traffic for endpoint ${ep.name} (${ep.id}) to Hyperplane (${ep.underlay}).`,
    stack: () => encap6(p, sender.underlay, ep.underlay, vpc.id, sender.eniId, ep.eniId), mtu: VPC_MTU,
  });
  w.underlay(sender, ep);
  return inspect6(walk, ep, p, fromSubnet);
}

function inspect6(walk: Walk6, ep: CGwlbEndpoint, p: Packet6, fromSubnet: CSubnet | undefined): Arrival6 | undefined {
  const w = walk.w;
  const epSubnet = ep.subnet!;
  if (!firstVisit(w, ep)) return undefined;
  if (w.record) w.hop({
    component: ep.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', action: 'decapsulate', origin: ep.origin, rule: endpointRule(ep),
    detail: `Gateway load balancer endpoint ${ep.name} (${ep.id}, subnet ${epSubnet.name}, ${fmt(ep.ipv6 ?? 0n)}) takes the IPv6 packet for inspection.`,
    stack: () => frame6(p, epSubnet.gatewayMac, ep.mac), mtu: VPC_MTU,
  });
  if (fromSubnet !== epSubnet && !walk.acl(epSubnet, 'inbound', p, 'hyperplane')) return undefined;
  const chosen = selectAppliance(w, ep);
  if (!chosen) return undefined;
  const { svc, lb, node } = chosen;
  // A dualstack GWLB endpoint carries IPv6 only when its service supports IPv6 (SupportedIpAddressTypes),
  // which in turn needs a dual-stack gateway load balancer — the same check as a dualstack interface
  // endpoint's (ipv6-hyperplane-privatelink.ts; PrivateLink guide, "IP address types").
  if (!svc.supportsIpv6) {
    return w.fail({
      component: `endpoint-service.${svc.name}`, kind: 'endpoint-service', place: 'hyperplane', origin: svc.origin, code: Codes.INVALID_CONFIGURATION,
      rule: svc.origin ? { text: `endpoint-service ${svc.name}`, origin: svc.origin } : { text: `endpoint-service ${svc.name}` },
      detail: `Endpoint service ${svc.name} accepts IPv4 only (its supported-ip-address-types do not include ipv6): it takes no IPv6 traffic from gateway load balancer endpoint ${ep.name}.`,
    });
  }
  if (!servesIpv6(lb.ipAddressType)) {
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: Codes.INVALID_CONFIGURATION,
      detail: `Endpoint service ${svc.name} supports IPv6, but its gateway load balancer ${lb.name} has IP address type ${lb.ipAddressType}: a service supports IPv6 only with a dual-stack load balancer.`,
    });
  }
  const lo = p.src < p.dst ? p.src : p.dst;
  const hi = p.src < p.dst ? p.dst : p.src;
  const t = geneveTunnelForFlow(ep, node, chosen.appliance.privateIp!, `${p.protocol}|${lo}|${hi}`);
  if (w.record) w.hop({
    component: `endpoint-service.${svc.name}`, kind: 'endpoint-service', place: 'hyperplane', action: 'forward', origin: svc.origin,
    detail: `PrivateLink carries the IPv6 packet from endpoint ${ep.name} to endpoint service ${svc.name} (${svc.id}): gateway load balancer ${lb.name}'s node in ${node.az}.`,
    stack: () => encap6(p, ep.underlay, node.underlay, svc.vpc!.id, ep.eniId, node.eniId), mtu: VPC_MTU,
  });
  if (!throughAppliance(w, chosen, t, returning => geneveStack6(t, ep, p, returning), 'the IPv6 packet (inside the IPv4 GENEVE outer header, §5.1)')) return undefined;
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'decapsulate', origin: lb.origin,
    detail: `Gateway load balancer ${lb.name} strips GENEVE and returns the IPv6 packet to endpoint ${ep.name} over PrivateLink.`,
    stack: () => inner6(p), mtu: VPC_MTU,
  });
  return sendFromGwlbEndpoint6(walk, ep, p);
}

/** After inspection the endpoint forwards the IPv6 packet by its own subnet's route table. */
function sendFromGwlbEndpoint6(walk: Walk6, ep: CGwlbEndpoint, p: Packet6): Arrival6 | undefined {
  const w = walk.w;
  const subnet = ep.subnet!;
  if (w.record) w.hop({
    component: ep.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', action: 'forward', origin: ep.origin, rule: endpointRule(ep),
    detail: `Endpoint ${ep.name} forwards the inspected IPv6 packet by the route table of its subnet ${subnet.name}.`,
    stack: () => frame6(p, ep.mac, subnet.gatewayMac), mtu: VPC_MTU,
  });
  return walk.sendFromSubnet(ep, ep.vpc, subnet, p, `gateway load balancer endpoint ${ep.name}`);
}
