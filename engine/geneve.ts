/**
 * Gateway load balancers, their endpoints and GENEVE (aws-data-plane.md §3.11, §5.1, §4).
 *
 * A route sends the packet to a gateway load balancer endpoint (a route target in the consumer's VPC).
 * PrivateLink carries it to the gateway load balancer's node in the endpoint's AZ
 * (VPCE_SERVICE_NOT_INSTALLED_IN_AZ otherwise), which picks an appliance (a listener's target; cross-zone
 * rules as for network load balancers) and wraps the packet, unchanged, in GENEVE (RFC 8926):
 *
 *   outer IPv4 (20 B, node -> appliance) | outer UDP (8 B, dst port 6081, src port a flow hash)
 *   | GENEVE base header (8 B) + AWS options, class 0x0108 (32 B):
 *       type 1, 8 B: GWLB endpoint id; type 2, 8 B: attachment id; type 3, 4 B: flow cookie
 *   = 68 bytes of overhead; the customer packet may be at most 8500 bytes (never fragmented).
 *
 * The appliance's network ACL and security groups must admit UDP 6081 from the node. The appliance
 * sends the packet back with the same GENEVE header, outer addresses swapped and UDP ports kept (the
 * AWS sample tunnel handler); the node strips it and the endpoint forwards the inner packet by its
 * subnet's route table. Flows are sticky, so the reply takes the same appliance.
 */
import type { CInterface, CRoute, CSubnet } from './compile.js';
import type { CEndpointService, CGwlbEndpoint, CListener, CLbNode, CLoadBalancer } from './services.js';
import type { Packet } from './packet.js';
import type { Header, Place } from './path.js';
import { encapsulatedStack, frameStack, innerStack } from './packet.js';
import { formatV4 } from './ipv4.js';
import { hash32 } from './ids.js';
import { Codes } from './codes.js';
import { resolveInVpc } from './mapping-service.js';
import { isOnLink } from './virtual-router.js';
import { VPC_MTU, type Arrival, type Sender, type Walker } from './walk.js';
import { chooseTarget } from './load-balancer.js';
import { accountAllowed } from './privatelink.js';

export const GENEVE_PORT = 6081;
/** GWLB's limit for the customer packet (§4): larger packets are dropped, never fragmented. */
export const GWLB_MTU = 8500;
/** Outer IPv4 (20) + outer UDP (8) + GENEVE base (8) + AWS options (12 + 12 + 8). */
export const GENEVE_OVERHEAD = 68;
export const AWS_OPTION_CLASS = '0x0108';

export interface GeneveTunnel {
  /** Outer addresses (node and appliance) and UDP ports. */
  outerSrc: number;
  outerDst: number;
  srcPort: number;
  dstPort: number;
  endpointId: string;
  attachmentId: string;
  flowCookie: string;
}

function hex(n: number, digits: number): string {
  return (n >>> 0).toString(16).padStart(digits, '0').slice(-digits);
}

/** The tunnel a node opens to an appliance for one flow: ids and cookie are the model's derivations. */
export function geneveTunnel(ep: CGwlbEndpoint, node: CLbNode, appliance: number, p: Packet): GeneveTunnel {
  return geneveTunnelForFlow(ep, node, appliance, `${p.protocol}|${Math.min(p.src, p.dst)}|${Math.max(p.src, p.dst)}`);
}

/** The tunnel for a flow named by `flow` (protocol and both addresses, direction-free: flows are sticky). */
export function geneveTunnelForFlow(ep: CGwlbEndpoint, node: CLbNode, appliance: number, flow: string): GeneveTunnel {
  const id = ep.id.replace(/^vpce-/, '');
  return {
    outerSrc: node.privateIp!, outerDst: appliance,
    srcPort: 49152 + (hash32(`geneve:${ep.qualified}:${flow}`) % 16384), dstPort: GENEVE_PORT,
    endpointId: `0x${id.padStart(16, '0').slice(-16)}`,
    attachmentId: `0x${hex(hash32(`attachment:${ep.qualified}:${node.lb.qualified}`), 8)}${hex(hash32(`attachment2:${ep.qualified}`), 8)}`,
    flowCookie: `0x${hex(hash32(`cookie:${ep.qualified}:${flow}`), 8)}`,
  };
}

