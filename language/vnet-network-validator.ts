/**
 * Validation of the constructs of issues 3 and 4: what AWS would refuse (or what cannot work) in
 * peerings, transit gateways, sites, VPNs, Direct Connect, SDDCs, IPv6, NAT gateways, endpoints,
 * load balancers, endpoint services and Block Public Access.
 *
 * Two kinds of checks, registered apart (see registerValidationChecks in vnet-validator.ts):
 * - per-node checks that read only their own document (a VPC's own elements, a site's hosts);
 * - `checkBetweenNetworks`, a workspace check: it follows references to elements that may live in
 *   other documents (the VPCs of a peering, the subnets of a transit gateway attachment, the VPC an
 *   SDDC is connected to), so it re-runs in every document after any edit.
 * Rules cite ../shared/reference/aws-data-plane.md.
 */
import { AstUtils, WorkspaceCache, type AstNode, type AstReflection, type Reference, type LangiumCoreServices, type LangiumDocuments, type ValidationAcceptor } from 'langium';
import {
    isBlockPublicAccess, isCustomerGateway, isDirectConnect, isDirectConnectGateway, isEgressOnlyInternetGateway,
    isGwlbEndpoint, isHost, isInstance, isInterfaceEndpoint,
    isInternetGateway, isModel, isPeering, isRouteTable, isSddc, isSecurityGroup, isSddcActiveHost,
    isSddcConnectedVpc, isSddcHosts, isSddcManagement, isSddcSegment, isSubnet, isSubnetRouteTable,
    isTgwAssociation, isTgwAttachment, isTgwPropagation, isTgwRoute, isTgwRouteTable, isTransitGateway,
    isVpc, isVpcAccount, isVpcCidr, isVpcIpv6, isVpcRegion, isVpnConnection, isVpnGateway, isAsn, isSubnetIpv6, isInstanceIpv6,
    type BlockPublicAccess, type DirectConnect, type DirectConnectGateway, type EndpointService, type Expectation,
    type GatewayEndpoint, type InterfaceEndpoint, type LoadBalancer, type Model, type NatGateway, type Peering,
    type RouteTable, type Sddc, type Site, type Subnet, type TgwAttachment, type TransitGateway, type Vpc,
    type VpnConnection, type Listener, type GwlbEndpoint,
} from './generated/ast.js';
import { formatIp, formatPrefix, isPublic, prefixContains, prefixesOverlap, type Prefix } from '../engine/ip.js';
import { DEFAULT_REGION } from '../engine/model.js';
import { readAddress, readCidr, MAX_PORT } from './vnet-values.js';
import { vpcOf, type VnetScopeProvider } from './vnet-scope.js';
import { accountTexts } from './vnet-lower.js';
import { IssueCodes as Base, lineOf, localCidrsOf, validAddress, validCidr, withCode, where } from './vnet-validator.js';

/** Diagnostic codes of the constructs of issues 3 and 4 (the Part 1 codes are in vnet-validator.ts). */
export namespace NetworkIssueCodes {
    // Peering (§3.7)
    export const PeeringSameVpc = 'PEERING_SAME_VPC';
    export const PeeringCidrOverlap = 'PEERING_CIDR_OVERLAP';
    export const PeeringDuplicate = 'PEERING_DUPLICATE';
    export const RouteToPendingPeering = 'ROUTE_TO_PENDING_PEERING';
    export const RoutePeeringNotConnected = 'ROUTE_PEERING_NOT_CONNECTED';
    export const SecurityGroupReferenceNotPeered = 'SG_REFERENCE_NOT_PEERED';
    export const SecurityGroupReferenceInterRegion = 'SG_REFERENCE_INTER_REGION';
    // Transit gateways (§3.8)
    export const RouteTransitGatewayNotAttached = 'ROUTE_TRANSIT_GATEWAY_NOT_ATTACHED';
    export const TgwAttachmentSubnetsMissing = 'TGW_ATTACHMENT_SUBNETS_MISSING';
    export const TgwAttachmentSubnetsPerAz = 'TGW_ATTACHMENT_SUBNETS_ONE_PER_AZ';
    export const TgwAttachmentDuplicateVpc = 'TGW_ATTACHMENT_DUPLICATE_VPC';
    export const TgwAttachmentNotAssociated = 'TGW_ATTACHMENT_NOT_ASSOCIATED';
    export const TgwAttachmentMultipleAssociations = 'TGW_ATTACHMENT_MULTIPLE_ASSOCIATIONS';
    export const TgwPeeringPropagation = 'TGW_PEERING_PROPAGATION';
    export const TgwPeeringSelf = 'TGW_PEERING_SELF';
    export const TgwAttachmentVpnMismatch = 'TGW_ATTACHMENT_VPN_MISMATCH';
    export const TgwAttachmentDxgwNotAssociated = 'TGW_ATTACHMENT_DXGW_NOT_ASSOCIATED';
    export const AsnRange = 'ASN_RANGE';
    export const RegionUnknown = 'REGION_UNKNOWN';
    // Virtual private gateways, sites, VPN, Direct Connect (§3.9)
    export const MultipleVpnGateways = 'MULTIPLE_VPN_GATEWAYS';
    export const SiteCidrMissing = 'SITE_CIDR_MISSING';
    export const SiteHostOutsideCidr = 'SITE_HOST_OUTSIDE_CIDR';
    export const CustomerGatewayNotPublic = 'CUSTOMER_GATEWAY_NOT_PUBLIC';
    export const VpnStaticRoutesMissing = 'VPN_STATIC_ROUTES_MISSING';
    export const VpnNoRouteBack = 'VPN_NO_ROUTE_BACK';
    export const DirectConnectVlanRange = 'DX_VLAN_RANGE';
    export const DirectConnectVlanDuplicate = 'DX_VLAN_DUPLICATE';
    export const DirectConnectMtu = 'DX_MTU';
    export const DirectConnectGatewayMixed = 'DXGW_MIXED_ASSOCIATIONS';
    export const DirectConnectGatewayOverlap = 'DXGW_VPC_OVERLAP';
    // VMware Cloud on AWS (seeds/004)
    export const SddcConnectedVpcMissing = 'SDDC_CONNECTED_VPC_MISSING';
    export const SddcManagementMissing = 'SDDC_MANAGEMENT_MISSING';
    export const SddcCidrOverlap = 'SDDC_CIDR_OVERLAP';
    export const SddcHostsRange = 'SDDC_HOSTS_RANGE';
    export const SddcActiveHostRange = 'SDDC_ACTIVE_HOST_RANGE';
    export const SddcHostOutsideSegment = 'SDDC_HOST_OUTSIDE_SEGMENT';
    // IPv6 (§3.1, §3.5)
    export const VpcIpv6CidrSize = 'VPC_IPV6_CIDR_SIZE';
    export const SubnetIpv6CidrSize = 'SUBNET_IPV6_CIDR_SIZE';
    export const SubnetIpv6OutsideVpc = 'SUBNET_IPV6_OUTSIDE_VPC';
    export const InstanceIpv6OutsideSubnet = 'INSTANCE_IPV6_OUTSIDE_SUBNET';
    export const MultipleEgressOnlyInternetGateways = 'MULTIPLE_EGRESS_ONLY_INTERNET_GATEWAYS';
    // NAT gateways (§3.6)
    export const NatGatewayPublicIpMissing = 'NAT_GATEWAY_PUBLIC_IP_MISSING';
    export const NatGatewayNotInPublicSubnet = 'NAT_GATEWAY_NOT_IN_PUBLIC_SUBNET';
    export const NatGatewayIpOutsideSubnet = 'NAT_GATEWAY_IP_OUTSIDE_SUBNET';
    // Endpoints and load balancers (§3.10, §3.11)
    export const GatewayEndpointService = 'GATEWAY_ENDPOINT_SERVICE';
    export const EndpointSubnetsPerAz = 'ENDPOINT_SUBNETS_ONE_PER_AZ';
    export const EndpointServiceKind = 'ENDPOINT_SERVICE_KIND';
    export const LoadBalancerSubnetsMissing = 'LOAD_BALANCER_SUBNETS_MISSING';
    export const LoadBalancerSubnetsPerAz = 'LOAD_BALANCER_SUBNETS_ONE_PER_AZ';
    export const LoadBalancerSecurityGroups = 'LOAD_BALANCER_SECURITY_GROUPS';
    export const LoadBalancerNoInternetGateway = 'LOAD_BALANCER_NO_INTERNET_GATEWAY';
    export const ListenerProtocol = 'LISTENER_PROTOCOL';
    export const ListenerDuplicate = 'LISTENER_DUPLICATE';
    export const ListenerTargetType = 'LISTENER_TARGET_TYPE';
    export const ListenerTargetOutsideVpc = 'LISTENER_TARGET_OUTSIDE_VPC';
    // Block Public Access (§3.15)
    export const BlockPublicAccessDuplicate = 'BLOCK_PUBLIC_ACCESS_DUPLICATE';
    export const BlockPublicAccessExclusionRegion = 'BLOCK_PUBLIC_ACCESS_EXCLUSION_REGION';
    // Expectations
    export const SizeOutOfRange = 'SIZE_OUT_OF_RANGE';
}

