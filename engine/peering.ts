/**
 * VPC peering (aws-data-plane.md §3.7; the peering article, seeds/002).
 *
 * - Only an active (accepted) peering carries traffic; a route to a pending one is a blackhole.
 * - Routes are the user's job on both sides: the return path needs its own route in the peer.
 * - Traffic crosses a peering only when its destination is inside the peer VPC's CIDRs and its source
 *   inside the sending VPC's (PCX_REQUIRES_ADDRESS_IN_VPC_CIDR). That one rule is why peering is not
 *   transitive (A–B–C) and why a peer cannot use this VPC's internet gateway, NAT device, VPN, Direct
 *   Connect or gateway endpoint (no edge-to-edge routing).
 * - Traffic from a peering is delivered by the mapping service to the interface that holds the
 *   address; the destination subnet's network ACL and the interface's groups apply as usual.
 * - MTU: 9001 within a Region, 8500 between Regions (EC2 MTU page, current; 1500 in the 2023 peering
 *   guide, see aws-data-plane.md §7).
 */
import type { Packet } from './packet.js';
import type { DecidingRule, Place } from './path.js';
import { encapsulatedStack } from './packet.js';
import type { Arrival, Walker } from './walk.js';
import type { CRoute, CSubnet, CVpc } from './compile.js';
import type { CPeering, Sender } from './between-networks.js';
import { NO_SUBNET } from './between-networks.js';
import { formatV4, v4Contains } from './ipv4.js';
import { Codes } from './codes.js';
import { resolveInVpc } from './mapping-service.js';
import { VPC_MTU } from './walk.js';
import { arriveAtService } from './hyperplane.js';

export const INTER_REGION_PEERING_MTU = 8500;

function inVpc(vpc: CVpc, addr: number): boolean {
  return vpc.cidrs.some(c => v4Contains(c, addr));
}

function describe(peering: CPeering): string {
  const parts = [peering.interRegion ? 'inter-Region' : 'same Region'];
  if (peering.crossAccount) parts.push('cross-account');
  return `${peering.id}, requester ${peering.requester?.name ?? '?'}, accepter ${peering.accepter?.name ?? '?'}, ${parts.join(', ')}`;
}

/** A subnet route sent the packet to a peering connection. */
/**
 * The other VPC of a peering a route of `subnet`'s table names, or undefined after the drop: a peering
 * that does not connect this VPC, or one still pending acceptance, makes the route a blackhole. Both
 * address families.
 */
export function peerOf(w: Walker, subnet: CSubnet, route: { text: string }, rule: DecidingRule, peering: CPeering, place: Place): CVpc | undefined {
  const vpc = subnet.vpc;
  const table = subnet.routeTable;
  const peer = peering.requester === vpc ? peering.accepter : peering.accepter === vpc ? peering.requester : undefined;
  if (peer && peering.active) return peer;
  return w.fail({
    component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.BAD_STATE_ROUTE, rule,
    detail: !peer
      ? `Route ${route.text} names peering ${peering.name}, which does not connect VPC ${vpc.name}${peering.requester || peering.accepter ? ` (it connects ${peering.requester?.name ?? '?'} and ${peering.accepter?.name ?? '?'})` : ''}: the route is a blackhole.`
      : `Route ${route.text} names peering ${peering.name}, which is pending acceptance by ${peering.accepter?.name ?? 'the accepter'}: only an active peering carries traffic, so the route is a blackhole.`,
  });
}

export function routeToPeering(w: Walker, sender: Sender, subnet: CSubnet, route: CRoute, peering: CPeering, p: Packet): Arrival | undefined {
  const vpc = subnet.vpc;
  const table = subnet.routeTable;
  const place = w.senderHostPlace;
  const dst = formatV4(p.dst);
  const rule = { text: route.text, ...(route.origin ? { origin: route.origin } : {}) };
  const peer = peerOf(w, subnet, route, rule, peering, place);
  if (!peer) return undefined;
  w.routed(table, route, place, () => `Route table ${table.name}: ${dst} matches ${route.text} (longest prefix match): to peering ${peering.name}.`);
  // RA PCX_REQUIRES_ADDRESS_IN_VPC_CIDR: the addresses must belong to the two peered VPCs.
  if (!inVpc(peer, p.dst) || !inVpc(vpc, p.src)) {
    const which = !inVpc(peer, p.dst)
      ? `its destination ${dst} is not inside peer VPC ${peer.name} (${peer.cidrs.map(c => c.text).join(', ')}): peering is not transitive and a peer's gateways (internet, NAT, VPN, Direct Connect, endpoints) cannot be used through it`
      : `its source ${formatV4(p.src)} is not inside VPC ${vpc.name}: traffic that entered ${vpc.name} from elsewhere cannot continue over a peering (no edge-to-edge routing)`;
    return w.fail({
      component: peering.name, kind: 'peering', place: 'underlay', origin: peering.origin, code: Codes.PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, rule,
      detail: `Peering ${peering.name} only carries traffic between the two VPCs' addresses; ${which}.`,
    });
  }
  const node = peer.services.byIp.get(p.dst);
  if (node) {
    if (!w.leg(peering.interRegion ? INTER_REGION_PEERING_MTU : VPC_MTU, { component: peering.name, kind: 'peering', place: 'underlay' })) return undefined;
    if (w.record) w.hop({
      component: peering.name, kind: 'peering', place: 'underlay', action: 'forward', origin: peering.origin,
      detail: `Peering ${peering.name} (${describe(peering)}) carries ${dst} to ${node.qualified} in peer VPC ${peer.name}.`,
      mtu: peering.interRegion ? INTER_REGION_PEERING_MTU : VPC_MTU,
    });
    return arriveAtService(w, node, { ...p, via: 'peering' }, sender, NO_SUBNET, false);
  }
  const found = resolveInVpc(peer, p.dst);
  if (!found.found) return w.fail({ component: `${peer.name}.mapping-service`, kind: 'mapping-service', place: 'underlay', code: found.code, detail: found.reason });
  const target = found.iface;
  const mtu = peering.interRegion ? INTER_REGION_PEERING_MTU : VPC_MTU;
  if (!w.leg(mtu, { component: peering.name, kind: 'peering', place: 'underlay' })) return undefined;
  if (w.record) w.hop({
    component: peering.name, kind: 'peering', place: 'underlay', action: 'encapsulate', origin: peering.origin,
    detail: `Peering ${peering.name} (${describe(peering)}): the mapping service resolves ${dst} in peer VPC ${peer.name} (${peer.id}) to ${target.qualified} (${target.eniId}) on ${target.host}${peering.interRegion ? '; between Regions the traffic is encrypted on the AWS backbone, MTU 8500' : ''}.`,
    stack: () => encapsulatedStack(p, { outerSrc: sender.underlay, outerDst: target.underlay, vpcId: peer.id, srcInterface: sender.eniId, dstInterface: target.eniId }),
    mtu,
  });
  w.underlay(sender, target);
  return w.deliverToInterface(target, { ...p, via: 'peering' }, undefined, sender, false);
}
