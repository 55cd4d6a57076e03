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
  // Between networks (issue 3). Optional so that models of the core language stay valid.
  peerings?: Peering[];
  transitGateways?: TransitGateway[];
  sites?: Site[];
  vpns?: VpnConnection[];
  directConnects?: DirectConnect[];
  directConnectGateways?: DirectConnectGateway[];
  sddcs?: Sddc[];
  // Hyperplane and edge services (issue 4).
  endpointServices?: EndpointService[];
  /** VPC Block Public Access, per region (aws-data-plane.md §3.15). */
  blockPublicAccess?: BlockPublicAccess[];
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
  /** Attached virtual private gateway (issue 3). */
  vpnGateway?: VpnGateway;
  // Issue 4.
  /** IPv6 CIDRs (/56) of a dual-stack VPC. */
  ipv6Cidrs?: string[];
  egressOnlyInternetGateway?: { name: string; origin?: Origin };
  natGateways?: NatGateway[];
  gatewayEndpoints?: GatewayEndpoint[];
  interfaceEndpoints?: InterfaceEndpoint[];
  gatewayLoadBalancerEndpoints?: GatewayLoadBalancerEndpoint[];
  loadBalancers?: LoadBalancer[];
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
  /** IPv6 CIDR (/64) of a dual-stack subnet (issue 4). */
  ipv6Cidr?: string;
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
  /** IPv6 addresses of the interface (issue 4). */
  ipv6?: string[];
}

export interface RouteTable {
  name: string;
  main: boolean;
  routes: Route[];
  origin?: Origin;
  /**
   * Gateway route table (edge association, aws-data-plane.md §3.3): the name of the internet
   * gateway or virtual private gateway of this VPC whose incoming traffic this table routes.
   */
  edge?: string;
  /** Gateways whose routes propagate into this table (`propagate vgw`). */
  propagate?: string[];
}

export interface Route {
  /**
   * Destination: a CIDR (canonical text), or the name of a prefix list (e.g. an AWS service prefix
   * list `s3`) when `destinationIsPrefixList` is true.
   */
  destination: string;
  destinationIsPrefixList?: boolean;
  /**
   * Name of the target: an element of the same VPC (internet gateway, instance, NAT gateway,
   * virtual private gateway, egress-only gateway, endpoint...) or a top-level one (peering,
   * transit gateway). Resolved by the engine in that order.
   */
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
  /** A host of an on-premises site or of an SDDC segment (issue 3). */
  | { kind: 'site-host'; site: string; name: string }
  | { kind: 'ip'; ip: string }
  | { kind: 'internet' }
  /**
   * An AWS service reached by its public address (issue 4): `s3` / `dynamodb` in an expectation is an
   * address of the service's prefix list in the source VPC's region (engine/prefix-lists.ts).
   */
  | { kind: 'aws-service'; service: 's3' | 'dynamodb' }
  /**
   * A load balancer (issue 4): the packet goes to its address (the node in the sender's AZ from inside
   * the VPC, its public address from the internet) and must be delivered to one of its targets.
   */
  | { kind: 'load-balancer'; vpc: string; name: string; zone?: string }
  /**
   * An interface endpoint (PrivateLink, issue 4): the packet goes to its interface in the sender's AZ.
   * `zone` (`expect c -> nlb in us-east-1b ...`) names the node / interface of one availability zone.
   */
  | { kind: 'interface-endpoint'; vpc: string; name: string; zone?: string };

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
  /** Packet size in bytes for path-MTU checks (`size N`, issue 4). */
  size?: number;
  /**
   * Address family of the flow (`expect a -> b ipv6 tcp 443`): 6 makes instances, load balancers and
   * endpoints take part with their IPv6 addresses. Absent: IPv6 when an endpoint is an IPv6 address or
   * host, else IPv4.
   */
  family?: 4 | 6;
  expected: 'reachable' | 'unreachable';
  origin?: Origin;
}

// ---------------------------------------------------------------------------------------------
// Between networks (issue 3): aws-data-plane.md §3.7–3.9, the VMC article (seeds/004).

/** A VPC peering connection; requester first. Only an active (accepted) peering carries traffic. */
export interface Peering {
  name: string;
  requester: string;
  accepter: string;
  /** Default 'active'; `pending` = not accepted yet (carries nothing). */
  status: 'active' | 'pending';
  origin?: Origin;
}

export interface VpnGateway {
  name: string;
  /** Amazon-side ASN; default 64512. */
  asn?: number;
  origin?: Origin;
}

