/**
 * The walk: a packet through the data plane as AWS describes it, forward then back
 * (aws-data-plane.md §3.16), one Hop per component met.
 *
 * Source interface (src/dst check, security group egress) -> same subnet: layer-2 delivery, no route
 * table, no network ACL -> else subnet ACL outbound -> virtual router (route table, longest prefix)
 * -> mapping service (address -> interface and host) -> target: another interface (ACL inbound,
 * security group inbound, src/dst check) or the internet gateway on a Blackfoot edge (1:1 NAT) and
 * the internet. The reply is the delivered packet with the tuple swapped, walked from where the
 * forward packet arrived: security groups pass tracked replies, network ACLs must allow them, and the
 * internet gateway's NAT applies in reverse because the same 1:1 mapping translates the reply.
 */
import type { Header, Hop, HopAction, HopKind, Place, TraceResult, DecidingRule } from './path.js';
import type { Origin, Protocol } from './model.js';
import { DEFAULT_CLIENT_PORT } from './model.js';
import type { CHost, CInterface, CInternetGateway, CompiledNetwork, CSubnet } from './compile.js';
import {
  INITIAL_TTL, encapsulatedStack, frameStack, markChanges, type Packet,
} from './packet.js';
import { formatV4, isPublicV4 } from './ipv4.js';
import { evaluateSecurityGroups } from './security-group.js';
import { evaluateNetworkAcl } from './network-acl.js';
import { isOnLink, longestPrefixMatch } from './virtual-router.js';
import { resolveInVpc } from './mapping-service.js';
import { internetGatewayEgress, internetGatewayIngress } from './blackfoot.js';
import {
  resolveDestination, resolveSource, isEndpointError, type Destination, type EndpointError, type Receiver, type Source,
} from './endpoints.js';
import { Codes } from './codes.js';
import type { TraceQuery } from './index.js';
import type { PrefixList } from './prefix-lists.js';
import { isServiceTarget, type CGatewayEndpoint } from './services.js';
import {
  arriveAtService, egressFromService, internetToService, replyToService, routeToService, startFromService,
} from './hyperplane.js';
import { blockPublicAccessAllows } from './block-public-access.js';
import { isV6Query, traceV6 } from './ipv6.js';
import type { CSiteHost } from './between-networks.js';
import { isBetweenTarget, routeBetweenNetworks, startFromSiteHost } from './between-walk.js';
import { applianceSees, edgeRoute, internetGatewayEdgeTable, type BetweenWalkState } from './middlebox.js';
import { enterSddc, isSddcEni } from './vmc.js';

/** MTUs (aws-data-plane.md §4): jumbo frames inside a VPC, 1500 through an internet gateway. */
export const VPC_MTU = 9001;
export const INTERNET_MTU = 1500;

/**
 * More interface and internet crossings than any loop-free path can make in one direction; a
 * backstop behind the per-interface loop check.
 */
const HOP_BUDGET = 64;

/** MAC of the provider router the edge and internet hosts talk to (a model value). */
const INTERNET_ROUTER_MAC = '02:00:5e:00:00:01';

export type Arrival =
  | { kind: 'interface'; iface: CInterface; packet: Packet }
  | { kind: 'host'; host: CHost; packet: Packet }
  | { kind: 'internet'; packet: Packet }
  /** An AWS service (S3, DynamoDB) took the packet: through a gateway endpoint, or from the internet. */
  | { kind: 'aws-service'; list: PrefixList; packet: Packet; via?: CGatewayEndpoint }
  /** A host of an on-premises site or of an SDDC segment (issue 3). */
  | { kind: 'site-host'; host: CSiteHost; packet: Packet }
  /**
   * The flow left IPv4 on the way (a dual-stack load balancer forwarding to an IPv6 target group,
   * ipv6-hyperplane-lb-ipv4-client.ts): the element that translated it walked the rest, and walks the
   * reply back to the translation point and on to the client itself. `packet` is the IPv4 packet as
   * it reached the translating element. The mirror of Arrival6 'translated' (ipv6.ts).
   */
  | {
    kind: 'translated'; packet: Packet;
    /** Where the translated packet arrived, for "delivered elsewhere" messages. */
    where: string;
    /** Whether the arrival is what the expectation's destination must receive. */
    matches: (receiver: Receiver) => boolean;
    /** Walks the reply from where the translated packet arrived back to the client (the walker is already in 'return'). */
    reply: () => Arrival | undefined;
  };

/** Anything on a host of the underlay (an interface, an edge, a service's node): its address is read lazily. */
export interface Underlaid { readonly underlay: string }

/** What encapsulates a packet towards a host: an instance's interface or a service's (NAT gateway...). */
export type Sender = Pick<CInterface, 'underlay' | 'eniId' | 'mac'>;

interface Drop {
  code: string;
  component: string;
  reason: string;
  rule?: DecidingRule;
}

interface HopInput {
  component: string;
  kind: HopKind;
  place: Place;
  action: HopAction;
  detail: string;
  rule?: DecidingRule;
  origin?: Origin;
  /** The stack this hop puts on the wire; absent: the packet leaves as it came. Built on demand. */
  stack?: () => Header[];
  mtu?: number;
  code?: string;
}

/**
 * A header stack built on first read. analyze() traces every expectation on every keystroke while
 * headers are read only for the one path someone looks at, so hops hold their stacks lazily; the
 * accessors are enumerable, so JSON (the LSP, the CLI) and spreads still see plain arrays.
 */
