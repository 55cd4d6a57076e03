/**
 * The validation rules of issues 3 and 4 (between networks; Hyperplane and edge services), each with
 * its code (in `data.code` and as the LSP `code`) on the range marked `<|...|>`, and the near-miss
 * that must not report it. Rules: ../shared/reference/aws-data-plane.md §3.2–3.15.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { expectIssue, expectNoIssues, replaceIndices, validationHelper } from 'langium/test';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Model } from '../../language/generated/ast.js';
import { IssueCodes } from '../../language/vnet-validator.js';
import { NetworkIssueCodes as N } from '../../language/vnet-network-validator.js';
import { SiteIssueCodes as S } from '../../language/vnet-site-validator.js';
import { createServices, reset } from './helpers.js';

const services = createServices();
const validate = validationHelper<Model>(services.Vnet);
const { Error: E, Warning: W } = DiagnosticSeverity;

/** VPC `a` (10.0.0.0/16, two AZs) with `body`, and VPC `b` (10.1.0.0/16). */
const A = (body = '', head = '') => `vpc a { cidr 10.0.0.0/16 internet-gateway igw ${head}
  subnet a1 10.0.0.0/24 in us-east-1a { instance web 10.0.0.10 }
  subnet a2 10.0.1.0/24 in us-east-1b
  subnet a3 10.0.2.0/24 in us-east-1a
  ${body} }`;
const B = (body = '') => `vpc b { cidr 10.1.0.0/16 subnet b1 10.1.0.0/24 in us-east-1a { instance db 10.1.0.10 } ${body} }`;
/** A dual-stack VPC. */
const V6 = (body: string) => `vpc d { cidr 10.0.0.0/16 ipv6 2600:1f18:abcd::/56 ${body} }`;
/** A transit gateway `hub` attached to a and b (each associated) plus `body`. */
const HUB = (body = '', tables = '') => `transit-gateway hub {
  attachment a-att vpc a subnets a1, a2
  attachment b-att vpc b subnets b1
  ${body}
  route-table main { associate a-att, b-att propagate a-att, b-att ${tables} } }`;
const SITE = 'site office { cidr 192.168.0.0/16 customer-gateway 203.0.113.10 host pc 192.168.1.20 }';

interface Case { rule: string; text: string; code: string; severity?: DiagnosticSeverity; message?: RegExp }