/** The GENEVE header with AWS's three options, exactly as GWLB sends it. */
export function geneveHeader(t: GeneveTunnel, ep: CGwlbEndpoint, inner: 4 | 6 = 4): Header {
  return {
    kind: 'geneve', name: 'GENEVE', bytes: 40,
    fields: [
      { name: 'version', value: '0' },
      { name: 'opt len', value: '8 (32 bytes of options)' },
      { name: 'O', value: '0' },
      { name: 'C', value: '0' },
      // The inner packet's EtherType: GWLB carries IPv4 and IPv6 alike inside the IPv4 outer header (§5.1).
      { name: 'protocol type', value: inner === 6 ? '0x86DD (IPv6)' : '0x0800 (IPv4)' },
      { name: 'VNI', value: '0 (not used by GWLB)' },
      { name: `option 1 (class ${AWS_OPTION_CLASS}, type 1, 8 B): GWLB endpoint id`, value: `${t.endpointId} (${ep.id})` },
      { name: `option 2 (class ${AWS_OPTION_CLASS}, type 2, 8 B): attachment id`, value: t.attachmentId },
      { name: `option 3 (class ${AWS_OPTION_CLASS}, type 3, 4 B): flow cookie`, value: t.flowCookie },
    ],
  };
}

/** Outer IPv4, outer UDP 6081, GENEVE, then the customer packet unchanged (no inner Ethernet). */
export function geneveStack(t: GeneveTunnel, ep: CGwlbEndpoint, p: Packet, returning: boolean): Header[] {
  return [...geneveOuter(t, returning), geneveHeader(t, ep), ...innerStack(p)];
}

/** Outer IPv4 and UDP of a GENEVE tunnel (node to appliance, or back). */
export function geneveOuter(t: GeneveTunnel, returning: boolean): Header[] {
  const src = returning ? t.outerDst : t.outerSrc;
  const dst = returning ? t.outerSrc : t.outerDst;
  return [
    {
      kind: 'ipv4', name: 'Outer IPv4 (GENEVE)', bytes: 20,
      fields: [{ name: 'src', value: formatV4(src) }, { name: 'dst', value: formatV4(dst) }, { name: 'protocol', value: '17 (UDP)' }],
    },
    {
      kind: 'udp', name: 'Outer UDP (GENEVE)', bytes: 8,
      fields: [{ name: 'src port', value: String(t.srcPort) }, { name: 'dst port', value: `${t.dstPort} (GENEVE)` }],
    },
  ];
}

export function endpointRule(ep: CGwlbEndpoint) {
  const text = `gwlb-endpoint ${ep.name} service ${ep.serviceName}`;
  return ep.origin ? { text, origin: ep.origin } : { text };
}

/** A subnet route sends the packet to a gateway load balancer endpoint. */
export function routeToGwlbEndpoint(
  w: Walker, sender: Sender, subnet: CSubnet, p: Packet, match: CRoute, ep: CGwlbEndpoint, place: Place,
): Arrival | undefined {
  const table = subnet.routeTable;
  w.routed(table, match, place, () => `Route table ${table.name}: ${formatV4(p.dst)} matches ${match.text} (longest prefix match): to gateway load balancer endpoint ${ep.name}.`);
  if (!ep.subnet || ep.privateIp === undefined) {
    return w.fail({
      component: ep.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', origin: ep.origin, code: Codes.INVALID_CONFIGURATION, rule: endpointRule(ep),
      detail: `Gateway load balancer endpoint ${ep.name} has no usable subnet or address.`,
    });
  }
  if (w.record) w.hop({
    component: `${subnet.vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
    detail: `The mapping service sends traffic for endpoint ${ep.name} (${ep.id}) to Hyperplane (${ep.underlay}).`,
    stack: () => encapsulatedStack(p, { outerSrc: sender.underlay, outerDst: ep.underlay, vpcId: subnet.vpc.id, srcInterface: sender.eniId, dstInterface: ep.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(sender, ep);
  return inspect(w, ep, p, subnet);
}

/**
 * A packet meets a GWLB endpoint once per direction; coming back to it after inspection means the
 * endpoint subnet's routes loop (ROUTING_LOOP). False after the drop. Both families.
 */
export function firstVisit(w: Walker, ep: CGwlbEndpoint): boolean {
  const visits = (w.sessions.get(ep) as Set<string> | undefined) ?? new Set<string>();
  if (visits.has(w.direction)) {
    w.fail({
      component: ep.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', origin: ep.origin, code: Codes.ROUTING_LOOP,
      detail: `The packet came back to gateway load balancer endpoint ${ep.name} after inspection: the endpoint subnet's routes send it around a loop.`,
    });
    return false;
  }
  visits.add(w.direction);
  w.sessions.set(ep, visits);
  return true;
}

