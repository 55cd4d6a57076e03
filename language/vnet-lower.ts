/**
 * Lowering: the ASTs of all .vnet documents of a workspace → one engine NetworkModel.
 *
 * Every element carries its Origin (document URI + 0-based range) so that diagnostics, hovers and
 * reveals can point at the deciding rule. CIDRs are lowered in canonical text. A reference that did
 * not resolve is lowered as written (the engine treats it as absent); a value that is malformed
 * (reported by the validator) drops the element that cannot exist without it.
 */
import { AstUtils, GrammarUtils, type AstNode, type LangiumDocument, type Reference } from 'langium';
import {
    isAsn, isBlockPublicAccess, isCustomerGateway, isDirectConnect, isDirectConnectGateway,
    isEgressOnlyInternetGateway, isEndpointService, isExpectation, isGatewayEndpoint, isGwlbEndpoint, isInstance,
    isInstanceIpv6, isInstancePublicIp, isInstanceSecurityGroups, isInstanceSourceDestCheck, isInterfaceEndpoint,
    isInternet, isInternetGateway, isLoadBalancer, isModel, isSubnetMapping, isNatGateway, isNetworkAcl, isPeering, isRouteTable,
    isSddc, isSddcActiveHost, isSddcConnectedVpc, isSddcHosts, isSddcManagement, isSddcSegment, isSecurityGroup,
    isSite, isSubnet, isSubnetIpv6, isSubnetNetworkAcl, isSubnetRouteTable, isTgwAssociation, isTgwAttachment,
    isTgwPropagation, isTgwRoute, isTgwRouteTable, isTransitGateway, isVpcAccount, isVpcCidr, isVpcIpv6,
    isVpcRegion, isVpc, isVpnConnection, isVpnGateway, isHost, isSiteRoute,
    type BlockPublicAccess as AstBlockPublicAccess, type DirectConnect as AstDirectConnect,
    type DirectConnectGateway as AstDirectConnectGateway, type Endpoint, type EndpointService as AstEndpointService,
    type Expectation as AstExpectation, type Host as AstHost, type Instance as AstInstance,
    type LoadBalancer as AstLoadBalancer, type Model, type NatGateway as AstNatGateway,
    type NetworkAcl as AstNetworkAcl, type Peering as AstPeering, type PortSpec, type RouteTable as AstRouteTable,
    type Sddc as AstSddc, type SecurityGroup as AstSecurityGroup, type Site as AstSite, type Subnet as AstSubnet,
    type TgwAttachment, type TransitGateway as AstTransitGateway, type Vpc as AstVpc,
    type VpnConnection as AstVpnConnection, type TransitGatewayMember, type SiteMember, type VpcMember,
    type InterfaceEndpoint as AstInterfaceEndpoint, type GwlbEndpoint as AstGwlbEndpoint,
    type SubnetMapping, type EndpointSubnetAddresses, type Subnet as AstSubnetNode,
} from './generated/ast.js';
import {
    DEFAULT_REGION,
    type BlockPublicAccess, type DirectConnect, type DirectConnectGateway, type EndpointRef, type EndpointService,
    type Expectation, type GatewayEndpoint, type GatewayLoadBalancerEndpoint, type Instance, type InterfaceEndpoint,
    type InternetHost, type LoadBalancer, type LoadBalancerListener, type NatGateway, type NetworkAcl,
    type NetworkModel, type Origin, type Peering, type PortRange, type Protocol, type Route, type RouteTable,
    type Sddc, type SecurityGroup, type Site, type SiteHost, type SiteRoute, type Subnet, type TransitGateway,
    type TransitGatewayAttachment, type TransitGatewayRouteTable, type Vpc, type VpnConnection,
    type IpAddressType, type SubnetAddresses,
} from '../engine/model.js';
import { formatIp, formatPrefix } from '../engine/ip.js';
import { readAddress, readCidr, readPorts, type Families } from './vnet-values.js';
import { vpcOf } from './vnet-scope.js';

/** The source range of a node, as an engine Origin. */
export function originOf(node: AstNode): Origin | undefined {
    const cst = node.$cstNode;
    if (!cst) return undefined;
    const doc = AstUtils.getDocument(node);
    return { uri: doc.uri.toString(), start: { ...cst.range.start }, end: { ...cst.range.end } };
}

