/**
 * Helpers for the between-networks tests (peering, transit gateways, sites, VMC): the core builder
 * (helpers.ts) makes the VPCs; these add the issue-3 elements to its model and resolve endpoints that
 * name site and SDDC hosts (`office.pc`, `vmc.tinycore`).
 */
import type {
  DirectConnect, EndpointRef, NetworkModel, Protocol, Sddc, Site, TransitGateway, VpnConnection,
} from '../../engine/model.js';
import { compile, trace, type TraceResult } from '../../engine/index.js';
import { endpoint } from './helpers.js';

export const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

/** Endpoint text: `site.host` / `sddc.host` when such a host exists, else as the core helper reads it. */
export function endpointOf(model: NetworkModel, text: string): EndpointRef {
  if (text.includes('.') && !/^\d/.test(text)) {
    const [owner, name] = text.split('.');
    const site = Array.isArray(model.sites) ? model.sites.find(s => s?.name === owner) : undefined;
    const sddc = Array.isArray(model.sddcs) ? model.sddcs.find(s => s?.name === owner) : undefined;
    if (Array.isArray(site?.hosts) || Array.isArray(sddc?.segments)) {
      return { kind: 'site-host', site: owner, name };
    }
  }
  return endpoint(model, text);
}

/** "a -> office.pc tcp 22 [from-port N] [size N]". */
export function traceFlow(model: NetworkModel, text: string): TraceResult {
  const m = /^(\S+)\s*->\s*(\S+)\s+(tcp|udp|icmp|all)(?:\s+(\d+))?(?:\s+from-port\s+(\d+))?(?:\s+size\s+(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`bad flow: ${text}`);
  return trace(compile(model), {
    source: endpointOf(model, m[1]), destination: endpointOf(model, m[2]), protocol: m[3] as Protocol,
    port: m[4] ? Number(m[4]) : undefined, fromPort: m[5] ? Number(m[5]) : undefined, size: m[6] ? Number(m[6]) : undefined,
  });
}

export function vpcOf(model: NetworkModel, name: string) {
  const vpc = model.vpcs.find(v => v.name === name);
  if (!vpc) throw new Error(`no VPC ${name}`);
  return vpc;
}

export function tableOf(model: NetworkModel, vpc: string, table: string) {
  const t = vpcOf(model, vpc).routeTables.find(r => r.name === table);
  if (!t) throw new Error(`no route table ${vpc}.${table}`);
  return t;
}

export function subnetOf(model: NetworkModel, vpc: string, subnet: string) {
  const s = vpcOf(model, vpc).subnets.find(x => x.name === subnet);
  if (!s) throw new Error(`no subnet ${vpc}.${subnet}`);
  return s;
}

export function addPeering(model: NetworkModel, name: string, requester: string, accepter: string, status: 'active' | 'pending' = 'active'): NetworkModel {
  (model.peerings ??= []).push({ name, requester, accepter, status });
  return model;
}

export function addSite(model: NetworkModel, site: Partial<Site> & { name: string; cidrs: string[] }): NetworkModel {
  (model.sites ??= []).push({ hosts: [], ...site });
  return model;
}

export function addVpn(model: NetworkModel, vpn: Partial<VpnConnection> & { name: string; site: string; to: string }): NetworkModel {
  (model.vpns ??= []).push({ routing: 'bgp', staticRoutes: [], ...vpn });
  return model;
}

export function addDx(model: NetworkModel, dx: Partial<DirectConnect> & { name: string; site: string; to: string; vlan: number }): NetworkModel {
  (model.directConnects ??= []).push({ ...dx });
  return model;
}

export function addTgw(model: NetworkModel, tgw: Partial<TransitGateway> & { name: string }): NetworkModel {
  (model.transitGateways ??= []).push({ region: 'us-east-1', attachments: [], routeTables: [], ...tgw });
  return model;
}

export function addSddc(model: NetworkModel, sddc: Sddc): NetworkModel {
  (model.sddcs ??= []).push(sddc);
  return model;
}

export function tgwOf(model: NetworkModel, name: string): TransitGateway {
  const t = (model.transitGateways ?? []).find(x => x.name === name);
  if (!t) throw new Error(`no transit gateway ${name}`);
  return t;
}
