/**
 * Validation of .vnet documents: the configuration AWS would refuse, values that are malformed,
 * quotas, and (through the analysis service) every expectation the engine finds does not hold.
 *
 * Every diagnostic carries its code twice: in `data.code` (what quick fixes and langium/test key
 * on) and as the LSP `code` (what editors and the CLI show). Rules cite their source in
 * ../shared/reference/aws-data-plane.md.
 */
import { AstUtils, WorkspaceCache, type AstNode, type Properties, type LangiumDocuments, type ValidationAcceptor, type ValidationChecks, type DiagnosticInfo } from 'langium';
import {
    isHost, isInstance, isInstancePublicIp, isInstanceSecurityGroups, isInstanceSourceDestCheck,
    isInternet, isInternetGateway, isModel, isRouteTable, isSubnet, isSubnetNetworkAcl, isSubnetRouteTable,
    isVpc, isVpcAccount, isVpcCidr, isVpcRegion,
    isEgressOnlyInternetGateway, isGatewayEndpoint, isGwlbEndpoint, isNatGateway, isPeering, isSubnetIpv6,
    isTransitGateway, isVpcIpv6, isVpnGateway, isSite, isCustomerGateway, isSddcSegment,
    type NatGateway, type CustomerGateway, type SubnetMapping, isLoadBalancer, isSubnetMapping,
    type Endpoint, type Expectation, type Host, type Instance, type InstancePublicIp, type Model, type NetworkAcl, type NetworkAclRule,
    type PortSpec, type Route, type RouteTable, type SecurityGroup, type SecurityGroupRule, type Subnet,
    type VnetAstType, type Vpc,
} from './generated/ast.js';
import {
    formatPrefix, isCanonical, isPublic, parsePrefix, prefixContains, prefixCovers, prefixesOverlap, reservedRole,
    formatIp, type IpAddress, type Prefix,
} from '../engine/ip.js';
import { DEFAULT_REGION } from '../engine/model.js';
import { MAX_PORT, readAddress, readCidr, readPorts, type Families } from './vnet-values.js';
import { hostKind, namedElementsOf, vpcOf } from './vnet-scope.js';
import type { VnetServices } from './vnet-module.js';
import { WorkspaceCategory } from './vnet-validation-categories.js';

/** Diagnostic codes. Engine findings use the explanation code the engine gives (e.g. SUBNET_ACL_RESTRICTION). */
export namespace IssueCodes {
    export const InvalidAddress = 'INVALID_ADDRESS';
    export const InvalidCidr = 'INVALID_CIDR';
    export const CidrNotCanonical = 'CIDR_NOT_CANONICAL';
    export const VpcCidrMissing = 'VPC_CIDR_MISSING';
    export const VpcCidrSize = 'VPC_CIDR_SIZE';
    export const VpcCidrLinkLocal = 'VPC_CIDR_LINK_LOCAL';
    export const VpcCidrOverlap = 'VPC_CIDR_OVERLAP';
    export const VpcCidrRestricted = 'VPC_CIDR_RESTRICTED';
    export const SubnetCidrOutsideVpc = 'SUBNET_CIDR_OUTSIDE_VPC';
    export const SubnetCidrSize = 'SUBNET_CIDR_SIZE';
    export const SubnetCidrOverlap = 'SUBNET_CIDR_OVERLAP';
    export const AzNotInRegion = 'AZ_NOT_IN_REGION';
    export const InstanceIpOutsideSubnet = 'INSTANCE_IP_OUTSIDE_SUBNET';
    export const InstanceIpReserved = 'INSTANCE_IP_RESERVED';
    export const DuplicateAddress = 'DUPLICATE_ADDRESS';
    export const PublicIpNotPublic = 'PUBLIC_IP_NOT_PUBLIC';
    export const PublicIpWithoutInternetGateway = 'PUBLIC_IP_WITHOUT_INTERNET_GATEWAY';
    export const HostIpNotPublic = 'HOST_IP_NOT_PUBLIC';
    export const DuplicateName = 'DUPLICATE_NAME';
    export const DuplicateSetting = 'DUPLICATE_SETTING';
    export const AccountIdFormat = 'ACCOUNT_ID_FORMAT';
    export const MultipleInternetGateways = 'MULTIPLE_INTERNET_GATEWAYS';
    export const MultipleMainRouteTables = 'MULTIPLE_MAIN_ROUTE_TABLES';
    export const DuplicateRoute = 'DUPLICATE_ROUTE';
    export const RouteTargetKind = 'ROUTE_TARGET_KIND';
    export const RouteMoreSpecificThanLocal = 'ROUTE_MORE_SPECIFIC_THAN_LOCAL';
    export const RouteReservedRange = 'ROUTE_RESERVED_RANGE';
    export const RouteTargetSourceDestCheck = 'ROUTE_TARGET_SOURCE_DEST_CHECK';
    export const NaclRuleNumber = 'NACL_RULE_NUMBER';
    export const DuplicateNaclRuleNumber = 'DUPLICATE_NACL_RULE_NUMBER';
    export const WrongPreposition = 'WRONG_PREPOSITION';
    export const PortOutOfRange = 'PORT_OUT_OF_RANGE';
    export const PortRangeReversed = 'PORT_RANGE_REVERSED';
    export const PortsNotAllowed = 'PORTS_NOT_ALLOWED';
    export const PortMissing = 'PORT_MISSING';
    export const QuotaSecurityGroupRules = 'QUOTA_SECURITY_GROUP_RULES';
    export const QuotaNetworkAclRules = 'QUOTA_NETWORK_ACL_RULES';
    export const QuotaRoutes = 'QUOTA_ROUTES';
    export const QuotaSecurityGroupsPerInterface = 'QUOTA_SECURITY_GROUPS_PER_INTERFACE';
    export const AmbiguousName = 'AMBIGUOUS_NAME';
    // Routes (issues 3 and 4)
    export const UnknownPrefixList = 'UNKNOWN_PREFIX_LIST';
    export const RouteGatewayEndpointDestination = 'ROUTE_GATEWAY_ENDPOINT_DESTINATION';
    export const RouteFamilyMismatch = 'ROUTE_FAMILY_MISMATCH';
    export const GatewayRouteTableMain = 'GATEWAY_ROUTE_TABLE_MAIN';
    export const GatewayRouteTablePropagation = 'GATEWAY_ROUTE_TABLE_PROPAGATION';
    export const GatewayRouteTableDestination = 'GATEWAY_ROUTE_TABLE_DESTINATION';
    export const GatewayRouteTableTarget = 'GATEWAY_ROUTE_TABLE_TARGET';
    /** An expectation that does not hold, when the engine gave no explanation code. */
    export const ExpectationNotMet = 'EXPECTATION_NOT_MET';
}

/** `data.code` and the LSP `code` of a diagnostic. */
export function withCode(code: string, extra: Record<string, unknown> = {}): Pick<DiagnosticInfo<AstNode>, 'code' | 'data'> {
    return { code, data: { code, ...extra } };
}