function canonicalCidr(text: string | undefined, families: Families = 'ipv4'): string | undefined {
    const prefix = text !== undefined ? readCidr(text, families).value : undefined;
    return prefix ? formatPrefix(prefix) : undefined;
}

function canonicalAddress(text: string | undefined, families: Families = 'ipv4'): string | undefined {
    const ip = text !== undefined ? readAddress(text, families).value : undefined;
    return ip ? formatIp(ip) : undefined;
}

function defined<T>(value: T | undefined): value is T {
    return value !== undefined;
}

/** Names of references as written, without the empty ones a parse error leaves. */
function refNames(refs: ReadonlyArray<{ $refText: string }>): string[] {
    return refs.map(r => r.$refText).filter(n => n.length > 0);
}

/** An account ID as written (the INT token's text keeps leading zeros). */
function accountText(node: { $cstNode?: { text: string } } | undefined): string | undefined {
    const text = node?.$cstNode?.text.replace(/^account\s*/, '');
    return text || undefined;
}

function lowerPorts(spec: PortSpec | undefined): PortRange | undefined {
    return spec ? readPorts(spec.single, spec.range) : undefined;
}

/** Lowers every document into one model, in document order. */
export function lowerDocuments(documents: Iterable<LangiumDocument>): NetworkModel {
    const model: NetworkModel = { vpcs: [], internetHosts: [], expectations: [] };
    for (const doc of documents) {
        const root = doc.parseResult.value;
        if (isModel(root)) lowerInto(root, model);
    }
    return model;
}

/**
 * Lowers one document's root into `model`. `onExpectation` sees each lowered expectation with its
 * statement (the analysis keeps the pairs to put verdicts back on the statements).
 */
export function lowerInto(root: Model, model: NetworkModel, onExpectation?: (node: AstExpectation, lowered: Expectation) => void): void {
    for (const element of root.elements) {
        if (isVpc(element)) {
            if (element.name) model.vpcs.push(lowerVpc(element));
        } else if (isInternet(element)) {
            for (const host of element.hosts) {
                const ip = canonicalAddress(host.ip, 'any');
                if (host.name && ip) model.internetHosts.push({ name: host.name, ip, origin: originOf(host) } satisfies InternetHost);
            }
        } else if (isExpectation(element)) {
            const lowered = lowerExpectation(element);
            if (lowered) {
                model.expectations.push(lowered);
                onExpectation?.(element, lowered);
            }
        } else if (isPeering(element)) {
            const peering = lowerPeering(element);
            if (peering) (model.peerings ??= []).push(peering);
        } else if (isTransitGateway(element)) {
            if (element.name) (model.transitGateways ??= []).push(lowerTransitGateway(element));
        } else if (isSite(element)) {
            if (element.name) (model.sites ??= []).push(lowerSite(element));
        } else if (isVpnConnection(element)) {
            const vpn = lowerVpn(element);
            if (vpn) (model.vpns ??= []).push(vpn);
        } else if (isDirectConnect(element)) {
            const dx = lowerDirectConnect(element);
            if (dx) (model.directConnects ??= []).push(dx);
        } else if (isDirectConnectGateway(element)) {
            if (element.name) (model.directConnectGateways ??= []).push(lowerDirectConnectGateway(element));
        } else if (isSddc(element)) {
            const sddc = lowerSddc(element);
            if (sddc) (model.sddcs ??= []).push(sddc);
        } else if (isEndpointService(element)) {
            const service = lowerEndpointService(element);
            if (service) (model.endpointServices ??= []).push(service);
        } else if (isBlockPublicAccess(element)) {
            const bpa = lowerBlockPublicAccess(element);
            if (bpa) (model.blockPublicAccess ??= []).push(bpa);
        }
    }
}

