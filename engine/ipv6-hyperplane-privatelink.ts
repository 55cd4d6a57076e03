/**
 * Interface endpoints of dual-stack PrivateLink services over IPv6 (issue 4; PrivateLink guide,
 * "IP address types": an endpoint of type dualstack needs dual-stack subnets and a service whose
 * supported IP address types include IPv6; aws-data-plane.md §3.11).
 *
 * A consumer's IPv6 packet to the endpoint interface's IPv6 address: the interface's subnet ACL and
 * its security groups (IPv6 rules), the service (exists, a network load balancer, the account, the
 * AZ) and its support for IPv6, then PrivateLink carries the flow to the load balancer's node in the
 * endpoint's AZ with the node's IPv6 address as the source (the provider never sees the consumer's),
 * and the load balancer sends to its targets in its target group's family (ipv6-hyperplane-lb.ts).
 * The reply comes back over PrivateLink to the interface and from its address to the consumer.
 */
import type { CInterface, CSubnet } from './compile.js';
import type { CEndpointEni, CLbNode } from './services.js';
import type { Arrival6, Packet6, Walk6 } from './ipv6.js';
import { encap6, fmt, frame6, ported } from './ipv6.js';
import { hash32 } from './ids.js';
import { Codes } from './codes.js';
import { VPC_MTU } from './walk.js';
import { serviceThrough } from './privatelink.js';
import type { Origin } from './model.js';
import { arriveAtLbNode6 } from './ipv6-hyperplane-lb.js';
import { ensureServiceMembers6 } from './ipv6-hyperplane-common.js';

function end(a: bigint, port: number | undefined, p: Packet6): string {
  return ported(p) ? `[${fmt(a)}]:${port}` : fmt(a);
}

function endpointRule(eni: CEndpointEni) {
  const e = eni.endpoint;
  const text = `interface-endpoint ${e.name} service ${e.serviceName} ip-address-type ${e.ipAddressType}`;
  return e.origin ? { text, origin: e.origin } : { text };
}

function serviceRule(svc: { name: string; origin?: Origin }) {
  return svc.origin ? { text: `endpoint-service ${svc.name}`, origin: svc.origin } : { text: `endpoint-service ${svc.name}` };
}

/** An IPv6 packet to an endpoint interface: its ACL and groups, the service, then PrivateLink to the provider's node. */
export function arriveAtEndpointEni6(walk: Walk6, eni: CEndpointEni, p: Packet6, sender: { underlay: string }, fromSubnet: CSubnet | undefined): Arrival6 | undefined {
  const w = walk.w;
  const e = eni.endpoint;
  if (w.record) w.hop({
    component: e.qualified, kind: 'interface-endpoint', place: 'hyperplane', action: 'decapsulate', origin: e.origin,
    detail: `Interface endpoint ${e.name} (${e.id}): its interface in subnet ${eni.subnet.name} (${fmt(eni.ipv6!)}, ${eni.eniId}) receives the IPv6 packet from ${sender.underlay}.`,
    stack: () => frame6(p, eni.subnet.gatewayMac, eni.mac), mtu: VPC_MTU,
  });
  if (fromSubnet !== eni.subnet && !walk.acl(eni.subnet, 'inbound', p, 'hyperplane')) return undefined;
  ensureServiceMembers6(walk);
  if (!walk.sg(eni as unknown as CInterface, 'inbound', p, 'hyperplane')) return undefined;
  // A dual-stack endpoint needs a service that supports IPv6 (SupportedIpAddressTypes).
  const through = serviceThrough(w, eni, s => s.supportsIpv6 ? undefined : {
    component: `endpoint-service.${s.name}`, kind: 'endpoint-service', place: 'hyperplane', origin: s.origin, code: Codes.INVALID_CONFIGURATION, rule: serviceRule(s),
    detail: `Endpoint service ${s.name} accepts IPv4 only (its supported-ip-address-types do not include ipv6): it takes no IPv6 traffic from interface endpoint ${e.name}.`,
  }, endpointRule(eni));
  if (!through) return undefined;
  const { svc, lb, node: inAz } = through;
  const svcRule = serviceRule(svc);
  if (inAz.ipv6 === undefined) {
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: Codes.INVALID_CONFIGURATION, rule: svcRule,
      detail: `Endpoint service ${svc.name} supports IPv6, but its load balancer ${lb.name} has no IPv6 address in ${eni.az} (a service supports IPv6 only with a dual-stack load balancer in dual-stack subnets).`,
    });
  }
  const node = inAz;
  const inside: Packet6 = { ...p, src: node.ipv6!, servedBy: e.qualified };
  if (ported(p)) inside.srcPort = 1024 + (hash32(`${e.qualified}|${p.protocol}|${p.src}:${p.srcPort}|${p.dstPort}`) % 64512);
  if (w.record) w.hop({
    component: `endpoint-service.${svc.name}`, kind: 'endpoint-service', place: 'hyperplane', action: 'translate', origin: svc.origin,
    detail: `PrivateLink carries the IPv6 flow from VPC ${e.vpc.name} (account ${e.vpc.account}) to endpoint service ${svc.name} (${svc.id}) in VPC ${svc.vpc.name} (account ${svc.vpc.account}): to load balancer ${lb.name}'s node in ${node.az}; source ${end(p.src, p.srcPort, p)} → ${end(inside.src, inside.srcPort, inside)} (the node's IPv6 address: the provider never sees the consumer's).`,
    stack: () => encap6(inside, eni.underlay, node.underlay, svc.vpc!.id, eni.eniId, node.eniId), mtu: VPC_MTU,
  });
  w.underlay(eni, node);
  return arriveAtLbNode6(walk, node, inside, eni, undefined, {
    kind: 'privatelink', eni, client: p.src, clientPort: p.srcPort,
    back: (wk, n, back) => privateLinkReturn6(wk, eni, n, back, p),
  });
}

/** The provider's reply back over PrivateLink to the endpoint's interface, then from its address to the consumer. */
function privateLinkReturn6(walk: Walk6, eni: CEndpointEni, node: CLbNode, p: Packet6, request: Packet6): Arrival6 | undefined {
  const w = walk.w;
  const e = eni.endpoint;
  const back: Packet6 = { ...p, src: eni.ipv6!, dst: request.src };
  if (ported(p)) { back.srcPort = request.dstPort; back.dstPort = request.srcPort; }
  if (w.record) w.hop({
    component: `endpoint-service.${e.service!.name}`, kind: 'endpoint-service', place: 'hyperplane', action: 'translate', origin: e.service!.origin,
    detail: `PrivateLink carries the reply back to interface endpoint ${e.name} in ${eni.az}: source ${end(p.src, p.srcPort, p)} → ${end(back.src, back.srcPort, back)} (the endpoint's address), destination → ${end(back.dst, back.dstPort, back)} (the consumer).`,
    stack: () => encap6(back, node.underlay, eni.underlay, e.vpc.id, node.eniId, eni.eniId), mtu: VPC_MTU,
  });
  w.underlay(node, eni);
  if (!walk.sg(eni as unknown as CInterface, 'outbound', back, 'hyperplane')) return undefined;
  return walk.sendFromSubnet(eni, e.vpc, eni.subnet, back, `interface endpoint ${e.name}`);
}