// Quotas (aws-data-plane.md §6, defaults).
const MAX_RULES_PER_SECURITY_GROUP = 60;
const MAX_RULES_PER_NETWORK_ACL = 20;
const MAX_ROUTES_PER_TABLE = 50;
const MAX_SECURITY_GROUPS_PER_INTERFACE = 5;

const LINK_LOCAL = parsePrefix('169.254.0.0/16')!;
// No route may equal or be inside 169.254.168.0/22 (IMDS, Amazon DNS): aws-data-plane.md §3.1.
const RESERVED_ROUTE_RANGE = parsePrefix('169.254.168.0/22')!;
const RESERVED_ROUTE_RANGE_V6 = parsePrefix('fd00:ec2::/32')!;
// NAT64 well-known prefix: the only IPv6 destinations a NAT gateway translates (aws-data-plane.md §3.6).
const NAT64_PREFIX = parsePrefix('64:ff9b::/96')!;
const TEN = parsePrefix('10.0.0.0/8')!;
const ONE_SEVEN_TWO = parsePrefix('172.16.0.0/12')!;
const ONE_NINE_TWO = parsePrefix('192.168.0.0/16')!;
const ONE_NINE_EIGHT = parsePrefix('198.19.0.0/16')!;
const ONE_SEVEN_TWO_THIRTY_ONE = parsePrefix('172.31.0.0/16')!;
const RFC1918 = [TEN, ONE_SEVEN_TWO, ONE_NINE_TWO];

/**
 * Ranges a secondary VPC CIDR may not come from, given the primary CIDR (aws-data-plane.md §3.1,
 * "Range-mixing restrictions"). 100.64.0.0/10 and public ranges are always allowed.
 */
function restrictedSecondaryRanges(primary: Prefix): Prefix[] {
    if (prefixCovers(TEN, primary)) return [ONE_SEVEN_TWO, ONE_NINE_TWO, ONE_NINE_EIGHT];
    if (prefixCovers(ONE_SEVEN_TWO, primary)) return [TEN, ONE_NINE_TWO, ONE_SEVEN_TWO_THIRTY_ONE, ONE_NINE_EIGHT];
    if (prefixCovers(ONE_NINE_TWO, primary)) return [TEN, ONE_SEVEN_TWO, ONE_NINE_EIGHT];
    if (prefixCovers(ONE_NINE_EIGHT, primary)) return RFC1918;
    return [...RFC1918, ONE_NINE_EIGHT];
}

/** Elements a route may lead to (aws-data-plane.md §3.2). */
export function isRouteTargetKind(node: AstNode): boolean {
    return isInternetGateway(node) || isInstance(node) || isNatGateway(node) || isVpnGateway(node)
        || isEgressOnlyInternetGateway(node) || isGatewayEndpoint(node) || isGwlbEndpoint(node)
        || isPeering(node) || isTransitGateway(node);
}

/** The CIDR blocks (IPv4 and IPv6) of a VPC: each has its local route. */
export function localCidrsOf(vpc: Vpc): Prefix[] {
    return [
        ...vpc.members.filter(isVpcCidr).map(c => readCidr(c.cidr ?? '').value),
        ...vpc.members.filter(isVpcIpv6).map(c => readCidr(c.cidr ?? '', 'ipv6').value),
    ].filter((p): p is Prefix => !!p);
}

/** The CIDR blocks (IPv4 and IPv6) of a VPC's subnets. */
export function subnetCidrsOf(vpc: Vpc): Prefix[] {
    return vpc.members.filter(isSubnet).flatMap(s => [
        readCidr(s.cidr ?? '').value,
        ...s.members.filter(isSubnetIpv6).map(c => readCidr(c.cidr ?? '', 'ipv6').value),
    ]).filter((p): p is Prefix => !!p);
}

export function kindOf(node: AstNode): string {
    switch (node.$type) {
        case 'VpnGateway': return 'virtual private gateway';
        case 'EgressOnlyInternetGateway': return 'egress-only internet gateway';
        case 'NatGateway': return 'NAT gateway';
        case 'GatewayEndpoint': return 'gateway endpoint';
        case 'InterfaceEndpoint': return 'interface endpoint';
        case 'GwlbEndpoint': return 'gateway load balancer endpoint';
        case 'LoadBalancer': return 'load balancer';
        case 'Peering': return 'peering connection';
        case 'TransitGateway': return 'transit gateway';
        case 'Site': return 'site';
        case 'VpnConnection': return 'VPN';
        case 'DirectConnect': return 'Direct Connect virtual interface';
        case 'DirectConnectGateway': return 'Direct Connect gateway';
        case 'Sddc': return 'SDDC';
        case 'EndpointService': return 'endpoint service';
        case 'TgwAttachment': return 'attachment';
        case 'TgwRouteTable': return 'route table';
        case 'InternetGateway': return 'internet gateway';
        case 'Subnet': return 'subnet';
        case 'Instance': return 'instance';
        case 'RouteTable': return 'route table';
        case 'SecurityGroup': return 'security group';
        case 'NetworkAcl': return 'network ACL';
        case 'Vpc': return 'VPC';
        case 'Host': return hostKind(node as Host);
        default: return node.$type;
    }
}

/** "a subnet", "an instance", "an internet gateway". */
export function aKind(node: AstNode): string {
    const kind = kindOf(node);
    return /^[aeiou]/i.test(kind) ? `an ${kind}` : `a ${kind}`;
}

export function lineOf(node: AstNode): number {
    return (node.$cstNode?.range.start.line ?? 0) + 1;
}

export function where(node: AstNode, from: AstNode): string {
    const doc = AstUtils.getDocument(node);
    const same = doc === AstUtils.getDocument(from);
    const file = same ? '' : `${doc.uri.path.split('/').pop()}:`;
    return `${file}${lineOf(node)}`;
}

/** Reports a malformed CIDR or a CIDR with host bits set; returns the prefix when usable. */
export function validCidr<N extends AstNode>(node: N, property: Properties<N>, text: string | undefined, accept: ValidationAcceptor, families: Families = 'ipv4', index?: number): Prefix | undefined {
    if (text === undefined) return undefined;
    const read = readCidr(text, families);
    if (read.problem !== undefined) {
        accept('error', read.problem, { node, property, index, ...withCode(IssueCodes.InvalidCidr) });
        return undefined;
    }
    if (!isCanonical(text)) {
        const canonical = formatPrefix(read.value);
        accept('warning', `${text} has host bits set; AWS reads it as ${canonical}.`,
            { node, property, index, ...withCode(IssueCodes.CidrNotCanonical, { canonical }) });
    }
    return read.value;
}

/** Reports a malformed address; returns it when usable. */
export function validAddress<N extends AstNode>(node: N, property: Properties<N>, text: string | undefined, accept: ValidationAcceptor, families: Families = 'ipv4'): IpAddress | undefined {
    if (text === undefined) return undefined;
    const read = readAddress(text, families);
    if (read.problem !== undefined) {
        accept('error', read.problem, { node, property, ...withCode(IssueCodes.InvalidAddress) });
        return undefined;
    }
    return read.value;
}