function lowerVpc(vpc: AstVpc): Vpc {
    const igw = vpc.members.find(isInternetGateway);
    const vgw = vpc.members.find(isVpnGateway);
    const eigw = vpc.members.find(isEgressOnlyInternetGateway);
    const ipv6Cidrs = vpc.members.filter(isVpcIpv6).map(c => canonicalCidr(c.cidr, 'ipv6')).filter(defined);
    const natGateways = vpc.members.filter(isNatGateway).map(lowerNatGateway).filter(defined);
    const gatewayEndpoints = vpc.members.filter(isGatewayEndpoint).flatMap((e): GatewayEndpoint[] =>
        e.name && (e.service === 's3' || e.service === 'dynamodb')
            ? [{ name: e.name, service: e.service, ...ifDefined('ipAddressType', ipAddressType(e.ipAddressType)), routeTables: refNames(e.routeTables), origin: originOf(e) }] : []);
    const interfaceEndpoints = vpc.members.filter(isInterfaceEndpoint).flatMap((e): InterfaceEndpoint[] =>
        e.name && e.service?.$refText ? [{
            name: e.name, service: e.service.$refText, subnets: refNames(e.subnets),
            securityGroups: refNames(e.securityGroups),
            ...ifDefined('ipAddressType', ipAddressType(e.ipAddressType)),
            ...ifNonEmpty('addresses', lowerSubnetAddresses(e)),
            origin: originOf(e),
        }] : []);
    const gwlbEndpoints = vpc.members.filter(isGwlbEndpoint).map(lowerGwlbEndpoint).filter(defined);
    const loadBalancers = vpc.members.filter(isLoadBalancer).map(lowerLoadBalancer).filter(defined);
    return {
        ...(vgw?.name ? { vpnGateway: { name: vgw.name, asn: vgw.asn, origin: originOf(vgw) } } : {}),
        ...(eigw?.name ? { egressOnlyInternetGateway: { name: eigw.name, origin: originOf(eigw) } } : {}),
        ...(ipv6Cidrs.length > 0 ? { ipv6Cidrs } : {}),
        ...(natGateways.length > 0 ? { natGateways } : {}),
        ...(gatewayEndpoints.length > 0 ? { gatewayEndpoints } : {}),
        ...(interfaceEndpoints.length > 0 ? { interfaceEndpoints } : {}),
        ...(gwlbEndpoints.length > 0 ? { gatewayLoadBalancerEndpoints: gwlbEndpoints } : {}),
        ...(loadBalancers.length > 0 ? { loadBalancers } : {}),
        name: vpc.name,
        region: vpc.members.find(isVpcRegion)?.region ?? DEFAULT_REGION,
        account: accountOf(vpc),
        cidrs: vpc.members.filter(isVpcCidr).map(c => canonicalCidr(c.cidr)).filter((c): c is string => !!c),
        internetGateway: igw?.name ? { name: igw.name, origin: originOf(igw) } : undefined,
        subnets: vpc.members.filter(isSubnet).map(lowerSubnet).filter((s): s is Subnet => !!s),
        routeTables: vpc.members.filter(isRouteTable).map(lowerRouteTable),
        securityGroups: vpc.members.filter(isSecurityGroup).map(g => lowerSecurityGroup(g, vpc)),
        networkAcls: vpc.members.filter(isNetworkAcl).map(lowerNetworkAcl),
        origin: originOf(vpc),
    };
}

/** The account ID as written (the INT token's text keeps leading zeros). */
function accountOf(owner: { members: Array<VpcMember | TransitGatewayMember> }): string | undefined {
    return accountText(owner.members.find(isVpcAccount));
}

function lowerSubnet(subnet: AstSubnet): Subnet | undefined {
    const cidr = canonicalCidr(subnet.cidr);
    if (!subnet.name || !cidr) return undefined;
    return {
        name: subnet.name,
        cidr,
        az: subnet.az ?? '',
        routeTable: subnet.members.find(isSubnetRouteTable)?.routeTable?.$refText || undefined,
        networkAcl: subnet.members.find(isSubnetNetworkAcl)?.networkAcl?.$refText || undefined,
        instances: subnet.members.filter(isInstance).map(lowerInstance).filter((i): i is Instance => !!i),
        origin: originOf(subnet),
        ...ifDefined('ipv6Cidr', canonicalCidr(subnet.members.find(isSubnetIpv6)?.cidr, 'ipv6')),
    };
}

/** `{ [key]: value }` when value is defined, `{}` otherwise (optional fields stay absent). */
function ifDefined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
    return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function lowerInstance(instance: AstInstance): Instance | undefined {
    const privateIp = canonicalAddress(instance.privateIp);
    if (!instance.name || !privateIp) return undefined;
    const check = instance.members.find(isInstanceSourceDestCheck);
    return {
        name: instance.name,
        privateIp,
        publicIp: canonicalAddress(instance.members.find(isInstancePublicIp)?.ip),
        securityGroups: instance.members.filter(isInstanceSecurityGroups)
            .flatMap(g => g.groups.map(r => r.$refText)).filter(n => n.length > 0),
        sourceDestCheck: check?.value !== 'off',
        origin: originOf(instance),
        ...ifNonEmpty('ipv6', instance.members.filter(isInstanceIpv6).map(a => canonicalAddress(a.address, 'ipv6')).filter(defined)),
    };
}