class LazyStack {
  private value?: Header[];
  constructor(private build?: () => Header[]) {}
  static of(value: Header[]): LazyStack {
    const s = new LazyStack();
    s.value = value;
    return s;
  }
  get(): Header[] {
    if (!this.value) { this.value = this.build ? this.build() : []; this.build = undefined; }
    return this.value;
  }
}

const EMPTY_STACK = LazyStack.of([]);

function rule(text: string, origin?: Origin): DecidingRule {
  return origin ? { text, origin } : { text };
}



/**
 * One walk, forward then back. Members are public for the element files (nat-gateway.ts, ...), which
 * record their hops and continue the walk through it; nothing outside the engine sees a Walker.
 */
export class Walker {
  readonly hops: Hop[] = [];
  direction: 'forward' | 'return' = 'forward';
  drop?: Drop;
  /** Interfaces whose security groups allowed the forward packet: they pass its replies. */
  readonly tracked = new Set<CInterface>();
  /** Connection state of stateful services (a NAT gateway's translation), kept from forward to return. */
  readonly sessions = new Map<object, unknown>();
  /** Interfaces that forwarded the packet as a router in the current direction (loop detection). */
  private forwardedBy = new Set<CInterface>();
  private stack: LazyStack = EMPTY_STACK;
  /** Interfaces and internet crossings in the current direction (the loop backstop). */
  private steps = 0;
  /** The forward packet's size in bytes (an expectation's `size`), for path-MTU drops. */
  size?: number;
  /** The forward packet's protocol (TCP sets Don't Fragment). */
  packetProtocol?: string;
  /** Set by a path-MTU drop: nothing after it is recorded and the drop stands. */
  halted = false;
  /** Smallest leg MTU met on the forward path. */
  forwardMtu?: number;
  /** Appliances and transit gateway attachments met, for symmetric replies (middlebox.ts walkState). */
  betweenState?: BetweenWalkState;

  /**
   * The packet is sent onto a leg with this MTU. With an expectation's `size` (path MTU, issue 4), a
   * forward packet larger than the leg is dropped where it cannot be fragmented: on legs that never
   * fragment (`noFragment`: GENEVE to a gateway load balancer, a transit gateway, a VPN tunnel) and,
   * because TCP sets Don't Fragment, on any leg for TCP. Returns false when it dropped the packet;
   * `at` names the component that sends onto the leg. After such a drop the walk is halted.
   */
  leg(mtu: number, at?: { component: string; kind: HopKind; place: Place }, noFragment = false): boolean {
    if (this.direction !== 'forward') return true;
    if (this.forwardMtu === undefined || mtu < this.forwardMtu) this.forwardMtu = mtu;
    if (this.size === undefined || this.size <= mtu) return true;
    const df = this.packetProtocol === 'tcp';
    if (!noFragment && !df) return true;
    const where = at ?? { component: 'path', kind: 'underlay' as HopKind, place: 'underlay' as Place };
    this.fail({
      ...where, code: Codes.PATH_MTU_EXCEEDED, mtu,
      detail: `A ${this.size}-byte packet does not fit the ${mtu}-byte MTU of the leg ${where.component} sends it on, and ${noFragment ? 'that leg never fragments' : 'TCP sets Don\'t Fragment'}: the packet is dropped.`,
    });
    this.halted = true;
    return false;
  }

  /**
   * With record off the walk decides the verdict without building hops, details or headers;
   * analyze() walks that way and records a path only when someone reads its hops.
   */
  constructor(readonly network: CompiledNetwork, readonly record: boolean) {}

  get senderPlace(): Place { return this.direction === 'forward' ? 'source' : 'destination'; }
  get receiverPlace(): Place { return this.direction === 'forward' ? 'destination' : 'source'; }
  get senderHostPlace(): Place { return this.direction === 'forward' ? 'source-host' : 'destination-host'; }
  get receiverHostPlace(): Place { return this.direction === 'forward' ? 'destination-host' : 'source-host'; }

  /** Records a hop. Callers guard with `if (this.record)` so a verdict-only walk builds no hop data. */
  /**
   * Records the route-table hop of a packet that `table` sends on by `route`. The detail is a thunk:
   * verdict-only walks (no hops recorded) never build its text.
   */
  routed(
    table: { qualified: string; origin?: Origin }, route: { text: string; origin?: Origin }, place: Place, detail: () => string,
  ): void {
    if (this.record) this.hop({
      component: table.qualified, kind: 'route-table', place, action: 'route', origin: table.origin,
      rule: rule(route.text, route.origin), detail: detail(),
    });
  }

  hop(input: HopInput): void {
    if (this.halted) return;
    let before = this.stack;
    const build = input.stack;
    let after = new LazyStack(() => {
      const prev = before.get();
      return markChanges(prev, build ? build() : prev);
    });
    this.stack = after;
    const hop: Hop = {
      direction: this.direction, component: input.component, kind: input.kind, place: input.place,
      action: input.action, detail: input.detail,
      get headersBefore() { return before.get(); },
      set headersBefore(value: Header[]) { before = LazyStack.of(value); },
      get headers() { return after.get(); },
      set headers(value: Header[]) { after = LazyStack.of(value); },
    };
    if (input.rule) hop.rule = input.rule;
    if (input.origin) hop.origin = input.origin;
    if (input.mtu !== undefined) hop.mtu = input.mtu;
    if (input.code) hop.code = input.code;
    this.hops.push(hop);
  }

