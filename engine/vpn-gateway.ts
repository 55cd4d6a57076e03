/**
 * The virtual private gateway (VGW): a VPC's gateway to its VPN connections and Direct Connect
 * private virtual interfaces (aws-data-plane.md §3.9), served by Blackfoot edges (§5.6).
 *
 * Out of the VPC: the source must be a private address of an interface in the VPC
 * (VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS), and only prefixes the gateway knows — from BGP or a static
 * VPN route — receive traffic; for the same longest prefix, Direct Connect beats a static VPN, which
 * beats a BGP VPN. Into the VPC: the destination must be a private address in the VPC
 * (VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: no edge-to-edge routing through a VPC), then the gateway
 * route table edge-associated with the VGW decides (§3.3), else the mapping service delivers it.
 */
import type { Packet } from './packet.js';
import { encapsulatedStack, innerStack } from './packet.js';
import type { Arrival, Walker } from './walk.js';
import type { CRoute, CSubnet } from './compile.js';
import type { CConnection, CVpnGateway, Sender } from './between-networks.js';
import { NO_SUBNET, vgwPrefixes } from './between-networks.js';
import { formatV4, v4Contains, type V4Prefix } from './ipv4.js';
import { Codes } from './codes.js';
import { resolveInVpc } from './mapping-service.js';
import { connectionRank, connectionText, toSiteOverDx, toSiteOverVpn } from './site.js';
import { edgeRoute } from './middlebox.js';
import { VPC_MTU } from './walk.js';
import { arriveAtService } from './hyperplane.js';

/** The link the gateway uses for an address: longest prefix, then Direct Connect > static VPN > BGP VPN. */
export function vgwLinkTo(vgw: CVpnGateway, dst: number): { connection: CConnection; prefix: V4Prefix } | undefined {
  let best: { connection: CConnection; prefix: V4Prefix } | undefined;
  for (const { prefix, connection } of vgwPrefixes(vgw)) {
    if (!v4Contains(prefix, dst)) continue;
    if (!best || prefix.length > best.prefix.length
      || (prefix.length === best.prefix.length && connectionRank(connection) < connectionRank(best.connection))) {
      best = { connection, prefix };
    }
  }
  return best;
}

