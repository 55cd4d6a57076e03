/**
 * VMware Cloud on AWS: an SDDC connected to a VPC over network interfaces (the VMC connectivity
 * article, seeds/004).
 *
 * - The SDDC gets one interface per host of its first cluster in the chosen subnet of the connected
 *   VPC: 17 by default (16 hosts plus one for failover), whatever the number of hosts deployed.
 * - One interface is active: the one mapped to the ESXi host that runs the active NSX edge. A host
 *   failure moves the edge and the active interface (`active-host`), and the routes follow.
 * - VMC writes the management CIDR and the routed segments into the connected VPC's MAIN route table,
 *   target the active interface. Custom route tables are not supported: a subnet with its own table
 *   has no route to the SDDC unless the user adds one (a route whose target names the SDDC).
 * - The interfaces carry the VPC's default security group, "as though the entire SDDC was an EC2
 *   instance with that security group attached" (VMware Cloud Well-Architected Framework, connected
 *   VPC), and the subnet's network ACL applies to them.
 * - From the SDDC, the NSX edge sends traffic for the connected VPC's CIDRs out of the active
 *   interface, which forwards it like an interface with source/destination check off.
 */
import type { Instance, Origin, Sddc } from './model.js';
import type { CInterface, CompiledNetwork, CSecurityGroup, CSubnet, CVpc } from './compile.js';
import type { CSiteHost } from './between-networks.js';
import type { Arrival, Walker } from './walk.js';
import type { Packet } from './packet.js';
import { frameStack } from './packet.js';
import { formatV4, parseV4, parseV4Prefix, reservedRoleV4, v4Contains, type V4Prefix } from './ipv4.js';
import { hostName, macAddress, resourceId, underlayAddress } from './ids.js';
import { Codes } from './codes.js';

/** Interfaces VMC creates for the first cluster: at most 16 hosts plus one for failover (seeds/004). */
export const DEFAULT_SDDC_HOSTS = 17;
/** MTU of an SDDC segment as modelled (NSX segments default to 1500). */
export const SDDC_SEGMENT_MTU = 1500;

export interface CSddcSegment { name: string; prefix?: V4Prefix; origin?: Origin }

export interface CSddc {
  kind: 'sddc';
  name: string;
  vpc?: CVpc;
  subnet?: CSubnet;
  management?: V4Prefix;
  segments: CSddcSegment[];
  /** The management CIDR and the segments: what VMC routes through the active interface. */
  cidrs: V4Prefix[];
  hosts: CSiteHost[];
  enis: SddcEni[];
  hostCount: number;
  activeHost: number;
  /** Undefined when `active-host` names no host of the cluster. */
  active?: SddcEni;
  origin?: Origin;
  /** MAC of the NSX edge's uplink towards the segments (a model value). */
  routerMac: string;
}

/** An SDDC interface in the connected VPC: an interface with source/destination check off. */
export class SddcEni implements CInterface {
  readonly securityGroups: CSecurityGroup[];
  readonly unresolvedGroups: string[] = [];
  readonly sourceDestCheck = false;
  readonly origin?: Origin;
  readonly publicIp = undefined;
  readonly model: Instance;
  readonly eniId: string;
  readonly instanceId: string;
  readonly mac: string;
  readonly host: string;
  readonly underlay: string;
  constructor(
    readonly sddc: CSddc, readonly index: number, readonly name: string, readonly qualified: string,
    readonly vpc: CVpc, readonly subnet: CSubnet, readonly privateIp: number,
  ) {
    this.securityGroups = [vpc.defaultSecurityGroup];
    this.origin = sddc.origin;
    this.model = { name, privateIp: formatV4(privateIp), securityGroups: ['default'], sourceDestCheck: false };
    this.eniId = resourceId('eni', 'sddc-eni', qualified);
    this.instanceId = this.eniId;
    this.mac = macAddress(`eni:${qualified}`);
    this.host = `esxi-${index} (${hostName(qualified)})`;
    this.underlay = underlayAddress(hostName(qualified));
  }
}

