/**
 * Names and scopes of the .vnet language.
 *
 * - Inside a VPC, names are the VPC's own: every named element of a VPC (at any depth: instances
 *   live inside subnets) is visible everywhere in that VPC under its bare name.
 * - Inside a transit gateway, its attachments and route tables are visible under their bare names.
 * - Across files, VPCs, internet hosts and the other top-level elements (peerings, transit gateways,
 *   sites, VPNs, Direct Connect, SDDCs, endpoint services) are exported under their names; every
 *   named VPC element under its qualified name `vpc.name` (e.g. `shop.web`), and hosts of sites and
 *   SDDC segments as `site.host` / `sddc.host`.
 * - A reference to an element of a named VPC from outside it (transit gateway attachment subnets,
 *   an SDDC's subnet, an endpoint service's load balancer) sees that VPC's elements.
 * - `expect` endpoints, VPN and Direct Connect targets, Direct Connect gateway associations and
 *   Block Public Access exclusions resolve a qualified name, or a bare name when it names exactly one
 *   candidate in the workspace. An ambiguous bare name resolves to nothing; the linker then reports
 *   the candidates (see VnetLinker).
 */
import {
    AstUtils, DefaultLinker, DefaultScopeComputation, DefaultScopeProvider, MultiMap, MultiMapScope,
    WorkspaceCache, interruptAndCheck, Cancellation,
    type AstNode, type AstNodeDescription, type LangiumDocument, type LinkingError, type LocalSymbols,
    type ReferenceInfo, type Scope,
} from 'langium';
import type { LangiumServices } from 'langium/lsp';
import {
    BlockPublicAccessExclusion, DirectConnect, DirectConnectGatewayAssociation, Endpoint, EndpointService, Host,
    Instance, InterfaceEndpoint, LoadBalancer, SddcConnectedVpc, SecurityGroup, SecurityGroupRule, TgwAttachment, VpnConnection,
    isHost, isInstance, isInternet, isLoadBalancer, isModel, isNamedVpcElement, isSddc, isSddcSegment, isSite,
    isSubnet, isTgwAttachment, isTgwRouteTable, isTransitGateway, isVpc,
    type Model, type NamedVpcElement, type Vpc,
} from './generated/ast.js';

/** Top-level elements other than VPCs, exported under their bare names. */
const TOP_LEVEL_NAMED = new Set([
    'Peering', 'TransitGateway', 'Site', 'VpnConnection', 'DirectConnect', 'DirectConnectGateway', 'Sddc',
    'EndpointService',
]);

/** References written as `vpc.element` or a bare name that is unique in the workspace. */
const QUALIFIED_REFERENCES: Record<string, string> = {
    [VpnConnection.$type]: VpnConnection.to,
    [DirectConnect.$type]: DirectConnect.to,
    [DirectConnectGatewayAssociation.$type]: DirectConnectGatewayAssociation.gateways,
    [BlockPublicAccessExclusion.$type]: BlockPublicAccessExclusion.target,
};

/** The VPC an element belongs to, if any. */
export function vpcOf(node: AstNode): Vpc | undefined {
    return AstUtils.getContainerOfType(node, isVpc);
}

/** Every named element of a VPC, whatever its depth (instances are nested in subnets). */
export function namedElementsOf(vpc: Vpc): NamedVpcElement[] {
    // A structural walk: cheaper than streaming every node of the VPC (rules, routes, settings).
    const named: NamedVpcElement[] = [];
    for (const member of vpc.members) {
        if (!isNamedVpcElement(member)) continue;
        if (member.name) named.push(member);
        if (isSubnet(member)) {
            for (const inner of member.members) if (isInstance(inner) && inner.name) named.push(inner);
        }
    }
    return named;
}

/** `vpc.name` for a VPC element, the bare name for top-level elements. */
export function qualifiedNameOf(node: AstNode & { name?: string }): string | undefined {
    if (!node.name) return undefined;
    const vpc = vpcOf(node);
    return vpc && vpc !== node ? (vpc.name ? `${vpc.name}.${node.name}` : undefined) : node.name;
}

/** The last segment of a possibly qualified name. */
export function bareName(name: string): string {
    const dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.slice(dot + 1);
}

export class VnetScopeComputation extends DefaultScopeComputation {