  fail(input: Omit<HopInput, 'action'> & { code: string }): undefined {
    if (this.halted) return undefined;
    if (this.record) this.hop({ ...input, action: 'drop' });
    this.drop = { code: input.code, component: input.component, reason: input.detail, rule: input.rule };
    return undefined;
  }

  overBudget(component: string, kind: HopKind, place: Place): boolean {
    if (++this.steps < HOP_BUDGET) return false;
    this.fail({
      component, kind, place, code: Codes.ROUTING_LOOP,
      detail: `The packet has crossed ${HOP_BUDGET} components without arriving: the routes form a loop.`,
    });
    return true;
  }

  begin(direction: 'forward' | 'return'): void {
    this.direction = direction;
    this.forwardedBy = new Set();
    this.steps = 0;
    this.stack = EMPTY_STACK;
  }

  // --- Origins ---------------------------------------------------------------------------------

  fromInterface(iface: CInterface, p: Packet): Arrival | undefined {
    return this.sendFromInterface(iface, p, false);
  }

  fromHost(host: CHost, p: Packet): Arrival | undefined {
    if (!this.leg(INTERNET_MTU, { component: host.name, kind: 'host', place: this.senderPlace })) return undefined;
    if (this.record) this.hop({
      component: host.name, kind: 'host', place: this.senderPlace, action: 'send', origin: host.origin,
      detail: `${host.name} (${host.ipText}) sends ${flowText(p)}.`,
      stack: () => frameStack(p, host.mac, INTERNET_ROUTER_MAC), mtu: INTERNET_MTU,
    });
    return this.internet(p);
  }

  fromInternet(p: Packet, label: string): Arrival | undefined {
    if (!this.leg(INTERNET_MTU, { component: 'internet', kind: 'internet', place: this.senderPlace })) return undefined;
    if (this.record) this.hop({
      component: 'internet', kind: 'internet', place: this.senderPlace, action: 'send',
      detail: `The internet (${label}) sends ${flowText(p)}.`,
      stack: () => frameStack(p, INTERNET_ROUTER_MAC, INTERNET_ROUTER_MAC), mtu: INTERNET_MTU,
    });
    return this.internet(p);
  }

  // --- Interfaces --------------------------------------------------------------------------------

  sendFromInterface(iface: CInterface, p: Packet, forwarding: boolean): Arrival | undefined {
    const subnet = iface.subnet;
    const vpc = iface.vpc;
    const own = iface.privateIp!;
    const onLink = isOnLink(subnet, p.dst);
    const neighbour = onLink ? vpc.byPrivateIp.get(p.dst) : undefined;
    // ARP: the neighbour's own MAC on the subnet, else the virtual router's gateway MAC (§5.6).
    const dstMac = () => neighbour && neighbour.subnet === subnet ? neighbour.mac : subnet.gatewayMac;
    const place = this.senderPlace;
    const hostPlace = this.senderHostPlace;
    if (this.overBudget(iface.qualified, 'instance', place)) return undefined;
    if (!this.leg(VPC_MTU, { component: iface.qualified, kind: 'instance', place })) return undefined;

    if (forwarding) {
      if (this.forwardedBy.has(iface)) {
        return this.fail({
          component: iface.qualified, kind: 'instance', place, origin: iface.origin, code: Codes.ROUTING_LOOP,
          detail: `${iface.qualified} would forward ${flowText(p)} a second time: the routes send it around a loop.`,
        });
      }
      this.forwardedBy.add(iface);
      if (!applianceSees(this, iface, p)) return undefined;
      if (p.ttl <= 1) {
        return this.fail({
          component: iface.qualified, kind: 'instance', place, origin: iface.origin, code: Codes.ROUTING_LOOP,
          detail: `The packet's TTL ran out at ${iface.qualified}.`,
        });
      }
      p = { ...p, ttl: p.ttl - 1, viaAppliance: true };
      if (this.record) this.hop({
        component: iface.qualified, kind: 'instance', place, action: 'forward', origin: iface.origin,
        detail: `${iface.qualified} (source/destination check off) forwards the packet as a router, decrementing the TTL.`,
        stack: () => frameStack(p, iface.mac, dstMac()), mtu: VPC_MTU,
      });
    } else {
      if (this.record) this.hop({
        component: iface.qualified, kind: 'instance', place, action: 'send', origin: iface.origin,
        detail: `${iface.qualified} (${formatV4(own)}, ${iface.eniId}) sends ${flowText(p)}; ARP gives ${neighbour && neighbour.subnet === subnet ? `${neighbour.qualified}'s MAC (same subnet)` : 'the virtual router\'s gateway MAC'}.`,
        stack: () => frameStack(p, iface.mac, dstMac()), mtu: VPC_MTU,
      });
    }

    // Source/destination check: an interface only sends packets from its own address (§3.14).
    if (p.src !== own && iface.sourceDestCheck) {
      return this.fail({
        component: iface.qualified, kind: 'instance', place, origin: iface.origin, code: Codes.ENI_SOURCE_DEST_CHECK_RESTRICTION,
        detail: `${iface.qualified} has source/destination check on, so it drops outbound packets whose source (${formatV4(p.src)}) is not its address ${formatV4(own)}.`,
      });
    }

    if (!this.securityGroup(iface, 'outbound', p, hostPlace)) return undefined;
    if (this.direction === 'return' && !forwarding) {
      // A target answering a load balancer's flow: back to the load balancer, not by the route table.
      const served = replyToService(this, iface, p);
      if (served !== null) return served;
    }

    if (p.dst === own && !forwarding) {
      if (this.record) this.hop({
        component: iface.qualified, kind: 'instance', place: this.receiverPlace, action: 'deliver', origin: iface.origin,
        detail: `${formatV4(own)} is ${iface.qualified}'s own address: the packet never leaves the instance.`,
      });
      return { kind: 'interface', iface, packet: p };
    }