function ifNonEmpty<K extends string, V>(key: K, values: V[]): { [P in K]?: V[] } {
    return (values.length === 0 ? {} : { [key]: values }) as { [P in K]?: V[] };
}

function lowerRouteTable(table: AstRouteTable): RouteTable {
    return {
        name: table.name,
        main: table.main,
        routes: table.routes.flatMap((route): Route[] => {
            const target = route.target?.$refText;
            if (!target) return [];
            if (route.prefixList !== undefined) {
                // Only the AWS service prefix lists exist (the validator reports any other name).
                return route.prefixList === 's3' || route.prefixList === 'dynamodb'
                    ? [{ destination: route.prefixList, destinationIsPrefixList: true, target, origin: originOf(route) }] : [];
            }
            const destination = canonicalCidr(route.destination, 'any');
            return destination ? [{ destination, target, origin: originOf(route) }] : [];
        }),
        origin: originOf(table),
        ...ifDefined('edge', table.edge?.$refText || undefined),
        ...ifNonEmpty('propagate', refNames(table.propagations.map(p => p.gateway).filter(defined))),
    };
}

function lowerNatGateway(nat: AstNatGateway): NatGateway | undefined {
    const subnet = nat.subnet?.$refText;
    if (!nat.name || !subnet) return undefined;
    return {
        name: nat.name,
        subnet,
        ...ifDefined('publicIp', canonicalAddress(nat.publicIp)),
        private: nat.private,
        ...ifDefined('privateIp', canonicalAddress(nat.privateIp)),
        origin: originOf(nat),
    };
}

function ipAddressType(text: string | undefined): IpAddressType | undefined {
    return text === 'ipv4' || text === 'dualstack' || text === 'ipv6' ? text : undefined;
}

function lowerGwlbEndpoint(e: AstGwlbEndpoint): GatewayLoadBalancerEndpoint | undefined {
    if (!e.name || !e.service?.$refText || !e.subnet?.$refText) return undefined;
    return {
        name: e.name, service: e.service.$refText, subnet: e.subnet.$refText,
        ...ifDefined('ipAddressType', ipAddressType(e.ipAddressType)),
        ...ifDefined('privateIp', canonicalAddress(e.privateIp)),
        ...ifDefined('ipv6', canonicalAddress(e.ipv6, 'ipv6')),
        origin: originOf(e),
    };
}

/** A subnet of a load balancer or interface endpoint with the addresses declared for it, if any. */
export interface SubnetEntry<M> {
    subnet: Reference<AstSubnetNode>;
    /** Position of the subnet in the element's `subnets` list. */
    index: number;
    mapping?: M;
}

/**
 * The subnets of a load balancer or interface endpoint paired with their mappings: a mapping belongs to
 * the subnet written just before it (`subnets pub-a public-ip 3.3.3.10, pub-b`).
 */
export function subnetEntries(owner: AstLoadBalancer): Array<SubnetEntry<SubnetMapping>>;
export function subnetEntries(owner: AstInterfaceEndpoint): Array<SubnetEntry<EndpointSubnetAddresses>>;
export function subnetEntries(owner: AstLoadBalancer | AstInterfaceEndpoint): Array<SubnetEntry<SubnetMapping | EndpointSubnetAddresses>> {
    const entries: Array<SubnetEntry<SubnetMapping | EndpointSubnetAddresses>> = owner.subnets.map((subnet, index) => ({ subnet, index }));
    for (const mapping of owner.mappings) {
        const at = mapping.$cstNode?.offset;
        if (at === undefined) continue;
        let owning: SubnetEntry<SubnetMapping | EndpointSubnetAddresses> | undefined;
        for (const entry of entries) {
            const ref = entry.subnet.$refNode?.offset;
            if (ref !== undefined && ref < at) owning = entry;
        }
        if (owning && !owning.mapping) owning.mapping = mapping;
    }
    return entries;
}