const cases: Case[] = [
    // VPC peering (§3.7)
    { rule: 'peers with overlapping CIDRs are refused (a diagnostic on the peering)', text: `${A()} vpc c { cidr 10.0.128.0/17 } peering <|p|> between a and c`, code: N.PeeringCidrOverlap },
    { rule: 'peers overlap when any CIDR of either VPC overlaps, secondary CIDRs included', text: `${A('', 'cidr 100.64.0.0/16')} vpc c { cidr 10.9.0.0/16 cidr 100.64.0.0/20 } peering <|p|> between a and c`, code: N.PeeringCidrOverlap },
    { rule: 'IPv6 CIDRs of peers must not overlap either', text: `${V6('')} vpc e { cidr 10.7.0.0/16 ipv6 2600:1f18:abcd::/56 } peering <|p|> between d and e`, code: N.PeeringCidrOverlap },
    { rule: 'a VPC cannot peer with itself', text: `${A()} peering p between a and <|a|>`, code: N.PeeringSameVpc },
    { rule: 'two VPCs have at most one peering', text: `${A()} ${B()} peering p between a and b peering <|q|> between b and a`, code: N.PeeringDuplicate },
    { rule: 'a route to a pending peering is an error', text: `${A('route-table r { 10.1.0.0/16 -> <|p|> }')} ${B()} peering p between a and b pending`, code: N.RouteToPendingPeering },
    { rule: 'a route to a peering of other VPCs is an error', text: `${A('route-table r { 10.2.0.0/16 -> <|p|> }')} ${B()} vpc c { cidr 10.2.0.0/16 } peering p between b and c`, code: N.RoutePeeringNotConnected },
    { rule: 'a rule referencing a group of a VPC that is not peered is an error', text: `${A('security-group g { inbound tcp 5432 from <|b.db-sg|> }')} ${B('security-group db-sg { }')}`, code: N.SecurityGroupReferenceNotPeered, message: /No peering connects VPCs a and b/ },
    { rule: 'a rule referencing a group across a pending peering is an error', text: `${A('security-group g { outbound tcp 5432 to <|b.db-sg|> }')} ${B('security-group db-sg { }')} peering p between a and b pending`, code: N.SecurityGroupReferenceNotPeered, message: /pending/ },
    { rule: 'a rule cannot reference a group across an inter-Region peering', text: `${A('security-group g { inbound tcp 5432 from <|w.db-sg|> }')} vpc w { region us-west-2 cidr 10.5.0.0/16 security-group db-sg { } } peering p between a and w`, code: N.SecurityGroupReferenceInterRegion },
    // Transit gateway (§3.8)
    { rule: 'a transit gateway attachment associated with no route table is reported', text: `${A()} ${B()} transit-gateway hub { attachment <|a-att|> vpc a subnets a1 }`, code: N.TgwAttachmentNotAssociated, severity: W },
    { rule: 'an attachment is associated with one route table only', text: `${A()} ${B()} transit-gateway hub { attachment a-att vpc a subnets a1 route-table main { associate a-att } route-table other { <|associate a-att|> } }`, code: N.TgwAttachmentMultipleAssociations },
    { rule: 'a VPC attachment has at most one subnet per AZ', text: `${A()} transit-gateway hub { attachment x vpc a subnets a1, <|a3|> route-table t { associate x } }`, code: N.TgwAttachmentSubnetsPerAz },
    { rule: 'a VPC attachment names its subnets', text: `${A()} transit-gateway hub { attachment <|x|> vpc a route-table t { associate x } }`, code: N.TgwAttachmentSubnetsMissing },
    { rule: 'a VPC has one attachment per transit gateway', text: `${A()} transit-gateway hub { attachment x vpc a subnets a1 attachment y vpc <|a|> subnets a2 route-table t { associate x, y } }`, code: N.TgwAttachmentDuplicateVpc },
    { rule: 'a transit gateway peering attachment cannot propagate (static routes only)', text: `${A()} ${B()} transit-gateway west { region us-west-2 } ${HUB('attachment w peering west', 'associate w propagate <|w|>')}`, code: N.TgwPeeringPropagation },
    { rule: 'a transit gateway cannot peer with itself', text: `${A()} ${B()} ${HUB('attachment w peering <|hub|>', 'associate w')}`, code: N.TgwPeeringSelf },
    { rule: 'a TGW route to an unknown attachment is a linking error', text: `${A()} ${B()} ${HUB('', '10.9.0.0/16 -> <|nowhere|>')}`, code: 'linking-error', message: /no attachment named 'nowhere' in transit gateway hub/ },
    { rule: 'a TGW route table has one static route per destination', text: `${A()} ${B()} ${HUB('', '10.9.0.0/16 -> a-att <|10.9.0.0/16|> blackhole')}`, code: IssueCodes.DuplicateRoute },
    { rule: 'attachment subnets are subnets of the attached VPC', text: `${A()} ${B()} transit-gateway hub { attachment x vpc a subnets <|b1|> route-table t { associate x } }`, code: 'linking-error', message: /no subnet named 'b1' in VPC a/ },
    { rule: 'a route to a transit gateway not attached to the VPC is reported', text: `${A('route-table r { 10.9.0.0/16 -> <|hub|> }')} ${B()} transit-gateway hub { attachment x vpc b subnets b1 route-table t { associate x } }`, code: N.RouteTransitGatewayNotAttached, severity: W },
    { rule: 'a VPN attachment names a VPN that goes to this transit gateway', text: `${A('', 'vpn-gateway vgw')} ${SITE} vpn v from office to vgw ${HUB('attachment x vpn <|v|>', 'associate x')} ${B()}`, code: N.TgwAttachmentVpnMismatch },
    { rule: "an ASN is 1 to 4294967294", text: `transit-gateway hub { asn <|0|> }`, code: N.AsnRange },
    { rule: 'a transit gateway region is a region name', text: `transit-gateway hub { region <|mars-1|> }`, code: N.RegionUnknown },
    // Sites, VPN, Direct Connect (§3.9, §5.4)
    { rule: 'a VPC has at most one virtual private gateway', text: A('', 'vpn-gateway vgw vpn-gateway <|vgw2|>'), code: N.MultipleVpnGateways },
    { rule: 'a site declares its CIDRs', text: 'site <|office|> { host pc 192.168.1.20 }', code: N.SiteCidrMissing },
    { rule: "a site host's address is inside the site's CIDRs", text: 'site office { cidr 192.168.0.0/16 host pc <|10.9.9.9|> }', code: N.SiteHostOutsideCidr },
    { rule: "a customer gateway's outside address is public", text: 'site office { cidr 192.168.0.0/16 customer-gateway <|192.168.0.1|> }', code: N.CustomerGatewayNotPublic },
    { rule: 'a static VPN lists its prefixes', text: `${A('route-table r { propagate vgw }', 'vpn-gateway vgw')} ${SITE} vpn v from office to vgw <|static|>`, code: N.VpnStaticRoutesMissing },
    { rule: 'a VPN to a VGW that no route table uses has no route back', text: `${A('', 'vpn-gateway vgw')} ${SITE} vpn v from office to <|vgw|>`, code: N.VpnNoRouteBack, severity: W },
    { rule: 'a VLAN ID is 1 to 4094', text: `${A('route-table r { propagate vgw }', 'vpn-gateway vgw')} ${SITE} direct-connect dx from office to vgw vlan <|4095|>`, code: N.DirectConnectVlanRange },
    { rule: 'two virtual interfaces of a site do not share a VLAN', text: `${A('route-table r { propagate vgw }', 'vpn-gateway vgw')} ${SITE} direct-connect dx from office to vgw vlan 101 direct-connect dy from office to vgw vlan <|101|>`, code: N.DirectConnectVlanDuplicate },
    { rule: 'a private virtual interface has MTU 1500 or 9001', text: `${A('route-table r { propagate vgw }', 'vpn-gateway vgw')} ${SITE} direct-connect dx from office to vgw vlan 101 mtu <|8500|>`, code: N.DirectConnectMtu },
    { rule: 'a transit virtual interface has MTU 1500 or 8500', text: `${A()} ${B()} ${SITE} ${HUB('attachment dx-att direct-connect-gateway g', 'associate dx-att')} direct-connect-gateway g { associate hub } direct-connect dx from office to g vlan 101 mtu <|9001|>`, code: N.DirectConnectMtu },
    { rule: 'a Direct Connect gateway associates VGWs or transit gateways, not both', text: `${A('route-table r { propagate vgw }', 'vpn-gateway vgw')} ${B()} ${HUB()} direct-connect-gateway <|g|> { associate vgw, hub }`, code: N.DirectConnectGatewayMixed },
    { rule: 'VPCs behind one Direct Connect gateway do not overlap', text: `${A('', 'vpn-gateway vgw')} vpc c { cidr 10.0.0.0/16 vpn-gateway cgw } direct-connect-gateway g { <|associate a.vgw, c.cgw|> }`, code: N.DirectConnectGatewayOverlap },
    { rule: 'a transit gateway attachment to a DX gateway needs the DX gateway associated with it', text: `${A()} ${B()} ${HUB('attachment dx-att direct-connect-gateway <|g|>', 'associate dx-att')} direct-connect-gateway g`, code: N.TgwAttachmentDxgwNotAssociated, severity: W },
    // Routes to interfaces and middleboxes (§3.2, §3.3)
    { rule: 'a gateway route table leads to a middlebox, not to the internet gateway', text: A('route-table ingress edge igw { 10.0.0.0/24 -> <|igw|> }'), code: IssueCodes.GatewayRouteTableTarget },
    { rule: "a VGW's gateway route table cannot lead to a GWLB endpoint (it drops)", text: `${A('gwlb-endpoint ep service insp subnet a2 route-table ingress edge vgw { 10.0.0.0/24 -> <|ep|> }', 'vpn-gateway vgw')} ${B('load-balancer gw gateway subnets b1 { listener all -> db }')} endpoint-service insp in b load-balancer gw`, code: IssueCodes.GatewayRouteTableTarget },
    { rule: "a gateway route table's destinations are the VPC CIDR or exactly a subnet's", text: A('subnet fw 10.0.9.0/24 in us-east-1a { instance f 10.0.9.10 { source-dest-check off } } route-table ingress edge igw { <|10.0.0.0/25|> -> f }'), code: IssueCodes.GatewayRouteTableDestination },
    { rule: 'a gateway route table takes no propagation', text: A('route-table ingress edge igw { <|propagate vgw|> }', 'vpn-gateway vgw'), code: IssueCodes.GatewayRouteTablePropagation },
    { rule: 'a gateway route table cannot be the main route table', text: A('route-table ingress <|main|> edge igw'), code: IssueCodes.GatewayRouteTableMain },
    { rule: 'a route more specific than local may lead to a NAT gateway only for exactly a subnet CIDR', text: A('nat-gateway n in a1 public-ip 3.3.3.3 route-table r { <|10.0.1.0/25|> -> n }'), code: IssueCodes.RouteMoreSpecificThanLocal },
    // IPv6 (§3.1, §3.5)
    { rule: "a VPC's IPv6 CIDR is a /56", text: V6('ipv6 <|2600:1f18:abce::/48|>'), code: N.VpcIpv6CidrSize },
    { rule: "a subnet's IPv6 CIDR is a /64", text: V6('subnet s 10.0.0.0/24 in us-east-1a { ipv6 <|2600:1f18:abcd:1::/60|> }'), code: N.SubnetIpv6CidrSize },
    { rule: "a subnet's IPv6 CIDR is inside the VPC's", text: V6('subnet s 10.0.0.0/24 in us-east-1a { ipv6 <|2600:1f18:ffff:1::/64|> }'), code: N.SubnetIpv6OutsideVpc },
    { rule: 'a subnet has an IPv6 CIDR only in a dual-stack VPC', text: A('subnet s 10.0.9.0/24 in us-east-1a { ipv6 <|2600:1f18:abcd:1::/64|> }'), code: N.SubnetIpv6OutsideVpc },
    { rule: "an instance's IPv6 address is in its subnet's IPv6 CIDR", text: V6('subnet s 10.0.0.0/24 in us-east-1a { ipv6 2600:1f18:abcd:1::/64 instance i 10.0.0.10 { ipv6 <|2600:1f18:abcd:2::10|> } }'), code: N.InstanceIpv6OutsideSubnet },
    { rule: 'the first four IPv6 addresses of a subnet are reserved too', text: V6('subnet s 10.0.0.0/24 in us-east-1a { ipv6 2600:1f18:abcd:1::/64 instance i 10.0.0.10 { ipv6 <|2600:1f18:abcd:1::1|> } }'), code: IssueCodes.InstanceIpReserved },
    { rule: 'an egress-only internet gateway takes IPv6 routes only', text: V6('egress-only-internet-gateway eigw route-table r { <|0.0.0.0/0|> -> eigw }'), code: IssueCodes.RouteFamilyMismatch },
    { rule: 'an IPv6 route to a virtual private gateway that no IPv6 Direct Connect reaches is reported', text: V6('vpn-gateway vgw route-table r { <|2001:db8::/32|> -> vgw }'), code: S.RouteVgwIpv6WithoutDirectConnect, severity: W },
    { rule: 'an IPv6 CIDR where an IPv4 VPC CIDR is expected is explained', text: 'vpc v { cidr <|2600:1f18::/56|> }', code: IssueCodes.InvalidCidr, message: /IPv6 CIDR block; an IPv4 CIDR block is expected/ },
    { rule: 'a malformed IPv6 address is explained', text: 'expect internet -> <|2001:db8:::1|> icmp reachable', code: IssueCodes.InvalidAddress, message: /not a valid IPv6 address/ },
    { rule: 'a VPC has at most one egress-only internet gateway', text: V6('egress-only-internet-gateway e1 egress-only-internet-gateway <|e2|>'), code: N.MultipleEgressOnlyInternetGateways },
    { rule: 'no route into fd00:ec2::/32', text: V6('egress-only-internet-gateway eigw route-table r { <|fd00:ec2::/48|> -> eigw }'), code: IssueCodes.RouteReservedRange },
    // NAT gateways (§3.6)
    { rule: 'a public NAT gateway needs an Elastic IP', text: A('nat-gateway <|n|> in a1'), code: N.NatGatewayPublicIpMissing },
    { rule: "a public NAT gateway's subnet routes 0.0.0.0/0 to the internet gateway", text: A('nat-gateway n in <|a1|> public-ip 3.3.3.3'), code: N.NatGatewayNotInPublicSubnet, severity: W },
    { rule: "a NAT gateway's Elastic IP is public", text: A('nat-gateway n in a1 public-ip <|10.9.9.9|> route-table m main { 0.0.0.0/0 -> igw }'), code: IssueCodes.PublicIpNotPublic },
    { rule: "a NAT gateway's private address is in its subnet", text: A('nat-gateway n in a1 private private-ip <|10.0.7.7|>'), code: N.NatGatewayIpOutsideSubnet },
    { rule: "a NAT gateway's Elastic IP belongs to it alone", text: A('subnet p 10.0.9.0/24 in us-east-1a { instance x 10.0.9.10 { public-ip 3.3.3.3 } } nat-gateway n in a1 public-ip <|3.3.3.3|> route-table m main { 0.0.0.0/0 -> igw }'), code: IssueCodes.DuplicateAddress, message: /instance x/ },
    { rule: "a customer gateway's address belongs to it alone", text: `internet { host h 203.0.113.10 } site office { cidr 192.168.0.0/16 customer-gateway <|203.0.113.10|> }`, code: IssueCodes.DuplicateAddress, message: /host h/ },
    // Endpoints and load balancers (§3.10, §3.11)
    { rule: 'gateway endpoints serve s3 or dynamodb only', text: A('gateway-endpoint ep service <|sqs|>'), code: N.GatewayEndpointService },
    { rule: 'only the AWS service prefix lists are route destinations', text: A('route-table r { <|sqs|> -> igw }'), code: IssueCodes.UnknownPrefixList },
    { rule: 'a gateway endpoint route has its service prefix list as destination', text: A('gateway-endpoint ep service s3 route-table r { 0.0.0.0/0 -> <|ep|> }'), code: IssueCodes.RouteGatewayEndpointDestination },
    { rule: 'a prefix-list route to a gateway endpoint names its service', text: A('gateway-endpoint ep service s3 route-table r { dynamodb -> <|ep|> }'), code: IssueCodes.RouteGatewayEndpointDestination },
    { rule: 'an interface endpoint has at most one subnet per AZ', text: `${A('interface-endpoint ep service svc subnets a1, <|a3|>')} ${B('load-balancer nlb network internal subnets b1 { listener tcp 443 -> db }')} endpoint-service svc in b load-balancer nlb`, code: N.EndpointSubnetsPerAz },
    { rule: 'an interface endpoint reaches a network load balancer service', text: `${A('interface-endpoint <|ep|> service svc subnets a1')} ${B('load-balancer gw gateway subnets b1 { listener all -> db }')} endpoint-service svc in b load-balancer gw`.replace('<|ep|> service svc', 'ep service <|svc|>'), code: N.EndpointServiceKind },
    { rule: 'a gwlb endpoint reaches a gateway load balancer service', text: `${A('gwlb-endpoint ep service <|svc|> subnet a2')} ${B('load-balancer nlb network internal subnets b1 { listener tcp 443 -> db }')} endpoint-service svc in b load-balancer nlb`, code: N.EndpointServiceKind },
    { rule: 'a load balancer has at most one subnet per AZ', text: A('load-balancer lb network subnets a1, <|a3|>'), code: N.LoadBalancerSubnetsPerAz },
    { rule: 'a load balancer needs subnets', text: A('load-balancer <|lb|> network'), code: N.LoadBalancerSubnetsMissing },
    { rule: 'a gateway load balancer listens on all traffic', text: A('load-balancer lb gateway subnets a1 { listener <|tcp|> 80 -> web }'), code: N.ListenerProtocol },
    { rule: 'a network load balancer listens on tcp or udp', text: A('load-balancer lb network subnets a1 { listener <|icmp|> -> web }'), code: N.ListenerProtocol },
    { rule: 'a gateway load balancer has no security groups', text: A('security-group g load-balancer lb gateway subnets a1 security-groups <|g|>'), code: N.LoadBalancerSecurityGroups },
    { rule: 'listener targets exist (an unknown instance is a linking error)', text: A('load-balancer lb network subnets a1 { listener tcp 80 -> <|nobody|> }'), code: 'linking-error' },
    { rule: 'target type instance takes instance names', text: A('load-balancer lb network subnets a1 { listener tcp 80 -> <|10.0.0.10|> target-type instance }'), code: N.ListenerTargetType },
    { rule: 'a load balancer has one listener per protocol and port', text: A('load-balancer lb network subnets a1 { listener tcp 80 -> web listener <|tcp|> 80 -> web }'), code: N.ListenerDuplicate },
    { rule: 'an internet-facing load balancer in a VPC without internet gateway is reported', text: B('load-balancer <|lb|> network subnets b1'), code: N.LoadBalancerNoInternetGateway, severity: W },
    { rule: "an endpoint service's allowed accounts have 12 digits", text: `${B('load-balancer nlb network internal subnets b1')} endpoint-service svc in b load-balancer nlb accounts <|1234|>`, code: IssueCodes.AccountIdFormat },
    // VMware Cloud on AWS (seeds/004)
    { rule: 'an SDDC segment overlapping the connected VPC is an error', text: `${A()} sddc vmc { connected-vpc a subnet a1 management 10.2.0.0/16 segment <|app|> 10.0.5.0/24 }`.replace('segment <|app|> 10.0.5.0/24', 'segment app <|10.0.5.0/24|>'), code: N.SddcCidrOverlap },
    { rule: 'an SDDC management CIDR overlapping the connected VPC is an error', text: `${A()} sddc vmc { connected-vpc a subnet a1 management <|10.0.0.0/20|> }`, code: N.SddcCidrOverlap },
    { rule: 'SDDC segments do not overlap its management CIDR', text: `${A()} sddc vmc { connected-vpc a subnet a1 management 10.2.0.0/16 segment s <|10.2.1.0/24|> }`, code: N.SddcCidrOverlap },
    { rule: 'the active host is one of the hosts', text: `${A()} sddc vmc { connected-vpc a subnet a1 management 10.2.0.0/16 hosts 4 active-host <|5|> }`, code: N.SddcActiveHostRange },
    { rule: 'an SDDC names its connected VPC', text: 'sddc <|vmc|> { management 10.2.0.0/16 }', code: N.SddcConnectedVpcMissing },
    { rule: 'an SDDC has a management CIDR', text: `${A()} sddc <|vmc|> { connected-vpc a subnet a1 }`, code: N.SddcManagementMissing },
    { rule: 'an SDDC host is inside its segment', text: `${A()} sddc vmc { connected-vpc a subnet a1 management 10.2.0.0/16 segment s 192.168.160.0/24 { host h <|192.168.161.2|> } }`, code: N.SddcHostOutsideSegment },
    { rule: "an SDDC's subnet is a subnet of the connected VPC", text: `${A()} ${B()} sddc vmc { connected-vpc a subnet <|b1|> management 10.2.0.0/16 }`, code: 'linking-error', message: /in VPC a/ },
    // Block Public Access (§3.15)
    { rule: 'Block Public Access names a real region', text: 'block-public-access <|us-middle-1a|> bidirectional', code: N.RegionUnknown },
    { rule: 'a region has one Block Public Access setting', text: 'block-public-access us-east-1 ingress block-public-access <|us-east-1|> bidirectional', code: N.BlockPublicAccessDuplicate },
    { rule: 'an exclusion of a VPC in another region has no effect', text: `vpc w { region us-west-2 cidr 10.5.0.0/16 } block-public-access us-east-1 ingress { exclude <|w|> egress }`, code: N.BlockPublicAccessExclusionRegion, severity: W },
    // Expectations and names
    { rule: 'an expectation size is 1 to 65535 bytes', text: `${A()} expect web -> 8.8.8.8 tcp 443 size <|70000|> reachable`, code: N.SizeOutOfRange },
    { rule: 'top-level names are unique across kinds (a transit gateway and a site)', text: `transit-gateway hub site <|hub|> { cidr 192.168.0.0/16 }`, code: IssueCodes.DuplicateName },
];

