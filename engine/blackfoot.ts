/**
 * Blackfoot: the edge fleet that serves internet gateways (aws-data-plane.md §3.4, §5.6).
 *
 * The internet gateway is a 1:1 NAT between an interface's private address and its public address:
 * on the way out the source private -> public, on the way in the destination public -> private.
 * The checks and their codes follow Reachability Analyzer (§1.5 IGW_*).
 */
import type { Packet } from './packet.js';
import type { CInterface, CInternetGateway } from './compile.js';
import { formatV4, isRfc1918V4, isRfc6598V4 } from './ipv4.js';
import { Codes } from './codes.js';

export type EdgeResult =
  | { ok: true; packet: Packet; iface: CInterface; detail: string }
  | { ok: false; code: string; reason: string };

export function internetGatewayEgress(igw: CInternetGateway, p: Packet): EdgeResult {
  const src = formatV4(p.src);
  const iface = igw.vpc.byPrivateIp.get(p.src);
  if (!iface || iface.publicIp === undefined) {
    const who = iface ? `${iface.qualified} (${src}) has no public IP address` : `${src} is not the private address of an interface in VPC ${igw.vpc.name}`;
    return {
      ok: false, code: Codes.IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS,
      reason: `Internet gateway ${igw.name} only forwards traffic from interfaces that have a public address; ${who}.`,
    };
  }
  if (isRfc1918V4(p.dst)) {
    return { ok: false, code: Codes.IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS, reason: `Internet gateway ${igw.name} drops outbound traffic to the private (RFC 1918) address ${formatV4(p.dst)}.` };
  }
  if (isRfc6598V4(p.dst)) {
    return { ok: false, code: Codes.IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS, reason: `Internet gateway ${igw.name} drops outbound traffic to the shared (RFC 6598, 100.64.0.0/10) address ${formatV4(p.dst)}.` };
  }
  const pub = formatV4(iface.publicIp);
  return {
    ok: true, iface, packet: { ...p, src: iface.publicIp },
    detail: `1:1 NAT: source ${src} (${iface.qualified}) rewritten to its public address ${pub}.`,
  };
}

export function internetGatewayIngress(igw: CInternetGateway, p: Packet, byPublicIp: Map<number, CInterface>): EdgeResult {
  const src = formatV4(p.src);
  if (isRfc1918V4(p.src)) {
    return { ok: false, code: Codes.IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS, reason: `Internet gateway ${igw.name} drops inbound traffic from the private (RFC 1918) address ${src}.` };
  }
  if (isRfc6598V4(p.src)) {
    return { ok: false, code: Codes.IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS, reason: `Internet gateway ${igw.name} drops inbound traffic from the shared (RFC 6598) address ${src}.` };
  }
  const dst = formatV4(p.dst);
  const owner = byPublicIp.get(p.dst);
  const iface = owner && owner.vpc === igw.vpc ? owner : undefined;
  if (!iface) {
    return { ok: false, code: Codes.IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, reason: `${dst} is not the public address of an interface in VPC ${igw.vpc.name}, so internet gateway ${igw.name} has nothing to translate it to.` };
  }
  if (iface.privateIp === undefined) {
    return { ok: false, code: Codes.INVALID_CONFIGURATION, reason: `${iface.qualified} has no valid private IPv4 address (${iface.model.privateIp}) to translate ${dst} to.` };
  }
  return {
    ok: true, iface, packet: { ...p, dst: iface.privateIp },
    detail: `1:1 NAT: destination ${dst} rewritten to the private address ${formatV4(iface.privateIp)} of ${iface.qualified}.`,
  };
}