const Codes = NetworkIssueCodes;

// A region name: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4, cn-north-1.
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d+$/;

/** Largest IP packet: the IPv4 total length is 16 bits (RFC 791). */
const MAX_PACKET_SIZE = 65535;

function regionOf(node: Vpc | TransitGateway): string {
    return node.members.filter(isVpcRegion)[0]?.region ?? DEFAULT_REGION;
}

/**
 * The AZ of each subnet named, reporting the second subnet in an AZ: `code` says which rule. With
 * `sameSubnetReported`, a subnet named twice is left to SUBNET_LISTED_TWICE (vnet-dual-stack-validator.ts).
 */
function onePerAz(subnets: ReadonlyArray<{ ref?: Subnet; $refText: string }>, owner: AstNode, property: string, what: string, code: string, accept: ValidationAcceptor, sameSubnetReported = false): void {
    const byAz = new Map<string, Subnet>();
    subnets.forEach((ref, index) => {
        const subnet = ref.ref;
        if (!subnet?.az) return;
        const first = byAz.get(subnet.az);
        if (first && !(sameSubnetReported && first === subnet)) {
            accept('error', `${what} has at most one subnet per availability zone; ${subnet.name} and ${first.name} are both in ${subnet.az}.`,
                { node: owner, property: property as never, index, ...withCode(code) });
        } else if (!first) {
            byAz.set(subnet.az, subnet);
        }
    });
}

export class VnetNetworkValidator {
    private readonly documents: LangiumDocuments;
    /** Workspace-wide lists, computed once per build rather than once per document. */
    private readonly workspaceCache: WorkspaceCache<string, unknown>;

    private readonly scopes: VnetScopeProvider;
    private readonly reflection: AstReflection;

    constructor(services: LangiumCoreServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
        this.workspaceCache = new WorkspaceCache(services.shared);
        this.scopes = services.references.ScopeProvider as VnetScopeProvider;
        this.reflection = services.shared.AstReflection;
    }

    /** Every top-level element of the workspace satisfying `guard`, in document and statement order. */
    private allOf<T extends AstNode>(key: string, guard: (n: unknown) => n is T): T[] {
        return this.workspaceCache.get(key, () => {
            const found: T[] = [];
            for (const doc of this.documents.all) {
                const root = doc.parseResult.value;
                if (isModel(root)) found.push(...(root.elements as unknown[]).filter(guard));
            }
            return found;
        }) as T[];
    }

    // ---------------------------------------------------------------------------------------------
    // Per-node checks (own document only)

    /** VPC-level rules for the elements of issues 3 and 4. */
    checkVpcEdges(vpc: Vpc, accept: ValidationAcceptor): void {
        if (!vpc.name) return;
        // One virtual private gateway and one egress-only internet gateway per VPC (§3.9, §3.5).
        const vgws = vpc.members.filter(isVpnGateway);
        for (const extra of vgws.slice(1)) {
            accept('error', `A VPC has at most one virtual private gateway; ${vpc.name} already has ${vgws[0].name}.`,
                { node: extra, property: 'name', ...withCode(Codes.MultipleVpnGateways) });
        }
        const eigws = vpc.members.filter(isEgressOnlyInternetGateway);
        for (const extra of eigws.slice(1)) {
            accept('error', `A VPC has at most one egress-only internet gateway; ${vpc.name} already has ${eigws[0].name}.`,
                { node: extra, property: 'name', ...withCode(Codes.MultipleEgressOnlyInternetGateways) });
        }
        for (const gw of [...vgws]) {
            if (gw.asn !== undefined) this.asn(gw, gw.asn, accept);
        }
        // IPv6 CIDR blocks of the VPC: /56 (§3.1), not overlapping each other.
        const blocks: Prefix[] = [];
        for (const block of vpc.members.filter(isVpcIpv6)) {
            const prefix = validCidr(block, 'cidr', block.cidr, accept, 'ipv6');
            if (!prefix) continue;
            if (prefix.length !== 56) {
                accept('error', `A VPC's IPv6 CIDR block is a /56; ${block.cidr} is /${prefix.length}.`,
                    { node: block, property: 'cidr', ...withCode(Codes.VpcIpv6CidrSize) });
            }
            const clash = blocks.find(b => prefixesOverlap(b, prefix));
            if (clash) {
                accept('error', `${block.cidr} overlaps ${formatPrefix(clash)}, already an IPv6 CIDR block of VPC ${vpc.name}.`,
                    { node: block, property: 'cidr', ...withCode(Base.VpcCidrOverlap) });
            } else {
                blocks.push(prefix);
            }
        }
        this.checkSubnetIpv6(vpc, blocks, accept);
    }