/** The declared addresses of an element's subnets, canonical; subnets without any are left out. */
function lowerSubnetAddresses(owner: AstLoadBalancer | AstInterfaceEndpoint): SubnetAddresses[] {
    const entries: Array<SubnetEntry<SubnetMapping | EndpointSubnetAddresses>> = isLoadBalancer(owner) ? subnetEntries(owner) : subnetEntries(owner);
    return entries.flatMap(({ subnet, mapping }): SubnetAddresses[] => {
        if (!mapping || !subnet.$refText) return [];
        // An interface endpoint has no public address (the validator says so): its `public-ip` is not lowered.
        const publicIp = isSubnetMapping(mapping) ? canonicalAddress(mapping.publicIp) : undefined;
        const privateIp = canonicalAddress(mapping.privateIp);
        const ipv6 = canonicalAddress(mapping.ipv6, 'ipv6');
        if (!publicIp && !privateIp && !ipv6) return [];
        return [{
            subnet: subnet.$refText,
            ...ifDefined('privateIp', privateIp), ...ifDefined('ipv6', ipv6), ...ifDefined('publicIp', publicIp),
            origin: originOf(mapping),
        }];
    });
}

function lowerLoadBalancer(lb: AstLoadBalancer): LoadBalancer | undefined {
    if (!lb.name || (lb.type !== 'network' && lb.type !== 'gateway')) return undefined;
    return {
        name: lb.name,
        type: lb.type,
        // CreateLoadBalancer's default scheme is internet-facing; a gateway load balancer has no
        // public side (it is reached through its endpoints only), so it is internal.
        scheme: lb.type === 'gateway' || lb.scheme === 'internal' ? 'internal' : 'internet-facing',
        subnets: refNames(lb.subnets),
        crossZone: lb.crossZone,
        securityGroups: refNames(lb.securityGroups),
        ...ifDefined('ipAddressType', ipAddressType(lb.ipAddressType)),
        ...ifNonEmpty('addresses', lowerSubnetAddresses(lb)),
        ...ifDefined('enforceInboundOnPrivateLink', lb.privateLinkInboundRules === undefined ? undefined : lb.privateLinkInboundRules === 'on'),
        listeners: lb.listeners.flatMap((l): LoadBalancerListener[] => {
            const protocol = l.protocol as Protocol | undefined;
            if (!protocol) return [];
            const targets = l.targets.map(t => t.address !== undefined ? canonicalAddress(t.address, 'any') : (t.instance?.$refText || undefined)).filter(defined);
            const ipTargets = l.targets.some(t => t.address !== undefined);
            const targetType = l.targetType === 'ip' || l.targetType === 'instance' ? l.targetType : ipTargets ? 'ip' : 'instance';
            return [{
                protocol,
                ...ifDefined('port', l.port),
                targets,
                targetType,
                ...ifDefined('targetPort', l.targetPort),
                ...ifDefined('preserveClientIp', l.preserveClientIp === undefined ? undefined : l.preserveClientIp === 'on'),
                origin: originOf(l),
            }];
        }),
        origin: originOf(lb),
    };
}

function lowerSecurityGroup(group: AstSecurityGroup, vpc: AstVpc): SecurityGroup {
    return {
        name: group.name,
        rules: group.rules.flatMap(rule => {
            const protocol = rule.protocol as Protocol | undefined;
            if (!rule.direction || !protocol) return [];
            let peer: SecurityGroup['rules'][number]['peer'];
            if (rule.cidr !== undefined) {
                const cidr = canonicalCidr(rule.cidr, 'any');
                if (!cidr) return [];
                peer = { kind: 'cidr', cidr };
            } else if (rule.group?.$refText) {
                // `vpc.group` names a peer VPC's group; unresolved, it is lowered as written.
                const text = rule.group.$refText;
                const target = rule.group.ref;
                const owner = target ? vpcOf(target)?.name : undefined;
                const dot = text.indexOf('.');
                peer = target && owner !== undefined ? { kind: 'security-group', vpc: owner, name: target.name }
                    : dot > 0 ? { kind: 'security-group', vpc: text.slice(0, dot), name: text.slice(dot + 1) }
                        : { kind: 'security-group', vpc: vpc.name, name: text };
            } else {
                return [];
            }
            return [{ direction: rule.direction, protocol, ports: lowerPorts(rule.ports), peer, origin: originOf(rule) }];
        }),
        origin: originOf(group),
    };
}

