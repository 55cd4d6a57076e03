/**
 * Lowering: the ASTs of all .vnet documents of a workspace → one engine NetworkModel.
 *
 * Every element carries its Origin (document URI + 0-based range) so that diagnostics, hovers and
 * reveals can point at the deciding rule. CIDRs are lowered in canonical text. A reference that did
 * not resolve is lowered as written (the engine treats it as absent); a value that is malformed
 * (reported by the validator) drops the element that cannot exist without it.
 */
import { AstUtils, type AstNode, type LangiumDocument } from 'langium';
import {
    isExpectation, isInstance, isInstancePublicIp, isInstanceSecurityGroups, isInstanceSourceDestCheck,
    isInternet, isInternetGateway, isModel, isNetworkAcl, isRouteTable, isSecurityGroup, isSubnet,
    isSubnetNetworkAcl, isSubnetRouteTable, isVpcAccount, isVpcCidr, isVpcRegion, isVpc, isHost,
    type Endpoint, type Expectation as AstExpectation, type Instance as AstInstance, type Model,
    type NetworkAcl as AstNetworkAcl, type PortSpec, type RouteTable as AstRouteTable,
    type SecurityGroup as AstSecurityGroup, type Subnet as AstSubnet, type Vpc as AstVpc,
} from './generated/ast.js';
import {
    DEFAULT_REGION,
    type EndpointRef, type Expectation, type Instance, type InternetHost, type NetworkAcl, type NetworkModel,
    type Origin, type PortRange, type Protocol, type RouteTable, type SecurityGroup, type Subnet, type Vpc,
} from '../engine/model.js';
import { formatIp, formatPrefix } from '../engine/ip.js';
import { readAddress, readCidr, readPorts } from './vnet-values.js';
import { vpcOf } from './vnet-scope.js';

/** The source range of a node, as an engine Origin. */
export function originOf(node: AstNode): Origin | undefined {
    const cst = node.$cstNode;
    if (!cst) return undefined;
    const doc = AstUtils.getDocument(node);
    return { uri: doc.uri.toString(), start: { ...cst.range.start }, end: { ...cst.range.end } };
}

function canonicalCidr(text: string | undefined): string | undefined {
    const prefix = text !== undefined ? readCidr(text).value : undefined;
    return prefix ? formatPrefix(prefix) : undefined;
}

function canonicalAddress(text: string | undefined): string | undefined {
    const ip = text !== undefined ? readAddress(text).value : undefined;
    return ip ? formatIp(ip) : undefined;
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
                const ip = canonicalAddress(host.ip);
                if (host.name && ip) model.internetHosts.push({ name: host.name, ip, origin: originOf(host) } satisfies InternetHost);
            }
        } else if (isExpectation(element)) {
            const lowered = lowerExpectation(element);
            if (lowered) {
                model.expectations.push(lowered);
                onExpectation?.(element, lowered);
            }
        }
    }
}

function lowerVpc(vpc: AstVpc): Vpc {
    const igw = vpc.members.find(isInternetGateway);
    return {
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
function accountOf(vpc: AstVpc): string | undefined {
    const account = vpc.members.find(isVpcAccount);
    const text = account?.$cstNode?.text.replace(/^account\s*/, '');
    return text || undefined;
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
    };
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
    };
}

function lowerRouteTable(table: AstRouteTable): RouteTable {
    return {
        name: table.name,
        main: table.main,
        routes: table.routes.flatMap(route => {
            const destination = canonicalCidr(route.destination);
            const target = route.target?.$refText;
            return destination && target ? [{ destination, target, origin: originOf(route) }] : [];
        }),
        origin: originOf(table),
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
                const cidr = canonicalCidr(rule.cidr);
                if (!cidr) return [];
                peer = { kind: 'cidr', cidr };
            } else if (rule.group?.$refText) {
                peer = { kind: 'security-group', vpc: vpc.name, name: rule.group.$refText };
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
            const cidr = canonicalCidr(rule.cidr);
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

/** An endpoint as the engine names it; undefined when it is malformed (the validator says why). */
export function lowerEndpoint(endpoint: Endpoint): EndpointRef | undefined {
    if (endpoint.internet) return { kind: 'internet' };
    if (endpoint.address !== undefined) {
        const ip = canonicalAddress(endpoint.address);
        return ip ? { kind: 'ip', ip } : undefined;
    }
    const ref = endpoint.target;
    if (!ref) return undefined;
    const target = ref.ref;
    if (isInstance(target)) {
        const vpc = vpcOf(target);
        return vpc ? { kind: 'instance', vpc: vpc.name, name: target.name } : undefined;
    }
    if (isHost(target)) return { kind: 'host', name: target.name };
    // Unresolved: as written. A qualified name can only be an instance; a bare one is taken as a host.
    const text = ref.$refText;
    if (!text) return undefined;
    const dot = text.indexOf('.');
    return dot > 0 ? { kind: 'instance', vpc: text.slice(0, dot), name: text.slice(dot + 1) } : { kind: 'host', name: text };
}

/** The endpoint's text as written in the statement. */
export function endpointText(endpoint: Endpoint): string {
    if (endpoint.internet) return 'internet';
    if (endpoint.address !== undefined) return endpoint.address;
    return endpoint.target?.$refText ?? '';
}

export function lowerExpectation(expectation: AstExpectation): Expectation | undefined {
    if (!expectation.source || !expectation.destination || !expectation.protocol || !expectation.verdict) return undefined;
    const source = lowerEndpoint(expectation.source);
    const destination = lowerEndpoint(expectation.destination);
    if (!source || !destination) return undefined;
    return {
        source,
        destination,
        sourceText: endpointText(expectation.source),
        destinationText: endpointText(expectation.destination),
        protocol: expectation.protocol as Protocol,
        port: expectation.port,
        fromPort: expectation.fromPort,
        expected: expectation.verdict,
        origin: originOf(expectation),
    };
}