    /** Subnet IPv6 CIDRs: /64 inside an IPv6 block of the VPC, not overlapping; instance IPv6 inside (§3.1). */
    private checkSubnetIpv6(vpc: Vpc, vpcBlocks: Prefix[], accept: ValidationAcceptor): void {
        const placed: Array<{ subnet: Subnet; prefix: Prefix }> = [];
        for (const subnet of vpc.members.filter(isSubnet)) {
            const settings = subnet.members.filter(isSubnetIpv6);
            for (const extra of settings.slice(1)) {
                accept('error', `A subnet has one IPv6 CIDR block; this is the second.`, { node: extra, ...withCode(Base.DuplicateSetting) });
            }
            const setting = settings[0];
            const prefix = setting ? validCidr(setting, 'cidr', setting.cidr, accept, 'ipv6') : undefined;
            if (setting && prefix) {
                if (prefix.length !== 64) {
                    accept('error', `A subnet's IPv6 CIDR block is a /64; ${setting.cidr} is /${prefix.length}.`,
                        { node: setting, property: 'cidr', ...withCode(Codes.SubnetIpv6CidrSize) });
                }
                if (!vpcBlocks.some(b => prefixesOverlap(b, prefix) && b.length <= prefix.length)) {
                    accept('error', vpcBlocks.length === 0
                        ? `Subnet ${subnet.name} has an IPv6 CIDR block but VPC ${vpc.name} has none; add 'ipv6 <a /56>' to the VPC.`
                        : `Subnet ${subnet.name}'s IPv6 CIDR block ${formatPrefix(prefix)} is not inside an IPv6 CIDR block of VPC ${vpc.name} (${vpcBlocks.map(formatPrefix).join(', ')}).`,
                        { node: setting, property: 'cidr', ...withCode(Codes.SubnetIpv6OutsideVpc) });
                }
                const clash = placed.find(p => prefixesOverlap(p.prefix, prefix));
                if (clash) {
                    accept('error', `Subnet ${subnet.name}'s IPv6 CIDR block ${formatPrefix(prefix)} overlaps subnet ${clash.subnet.name}'s (${formatPrefix(clash.prefix)}).`,
                        { node: setting, property: 'cidr', ...withCode(Base.SubnetCidrOverlap) });
                } else {
                    placed.push({ subnet, prefix });
                }
            }
            for (const instance of subnet.members.filter(isInstance)) {
                for (const v6 of instance.members.filter(isInstanceIpv6)) {
                    const ip = validAddress(v6, 'address', v6.address, accept, 'ipv6');
                    if (!ip) continue;
                    if (!prefix || !prefixContains(prefix, ip)) {
                        accept('error', prefix
                            ? `${formatIp(ip)} is not in subnet ${subnet.name}'s IPv6 CIDR block (${formatPrefix(prefix)}).`
                            : `Instance ${instance.name} has an IPv6 address but subnet ${subnet.name} has no IPv6 CIDR block.`,
                            { node: v6, property: 'address', ...withCode(Codes.InstanceIpv6OutsideSubnet) });
                    } else {
                        // The first four and the last address of an IPv6 subnet are reserved too (§3.1).
                        const offset = ip.value - prefix.network;
                        const last = (1n << BigInt(128 - prefix.length)) - 1n;
                        if (offset <= 3n || offset === last) {
                            accept('error', `${formatIp(ip)} is reserved by AWS in subnet ${subnet.name} (the first four and the last address of a subnet are).`,
                                { node: v6, property: 'address', ...withCode(Base.InstanceIpReserved) });
                        }
                    }
                }
            }
        }
    }

    /**
     * A public NAT gateway has an Elastic IP and sits in a subnet whose route table reaches the
     * internet gateway; a private one has no Elastic IP (§3.6).
     */
    checkNatGateway(nat: NatGateway, accept: ValidationAcceptor): void {
        const subnet = nat.subnet?.ref;
        if (nat.publicIp !== undefined) {
            const ip = validAddress(nat, 'publicIp', nat.publicIp, accept);
            if (ip && !isPublic(ip)) {
                accept('error', `${nat.publicIp} is not a public address, so it cannot be the Elastic IP of NAT gateway ${nat.name}.`,
                    { node: nat, property: 'publicIp', ...withCode(Base.PublicIpNotPublic) });
            }
        } else if (!nat.private) {
            accept('error', `A public NAT gateway needs an Elastic IP: add 'public-ip <address>', or write 'private' for a private NAT gateway.`,
                { node: nat, property: 'name', ...withCode(Codes.NatGatewayPublicIpMissing) });
        }
        if (nat.privateIp !== undefined) {
            const ip = validAddress(nat, 'privateIp', nat.privateIp, accept);
            const prefix = readCidr(subnet?.cidr ?? '').value;
            if (ip && prefix && !prefixContains(prefix, ip)) {
                accept('error', `${formatIp(ip)} is not in subnet ${subnet?.name} (${formatPrefix(prefix)}).`,
                    { node: nat, property: 'privateIp', ...withCode(Codes.NatGatewayIpOutsideSubnet) });
            }
        }
        if (!nat.private && subnet) {
            const vpc = vpcOf(nat);
            const igw = vpc?.members.find(isInternetGateway);
            const table = vpc ? routeTableOf(vpc, subnet) : undefined;
            const reachesIgw = !!igw && !!table?.routes.some(r => r.target?.ref === igw && readCidr(r.destination ?? '').value?.length === 0);
            if (!reachesIgw) {
                accept('warning', `NAT gateway ${nat.name} is public, but subnet ${subnet.name}${table ? ` (route table ${table.name})` : ''} has no route 0.0.0.0/0 to ${igw ? `internet gateway ${igw.name}` : 'an internet gateway'}: translated traffic cannot reach the internet.`,
                    { node: nat, property: 'subnet', ...withCode(Codes.NatGatewayNotInPublicSubnet) });
            }
        }
    }

    /** Gateway endpoints exist for S3 and DynamoDB only (§3.10). */
    checkGatewayEndpoint(endpoint: GatewayEndpoint, accept: ValidationAcceptor): void {
        if (endpoint.service !== undefined && endpoint.service !== 's3' && endpoint.service !== 'dynamodb') {
            accept('error', `Gateway endpoints serve s3 or dynamodb only; '${endpoint.service}' is neither (other services use an interface endpoint).`,
                { node: endpoint, property: 'service', ...withCode(Codes.GatewayEndpointService) });
        }
    }

    /** An interface endpoint has one interface per subnet, at most one subnet per AZ (§3.11). */
    checkInterfaceEndpoint(endpoint: InterfaceEndpoint, accept: ValidationAcceptor): void {
        onePerAz(endpoint.subnets, endpoint, 'subnets', `Interface endpoint ${endpoint.name}`, Codes.EndpointSubnetsPerAz, accept, true);
    }

    /**
     * Load balancers: subnets, at most one per AZ; gateway load balancers have no security groups
     * and listen on all traffic; network load balancers listen on tcp/udp ports (§3.11).
     */
    checkLoadBalancer(lb: LoadBalancer, accept: ValidationAcceptor): void {
        if (!lb.name) return; // a half-typed line: the parser has said what is missing
        if (lb.subnets.length === 0) {
            accept('error', `Load balancer ${lb.name} needs at least one subnet: add 'subnets <name>, ...'.`,
                { node: lb, property: 'name', ...withCode(Codes.LoadBalancerSubnetsMissing) });
        }
        onePerAz(lb.subnets, lb, 'subnets', `Load balancer ${lb.name}`, Codes.LoadBalancerSubnetsPerAz, accept, true);
        if (lb.type === 'gateway' && lb.securityGroups.length > 0) {
            accept('error', `A gateway load balancer has no security groups.`,
                { node: lb, property: 'securityGroups', ...withCode(Codes.LoadBalancerSecurityGroups) });
        }
        if (lb.type === 'network' && lb.scheme !== 'internal') {
            const vpc = vpcOf(lb);
            if (vpc && !vpc.members.some(isInternetGateway)) {
                accept('warning', `Load balancer ${lb.name} is internet-facing (the default), but VPC ${vpc.name} has no internet gateway: nothing on the internet reaches it. Write 'internal' if it serves the VPC only.`,
                    { node: lb, property: 'name', ...withCode(Codes.LoadBalancerNoInternetGateway) });
            }
        }
        const ports = new Map<string, Listener>();
        for (const listener of lb.listeners) {
            this.checkListener(lb, listener, accept);
            const key = `${listener.protocol}:${listener.port ?? ''}`;
            const first = ports.get(key);
            if (first) {
                accept('error', `Load balancer ${lb.name} already has a ${listener.protocol}${listener.port !== undefined ? ` ${listener.port}` : ''} listener (line ${lineOf(first)}).`,
                    { node: listener, property: 'protocol', ...withCode(Codes.ListenerDuplicate) });
            } else {
                ports.set(key, listener);
            }
        }
    }

