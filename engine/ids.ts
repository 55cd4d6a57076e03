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

function mix32(h: number): number {
  // The MurmurHash3 finalizer: FNV-1a spreads a change in the last character over few bits; this
  // mixes every input bit into every output bit, so "s1" and "s2" get unrelated MACs and ids.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A well-mixed 32-bit hash of the text (FNV-1a, then a finalizer). Numbers only: compile() runs per keystroke. */
export function hash32(text: string): number {
  return mix32(fnv1a32(text));
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** 17 hex digits, the length of current AWS resource ids (vpc-0123456789abcdef0). */
function hex17(seed: string): string {
  return hex8(hash32(seed)) + hex8(hash32(`${seed}#`)) + (hash32(`${seed}##`) & 0xf).toString(16);
}

export function resourceId(prefix: string, kind: string, qualifiedName: string): string {
  return `${prefix}-${hex17(`${kind}:${qualifiedName}`)}`;
}

/** A locally administered unicast MAC (02:…), as AWS gives network interfaces. */
export function macAddress(seed: string): string {
  const h = hash32(`mac:${seed}`);
  const l = hash32(`mac:${seed}#`);
  const bytes = [0x02, h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, l & 0xff];
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
  return `host-${hex8(hash32(`host:${seed}`))}`;
}