export function isSddcEni(iface: CInterface): iface is SddcEni {
  return iface instanceof SddcEni;
}

function list<T extends object>(value: readonly T[] | undefined | null): T[] {
  return Array.isArray(value) ? value.filter(x => x !== null && typeof x === 'object') : [];
}

/** Addresses for the interfaces: the subnet's first free addresses after the four AWS reserves. */
function freeAddresses(subnet: CSubnet, count: number): number[] {
  const out: number[] = [];
  const prefix = subnet.prefix;
  if (!prefix) return out;
  const size = 2 ** (32 - prefix.length);
  for (let i = 4; i < size - 1 && out.length < count; i++) {
    const addr = (prefix.network + i) >>> 0;
    if (reservedRoleV4(prefix, addr) || subnet.vpc.byPrivateIp.has(addr) || subnet.vpc.services?.byIp?.has(addr)) continue;
    out.push(addr);
  }
  return out;
}

export function compileSddcs(network: CompiledNetwork, sddcs: Sddc[]): Map<string, CSddc> {
  const out = new Map<string, CSddc>();
  for (const s of list(sddcs)) {
    if (out.has(s.name)) continue;
    const vpc = network.vpcs.get(s.connectedVpc);
    const subnet = vpc?.subnetsByName.get(s.subnet);
    const management = parseV4Prefix(s.management);
    const hostCount = Number.isInteger(s.hostCount) && s.hostCount! > 0 ? s.hostCount! : DEFAULT_SDDC_HOSTS;
    const activeHost = Number.isInteger(s.activeHost) ? s.activeHost! : 1;
    const sddc: CSddc = {
      kind: 'sddc', name: s.name, vpc, subnet, management, segments: [], cidrs: management ? [management] : [], hosts: [], enis: [],
      hostCount, activeHost, origin: s.origin, routerMac: macAddress(`nsx-edge:${s.name}`),
    };
    for (const seg of list(s.segments)) {
      const prefix = parseV4Prefix(seg.cidr);
      sddc.segments.push({ name: seg.name, prefix, origin: seg.origin });
      if (prefix) sddc.cidrs.push(prefix);
      for (const h of list(seg.hosts)) {
        const ip = parseV4(h.ip);
        if (ip === undefined || sddc.hosts.some(x => x.name === h.name)) continue;
        sddc.hosts.push({ name: h.name, qualified: `${s.name}.${h.name}`, ip, ipText: h.ip, origin: h.origin, mac: macAddress(`sddc-host:${s.name}.${h.name}`), network: sddc, declared: true });
      }
    }
    if (vpc && subnet) {
      freeAddresses(subnet, hostCount).forEach((addr, i) => {
        const name = `${s.name}-eni-${i + 1}`;
        const eni = new SddcEni(sddc, i + 1, name, `${vpc.name}.${name}`, vpc, subnet, addr);
        sddc.enis.push(eni);
        // The mapping service knows the interfaces (they hold addresses of the subnet); they are not
        // instances, so they are not endpoints of expectations.
        vpc.byPrivateIp.set(addr, eni);
        subnet.interfaces.push(eni);
      });
      sddc.active = sddc.enis[activeHost - 1];
    }
    out.set(s.name, sddc);
  }
  return out;
}

function segmentOf(sddc: CSddc, addr: number): string | undefined {
  if (sddc.management && v4Contains(sddc.management, addr)) return `management network ${sddc.management.text}`;
  const seg = sddc.segments.find(s => s.prefix && v4Contains(s.prefix, addr));
  return seg ? `segment ${seg.name} (${seg.prefix!.text})` : undefined;
}

/** A host of the SDDC by address: declared, else an undeclared machine of the segment. */
export function sddcHostAt(sddc: CSddc, addr: number): CSiteHost | undefined {
  const declared = sddc.hosts.find(h => h.ip === addr);
  if (declared) return declared;
  if (!segmentOf(sddc, addr)) return undefined;
  const ipText = formatV4(addr);
  return { name: ipText, qualified: `${sddc.name}.${ipText}`, ip: addr, ipText, mac: macAddress(`sddc-host:${sddc.name}.${ipText}`), network: sddc, declared: false };
}

