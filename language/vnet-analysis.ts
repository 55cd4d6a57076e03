/**
 * The analysis of the workspace: every .vnet document lowered into one model, and the engine's
 * verdict on every expectation.
 *
 * Computed lazily, at most once per workspace build: the cache is evicted when a build has linked
 * every document (and when documents are deleted); the first validator that asks computes it, and
 * every other document's validation, the hover and the server's requests read it.
 *
 * Each document's lowered fragment is kept until the document is reparsed (a new root) or relinked
 * to different targets: its endpoints and targets are lowered from resolved references, which only
 * a relink changes, and a relinked document whose references resolve to elements of the same types
 * and names lowers to the same fragment. An edit re-lowers the edited file and the files whose
 * links changed, not all of them (docs/performance.md, items 2 and 4).
 */
import { AstUtils, CstUtils, DocumentState, URI, WorkspaceCache, type AstNode, type LangiumDocument, type LangiumDocuments, type ValidationAcceptor } from 'langium';
import type { DiagnosticRelatedInformation } from 'vscode-languageserver';
import { analyze, mappingEntry, trace, type Analysis, type MappingEntry } from '../engine/index.js';
import { resolveEndpointText } from './vnet-trace-endpoints.js';
import type { Expectation, NetworkModel, Origin } from '../engine/model.js';
import type { Hop, TraceResult } from '../engine/path.js';
import { isExpectation, isModel, type Expectation as AstExpectation, type Instance as AstInstance, type Model } from './generated/ast.js';
import { lowerInto } from './vnet-lower.js';
import { isVnetDocument } from './vnet-documents.js';
import { vpcOf } from './vnet-scope.js';
import { IssueCodes, withCode } from './vnet-validator.js';
import type { VnetServices } from './vnet-module.js';

/** One `expect` statement, as written and as the engine judged it. */
export interface ExpectationAnalysis {
    node: AstExpectation;
    uri: string;
    expectation: Expectation;
    result: TraceResult;
    holds: boolean;
}

export interface WorkspaceAnalysis {
    /** Increases with every analysis (see PacketPath.analysisVersion in server/protocol.ts). */
    version: number;
    model: NetworkModel;
    analysis: Analysis;
    /** Every expectation that could be lowered, in document order. */
    expectations: ExpectationAnalysis[];
    /** The URIs of the documents analysed. */
    uris: string[];
    /** The expectations of each document, by its root, in document order. */
    byRoot: Map<AstNode, ExpectationAnalysis[]>;
}

/** One document lowered on its own. */
interface Fragment {
    /** The document's references when it was lowered (or last found to resolve alike): a relink replaces the array. */
    references: readonly unknown[];
    /** What those references resolved to (see targetsOf). */
    targets: string;
    model: NetworkModel;
    /** The `expect` statements lowered, in the order of `model.expectations`. */
    nodes: AstExpectation[];
}

/** Appends every list of a document's fragment to the workspace model (the lists lowerInto fills). */
function appendModel(into: NetworkModel, fragment: NetworkModel): void {
    const target = into as unknown as Record<string, unknown[] | undefined>;
    for (const [key, value] of Object.entries(fragment)) {
        if (!Array.isArray(value) || value.length === 0) continue;
        const list = (target[key] ??= []);
        for (const item of value) list.push(item);
    }
}

/**
 * What every reference of a document resolved to, as one string: each target's type and the names
 * of it and its containers (`Instance shop web`), or nothing when unresolved. Lowering reads only
 * these from a target (vnet-lower.ts: the target's type, name, and its VPC's, site's or SDDC's
 * name); the rest comes from the document itself, whose root is the cache's key.
 */
function targetsOf(doc: LangiumDocument): string {
    const parts: string[] = [];
    for (const reference of doc.references) {
        if ('items' in reference) {
            for (const item of reference.items) parts.push(describeTarget(item.ref));
            parts.push('|');
        } else {
            parts.push(describeTarget(reference.ref));
        }
    }
    return parts.join('\n');
}

function describeTarget(target: AstNode | undefined): string {
    if (!target) return '';
    let text = target.$type;
    for (let node: AstNode | undefined = target; node; node = node.$container) {
        const name = (node as { name?: unknown }).name;
        text += ` ${typeof name === 'string' ? name : ''}`;
    }
    return text;
}

