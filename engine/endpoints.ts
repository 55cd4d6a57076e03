/**
 * Endpoints of expectations and traces (vnet-language.md, "What expect means").
 *
 * A source is where the packet starts: an instance's interface, an internet host, or the internet
 * (any public address outside every network). A destination is an address plus what must receive
 * it: an instance is addressed by its private address from inside AWS and by its public address from
 * the internet; a bare IP is just the packet's destination.
 */
import type { EndpointRef } from './model.js';
import type { CHost, CInterface, CompiledNetwork } from './compile.js';
import { formatV4, parseV4 } from './ipv4.js';
import { parseIp } from './ip.js';
import { Codes } from './codes.js';
import { isAwsService, prefixList, serviceAddress, type PrefixList } from './prefix-lists.js';
import type { CGatewayEndpoint } from './services.js';
import type { CSiteHost } from './between-networks.js';
import { findSiteHost, siteHostByIp, siteHostsNamed } from './between-walk.js';

export type Source =
  | { kind: 'interface'; iface: CInterface }
  | { kind: 'host'; host: CHost }
  /** An internet address outside every network; `label` says how it was chosen. */
  | { kind: 'internet'; addr: number; label: string }
  /** An AWS service answering a flow it received (through `via`, a gateway endpoint, or the internet). */
  | { kind: 'aws-service'; list: PrefixList; addr: number; via?: CGatewayEndpoint }
  /** A host of an on-premises site or an SDDC segment (issue 3). */
  | { kind: 'site-host'; host: CSiteHost };

export type Receiver =
  | { kind: 'interface'; iface: CInterface }
  | { kind: 'host'; host: CHost }
  | { kind: 'internet' }
  /** An AWS service (S3, DynamoDB), at an address of its prefix list. */
  | { kind: 'aws-service'; service: 's3' | 'dynamodb' }
  /** A target of a load balancer or interface endpoint (qualified name) must receive it. */
  | { kind: 'served-by'; qualified: string }
  | { kind: 'site-host'; host: CSiteHost }
  /** A bare IP: whatever owns it (or the internet, for a public address) may receive it. */
  | { kind: 'any' };

export interface Destination { addr: number; receiver: Receiver }

export interface EndpointError { code: string; reason: string; component?: string }

export function endpointText(ref: EndpointRef): string {
  switch (ref?.kind) {
    case 'instance': return `${ref.vpc}.${ref.name}`;
    case 'host': return ref.name;
    case 'ip': return ref.ip;
    case 'internet': return 'internet';
    case 'aws-service': return ref.service;
    case 'load-balancer': case 'interface-endpoint': return `${ref.vpc}.${ref.name}`;
    case 'site-host': return `${ref.site}.${ref.name}`;
    default: return String(ref);
  }
}