    override async collectExportedSymbols(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<AstNodeDescription[]> {
        const root = document.parseResult.value;
        const exports: AstNodeDescription[] = [];
        if (!isModel(root)) return exports;
        for (const element of (root as Model).elements) {
            await interruptAndCheck(cancelToken);
            if (isVpc(element) && element.name) {
                exports.push(this.descriptions.createDescription(element, element.name, document));
                for (const member of namedElementsOf(element)) {
                    exports.push(this.descriptions.createDescription(member, `${element.name}.${member.name}`, document));
                }
            } else if (isInternet(element)) {
                for (const host of element.hosts) {
                    if (host.name) exports.push(this.descriptions.createDescription(host, host.name, document));
                }
            } else if (TOP_LEVEL_NAMED.has(element.$type) && 'name' in element && element.name) {
                exports.push(this.descriptions.createDescription(element, element.name, document));
                for (const host of hostsOf(element)) {
                    if (host.name) exports.push(this.descriptions.createDescription(host, `${element.name}.${host.name}`, document));
                }
            }
        }
        return exports;
    }

    override async collectLocalSymbols(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<LocalSymbols> {
        const root = document.parseResult.value;
        const symbols = new MultiMap<AstNode, AstNodeDescription>();
        if (!isModel(root)) return symbols;
        for (const element of (root as Model).elements) {
            await interruptAndCheck(cancelToken);
            if (isVpc(element)) {
                for (const member of namedElementsOf(element)) {
                    symbols.add(element, this.descriptions.createDescription(member, member.name, document));
                }
            } else if (isTransitGateway(element)) {
                // Attachments and route tables belong to their transit gateway.
                for (const member of element.members) {
                    if ((isTgwAttachment(member) || isTgwRouteTable(member)) && member.name) {
                        symbols.add(element, this.descriptions.createDescription(member, member.name, document));
                    }
                }
            }
        }
        return symbols;
    }
}

/**
 * Candidates for one bare endpoint name: the qualified names of every instance, host, load balancer
 * and interface endpoint so called.
 */
export interface EndpointIndex {
    /** Bare name → descriptions (under their exported, qualified names). */
    byBareName: MultiMap<string, AstNodeDescription>;
    scope: Scope;
}

export class VnetScopeProvider extends DefaultScopeProvider {
    private readonly endpointCache: WorkspaceCache<string, EndpointIndex>;
    private readonly vpcScopeCache: WorkspaceCache<Vpc, Map<string, Scope>>;
    /** The bare-named part of the global scope, by reference type: the same for every VPC. */
    private readonly bareGlobalCache: WorkspaceCache<string, Scope>;

    constructor(services: LangiumServices) {
        super(services);
        this.endpointCache = new WorkspaceCache(services.shared);
        this.vpcScopeCache = new WorkspaceCache(services.shared);
        this.bareGlobalCache = new WorkspaceCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        const container = context.container;
        if (container.$type === Endpoint.$type && context.property === Endpoint.target) {
            return this.endpointIndex().scope;
        }
        if (QUALIFIED_REFERENCES[container.$type] === context.property) {
            return this.qualifiedIndex(this.reflection.getReferenceType(context)).scope;
        }
        // Elements of another VPC, named after that VPC's reference.
        if (container.$type === TgwAttachment.$type && context.property === TgwAttachment.subnets) {
            return this.elementsOf((container as TgwAttachment).vpc?.ref, 'elements:Subnet', isSubnet);
        }
        if (container.$type === SddcConnectedVpc.$type && context.property === SddcConnectedVpc.subnet) {
            return this.elementsOf((container as SddcConnectedVpc).vpc?.ref, 'elements:Subnet', isSubnet);
        }
        if (container.$type === EndpointService.$type && context.property === EndpointService.loadBalancer) {
            return this.elementsOf((container as EndpointService).vpc?.ref, 'elements:LoadBalancer', isLoadBalancer);
        }
        const vpc = vpcOf(context.container);
        if (vpc && container.$type === SecurityGroupRule.$type && context.property === SecurityGroupRule.group) {
            // A rule's group: this VPC's groups by bare name, any VPC's as `vpc.group` (a peer's group;
            // whether a peering allows it is the validator's business, §3.7).
            const scopes = this.vpcScopeCache.get(vpc, () => new Map<string, Scope>());
            let scope = scopes.get('SecurityGroupRule:group');
            if (!scope) {
                const local = AstUtils.getDocument(vpc).localSymbols?.getStream(vpc)
                    .filter(desc => desc.type === SecurityGroup.$type).toArray() ?? [];
                const qualified = this.indexManager.allElements(SecurityGroup.$type).filter(d => d.name.includes('.')).toArray();
                scope = new MultiMapScope(local, new MultiMapScope(qualified));
                scopes.set('SecurityGroupRule:group', scope);
            }
            return scope;
        }
        if (vpc) {
            // References inside a VPC see the VPC's own elements, then the global scope. Indexed
            // once per VPC and reference type: a VPC holds hundreds of references.
            const type = this.reflection.getReferenceType(context);
            const scopes = this.vpcScopeCache.get(vpc, () => new Map<string, Scope>());
            let scope = scopes.get(type);
            if (!scope) {
                const local = AstUtils.getDocument(vpc).localSymbols?.getStream(vpc)
                    .filter(desc => this.reflection.isSubtype(desc.type, type)).toArray() ?? [];
                // Names inside a VPC are bare: qualified names of the global scope never match them.
                // That part is the same for every VPC, so it is built once per type and build (a
                // transit gateway edit relinks every VPC that routes to it: docs/performance.md, item 4).
                const global = this.bareGlobalCache.get(type, () => new MultiMapScope(
                    this.getGlobalScope(type, context).getAllElements().filter(d => !d.name.includes('.'))));
                scope = new MultiMapScope(local, global);
                scopes.set(type, scope);
            }
            return scope;
        }
        return super.getScope(context);
    }

    /**
     * The named elements of a VPC satisfying `guard` (nothing when the VPC did not resolve), built
     * once per VPC, `key` and build: every attachment to a VPC names its subnets.
     */
    private elementsOf(vpc: Vpc | undefined, key: string, guard: (node: AstNode) => boolean): Scope {
        if (!vpc) return new MultiMapScope([]);
        const scopes = this.vpcScopeCache.get(vpc, () => new Map<string, Scope>());
        let scope = scopes.get(key);
        if (!scope) {
            const document = AstUtils.getDocument(vpc);
            scope = new MultiMapScope(namedElementsOf(vpc).filter(guard).map(e => this.descriptions.createDescription(e, e.name, document)));
            scopes.set(key, scope);
        }
        return scope;
    }

    /**
     * Every instance, host, load balancer and interface endpoint, under its qualified name, plus an
     * alias under its bare name when that bare name is unambiguous across the workspace.
     */
    endpointIndex(): EndpointIndex {
        return this.endpointCache.get('endpoints',
            () => this.indexWithAliases([Instance.$type, Host.$type, LoadBalancer.$type, InterfaceEndpoint.$type]));
    }

    /** Every element of `type` under its exported name, plus the unambiguous bare aliases. */
    qualifiedIndex(type: string): EndpointIndex {
        return this.endpointCache.get(`qualified:${type}`, () => this.indexWithAliases([type]));
    }

    private indexWithAliases(types: string[]): EndpointIndex {
        const targets = types.flatMap(type => this.indexManager.allElements(type).toArray());
        const byBareName = new MultiMap<string, AstNodeDescription>();
        for (const desc of targets) byBareName.add(bareName(desc.name), desc);
        const all = new MultiMap<string, AstNodeDescription>();
        for (const desc of targets) all.add(desc.name, desc);
        for (const [bare, descs] of byBareName.entriesGroupedByKey()) {
            if (descs.length === 1 && !all.has(bare)) all.add(bare, { ...descs[0], name: bare });
        }
        return { byBareName, scope: new MultiMapScope(all.values()) };
    }
}

/** The hosts of a site or of an SDDC's segments (they are named `site.host` / `sddc.host`). */
export function hostsOf(node: AstNode): Host[] {
    if (isSite(node)) return node.members.filter(isHost);
    if (isSddc(node)) return node.members.filter(isSddcSegment).flatMap(s => s.hosts);
    return [];
}

/** What a host belongs to: the internet, an on-premises site or an SDDC segment. */
export function hostKind(host: Host): 'internet host' | 'site host' | 'SDDC host' {
    const container = host.$container;
    if (isSite(container)) return 'site host';
    if (isSddcSegment(container)) return 'SDDC host';
    return 'internet host';
}

/** What a reference of each type names, for linking messages. */
const REFERENCE_KINDS: Record<string, string> = {
    EndpointTarget: 'instance, host, load balancer or interface endpoint',
    NamedVpcElement: 'internet gateway or instance',
    RouteTarget: 'route target (internet gateway, instance, NAT gateway, gateway, endpoint, peering or transit gateway)',
    EdgeGateway: 'internet gateway or virtual private gateway',
    VpnGateway: 'virtual private gateway',
    Subnet: 'subnet',
    Instance: 'instance',
    LoadBalancer: 'load balancer',
    Vpc: 'VPC',
    Site: 'site',
    TransitGateway: 'transit gateway',
    TgwAttachment: 'attachment',
    VpnConnection: 'VPN',
    SiteLink: 'VPN or Direct Connect virtual interface',
    DirectConnectGateway: 'Direct Connect gateway',
    EndpointService: 'endpoint service',
    VpnTarget: 'virtual private gateway or transit gateway',
    DirectConnectTarget: 'virtual private gateway or Direct Connect gateway',
    DirectConnectAssociable: 'virtual private gateway or transit gateway',
    ExcludableElement: 'VPC or subnet',
    SecurityGroup: 'security group',
    RouteTable: 'route table',
    NetworkAcl: 'network ACL',
};

/** Reports an ambiguous bare endpoint name with its candidates instead of "could not resolve". */
export class VnetLinker extends DefaultLinker {
    private readonly scopes: VnetScopeProvider;

    constructor(services: LangiumServices) {
        super(services);
        this.scopes = services.references.ScopeProvider as VnetScopeProvider;
    }

    override createLinkingError(refInfo: ReferenceInfo, targetDescription?: AstNodeDescription): LinkingError {
        const error = super.createLinkingError(refInfo, targetDescription);
        const text = refInfo.reference.$refText;
        const type = this.reflection.getReferenceType(refInfo);
        const vpc = vpcOf(refInfo.container);
        const inVpc = vpc?.name ? ` in VPC ${vpc.name}` : '';
        const what = REFERENCE_KINDS[type];
        const container = refInfo.container;
        const qualified = container.$type === Endpoint.$type || QUALIFIED_REFERENCES[container.$type] === refInfo.property;
        const scoped = vpcOf(container) && !qualified ? inVpc : scopeOf(refInfo);
        if (what) error.message = `There is no ${what} named '${text}'${scoped}.`;
        if (qualified && !text.includes('.')) {
            const index = container.$type === Endpoint.$type ? this.scopes.endpointIndex() : this.scopes.qualifiedIndex(type);
            const candidates = index.byBareName.get(text);
            if (candidates.length > 1) {
                const names = candidates.map(c => isHost(c.node) ? `${c.name} (${hostKind(c.node)})` : c.name).sort();
                error.message = `'${text}' is ambiguous: it could be ${names.join(', ')}. Write the qualified name (vpc.name) of the one you mean.`;
            }
        }
        return error;
    }
}

/** " in VPC x" for a reference that looks into another VPC (attachment subnets and the like). */
function scopeOf(refInfo: ReferenceInfo): string {
    const c = refInfo.container;
    const vpc = c.$type === TgwAttachment.$type ? (c as TgwAttachment).vpc
        : c.$type === SddcConnectedVpc.$type ? (c as SddcConnectedVpc).vpc
            : c.$type === EndpointService.$type ? (c as EndpointService).vpc : undefined;
    if (vpc && refInfo.property !== 'vpc') return vpc.ref ? ` in VPC ${vpc.ref.name}` : '';
    const tgw = AstUtils.getContainerOfType(c, isTransitGateway);
    if (tgw?.name && refInfo.property !== 'peer' && refInfo.property !== 'vpc' && refInfo.property !== 'vpn'
        && refInfo.property !== 'directConnectGateway') return ` in transit gateway ${tgw.name}`;
    return '';
}

/** True when a linking error is the ambiguity reported by VnetLinker. */
export function isAmbiguityMessage(message: string): boolean {
    return message.includes(' is ambiguous: ');
}