    private checkListener(lb: LoadBalancer, listener: Listener, accept: ValidationAcceptor): void {
        if (lb.type === 'gateway') {
            // A GWLB listens on all IP traffic; targets get it in GENEVE on UDP 6081 (§3.11, §5.1).
            if (listener.protocol !== 'all' || listener.port !== undefined) {
                accept('error', `A gateway load balancer listens on all traffic: write 'listener all -> <targets>'.`,
                    { node: listener, property: 'protocol', ...withCode(Codes.ListenerProtocol) });
            }
        } else if (listener.protocol !== 'tcp' && listener.protocol !== 'udp') {
            accept('error', `A network load balancer listener is tcp or udp with a port (e.g. 'listener tcp 443 -> web').`,
                { node: listener, property: 'protocol', ...withCode(Codes.ListenerProtocol) });
        } else if (listener.port === undefined) {
            accept('error', `A ${listener.protocol} listener needs its port, e.g. 'listener ${listener.protocol} 443 -> web'.`,
                { node: listener, property: 'protocol', ...withCode(Base.PortMissing) });
        }
        for (const property of ['port', 'targetPort'] as const) {
            const value = listener[property];
            if (value !== undefined && (value < 1 || value > MAX_PORT)) {
                accept('error', `Port ${value} is out of range: listener and target ports are 1-${MAX_PORT}.`,
                    { node: listener, property, ...withCode(Base.PortOutOfRange) });
            }
        }
        const vpc = vpcOf(lb);
        const vpcCidrs = vpc ? localCidrsOf(vpc) : [];
        listener.targets.forEach((target, index) => {
            if (target.address !== undefined) {
                if (listener.targetType === 'instance') {
                    accept('error', `Target type instance takes instance names; ${target.address} is an address (write 'target-type ip', or name the instance).`,
                        { node: target, property: 'address', ...withCode(Codes.ListenerTargetType) });
                    return;
                }
                const ip = validAddress(target, 'address', target.address, accept, 'any');
                if (ip?.family === 6 && vpc) {
                    // IP targets are addresses of the VPC; every IPv6 address is global, so an IPv6 target
                    // lies in the VPC's IPv6 CIDR blocks (the engine: TARGET_ADDRESS_RESTRICTION,
                    // engine/ipv6-hyperplane-lb.ts; ELB guide, "Target groups": IP address type).
                    const v6 = vpcCidrs.filter(c => c.family === 6);
                    if (!v6.some(c => prefixContains(c, ip))) {
                        accept('error', v6.length === 0
                            ? `${formatIp(ip)} is an IPv6 target, but VPC ${vpc.name} has no IPv6 CIDR block: an IPv6 target is an address of the VPC's IPv6 CIDR blocks (add 'ipv6 <a /56>' to the VPC).`
                            : `An IPv6 target is an address of the VPC's IPv6 CIDR blocks (${v6.map(formatPrefix).join(', ')}); ${formatIp(ip)} is outside them.`,
                            { node: target, property: 'address', ...withCode(Codes.ListenerTargetOutsideVpc) });
                    }
                } else if (ip && vpcCidrs.length > 0 && !vpcCidrs.some(c => prefixContains(c, ip))) {
                    // IP targets outside the VPC (on-premises over DX/VPN, peered VPCs) are allowed but must be private.
                    if (isPublic(ip)) {
                        accept('error', `An IP target is a private address (in the VPC, a peered VPC or on premises); ${formatIp(ip)} is public.`,
                            { node: target, property: 'address', ...withCode(Codes.ListenerTargetOutsideVpc) });
                    }
                }
            } else if (target.instance && listener.targetType === 'ip') {
                accept('error', `Target type ip takes addresses; ${target.instance.$refText} is an instance name.`,
                    { node: listener, property: 'targets', index, ...withCode(Codes.ListenerTargetType) });
            }
        });
    }

    /** A site: its CIDRs, its hosts inside them, a public customer gateway address (§3.9). */
    checkSite(site: Site, accept: ValidationAcceptor): void {
        const cidrs = site.members.filter(isVpcCidr).map(c => validCidr(c, 'cidr', c.cidr, accept, 'any')).filter((p): p is Prefix => !!p);
        if (!site.members.some(isVpcCidr)) {
            accept('error', `Site ${site.name} has no CIDR block: add its prefixes, e.g. 'cidr 192.168.0.0/16'.`,
                { node: site, property: 'name', ...withCode(Codes.SiteCidrMissing) });
        }
        for (const host of site.members.filter(isHost)) {
            const ip = readAddress(host.ip ?? '', 'any').value;
            if (!ip || cidrs.length === 0 || cidrs.some(c => prefixContains(c, ip))) continue;
            const sameFamily = cidrs.filter(c => c.family === ip.family);
            accept('error', sameFamily.length > 0
                ? `${formatIp(ip)} is not in a${ip.family === 6 ? 'n IPv6' : 'n IPv4'} CIDR block of site ${site.name} (${sameFamily.map(formatPrefix).join(', ')}).`
                : `${formatIp(ip)} is an IPv${ip.family} address, but site ${site.name} has no IPv${ip.family} CIDR block: add 'cidr <its IPv${ip.family} prefix>'.`,
                { node: host, property: 'ip', ...withCode(Codes.SiteHostOutsideCidr) });
        }
        const cgws = site.members.filter(isCustomerGateway);
        for (const extra of cgws.slice(1)) {
            accept('error', `Site ${site.name} has one customer gateway address; this is the second.`, { node: extra, ...withCode(Base.DuplicateSetting) });
        }
        for (const cgw of cgws) {
            const ip = validAddress(cgw, 'ip', cgw.ip, accept);
            if (ip && !isPublic(ip)) {
                accept('error', `A customer gateway's outside address is public (the VPN tunnels run over the internet); ${cgw.ip} is not.`,
                    { node: cgw, property: 'ip', ...withCode(Codes.CustomerGatewayNotPublic) });
            }
        }
        for (const asn of site.members.filter(isAsn)) if (asn.asn !== undefined) this.asn(asn, asn.asn, accept);
    }