export interface TransitGateway {
  name: string;
  region: string;
  account?: string;
  /** Amazon-side ASN; default 64512. */
  asn?: number;
  attachments: TransitGatewayAttachment[];
  routeTables: TransitGatewayRouteTable[];
  origin?: Origin;
}

export type TransitGatewayAttachment = {
  name: string;
  origin?: Origin;
} & (
  /** One subnet per AZ; appliance mode keeps both directions of a flow in one AZ. */
  | { kind: 'vpc'; vpc: string; subnets: string[]; applianceMode: boolean; /** IPv6 support on the attachment (AWS default off). */ ipv6Support?: boolean }
  | { kind: 'vpn'; vpn: string }
  | { kind: 'direct-connect-gateway'; directConnectGateway: string }
  /** Transit gateway peering: static routes only. */
  | { kind: 'peering'; transitGateway: string }
);

export interface TransitGatewayRouteTable {
  name: string;
  /** Attachments associated with this table (each attachment with at most one table). */
  associations: string[];
  /** Attachments whose routes propagate into this table. */
  propagations: string[];
  routes: TransitGatewayRoute[];
  origin?: Origin;
}

export interface TransitGatewayRoute {
  destination: string;
  /** Target attachment; absent for a blackhole route. */
  attachment?: string;
  blackhole: boolean;
  origin?: Origin;
}

/** An on-premises network. */
export interface Site {
  name: string;
  /** Its prefixes, IPv4 and IPv6. */
  cidrs: string[];
  /** Public outside address of the customer gateway; derived when absent. */
  customerGatewayIp?: string;
  /** BGP ASN of the customer gateway; default 65000. */
  asn?: number;
  hosts: SiteHost[];
  /**
   * Static routes of the site's router (`route 0.0.0.0/0 -> office-vpn`): send a prefix into a VPN or
   * Direct Connect link whatever AWS announces over it — the customer's choice, which AWS may refuse.
   */
  routes?: SiteRoute[];
  origin?: Origin;
}

export interface SiteRoute { destination: string; via: string; origin?: Origin }

/** A host of a site or SDDC segment: one address, IPv4 or (sites only) IPv6. */
export interface SiteHost { name: string; ip: string; origin?: Origin }

/** Site-to-Site VPN from a site to a virtual private gateway (`vpc.vgw` or bare) or a transit gateway. */
export interface VpnConnection {
  name: string;
  site: string;
  /** Name of a virtual private gateway (qualified `vpc.vgw` or bare) or of a transit gateway. */
  to: string;
  routing: 'bgp' | 'static';
  /** Static routing: the site prefixes the VPN carries. BGP: the site's CIDRs are advertised. */
  staticRoutes: string[];
  /**
   * Tunnel inside IP version (`tunnel-inside ipv6`): a VPN connection carries IPv4 or IPv6 traffic, not
   * both; IPv6 only on a transit gateway (Site-to-Site VPN guide, "IPv6 traffic"). Default ipv4.
   */
  tunnelInside?: 'ipv4' | 'ipv6';
  origin?: Origin;
}

/** A Direct Connect private (to a VGW) or transit (to a Direct Connect gateway) virtual interface. */
export interface DirectConnect {
  name: string;
  site: string;
  /** A virtual private gateway or a Direct Connect gateway. */
  to: string;
  vlan: number;
  /** Default 1500; 9001 (private VIF) or 8500 (transit VIF) with jumbo frames. */
  mtu?: number;
  /** The virtual interface also has an IPv6 BGP peering (`ipv6`): it carries both families. */
  ipv6?: boolean;
  origin?: Origin;
}

export interface DirectConnectGateway {
  name: string;
  /** Associated virtual private gateways (`vpc.vgw`) and transit gateways. */
  associations: string[];
  origin?: Origin;
}

/** VMware Cloud on AWS SDDC connected to a VPC over ENIs in one subnet. */
export interface Sddc {
  name: string;
  connectedVpc: string;
  subnet: string;
  management: string;
  /** Hosts of the first cluster, one ENI each; default 17 per the VMC article. */
  hostCount?: number;
  /** Which host (1-based) runs the active NSX edge; its ENI is the active one. Default 1. */
  activeHost?: number;
  segments: SddcSegment[];
  origin?: Origin;
}

export interface SddcSegment { name: string; cidr: string; hosts: SiteHost[]; origin?: Origin }

// ---------------------------------------------------------------------------------------------
// Hyperplane and edge services (issue 4): aws-data-plane.md §3.5, §3.6, §3.10, §3.11, §3.15, §5.1.