function findInstance(network: CompiledNetwork, vpc: string, name: string): CInterface | EndpointError {
  const iface = network.vpcs.get(vpc)?.instances.get(name);
  if (!iface) return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no instance ${name} in VPC ${vpc}.` };
  if (iface.privateIp === undefined) {
    return { code: Codes.INVALID_CONFIGURATION, reason: `Instance ${iface.qualified} has no valid private IPv4 address (${iface.model.privateIp}).`, component: iface.qualified };
  }
  return iface;
}

function isError(x: object): x is EndpointError {
  return typeof x === 'object' && x !== null && 'code' in x && 'reason' in x;
}

function malformed(ref: unknown): EndpointError {
  return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `The endpoint ${JSON.stringify(ref) ?? String(ref)} is not an instance, a host, an IP address or the internet.` };
}

export function resolveSource(network: CompiledNetwork, ref: EndpointRef): Source | EndpointError {
  if (!ref || typeof ref !== 'object') return malformed(ref);
  switch (ref.kind) {
    case 'instance': {
      const iface = findInstance(network, ref.vpc, ref.name);
      return isError(iface) ? iface : { kind: 'interface', iface };
    }
    case 'host': {
      const host = network.hosts.get(ref.name);
      if (!host) return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no internet host ${ref.name}.` };
      if (host.ip === undefined) return { code: Codes.INVALID_CONFIGURATION, reason: `Internet host ${host.name} has no valid IPv4 address (${host.ipText}).`, component: host.name };
      return { kind: 'host', host };
    }
    case 'ip': {
      const addr = parseV4(ref.ip);
      if (addr === undefined) return invalidIp(ref.ip);
      // A bare IP as a source is the instance or host that owns it, else a host on the internet.
      const owners: CInterface[] = [];
      for (const vpc of network.vpcs.values()) { const i = vpc.byPrivateIp.get(addr); if (i) owners.push(i); }
      if (owners.length > 1) {
        return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `${ref.ip} is the private address of ${owners.map(o => o.qualified).join(' and ')}; name the instance instead.` };
      }
      const owner = owners[0] ?? network.byPublicIp.get(addr);
      if (owner) return { kind: 'interface', iface: owner };
      const host = network.hostsByIp.get(addr);
      if (host) return { kind: 'host', host };
      const siteHost = siteHostByIp(network, addr);
      if (siteHost) return { kind: 'site-host', host: siteHost };
      return { kind: 'internet', addr, label: `a host on the internet at ${ref.ip}` };
    }
    case 'site-host': {
      const host = findSiteHost(network, ref.site, ref.name);
      if (!host) return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no host ${ref.name} in site or SDDC ${ref.site}.` };
      return { kind: 'site-host', host };
    }
    case 'internet':
      return {
        kind: 'internet', addr: network.internetAddress,
        label: `any public address outside every network, represented by ${formatV4(network.internetAddress)} (the first documentation address nothing in the model owns)`,
      };
    case 'interface-endpoint':
      // RA VPCE_INTRA_VPC_TRAFFIC: an endpoint only returns responses to connections its VPC started.
      return { code: Codes.VPCE_INTRA_VPC_TRAFFIC, component: `${ref.vpc}.${ref.name}`, reason: `Interface endpoint ${ref.vpc}.${ref.name} cannot start connections: the service behind it only answers connections that resources in VPC ${ref.vpc} start (PrivateLink is one-directional).` };
    case 'load-balancer':
      return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `Load balancer ${ref.vpc}.${ref.name} does not start connections; it forwards connections to its targets.` };
    case 'aws-service': {
      // AWS services answer; as the start of a flow the service is a host on the internet.
      if (!isAwsService(ref.service)) return malformed(ref);
      const addr = serviceAddress(ref.service, undefined);
      return { kind: 'internet', addr, label: `${ref.service} (${prefixList(ref.service, undefined).name}) at ${formatV4(addr)}` };
    }
    default:
      return malformed(ref);
  }
}

function invalidIp(text: string): EndpointError {
  const parsed = typeof text === 'string' ? parseIp(text) : undefined;
  return parsed && parsed.family === 6
    ? { code: Codes.INVALID_CONFIGURATION, reason: `${text} is an IPv6 address; the engine analyses IPv4 only (as Reachability Analyzer does).` }
    : { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `${text} is not a valid IPv4 address.` };
}

export function resolveDestination(network: CompiledNetwork, ref: EndpointRef, source: Source): Destination | EndpointError {
  // Sites and SDDCs reach instances privately (VPN, Direct Connect, the SDDC's interfaces).
  const fromInside = source.kind === 'interface' || source.kind === 'site-host';
  if (!ref || typeof ref !== 'object') return malformed(ref);
  switch (ref.kind) {
    case 'instance': {
      const iface = findInstance(network, ref.vpc, ref.name);
      if (isError(iface)) return iface;
      if (fromInside) return { addr: iface.privateIp!, receiver: { kind: 'interface', iface } };
      if (iface.publicIp === undefined) {
        return {
          code: Codes.IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, component: iface.vpc.igw?.qualified ?? iface.qualified,
          reason: `${iface.qualified} has no public IP address, so it cannot be addressed from the internet${iface.vpc.igw ? ` (internet gateway ${iface.vpc.igw.name} only translates public addresses)` : ''}.`,
        };
      }
      return { addr: iface.publicIp, receiver: { kind: 'interface', iface } };
    }
    case 'host': {
      const host = network.hosts.get(ref.name);
      if (!host) return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no internet host ${ref.name}.` };
      if (host.ip === undefined) return { code: Codes.INVALID_CONFIGURATION, reason: `Internet host ${host.name} has no valid IPv4 address (${host.ipText}).`, component: host.name };
      return { addr: host.ip, receiver: { kind: 'host', host } };
    }
    case 'ip': {
      const addr = parseV4(ref.ip);
      if (addr === undefined) return invalidIp(ref.ip);
      return { addr, receiver: { kind: 'any' } };
    }
    case 'site-host': {
      const host = findSiteHost(network, ref.site, ref.name);
      if (!host) return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no host ${ref.name} in site or SDDC ${ref.site}.` };
      return { addr: host.ip, receiver: { kind: 'site-host', host } };
    }
    case 'internet':
      return { addr: network.internetAddress, receiver: { kind: 'internet' } };
    case 'load-balancer': case 'interface-endpoint':
      return serviceDestination(network, ref, source);
    case 'aws-service': {
      if (!isAwsService(ref.service)) return malformed(ref);
      // The service in the sender's region (a gateway endpoint only serves its own region, §3.10).
      const region = source.kind === 'interface' ? source.iface.vpc.region : undefined;
      return { addr: serviceAddress(ref.service, region), receiver: { kind: 'aws-service', service: ref.service } };
    }
    default:
      return malformed(ref);
  }
}

/**
 * A load balancer or interface endpoint as a destination: the node or interface in the sender's AZ
 * (DNS returns every address; a client in the VPC reaches the one in its zone), else the first;
 * from outside AWS an internet-facing load balancer's public address. `zone` (`expect c -> nlb in
 * us-east-1b`) names the node or interface of that AZ instead (its zonal DNS name).
 */
function serviceDestination(
  network: CompiledNetwork, ref: Extract<EndpointRef, { kind: 'load-balancer' | 'interface-endpoint' }>, source: Source,
): Destination | EndpointError {
  const vpc = network.vpcs.get(ref.vpc);
  const qualified = `${ref.vpc}.${ref.name}`;
  const zone = typeof ref.zone === 'string' ? ref.zone : undefined;
  const az = zone ?? (source.kind === 'interface' && source.iface.vpc === vpc ? source.iface.subnet.az : undefined);
  if (ref.kind === 'interface-endpoint') {
    const e = vpc?.services.interfaceEndpoints.get(ref.name);
    if (!e) return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no interface endpoint ${ref.name} in VPC ${ref.vpc}.` };
    if (zone !== undefined) {
      const inZone = e.enis.find(n => n.az === zone && n.privateIp !== undefined);
      if (!inZone) return noNodeInZone(qualified, 'interface-endpoint', zone, e.enis.filter(n => n.privateIp !== undefined).map(n => n.az));
      return { addr: inZone.privateIp!, receiver: { kind: 'served-by', qualified } };
    }
    const eni = e.enis.find(n => n.az === az && n.privateIp !== undefined) ?? e.enis.find(n => n.privateIp !== undefined);
    if (!eni) return { code: Codes.INVALID_CONFIGURATION, component: qualified, reason: `Interface endpoint ${qualified} has no interface (no valid subnet).` };
    return { addr: eni.privateIp!, receiver: { kind: 'served-by', qualified } };
  }
  const lb = vpc?.services.loadBalancers.get(ref.name);
  if (!lb) return { code: Codes.NO_SOURCE_OR_DESTINATION, reason: `There is no load balancer ${ref.name} in VPC ${ref.vpc}.` };
  if (source.kind !== 'interface') {
    const withPublic = lb.nodes.filter(n => n.publicIp !== undefined);
    if (withPublic.length === 0) {
      return { code: Codes.IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, component: qualified, reason: `Load balancer ${qualified} is ${lb.type === 'gateway' ? 'a gateway load balancer' : 'internal'}: it has no public address, so it cannot be reached from the internet.` };
    }
    const node = zone !== undefined ? withPublic.find(n => n.az === zone) : withPublic[0];
    if (!node) return noNodeInZone(qualified, 'load-balancer', zone!, withPublic.map(n => n.az));
    return { addr: node.publicIp!, receiver: { kind: 'served-by', qualified } };
  }
  const usable = lb.nodes.filter(n => n.privateIp !== undefined);
  if (zone !== undefined) {
    const node = usable.find(n => n.az === zone);
    if (!node) return noNodeInZone(qualified, 'load-balancer', zone, usable.map(n => n.az));
    return { addr: node.privateIp!, receiver: { kind: 'served-by', qualified } };
  }
  const node = usable.find(n => n.az === az) ?? usable[0];
  if (!node) return { code: Codes.INVALID_CONFIGURATION, component: qualified, reason: `Load balancer ${qualified} has no node (no valid subnet).` };
  return { addr: node.privateIp!, receiver: { kind: 'served-by', qualified } };
}

