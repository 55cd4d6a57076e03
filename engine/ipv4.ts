/**
 * IPv4 on plain numbers, for the forwarding hot path.
 *
 * engine/ip.ts keeps addresses as bigint so one set of functions serves IPv4 and IPv6; the walk
 * compares addresses against prefixes thousands of times per analysis, so the compiled network holds
 * IPv4 addresses as unsigned 32-bit numbers and prefixes as (network, mask) pairs parsed once.
 */

/** An IPv4 prefix parsed once: `(addr & mask) >>> 0 === network`. */
export interface V4Prefix {
  network: number;
  mask: number;
  length: number;
  /** Canonical text, e.g. "10.0.0.0/16". */
  text: string;
}

/** Dotted-quad IPv4 to a number; undefined for anything else (IPv6 included). No bigint: hot path. */
export function parseV4(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0; digits = 0; dots++;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

export function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

export function parseV4Prefix(text: string | undefined): V4Prefix | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseV4(text.slice(0, slash));
  const lenText = text.slice(slash + 1).trim();
  if (addr === undefined || !/^\d{1,2}$/.test(lenText)) return undefined;
  const length = Number(lenText);
  if (length > 32) return undefined;
  const mask = maskOf(length);
  const network = (addr & mask) >>> 0;
  return { network, mask, length, text: `${formatV4(network)}/${length}` };
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
