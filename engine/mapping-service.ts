/**
 * The mapping service: (VPC, address) -> the network interface and the physical host it lives on.
 *
 * Hosts hold every mapping of their VPCs and drop what misses (aws-data-plane.md §5.6), so an
 * address in the VPC that no interface owns goes nowhere. Reserved subnet addresses (.0 .1 .2 .3
 * and the last, §3.1) belong to AWS, not to an instance.
 */
import type { CInterface, CompiledNetwork, CVpc } from './compile.js';
import { formatV4, reservedRoleV4, v4Contains } from './ipv4.js';
import { Codes } from './codes.js';

export type MappingResult =
  | { found: true; iface: CInterface }
  | { found: false; code: string; reason: string };

export function resolveInVpc(vpc: CVpc, dst: number): MappingResult {
  const addr = formatV4(dst);
  const subnet = vpc.subnets.find(s => s.prefix && v4Contains(s.prefix, dst));
  if (subnet && subnet.prefix) {
    const role = reservedRoleV4(subnet.prefix, dst);
    if (role) {
      return { found: false, code: Codes.RESERVED_SUBNET_ADDRESS, reason: `${addr} is ${role} of subnet ${subnet.name} (${subnet.prefix.text}), one of the five addresses AWS reserves in every subnet; no instance holds it.` };
    }
  }
  const iface = vpc.byPrivateIp.get(dst);
  if (iface) return { found: true, iface };
  if (subnet) {
    return { found: false, code: Codes.ADDRESS_NOT_ASSIGNED, reason: `No network interface in subnet ${subnet.name} of VPC ${vpc.name} has the address ${addr}, so the mapping service has no entry for it and the packet is dropped.` };
  }
  return { found: false, code: Codes.ADDRESS_NOT_IN_SUBNET, reason: `${addr} is inside VPC ${vpc.name}'s CIDRs but in none of its subnets, so nothing can hold it.` };
}

/** The mapping-service entry of an instance (for the instance hover). */
export interface MappingEntry {
  vpc: string; vpcId: string; account: string; region: string; az: string;
  subnet: string; subnetId: string; instance: string; instanceId: string; interfaceId: string; mac: string;
  privateIp: string; publicIp?: string; host: string; underlayIp: string;
  /** IPv6 addresses of the interface (issue 4), as declared. */
  ipv6?: string[];
}

export function mappingEntry(network: CompiledNetwork, vpc: string, instance: string): MappingEntry | undefined {
  const iface = network.vpcs.get(vpc)?.instances.get(instance);
  if (!iface) return undefined;
  return {
    vpc: iface.vpc.name, vpcId: iface.vpc.id, account: iface.vpc.account, region: iface.vpc.region,
    az: iface.subnet.az, subnet: iface.subnet.name, subnetId: iface.subnet.id, instance: iface.name,
    instanceId: iface.instanceId, interfaceId: iface.eniId, mac: iface.mac,
    privateIp: iface.privateIp !== undefined ? formatV4(iface.privateIp) : iface.model.privateIp,
    publicIp: iface.publicIp !== undefined ? formatV4(iface.publicIp) : iface.model.publicIp,
    host: iface.host, underlayIp: iface.underlay,
    ...(Array.isArray(iface.model.ipv6) && iface.model.ipv6.length > 0 ? { ipv6: iface.model.ipv6.filter(a => typeof a === 'string') } : {}),
  };
}
