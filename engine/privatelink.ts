/**
 * Interface endpoints and PrivateLink (aws-data-plane.md §3.11).
 *
 * An interface endpoint is a requester-managed interface in each chosen subnet (one per AZ) with its
 * security groups. A connection to it goes over PrivateLink to the endpoint service's network load
 * balancer in the provider's VPC: the node in the endpoint's AZ (none: VPCE_SERVICE_NOT_INSTALLED_IN_AZ),
 * only when the consumer's account is the provider's or an allowed one (NO_POSSIBLE_DESTINATION).
 * The provider sees the load balancer's private address as the source, never the consumer's, so the
 * two VPCs may overlap. One-directional: the provider cannot start connections through the endpoint
 * (VPCE_INTRA_VPC_TRAFFIC); replies come back the way the connection went.
 */
import type { CInterface, CSubnet, CVpc } from './compile.js';
import type { CEndpointEni, CEndpointService, CLbNode, CLoadBalancer } from './services.js';
import type { Packet } from './packet.js';
import type { DecidingRule } from './path.js';
import { encapsulatedStack, frameStack } from './packet.js';
import { formatV4 } from './ipv4.js';
import { hash32 } from './ids.js';
import { Codes } from './codes.js';
import { resolveInVpc } from './mapping-service.js';
import { isOnLink } from './virtual-router.js';
import { VPC_MTU, type Arrival, type Walker } from './walk.js';
import { arriveAtLbNode, type LbEntry } from './load-balancer.js';

function ported(p: Packet): boolean {
  return p.protocol === 'tcp' || p.protocol === 'udp';
}

function endText(addr: number, port: number | undefined, p: Packet): string {
  return ported(p) ? `${formatV4(addr)}:${port}` : formatV4(addr);
}

function endpointRule(eni: CEndpointEni) {
  const e = eni.endpoint;
  const text = `interface-endpoint ${e.name} service ${e.serviceName}`;
  return e.origin ? { text, origin: e.origin } : { text };
}

/** Can this consumer VPC's account use the service? The provider's own account always can. */
export function accountAllowed(consumerAccount: string, providerAccount: string | undefined, allowed: readonly string[]): boolean {
  return consumerAccount === providerAccount || allowed.includes(consumerAccount);
}

/** A packet to an endpoint interface: its subnet's ACL and its groups, then PrivateLink to the provider. */
/**
 * The endpoint service behind an interface endpoint's interface, its network load balancer and the
 * node in the interface's AZ — or undefined after the drop: no such service or no network load
 * balancer behind it, an account the service does not allow, `check` (a family the service does not
 * accept), or no node in the interface's AZ (VPCE_SERVICE_NOT_INSTALLED_IN_AZ). Both families.
 */
export function serviceThrough(
  w: Walker, eni: CEndpointEni, check?: (svc: CEndpointService & { vpc: CVpc }) => Parameters<Walker['fail']>[0] | undefined,
  rule: DecidingRule = endpointRule(eni),
): { svc: CEndpointService & { vpc: CVpc }; lb: CLoadBalancer; node: CLbNode } | undefined {
  const e = eni.endpoint;
  const svc = e.service;
  const lb = svc?.lb;
  if (!svc || !svc.vpc || !lb || lb.type !== 'network') {
    w.fail({
      component: e.qualified, kind: 'interface-endpoint', place: 'hyperplane', origin: e.origin, code: Codes.NO_POSSIBLE_DESTINATION, rule,
      detail: !svc ? `Interface endpoint ${e.name} names endpoint service ${e.serviceName}, which does not exist.`
        : `Endpoint service ${svc.name} has no network load balancer${lb ? ` (${lb.name} is a gateway load balancer)` : ''} to carry the traffic to.`,
    });
    return undefined;
  }
  const service = svc as CEndpointService & { vpc: CVpc };
  if (!accountAllowed(e.vpc.account, service.vpc.account, svc.allowedAccounts)) {
    w.fail({
      component: `endpoint-service.${svc.name}`, kind: 'endpoint-service', place: 'hyperplane', origin: svc.origin, code: Codes.NO_POSSIBLE_DESTINATION,
      rule: svc.origin ? { text: `endpoint-service ${svc.name}`, origin: svc.origin } : { text: `endpoint-service ${svc.name}` },
      detail: `Endpoint service ${svc.name} (account ${service.vpc.account}) does not allow account ${e.vpc.account} of VPC ${e.vpc.name}${svc.allowedAccounts.length ? ` (allowed: ${svc.allowedAccounts.join(', ')})` : ''}.`,
    });
    return undefined;
  }
  const refused = check?.(service);
  if (refused) { w.fail(refused); return undefined; }
  const node = lb.nodes.find(n => n.az === eni.az && n.privateIp !== undefined);
  if (!node) {
    w.fail({
      component: `endpoint-service.${svc.name}`, kind: 'endpoint-service', place: 'hyperplane', origin: svc.origin, code: Codes.VPCE_SERVICE_NOT_INSTALLED_IN_AZ,
      detail: `Endpoint service ${svc.name} is not available in ${eni.az}: its load balancer ${lb.name} has nodes in ${lb.nodes.map(n => n.az).join(', ') || 'no AZ'} only, so the endpoint's interface in ${eni.az} has nothing to send to.`,
    });
    return undefined;
  }
  return { svc: service, lb, node };
}