    if (onLink) {
      // Same subnet: layer-2 delivery; route tables and network ACLs do not apply (§3.2, §3.13).
      const component = `${vpc.name}.virtual-router`;
      const node = vpc.services.byIp.get(p.dst);
      if (node) return arriveAtService(this, node, p, iface, subnet, true);
      const found = resolveInVpc(vpc, p.dst);
      if (!found.found) {
        return this.fail({ component, kind: 'virtual-router', place: hostPlace, code: found.code, detail: found.reason });
      }
      const target = found.iface;
      if (this.record) this.hop({
        component, kind: 'virtual-router', place: hostPlace, action: 'encapsulate',
        detail: `${formatV4(p.dst)} is in subnet ${subnet.name} itself: delivered at layer 2 to ${target.qualified} (${target.eniId}) on ${target.host}; no route table, no network ACL.`,
        stack: () => encapsulatedStack(p, { outerSrc: iface.underlay, outerDst: target.underlay, vpcId: vpc.id, srcInterface: iface.eniId, dstInterface: target.eniId }),
        mtu: VPC_MTU,
      });
      if (this.record) this.underlay(iface, target);
      return this.deliverToInterface(target, p, subnet, iface, true);
    }

    if (!this.networkAcl(subnet, 'outbound', p, hostPlace)) return undefined;
    return this.route(iface, subnet, p);
  }

  securityGroup(iface: CInterface, direction: 'inbound' | 'outbound', p: Packet, place: Place): boolean {
    const tracked = this.direction === 'return' && this.tracked.has(iface);
    const decision = evaluateSecurityGroups(iface, direction, p, tracked);
    if (decision.allowed) {
      if ('tracked' in decision) {
        if (this.record) this.hop({
          component: decision.group.qualified, kind: 'security-group', place, action: 'allow', origin: decision.group.origin,
          detail: `Security groups are stateful: this is the reply of a flow ${iface.qualified}'s groups allowed, so it passes ${direction} without a rule.`,
          rule: rule('tracked connection (reply of an allowed flow)'),
        });
      } else {
        if (this.direction === 'forward') this.tracked.add(iface);
        if (this.record) this.hop({
          component: decision.group.qualified, kind: 'security-group', place, action: 'allow', origin: decision.group.origin,
          detail: `Security group ${decision.group.name} of ${iface.qualified} allows it: ${decision.rule.text}.`,
          rule: rule(decision.rule.text, decision.rule.origin),
        });
      }
      return true;
    }
    const group = decision.groups[0];
    this.fail({
      component: group ? group.qualified : iface.qualified, kind: 'security-group', place, code: decision.code,
      origin: group ? group.origin : iface.origin, detail: decision.reason,
      rule: group ? rule(`security group ${decision.groups.map(g => g.name).join(', ')}: no ${direction} rule matches`, group.origin) : undefined,
    });
    return false;
  }

  networkAcl(subnet: CSubnet, direction: 'inbound' | 'outbound', p: Packet, place: Place): boolean {
    const decision = evaluateNetworkAcl(subnet, direction, p);
    const origin = subnet.networkAcl?.origin ?? subnet.vpc.origin;
    if (decision.allowed) {
      if (this.record) this.hop({
        component: decision.component, kind: 'network-acl', place, action: 'allow', origin,
        detail: `Network ACL of subnet ${subnet.name} allows it ${direction}: ${decision.text}.`,
        rule: rule(decision.text, decision.origin),
      });
      return true;
    }
    this.fail({
      component: decision.component, kind: 'network-acl', place, origin, code: decision.code,
      detail: decision.reason, rule: rule(decision.text, decision.origin),
    });
    return false;
  }

  route(sender: Sender, subnet: CSubnet, p: Packet, place: Place = this.senderHostPlace): Arrival | undefined {
    const table = subnet.routeTable;
    const vpc = subnet.vpc;
    const dst = formatV4(p.dst);
    const match = longestPrefixMatch(table, p.dst);
    if (!match) {
      const tableRule = rule(`route table ${table.name}${table.implicit ? ' (main; only the local routes)' : ''}`, table.origin);
      return this.fail({
        component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.NO_ROUTE_TO_DESTINATION,
        detail: `Route table ${table.name} of subnet ${subnet.name} has no route that matches ${dst}.`, rule: tableRule,
      });
    }
    const routeRule = rule(match.text, match.origin);
    const target = match.target;
    if (isServiceTarget(target)) return routeToService(this, sender, subnet, p, match, target, place);
    if (isBetweenTarget(target)) return routeBetweenNetworks(this, sender, subnet, match, target, p);
    switch (target.kind) {
      case 'missing':
        return this.fail({
          component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.BAD_STATE_ROUTE, rule: routeRule,
          detail: `Route ${match.text} matches ${dst}, but VPC ${vpc.name} has no element named ${target.name}: a route whose target does not exist is a blackhole.`,
        });
      case 'foreign-internet-gateway':
        return this.fail({
          component: table.qualified, kind: 'route-table', place, origin: table.origin, code: Codes.NO_ROUTE_TO_DESTINATION, rule: routeRule,
          detail: `Route ${match.text} names internet gateway ${target.igw.name}, which is attached to VPC ${target.igw.vpc.name}, not ${vpc.name}; a subnet can only route to its own VPC's gateway.`,
        });
      case 'local': {
        this.routed(table, match, place, () => `Route table ${table.name}: ${dst} matches the local route ${match.prefix.text} (longest prefix match).`);
        const component = `${vpc.name}.mapping-service`;
        const node = vpc.services.byIp.get(p.dst);
        if (node) return arriveAtService(this, node, p, sender, subnet, false);
        const found = resolveInVpc(vpc, p.dst);
        if (!found.found) return this.fail({ component, kind: 'mapping-service', place, code: found.code, detail: found.reason });
        return this.toInterface(sender, found.iface, subnet, p, 'the local route');
      }
      case 'instance': {
        this.routed(table, match, place, () => `Route table ${table.name}: ${dst} matches ${match.text} (longest prefix match): next hop instance ${target.iface.qualified}.`);
        if (target.iface.privateIp === undefined) {
          return this.fail({
            component: target.iface.qualified, kind: 'instance', place, code: Codes.INVALID_CONFIGURATION, origin: target.iface.origin,
            detail: `Route target ${target.iface.qualified} has no valid private IPv4 address.`,
          });
        }
        return this.toInterface(sender, target.iface, subnet, p, `route ${match.text}`);
      }
      case 'internet-gateway': {
        this.routed(table, match, place, () => `Route table ${table.name}: ${dst} matches ${match.text} (longest prefix match): to internet gateway ${target.igw.name}.`);
        const igw = target.igw;
        if (this.record) this.hop({
          component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place, action: 'encapsulate',
          detail: `The mapping service sends traffic for internet gateway ${igw.name} (${igw.id}) to its Blackfoot edge at ${igw.underlay}.`,
          stack: () => encapsulatedStack(p, { outerSrc: sender.underlay, outerDst: igw.underlay, vpcId: vpc.id, srcInterface: sender.eniId, dstInterface: igw.id }),
          mtu: VPC_MTU,
        });
        if (this.record) this.underlay(sender, igw);
        return this.egress(igw, p);
      }
    }
  }

  toInterface(sender: Sender, target: CInterface, subnet: CSubnet, p: Packet, how: string): Arrival | undefined {
    const vpc = subnet.vpc;
    if (this.record) this.hop({
      component: `${vpc.name}.mapping-service`, kind: 'mapping-service', place: this.senderHostPlace, action: 'encapsulate',
      detail: `The mapping service resolves ${formatV4(target.privateIp!)} in ${vpc.id} (via ${how}) to ${target.qualified} (${target.eniId}) on ${target.host} (${target.underlay}).`,
      stack: () => encapsulatedStack(p, { outerSrc: sender.underlay, outerDst: target.underlay, vpcId: vpc.id, srcInterface: sender.eniId, dstInterface: target.eniId }),
      mtu: VPC_MTU,
    });
    if (this.record) this.underlay(sender, target);
    return this.deliverToInterface(target, p, subnet, sender, false);
  }

  /**
   * The underlay leg between two hosts. Takes the elements, not their addresses: an underlay address
   * is derived (hashed) on first read, and a verdict-only walk must not derive it.
   */
  underlay(from: Underlaid, to: Underlaid): void {
    if (this.record) this.hop({
      component: 'underlay', kind: 'underlay', place: 'underlay', action: 'forward',
      detail: `The physical network carries the encapsulated packet from ${from.underlay} to ${to.underlay}.`, mtu: VPC_MTU,
    });
  }

  /**
   * Arrival at an interface's host: decapsulate, subnet ACL inbound, groups inbound, src/dst check.
   * `sender` is the interface or edge that encapsulated the packet; on layer 2 its MAC is the frame's
   * source, otherwise the virtual router's gateway MAC of the receiving subnet.
   */
  deliverToInterface(
    iface: CInterface, p: Packet, fromSubnet: CSubnet | undefined, sender: { mac: string; underlay: string }, layer2: boolean,
  ): Arrival | undefined {
    const hostPlace = this.receiverHostPlace;
    const subnet = iface.subnet;
    if (this.record) this.hop({
      component: iface.host, kind: 'host', place: hostPlace, action: 'decapsulate', origin: iface.origin,
      detail: `Host ${iface.host} (${iface.underlay}) checks that ${sender.underlay} may send for this flow, strips the VPC encapsulation and hands the frame to ${iface.eniId}.`,
      stack: () => frameStack(p, layer2 ? sender.mac : subnet.gatewayMac, iface.mac), mtu: VPC_MTU,
    });
    // Network ACLs apply where traffic enters a subnet, not between interfaces of one subnet (§3.13).
    if (fromSubnet !== subnet && !this.networkAcl(subnet, 'inbound', p, hostPlace)) return undefined;
    if (!this.securityGroup(iface, 'inbound', p, hostPlace)) return undefined;
    if (p.dst !== iface.privateIp) {
      if (iface.sourceDestCheck) {
        return this.fail({
          component: iface.qualified, kind: 'instance', place: this.receiverPlace, origin: iface.origin, code: Codes.ENI_SOURCE_DEST_CHECK_RESTRICTION,
          detail: `${iface.qualified} has source/destination check on, so it drops inbound packets for ${formatV4(p.dst)}, which is not its address ${formatV4(iface.privateIp!)}.`,
        });
      }
      if (isSddcEni(iface)) return enterSddc(this, iface, p);
      return this.sendFromInterface(iface, p, true);
    }
    if (this.record) this.hop({
      component: iface.qualified, kind: 'instance', place: this.receiverPlace, action: 'deliver', origin: iface.origin,
      detail: `Delivered to ${iface.qualified} (${formatV4(iface.privateIp!)}, ${iface.eniId}).`,
    });
    return { kind: 'interface', iface, packet: p };
  }

  // --- Blackfoot and the internet -----------------------------------------------------------------

  egress(igw: CInternetGateway, p: Packet): Arrival | undefined {
    const node = igw.vpc.services.byIp.get(p.src);
    if (node) return egressFromService(this, igw, node, p);
    const result = internetGatewayEgress(igw, p);
    if (!result.ok) {
      return this.fail({ component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', origin: igw.origin, code: result.code, detail: result.reason, rule: rule(`internet-gateway ${igw.name}`, igw.origin) });
    }
    if (!blockPublicAccessAllows(this, igw, result.iface.subnet, 'egress', p, false)) return undefined;
    const out = result.packet;
    if (!this.leg(INTERNET_MTU, { component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot' })) return undefined;
    if (this.record) this.hop({
      component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', action: 'translate', origin: igw.origin,
      detail: `The Blackfoot edge strips the VPC encapsulation; ${result.detail}`,
      rule: rule(`public-ip ${formatV4(out.src)} of ${result.iface.qualified}`, result.iface.origin),
      stack: () => frameStack(out, igw.mac, INTERNET_ROUTER_MAC), mtu: INTERNET_MTU,
    });
    return this.internet(out);
  }

  internet(p: Packet): Arrival | undefined {
    const dst = formatV4(p.dst);
    if (this.overBudget('internet', 'internet', 'internet')) return undefined;
    if (!isPublicV4(p.dst)) {
      return this.fail({
        component: 'internet', kind: 'internet', place: 'internet', code: Codes.DESTINATION_NOT_PUBLIC,
        detail: `${dst} is not a public address: the internet does not route it.`,
      });
    }
    const service = internetToService(this, p);
    if (service !== null) return service;
    const owner = this.network.byPublicIp.get(p.dst);
    if (owner) {
      const igw = owner.vpc.igw;
      if (!igw) {
        return this.fail({
          component: 'internet', kind: 'internet', place: 'internet', code: Codes.NO_INTERNET_GATEWAY,
          detail: `${dst} is the public address of ${owner.qualified}, but VPC ${owner.vpc.name} has no internet gateway, so the internet cannot reach it.`,
        });
      }
      if (this.record) this.hop({
        component: 'internet', kind: 'internet', place: 'internet', action: 'forward',
        detail: `The internet routes ${dst} to internet gateway ${igw.qualified}, which holds it for ${owner.qualified}.`,
        stack: () => frameStack(p, INTERNET_ROUTER_MAC, igw.mac), mtu: INTERNET_MTU,
      });
      return this.ingress(igw, p);
    }
    const host = this.network.hostsByIp.get(p.dst);
    if (host) {
      if (this.record) this.hop({
        component: host.name, kind: 'host', place: this.receiverPlace, action: 'deliver', origin: host.origin,
        detail: `Delivered over the internet to ${host.name} (${host.ipText}).`,
        stack: () => frameStack(p, INTERNET_ROUTER_MAC, host.mac),
      });
      return { kind: 'host', host, packet: p };
    }
    if (this.record) this.hop({
      component: 'internet', kind: 'internet', place: 'internet', action: 'deliver',
      detail: `${dst} is a public address outside every network in the model: the internet accepts it.`,
    });
    return { kind: 'internet', packet: p };
  }

  ingress(igw: CInternetGateway, p: Packet): Arrival | undefined {
    const result = internetGatewayIngress(igw, p, this.network.byPublicIp);
    if (!result.ok) {
      return this.fail({ component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', origin: igw.origin, code: result.code, detail: result.reason, rule: rule(`internet-gateway ${igw.name}`, igw.origin) });
    }
    const inside = result.packet;
    const target = result.iface;
    if (!blockPublicAccessAllows(this, igw, target.subnet, 'ingress', p, false)) return undefined;
    if (this.record) this.hop({
      component: igw.qualified, kind: 'internet-gateway', place: 'blackfoot', action: 'translate', origin: igw.origin,
      detail: result.detail, rule: rule(`public-ip ${formatV4(p.dst)} of ${target.qualified}`, target.origin),
      stack: () => frameStack(inside, INTERNET_ROUTER_MAC, igw.mac),
    });
    // Ingress routing: a gateway route table edge-associated with the gateway (middlebox.ts).
    const redirected = edgeRoute(this, internetGatewayEdgeTable(igw.vpc), { ...igw, eniId: igw.id }, inside);
    if (redirected !== 'local') return redirected;
    if (this.record) this.hop({
      component: `${igw.vpc.name}.mapping-service`, kind: 'mapping-service', place: 'blackfoot', action: 'encapsulate',
      detail: `The mapping service resolves ${formatV4(inside.dst)} in ${igw.vpc.id} to ${target.qualified} (${target.eniId}) on ${target.host} (${target.underlay}).`,
      stack: () => encapsulatedStack(inside, { outerSrc: igw.underlay, outerDst: target.underlay, vpcId: igw.vpc.id, srcInterface: igw.id, dstInterface: target.eniId }),
      mtu: VPC_MTU,
    });
    if (this.record) this.underlay(igw, target);
    return this.deliverToInterface(target, inside, undefined, igw, false);
  }

  deliveredElsewhere(arrival: Arrival, wanted: string): void {
    const where = arrival.kind === 'interface' ? arrival.iface.qualified : arrival.kind === 'host' ? arrival.host.name
      : arrival.kind === 'aws-service' ? arrival.list.name : arrival.kind === 'site-host' ? arrival.host.qualified
        : arrival.kind === 'translated' ? arrival.where : 'the internet';
    this.drop = {
      code: Codes.DELIVERED_ELSEWHERE, component: where,
      reason: `The packet was delivered to ${where}, not to ${wanted}.`,
    };
    const last = this.hops[this.hops.length - 1];
    if (last) last.code = Codes.DELIVERED_ELSEWHERE;
  }
}

function flowText(p: Packet): string {
  const ports = p.protocol === 'tcp' || p.protocol === 'udp';
  const src = ports ? `${formatV4(p.src)}:${p.srcPort}` : formatV4(p.src);
  const dst = ports ? `${formatV4(p.dst)}:${p.dstPort}` : formatV4(p.dst);
  const what = p.protocol === 'icmp' ? (p.icmpType === 0 ? 'icmp echo reply' : 'icmp echo request') : p.protocol === 'all' ? 'a packet (any protocol)' : p.protocol;
  return `${what} ${src} → ${dst}`;
}

function start(walker: Walker, source: Source, p: Packet): Arrival | undefined {
  switch (source.kind) {
    case 'interface': return walker.fromInterface(source.iface, p);
    case 'host': return walker.fromHost(source.host, p);
    case 'internet': return walker.fromInternet(p, source.label);
    case 'aws-service': return startFromService(walker, source, p);
    case 'site-host': return startFromSiteHost(walker, source.host, p);
  }
}

function arrivalMatches(arrival: Arrival, receiver: Receiver): boolean {
  if (arrival.kind === 'translated') return arrival.matches(receiver);
  switch (receiver.kind) {
    case 'any': return true;
    case 'interface': return arrival.kind === 'interface' && arrival.iface === receiver.iface;
    case 'host': return arrival.kind === 'host' && arrival.host === receiver.host;
    case 'internet': return arrival.kind === 'internet';
    case 'aws-service': return arrival.kind === 'aws-service' && arrival.list.service === receiver.service;
    case 'served-by': return arrival.kind === 'interface' && arrival.packet.servedBy === receiver.qualified;
    case 'site-host': return arrival.kind === 'site-host' && arrival.host.network === receiver.host.network && arrival.host.ip === receiver.host.ip;
  }
}

function receiverText(receiver: Receiver, dst: Destination): string {
  switch (receiver.kind) {
    case 'interface': return receiver.iface.qualified;
    case 'host': return receiver.host.name;
    case 'internet': return 'the internet';
    case 'aws-service': return `${receiver.service} (${formatV4(dst.addr)})`;
    case 'served-by': return `a target of ${receiver.qualified}`;
    case 'site-host': return receiver.host.qualified;
    case 'any': return formatV4(dst.addr);
  }
}

/** Where the reply starts: the place the forward packet arrived (a translated arrival walks its own reply). */
function replySource(arrival: Exclude<Arrival, { kind: 'translated' }>): Source {
  switch (arrival.kind) {
    case 'interface': return { kind: 'interface', iface: arrival.iface };
    case 'host': return { kind: 'host', host: arrival.host };
    case 'internet': return { kind: 'internet', addr: arrival.packet.dst, label: `the host at ${formatV4(arrival.packet.dst)}` };
    case 'aws-service': return { kind: 'aws-service', list: arrival.list, addr: arrival.packet.dst, via: arrival.via };
    case 'site-host': return { kind: 'site-host', host: arrival.host };
  }
}

/** What must receive the reply: the original sender. */
function originalReceiver(source: Source): Receiver {
  switch (source.kind) {
    case 'interface': return { kind: 'interface', iface: source.iface };
    case 'host': return { kind: 'host', host: source.host };
    case 'internet': return { kind: 'internet' };
    case 'aws-service': return { kind: 'aws-service', service: source.list.service };
    case 'site-host': return { kind: 'site-host', host: source.host };
  }
}

function unreachable(walker: Walker, direction: 'forward' | 'return', flow: TraceResult['flow']): TraceResult {
  const drop = walker.drop!;
  const result: TraceResult = {
    verdict: 'unreachable', code: drop.code, direction, component: drop.component, reason: drop.reason,
    hops: walker.hops,
  };
  if (drop.rule) result.rule = drop.rule;
  if (flow) result.flow = flow;
  return result;
}

/** The reply: the tuple as it arrived, swapped. */
function replyOf(got: Packet): Packet {
  const ported = got.protocol === 'tcp' || got.protocol === 'udp';
  return newPacket(got.protocol, got.dst, got.src, ported ? got.dstPort : undefined, ported ? got.srcPort : undefined,
    got.protocol === 'icmp' ? 0 : undefined, true);
}

/**
 * A packet with every field present (absent ones undefined), in one order: the elements copy packets
 * with a spread (`{ ...p, via }`) on every crossing, and a spread of objects of one shape is fast
 * while packets of several shapes (ports only for TCP/UDP, a type only for ICMP) made it generic.
 */
function newPacket(
  protocol: Protocol, src: number, dst: number, srcPort: number | undefined, dstPort: number | undefined,
  icmpType: number | undefined, reply: boolean,
): Packet {
  return { protocol, src, dst, srcPort, dstPort, icmpType, ttl: INITIAL_TTL, reply, viaAppliance: false, via: undefined, servedBy: undefined };
}

/** Walks the flow; with `record` false the result's hops are empty (the verdict is the same). */
/** The protocols a flow may have (model.ts Protocol); anything else is refused before any walk. */
const PROTOCOLS: readonly unknown[] = ['tcp', 'udp', 'icmp', 'all'] satisfies Protocol[];

export function trace(network: CompiledNetwork, query: TraceQuery, record = true): TraceResult {
  // A query from a broken model may carry any value here; the walks (IPv4 and IPv6) read the protocol
  // as one of the four, so an unknown one is an invalid query, said plainly, not a walk.
  if (!PROTOCOLS.includes(query?.protocol)) {
    const p = query?.protocol as unknown;
    return {
      verdict: 'unreachable', code: Codes.INVALID_CONFIGURATION, direction: 'forward', component: 'protocol', hops: [],
      reason: `The flow's protocol ${typeof p === 'string' ? `'${p}'` : String(p)} is not one vnet models: use tcp, udp, icmp or all.`,
    };
  }
  if (isV6Query(network, query)) return traceV6(network, query, record);
  const walker = new Walker(network, record);
  walker.size = query.size;
  walker.packetProtocol = query.protocol;
  const source = resolveSource(network, query.source);
  if (isEndpointError(source)) return endpointFailure(network, source, 'source');
  const destination = resolveDestination(network, query.destination, source);
  if (isEndpointError(destination)) return endpointFailure(network, destination, 'destination');

  const srcAddr = source.kind === 'interface' ? source.iface.privateIp! : source.kind === 'host' ? source.host.ip! : source.kind === 'site-host' ? source.host.ip : source.addr;
  const ported = query.protocol === 'tcp' || query.protocol === 'udp';
  const packet = newPacket(query.protocol, srcAddr, destination.addr,
    ported ? query.fromPort ?? DEFAULT_CLIENT_PORT : undefined, ported ? query.port ?? 0 : undefined,
    query.protocol === 'icmp' ? 8 : undefined, false);
  const flow: TraceResult['flow'] = { protocol: query.protocol, srcIp: formatV4(srcAddr), dstIp: formatV4(destination.addr) };
  if (ported) { flow.srcPort = packet.srcPort; flow.dstPort = packet.dstPort; }

  walker.begin('forward');
  const arrival = start(walker, source, packet);
  if (!arrival || walker.halted) return unreachable(walker, 'forward', flow);
  if (!arrivalMatches(arrival, destination.receiver)) {
    walker.deliveredElsewhere(arrival, receiverText(destination.receiver, destination));
    return unreachable(walker, 'forward', flow);
  }

  walker.begin('return');
  const back = arrival.kind === 'translated' ? arrival.reply() : start(walker, replySource(arrival), replyOf(arrival.packet));
  if (!back) return unreachable(walker, 'return', flow);
  const sender = originalReceiver(source);
  if (!arrivalMatches(back, sender) || back.packet.dst !== srcAddr) {
    walker.deliveredElsewhere(back, source.kind === 'interface' ? source.iface.qualified : source.kind === 'host' ? source.host.name : source.kind === 'site-host' ? source.host.qualified : 'the internet');
    return unreachable(walker, 'return', flow);
  }
  const result: TraceResult = {
    verdict: 'reachable', code: null, direction: null,
    reason: 'The connection is established and its replies come back.', flow, hops: walker.hops,
  };
  if (walker.forwardMtu !== undefined) result.pathMtu = walker.forwardMtu;
  return result;
}

/**
 * An endpoint that cannot send or cannot be addressed: no packet exists, so no flow. When a component
 * is to blame (the gateway that has no public address to translate, an instance with a broken
 * address), one drop hop names it so the path views show where it ends.
 */
function endpointFailure(network: CompiledNetwork, error: EndpointError, side: 'source' | 'destination'): TraceResult {
  const result: TraceResult = {
    verdict: 'unreachable', code: error.code, direction: 'forward', component: error.component ?? side, reason: error.reason, hops: [],
  };
  if (!error.component) return result;
  const [vpcName, name] = error.component.split('.');
  const vpc = network.vpcs.get(vpcName);
  const igw = vpc?.igw && vpc.igw.name === name ? vpc.igw : undefined;
  const iface = vpc?.instances.get(name);
  const host = network.hosts.get(error.component);
  const hop: Hop = {
    direction: 'forward', component: error.component, action: 'drop', detail: error.reason, code: error.code,
    headersBefore: [], headers: [],
    ...(igw ? { kind: 'internet-gateway', place: 'blackfoot', origin: igw.origin }
      : iface ? { kind: 'instance', place: side, origin: iface.origin }
        : host ? { kind: 'host', place: side, origin: host.origin }
          : { kind: 'internet', place: 'internet' }),
  } as Hop;
  if (hop.origin === undefined) delete hop.origin;
  result.hops.push(hop);
  return result;
}
