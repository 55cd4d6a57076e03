/**
 * Deterministic identifiers: the same file always shows the same ids, MACs, hosts and underlay
 * addresses. Everything is derived from the element's qualified name with FNV-1a, so renaming an
 * element changes its ids and nothing else does.
 *
 * Underlay (physical) addresses come from 198.18.0.0/15, the RFC 2544 benchmarking range: no
 * customer network uses it, so an address from it reads as "the physical network", never as yours.
 */
import { formatV4 } from './ipv4.js';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

export function fnv1a32(text: string): number {
  let h = FNV32_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV32_PRIME);
  }
  return h >>> 0;
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

export function fnv1a64(text: string): bigint {
  let h = FNV64_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h;
}

/**
 * FNV-1a spreads a change in the last character over few bits; the MurmurHash3 finalizer mixes
 * every input bit into every output bit, so "s1" and "s2" get unrelated MACs and ids.
 */
function mix64(h: bigint): bigint {
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & MASK64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & MASK64;
  h ^= h >> 33n;
  return h;
}

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A well-mixed 64-bit hash of the text. */
export function hash64(text: string): bigint {
  return mix64(fnv1a64(text));
}

/** A well-mixed 32-bit hash of the text. */
export function hash32(text: string): number {
  return mix32(fnv1a32(text));
}

/** 17 hex digits, the length of current AWS resource ids (vpc-0123456789abcdef0). */
function hex17(seed: string): string {
  return hash64(seed).toString(16).padStart(16, '0') + (hash32(seed) & 0xf).toString(16);
}

export function resourceId(prefix: string, kind: string, qualifiedName: string): string {
  return `${prefix}-${hex17(`${kind}:${qualifiedName}`)}`;
}

/** A locally administered unicast MAC (02:…), as AWS gives network interfaces. */
export function macAddress(seed: string): string {
  const h = hash64(`mac:${seed}`);
  const bytes = [0x02];
  for (let i = 0; i < 5; i++) bytes.push(Number((h >> BigInt(8 * i)) & 0xffn));
  return bytes.map(b => b.toString(16).padStart(2, '0')).join(':');
}

export const UNDERLAY_RANGE = '198.18.0.0/15';
const UNDERLAY_BASE = (198 << 24 | 18 << 16) >>> 0;

/** An underlay address in 198.18.0.0/15, never ending in .0 or .255. */
export function underlayAddress(seed: string): string {
  const h = hash32(`underlay:${seed}`) % (1 << 17);
  const low = h & 0xff;
  const adjusted = low === 0 ? h + 1 : low === 255 ? h - 1 : h;
  return formatV4((UNDERLAY_BASE + adjusted) >>> 0);
}

export function hostName(seed: string): string {
  return `host-${hash32(`host:${seed}`).toString(16).padStart(8, '0')}`;
}