/** A subnet route sent the packet to the VPC's virtual private gateway. */
export function routeToVpnGateway(w: Walker, sender: Sender, subnet: CSubnet, route: CRoute, vgw: CVpnGateway, p: Packet): Arrival | undefined {
  const vpc = subnet.vpc;
  const table = subnet.routeTable;
  const dst = formatV4(p.dst);
  const rule = { text: route.text, ...(route.origin ? { origin: route.origin } : {}) };
  if (vgw.vpc !== vpc) {
    return w.fail({
      component: table.qualified, kind: 'route-table', place: w.senderHostPlace, origin: table.origin, code: Codes.BAD_STATE_ROUTE, rule,
      detail: `Route ${route.text} names virtual private gateway ${vgw.qualified}, which is attached to VPC ${vgw.vpc.name}, not ${vpc.name}.`,
    });
  }
  if (w.record) w.hop({
    component: table.qualified, kind: 'route-table', place: w.senderHostPlace, action: 'route', origin: table.origin, rule,
    detail: `Route table ${table.name}: ${dst} matches ${route.text} (longest prefix match${route.installedBy === 'propagated' ? '; a route propagated from the gateway' : ''}): to virtual private gateway ${vgw.name}.`,
  });
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place: w.senderHostPlace, action: 'encapsulate',
    detail: `The mapping service sends traffic for virtual private gateway ${vgw.name} (${vgw.id}) to its Blackfoot edge at ${vgw.underlay}.`,
    stack: () => encapsulatedStack(p, { outerSrc: sender.underlay, outerDst: vgw.underlay, vpcId: vpc.id, srcInterface: sender.eniId, dstInterface: vgw.id }),
    mtu: VPC_MTU,
  });
  if (!w.leg(VPC_MTU, { component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot' })) return undefined;
  w.underlay(sender, vgw);
  // RA VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS: the source must be an interface's private address in the VPC.
  if (!vpc.byPrivateIp.has(p.src) && !vpc.services.byIp.has(p.src)) {
    return w.fail({
      component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', origin: vgw.origin, code: Codes.VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS,
      detail: `Virtual private gateway ${vgw.name} only carries traffic whose source is a private address of an interface in VPC ${vpc.name}; ${formatV4(p.src)} is not (no edge-to-edge routing: traffic from a peer, a transit gateway or another site cannot use this VPC's VPN or Direct Connect).`,
    });
  }
  const link = vgwLinkTo(vgw, p.dst);
  if (!link) {
    return w.fail({
      component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', origin: vgw.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      detail: `Virtual private gateway ${vgw.name} knows no prefix that contains ${dst}: only prefixes learned over BGP or set as static VPN routes receive traffic${vgw.connections.length ? ` (it knows ${[...new Set(vgwPrefixes(vgw).map(x => x.prefix.text))].join(', ')})` : ' (no VPN or Direct Connect reaches it)'}.`,
    });
  }
  const c = link.connection;
  const others = vgwPrefixes(vgw).filter(x => x.prefix.text === link.prefix.text && x.connection !== c);
  if (w.record) w.hop({
    component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', action: 'route', origin: vgw.origin,
    rule: { text: `${link.prefix.text} via ${connectionText(c)}`, ...(c.origin ? { origin: c.origin } : {}) },
    detail: `Virtual private gateway ${vgw.name} (${vgw.id}, ASN ${vgw.asn}) strips the VPC encapsulation and sends ${dst} over ${connectionText(c)} (${link.prefix.text})${others.length ? `, preferred over ${others.map(o => connectionText(o.connection)).join(', ')} (Direct Connect > static VPN > BGP VPN)` : ''}.`,
    stack: () => innerStack(p),
  });
  return c.kind === 'vpn' ? toSiteOverVpn(w, c, p, `Virtual private gateway ${vgw.name}`) : toSiteOverDx(w, c, p, `Virtual private gateway ${vgw.name}`);
}

/**
 * A site that sends traffic for an address outside the VPC into the VPN or Direct Connect link (its
 * router's static route, e.g. a default route for internet egress through the VPC) meets the VPC's
 * services its main route table would choose: a NAT gateway does not take traffic that arrived over a
 * Site-to-Site VPN or Direct Connect ("You cannot route traffic to a NAT gateway through a VPC peering
 * connection, a Site-to-Site VPN connection, or AWS Direct Connect", VPC-NATGW; RA
 * NGW_REQUIRES_SOURCE_IN_VPC), nor does a gateway endpoint (§3.10, no edge-to-edge routing). Reports the
 * drop at that service, so the user sees why the design fails; undefined when no such route exists.
 */
function serviceBehind(vgw: CVpnGateway, dst: number): Parameters<Walker['fail']>[0] | undefined {
  const table = vgw.vpc.mainRouteTable;
  const route = table.routes.find(r => v4Contains(r.prefix, dst));
  if (!route) return undefined;
  const rule = { text: route.text, ...(route.origin ? { origin: route.origin } : {}) };
  const t = route.target;
  if (t.kind === 'nat-gateway') {
    return {
      component: t.nat.qualified, kind: 'nat-gateway', place: 'hyperplane', origin: t.nat.origin, code: Codes.NGW_REQUIRES_SOURCE_IN_VPC, rule,
      detail: `${formatV4(dst)} is outside VPC ${vgw.vpc.name}; its main route table ${table.name} sends it to NAT gateway ${t.nat.name} (${route.text}), but a NAT gateway only takes traffic from its own VPC: AWS does not route traffic from a Site-to-Site VPN or Direct Connect to a NAT gateway (a transit gateway with a NAT gateway in an egress VPC does).`,
    };
  }
  if (t.kind === 'gateway-endpoint') {
    return {
      component: t.endpoint.qualified, kind: 'gateway-endpoint', place: 'blackfoot', origin: t.endpoint.origin, code: Codes.VPCE_GATEWAY_SOURCE_NOT_IN_VPC, rule,
      detail: `${formatV4(dst)} is outside VPC ${vgw.vpc.name}; its main route table ${table.name} sends it to gateway endpoint ${t.endpoint.name} (${route.text}), but gateway endpoints are not reachable from outside their VPC (no edge-to-edge routing through VPN or Direct Connect).`,
    };
  }
  return undefined;
}

/** A packet from a VPN or Direct Connect link enters the VPC through its virtual private gateway. */
export function vgwIngress(w: Walker, vgw: CVpnGateway, p: Packet, via: string, link: 'vpn' | 'direct-connect'): Arrival | undefined {
  const vpc = vgw.vpc;
  p = { ...p, via: link };
  const dst = formatV4(p.dst);
  if (!vpc.cidrs.some(c => v4Contains(c, p.dst))) {
    const service = serviceBehind(vgw, p.dst);
    if (service) return w.fail(service);
    return w.fail({
      component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', origin: vgw.origin, code: Codes.VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS,
      detail: `Virtual private gateway ${vgw.name} only delivers to private addresses of interfaces in VPC ${vpc.name}; ${dst} is outside the VPC (no edge-to-edge routing: a site cannot reach a peer, a transit gateway or the internet through this VPC).`,
    });
  }
  if (w.record) w.hop({
    component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', action: 'route', origin: vgw.origin,
    detail: `Virtual private gateway ${vgw.name} (${vgw.id}) receives ${dst} from ${via}${vgw.edgeTable ? ` and routes it by its gateway route table ${vgw.edgeTable.name}` : ''}.`,
  });
  const redirected = edgeRoute(w, vgw.edgeTable, vgw, p);
  if (redirected !== 'local') return redirected;
  // A service's address (NAT gateway, interface endpoint, load balancer): the service takes it.
  const node = vpc.services.byIp.get(p.dst);
  if (node) return arriveAtService(w, node, p, vgw, NO_SUBNET, false);
  const found = resolveInVpc(vpc, p.dst);
  if (!found.found) {
    return w.fail({ component: vgw.qualified, kind: 'virtual-private-gateway', place: 'blackfoot', origin: vgw.origin, code: Codes.VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, detail: found.reason });
  }
  const target = found.iface;
  if (w.record) w.hop({
    component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place: 'blackfoot', action: 'encapsulate',
    detail: `The mapping service resolves ${dst} in ${vpc.id} to ${target.qualified} (${target.eniId}) on ${target.host} (${target.underlay}).`,
    stack: () => encapsulatedStack(p, { outerSrc: vgw.underlay, outerDst: target.underlay, vpcId: vpc.id, srcInterface: vgw.id, dstInterface: target.eniId }),
    mtu: VPC_MTU,
  });
  w.underlay(vgw, target);
  return w.deliverToInterface(target, p, undefined, vgw, false);
}