const clean: Array<{ rule: string; text: string; code: string }> = [
    { rule: 'peers whose CIDRs do not overlap are fine', text: `${A()} ${B()} peering p between a and b`, code: N.PeeringCidrOverlap },
    { rule: 'a route to an active peering of the VPC is fine', text: `${A('route-table r { 10.1.0.0/16 -> p }')} ${B()} peering p between a and b`, code: N.RouteToPendingPeering },
    { rule: 'a rule referencing a peer group across an active same-Region peering is fine', text: `${A('security-group g { inbound tcp 5432 from b.db-sg outbound tcp 5432 to b.db-sg }')} ${B('security-group db-sg { inbound tcp 5432 from a.g }')} peering p between b and a`, code: N.SecurityGroupReferenceNotPeered },
    { rule: 'a peer group across an active same-Region peering is not an inter-Region reference', text: `${A('security-group g { inbound tcp 5432 from b.db-sg }')} ${B('security-group db-sg { }')} peering p between a and b`, code: N.SecurityGroupReferenceInterRegion },
    { rule: 'an attachment associated with one table is fine', text: `${A()} ${B()} ${HUB()}`, code: N.TgwAttachmentNotAssociated },
    { rule: 'attachment subnets in different AZs are fine', text: `${A()} ${B()} ${HUB()}`, code: N.TgwAttachmentSubnetsPerAz },
    { rule: 'a static route from a peering attachment is fine', text: `${A()} ${B()} transit-gateway west { region us-west-2 } ${HUB('attachment w peering west', 'associate w 10.50.0.0/16 -> w')}`, code: N.TgwPeeringPropagation },
    { rule: 'a gateway route table to exactly a subnet through a GWLB endpoint is fine', text: `${A('gwlb-endpoint ep service insp subnet a2 route-table ingress edge igw { 10.0.0.0/24 -> ep }')} ${B('load-balancer gw gateway subnets b1 { listener all -> db }')} endpoint-service insp in b load-balancer gw`, code: IssueCodes.GatewayRouteTableTarget },
    { rule: 'a gateway route table may replace the local route with an interface', text: A('subnet fw 10.0.9.0/24 in us-east-1a { instance f 10.0.9.10 { source-dest-check off } } route-table ingress edge igw { 10.0.0.0/16 -> f }'), code: IssueCodes.GatewayRouteTableDestination },
    { rule: 'a route to exactly a subnet CIDR through a NAT gateway is allowed', text: A('nat-gateway n in a1 public-ip 3.3.3.3 route-table r { 10.0.1.0/24 -> n } route-table m main { 0.0.0.0/0 -> igw }'), code: IssueCodes.RouteMoreSpecificThanLocal },
    { rule: 'a public NAT gateway in a subnet routing to the internet gateway has no warning', text: A('nat-gateway n in a1 public-ip 3.3.3.3 route-table m main { 0.0.0.0/0 -> igw }'), code: N.NatGatewayNotInPublicSubnet },
    { rule: 'a private NAT gateway needs no Elastic IP', text: A('nat-gateway n in a1 private'), code: N.NatGatewayPublicIpMissing },
    { rule: 'IPv6 routes to an egress-only gateway are fine', text: V6('egress-only-internet-gateway eigw route-table r { ::/0 -> eigw }'), code: IssueCodes.RouteFamilyMismatch },
    { rule: 'a /64 inside the /56 with an instance address in it is fine', text: V6('subnet s 10.0.0.0/24 in us-east-1a { ipv6 2600:1f18:abcd:1::/64 instance i 10.0.0.10 { ipv6 2600:1f18:abcd:1::10 } }'), code: N.InstanceIpv6OutsideSubnet },
    { rule: 'a transit VIF at MTU 8500 is fine', text: `${A()} ${B()} ${SITE} ${HUB('attachment dx-att direct-connect-gateway g', 'associate dx-att')} direct-connect-gateway g { associate hub } direct-connect dx from office to g vlan 101 mtu 8500`, code: N.DirectConnectMtu },
    { rule: 'a segment outside the connected VPC is fine', text: `${A()} sddc vmc { connected-vpc a subnet a1 management 10.2.0.0/16 segment app 192.168.160.0/24 { host tinycore 192.168.160.2 } }`, code: N.SddcCidrOverlap },
    { rule: 'site and SDDC hosts may have private addresses', text: `${SITE}`, code: IssueCodes.HostIpNotPublic },
    { rule: 'a VPN to a VGW that a route table propagates has a route back', text: `${A('route-table r { propagate vgw }', 'vpn-gateway vgw')} ${SITE} vpn v from office to vgw bgp`, code: N.VpnNoRouteBack },
];

describe('validation of issues 3 and 4', () => {
    afterEach(() => reset(services));

    for (const c of cases) {
        it(c.rule, async () => {
            const { output, ranges } = replaceIndices({ text: c.text });
            assert.strictEqual(ranges.length, 1, 'one <|range|> per case');
            const result = await validate(output);
            const [start, end] = ranges[0];
            expectIssue(result, {
                code: c.code, data: { code: c.code }, severity: c.severity ?? E, message: c.message,
                offset: start, length: end - start,
            });
        });
    }

    for (const c of clean) {
        it(c.rule, async () => {
            const result = await validate(c.text);
            expectNoIssues(result, { data: { code: c.code } });
        });
    }
});