    /** A static VPN lists the prefixes it carries (§3.9). */
    checkVpn(vpn: VpnConnection, accept: ValidationAcceptor): void {
        if (vpn.routing === 'static' && vpn.staticRoutes.length === 0) {
            accept('error', `A static VPN lists the site prefixes it carries, e.g. 'static 192.168.0.0/16'.`,
                { node: vpn, property: 'routing', ...withCode(Codes.VpnStaticRoutesMissing) });
        }
        // Either family; the one the tunnels carry is VPN_STATIC_ROUTE_FAMILY's (vnet-site-validator.ts).
        vpn.staticRoutes.forEach((route, index) => validCidr(vpn, 'staticRoutes', route, accept, 'any', index));
    }

    /** A Direct Connect virtual interface: VLAN 1-4094 (802.1Q; §5.4), unique per site. */
    checkDirectConnect(dx: DirectConnect, accept: ValidationAcceptor): void {
        if (dx.vlan !== undefined && (dx.vlan < 1 || dx.vlan > 4094)) {
            accept('error', `A VLAN ID is 1 to 4094 (802.1Q); ${dx.vlan} is not.`,
                { node: dx, property: 'vlan', ...withCode(Codes.DirectConnectVlanRange) });
        }
    }

    /** SDDC settings that need no other document: hosts, active host, segment hosts (seeds/004). */
    checkSddc(sddc: Sddc, accept: ValidationAcceptor): void {
        if (!sddc.members.some(isSddcConnectedVpc)) {
            accept('error', `SDDC ${sddc.name} is connected to a VPC: add 'connected-vpc <vpc> subnet <subnet>'.`,
                { node: sddc, property: 'name', ...withCode(Codes.SddcConnectedVpcMissing) });
        }
        if (!sddc.members.some(isSddcManagement)) {
            accept('error', `SDDC ${sddc.name} needs its management CIDR, e.g. 'management 10.2.0.0/16'.`,
                { node: sddc, property: 'name', ...withCode(Codes.SddcManagementMissing) });
        }
        for (const guard of [isSddcConnectedVpc, isSddcManagement, isSddcHosts, isSddcActiveHost]) {
            for (const extra of sddc.members.filter(guard).slice(1)) {
                accept('error', `This setting is given twice for SDDC ${sddc.name}.`, { node: extra, ...withCode(Base.DuplicateSetting) });
            }
        }
        // A cluster has at most 16 hosts; the first cluster's ENIs number one per host (17 in the article's SDDC).
        const hosts = sddc.members.find(isSddcHosts);
        const hostCount = hosts?.count ?? 17;
        if (hosts?.count !== undefined && (hosts.count < 1 || hosts.count > 64)) {
            accept('error', `An SDDC's first cluster has 1 to 64 hosts here (one interface each); ${hosts.count} is out of range.`,
                { node: hosts, property: 'count', ...withCode(Codes.SddcHostsRange) });
        }
        const active = sddc.members.find(isSddcActiveHost);
        if (active?.host !== undefined && (active.host < 1 || active.host > hostCount)) {
            accept('error', `active-host numbers a host of the first cluster: 1 to ${hostCount}; ${active.host} is not one.`,
                { node: active, property: 'host', ...withCode(Codes.SddcActiveHostRange) });
        }
        const management = sddc.members.find(isSddcManagement);
        const placed: Array<{ what: string; prefix: Prefix }> = [];
        const mgmtPrefix = management ? validCidr(management, 'cidr', management.cidr, accept) : undefined;
        if (mgmtPrefix) placed.push({ what: 'the management CIDR', prefix: mgmtPrefix });
        for (const segment of sddc.members.filter(isSddcSegment)) {
            const prefix = validCidr(segment, 'cidr', segment.cidr, accept);
            if (!prefix) continue;
            const clash = placed.find(p => prefixesOverlap(p.prefix, prefix));
            if (clash) {
                accept('error', `Segment ${segment.name} (${formatPrefix(prefix)}) overlaps ${clash.what} (${formatPrefix(clash.prefix)}) of SDDC ${sddc.name}.`,
                    { node: segment, property: 'cidr', ...withCode(Codes.SddcCidrOverlap) });
            }
            placed.push({ what: `segment ${segment.name}`, prefix });
            for (const host of segment.hosts) {
                // An IPv6 segment host is an INVALID_ADDRESS (checkHost): segments are IPv4.
                const ip = readAddress(host.ip ?? '', 'ipv4').value;
                if (ip && !prefixContains(prefix, ip)) {
                    accept('error', `${formatIp(ip)} is not in segment ${segment.name} (${formatPrefix(prefix)}).`,
                        { node: host, property: 'ip', ...withCode(Codes.SddcHostOutsideSegment) });
                }
            }
        }
    }

    /** Allowed accounts are 12-digit AWS account IDs. */
    checkEndpointService(service: EndpointService, accept: ValidationAcceptor): void {
        accountTexts(service).forEach((account, index) => {
            if (!/^\d{12}$/.test(account)) {
                accept('error', `An AWS account ID has 12 digits; '${account}' has ${account.length}.`,
                    { node: service, property: 'accounts', index, ...withCode(Base.AccountIdFormat) });
            }
        });
    }

    /** Block Public Access: a real region; each VPC or subnet excluded once. */
    checkBlockPublicAccess(bpa: BlockPublicAccess, accept: ValidationAcceptor): void {
        if (bpa.region && !REGION.test(bpa.region)) {
            accept('error', `'${bpa.region}' is not an AWS region name (e.g. us-east-1, eu-west-2).`,
                { node: bpa, property: 'region', ...withCode(Codes.RegionUnknown) });
        }
        const seen = new Map<string, AstNode>();
        for (const exclusion of bpa.exclusions) {
            const key = exclusion.target?.$refText;
            if (!key) continue;
            const first = seen.get(key);
            if (first) {
                accept('error', `${key} is already excluded (line ${lineOf(first)}).`,
                    { node: exclusion, property: 'target', ...withCode(Base.DuplicateSetting) });
            } else {
                seen.set(key, exclusion);
            }
        }
    }

