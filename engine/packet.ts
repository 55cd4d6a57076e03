/**
 * The packet as the walk carries it, and the header stacks it shows on the wire.
 *
 * The walk works on a small flat record (addresses as numbers); header objects are only built when
 * a hop records what the packet looks like, and are shared between hops while nothing changes.
 */
import type { Protocol } from './model.js';
import type { Header, HeaderField } from './path.js';
import { formatV4 } from './ipv4.js';

export interface Packet {
  protocol: Protocol;
  src: number;
  dst: number;
  srcPort?: number;
  dstPort?: number;
  /** ICMP type: 8 echo request, 0 echo reply. */
  icmpType?: number;
  ttl: number;
  /** True for replies (TCP SYN-ACK, ICMP echo reply). */
  reply: boolean;
  /**
   * True once an instance acting as a router forwarded the packet: security-group references no
   * longer match it (aws-data-plane.md §3.7, middlebox caveat; §3.12).
   */
  viaAppliance: boolean;
  /**
   * How the packet last entered the VPC it is in, when not from one of its own interfaces: services
   * that only take traffic from their own VPC check it (a NAT gateway refuses traffic that came over
   * peering, VPN or Direct Connect but takes traffic from a transit gateway, §3.6; a gateway endpoint
   * refuses all of them, §3.10). Set by the element that brings the packet into a VPC.
   */
  via?: 'peering' | 'vpn' | 'direct-connect' | 'transit-gateway' | 'internet-gateway';
  /**
   * The load balancer or interface endpoint (qualified name) that delivered the packet to its
   * target: an expectation to a load balancer or endpoint holds only when one of its targets gets it.
   */
  servedBy?: string;
}

/**
 * Linux's default TTL: what an instance puts in packets it originates. The engine leaves TTL alone
 * at the virtual router and the internet gateway (they do not show up as hops to traceroute; an
 * observation, not a documented AWS rule) and decrements it where an instance forwards as a router.
 */
export const INITIAL_TTL = 64;

const PROTOCOL_NUMBERS: Record<Protocol, string> = { tcp: '6 (TCP)', udp: '17 (UDP)', icmp: '1 (ICMP)', all: 'any (all traffic)' };

export function ipv4Header(p: Packet): Header {
  return {
    kind: 'ipv4', name: 'IPv4', bytes: 20,
    fields: [
      { name: 'src', value: formatV4(p.src) },
      { name: 'dst', value: formatV4(p.dst) },
      { name: 'protocol', value: PROTOCOL_NUMBERS[p.protocol] },
      { name: 'ttl', value: String(p.ttl) },
    ],
  };
}

export function l4Header(p: Packet): Header | undefined {
  switch (p.protocol) {
    case 'tcp':
      return {
        kind: 'tcp', name: 'TCP', bytes: 20,
        fields: [
          { name: 'src port', value: String(p.srcPort ?? 0) },
          { name: 'dst port', value: String(p.dstPort ?? 0) },
          { name: 'flags', value: p.reply ? 'SYN, ACK' : 'SYN' },
        ],
      };
    case 'udp':
      return {
        kind: 'udp', name: 'UDP', bytes: 8,
        fields: [{ name: 'src port', value: String(p.srcPort ?? 0) }, { name: 'dst port', value: String(p.dstPort ?? 0) }],
      };
    case 'icmp':
      return {
        kind: 'icmp', name: 'ICMP', bytes: 8,
        fields: [
          { name: 'type', value: p.icmpType === 0 ? '0 (echo reply)' : '8 (echo request)' },
          { name: 'code', value: '0' },
        ],
      };
    default:
      return undefined;
  }
}

/** The IP packet itself: IPv4 and the transport header. */
export function innerStack(p: Packet): Header[] {
  const l4 = l4Header(p);
  return l4 ? [ipv4Header(p), l4] : [ipv4Header(p)];
}

export function ethernetHeader(srcMac: string, dstMac: string): Header {
  return {
    kind: 'ethernet', name: 'Ethernet', bytes: 14,
    fields: [{ name: 'src', value: srcMac }, { name: 'dst', value: dstMac }, { name: 'type', value: '0x0800 (IPv4)' }],
  };
}

/** A frame on a LAN segment: Ethernet around the IP packet. */
export function frameStack(p: Packet, srcMac: string, dstMac: string): Header[] {
  return [ethernetHeader(srcMac, dstMac), ...innerStack(p)];
}

export interface EncapEnds {
  /** Underlay addresses of the sending and receiving host or edge. */
  outerSrc: string;
  outerDst: string;
  vpcId: string;
  /** Interface ids (or the gateway id at an edge). */
  srcInterface: string;
  dstInterface: string;
}

/**
 * The VPC encapsulation between hosts (and between a host and a Blackfoot edge).
 * AWS does not publish this format (aws-data-plane.md §5.6: "IP packet from the payload, VPC
 * encapsulation, and IP on physical network"), so all three outer headers are marked modelled; the
 * UDP port and the VPC header's size are this model's, not AWS's.
 */
export function encapsulatedStack(p: Packet, ends: EncapEnds): Header[] {
  return [
    {
      kind: 'ipv4', name: 'Outer IPv4 (underlay, modelled)', bytes: 20, modelled: true,
      fields: [
        { name: 'src', value: ends.outerSrc },
        { name: 'dst', value: ends.outerDst },
        { name: 'protocol', value: '17 (UDP)' },
      ],
    },
    {
      kind: 'udp', name: 'Outer UDP (modelled)', bytes: 8, modelled: true,
      fields: [{ name: 'dst port', value: 'VPC encapsulation (port not published)' }],
    },
    {
      kind: 'vpc-encap', name: 'VPC encapsulation (modelled)', bytes: 16, modelled: true,
      fields: [
        { name: 'vpc', value: ends.vpcId },
        { name: 'src interface', value: ends.srcInterface },
        { name: 'dst interface', value: ends.dstInterface },
      ],
    },
    ...innerStack(p),
  ];
}

/**
 * Marks the fields of `after` that differ from the header of the same name in `before`.
 * Returns new header objects only where a mark is added or removed.
 */
export function markChanges(before: Header[], after: Header[]): Header[] {
  let same = true;
  const marked = after.map(h => {
    const prev = before.find(b => b.name === h.name);
    let differs = false;
    const fields: HeaderField[] = h.fields.map(f => {
      const old = prev?.fields.find(pf => pf.name === f.name);
      const changed = !!old && old.value !== f.value;
      if (changed !== !!f.changed) differs = true;
      return changed ? { name: f.name, value: f.value, changed: true } : { name: f.name, value: f.value };
    });
    if (differs) { same = false; return { ...h, fields }; }
    return h;
  });
  // An unchanged stack stays the same array, so renderers can tell "headers unchanged" cheaply.
  return same ? after : marked;
}

export function totalBytes(stack: Header[]): number {
  let n = 0;
  for (const h of stack) n += h.bytes;
  return n;
}
