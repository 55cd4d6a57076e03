/**
 * The network model the engine walks packets through.
 *
 * Plain, serializable data: the language lowers its AST into this shape (language/vnet-lower.ts),
 * tests build it by hand, and nothing here knows about Langium, the LSP or VS Code.
 * Names are as the user wrote them; references between elements are by name and are resolved
 * by the engine's index (engine/index.ts). A reference that does not resolve is not an error
 * here: the language reports it, and the engine treats it as absent.
 */

/** Where an element was declared, 0-based like the LSP. `uri` is the document URI. */
export interface Origin {
  uri: string;
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export type Protocol = 'tcp' | 'udp' | 'icmp' | 'all';

/** An inclusive port range; `from === to` for a single port. */
export interface PortRange { from: number; to: number }

export interface NetworkModel {
  vpcs: Vpc[];
  /** Hosts declared in `internet { ... }` blocks. */
  internetHosts: InternetHost[];
  expectations: Expectation[];
}

export interface Vpc {
  name: string;
  /** Default us-east-1. */
  region: string;
  account?: string;
  /** The first is the primary CIDR. Canonical text, e.g. "10.0.0.0/16". */
  cidrs: string[];
  internetGateway?: InternetGateway;
  subnets: Subnet[];
  routeTables: RouteTable[];
  securityGroups: SecurityGroup[];
  networkAcls: NetworkAcl[];
  origin?: Origin;
}

export interface InternetGateway { name: string; origin?: Origin }

export interface Subnet {
  name: string;
  cidr: string;
  /** Availability zone, e.g. "us-east-1a". */
  az: string;
  /** Name of a route table of the same VPC; absent: the VPC's main route table. */
  routeTable?: string;
  /** Name of a network ACL of the same VPC; absent: the VPC's default network ACL (allows all). */
  networkAcl?: string;
  instances: Instance[];
  origin?: Origin;
}

export interface Instance {
  name: string;
  privateIp: string;
  publicIp?: string;
  /** Names of security groups of the same VPC; empty: the VPC's default group. */
  securityGroups: string[];
  /** Default true. */
  sourceDestCheck: boolean;
  origin?: Origin;
}

export interface RouteTable {
  name: string;
  main: boolean;
  routes: Route[];
  origin?: Origin;
}

export interface Route {
  /** Destination CIDR, canonical text. */
  destination: string;
  /** Name of the target element in the same VPC (internet gateway, instance, ...). */
  target: string;
  origin?: Origin;
}

/** A security group rule's peer: a CIDR, or a security group (members' private addresses). */
export type SgPeer =
  | { kind: 'cidr'; cidr: string }
  | { kind: 'security-group'; vpc: string; name: string };

export interface SecurityGroup {
  name: string;
  rules: SecurityGroupRule[];
  origin?: Origin;
}

export interface SecurityGroupRule {
  direction: 'inbound' | 'outbound';
  protocol: Protocol;
  /** Absent for icmp and all. */
  ports?: PortRange;
  peer: SgPeer;
  origin?: Origin;
}

export interface NetworkAcl {
  name: string;
  rules: NetworkAclRule[];
  origin?: Origin;
}

export interface NetworkAclRule {
  direction: 'inbound' | 'outbound';
  number: number;
  action: 'allow' | 'deny';
  protocol: Protocol;
  ports?: PortRange;
  cidr: string;
  origin?: Origin;
}

export interface InternetHost {
  name: string;
  ip: string;
  origin?: Origin;
}

/** An endpoint of an expectation or a trace. */
export type EndpointRef =
  | { kind: 'instance'; vpc: string; name: string }
  | { kind: 'host'; name: string }
  | { kind: 'ip'; ip: string }
  | { kind: 'internet' };

export interface Expectation {
  source: EndpointRef;
  destination: EndpointRef;
  /** The endpoints as the user wrote them (for messages and the CLI's JSON). */
  sourceText: string;
  destinationText: string;
  protocol: Protocol;
  /** Destination port, for tcp and udp. */
  port?: number;
  /** Client source port; default 49152. */
  fromPort?: number;
  expected: 'reachable' | 'unreachable';
  origin?: Origin;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_CLIENT_PORT = 49152;