    /** A transit gateway's own settings: region, ASN (§3.8). */
    checkTransitGateway(tgw: TransitGateway, accept: ValidationAcceptor): void {
        for (const region of tgw.members.filter(isVpcRegion)) {
            if (region.region && !REGION.test(region.region)) {
                accept('error', `'${region.region}' is not an AWS region name (e.g. us-east-1, eu-west-2).`,
                    { node: region, property: 'region', ...withCode(Codes.RegionUnknown) });
            }
        }
        for (const guard of [isVpcRegion, isVpcAccount, isAsn]) {
            for (const extra of tgw.members.filter(guard).slice(1)) {
                accept('error', `This setting is given twice for transit gateway ${tgw.name}.`, { node: extra, ...withCode(Base.DuplicateSetting) });
            }
        }
        for (const account of tgw.members.filter(isVpcAccount)) {
            const text = account.$cstNode?.text.replace(/^account\s*/, '') ?? '';
            if (!/^\d{12}$/.test(text)) {
                accept('error', `An AWS account ID has 12 digits; '${text}' has ${text.length}.`,
                    { node: account, property: 'account', ...withCode(Base.AccountIdFormat) });
            }
        }
        for (const asn of tgw.members.filter(isAsn)) if (asn.asn !== undefined) this.asn(asn, asn.asn, accept);
        // Each attachment is associated with exactly one route table (§3.8).
        const associations = new Map<TgwAttachment, AstNode[]>();
        for (const table of tgw.members.filter(isTgwRouteTable)) {
            for (const member of table.members) {
                if (isTgwAssociation(member)) {
                    for (const ref of member.attachments) {
                        if (ref.ref) associations.set(ref.ref, [...(associations.get(ref.ref) ?? []), member]);
                    }
                } else if (isTgwPropagation(member)) {
                    member.attachments.forEach((ref, index) => {
                        // Transit gateway peering attachments support static routes only (§3.8).
                        if (ref.ref?.peer) {
                            accept('error', `${ref.ref.name} is a peering attachment: a transit gateway peering supports static routes only, so it cannot propagate.`,
                                { node: member, property: 'attachments', index, ...withCode(Codes.TgwPeeringPropagation) });
                        }
                    });
                }
            }
            const seen = new Set<string>();
            for (const route of table.members.filter(isTgwRoute)) {
                const prefix = validCidr(route, 'destination', route.destination, accept, 'any');
                if (!prefix) continue;
                const key = formatPrefix(prefix);
                if (seen.has(key)) {
                    accept('error', `Route table ${table.name} already has a static route to ${key}.`,
                        { node: route, property: 'destination', ...withCode(Base.DuplicateRoute) });
                }
                seen.add(key);
            }
        }
        for (const attachment of tgw.members.filter(isTgwAttachment)) {
            if (!attachment.name) continue; // a half-typed line: the parser has said what is missing
            const tables = associations.get(attachment) ?? [];
            if (tables.length === 0) {
                accept('warning', `Attachment ${attachment.name} is associated with no route table of ${tgw.name}: traffic arriving from it has no route and is dropped. Add 'associate ${attachment.name}' to one route table.`,
                    { node: attachment, property: 'name', ...withCode(Codes.TgwAttachmentNotAssociated) });
            }
            for (const extra of tables.slice(1)) {
                const table = AstUtils.getContainerOfType(extra, isTgwRouteTable);
                accept('error', `An attachment is associated with exactly one route table; ${attachment.name} is already associated with ${AstUtils.getContainerOfType(tables[0], isTgwRouteTable)?.name} (line ${lineOf(tables[0])}).`,
                    { node: extra, ...withCode(Codes.TgwAttachmentMultipleAssociations, { table: table?.name }) });
            }
            if (attachment.peer?.ref === tgw) {
                accept('error', `A transit gateway cannot peer with itself.`, { node: attachment, property: 'peer', ...withCode(Codes.TgwPeeringSelf) });
            }
        }
    }

    checkExpectationSize(expectation: Expectation, accept: ValidationAcceptor): void {
        if (expectation.size !== undefined && (expectation.size < 1 || expectation.size > MAX_PACKET_SIZE)) {
            accept('error', `A packet is 1 to ${MAX_PACKET_SIZE} bytes (the IPv4 total length is 16 bits); ${expectation.size} is not.`,
                { node: expectation, property: 'size', ...withCode(Codes.SizeOutOfRange) });
        }
    }

