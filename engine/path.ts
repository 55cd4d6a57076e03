/**
 * What the engine returns: a verdict and the hops of the packet's journey.
 *
 * A hop is plain data. Hovers, diagnostics, the CLI (text and --json), the `vnet/packetPath`
 * request and the webview all render this one list, so they never disagree.
 */
import type { Origin, Protocol } from './model.js';

/** One field of a header, e.g. { name: 'src', value: '10.0.0.10' }. */
export interface HeaderField {
  name: string;
  value: string;
  /** True when this hop changed the field (e.g. the source address rewritten by 1:1 NAT). */
  changed?: boolean;
}

export type HeaderKind =
  | 'ethernet' | 'dot1q' | 'ipv4' | 'ipv6' | 'tcp' | 'udp' | 'icmp'
  | 'vpc-encap' | 'esp' | 'geneve' | 'gre';

/**
 * One header of the stack on the wire. Stacks are listed outermost first.
 * `modelled` marks formats AWS does not publish (the VPC encapsulation): shown as a model, not as
 * the real protocol. Every other header is the real protocol's.
 */
export interface Header {
  kind: HeaderKind;
  /** Display name, e.g. "IPv4", "VPC encapsulation (modelled)". */
  name: string;
  fields: HeaderField[];
  /** Header length in bytes on the wire. */
  bytes: number;
  modelled?: boolean;
}

/** The place a hop happens; the packet path view draws one lane per place. */
export type Place =
  | 'source'          // the sending instance or host
  | 'source-host'     // the physical host (Nitro) of the sender: SG egress, virtual router, mapping service
  | 'underlay'        // the physical network between hosts and edges
  | 'blackfoot'       // edge fleet: internet gateway 1:1 NAT, VPN, Direct Connect, gateway endpoints
  | 'hyperplane'      // NAT gateway, load balancers, PrivateLink, transit gateway
  | 'internet'
  | 'peer'            // a peer network (peered VPC, on-premises site)
  | 'destination-host'
  | 'destination';

export type HopKind =
  | 'instance' | 'host' | 'internet' | 'security-group' | 'network-acl' | 'route-table'
  | 'virtual-router' | 'mapping-service' | 'underlay' | 'internet-gateway' | 'subnet'
  // Between networks (issue 3).
  | 'peering' | 'transit-gateway' | 'transit-gateway-route-table' | 'transit-gateway-attachment'
  | 'virtual-private-gateway' | 'vpn' | 'direct-connect' | 'direct-connect-gateway' | 'site' | 'sddc'
  // Hyperplane and edge services (issue 4).
  | 'nat-gateway' | 'egress-only-internet-gateway' | 'gateway-endpoint' | 'interface-endpoint'
  | 'endpoint-service' | 'load-balancer' | 'gateway-load-balancer-endpoint' | 'block-public-access';

export type HopAction =
  | 'send' | 'allow' | 'deny' | 'route' | 'lookup' | 'encapsulate' | 'decapsulate'
  | 'translate' | 'forward' | 'deliver' | 'drop';

/** The configuration element (route, rule, gateway...) that decided a hop. */
export interface DecidingRule {
  /** The rule as the user would read it, e.g. "inbound 100 allow tcp 443 from 0.0.0.0/0". */
  text: string;
  origin?: Origin;
}

export interface Hop {
  direction: 'forward' | 'return';
  /** Qualified name of the component, e.g. "shop.igw", "shop.web", "shop.edge". */
  component: string;
  kind: HopKind;
  place: Place;
  action: HopAction;
  /** One sentence: what the component decided and why. */
  detail: string;
  /** The rule or route that decided, when there is one. */
  rule?: DecidingRule;
  /** Where the component is declared. */
  origin?: Origin;
  /** Header stack on arrival at this hop and on leaving it, outermost first. */
  headersBefore: Header[];
  headers: Header[];
  /** MTU of the leg the packet leaves on (bytes), when the hop sends it onto a link. */
  mtu?: number;
  /** Explanation code when this hop drops the packet. */
  code?: string;
}

export type Verdict = 'reachable' | 'unreachable';

/** The 5-tuple the client sends. */
export interface Flow {
  protocol: Protocol;
  srcIp: string;
  dstIp: string;
  srcPort?: number;
  dstPort?: number;
}

export interface TraceResult {
  verdict: Verdict;
  /** Reachability Analyzer explanation code (or a vnet code where none applies); null when reachable. */
  code: string | null;
  /** Which path failed; null when reachable. */
  direction: 'forward' | 'return' | null;
  /** Qualified name of the component that dropped the packet. */
  component?: string;
  /** One sentence a network engineer can act on. */
  reason: string;
  /** The rule, route table or gateway that dropped the packet, for related information. */
  rule?: DecidingRule;
  /** The flow as the client sent it (absent when the endpoints could not be resolved). */
  flow?: Flow;
  hops: Hop[];
  /** Smallest leg MTU of the forward path (bytes), when the connection is reachable. */
  pathMtu?: number;
}
