/**
 * Gateway endpoints for S3 and DynamoDB on the Blackfoot edge (aws-data-plane.md §3.10).
 *
 * A route whose destination is the service's prefix list sends the packet to the endpoint (the
 * endpoint adds that route to the tables it names; a CIDR route of equal length beats it, a longer
 * one wins by longest prefix, §3.2). The endpoint accepts TCP and ICMP echo only
 * (VPCE_GATEWAY_PROTOCOL_RESTRICTION) and only from its own VPC's interfaces: traffic that came over
 * peering, VPN, Direct Connect or a transit gateway does not use it (no edge-to-edge routing).
 * Replies come back from the prefix list's addresses to the interface, through its network ACL.
 */
import type { CRoute, CSubnet } from './compile.js';
import type { CGatewayEndpoint } from './services.js';
import type { Packet } from './packet.js';
import type { Place } from './path.js';
import { encapsulatedStack, innerStack } from './packet.js';
import { formatV4, v4Contains } from './ipv4.js';
import { Codes } from './codes.js';
import { resolveInVpc } from './mapping-service.js';
import { VPC_MTU, type Arrival, type Sender, type Walker } from './walk.js';

function endpointRule(ep: CGatewayEndpoint) {
  const text = `gateway-endpoint ${ep.name} service ${ep.service}`;
  return ep.origin ? { text, origin: ep.origin } : { text };
}

/** Which protocols a gateway endpoint takes (RA: TCP or ICMP echo in, TCP or echo reply out). */
export function gatewayEndpointAccepts(p: Packet): boolean {
  if (p.protocol === 'tcp') return true;
  return p.protocol === 'icmp' && (p.reply ? p.icmpType === 0 : p.icmpType === 8);
}

export function routeToGatewayEndpoint(
  w: Walker, sender: Sender, subnet: CSubnet, p: Packet, match: CRoute, ep: CGatewayEndpoint, place: Place,
): Arrival | undefined {
  const table = subnet.routeTable;
  const vpc = subnet.vpc;
  w.routed(table, match, place, () => `Route table ${table.name}: ${formatV4(p.dst)} is in prefix list ${ep.list.name} (${match.prefix.text}), routed by ${match.text} (longest prefix match): to gateway endpoint ${ep.name}.`);
  if (p.via && p.via !== 'internet-gateway') {
    return w.fail({
      component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', origin: ep.origin, code: Codes.VPCE_GATEWAY_SOURCE_NOT_IN_VPC, rule: endpointRule(ep),
      detail: `Gateway endpoint ${ep.name} only carries traffic from interfaces in VPC ${vpc.name}; this packet came in over ${p.via}, and gateway endpoints are not reachable from outside their VPC (no edge-to-edge routing).`,
    });
  }
  if (!vpc.cidrs.some(c => v4Contains(c, p.src))) {
    return w.fail({
      component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', origin: ep.origin, code: Codes.VPCE_GATEWAY_SOURCE_NOT_IN_VPC, rule: endpointRule(ep),
      detail: `Gateway endpoint ${ep.name} only carries traffic from VPC ${vpc.name}; the source ${formatV4(p.src)} is outside its CIDRs.`,
    });
  }
  if (!gatewayEndpointAccepts(p)) {
    return w.fail({
      component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', origin: ep.origin, code: Codes.VPCE_GATEWAY_PROTOCOL_RESTRICTION, rule: endpointRule(ep),
      detail: `Gateway endpoint ${ep.name} accepts TCP and ICMP echo only, not ${p.protocol === 'all' ? 'traffic of any protocol' : p.protocol.toUpperCase()}.`,
    });
  }
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
    detail: `The mapping service sends traffic for gateway endpoint ${ep.name} (${ep.id}) to its Blackfoot edge at ${ep.underlay}.`,
    stack: () => encapsulatedStack(p, { outerSrc: sender.underlay, outerDst: ep.underlay, vpcId: vpc.id, srcInterface: sender.eniId, dstInterface: ep.id }),
    mtu: VPC_MTU,
  });
  w.underlay(sender, ep);
  if (w.record) w.hop({
    component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', action: 'deliver', origin: ep.origin, rule: endpointRule(ep),
    detail: `Gateway endpoint ${ep.name} (${ep.id}) strips the VPC encapsulation and hands the packet to ${ep.service === 's3' ? 'Amazon S3' : 'Amazon DynamoDB'} (${ep.list.name}) over the AWS network, not the internet; the source stays ${formatV4(p.src)}.`,
    stack: () => innerStack(p),
  });
  return { kind: 'aws-service', list: ep.list, packet: p, via: ep };
}

/** The service's reply back through the endpoint to the interface that asked. */
export function replyThroughGatewayEndpoint(w: Walker, ep: CGatewayEndpoint, p: Packet): Arrival | undefined {
  const vpc = ep.vpc;
  if (w.record) w.hop({
    component: ep.list.name, kind: 'gateway-endpoint', place: w.senderPlace, action: 'send',
    detail: `${ep.service === 's3' ? 'Amazon S3' : 'Amazon DynamoDB'} answers from ${formatV4(p.src)} (prefix list ${ep.list.name}).`,
    stack: () => innerStack(p),
  });
  if (!gatewayEndpointAccepts(p)) {
    return w.fail({
      component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', origin: ep.origin, code: Codes.VPCE_GATEWAY_PROTOCOL_RESTRICTION, rule: endpointRule(ep),
      detail: `Gateway endpoint ${ep.name} only emits TCP and ICMP echo replies.`,
    });
  }
  const found = resolveInVpc(vpc, p.dst);
  if (!found.found) return w.fail({ component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place: 'blackfoot', code: found.code, detail: found.reason });
  const target = found.iface;
  if (w.record) w.hop({
    component: ep.qualified, kind: 'gateway-endpoint', place: 'blackfoot', action: 'encapsulate', origin: ep.origin, rule: endpointRule(ep),
    detail: `Gateway endpoint ${ep.name}: the mapping service resolves ${formatV4(p.dst)} in ${vpc.id} to ${target.qualified} (${target.eniId}) on ${target.host}.`,
    stack: () => encapsulatedStack(p, { outerSrc: ep.underlay, outerDst: target.underlay, vpcId: vpc.id, srcInterface: ep.id, dstInterface: target.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(ep, target);
  return w.deliverToInterface(target, p, undefined, { mac: target.subnet.gatewayMac, underlay: ep.underlay }, false);
}