function lowerNetworkAcl(acl: AstNetworkAcl): NetworkAcl {
    return {
        name: acl.name,
        rules: acl.rules.flatMap(rule => {
            const cidr = canonicalCidr(rule.cidr, 'any');
            const protocol = rule.protocol as Protocol | undefined;
            if (!cidr || !protocol || !rule.direction || !rule.action || rule.number === undefined) return [];
            return [{
                direction: rule.direction, number: rule.number, action: rule.action, protocol,
                ports: lowerPorts(rule.ports), cidr, origin: originOf(rule),
            }];
        }),
        origin: originOf(acl),
    };
}

// ---------------------------------------------------------------------------------------------
// Between networks (issue 3)

function lowerPeering(peering: AstPeering): Peering | undefined {
    const requester = peering.requester?.$refText;
    const accepter = peering.accepter?.$refText;
    if (!peering.name || !requester || !accepter) return undefined;
    return { name: peering.name, requester, accepter, status: peering.pending ? 'pending' : 'active', origin: originOf(peering) };
}

function lowerTransitGateway(tgw: AstTransitGateway): TransitGateway {
    return {
        name: tgw.name,
        region: tgw.members.find(isVpcRegion)?.region ?? DEFAULT_REGION,
        ...ifDefined('account', accountOf(tgw)),
        ...ifDefined('asn', tgw.members.find(isAsn)?.asn),
        attachments: tgw.members.filter(isTgwAttachment).map(lowerAttachment).filter(defined),
        routeTables: tgw.members.filter(isTgwRouteTable).filter(t => t.name).map((table): TransitGatewayRouteTable => ({
            name: table.name,
            associations: table.members.filter(isTgwAssociation).flatMap(a => refNames(a.attachments)),
            propagations: table.members.filter(isTgwPropagation).flatMap(p => refNames(p.attachments)),
            routes: table.members.filter(isTgwRoute).flatMap(route => {
                const destination = canonicalCidr(route.destination, 'any');
                const attachment = route.attachment?.$refText || undefined;
                if (!destination || (!attachment && !route.blackhole)) return [];
                return [{ destination, ...ifDefined('attachment', attachment), blackhole: route.blackhole, origin: originOf(route) }];
            }),
            origin: originOf(table),
        })),
        origin: originOf(tgw),
    };
}

function lowerAttachment(a: TgwAttachment): TransitGatewayAttachment | undefined {
    if (!a.name) return undefined;
    const base = { name: a.name, origin: originOf(a) };
    if (a.vpc?.$refText) {
        return { ...base, kind: 'vpc', vpc: a.vpc.$refText, subnets: refNames(a.subnets), applianceMode: a.applianceMode, ...(a.ipv6Support ? { ipv6Support: true } : {}) };
    }
    if (a.vpn?.$refText) return { ...base, kind: 'vpn', vpn: a.vpn.$refText };
    if (a.directConnectGateway?.$refText) return { ...base, kind: 'direct-connect-gateway', directConnectGateway: a.directConnectGateway.$refText };
    if (a.peer?.$refText) return { ...base, kind: 'peering', transitGateway: a.peer.$refText };
    return undefined;
}

/** A site host may be IPv4 or IPv6; an SDDC segment host is IPv4 (`families`). */
function lowerHost(host: AstHost, families: Families = 'any'): SiteHost | undefined {
    const ip = canonicalAddress(host.ip, families);
    return host.name && ip ? { name: host.name, ip, origin: originOf(host) } : undefined;
}

function lowerSite(site: AstSite): Site {
    const members: SiteMember[] = site.members;
    return {
        name: site.name,
        cidrs: members.filter(isVpcCidr).map(c => canonicalCidr(c.cidr, 'any')).filter(defined),
        ...ifDefined('customerGatewayIp', canonicalAddress(members.find(isCustomerGateway)?.ip)),
        ...ifDefined('asn', members.find(isAsn)?.asn),
        hosts: members.filter(isHost).map(h => lowerHost(h)).filter(defined),
        ...ifNonEmpty('routes', members.filter(isSiteRoute).flatMap((route): SiteRoute[] => {
            const destination = canonicalCidr(route.destination, 'any');
            const via = route.via?.$refText;
            return destination && via ? [{ destination, via, origin: originOf(route) }] : [];
        })),
        origin: originOf(site),
    };
}

