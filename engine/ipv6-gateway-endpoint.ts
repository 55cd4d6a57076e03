/**
 * IPv6 through a dual-stack gateway endpoint (S3; aws-data-plane.md §3.10): with `ip-address-type
 * dualstack` the endpoint's route also carries the IPv6 prefixes of the service's prefix list
 * (prefix-lists.ts), so an IPv6 flow to S3 leaves through the endpoint instead of the internet or
 * egress-only gateway. The rules are the IPv4 endpoint's (gateway-endpoint.ts): TCP and ICMP echo only
 * (VPCE_GATEWAY_PROTOCOL_RESTRICTION), only from the VPC's own interfaces — nothing that came over a
 * peering or a transit gateway (VPCE_GATEWAY_SOURCE_NOT_IN_VPC, no edge-to-edge routing); replies
 * come back from the address the request went to, through the interface's network ACL.
 */
import type { CSubnet } from './compile.js';
import type { CGatewayEndpoint } from './services.js';
import type { Place } from './path.js';
import type { PrefixList } from './prefix-lists.js';
import { prefixContains } from './ip.js';
import { Codes } from './codes.js';
import { VPC_MTU } from './walk.js';
import { encap6, fmt, inner6, serviceName, type Arrival6, type Packet6, type Sender6, type Walk6 } from './ipv6.js';

function endpointRule(ep: CGatewayEndpoint) {
  const text = `gateway-endpoint ${ep.name} service ${ep.service} ip-address-type dualstack`;
  return ep.origin ? { text, origin: ep.origin } : { text };
}

/** RA semantics for IPv6 too: TCP, or ICMPv6 echo (request in, reply out). */
function accepts(p: Packet6): boolean {
  return p.protocol === 'tcp' || p.protocol === 'icmp';
}

/** A route of the subnet's table (already recorded) sends the IPv6 packet to the endpoint. */
export function routeToGatewayEndpoint6(walk: Walk6, sender: Sender6, subnet: CSubnet, p: Packet6, place: Place, ep: CGatewayEndpoint): Arrival6 | undefined {
  const w = walk.w;
  const vpc = subnet.vpc;
  if (p.via && p.via !== 'internet-gateway') {
    return w.fail({
      component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', origin: ep.origin, code: Codes.VPCE_GATEWAY_SOURCE_NOT_IN_VPC, rule: endpointRule(ep),
      detail: `Gateway endpoint ${ep.name} only carries traffic from interfaces in VPC ${vpc.name}; this IPv6 packet came in over ${p.via}, and gateway endpoints are not reachable from outside their VPC (no edge-to-edge routing).`,
    });
  }
  const own = walk.view.vpcCidrs.get(vpc) ?? [];
  if (!own.some(c => prefixContains(c, { family: 6, value: p.src }))) {
    return w.fail({
      component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', origin: ep.origin, code: Codes.VPCE_GATEWAY_SOURCE_NOT_IN_VPC, rule: endpointRule(ep),
      detail: `Gateway endpoint ${ep.name} only carries traffic from VPC ${vpc.name}; the source ${fmt(p.src)} is outside its IPv6 CIDRs.`,
    });
  }
  if (!accepts(p)) {
    return w.fail({
      component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', origin: ep.origin, code: Codes.VPCE_GATEWAY_PROTOCOL_RESTRICTION, rule: endpointRule(ep),
      detail: `Gateway endpoint ${ep.name} accepts TCP and ICMPv6 echo only, not ${p.protocol === 'all' ? 'traffic of any protocol' : p.protocol.toUpperCase()}.`,
    });
  }
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
    detail: `The mapping service sends traffic for gateway endpoint ${ep.name} (${ep.id}) to its Blackfoot edge at ${ep.underlay}.`,
    stack: () => encap6(p, sender.underlay, ep.underlay, vpc.id, sender.eniId, ep.id), mtu: VPC_MTU,
  });
  w.underlay(sender, ep);
  if (w.record) w.hop({
    component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', action: 'deliver', origin: ep.origin, rule: endpointRule(ep),
    detail: `Gateway endpoint ${ep.name} (${ep.id}) strips the VPC encapsulation and hands the IPv6 packet to ${serviceName(ep.list)} (${ep.list.name}) over the AWS network, not the internet; the source stays ${fmt(p.src)}.`,
    stack: () => inner6(p),
  });
  return { kind: 'aws-service', list: ep.list, packet: p, via: ep };
}

/** The service's IPv6 reply back through the endpoint to the interface that asked. */
export function replyThroughGatewayEndpoint6(walk: Walk6, ep: CGatewayEndpoint, list: PrefixList, p: Packet6): Arrival6 | undefined {
  const w = walk.w;
  const vpc = ep.vpc;
  if (w.record) w.hop({
    component: list.name, kind: 'gateway-endpoint', place: w.senderPlace, action: 'send',
    detail: `${serviceName(list)} answers from ${fmt(p.src)} (prefix list ${list.name}).`, stack: () => inner6(p),
  });
  if (!accepts(p)) {
    return w.fail({
      component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', origin: ep.origin, code: Codes.VPCE_GATEWAY_PROTOCOL_RESTRICTION, rule: endpointRule(ep),
      detail: `Gateway endpoint ${ep.name} only emits TCP and ICMPv6 echo replies.`,
    });
  }
  const target = walk.view.byAddr.get(p.dst);
  if (!target || target.vpc !== vpc) return walk.noInterface(vpc, p.dst, 'blackfoot');
  if (w.record) w.hop({
    component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', action: 'encapsulate', origin: ep.origin, rule: endpointRule(ep),
    detail: `Gateway endpoint ${ep.name}: the mapping service resolves ${fmt(p.dst)} in ${vpc.id} to ${target.qualified} (${target.eniId}) on ${target.host}.`,
    stack: () => encap6(p, ep.underlay, target.underlay, vpc.id, ep.id, target.eniId), mtu: VPC_MTU,
  });
  w.underlay(ep, target);
  return walk.deliver(target, p, undefined, { mac: target.subnet.gatewayMac, underlay: ep.underlay }, false);
}
