/**
 * Middleboxes: instances that forward traffic (source/destination check off) and the routes that
 * steer traffic through them (aws-data-plane.md §3.2, §3.3, §3.8).
 *
 * - Gateway route tables: a table edge-associated with the internet gateway or the virtual private
 *   gateway routes traffic ENTERING the VPC through that gateway. Its targets are `local`, a
 *   middlebox interface or (internet gateway only) a GWLB endpoint; its destinations the VPC CIDR or
 *   a subnet's exact CIDR (others are refused by AWS and are not installed, see between-networks.ts).
 * - Symmetry: "return traffic must go through the same appliance – asymmetric routing is not
 *   supported" (VPC-RTOPT). The engine treats every forwarding instance as a stateful appliance: a
 *   reply that reaches an appliance which never saw the request is dropped there, as a stateful
 *   firewall drops a mid-flow packet it has no state for. The code is TGW_ATTACH_VPC_AZ_RESTRICTION
 *   when a transit gateway without appliance mode sent the reply into another Availability Zone than
 *   the request (§3.8), else ASYMMETRIC_ROUTING (a vnet code).
 * - IPv4 and IPv6 alike: ipv6.ts applies the same check where an instance forwards an IPv6 packet, and
 *   ipv6-between.ts records the transit gateway interfaces an IPv6 flow used.
 * - A request that passes an appliance whose reply bypasses it is not flagged: the client still gets
 *   its reply; whether the appliance tolerates the half-seen flow depends on the appliance.
 */
import type { Packet } from './packet.js';
import { encapsulatedStack } from './packet.js';
import type { Arrival, Walker } from './walk.js';
import type { CInterface, CRouteTable, CSubnet, CVpc } from './compile.js';
import { routeToService } from './hyperplane.js';
import type { CTgwAttachment, CTgwEni, Sender } from './between-networks.js';
import { formatV4 } from './ipv4.js';
import { longestPrefixMatch } from './virtual-router.js';
import { Codes } from './codes.js';
import { isSddcEni } from './vmc.js';
import { VPC_MTU } from './walk.js';

/** Per-walk state of the between-networks elements; kept beside the walker, not in it. */
export interface BetweenWalkState {
  /** Appliances that forwarded the request. */
  forwardAppliances: Set<CInterface>;
  /** The transit gateway interface each VPC attachment used for the request. */
  tgwForward: Map<CTgwAttachment, CTgwEni>;
  /** The last VPC attachment the reply entered, with the interface it used. */
  tgwReturn?: { attachment: CTgwAttachment; eni: CTgwEni };
}

/** Kept on the walker itself: a WeakMap entry per walk (a thousand per keystroke) costs the GC more. */
export function walkState(w: Walker): BetweenWalkState {
  return w.betweenState ??= { forwardAppliances: new Set(), tgwForward: new Map() };
}

/**
 * Called where an instance forwards a packet as a router. Records the request's appliances; drops a
 * reply at an appliance that did not see the request. Returns false when the packet was dropped.
 */
export function applianceSees(w: Walker, iface: CInterface, p: Packet): boolean {
  return applianceSeesFlow(w, iface, `${formatV4(p.src)} → ${formatV4(p.dst)}`);
}

/**
 * The same check for any address family (ipv6.ts calls it for IPv6 flows): `flow` is the packet's
 * "source → destination" text for the message.
 */
export function applianceSeesFlow(w: Walker, iface: CInterface, flow: string): boolean {
  if (isSddcEni(iface)) return true; // the SDDC's interface is a door into the SDDC, not an appliance
  const state = walkState(w);
  if (w.direction === 'forward') { state.forwardAppliances.add(iface); return true; }
  if (state.forwardAppliances.has(iface)) return true;
  const entry = state.tgwReturn;
  const forwardEni = entry ? state.tgwForward.get(entry.attachment) : undefined;
  const tgwCaused = !!entry && entry.attachment.kind === 'vpc' && !entry.attachment.applianceMode
    && entry.attachment.vpc === iface.vpc && !!forwardEni && forwardEni !== entry.eni;
  const request = state.forwardAppliances.size > 0 ? ` The request went through ${[...state.forwardAppliances].map(a => a.qualified).join(', ')}.` : '';
  w.fail({
    component: iface.qualified, kind: 'instance', place: w.senderPlace, origin: iface.origin,
    code: tgwCaused ? Codes.TGW_ATTACH_VPC_AZ_RESTRICTION : Codes.ASYMMETRIC_ROUTING,
    detail: tgwCaused
      ? `The reply ${flow} reaches appliance ${iface.qualified}, which never saw the request: transit gateway ${entry!.attachment.tgw.name} sent the request into ${forwardEni!.subnet.az} (subnet ${forwardEni!.subnet.name}) and the reply into ${entry!.eni.subnet.az} (subnet ${entry!.eni.subnet.name}) because attachment ${entry!.attachment.name} does not have appliance mode on. A stateful appliance drops a flow it sees in one direction only; turn on appliance mode.${request}`
      : `The reply ${flow} reaches appliance ${iface.qualified}, which never saw the request: the routes are asymmetric, and a stateful appliance drops a flow it sees in one direction only. Route the reply through the appliance the request used.${request}`,
  });
  return false;
}