/**
 * A gateway reference in the engine's form: a virtual private gateway as `vpc.vgw` (also when the
 * user wrote the bare name), anything else by its name; unresolved: as written.
 */
function gatewayName(ref: Reference<AstNode & { name?: string }> | undefined): string | undefined {
    const target = ref?.ref;
    if (isVpnGateway(target)) {
        const vpc = vpcOf(target);
        return vpc?.name ? `${vpc.name}.${target.name}` : undefined;
    }
    return target?.name || ref?.$refText || undefined;
}

function lowerVpn(vpn: AstVpnConnection): VpnConnection | undefined {
    const site = vpn.site?.$refText;
    const to = gatewayName(vpn.to);
    if (!vpn.name || !site || !to) return undefined;
    return {
        name: vpn.name, site, to,
        // BGP unless `static` is written: the AWS console's default for a new VPN is dynamic routing.
        routing: vpn.routing === 'static' ? 'static' : 'bgp',
        staticRoutes: vpn.staticRoutes.map(r => canonicalCidr(r, 'any')).filter(defined),
        ...ifDefined('tunnelInside', vpn.tunnelInside === 'ipv4' || vpn.tunnelInside === 'ipv6' ? vpn.tunnelInside : undefined),
        origin: originOf(vpn),
    };
}

function lowerDirectConnect(dx: AstDirectConnect): DirectConnect | undefined {
    const site = dx.site?.$refText;
    const to = gatewayName(dx.to);
    if (!dx.name || !site || !to || dx.vlan === undefined) return undefined;
    return { name: dx.name, site, to, vlan: dx.vlan, ...ifDefined('mtu', dx.mtu), ...(dx.ipv6 ? { ipv6: true } : {}), origin: originOf(dx) };
}

function lowerDirectConnectGateway(dxgw: AstDirectConnectGateway): DirectConnectGateway {
    return { name: dxgw.name, associations: dxgw.associations.flatMap(a => a.gateways.map(gatewayName).filter(defined)), origin: originOf(dxgw) };
}

function lowerSddc(sddc: AstSddc): Sddc | undefined {
    const connected = sddc.members.find(isSddcConnectedVpc);
    const management = canonicalCidr(sddc.members.find(isSddcManagement)?.cidr);
    if (!sddc.name || !connected?.vpc?.$refText || !connected.subnet?.$refText || !management) return undefined;
    return {
        name: sddc.name,
        connectedVpc: connected.vpc.$refText,
        subnet: connected.subnet.$refText,
        management,
        ...ifDefined('hostCount', sddc.members.find(isSddcHosts)?.count),
        ...ifDefined('activeHost', sddc.members.find(isSddcActiveHost)?.host),
        segments: sddc.members.filter(isSddcSegment).flatMap(segment => {
            const cidr = canonicalCidr(segment.cidr);
            if (!segment.name || !cidr) return [];
            return [{ name: segment.name, cidr, hosts: segment.hosts.map(h => lowerHost(h, 'ipv4')).filter(defined), origin: originOf(segment) }];
        }),
        origin: originOf(sddc),
    };
}

// ---------------------------------------------------------------------------------------------
// Hyperplane and edge services (issue 4)

function lowerEndpointService(service: AstEndpointService): EndpointService | undefined {
    const vpc = service.vpc?.$refText;
    const loadBalancer = service.loadBalancer?.$refText;
    if (!service.name || !vpc || !loadBalancer) return undefined;
    const families = [...new Set(service.supportedIpAddressTypes.filter((f): f is 'ipv4' | 'ipv6' => f === 'ipv4' || f === 'ipv6'))];
    return {
        name: service.name, vpc, loadBalancer, allowedAccounts: accountTexts(service),
        ...ifNonEmpty('supportedIpAddressTypes', families),
        origin: originOf(service),
    };
}

/** The allowed accounts as written (the INT tokens' text keeps leading zeros; comments may sit between them). */
export function accountTexts(service: AstEndpointService): string[] {
    return service.$cstNode ? GrammarUtils.findNodesForProperty(service.$cstNode, 'accounts').map(n => n.text) : [];
}