/** `in <zone>` names an AZ where the element has no subnet: there is no zonal address to send to. */
export function noNodeInZone(qualified: string, kind: 'load-balancer' | 'interface-endpoint', zone: string, zones: string[]): EndpointError {
  const [what, holders] = kind === 'load-balancer' ? ['Load balancer', 'nodes'] : ['Interface endpoint', 'interfaces'];
  return {
    code: Codes.NO_SOURCE_OR_DESTINATION, component: qualified,
    reason: `${what} ${qualified} has no ${holders.slice(0, -1)} in ${zone}: it has ${holders} only in ${[...new Set(zones)].join(', ') || 'no Availability Zone'} (one per subnet it is enabled in).`,
  };
}

/** Resolve CLI text ("web", "shop.web", "8.8.8.8", "internet", "client") to an endpoint. */
export function resolveEndpoint(network: CompiledNetwork, text: string): EndpointRef | { error: string } {
  const t = text.trim();
  if (t === '') return { error: 'An endpoint is needed: an instance, an internet host, an IP address or "internet".' };
  if (t === 'internet') return { kind: 'internet' };
  if (isAwsService(t) && !network.hosts.has(t) && ![...network.vpcs.values()].some(v => v.instances.has(t))) return { kind: 'aws-service', service: t };
  if (parseIp(t)) return { kind: 'ip', ip: t };
  const dot = t.indexOf('.');
  if (dot > 0) {
    const vpc = t.slice(0, dot);
    const name = t.slice(dot + 1);
    if (network.vpcs.get(vpc)?.instances.has(name)) return { kind: 'instance', vpc, name };
    if (findSiteHost(network, vpc, name)) return { kind: 'site-host', site: vpc, name };
    const services = network.vpcs.get(vpc)?.services;
    if (services?.loadBalancers.has(name)) return { kind: 'load-balancer', vpc, name };
    if (services?.interfaceEndpoints.has(name)) return { kind: 'interface-endpoint', vpc, name };
    if (!network.vpcs.has(vpc)) return { error: `There is no VPC ${vpc}.` };
    return { error: `There is no instance ${name} in VPC ${vpc}.` };
  }
  const matches: EndpointRef[] = [];
  for (const vpc of network.vpcs.values()) if (vpc.instances.has(t)) matches.push({ kind: 'instance', vpc: vpc.name, name: t });
  if (network.hosts.has(t)) matches.push({ kind: 'host', name: t });
  for (const h of siteHostsNamed(network, t)) matches.push({ kind: 'site-host', site: h.network.name, name: t });
  for (const vpc of network.vpcs.values()) {
    if (vpc.services.loadBalancers.has(t)) matches.push({ kind: 'load-balancer', vpc: vpc.name, name: t });
    if (vpc.services.interfaceEndpoints.has(t)) matches.push({ kind: 'interface-endpoint', vpc: vpc.name, name: t });
  }
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) return { error: `There is no instance or internet host named ${t}.` };
  return { error: `${t} is ambiguous: ${matches.map(endpointText).join(', ')}; qualify it (vpc.name).` };
}

export { isError as isEndpointError };