function groupByRoot(expectations: ExpectationAnalysis[]): Map<AstNode, ExpectationAnalysis[]> {
    const byRoot = new Map<AstNode, ExpectationAnalysis[]>();
    for (const item of expectations) {
        const root = AstUtils.findRootNode(item.node);
        const list = byRoot.get(root);
        if (list) list.push(item);
        else byRoot.set(root, [item]);
    }
    return byRoot;
}

/** A trace query with endpoints written as in an `expect` statement (`web`, `shop.web`, `8.8.8.8`, `internet`). */
export interface TextTraceQuery {
    from: string;
    to: string;
    protocol: 'tcp' | 'udp' | 'icmp' | 'all';
    port?: number;
    fromPort?: number;
    /** Packet size in bytes for the path-MTU check. */
    size?: number;
    /** 6: an IPv6 flow (as `expect ... ipv6`); absent: from the endpoints. */
    family?: 4 | 6;
}

const KIND_LABELS: Partial<Record<Hop['kind'], string>> = {
    'security-group': 'security group',
    'network-acl': 'network ACL',
    'route-table': 'route table',
    'internet-gateway': 'internet gateway',
    'virtual-router': 'virtual router',
    'mapping-service': 'mapping service',
};

export class VnetAnalyzer {
    private readonly documents: LangiumDocuments;
    private readonly cache: WorkspaceCache<string, WorkspaceAnalysis>;
    /** Lowered fragment of each document, by its root (see the header). */
    private readonly fragments = new WeakMap<Model, Fragment>();
    private version = 0;

    constructor(private readonly services: VnetServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
        // Evicted once every document of a build is linked (and when documents are deleted): an
        // analysis asked for in the middle of a build is the previous, consistent one, never one
        // of half-linked documents.
        this.cache = new WorkspaceCache(services.shared, DocumentState.IndexedReferences);
    }

    /** The analysis of the current workspace state (computed at most once per build). */
    getAnalysis(): WorkspaceAnalysis {
        return this.cache.get('analysis', () => this.compute());
    }

    private vnetDocuments(): LangiumDocument[] {
        const registry = this.services.shared.ServiceRegistry;
        return this.documents.all.filter(d => isVnetDocument(d, registry)).toArray();
    }

    private compute(): WorkspaceAnalysis {
        const model: NetworkModel = { vpcs: [], internetHosts: [], expectations: [] };
        const nodes: AstExpectation[] = [];
        const docs = this.vnetDocuments();
        for (const doc of docs) {
            const root = doc.parseResult.value;
            if (!isModel(root)) continue;
            const fragment = this.fragmentOf(doc, root);
            appendModel(model, fragment.model);
            for (const node of fragment.nodes) nodes.push(node);
        }
        const analysis = analyze(model);
        const expectations = analysis.results.map((r, i) => ({
            node: nodes[i],
            uri: AstUtils.getDocument(nodes[i]).uri.toString(),
            expectation: r.expectation,
            result: r.result,
            holds: r.holds,
        }));
        return { version: ++this.version, model, analysis, expectations, uris: docs.map(d => d.uri.toString()), byRoot: groupByRoot(expectations) };
    }

    /**
     * The document lowered on its own, from the cache while its root is the same and its references
     * resolve to the same elements: a relinked document whose targets kept their names (a transit
     * gateway edit relinks every VPC routing to it) lowers to the same fragment.
     */
    private fragmentOf(doc: LangiumDocument, root: Model): Fragment {
        const cached = this.fragments.get(root);
        if (cached && cached.references === doc.references) return cached;
        const targets = targetsOf(doc);
        if (cached && cached.targets === targets) {
            cached.references = doc.references;
            return cached;
        }
        const model: NetworkModel = { vpcs: [], internetHosts: [], expectations: [] };
        const nodes: AstExpectation[] = [];
        lowerInto(root, model, node => nodes.push(node));
        const fragment: Fragment = { references: doc.references, targets, model, nodes };
        this.fragments.set(root, fragment);
        return fragment;
    }

    /** The analysis of an `expect` statement. */
    resultFor(node: AstExpectation): ExpectationAnalysis | undefined {
        return this.getAnalysis().expectations.find(e => e.node === node);
    }

    /** The `expect` statement at (or containing) an offset of a document, and its analysis. */
    findExpectation(uri: string, offset: number): ExpectationAnalysis | undefined {
        // Compare normalized URIs: clients may spell the same file differently (%3A vs :).
        const wanted = URI.parse(uri).toString();
        const doc = this.documents.all.find(d => d.uri.toString() === wanted);
        const root = doc?.parseResult.value.$cstNode;
        if (!root) return undefined;
        const leaf = CstUtils.findLeafNodeAtOffset(root, offset);
        const node = leaf ? AstUtils.getContainerOfType(leaf.astNode, isExpectation) : undefined;
        return node ? this.resultFor(node) : undefined;
    }