export function arriveAtEndpointEni(w: Walker, eni: CEndpointEni, p: Packet, sender: { underlay: string }, fromSubnet: CSubnet | undefined): Arrival | undefined {
  const e = eni.endpoint;
  if (w.record) w.hop({
    component: e.qualified, kind: 'interface-endpoint', place: 'hyperplane', action: 'decapsulate', origin: e.origin,
    detail: `Interface endpoint ${e.name} (${e.id}): its interface in subnet ${eni.subnet.name} (${formatV4(eni.privateIp!)}, ${eni.eniId}) receives the packet from ${sender.underlay}.`,
    stack: () => frameStack(p, eni.subnet.gatewayMac, eni.mac), mtu: VPC_MTU,
  });
  if (fromSubnet !== eni.subnet && !w.networkAcl(eni.subnet, 'inbound', p, 'hyperplane')) return undefined;
  if (!w.securityGroup(eni as unknown as CInterface, 'inbound', p, 'hyperplane')) return undefined;
  const through = serviceThrough(w, eni);
  if (!through) return undefined;
  const { svc, lb, node } = through;
  // The provider sees the load balancer's address, never the consumer's (§3.11).
  // The packet stays addressed to the endpoint; the load balancer rewrites the destination to a target.
  const inside: Packet = { ...p, src: node.privateIp!, servedBy: e.qualified };
  if (ported(p)) inside.srcPort = 1024 + (hash32(`${e.qualified}|${p.protocol}|${p.src}:${p.srcPort}|${p.dstPort}`) % 64512);
  if (w.record) w.hop({
    component: `endpoint-service.${svc.name}`, kind: 'endpoint-service', place: 'hyperplane', action: 'translate', origin: svc.origin,
    detail: `PrivateLink carries the flow from VPC ${e.vpc.name} (account ${e.vpc.account}) to endpoint service ${svc.name} (${svc.id}) in VPC ${svc.vpc.name} (account ${svc.vpc.account}): to load balancer ${lb.name}'s node in ${node.az}; source ${endText(p.src, p.srcPort, p)} → ${endText(inside.src, inside.srcPort, p)} (the load balancer's private address: the provider never sees the consumer's).`,
    stack: () => encapsulatedStack(inside, { outerSrc: eni.underlay, outerDst: node.underlay, vpcId: svc.vpc!.id, srcInterface: eni.eniId, dstInterface: node.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(eni, node);
  const entry: LbEntry = { kind: 'privatelink', eni, client: p.src, clientPort: p.srcPort };
  return arriveAtLbNode(w, node, inside, eni, undefined, entry);
}

/** The provider's reply back over PrivateLink to the endpoint's interface, then to the consumer. */
export function privateLinkReturn(w: Walker, eni: CEndpointEni, node: CLbNode, p: Packet, entry: Extract<LbEntry, { kind: 'privatelink' }>): Arrival | undefined {
  const e = eni.endpoint;
  const back: Packet = { ...p, src: eni.privateIp!, dst: entry.client };
  if (ported(p)) back.dstPort = entry.clientPort;
  if (w.record) w.hop({
    component: `endpoint-service.${e.service!.name}`, kind: 'endpoint-service', place: 'hyperplane', action: 'translate', origin: e.service!.origin,
    detail: `PrivateLink carries the reply back to interface endpoint ${e.name} in ${eni.az}: source ${endText(p.src, p.srcPort, p)} → ${endText(back.src, back.srcPort, p)} (the endpoint's address), destination → ${endText(back.dst, back.dstPort, p)} (the consumer).`,
    stack: () => encapsulatedStack(back, { outerSrc: node.underlay, outerDst: eni.underlay, vpcId: e.vpc.id, srcInterface: node.eniId, dstInterface: eni.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(node, eni);
  if (!w.securityGroup(eni as unknown as CInterface, 'outbound', back, 'hyperplane')) return undefined;
  if (isOnLink(eni.subnet, back.dst)) {
    const found = resolveInVpc(e.vpc, back.dst);
    if (!found.found) return w.fail({ component: `${e.vpc.name}.virtual-router`, kind: 'virtual-router', place: 'hyperplane', code: found.code, detail: found.reason });
    if (w.record) w.hop({
      component: `${e.vpc.name}.virtual-router`, kind: 'virtual-router', place: 'hyperplane', action: 'encapsulate',
      detail: `${formatV4(back.dst)} is in the endpoint's own subnet ${eni.subnet.name}: delivered at layer 2 to ${found.iface.qualified}.`,
      stack: () => encapsulatedStack(back, { outerSrc: eni.underlay, outerDst: found.iface.underlay, vpcId: e.vpc.id, srcInterface: eni.eniId, dstInterface: found.iface.eniId }),
      mtu: VPC_MTU,
    });
    w.underlay(eni, found.iface);
    return w.deliverToInterface(found.iface, back, eni.subnet, eni, true);
  }
  if (!w.networkAcl(eni.subnet, 'outbound', back, 'hyperplane')) return undefined;
  return w.route(eni, eni.subnet, back, 'hyperplane');
}
