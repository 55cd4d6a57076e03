/**
 * IPv4 and IPv6 addresses and prefixes.
 *
 * Addresses are held as bigint with their family so one set of functions serves both.
 * Parsing never throws: it returns undefined for text that is not an address or prefix.
 */

import { parseV4 } from './ipv4.js';

export type Family = 4 | 6;

export interface IpAddress { family: Family; value: bigint }

export interface Prefix {
  family: Family;
  /** The network address (host bits cleared). */
  network: bigint;
  length: number;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

export function familyBits(family: Family): number {
  return BITS[family];
}

/**
 * Dotted quad to bigint: scanned with 32-bit number arithmetic (engine/ipv4.ts), one BigInt at the
 * end. Building the bigint octet by octet, with a regular expression per octet, was a tenth of an
 * edit's time in the language server's profile (docs/performance.md, item 2).
 */
function parseIpv4(text: string): bigint | undefined {
  const value = parseV4(text);
  return value === undefined ? undefined : BigInt(value);
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string): string[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
    const last = groups[groups.length - 1];
    if (last.includes('.')) {
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      groups.splice(groups.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    }
    return groups.every(g => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups : undefined;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(parseInt(g, 16));
  return value;
}

export function parseIp(text: string): IpAddress | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const v = parseIpv6(t);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseIpv4(t);
  return v === undefined ? undefined : { family: 4, value: v };
}

function mask(family: Family, length: number): bigint {
  const bits = BITS[family];
  return length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(bits - length);
}

/** Parses "a.b.c.d/n" or "x::/n". Host bits may be set; they are cleared (see `isCanonical`). */
export function parsePrefix(text: string): Prefix | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const lenText = text.slice(slash + 1).trim();
  if (!ip || !/^\d{1,3}$/.test(lenText)) return undefined;
  const length = Number(lenText);
  if (length > BITS[ip.family]) return undefined;
  return { family: ip.family, network: ip.value & mask(ip.family, length), length };
}

/** True when the text has no host bits set beyond the prefix length. */
export function isCanonical(text: string): boolean {
  const slash = text.indexOf('/');
  const ip = parseIp(text.slice(0, slash));
  const p = parsePrefix(text);
  return !!ip && !!p && ip.value === p.network;
}

export function formatIp(addr: IpAddress): string {
  if (addr.family === 4) {
    const v = addr.value;
    return [24n, 16n, 8n, 0n].map(s => ((v >> s) & 0xffn).toString()).join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((addr.value >> BigInt(i * 16)) & 0xffffn).toString(16));
  // RFC 5952: compress the longest run (length >= 2) of zero groups.
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function formatPrefix(p: Prefix): string {
  return `${formatIp({ family: p.family, value: p.network })}/${p.length}`;
}

/** Canonical text of a prefix ("10.0.0.5/16" -> "10.0.0.0/16"), or undefined when invalid. */
export function canonicalPrefix(text: string): string | undefined {
  const p = parsePrefix(text);
  return p ? formatPrefix(p) : undefined;
}

export function prefixContains(p: Prefix, addr: IpAddress): boolean {
  return p.family === addr.family && (addr.value & mask(p.family, p.length)) === p.network;
}

/** True when `inner` lies entirely within `outer`. */
export function prefixCovers(outer: Prefix, inner: Prefix): boolean {
  return outer.family === inner.family && outer.length <= inner.length
    && (inner.network & mask(outer.family, outer.length)) === outer.network;
}

export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
  return prefixCovers(a, b) || prefixCovers(b, a);
}

/** Number of addresses in the prefix. */
export function prefixSize(p: Prefix): bigint {
  return 1n << BigInt(BITS[p.family] - p.length);
}

/** The address at `offset` from the start of the prefix (negative: from the end, -1 = last). */
export function addressAt(p: Prefix, offset: bigint): IpAddress {
  const value = offset >= 0n ? p.network + offset : p.network + prefixSize(p) + offset;
  return { family: p.family, value };
}

const NOT_PUBLIC_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16',
  '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3',
].map(t => parsePrefix(t)!);

const NOT_PUBLIC_V6 = [
  '::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8', '::ffff:0:0/96',
].map(t => parsePrefix(t)!);

/**
 * Public addresses: everything outside the private, shared (RFC 6598), loopback, link-local,
 * "this network" and multicast/reserved ranges. The documentation ranges (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24) count as public so examples can use them
 * (../shared/vnet-language.md, "Rules the tests rely on").
 */
export function isPublic(addr: IpAddress): boolean {
  const list = addr.family === 4 ? NOT_PUBLIC_V4 : NOT_PUBLIC_V6;
  return !list.some(p => prefixContains(p, addr));
}

const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(t => parsePrefix(t)!);
const RFC6598 = parsePrefix('100.64.0.0/10')!;

export function isRfc1918(addr: IpAddress): boolean {
  return RFC1918.some(p => prefixContains(p, addr));
}

export function isRfc6598(addr: IpAddress): boolean {
  return prefixContains(RFC6598, addr);
}

/**
 * Which of the five reserved addresses of a subnet this is, if any: the network address, the VPC
 * router (+1), the Amazon DNS (+2), future use (+3), and the last address (the broadcast address,
 * though a VPC has no broadcast). Source: VPC user guide, subnet sizing (aws-data-plane.md §3.1).
 */
export function reservedRole(subnet: Prefix, addr: IpAddress): string | undefined {
  if (!prefixContains(subnet, addr)) return undefined;
  const offset = addr.value - subnet.network;
  const last = prefixSize(subnet) - 1n;
  if (offset === 0n) return 'network address';
  if (offset === 1n) return 'VPC router';
  if (offset === 2n) return 'Amazon DNS server';
  if (offset === 3n) return 'reserved by AWS for future use';
  if (offset === last) return 'broadcast address';
  return undefined;
}