export interface NatGateway {
  name: string;
  subnet: string;
  /** Elastic IP of a public NAT gateway. */
  publicIp?: string;
  /** Private NAT gateway: no Elastic IP, never leaves through an internet gateway. */
  private: boolean;
  /** Private address in its subnet; derived when absent. */
  privateIp?: string;
  origin?: Origin;
}

/** `ipv4` (default), `dualstack` or `ipv6`: which families an endpoint or load balancer serves. */
export type IpAddressType = 'ipv4' | 'dualstack' | 'ipv6';

/** Addresses declared for an interface of an endpoint or a load balancer node in one subnet; derived when absent. */
export interface SubnetAddresses {
  subnet: string;
  privateIp?: string;
  ipv6?: string;
  /** Elastic IP of an internet-facing network load balancer's node in this subnet. */
  publicIp?: string;
  origin?: Origin;
}

export interface GatewayEndpoint {
  name: string;
  service: 's3' | 'dynamodb';
  /** `dualstack`: the route also carries the service's IPv6 prefixes. Default ipv4. */
  ipAddressType?: IpAddressType;
  /** Route tables that get the route `<service prefix list> -> endpoint`. */
  routeTables: string[];
  origin?: Origin;
}

export interface InterfaceEndpoint {
  name: string;
  /** Name of an `endpoint-service`. */
  service: string;
  subnets: string[];
  securityGroups: string[];
  /** Default ipv4. `dualstack` needs dual-stack subnets and a service that accepts both families. */
  ipAddressType?: IpAddressType;
  /** Declared addresses per subnet (subset of `subnets`). */
  addresses?: SubnetAddresses[];
  origin?: Origin;
}

export interface GatewayLoadBalancerEndpoint {
  name: string;
  /** Name of an `endpoint-service` whose load balancer is a gateway load balancer. */
  service: string;
  subnet: string;
  ipAddressType?: IpAddressType;
  /** Declared private IPv4 / IPv6 address of its interface. */
  privateIp?: string;
  ipv6?: string;
  origin?: Origin;
}

/** The provider side of PrivateLink: a service in front of a network or gateway load balancer. */
export interface EndpointService {
  name: string;
  vpc: string;
  loadBalancer: string;
  /** Accounts allowed to connect; empty = the provider's own account only. */
  allowedAccounts: string[];
  /** Families the service accepts from endpoints (SupportedIpAddressTypes); default ['ipv4']. */
  supportedIpAddressTypes?: ('ipv4' | 'ipv6')[];
  origin?: Origin;
}

export interface LoadBalancer {
  name: string;
  type: 'network' | 'gateway';
  scheme: 'internet-facing' | 'internal';
  subnets: string[];
  crossZone: boolean;
  securityGroups: string[];
  listeners: LoadBalancerListener[];
  /** Public addresses of an internet-facing load balancer, one per subnet; derived when absent. */
  publicIps?: string[];
  /** `dualstack`: nodes get IPv6 addresses and listeners accept IPv6 clients. Default ipv4. */
  ipAddressType?: IpAddressType;
  /** Declared node addresses per subnet (subnet mappings); override `publicIps`. */
  addresses?: SubnetAddresses[];
  /**
   * "Enforce inbound rules on PrivateLink traffic" (NLB with security groups); default on. Off: the
   * load balancer's groups do not filter traffic that arrives through an interface endpoint.
   */
  enforceInboundOnPrivateLink?: boolean;
  origin?: Origin;
}

export interface LoadBalancerListener {
  /** `tcp`/`udp` for network load balancers; gateway load balancers listen on all traffic (GENEVE 6081 to targets). */
  protocol: Protocol;
  port?: number;
  /**
   * Instance names (target type instance) or IP addresses (target type ip). A listener's targets are one
   * family (a target group is IPv4 or IPv6); IPv6 targets are IP targets of a dual-stack load balancer.
   */
  targets: string[];
  targetType: 'instance' | 'ip';
  /** Target port; default the listener port. */
  targetPort?: number;
  /** Client IP preservation; default on for instance targets, off for IP targets (NLB-TG). */
  preserveClientIp?: boolean;
  origin?: Origin;
}

export interface BlockPublicAccess {
  region: string;
  mode: 'bidirectional' | 'ingress';
  exclusions: { vpc: string; subnet?: string; mode: 'bidirectional' | 'egress'; origin?: Origin }[];
  origin?: Origin;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_CLIENT_PORT = 49152;