/** The active interface received a packet for the SDDC: the NSX edge routes it to its segment. */
export function enterSddc(w: Walker, eni: SddcEni, p: Packet): Arrival | undefined {
  const sddc = eni.sddc;
  const dst = formatV4(p.dst);
  const where = segmentOf(sddc, p.dst);
  if (eni !== sddc.active || !where) {
    return w.fail({
      component: sddc.name, kind: 'sddc', place: 'peer', origin: sddc.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      detail: eni !== sddc.active
        ? `${eni.qualified} is not the active SDDC interface (host ${sddc.activeHost} runs the active NSX edge), so nothing behind it routes ${dst}.`
        : `${dst} is in neither the management network nor a segment of SDDC ${sddc.name}.`,
    });
  }
  const host = sddcHostAt(sddc, p.dst)!;
  if (w.record) w.hop({
    component: sddc.name, kind: 'sddc', place: 'peer', action: 'forward', origin: sddc.origin,
    detail: `The active NSX edge on ESXi host ${sddc.activeHost} takes the packet from ${eni.eniId} and routes ${dst} through the compute gateway to ${where}.`,
    stack: () => frameStack(p, sddc.routerMac, host.mac), mtu: SDDC_SEGMENT_MTU,
  });
  if (!w.leg(SDDC_SEGMENT_MTU, { component: sddc.name, kind: 'sddc', place: 'peer' })) return undefined;
  if (w.record) w.hop({
    component: host.qualified, kind: 'host', place: w.receiverPlace, action: 'deliver', origin: host.origin,
    detail: `Delivered to ${host.declared ? host.qualified : `the machine at ${dst}`} in SDDC ${sddc.name}.`,
  });
  return { kind: 'site-host', host, packet: p };
}

/** A machine in the SDDC sends: the NSX edge routes the connected VPC's CIDRs out of the active interface. */
export function fromSddcHost(w: Walker, sddc: CSddc, host: CSiteHost, p: Packet): Arrival | undefined {
  if (!w.leg(SDDC_SEGMENT_MTU, { component: host.qualified, kind: 'host', place: w.senderPlace })) return undefined;
  const eni = sddc.active;
  if (w.record) w.hop({
    component: host.qualified, kind: 'host', place: w.senderPlace, action: 'send', origin: host.origin,
    detail: `${host.declared ? host.qualified : 'The machine'} (${host.ipText}) in SDDC ${sddc.name} sends ${formatV4(p.src)} → ${formatV4(p.dst)} to its segment's gateway.`,
    stack: () => frameStack(p, host.mac, sddc.routerMac), mtu: SDDC_SEGMENT_MTU,
  });
  const vpc = sddc.vpc;
  if (!vpc || !eni) {
    return w.fail({
      component: sddc.name, kind: 'sddc', place: 'peer', origin: sddc.origin, code: Codes.BAD_STATE,
      detail: !vpc ? `SDDC ${sddc.name} has no connected VPC.` : `SDDC ${sddc.name} has no active interface: active-host ${sddc.activeHost} is not one of its ${sddc.enis.length} interfaces.`,
    });
  }
  if (!vpc.cidrs.some(c => v4Contains(c, p.dst))) {
    return w.fail({
      component: sddc.name, kind: 'sddc', place: 'peer', origin: sddc.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
      detail: `SDDC ${sddc.name} routes only the connected VPC ${vpc.name}'s CIDRs (${vpc.cidrs.map(c => c.text).join(', ')}) through its interface; ${formatV4(p.dst)} is not among them.`,
    });
  }
  if (w.record) w.hop({
    component: sddc.name, kind: 'sddc', place: 'peer', action: 'route', origin: sddc.origin,
    detail: `The active NSX edge on ESXi host ${sddc.activeHost} routes ${formatV4(p.dst)} (connected VPC ${vpc.name}) out of the active interface ${eni.eniId} (${formatV4(eni.privateIp)}).`,
  });
  return w.sendFromInterface(eni, p, true);
}