function lowerBlockPublicAccess(bpa: AstBlockPublicAccess): BlockPublicAccess | undefined {
    if (!bpa.region || (bpa.mode !== 'bidirectional' && bpa.mode !== 'ingress')) return undefined;
    return {
        region: bpa.region,
        mode: bpa.mode,
        exclusions: bpa.exclusions.flatMap(ex => {
            const text = ex.target?.$refText;
            if (!text || (ex.mode !== 'bidirectional' && ex.mode !== 'egress')) return [];
            const target = ex.target?.ref;
            let vpc: string;
            let subnet: string | undefined;
            if (isSubnet(target)) {
                vpc = vpcOf(target)?.name ?? '';
                subnet = target.name;
            } else if (isVpc(target)) {
                vpc = target.name;
            } else {
                const dot = text.indexOf('.');
                vpc = dot < 0 ? text : text.slice(0, dot);
                subnet = dot < 0 ? undefined : text.slice(dot + 1);
            }
            return [{ vpc, ...ifDefined('subnet', subnet), mode: ex.mode, origin: originOf(ex) }];
        }),
        origin: originOf(bpa),
    };
}

// ---------------------------------------------------------------------------------------------
// Expectations

/** An endpoint as the engine names it; undefined when it is malformed (the validator says why). */
export function lowerEndpoint(endpoint: Endpoint): EndpointRef | undefined {
    if (endpoint.internet) return { kind: 'internet' };
    if (endpoint.service === 's3' || endpoint.service === 'dynamodb') return { kind: 'aws-service', service: endpoint.service };
    if (endpoint.address !== undefined) {
        const ip = canonicalAddress(endpoint.address, 'any');
        return ip ? { kind: 'ip', ip } : undefined;
    }
    const ref = endpoint.target;
    if (!ref) return undefined;
    const target = ref.ref;
    if (isInstance(target)) {
        const vpc = vpcOf(target);
        return vpc ? { kind: 'instance', vpc: vpc.name, name: target.name } : undefined;
    }
    if (isHost(target)) {
        const container = target.$container;
        if (isSite(container)) return { kind: 'site-host', site: container.name, name: target.name };
        if (isSddcSegment(container)) return { kind: 'site-host', site: container.$container.name, name: target.name };
        return { kind: 'host', name: target.name };
    }
    if (isLoadBalancer(target) || isInterfaceEndpoint(target)) {
        const vpc = vpcOf(target);
        return vpc ? { kind: isLoadBalancer(target) ? 'load-balancer' : 'interface-endpoint', vpc: vpc.name, name: target.name } : undefined;
    }
    // Unresolved: as written. A qualified name can only be an instance; a bare one is taken as a host.
    const text = ref.$refText;
    if (!text) return undefined;
    const dot = text.indexOf('.');
    return dot > 0 ? { kind: 'instance', vpc: text.slice(0, dot), name: text.slice(dot + 1) } : { kind: 'host', name: text };
}

/** The endpoint's text as written in the statement. */
export function endpointText(endpoint: Endpoint): string {
    if (endpoint.internet) return 'internet';
    if (endpoint.service !== undefined) return endpoint.service;
    if (endpoint.address !== undefined) return endpoint.address;
    return endpoint.target?.$refText ?? '';
}

export function lowerExpectation(expectation: AstExpectation): Expectation | undefined {
    if (!expectation.source || !expectation.destination || !expectation.protocol || !expectation.verdict) return undefined;
    const source = lowerEndpoint(expectation.source);
    const lowered = lowerEndpoint(expectation.destination);
    if (!source || !lowered) return undefined;
    // `in <zone>` picks the node / interface of one AZ; on any other endpoint the validator reports it.
    const destination = expectation.zone && (lowered.kind === 'load-balancer' || lowered.kind === 'interface-endpoint')
        ? { ...lowered, zone: expectation.zone } : lowered;
    return {
        source,
        destination,
        sourceText: endpointText(expectation.source),
        destinationText: endpointText(expectation.destination) + (expectation.zone ? ` in ${expectation.zone}` : ''),
        protocol: expectation.protocol as Protocol,
        port: expectation.port,
        fromPort: expectation.fromPort,
        ...ifDefined('size', expectation.size),
        ...(expectation.ipv6 ? { family: 6 as const } : {}),
        expected: expectation.verdict,
        origin: originOf(expectation),
    };
}
