/**
 * Where the walk (walk.ts) hands over to the between-networks elements: route targets that are a
 * peering, a transit gateway, a virtual private gateway or an SDDC; and endpoints that are hosts of
 * an on-premises site or of an SDDC segment.
 */
import type { Packet } from './packet.js';
import type { Arrival, Walker } from './walk.js';
import type { CompiledNetwork, CRoute, CSubnet, RouteTarget } from './compile.js';
import type { CSiteHost, Sender } from './between-networks.js';
import { formatV4, v4Contains } from './ipv4.js';
import { Codes } from './codes.js';
import { routeToPeering } from './peering.js';
import { routeToTransitGateway } from './transit-gateway.js';
import { routeToVpnGateway } from './vpn-gateway.js';
import { fromSiteHost, siteHostAt } from './site.js';
import { fromSddcHost, sddcHostAt, type CSddc } from './vmc.js';

export type BetweenTarget = Extract<RouteTarget, { kind: 'peering' | 'transit-gateway' | 'vpn-gateway' | 'sddc' }>;

export function isBetweenTarget(target: RouteTarget): target is BetweenTarget {
  return target.kind === 'peering' || target.kind === 'transit-gateway' || target.kind === 'vpn-gateway' || target.kind === 'sddc';
}

export function routeBetweenNetworks(w: Walker, sender: Sender, subnet: CSubnet, route: CRoute, target: BetweenTarget, p: Packet): Arrival | undefined {
  switch (target.kind) {
    case 'peering': return routeToPeering(w, sender, subnet, route, target.peering, p);
    case 'transit-gateway': return routeToTransitGateway(w, sender, subnet, route, target.tgw, p);
    case 'vpn-gateway': return routeToVpnGateway(w, sender, subnet, route, target.vgw, p);
    case 'sddc': return routeToSddc(w, sender, subnet, route, target.sddc, p);
  }
}

/** A route to the SDDC: the active interface, as VMC keeps it (seeds/004). */
function routeToSddc(w: Walker, sender: Sender, subnet: CSubnet, route: CRoute, sddc: CSddc, p: Packet): Arrival | undefined {
  const table = subnet.routeTable;
  const rule = { text: route.text, ...(route.origin ? { origin: route.origin } : {}) };
  const eni = sddc.active;
  if (!eni || sddc.vpc !== subnet.vpc) {
    return w.fail({
      component: table.qualified, kind: 'route-table', place: w.senderHostPlace, origin: table.origin, code: Codes.BAD_STATE_ROUTE, rule,
      detail: !eni
        ? `Route ${route.text} leads to SDDC ${sddc.name}, which has no active interface (active-host ${sddc.activeHost} is not one of its ${sddc.enis.length} interfaces): a blackhole.`
        : `Route ${route.text} names SDDC ${sddc.name}, which is connected to VPC ${sddc.vpc?.name ?? '?'}, not ${subnet.vpc.name}.`,
    });
  }
  if (w.record) w.hop({
    component: table.qualified, kind: 'route-table', place: w.senderHostPlace, action: 'route', origin: table.origin, rule,
    detail: `Route table ${table.name}: ${formatV4(p.dst)} matches ${route.text} (longest prefix match): next hop the active SDDC interface ${eni.qualified} (${eni.eniId}, host ${sddc.activeHost} of ${sddc.hostCount}).`,
  });
  return w.toInterface(sender, eni, subnet, p, `route ${route.text}`);
}

/** A site or SDDC host starts (or answers) a flow. */
export function startFromSiteHost(w: Walker, host: CSiteHost, p: Packet): Arrival | undefined {
  const owner = host.network;
  return owner.kind === 'site' ? fromSiteHost(w, owner, host, p) : fromSddcHost(w, owner, host, p);
}

/** `site.host` or `sddc.host`. */
export function findSiteHost(network: CompiledNetwork, site: string, name: string): CSiteHost | undefined {
  const b = network.between;
  const owner = b.sites.get(site) ?? b.sddcs.get(site);
  return owner?.hosts.find(h => h.name === name);
}

/** The site or SDDC host that holds an address: declared, else an undeclared machine inside a site. */
export function siteHostByIp(network: CompiledNetwork, addr: number): CSiteHost | undefined {
  const b = network.between;
  for (const site of b.sites.values()) { const h = site.hosts.find(x => x.ip === addr); if (h) return h; }
  for (const sddc of b.sddcs.values()) { const h = sddc.hosts.find(x => x.ip === addr); if (h) return h; }
  for (const site of b.sites.values()) if (site.cidrs.some(c => v4Contains(c, addr))) return siteHostAt(site, addr);
  for (const sddc of b.sddcs.values()) { const h = sddcHostAt(sddc, addr); if (h) return h; }
  return undefined;
}

/** Names of site and SDDC hosts called `name` (for bare endpoint names). */
export function siteHostsNamed(network: CompiledNetwork, name: string): CSiteHost[] {
  const b = network.between;
  return [...b.sites.values(), ...b.sddcs.values()].flatMap(o => o.hosts.filter(h => h.name === name));
}