const igwTables = new WeakMap<CVpc, CRouteTable | null>();

/** The gateway route table edge-associated with the VPC's internet gateway, if any. */
export function internetGatewayEdgeTable(vpc: CVpc): CRouteTable | undefined {
  let t = igwTables.get(vpc);
  if (t === undefined) {
    const name = vpc.igw?.name;
    const declared = Array.isArray(vpc.model.routeTables) ? vpc.model.routeTables.find(rt => rt && name !== undefined && rt.edge === name) : undefined;
    t = (declared && vpc.routeTables.get(declared.name)) || null;
    igwTables.set(vpc, t);
  }
  return t ?? undefined;
}

/**
 * Ingress routing: a packet entering the VPC through a gateway with an edge-associated table.
 * Returns 'local' when the table (or its absence) leaves delivery to the mapping service.
 */
export function edgeRoute(
  w: Walker, table: CRouteTable | undefined, gateway: Sender & { qualified: string; name: string; vpc: CVpc }, p: Packet,
): Arrival | undefined | 'local' {
  if (!table) return 'local';
  const match = longestPrefixMatch(table, p.dst);
  const dst = formatV4(p.dst);
  const rule = match ? { text: match.text, ...(match.origin ? { origin: match.origin } : {}) } : undefined;
  if (match && match.target.kind === 'gwlb-endpoint') {
    // The typical GWLB ingress pattern (§3.3, VPC-GWLBRT): the internet gateway's table sends a subnet
    // to a GWLB endpoint. A virtual private gateway's table cannot: such a route drops the traffic.
    if (gateway.qualified !== gateway.vpc.igw?.qualified) {
      return w.fail({
        component: table.qualified, kind: 'route-table', place: 'blackfoot', origin: table.origin, code: Codes.BAD_STATE_ROUTE, rule,
        detail: `Gateway route table ${table.name} of virtual private gateway ${gateway.name} sends ${dst} to a gateway load balancer endpoint; a VGW's gateway route table drops such traffic.`,
      });
    }
    // The services' route function reads the table and the VPC from the subnet it routes from.
    const edge = { vpc: gateway.vpc, routeTable: table } as unknown as CSubnet;
    return routeToService(w, gateway, edge, p, match, match.target, 'blackfoot');
  }
  if (!match || match.target.kind !== 'instance') {
    if (w.record && match) w.hop({
      component: table.qualified, kind: 'route-table', place: 'blackfoot', action: 'route', origin: table.origin, rule,
      detail: `Gateway route table ${table.name} (edge-associated with ${gateway.name}): ${dst} matches ${match.text}: delivered in the VPC.`,
    });
    return 'local';
  }
  const appliance = match.target.iface;
  if (w.record) w.hop({
    component: table.qualified, kind: 'route-table', place: 'blackfoot', action: 'route', origin: table.origin, rule,
    detail: `Gateway route table ${table.name} (edge-associated with ${gateway.name}): ${dst} matches ${match.text} (longest prefix match): the packet goes to middlebox ${appliance.qualified} first.`,
  });
  if (appliance.privateIp === undefined) {
    return w.fail({
      component: appliance.qualified, kind: 'instance', place: 'blackfoot', origin: appliance.origin, code: Codes.INVALID_CONFIGURATION,
      detail: `Route target ${appliance.qualified} has no valid private IPv4 address.`,
    });
  }
  const vpc = appliance.vpc;
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place: 'blackfoot', action: 'encapsulate',
    detail: `The mapping service resolves middlebox ${appliance.qualified} (${appliance.eniId}) on ${appliance.host} (${appliance.underlay}).`,
    stack: () => encapsulatedStack(p, { outerSrc: gateway.underlay, outerDst: appliance.underlay, vpcId: vpc.id, srcInterface: gateway.eniId, dstInterface: appliance.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(gateway, appliance);
  return w.deliverToInterface(appliance, p, undefined, gateway, false);
}