    /** 2-byte and 4-byte ASNs: 1 to 4294967294 (0 and 4294967295 are reserved, RFC 7607 / RFC 7300). */
    private asn(node: AstNode & { asn?: number }, asn: number, accept: ValidationAcceptor): void {
        if (asn < 1 || asn > 4294967294) {
            accept('error', `An ASN is 1 to 4294967294; ${asn} is not.`, { node, property: 'asn' as never, ...withCode(Codes.AsnRange) });
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Workspace check: references into other documents

    /** Every rule of this document that reads elements other documents may declare. */
    checkBetweenNetworks(model: Model, accept: ValidationAcceptor): void {
        const peerings = this.allOf('peerings', isPeering);
        for (const element of model.elements) {
            if (isPeering(element)) this.checkPeering(element, peerings, accept);
            else if (isVpc(element)) {
                this.checkVpcRoutesAcross(element, accept);
                this.checkSecurityGroupReferencesAcross(element, peerings, accept);
            }
            else if (isTransitGateway(element)) this.checkTransitGatewayAttachments(element, accept);
            else if (isVpnConnection(element)) this.checkVpnRouteBack(element, accept);
            else if (isDirectConnect(element)) this.checkDirectConnectAcross(element, model, accept);
            else if (isDirectConnectGateway(element)) this.checkDirectConnectGateway(element, accept);
            else if (isSddc(element)) this.checkSddcAcross(element, accept);
            else if (isBlockPublicAccess(element)) this.checkBlockPublicAccessAcross(element, accept);
        }
        this.checkBareNamesStillUnique(model, accept);
    }

    /**
     * A bare gateway or exclusion name (`to vgw`) that another file has since made ambiguous. The
     * linker reports ambiguity when it links (VnetLinker), but after an edit elsewhere this file keeps
     * its links (only the workspace checks re-run), so the ambiguity is reported here; in a fresh build
     * the reference is unresolved and this check says nothing, leaving it to the linker.
     */
    private checkBareNamesStillUnique(model: Model, accept: ValidationAcceptor): void {
        for (const element of model.elements) {
            const refs: Array<{ node: AstNode; property: string; index?: number; ref: Reference }> = [];
            if (isVpnConnection(element) && element.to) refs.push({ node: element, property: 'to', ref: element.to });
            else if (isDirectConnect(element) && element.to) refs.push({ node: element, property: 'to', ref: element.to });
            else if (isDirectConnectGateway(element)) {
                for (const a of element.associations) a.gateways.forEach((ref, index) => refs.push({ node: a, property: 'gateways', index, ref }));
            } else if (isBlockPublicAccess(element)) {
                for (const x of element.exclusions) if (x.target) refs.push({ node: x, property: 'target', ref: x.target });
            }
            for (const { node, property, index, ref } of refs) {
                const text = ref.$refText;
                if (!ref.ref || text.includes('.')) continue;
                const type = this.reflection.getReferenceType({ reference: ref, container: node, property, index });
                const candidates = this.scopes.qualifiedIndex(type).byBareName.get(text);
                if (candidates.length > 1) {
                    accept('error', `'${text}' is ambiguous: it could be ${candidates.map(c => c.name).sort().join(', ')}. Write the qualified name (vpc.name) of the one you mean.`,
                        { node, property: property as never, index, ...withCode(Base.AmbiguousName) });
                }
            }
        }
    }

    /**
     * A peering joins two different VPCs whose CIDR blocks (IPv4 and IPv6) do not overlap at all;
     * at most one peering between two VPCs (§3.7).
     */
    private checkPeering(peering: Peering, all: Peering[], accept: ValidationAcceptor): void {
        const a = peering.requester?.ref;
        const b = peering.accepter?.ref;
        if (!a || !b) return;
        if (a === b) {
            accept('error', `A VPC cannot peer with itself: ${a.name} is both requester and accepter.`,
                { node: peering, property: 'accepter', ...withCode(Codes.PeeringSameVpc) });
            return;
        }
        const first = all.find(p => p !== peering && samePair(p, a, b));
        if (first && all.indexOf(first) < all.indexOf(peering)) {
            accept('error', `VPCs ${a.name} and ${b.name} are already peered by ${first.name} (${where(first, peering)}); two VPCs have at most one peering connection.`,
                { node: peering, property: 'name', ...withCode(Codes.PeeringDuplicate) });
        }
        for (const pa of localCidrsOf(a)) {
            const pb = localCidrsOf(b).find(p => prefixesOverlap(pa, p));
            if (pb) {
                accept('error', `VPCs ${a.name} (${formatPrefix(pa)}) and ${b.name} (${formatPrefix(pb)}) have overlapping CIDR blocks: AWS refuses a peering when any CIDR of either VPC overlaps the other's.`,
                    { node: peering, property: 'name', ...withCode(Codes.PeeringCidrOverlap, { requester: formatPrefix(pa), accepter: formatPrefix(pb) }) });
                return;
            }
        }
    }

    /** Routes of this document's VPCs to peerings and transit gateways (§3.7, §3.8). */
    private checkVpcRoutesAcross(vpc: Vpc, accept: ValidationAcceptor): void {
        for (const table of vpc.members.filter(isRouteTable)) {
            for (const route of table.routes) {
                const target = route.target?.ref;
                if (isPeering(target)) {
                    const ends = [target.requester?.ref, target.accepter?.ref];
                    if (target.pending) {
                        accept('error', `Peering ${target.name} is pending (not accepted): a route to it carries nothing until the accepter accepts it.`,
                            { node: route, property: 'target', ...withCode(Codes.RouteToPendingPeering) });
                    } else if (ends.every(e => e) && !ends.includes(vpc)) {
                        accept('error', `Peering ${target.name} connects ${ends.map(e => e?.name).join(' and ')}, not VPC ${vpc.name}.`,
                            { node: route, property: 'target', ...withCode(Codes.RoutePeeringNotConnected) });
                    }
                } else if (isTransitGateway(target)) {
                    const attached = target.members.filter(isTgwAttachment).some(a => a.vpc?.ref === vpc);
                    if (!attached && vpc.name) { // an unnamed (half-typed) VPC: the parser has said what is missing
                        accept('warning', `Transit gateway ${target.name} has no attachment to VPC ${vpc.name}: this route leads nowhere. Add 'attachment <name> vpc ${vpc.name} subnets ...' to ${target.name}.`,
                            { node: route, property: 'target', ...withCode(Codes.RouteTransitGatewayNotAttached) });
                    }
                }
            }
        }
    }

    /**
     * A rule naming another VPC's group: allowed only across an active peering within one Region;
     * inter-Region peers must use CIDRs (§3.7 "SG references across peering", §3.12).
     */
    private checkSecurityGroupReferencesAcross(vpc: Vpc, peerings: Peering[], accept: ValidationAcceptor): void {
        for (const group of vpc.members.filter(isSecurityGroup)) {
            for (const rule of group.rules) {
                const target = rule.group?.ref;
                const other = target ? vpcOf(target) : undefined;
                if (!target || !other || other === vpc) continue;
                const joining = peerings.filter(p => samePair(p, vpc, other));
                const active = joining.find(p => !p.pending);
                if (!active) {
                    const pending = joining[0];
                    accept('error', pending
                        ? `Peering ${pending.name} between ${vpc.name} and ${other.name} is pending (not accepted): a rule can reference ${other.name}'s group ${target.name} only across an active peering.`
                        : `No peering connects VPCs ${vpc.name} and ${other.name}: a rule can reference another VPC's security group (${other.name}.${target.name}) only across an active peering in the same Region.`,
                        { node: rule, property: 'group', ...withCode(Codes.SecurityGroupReferenceNotPeered) });
                } else if (regionOf(vpc) !== regionOf(other)) {
                    accept('error', `Peering ${active.name} joins ${vpc.name} (${regionOf(vpc)}) and ${other.name} (${regionOf(other)}), two Regions: across an inter-Region peering a rule cannot reference ${other.name}'s group ${target.name}; use its CIDR instead.`,
                        { node: rule, property: 'group', ...withCode(Codes.SecurityGroupReferenceInterRegion) });
                }
            }
        }
    }

    /** VPC attachments: one per VPC, subnets one per AZ (§3.8); VPN and DX gateway attachments match. */
    private checkTransitGatewayAttachments(tgw: TransitGateway, accept: ValidationAcceptor): void {
        const vpcs = new Map<Vpc, TgwAttachment>();
        for (const attachment of tgw.members.filter(isTgwAttachment)) {
            const vpc = attachment.vpc?.ref;
            if (attachment.vpc) {
                if (attachment.subnets.length === 0) {
                    accept('error', `A VPC attachment names its subnets (one per availability zone): add 'subnets <name>, ...'.`,
                        { node: attachment, property: 'name', ...withCode(Codes.TgwAttachmentSubnetsMissing) });
                }
                onePerAz(attachment.subnets, attachment, 'subnets', `A VPC attachment`, Codes.TgwAttachmentSubnetsPerAz, accept);
                if (vpc) {
                    const first = vpcs.get(vpc);
                    if (first) {
                        accept('error', `VPC ${vpc.name} is already attached to ${tgw.name} by ${first.name}; a VPC has one attachment per transit gateway.`,
                            { node: attachment, property: 'vpc', ...withCode(Codes.TgwAttachmentDuplicateVpc) });
                    } else {
                        vpcs.set(vpc, attachment);
                    }
                }
            }
            const vpn = attachment.vpn?.ref;
            if (vpn && vpn.to?.ref && vpn.to.ref !== tgw) {
                accept('error', `VPN ${vpn.name} goes to ${vpn.to.$refText}, not to transit gateway ${tgw.name}.`,
                    { node: attachment, property: 'vpn', ...withCode(Codes.TgwAttachmentVpnMismatch) });
            }
            const dxgw = attachment.directConnectGateway?.ref;
            if (dxgw && !dxgw.associations.some(a => a.gateways.some(g => g.ref === tgw))) {
                accept('warning', `Direct Connect gateway ${dxgw.name} is not associated with ${tgw.name}: add 'associate ${tgw.name}' to it.`,
                    { node: attachment, property: 'directConnectGateway', ...withCode(Codes.TgwAttachmentDxgwNotAssociated) });
            }
        }
    }

    /**
     * A VPN to a virtual private gateway carries traffic back only if a route table of the VPC
     * propagates from that gateway or routes to it (§3.9: routes are the user's job).
     */
    private checkVpnRouteBack(vpn: VpnConnection, accept: ValidationAcceptor): void {
        const vgw = vpn.to?.ref;
        if (!isVpnGateway(vgw)) return;
        const vpc = vpcOf(vgw);
        if (!vpc) return;
        const tables = vpc.members.filter(isRouteTable);
        const used = tables.some(t => t.propagations.some(p => p.gateway?.ref === vgw) || t.routes.some(r => r.target?.ref === vgw));
        if (!used) {
            accept('warning', `No route table of VPC ${vpc.name} propagates from or routes to ${vgw.name}: replies to ${vpn.site?.$refText ?? 'the site'} have no route. Add 'propagate ${vgw.name}' to a route table.`,
                { node: vpn, property: 'to', ...withCode(Codes.VpnNoRouteBack) });
        }
    }

    /**
     * VLANs are unique per site; jumbo frames: 9001 on a private VIF (to a VGW), 8500 on a transit
     * VIF (to a DX gateway), else 1500 (§4, §5.4).
     */
    private checkDirectConnectAcross(dx: DirectConnect, model: Model, accept: ValidationAcceptor): void {
        const site = dx.site?.ref;
        if (site && dx.vlan !== undefined) {
            const clash = model.elements.filter(isDirectConnect).find(o => o !== dx && o.site?.ref === site && o.vlan === dx.vlan);
            if (clash && model.elements.indexOf(clash) < model.elements.indexOf(dx)) {
                accept('error', `VLAN ${dx.vlan} is already used by ${clash.name} from site ${site.name} (line ${lineOf(clash)}).`,
                    { node: dx, property: 'vlan', ...withCode(Codes.DirectConnectVlanDuplicate) });
            }
        }
        if (dx.mtu === undefined) return;
        const target = dx.to?.ref;
        const jumbo = isVpnGateway(target) ? 9001 : isDirectConnectGateway(target) ? 8500 : undefined;
        if (jumbo !== undefined && dx.mtu !== 1500 && dx.mtu !== jumbo) {
            accept('error', `A ${jumbo === 9001 ? 'private' : 'transit'} virtual interface has MTU 1500 or ${jumbo}; ${dx.mtu} is neither.`,
                { node: dx, property: 'mtu', ...withCode(Codes.DirectConnectMtu) });
        }
    }

    /**
     * A Direct Connect gateway associates either virtual private gateways or transit gateways, and
     * the VPCs behind it must not overlap (§3.1, §3.9).
     */
    private checkDirectConnectGateway(dxgw: DirectConnectGateway, accept: ValidationAcceptor): void {
        const refs = dxgw.associations.flatMap(a => a.gateways.map(g => ({ assoc: a, ref: g })));
        const hasVgw = refs.some(r => isVpnGateway(r.ref.ref));
        const hasTgw = refs.some(r => isTransitGateway(r.ref.ref));
        if (hasVgw && hasTgw) {
            accept('error', `A Direct Connect gateway associated with a transit gateway cannot also be associated with virtual private gateways.`,
                { node: dxgw, property: 'name', ...withCode(Codes.DirectConnectGatewayMixed) });
        }
        const seen: Array<{ vpc: Vpc; prefix: Prefix }> = [];
        for (const { assoc, ref } of refs) {
            const vgw = ref.ref;
            if (!isVpnGateway(vgw)) continue;
            const vpc = vpcOf(vgw);
            if (!vpc) continue;
            for (const prefix of localCidrsOf(vpc)) {
                const clash = seen.find(s => s.vpc !== vpc && prefixesOverlap(s.prefix, prefix));
                if (clash) {
                    accept('error', `VPCs behind one Direct Connect gateway must not overlap: ${vpc.name} (${formatPrefix(prefix)}) overlaps ${clash.vpc.name} (${formatPrefix(clash.prefix)}).`,
                        { node: assoc, ...withCode(Codes.DirectConnectGatewayOverlap) });
                }
                seen.push({ vpc, prefix });
            }
        }
    }

    /** SDDC addresses may not overlap the connected VPC (seeds/004: the SDDC's routes go into its main table). */
    private checkSddcAcross(sddc: Sddc, accept: ValidationAcceptor): void {
        const vpc = sddc.members.find(isSddcConnectedVpc)?.vpc?.ref;
        if (!vpc) return;
        const vpcCidrs = localCidrsOf(vpc);
        const parts: Array<{ node: AstNode; what: string; cidr?: string }> = [
            ...sddc.members.filter(isSddcManagement).map(m => ({ node: m as AstNode, what: 'The management CIDR', cidr: m.cidr })),
            ...sddc.members.filter(isSddcSegment).map(s => ({ node: s as AstNode, what: `Segment ${s.name}`, cidr: s.cidr })),
        ];
        for (const part of parts) {
            const prefix = readCidr(part.cidr ?? '').value;
            const clash = prefix && vpcCidrs.find(c => prefixesOverlap(c, prefix));
            if (prefix && clash) {
                accept('error', `${part.what} (${formatPrefix(prefix)}) overlaps ${formatPrefix(clash)} of the connected VPC ${vpc.name}: the SDDC's routes in ${vpc.name}'s main route table would conflict with its local route.`,
                    { node: part.node, property: 'cidr' as never, ...withCode(Codes.SddcCidrOverlap) });
            }
        }
    }

    /** One Block Public Access setting per region; exclusions name VPCs of that region (§3.15). */
    private checkBlockPublicAccessAcross(bpa: BlockPublicAccess, accept: ValidationAcceptor): void {
        for (const exclusion of bpa.exclusions) {
            const target = exclusion.target?.ref;
            const vpc = isVpc(target) ? target : target ? vpcOf(target) : undefined;
            if (vpc && bpa.region && regionOf(vpc) !== bpa.region) {
                accept('warning', `VPC ${vpc.name} is in ${regionOf(vpc)}, not ${bpa.region}: this exclusion has no effect.`,
                    { node: exclusion, property: 'target', ...withCode(Codes.BlockPublicAccessExclusionRegion) });
            }
        }
    }

    /** Endpoint kinds match their service's load balancer: interface → network, gwlb → gateway (§3.11). */
    checkEndpointServices(model: Model, accept: ValidationAcceptor): void {
        for (const vpc of model.elements.filter(isVpc)) {
            for (const member of vpc.members) {
                if (isInterfaceEndpoint(member)) this.endpointKind(member, 'network', accept);
                else if (isGwlbEndpoint(member)) this.endpointKind(member, 'gateway', accept);
            }
        }
        const regions = new Map<string, BlockPublicAccess>();
        for (const bpa of this.allOf('block-public-access', isBlockPublicAccess)) {
            if (bpa.region && !regions.has(bpa.region)) regions.set(bpa.region, bpa);
        }
        for (const bpa of model.elements.filter(isBlockPublicAccess)) {
            const first = bpa.region ? regions.get(bpa.region) : undefined;
            if (first && first !== bpa) {
                accept('error', `Block Public Access is already set for ${bpa.region} (${where(first, bpa)}); a region has one setting.`,
                    { node: bpa, property: 'region', ...withCode(Codes.BlockPublicAccessDuplicate) });
            }
        }
    }

    private endpointKind(endpoint: InterfaceEndpoint | GwlbEndpoint, type: 'network' | 'gateway', accept: ValidationAcceptor): void {
        const lb = endpoint.service?.ref?.loadBalancer?.ref;
        if (lb && lb.type !== type) {
            accept('error', type === 'network'
                ? `Endpoint service ${endpoint.service?.$refText} fronts gateway load balancer ${lb.name}: reach it with a gwlb-endpoint, not an interface endpoint.`
                : `Endpoint service ${endpoint.service?.$refText} fronts network load balancer ${lb.name}: reach it with an interface-endpoint, not a gwlb-endpoint.`,
                { node: endpoint, property: 'service', ...withCode(Codes.EndpointServiceKind) });
        }
    }
}

function samePair(p: Peering, a: Vpc, b: Vpc): boolean {
    const x = p.requester?.ref;
    const y = p.accepter?.ref;
    return (x === a && y === b) || (x === b && y === a);
}

/** The route table of a subnet: its explicit one, else the VPC's main table. */
export function routeTableOf(vpc: Vpc, subnet: Subnet): RouteTable | undefined {
    const explicit = subnet.members.find(isSubnetRouteTable)?.routeTable?.ref;
    return explicit ?? vpc.members.filter(isRouteTable).find(t => t.main);
}