    /** The mapping-service entry of an instance (its addresses, host, interface), for hovers. */
    mappingFor(instance: AstInstance): MappingEntry | undefined {
        const vpc = vpcOf(instance);
        if (!vpc?.name || !instance.name) return undefined;
        return mappingEntry(this.getAnalysis().analysis.network, vpc.name, instance.name);
    }

    /**
     * Traces an arbitrary query against the current workspace (for the CLI's `vnet trace`).
     * Endpoints are written as in `expect` statements (`nlb in us-east-1b` too); an unknown or ambiguous one gives `error`.
     */
    trace(query: TextTraceQuery): TraceResult | { error: string } {
        const { network } = this.getAnalysis().analysis;
        const source = resolveEndpointText(network, query.from, 'source');
        if ('error' in source) return source;
        const destination = resolveEndpointText(network, query.to, 'destination');
        if ('error' in destination) return destination;
        return trace(network, {
            source, destination, protocol: query.protocol, port: query.port, fromPort: query.fromPort,
            ...(query.size === undefined ? {} : { size: query.size }), ...(query.family === undefined ? {} : { family: query.family }),
        });
    }

    /** Reports, on each `expect` statement of this document, that it does not hold, and why. */
    reportExpectations(model: Model, accept: ValidationAcceptor): void {
        if (!model.elements.some(isExpectation)) return;
        for (const item of this.getAnalysis().byRoot.get(model) ?? []) {
            if (item.holds) continue;
            const { message, code, related } = explain(item);
            accept('error', message, {
                node: item.node,
                ...withCode(code, { direction: item.result.direction }),
                relatedInformation: related,
            });
        }
    }
}

function location(origin: Origin | undefined, message: string): DiagnosticRelatedInformation[] {
    return origin ? [{ location: { uri: origin.uri, range: { start: origin.start, end: origin.end } }, message }] : [];
}

/** The hop that dropped the packet: the last hop that denied or dropped it. */
export function decidingHop(result: TraceResult): Hop | undefined {
    for (let i = result.hops.length - 1; i >= 0; i--) {
        const hop = result.hops[i];
        if (hop.action === 'deny' || hop.action === 'drop') return hop;
    }
    return undefined;
}

/** The message of an expectation that does not hold, in AWS's words. */
export function explain(item: ExpectationAnalysis): { message: string; code: string; related: DiagnosticRelatedInformation[] } {
    const { expectation, result } = item;
    if (expectation.expected === 'reachable') {
        const hop = decidingHop(result);
        const where = result.component ?? hop?.component;
        const kind = hop ? KIND_LABELS[hop.kind] ?? hop.kind : undefined;
        const ruleText = result.rule?.text ?? hop?.rule?.text;
        // "network ACL, inbound * deny all"; the kind only once when the rule text already names it.
        const detail = kind && ruleText?.toLowerCase().startsWith(kind.toLowerCase()) ? ruleText
            : [kind, ruleText].filter(Boolean).join(', ');
        const path = result.direction ? `the ${result.direction} path` : 'the packet';
        const code = result.code ?? IssueCodes.ExpectationNotMet;
        const at = where ? ` at ${where}${detail ? ` (${detail})` : ''}` : '';
        const message = `expected reachable, but ${path} is dropped${at}: ${result.reason} — ${code}`;
        const origin = result.rule?.origin ?? hop?.rule?.origin ?? hop?.origin;
        return { message, code, related: location(origin, ruleText ? `${where ?? 'here'}: ${ruleText}` : `${where ?? 'the component'} drops the packet here`) };
    }
    // Expected unreachable, but the connection is established: point at what let it through.
    const allowing = result.hops.filter(h => h.action === 'allow' && h.rule?.origin);
    const related = allowing.flatMap(h => location(h.rule!.origin, `${h.component} (${KIND_LABELS[h.kind] ?? h.kind}) allows it: ${h.rule!.text}`));
    const message = `expected unreachable, but the connection is established and its replies come back (${expectation.sourceText} -> ${expectation.destinationText}${expectation.family === 6 ? ' ipv6' : ''} ${expectation.protocol}${expectation.port !== undefined ? ` ${expectation.port}` : ''}) — ${IssueCodes.ExpectationNotMet}`;
    return { message, code: IssueCodes.ExpectationNotMet, related };
}
