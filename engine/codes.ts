/**
 * Explanation codes the engine reports.
 *
 * Reachability Analyzer codes (aws-data-plane.md §1.5) where one applies; vnet codes, marked below,
 * for situations RA does not analyse or names differently (an address no interface owns, the
 * internet, broken models, loops).
 */
export const Codes = {
  // Reachability Analyzer codes.
  NO_ROUTE_TO_DESTINATION: 'NO_ROUTE_TO_DESTINATION',
  BAD_STATE_ROUTE: 'BAD_STATE_ROUTE',
  ENI_SG_RULES_MISMATCH: 'ENI_SG_RULES_MISMATCH',
  SG_HAS_NO_RULES: 'SG_HAS_NO_RULES',
  SUBNET_ACL_RESTRICTION: 'SUBNET_ACL_RESTRICTION',
  ENI_SOURCE_DEST_CHECK_RESTRICTION: 'ENI_SOURCE_DEST_CHECK_RESTRICTION',
  IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS: 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS',
  IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS',
  IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS: 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS',
  IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS: 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS',
  IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS: 'IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS',
  IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS: 'IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS',
  NO_SOURCE_OR_DESTINATION: 'NO_SOURCE_OR_DESTINATION',
  // Reachability Analyzer codes of Hyperplane and edge services (issue 4).
  NGW_REQUIRES_SOURCE_IN_VPC: 'NGW_REQUIRES_SOURCE_IN_VPC',
  PROTOCOL_RESTRICTION: 'PROTOCOL_RESTRICTION',
  VPCE_GATEWAY_PROTOCOL_RESTRICTION: 'VPCE_GATEWAY_PROTOCOL_RESTRICTION',
  VPCE_INTRA_VPC_TRAFFIC: 'VPCE_INTRA_VPC_TRAFFIC',
  VPCE_SERVICE_NOT_INSTALLED_IN_AZ: 'VPCE_SERVICE_NOT_INSTALLED_IN_AZ',
  VPC_BLOCK_PUBLIC_ACCESS_ENABLED: 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED',
  ELBV2_LISTENERS_MISMATCH: 'ELBV2_LISTENERS_MISMATCH',
  ELBV2_LISTENER_PORT_RESTRICTION: 'ELBV2_LISTENER_PORT_RESTRICTION',
  ELBV2_NO_TARGETS_IN_AZ: 'ELBV2_NO_TARGETS_IN_AZ',
  ELB_NOT_CROSSZONE: 'ELB_NOT_CROSSZONE',
  TARGET_ADDRESS_RESTRICTION: 'TARGET_ADDRESS_RESTRICTION',
  TARGET_PORT_RESTRICTION: 'TARGET_PORT_RESTRICTION',
  GWLB_PROTOCOL_RESTRICTION: 'GWLB_PROTOCOL_RESTRICTION',
  GWLB_DESTINATION_PORT_RESTRICTION: 'GWLB_DESTINATION_PORT_RESTRICTION',
  NO_POSSIBLE_DESTINATION: 'NO_POSSIBLE_DESTINATION',
  // Reachability Analyzer codes between networks (issue 3).
  BAD_STATE: 'BAD_STATE',
  BAD_STATE_ATTACHMENT: 'BAD_STATE_ATTACHMENT',
  PCX_REQUIRES_ADDRESS_IN_VPC_CIDR: 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR',
  TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION: 'TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION',
  TGW_ATTACH_VPC_AZ_RESTRICTION: 'TGW_ATTACH_VPC_AZ_RESTRICTION',
  TGW_ROUTE_AZ_RESTRICTION: 'TGW_ROUTE_AZ_RESTRICTION',
  TGW_RTB_BAD_STATE_ROUTE: 'TGW_RTB_BAD_STATE_ROUTE',
  VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS: 'VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS',
  VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: 'VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS',
  // vnet codes.
  /** The address is inside a subnet, but no network interface holds it (nothing answers ARP). */
  ADDRESS_NOT_ASSIGNED: 'ADDRESS_NOT_ASSIGNED',
  /** The address is inside a VPC CIDR but inside no subnet of it. */
  ADDRESS_NOT_IN_SUBNET: 'ADDRESS_NOT_IN_SUBNET',
  /** One of the five reserved addresses of a subnet (.0, .1, .2, .3, last): not an instance. */
  RESERVED_SUBNET_ADDRESS: 'RESERVED_SUBNET_ADDRESS',
  /** The internet routes public addresses only. */
  DESTINATION_NOT_PUBLIC: 'DESTINATION_NOT_PUBLIC',
  /** A public address of an instance in a VPC with no internet gateway: the internet cannot reach it. */
  NO_INTERNET_GATEWAY: 'NO_INTERNET_GATEWAY',
  /** The walk came back to an interface it had already forwarded from, or ran out of hops. */
  ROUTING_LOOP: 'ROUTING_LOOP',
  /** The packet was delivered, but to another endpoint than the one the query named. */
  DELIVERED_ELSEWHERE: 'DELIVERED_ELSEWHERE',
  /** The model is broken where the packet goes (an invalid address, an unsupported address family). */
  INVALID_CONFIGURATION: 'INVALID_CONFIGURATION',
  /**
   * vnet (issue 3): a reply reaches an appliance (an instance forwarding with source/destination check
   * off) that never saw the request; a stateful appliance drops it (aws-data-plane.md §3.2: asymmetric
   * routing through a middlebox is not supported).
   */
  ASYMMETRIC_ROUTING: 'ASYMMETRIC_ROUTING',
  /** vnet (issue 4): a packet to a NAT gateway's address that answers no connection it translated. */
  NGW_UNSOLICITED_INBOUND: 'NGW_UNSOLICITED_INBOUND',
  /** vnet (issue 4): a gateway endpoint carries traffic of its own VPC's interfaces only (§3.10, no edge-to-edge). */
  VPCE_GATEWAY_SOURCE_NOT_IN_VPC: 'VPCE_GATEWAY_SOURCE_NOT_IN_VPC',
  /** vnet (issue 4): the packet (`size N`) is larger than a leg's MTU and that leg cannot fragment it. */
  PATH_MTU_EXCEEDED: 'PATH_MTU_EXCEEDED',
  /** vnet (issue 4): an egress-only internet gateway drops connections started from the internet (§3.5). */
  EIGW_INBOUND_NOT_ALLOWED: 'EIGW_INBOUND_NOT_ALLOWED',
} as const;

export type Code = typeof Codes[keyof typeof Codes];
