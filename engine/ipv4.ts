/**
 * IPv4 on plain numbers, for the forwarding hot path.
 *
 * engine/ip.ts keeps addresses as bigint so one set of functions serves IPv4 and IPv6; the walk
 * compares addresses against prefixes thousands of times per analysis, so the compiled network holds
 * IPv4 addresses as unsigned 32-bit numbers and prefixes as (network, mask) pairs parsed once.
 */
import { parseIp, parsePrefix } from './ip.js';

/** An IPv4 prefix parsed once: `(addr & mask) >>> 0 === network`. */
export interface V4Prefix {
  network: number;
  mask: number;
  length: number;
  /** Canonical text, e.g. "10.0.0.0/16". */
  text: string;
}

export function parseV4(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ip = parseIp(text);
  return ip && ip.family === 4 ? Number(ip.value) : undefined;
}

export function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

export function parseV4Prefix(text: string | undefined): V4Prefix | undefined {
  if (text === undefined) return undefined;
  const p = parsePrefix(text);
  if (!p || p.family !== 4) return undefined;
  const network = Number(p.network);
  return { network, mask: maskOf(p.length), length: p.length, text: `${formatV4(network)}/${p.length}` };
}

export function v4Contains(p: V4Prefix, addr: number): boolean {
  return ((addr & p.mask) >>> 0) === p.network;
}

export function formatV4(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 0xff}.${(addr >>> 8) & 0xff}.${addr & 0xff}`;
}

function range(text: string): V4Prefix {
  return parseV4Prefix(text)!;
}

const NOT_PUBLIC = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16',
  '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3',
].map(range);
const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(range);
const RFC6598 = range('100.64.0.0/10');

/** Same definition as ip.ts `isPublic` (vnet-language.md, "Rules the tests rely on"). */
export function isPublicV4(addr: number): boolean {
  return !NOT_PUBLIC.some(p => v4Contains(p, addr));
}

export function isRfc1918V4(addr: number): boolean {
  return RFC1918.some(p => v4Contains(p, addr));
}

export function isRfc6598V4(addr: number): boolean {
  return v4Contains(RFC6598, addr);
}

/** The role of a reserved subnet address (first four and last), or undefined (aws-data-plane.md §3.1). */
export function reservedRoleV4(subnet: V4Prefix, addr: number): string | undefined {
  if (!v4Contains(subnet, addr)) return undefined;
  const offset = addr - subnet.network;
  const last = 2 ** (32 - subnet.length) - 1;
  if (offset === 0) return 'the network address';
  if (offset === 1) return 'the VPC router';
  if (offset === 2) return 'the Amazon DNS server';
  if (offset === 3) return 'reserved by AWS for future use';
  if (offset === last) return 'the broadcast address (reserved; a VPC has no broadcast)';
  return undefined;
}