export function registerValidationChecks(services: VnetServices): void {
    const registry = services.validation.ValidationRegistry;
    const validator = services.validation.VnetValidator;
    const networks = services.validation.NetworkValidator;
    // Checks that read other documents: re-run in every document after any edit (WorkspaceCategory).
    const workspaceChecks: ValidationChecks<VnetAstType> = {
        Model: [validator.checkTopLevelNames, validator.checkPublicAddresses, validator.checkExpectationResults],
    };
    registry.register(workspaceChecks, validator, WorkspaceCategory);
    // Issues 3 and 4: the rules that follow references into other documents (peered VPCs, attachment
    // subnets, the SDDC's VPC, endpoint services), as Model checks so they run with the category alone.
    registry.register<VnetAstType>({ Model: [networks.checkBetweenNetworks, networks.checkEndpointServices] }, networks, WorkspaceCategory);
    // Checks that read only their own document: re-run only when it is rebuilt.
    const checks: ValidationChecks<VnetAstType> = {
        Vpc: validator.checkVpc,
        Subnet: validator.checkSubnet,
        Instance: validator.checkInstance,
        RouteTable: validator.checkRouteTable,
        SecurityGroup: validator.checkSecurityGroup,
        SecurityGroupRule: validator.checkSecurityGroupRule,
        NetworkAcl: validator.checkNetworkAcl,
        NetworkAclRule: validator.checkNetworkAclRule,
        Host: validator.checkHost,
        Expectation: validator.checkExpectation,
    };
    registry.register(checks, validator);
    const networkChecks: ValidationChecks<VnetAstType> = {
        Vpc: networks.checkVpcEdges,
        NatGateway: networks.checkNatGateway,
        GatewayEndpoint: networks.checkGatewayEndpoint,
        InterfaceEndpoint: networks.checkInterfaceEndpoint,
        LoadBalancer: networks.checkLoadBalancer,
        TransitGateway: networks.checkTransitGateway,
        Site: networks.checkSite,
        VpnConnection: networks.checkVpn,
        DirectConnect: networks.checkDirectConnect,
        Sddc: networks.checkSddc,
        EndpointService: networks.checkEndpointService,
        BlockPublicAccess: networks.checkBlockPublicAccess,
        Expectation: networks.checkExpectationSize,
    };
    registry.register(networkChecks, networks);
    // The rest of issue 4: dual stack, declared node addresses, zones and families.
    const dualStack = services.validation.DualStackValidator;
    registry.register<VnetAstType>({ Model: dualStack.checkAcrossDocuments }, dualStack, WorkspaceCategory);
    registry.register<VnetAstType>({
        Vpc: dualStack.checkVpcAddresses,
        LoadBalancer: dualStack.checkLoadBalancer,
        InterfaceEndpoint: dualStack.checkInterfaceEndpoint,
        GwlbEndpoint: dualStack.checkGwlbEndpoint,
        GatewayEndpoint: dualStack.checkGatewayEndpoint,
        EndpointService: dualStack.checkEndpointService,
    }, dualStack);
    // Site routes and IPv6 on premises (VPN tunnel-inside, Direct Connect IPv6, IPv6 routes to gateways).
    const sites = services.validation.SiteValidator;
    registry.register<VnetAstType>({ Model: sites.checkAcrossDocuments }, sites, WorkspaceCategory);
    registry.register<VnetAstType>({
        Site: sites.checkSiteRoutes,
        VpnConnection: sites.checkVpnFamily,
        GatewayEndpoint: sites.checkGatewayEndpointIpv6,
        Expectation: sites.checkExpectationDynamoDb,
    }, sites);
    // Clauses written in any order, each once (vnet-clause-validator.ts).
    const clauses = services.validation.ClauseValidator;
    registry.register<VnetAstType>({
        TgwAttachment: clauses.checkTgwAttachment,
        VpnConnection: clauses.checkVpn,
        DirectConnect: clauses.checkDirectConnect,
        LoadBalancer: clauses.checkLoadBalancer,
        InterfaceEndpoint: clauses.checkInterfaceEndpoint,
        GwlbEndpoint: clauses.checkGwlbEndpoint,
        GatewayEndpoint: clauses.checkGatewayEndpoint,
    }, clauses);
}

export class VnetValidator {
    private readonly documents: LangiumDocuments;
    /** Workspace-wide indexes, computed once per build rather than once per document. */
    private readonly workspaceCache: WorkspaceCache<string, unknown>;

    constructor(private readonly services: VnetServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
        this.workspaceCache = new WorkspaceCache(services.shared);
    }

    // ---------------------------------------------------------------------------------------------
    // Values

    /** Reports a malformed CIDR or a CIDR with host bits set; returns the prefix when usable. */
    private cidr<N extends AstNode>(node: N, property: Properties<N>, text: string | undefined, accept: ValidationAcceptor, families: Families = 'ipv4'): Prefix | undefined {
        return validCidr(node, property, text, accept, families);
    }

    private address<N extends AstNode>(node: N, property: Properties<N>, text: string | undefined, accept: ValidationAcceptor, families: Families = 'ipv4'): IpAddress | undefined {
        return validAddress(node, property, text, accept, families);
    }