function inspect(w: Walker, ep: CGwlbEndpoint, p: Packet, fromSubnet: CSubnet | undefined): Arrival | undefined {
  const epSubnet = ep.subnet!;
  if (!firstVisit(w, ep)) return undefined;
  if (w.record) w.hop({
    component: ep.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', action: 'decapsulate', origin: ep.origin, rule: endpointRule(ep),
    detail: `Gateway load balancer endpoint ${ep.name} (${ep.id}, subnet ${epSubnet.name}) takes the packet for inspection.`,
    stack: () => frameStack(p, epSubnet.gatewayMac, ep.mac), mtu: VPC_MTU,
  });
  if (fromSubnet !== epSubnet && !w.networkAcl(epSubnet, 'inbound', p, 'hyperplane')) return undefined;
  const chosen = selectAppliance(w, ep);
  if (!chosen) return undefined;
  const { svc, lb, node, appliance } = chosen;
  const t = geneveTunnel(ep, node, appliance.privateIp!, p);
  if (w.record) w.hop({
    component: `endpoint-service.${svc.name}`, kind: 'endpoint-service', place: 'hyperplane', action: 'forward', origin: svc.origin,
    detail: `PrivateLink carries the packet from endpoint ${ep.name} to endpoint service ${svc.name} (${svc.id}): gateway load balancer ${lb.name}'s node in ${node.az}.`,
    stack: () => encapsulatedStack(p, { outerSrc: ep.underlay, outerDst: node.underlay, vpcId: svc.vpc!.id, srcInterface: ep.eniId, dstInterface: node.eniId }),
    mtu: VPC_MTU,
  });
  if (!throughAppliance(w, chosen, t, returning => geneveStack(t, ep, p, returning), 'the packet')) return undefined;
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'decapsulate', origin: lb.origin,
    detail: `Gateway load balancer ${lb.name} strips GENEVE and returns the packet to endpoint ${ep.name} over PrivateLink.`,
    stack: () => innerStack(p), mtu: VPC_MTU,
  });
  return sendFromGwlbEndpoint(w, ep, p);
}

/** What a GWLB endpoint's packet goes to: the service, its gateway load balancer, the node in the endpoint's AZ, an appliance. */
export interface GwlbChoice { svc: CEndpointService; lb: CLoadBalancer; node: CLbNode; listener: CListener; appliance: CInterface }

/** The service, account, AZ, listener and target checks of a GWLB endpoint (both families). */
export function selectAppliance(w: Walker, ep: CGwlbEndpoint): GwlbChoice | undefined {
  const epSubnet = ep.subnet!;
  const svc = ep.service;
  const lb = svc?.lb;
  if (!svc || !svc.vpc || !lb || lb.type !== 'gateway') {
    return w.fail({
      component: ep.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', origin: ep.origin, code: Codes.NO_POSSIBLE_DESTINATION, rule: endpointRule(ep),
      detail: !svc ? `Endpoint service ${ep.serviceName} does not exist.` : `Endpoint service ${svc.name} has no gateway load balancer behind it.`,
    });
  }
  if (!accountAllowed(ep.vpc.account, svc.vpc.account, svc.allowedAccounts)) {
    return w.fail({
      component: `endpoint-service.${svc.name}`, kind: 'endpoint-service', place: 'hyperplane', origin: svc.origin, code: Codes.NO_POSSIBLE_DESTINATION,
      detail: `Endpoint service ${svc.name} (account ${svc.vpc.account}) does not allow account ${ep.vpc.account} of VPC ${ep.vpc.name}.`,
    });
  }
  const node = lb.nodes.find(n => n.az === epSubnet.az && n.privateIp !== undefined);
  if (!node) {
    return w.fail({
      component: `endpoint-service.${svc.name}`, kind: 'endpoint-service', place: 'hyperplane', origin: svc.origin, code: Codes.VPCE_SERVICE_NOT_INSTALLED_IN_AZ,
      detail: `Endpoint service ${svc.name} is not available in ${epSubnet.az}: gateway load balancer ${lb.name} has nodes in ${lb.nodes.map(n => n.az).join(', ') || 'no AZ'} only.`,
    });
  }
  const listener = lb.listeners[0];
  // GWLB listeners take all traffic and talk GENEVE to targets on UDP 6081: nothing else (RA GWLB_*).
  if (listener && (listener.protocol !== 'all' || (listener.targetPort !== undefined && listener.targetPort !== GENEVE_PORT))) {
    const protocol = listener.protocol !== 'all';
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin,
      code: protocol ? Codes.GWLB_PROTOCOL_RESTRICTION : Codes.GWLB_DESTINATION_PORT_RESTRICTION,
      rule: listener.origin ? { text: listener.text, origin: listener.origin } : { text: listener.text },
      detail: protocol
        ? `Gateway load balancer ${lb.name} listens on all traffic and carries it to targets in GENEVE (UDP ${GENEVE_PORT}); a ${listener.protocol} listener is not possible.`
        : `Gateway load balancer ${lb.name} talks to its targets on UDP ${GENEVE_PORT} only, not port ${listener.targetPort}.`,
    });
  }
  const choice = listener ? chooseTarget(node, listener) : { ok: false as const, code: Codes.ELBV2_LISTENERS_MISMATCH, reason: `Gateway load balancer ${lb.name} has no listener.` };
  if (!choice.ok) {
    return w.fail({ component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: choice.code, detail: choice.reason });
  }
  const target = choice.target;
  const appliance: CInterface | undefined = target.kind === 'instance' ? target.iface : target.kind === 'ip' ? target.iface : undefined;
  if (!appliance || appliance.privateIp === undefined) {
    return w.fail({
      component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', origin: lb.origin, code: Codes.TARGET_ADDRESS_RESTRICTION,
      detail: `Target ${target.text} of gateway load balancer ${lb.name} is not an interface in VPC ${lb.vpc.name}.`,
    });
  }
  return { svc, lb, node, listener, appliance };
}

