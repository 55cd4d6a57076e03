/**
 * Names and scopes of the .vnet language.
 *
 * - Inside a VPC, names are the VPC's own: every named element of a VPC (at any depth: instances
 *   live inside subnets) is visible everywhere in that VPC under its bare name.
 * - Across files, VPCs and internet hosts are exported under their names, and every named VPC
 *   element under its qualified name `vpc.name` (e.g. `shop.web`).
 * - `expect` endpoints resolve a qualified name, or a bare name when it names exactly one instance
 *   or host in the workspace. An ambiguous bare name resolves to nothing; the linker then reports
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
    Endpoint, Host, Instance, isHost, isInstance, isInternet, isModel, isNamedVpcElement, isSubnet, isVpc,
    type Model, type NamedVpcElement, type Vpc,
} from './generated/ast.js';

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
            }
        }
        return symbols;
    }
}

/** Candidates for one bare endpoint name: the qualified names of every instance and host so called. */
export interface EndpointIndex {
    /** Bare name → descriptions (under their exported, qualified names). */
    byBareName: MultiMap<string, AstNodeDescription>;
    scope: Scope;
}

export class VnetScopeProvider extends DefaultScopeProvider {
    private readonly endpointCache: WorkspaceCache<string, EndpointIndex>;
    private readonly vpcScopeCache: WorkspaceCache<Vpc, Map<string, Scope>>;

    constructor(services: LangiumServices) {
        super(services);
        this.endpointCache = new WorkspaceCache(services.shared);
        this.vpcScopeCache = new WorkspaceCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        if (context.container.$type === Endpoint.$type && context.property === Endpoint.target) {
            return this.endpointIndex().scope;
        }
        const vpc = vpcOf(context.container);
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
                const global = this.getGlobalScope(type, context).getAllElements().filter(d => !d.name.includes('.'));
                scope = new MultiMapScope(local, new MultiMapScope(global));
                scopes.set(type, scope);
            }
            return scope;
        }
        return super.getScope(context);
    }

    /**
     * Every instance and host, under its qualified name, plus an alias under its bare name when that
     * bare name is unambiguous across the workspace.
     */
    endpointIndex(): EndpointIndex {
        return this.endpointCache.get('endpoints', () => {
            const targets = this.indexManager.allElements(Instance.$type)
                .concat(this.indexManager.allElements(Host.$type))
                .toArray();
            const byBareName = new MultiMap<string, AstNodeDescription>();
            for (const desc of targets) byBareName.add(bareName(desc.name), desc);
            const all = new MultiMap<string, AstNodeDescription>();
            for (const desc of targets) all.add(desc.name, desc);
            for (const [bare, descs] of byBareName.entriesGroupedByKey()) {
                if (descs.length === 1 && !all.has(bare)) all.add(bare, { ...descs[0], name: bare });
            }
            return { byBareName, scope: new MultiMapScope(all.values()) };
        });
    }
}

/** What a reference of each type names, for linking messages. */
const REFERENCE_KINDS: Record<string, string> = {
    EndpointTarget: 'instance or internet host',
    NamedVpcElement: 'internet gateway or instance',
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
        if (what) error.message = `There is no ${what} named '${text}'${type === 'EndpointTarget' ? '' : inVpc}.`;
        if (refInfo.container.$type === Endpoint.$type && !text.includes('.')) {
            const candidates = this.scopes.endpointIndex().byBareName.get(text);
            if (candidates.length > 1) {
                const names = candidates.map(c => isHost(c.node) ? `${c.name} (internet host)` : c.name).sort();
                error.message = `'${text}' is ambiguous: it could be ${names.join(', ')}. Write the qualified name (vpc.name) of the one you mean.`;
            }
        }
        return error;
    }
}

/** True when a linking error is the ambiguity reported by VnetLinker. */
export function isAmbiguityMessage(message: string): boolean {
    return message.includes(' is ambiguous: ');
}