    private ports<N extends AstNode>(node: N, property: Properties<N>, spec: PortSpec | undefined, protocol: string | undefined, accept: ValidationAcceptor, required: boolean): void {
        const portless = protocol === 'icmp' || protocol === 'all';
        if (!spec) {
            if (required && !portless && protocol) {
                accept('error', `A ${protocol} rule needs a port or a port range (e.g. ${protocol} 443 or ${protocol} 1024-65535).`,
                    { node, property: 'protocol' as Properties<N>, ...withCode(IssueCodes.PortMissing) });
            }
            return;
        }
        if (portless) {
            accept('error', `Ports apply to tcp and udp only; remove the ports after '${protocol}'.`,
                { node, property, ...withCode(IssueCodes.PortsNotAllowed) });
            return;
        }
        const ports = readPorts(spec.single, spec.range);
        if (!ports) return;
        for (const p of [ports.from, ports.to]) {
            if (p > MAX_PORT) {
                accept('error', `Port ${p} is out of range: ports are 0-${MAX_PORT}.`, { node, property, ...withCode(IssueCodes.PortOutOfRange) });
                return;
            }
        }
        if (ports.from > ports.to) {
            accept('error', `The port range ${ports.from}-${ports.to} is reversed; write ${ports.to}-${ports.from}.`,
                { node, property, ...withCode(IssueCodes.PortRangeReversed, { replacement: `${ports.to}-${ports.from}` }) });
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Workspace-wide

    /** VPC names and internet host names are unique in the workspace (vnet-language.md, Names). */
    checkTopLevelNames(model: Model, accept: ValidationAcceptor): void {
        const all = this.topLevelNamed();
        const mine = topLevelNodes(model);
        for (const node of mine) {
            if (!node.name) continue;
            const others = (all.get(node.name) ?? []).filter(o => o !== node);
            if (others.length > 0) {
                const other = others[0];
                accept('error', `Duplicate name '${node.name}': ${aKind(other)} of that name is declared at ${where(other, node)}. VPC and internet host names are unique in the workspace${isVpc(node) || isHost(node) ? '' : ', as are the names of the other top-level elements (peerings, transit gateways, sites, VPNs, Direct Connect, SDDCs, endpoint services)'}.`,
                    { node, property: 'name', ...withCode(IssueCodes.DuplicateName) });
            }
        }
    }

    private topLevelNamed(): Map<string, TopLevelNamed[]> {
        return this.workspaceCache.get('top-level-names', () => this.collectTopLevelNamed()) as Map<string, TopLevelNamed[]>;
    }

    private collectTopLevelNamed(): Map<string, TopLevelNamed[]> {
        const byName = new Map<string, TopLevelNamed[]>();
        for (const doc of this.documents.all) {
            const root = doc.parseResult.value;
            if (!isModel(root)) continue;
            {
                for (const n of topLevelNodes(root)) {
                    if (!n.name) continue;
                    const list = byName.get(n.name) ?? [];
                    list.push(n);
                    byName.set(n.name, list);
                }
            }
        }
        return byName;
    }

    /**
     * A public address belongs to one owner (an instance, an internet host, a NAT gateway's Elastic
     * IP, a customer gateway): two owners make every path to it ambiguous.
     * (Private addresses are checked per VPC in checkVpc: VPCs may reuse each other's ranges.)
     */
    checkPublicAddresses(model: Model, accept: ValidationAcceptor): void {
        const owners = this.publicAddressOwners();
        for (const node of publicAddressNodes(model)) {
            const ip = readAddress(publicAddressText(node) ?? '', publicAddressFamilies(node)).value;
            if (!ip) continue;
            const list = owners.get(formatIp(ip)) ?? [];
            if (list.length > 1 && list[0] !== node) {
                const first = list[0];
                accept('error', `The public address ${formatIp(ip)} is already used by ${publicAddressOwner(first)} (line ${where(first, node)}).`,
                    { node, property: (isNatGateway(node) || isSubnetMapping(node) ? 'publicIp' : 'ip') as never, ...withCode(IssueCodes.DuplicateAddress) });
            }
        }
    }

    /** Public address → the nodes declaring it, across the workspace (once per build). */
    private publicAddressOwners(): Map<string, PublicAddressNode[]> {
        return this.workspaceCache.get('public-addresses', () => {
            const owners = new Map<string, PublicAddressNode[]>();
            for (const doc of this.documents.all) {
                const root = doc.parseResult.value;
                if (!isModel(root)) continue;
                for (const node of publicAddressNodes(root)) {
                    const ip = readAddress(publicAddressText(node) ?? '', publicAddressFamilies(node)).value;
                    if (!ip) continue;
                    const key = formatIp(ip);
                    owners.set(key, [...(owners.get(key) ?? []), node]);
                }
            }
            return owners;
        }) as Map<string, PublicAddressNode[]>;
    }

    /** Reports every expectation of this document the engine finds does not hold. */
    checkExpectationResults(model: Model, accept: ValidationAcceptor): void {
        this.services.analysis.Analyzer.reportExpectations(model, accept);
    }

    // ---------------------------------------------------------------------------------------------
    // VPC

    checkVpc(vpc: Vpc, accept: ValidationAcceptor): void {
        if (!vpc.name) return; // a parse error already says the name is missing
        this.checkVpcNames(vpc, accept);
        this.checkVpcSettings(vpc, accept);
        const cidrs = this.checkVpcCidrs(vpc, accept);
        const igws = vpc.members.filter(isInternetGateway);
        for (const extra of igws.slice(1)) {
            accept('error', `A VPC has at most one internet gateway; ${vpc.name} already has ${igws[0].name}.`,
                { node: extra, property: 'name', ...withCode(IssueCodes.MultipleInternetGateways) });
        }
        const mains = vpc.members.filter(isRouteTable).filter(t => t.main);
        for (const extra of mains.slice(1)) {
            accept('error', `A VPC has one main route table; ${mains[0].name} is already main.`,
                { node: extra, property: 'main', ...withCode(IssueCodes.MultipleMainRouteTables) });
        }
        this.checkSubnetsOfVpc(vpc, cidrs, accept);
        this.checkAddressesOfVpc(vpc, igws.length > 0, accept);
    }

    /** Names inside a VPC are unique across all kinds (vnet-language.md, Names). */
    private checkVpcNames(vpc: Vpc, accept: ValidationAcceptor): void {
        const seen = new Map<string, AstNode>();
        for (const element of namedElementsOf(vpc)) {
            const first = seen.get(element.name);
            if (first) {
                accept('error', `Duplicate name '${element.name}' in VPC ${vpc.name}: the ${kindOf(first)} at line ${lineOf(first)} already has it. Names in a VPC are unique across all kinds.`,
                    { node: element, property: 'name', ...withCode(IssueCodes.DuplicateName) });
            } else {
                seen.set(element.name, element);
            }
        }
    }

    private checkVpcSettings(vpc: Vpc, accept: ValidationAcceptor): void {
        for (const guard of [isVpcRegion, isVpcAccount]) {
            const settings = vpc.members.filter(guard);
            for (const extra of settings.slice(1)) {
                accept('error', `${isVpcRegion(extra) ? 'region' : 'account'} is set twice in VPC ${vpc.name}.`,
                    { node: extra, ...withCode(IssueCodes.DuplicateSetting) });
            }
        }
        for (const account of vpc.members.filter(isVpcAccount)) {
            const text = account.$cstNode?.text.replace(/^account\s*/, '') ?? '';
            if (!/^\d{12}$/.test(text)) {
                accept('error', `An AWS account ID has 12 digits; '${text}' has ${text.length}.`,
                    { node: account, property: 'account', ...withCode(IssueCodes.AccountIdFormat) });
            }
        }
    }

    private checkVpcCidrs(vpc: Vpc, accept: ValidationAcceptor): Prefix[] {
        const blocks = vpc.members.filter(isVpcCidr);
        if (blocks.length === 0) {
            accept('error', `VPC ${vpc.name} has no CIDR block; add one, e.g. 'cidr 10.0.0.0/16'.`,
                { node: vpc, property: 'name', ...withCode(IssueCodes.VpcCidrMissing) });
        }
        const accepted: Array<{ node: AstNode; prefix: Prefix }> = [];
        for (const block of blocks) {
            const prefix = this.cidr(block, 'cidr', block.cidr, accept);
            if (!prefix) continue;
            // VPC IPv4 CIDRs are /16 to /28 (aws-data-plane.md §3.1).
            if (prefix.length < 16 || prefix.length > 28) {
                accept('error', `A VPC CIDR block is between /16 and /28; ${block.cidr} is /${prefix.length}.`,
                    { node: block, property: 'cidr', ...withCode(IssueCodes.VpcCidrSize) });
            }
            if (prefixesOverlap(prefix, LINK_LOCAL)) {
                accept('error', `169.254.0.0/16 (link-local) can never be a VPC CIDR block.`,
                    { node: block, property: 'cidr', ...withCode(IssueCodes.VpcCidrLinkLocal) });
                continue;
            }
            const clash = accepted.find(a => prefixesOverlap(a.prefix, prefix));
            if (clash) {
                accept('error', `${block.cidr} overlaps ${formatPrefix(clash.prefix)}, already a CIDR block of VPC ${vpc.name}.`,
                    { node: block, property: 'cidr', ...withCode(IssueCodes.VpcCidrOverlap) });
                continue;
            }
            if (accepted.length > 0) {
                const primary = accepted[0].prefix;
                const banned = restrictedSecondaryRanges(primary).find(r => prefixesOverlap(r, prefix));
                if (banned) {
                    accept('error', `AWS does not accept ${formatPrefix(prefix)} as a secondary CIDR block of a VPC whose primary block is ${formatPrefix(primary)} (no addresses from ${formatPrefix(banned)}).`,
                        { node: block, property: 'cidr', ...withCode(IssueCodes.VpcCidrRestricted) });
                }
            }
            accepted.push({ node: block, prefix });
        }
        return accepted.map(a => a.prefix);
    }

    private checkSubnetsOfVpc(vpc: Vpc, vpcCidrs: Prefix[], accept: ValidationAcceptor): void {
        const region = vpc.members.filter(isVpcRegion)[0]?.region ?? DEFAULT_REGION;
        const placed: Array<{ subnet: Subnet; prefix: Prefix }> = [];
        for (const subnet of vpc.members.filter(isSubnet)) {
            if (subnet.az && !azInRegion(subnet.az, region)) {
                accept('error', `Availability zone ${subnet.az} is not in ${region}, the region of VPC ${vpc.name}.`,
                    { node: subnet, property: 'az', ...withCode(IssueCodes.AzNotInRegion) });
            }
            const prefix = readCidr(subnet.cidr ?? '').value;
            if (!prefix) continue;
            if (vpcCidrs.length > 0 && !vpcCidrs.some(c => prefixCovers(c, prefix))) {
                accept('error', `Subnet ${subnet.name} (${formatPrefix(prefix)}) is not inside any CIDR block of VPC ${vpc.name} (${vpcCidrs.map(formatPrefix).join(', ')}).`,
                    { node: subnet, property: 'cidr', ...withCode(IssueCodes.SubnetCidrOutsideVpc) });
            }
            const clash = placed.find(p => prefixesOverlap(p.prefix, prefix));
            if (clash) {
                accept('error', `Subnet ${subnet.name} (${formatPrefix(prefix)}) overlaps subnet ${clash.subnet.name} (${formatPrefix(clash.prefix)}).`,
                    { node: subnet, property: 'cidr', ...withCode(IssueCodes.SubnetCidrOverlap) });
            } else {
                placed.push({ subnet, prefix });
            }
        }
    }

    private checkAddressesOfVpc(vpc: Vpc, hasIgw: boolean, accept: ValidationAcceptor): void {
        const owners = new Map<string, Instance>();
        for (const subnet of vpc.members.filter(isSubnet)) {
            for (const instance of subnet.members.filter(isInstance)) {
                const ip = readAddress(instance.privateIp ?? '').value;
                if (ip) {
                    const key = formatIp(ip);
                    const first = owners.get(key);
                    if (first) {
                        accept('error', `${key} is already the address of instance ${first.name} (line ${lineOf(first)}); a private address belongs to one interface in a VPC.`,
                            { node: instance, property: 'privateIp', ...withCode(IssueCodes.DuplicateAddress) });
                    } else {
                        owners.set(key, instance);
                    }
                }
                if (!hasIgw) {
                    for (const pub of instance.members.filter(isInstancePublicIp)) {
                        // vnet-language.md: a warning; the address still belongs to the instance.
                        accept('warning', `VPC ${vpc.name} has no internet gateway: AWS does not assign a public address to an instance in it, and the internet cannot reach ${pub.ip}.`,
                            { node: pub, property: 'ip', ...withCode(IssueCodes.PublicIpWithoutInternetGateway) });
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Subnets and instances

    checkSubnet(subnet: Subnet, accept: ValidationAcceptor): void {
        const prefix = this.cidr(subnet, 'cidr', subnet.cidr, accept);
        // Subnet IPv4 CIDRs are /16 to /28 (aws-data-plane.md §3.1).
        if (prefix && (prefix.length < 16 || prefix.length > 28)) {
            accept('error', `A subnet CIDR block is between /16 and /28; ${subnet.cidr} is /${prefix.length}.`,
                { node: subnet, property: 'cidr', ...withCode(IssueCodes.SubnetCidrSize) });
        }
        for (const guard of [isSubnetRouteTable, isSubnetNetworkAcl]) {
            const settings = subnet.members.filter(guard);
            for (const extra of settings.slice(1)) {
                accept('error', `A subnet is associated with one ${isSubnetRouteTable(extra) ? 'route table' : 'network ACL'}; this is the second.`,
                    { node: extra, ...withCode(IssueCodes.DuplicateSetting) });
            }
        }
    }

    checkInstance(instance: Instance, accept: ValidationAcceptor): void {
        const ip = this.address(instance, 'privateIp', instance.privateIp, accept);
        const subnetPrefix = readCidr(instance.$container.cidr ?? '').value;
        if (ip && subnetPrefix) {
            if (!prefixContains(subnetPrefix, ip)) {
                accept('error', `${formatIp(ip)} is not in subnet ${instance.$container.name} (${formatPrefix(subnetPrefix)}).`,
                    { node: instance, property: 'privateIp', ...withCode(IssueCodes.InstanceIpOutsideSubnet) });
            } else {
                // The first four and the last address of a subnet are reserved (aws-data-plane.md §3.1).
                const role = reservedRole(subnetPrefix, ip);
                if (role) {
                    accept('error', `${formatIp(ip)} is reserved by AWS in subnet ${instance.$container.name}: ${role}. Instances can use ${firstUsable(subnetPrefix)} to ${lastUsable(subnetPrefix)}.`,
                        { node: instance, property: 'privateIp', ...withCode(IssueCodes.InstanceIpReserved, { role }) });
                }
            }
        }
        for (const guard of [isInstancePublicIp, isInstanceSecurityGroups, isInstanceSourceDestCheck]) {
            for (const extra of instance.members.filter(guard).slice(1)) {
                accept('error', `This setting is given twice for instance ${instance.name}.`, { node: extra, ...withCode(IssueCodes.DuplicateSetting) });
            }
        }
        for (const pub of instance.members.filter(isInstancePublicIp)) {
            const addr = this.address(pub, 'ip', pub.ip, accept);
            if (addr && !isPublic(addr)) {
                accept('error', `${pub.ip} is not a public address, so it cannot be a public IP (private, shared, loopback, link-local and multicast ranges are not public).`,
                    { node: pub, property: 'ip', ...withCode(IssueCodes.PublicIpNotPublic) });
            }
        }
        const groups = instance.members.filter(isInstanceSecurityGroups).flatMap(g => g.groups);
        if (groups.length > MAX_SECURITY_GROUPS_PER_INTERFACE) {
            accept('warning', `${groups.length} security groups on one interface exceed the default quota of ${MAX_SECURITY_GROUPS_PER_INTERFACE} (aws-data-plane.md §6).`,
                { node: instance.members.filter(isInstanceSecurityGroups)[0], ...withCode(IssueCodes.QuotaSecurityGroupsPerInterface) });
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Route tables

    checkRouteTable(table: RouteTable, accept: ValidationAcceptor): void {
        if (table.routes.length > MAX_ROUTES_PER_TABLE) {
            accept('warning', `Route table ${table.name} has ${table.routes.length} routes; the default quota is ${MAX_ROUTES_PER_TABLE} per table (aws-data-plane.md §6).`,
                { node: table, property: 'name', ...withCode(IssueCodes.QuotaRoutes) });
        }
        const vpc = vpcOf(table);
        const vpcCidrs = vpc ? localCidrsOf(vpc) : [];
        const subnetCidrs = vpc ? subnetCidrsOf(vpc) : [];
        const edge = table.edge?.ref;
        if (table.edge && table.main) {
            // A gateway route table can't be the main route table (aws-data-plane.md §3.2).
            accept('error', `Route table ${table.name} is a gateway route table (edge ${table.edge.$refText}); a gateway route table cannot be the main route table.`,
                { node: table, property: 'main', ...withCode(IssueCodes.GatewayRouteTableMain) });
        }
        const seenGateways = new Set<string>();
        for (const propagation of table.propagations) {
            if (edge) {
                // No propagation into a gateway route table (aws-data-plane.md §3.3).
                accept('error', `Route table ${table.name} is a gateway route table: routes cannot propagate into it.`,
                    { node: propagation, ...withCode(IssueCodes.GatewayRouteTablePropagation) });
            }
            const name = propagation.gateway?.$refText;
            if (name && seenGateways.has(name)) {
                accept('warning', `Route propagation from ${name} is already enabled in route table ${table.name}.`,
                    { node: propagation, ...withCode(IssueCodes.DuplicateSetting) });
            }
            if (name) seenGateways.add(name);
        }
        const seen = new Map<string, Route>();
        for (const route of table.routes) {
            this.checkRouteTarget(route, accept);
            if (route.prefixList !== undefined) {
                this.checkPrefixListRoute(route, table, accept);
                const first = seen.get(`pl:${route.prefixList}`);
                if (first) {
                    accept('error', `Route table ${table.name} already has a route to the ${route.prefixList} prefix list (line ${lineOf(first)}).`,
                        { node: route, property: 'prefixList', ...withCode(IssueCodes.DuplicateRoute) });
                }
                seen.set(`pl:${route.prefixList}`, route);
                continue;
            }
            const prefix = this.cidr(route, 'destination', route.destination, accept, 'any');
            if (!prefix) continue;
            const key = formatPrefix(prefix);
            const first = seen.get(key);
            if (first) {
                accept('error', `Route table ${table.name} already has a route to ${key} (line ${lineOf(first)}).`,
                    { node: route, property: 'destination', ...withCode(IssueCodes.DuplicateRoute) });
                continue;
            }
            seen.set(key, route);
            const reserved = prefix.family === 4 ? RESERVED_ROUTE_RANGE : RESERVED_ROUTE_RANGE_V6;
            if (prefixCovers(reserved, prefix)) {
                accept('error', `No route may point into ${formatPrefix(reserved)} (instance metadata, Amazon DNS); ${key} is inside it.`,
                    { node: route, property: 'destination', ...withCode(IssueCodes.RouteReservedRange) });
            }
            this.checkRouteFamily(route, prefix, accept);
            if (edge) this.checkGatewayRoute(route, prefix, table, vpcCidrs, subnetCidrs, accept);
            else this.checkMoreSpecificThanLocal(route, prefix, vpcCidrs, subnetCidrs, accept);
        }
    }

    /**
     * What a route may lead to: an element that forwards traffic (aws-data-plane.md §3.2, "Route
     * targets available in subnet tables"). Subnets, route tables, security groups, network ACLs,
     * load balancers and interface endpoints are not route targets.
     */
    private checkRouteTarget(route: Route, accept: ValidationAcceptor): void {
        const target = route.target?.ref;
        if (!target) return;
        if (!isRouteTargetKind(target)) {
            accept('error', `${target.name} is ${aKind(target)}, which cannot be a route target; a route leads to a gateway (internet, egress-only, NAT, virtual private, transit), a peering, an endpoint or an instance's network interface.`,
                { node: route, property: 'target', ...withCode(IssueCodes.RouteTargetKind) });
        } else if (isInstance(target) && target.members.filter(isInstanceSourceDestCheck).every(c => c.value !== 'off')) {
            // An interface forwarding other hosts' traffic needs the check off (aws-data-plane.md §3.14).
            accept('warning', `Instance ${target.name} has its source/destination check on, so it drops the packets this route sends it (they are not addressed to it). Add 'source-dest-check off' to ${target.name}.`,
                { node: route, property: 'target', ...withCode(IssueCodes.RouteTargetSourceDestCheck) });
        } else if (isGatewayEndpoint(target) && route.prefixList === undefined) {
            // Gateway endpoint routes have the service's prefix list as destination (§3.10).
            accept('error', `Gateway endpoint ${target.name} is reached through the ${target.service} prefix list only: write '${target.service} -> ${target.name}' (or list the table in the endpoint's route-tables).`,
                { node: route, property: 'target', ...withCode(IssueCodes.RouteGatewayEndpointDestination) });
        }
    }

    /** `s3 -> s3ep`: the AWS service prefix lists are the only prefix lists (aws-data-plane.md §3.10). */
    private checkPrefixListRoute(route: Route, table: RouteTable, accept: ValidationAcceptor): void {
        const list = route.prefixList;
        if (list !== 's3' && list !== 'dynamodb') {
            accept('error', `'${list}' is not a prefix list: a route's destination is a CIDR block or an AWS service prefix list (s3, dynamodb).`,
                { node: route, property: 'prefixList', ...withCode(IssueCodes.UnknownPrefixList) });
            return;
        }
        if (table.edge) {
            accept('error', `A gateway route table cannot have prefix-list destinations (aws-data-plane.md §3.3).`,
                { node: route, property: 'prefixList', ...withCode(IssueCodes.GatewayRouteTableDestination) });
        }
        const target = route.target?.ref;
        if (isGatewayEndpoint(target) && target.service !== list) {
            accept('error', `Gateway endpoint ${target.name} serves ${target.service}, not ${list}.`,
                { node: route, property: 'target', ...withCode(IssueCodes.RouteGatewayEndpointDestination) });
        }
    }

    /**
     * The address family a target carries: an egress-only internet gateway is IPv6 only (§3.5);
     * NAT gateways translate IPv4 (IPv6 only through NAT64's 64:ff9b::/96, §3.6). A virtual private
     * gateway carries IPv6 over Direct Connect only: whether one reaches it is a workspace question
     * (ROUTE_VGW_IPV6_WITHOUT_DIRECT_CONNECT, vnet-site-validator.ts).
     */
    private checkRouteFamily(route: Route, prefix: Prefix, accept: ValidationAcceptor): void {
        const target = route.target?.ref;
        if (isEgressOnlyInternetGateway(target) && prefix.family === 4) {
            accept('error', `An egress-only internet gateway carries IPv6 only; ${formatPrefix(prefix)} is an IPv4 destination (use a NAT gateway for IPv4).`,
                { node: route, property: 'destination', ...withCode(IssueCodes.RouteFamilyMismatch) });
        } else if (isNatGateway(target) && prefix.family === 6 && !prefixCovers(NAT64_PREFIX, prefix)) {
            accept('error', `A NAT gateway translates IPv6 only through NAT64 (64:ff9b::/96); ${formatPrefix(prefix)} cannot lead to ${target.name}.`,
                { node: route, property: 'destination', ...withCode(IssueCodes.RouteFamilyMismatch) });
        }
    }

    /**
     * Gateway route tables (edge association, aws-data-plane.md §3.3): destinations are a whole VPC
     * CIDR or exactly a subnet's CIDR; targets are a middlebox interface or, for an internet gateway's
     * table, a GWLB endpoint (a GWLB endpoint target in a virtual private gateway's table drops).
     */
    private checkGatewayRoute(route: Route, prefix: Prefix, table: RouteTable, vpcCidrs: Prefix[], subnetCidrs: Prefix[], accept: ValidationAcceptor): void {
        const key = formatPrefix(prefix);
        const same = (a: Prefix) => a.family === prefix.family && a.network === prefix.network && a.length === prefix.length;
        if (!vpcCidrs.some(same) && !subnetCidrs.some(same)) {
            accept('error', `A gateway route table routes traffic entering the VPC: its destinations are a CIDR block of the VPC or exactly a subnet's CIDR; ${key} is neither.`,
                { node: route, property: 'destination', ...withCode(IssueCodes.GatewayRouteTableDestination) });
        }
        const target = route.target?.ref;
        const edge = table.edge?.ref;
        if (!target || !edge || !isRouteTargetKind(target)) return;
        const viaIgw = isInternetGateway(edge);
        const allowed = isInstance(target) || (viaIgw && isGwlbEndpoint(target));
        if (!allowed) {
            accept('error', viaIgw
                ? `A gateway route table of an internet gateway leads to a middlebox: an instance's interface or a gateway load balancer endpoint; ${target.name} is ${aKind(target)}.`
                : `A gateway route table of a virtual private gateway leads to a middlebox instance's interface only (a gateway load balancer endpoint there drops the traffic); ${target.name} is ${aKind(target)}.`,
                { node: route, property: 'target', ...withCode(IssueCodes.GatewayRouteTableTarget) });
        }
    }

    /**
     * A route inside a VPC CIDR ("more specific than local") is allowed only for exactly a subnet's
     * CIDR with a middlebox target: a NAT gateway, a network interface or a GWLB endpoint
     * (aws-data-plane.md §3.2).
     */
    private checkMoreSpecificThanLocal(route: Route, prefix: Prefix, vpcCidrs: Prefix[], subnetCidrs: Prefix[], accept: ValidationAcceptor): void {
        const local = vpcCidrs.find(c => c.family === prefix.family && prefixCovers(c, prefix));
        if (!local) return;
        const key = formatPrefix(prefix);
        if (local.length === prefix.length) {
            accept('error', `${key} is a CIDR block of the VPC: its local route is implicit in every table and cannot be replaced here.`,
                { node: route, property: 'destination', ...withCode(IssueCodes.RouteMoreSpecificThanLocal) });
            return;
        }
        const exactSubnet = subnetCidrs.some(s => s.family === prefix.family && s.network === prefix.network && s.length === prefix.length);
        const target = route.target?.ref;
        if (!exactSubnet) {
            accept('error', `${key} is inside the VPC's local route (${formatPrefix(local)}); a more specific route is allowed only for exactly a subnet's CIDR.`,
                { node: route, property: 'destination', ...withCode(IssueCodes.RouteMoreSpecificThanLocal) });
        } else if (target && !isInstance(target) && !isNatGateway(target) && !isGwlbEndpoint(target)) {
            accept('error', `A route to subnet CIDR ${key}, more specific than the local route, must lead to a network interface (an instance), a NAT gateway or a gateway load balancer endpoint; ${target.name} is ${aKind(target)}.`,
                { node: route, property: 'target', ...withCode(IssueCodes.RouteMoreSpecificThanLocal) });
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Security groups and network ACLs

    checkSecurityGroup(group: SecurityGroup, accept: ValidationAcceptor): void {
        // Declaring `default` gives the VPC's default group its rules (AWS lets you edit them).
        for (const direction of ['inbound', 'outbound'] as const) {
            const count = group.rules.filter(r => r.direction === direction).length;
            if (count > MAX_RULES_PER_SECURITY_GROUP) {
                accept('warning', `Security group ${group.name} has ${count} ${direction} rules; the default quota is ${MAX_RULES_PER_SECURITY_GROUP} per direction (aws-data-plane.md §6).`,
                    { node: group, property: 'name', ...withCode(IssueCodes.QuotaSecurityGroupRules) });
            }
        }
    }

    checkSecurityGroupRule(rule: SecurityGroupRule, accept: ValidationAcceptor): void {
        this.preposition(rule, accept);
        this.ports(rule, 'ports', rule.ports, rule.protocol, accept, true);
        if (rule.cidr !== undefined) this.cidr(rule, 'cidr', rule.cidr, accept, 'any');
    }

    checkNetworkAcl(acl: NetworkAcl, accept: ValidationAcceptor): void {
        for (const direction of ['inbound', 'outbound'] as const) {
            const rules = acl.rules.filter(r => r.direction === direction);
            // The quota of 20 rules per direction counts the implicit final deny (aws-data-plane.md §6).
            if (rules.length + 1 > MAX_RULES_PER_NETWORK_ACL) {
                accept('warning', `Network ACL ${acl.name} has ${rules.length} ${direction} rules plus the final deny; the default quota is ${MAX_RULES_PER_NETWORK_ACL} per direction, the final deny included (aws-data-plane.md §6).`,
                    { node: acl, property: 'name', ...withCode(IssueCodes.QuotaNetworkAclRules) });
            }
            const seen = new Map<number, NetworkAclRule>();
            for (const rule of rules) {
                const first = seen.get(rule.number);
                if (first) {
                    accept('error', `Network ACL ${acl.name} already has ${direction} rule ${rule.number} (line ${lineOf(first)}); rule numbers are unique per direction.`,
                        { node: rule, property: 'number', ...withCode(IssueCodes.DuplicateNaclRuleNumber) });
                } else {
                    seen.set(rule.number, rule);
                }
            }
        }
    }

    checkNetworkAclRule(rule: NetworkAclRule, accept: ValidationAcceptor): void {
        // Rule numbers are 1-32766; 32767 is the final deny (aws-data-plane.md §3.13).
        if (rule.number !== undefined && (rule.number < 1 || rule.number > 32766)) {
            accept('error', `Network ACL rule numbers are 1 to 32766; ${rule.number} is not.`,
                { node: rule, property: 'number', ...withCode(IssueCodes.NaclRuleNumber) });
        }
        this.preposition(rule, accept);
        this.ports(rule, 'ports', rule.ports, rule.protocol, accept, true);
        this.cidr(rule, 'cidr', rule.cidr, accept, 'any');
    }

    private preposition(rule: SecurityGroupRule | NetworkAclRule, accept: ValidationAcceptor): void {
        const expected = rule.direction === 'inbound' ? 'from' : 'to';
        if (rule.direction && rule.preposition && rule.preposition !== expected) {
            accept('error', `An ${rule.direction} rule names its peer with '${expected}', not '${rule.preposition}'.`,
                { node: rule, property: 'preposition', ...withCode(IssueCodes.WrongPreposition, { replacement: expected }) });
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Internet hosts and expectations

    checkHost(host: Host, accept: ValidationAcceptor): void {
        // Site and SDDC hosts have private addresses; only internet hosts must be public.
        const onInternet = isInternet(host.$container);
        if (isSddcSegment(host.$container) && host.ip?.includes(':')) {
            // VMware Cloud on AWS segments are IPv4 in this model (seeds/004): the SDDC's routes are IPv4.
            accept('error', `${host.ip} is an IPv6 address; SDDC segments are IPv4 in vnet, so host ${host.name} needs an IPv4 address in segment ${host.$container.name}.`,
                { node: host, property: 'ip', ...withCode(IssueCodes.InvalidAddress) });
            return;
        }
        const ip = this.address(host, 'ip', host.ip, accept, 'any');
        if (onInternet && ip && !isPublic(ip)) {
            accept('warning', `${host.ip} is not a public address: nothing on the internet routes it to ${host.name}.`,
                { node: host, property: 'ip', ...withCode(IssueCodes.HostIpNotPublic) });
        }
    }

    checkExpectation(expectation: Expectation, accept: ValidationAcceptor): void {
        for (const endpoint of [expectation.source, expectation.destination]) {
            if (endpoint?.address !== undefined) this.endpointAddress(endpoint, accept);
        }
        const protocol = expectation.protocol;
        const portless = protocol === 'icmp' || protocol === 'all';
        if (portless) {
            if (expectation.port !== undefined) {
                accept('error', `Ports apply to tcp and udp only; remove the port after '${protocol}'.`,
                    { node: expectation, property: 'port', ...withCode(IssueCodes.PortsNotAllowed) });
            }
            if (expectation.fromPort !== undefined) {
                accept('error', `Ports apply to tcp and udp only; remove 'from-port' for '${protocol}'.`,
                    { node: expectation, property: 'fromPort', ...withCode(IssueCodes.PortsNotAllowed) });
            }
        } else if (protocol && expectation.port === undefined) {
            accept('error', `A ${protocol} expectation needs the destination port, e.g. 'expect a -> b ${protocol} 443 reachable'.`,
                { node: expectation, property: 'protocol', ...withCode(IssueCodes.PortMissing) });
        }
        for (const property of ['port', 'fromPort'] as const) {
            const value = expectation[property];
            if (value !== undefined && value > MAX_PORT) {
                accept('error', `Port ${value} is out of range: ports are 0-${MAX_PORT}.`,
                    { node: expectation, property, ...withCode(IssueCodes.PortOutOfRange) });
            }
        }
    }

    private endpointAddress(endpoint: Endpoint, accept: ValidationAcceptor): void {
        this.address(endpoint, 'address', endpoint.address, accept, 'any');
    }
}

/** An AZ name is its region's name plus a letter (us-east-1a), or a Local Zone (us-west-2-lax-1a). */
export function azInRegion(az: string, region: string): boolean {
    if (!az.startsWith(region)) return false;
    const rest = az.slice(region.length);
    return /^[a-z]$/.test(rest) || /^-[a-z0-9-]+[a-z]$/.test(rest);
}

/** A named top-level element: one name space across the workspace (internet hosts included). */
type TopLevelNamed = AstNode & { name: string };

/** The named top-level elements of a document, with the internet's hosts. */
function topLevelNodes(model: Model): TopLevelNamed[] {
    return model.elements.flatMap((e): TopLevelNamed[] =>
        isInternet(e) ? [...e.hosts] : 'name' in e && typeof e.name === 'string' ? [e as TopLevelNamed] : []);
}

/** A declaration of a public address. */
type PublicAddressNode = InstancePublicIp | Host | NatGateway | CustomerGateway | SubnetMapping;

/**
 * The nodes of a document that declare a public address: instances' public IPs, internet hosts,
 * public NAT gateways' Elastic IPs, load balancer nodes' Elastic IPs and customer gateways' outside addresses.
 */
function publicAddressNodes(model: Model): PublicAddressNode[] {
    const nodes: PublicAddressNode[] = [];
    for (const element of model.elements) {
        if (isVpc(element)) {
            for (const member of element.members) {
                if (isSubnet(member)) {
                    for (const instance of member.members.filter(isInstance)) nodes.push(...instance.members.filter(isInstancePublicIp));
                } else if (isNatGateway(member) && member.publicIp !== undefined) {
                    nodes.push(member);
                } else if (isLoadBalancer(member)) {
                    nodes.push(...member.mappings.filter(m => m.publicIp !== undefined));
                }
            }
        } else if (isInternet(element)) {
            nodes.push(...element.hosts);
        } else if (isSite(element)) {
            nodes.push(...element.members.filter(isCustomerGateway));
        }
    }
    return nodes;
}

function publicAddressText(node: PublicAddressNode): string | undefined {
    return isNatGateway(node) || isSubnetMapping(node) ? node.publicIp : node.ip;
}

/** Internet hosts may be IPv6; the other public addresses are IPv4 (Elastic IPs, customer gateways). */
function publicAddressFamilies(node: PublicAddressNode): Families {
    return isHost(node) ? 'any' : 'ipv4';
}

function publicAddressOwner(node: PublicAddressNode): string {
    if (isInstancePublicIp(node)) return `instance ${node.$container.name}`;
    if (isNatGateway(node)) return `NAT gateway ${node.name}`;
    if (isSubnetMapping(node)) return `load balancer ${node.$container.name}`;
    if (isCustomerGateway(node)) return `the customer gateway of site ${node.$container.name}`;
    return `host ${node.name}`;
}

function firstUsable(p: Prefix): string {
    return formatIp({ family: p.family, value: p.network + 4n });
}

function lastUsable(p: Prefix): string {
    return formatIp({ family: p.family, value: p.network + (1n << BigInt(32 - p.length)) - 2n });
}