/**
 * The GENEVE leg to the appliance and back: MTU 8500 (never fragmented), the appliance's ACL and
 * groups on the outer UDP 6081 packet, its return with the addresses swapped. `stack` builds the
 * tunnel's headers in either direction; `what` names the inner packet in the details.
 */
export function throughAppliance(w: Walker, c: GwlbChoice, t: GeneveTunnel, stack: (returning: boolean) => Header[], what: string): boolean {
  const { lb, node, listener, appliance } = c;
  // GWLB carries customer packets of at most 8500 bytes and never fragments them (§4).
  if (!w.leg(GWLB_MTU, { component: lb.qualified, kind: 'load-balancer', place: 'hyperplane' }, true)) return false;
  if (w.record) w.hop({
    component: lb.qualified, kind: 'load-balancer', place: 'hyperplane', action: 'encapsulate', origin: lb.origin,
    rule: listener.origin ? { text: listener.text, origin: listener.origin } : { text: listener.text },
    detail: `Gateway load balancer ${lb.name} (node ${formatV4(node.privateIp!)} in ${node.az}) sends ${what}, unchanged, to appliance ${appliance.qualified} (${formatV4(appliance.privateIp!)}) in GENEVE: UDP ${GENEVE_PORT}, AWS options (class ${AWS_OPTION_CLASS}) endpoint id, attachment id, flow cookie; ${GENEVE_OVERHEAD} bytes of overhead, customer packets up to ${GWLB_MTU} bytes.`,
    stack: () => stack(false), mtu: GWLB_MTU,
  });
  const outer: Packet = { protocol: 'udp', src: t.outerSrc, dst: t.outerDst, srcPort: t.srcPort, dstPort: t.dstPort, ttl: 64, reply: false, viaAppliance: false };
  const aSubnet = appliance.subnet;
  if (aSubnet !== node.subnet && !w.networkAcl(aSubnet, 'inbound', outer, 'peer')) return false;
  if (!w.securityGroup(appliance, 'inbound', outer, 'peer')) return false;
  if (w.record) w.hop({
    component: appliance.qualified, kind: 'instance', place: 'peer', action: 'forward', origin: appliance.origin,
    detail: `Appliance ${appliance.qualified} inspects ${what} and returns it in the same GENEVE header, outer addresses swapped and UDP ports kept.`,
    stack: () => stack(true), mtu: GWLB_MTU,
  });
  const outerBack: Packet = { ...outer, src: t.outerDst, dst: t.outerSrc };
  if (aSubnet !== node.subnet && !w.networkAcl(aSubnet, 'outbound', outerBack, 'peer')) return false;
  if (aSubnet !== node.subnet && !w.networkAcl(node.subnet, 'inbound', outerBack, 'hyperplane')) return false;
  return true;
}

/** After inspection the endpoint forwards the packet by its own subnet's route table. */
function sendFromGwlbEndpoint(w: Walker, ep: CGwlbEndpoint, p: Packet): Arrival | undefined {
  const subnet = ep.subnet!;
  if (w.record) w.hop({
    component: ep.qualified, kind: 'gateway-load-balancer-endpoint', place: 'hyperplane', action: 'forward', origin: ep.origin, rule: endpointRule(ep),
    detail: `Endpoint ${ep.name} forwards the inspected packet by the route table of its subnet ${subnet.name}.`,
    stack: () => frameStack(p, ep.mac, subnet.gatewayMac), mtu: VPC_MTU,
  });
  if (isOnLink(subnet, p.dst)) {
    const found = resolveInVpc(ep.vpc, p.dst);
    if (!found.found) return w.fail({ component: `${ep.vpc.name}.virtual-router`, kind: 'virtual-router', place: 'hyperplane', code: found.code, detail: found.reason });
    w.underlay(ep, found.iface);
    return w.deliverToInterface(found.iface, p, subnet, ep, true);
  }
  if (!w.networkAcl(subnet, 'outbound', p, 'hyperplane')) return undefined;
  return w.route(ep, subnet, p, 'hyperplane');
}

