/**
 * Hovers: the packet's journey on an `expect` statement, the mapping-service entry on an instance,
 * `/** *\/` documentation comments on every other declaration, and a short description of what the
 * declarations of issues 3 and 4 are (vnet-descriptions.ts).
 *
 * Hovers read the workspace analysis, so the server must answer hover requests only once documents
 * are validated (startLanguageServer(shared, { HoverProvider: DocumentState.Validated })).
 */
import { AstUtils, CstUtils, type AstNode, type LangiumDocument, type MaybePromise } from 'langium';
import { MultilineCommentHoverProvider } from 'langium/lsp';
import type { Hover, HoverParams } from 'vscode-languageserver';
import { renderMappingMarkdown, renderTraceMarkdown } from '../engine/index.js';
import { isExpectation, isGwlbEndpoint, isInstance, isInterfaceEndpoint, isLoadBalancer, isSiteRoute } from './generated/ast.js';
import { describeDeclaration } from './vnet-descriptions.js';
import { compiledAddresses, declaredAddresses, renderNodeAddresses } from './vnet-node-addresses.js';
import type { VnetAnalyzer } from './vnet-analysis.js';
import type { VnetServices } from './vnet-module.js';

export class VnetHoverProvider extends MultilineCommentHoverProvider {
    private readonly analyzer: VnetAnalyzer;

    constructor(services: VnetServices) {
        super(services);
        this.analyzer = services.analysis.Analyzer;
    }

    override async getHoverContent(document: LangiumDocument, params: HoverParams): Promise<Hover | undefined> {
        const root = document.parseResult?.value?.$cstNode;
        if (root) {
            const offset = document.textDocument.offsetAt(params.position);
            const leaf = CstUtils.findLeafNodeAtOffset(root, offset);
            // A site's route has no name to hover: its keyword and prefix describe it (its link hovers as the link).
            const link = leaf && isSiteRoute(leaf.astNode) ? leaf.astNode.via?.$refNode : undefined;
            const onLink = !!link && offset >= link.offset && offset <= link.end;
            if (leaf && isSiteRoute(leaf.astNode) && !onLink) {
                const description = describeDeclaration(leaf.astNode);
                if (description) return { contents: { kind: 'markdown', value: description } };
            }
            const statement = leaf ? AstUtils.getContainerOfType(leaf.astNode, isExpectation) : undefined;
            if (statement) {
                const item = this.analyzer.resultFor(statement);
                if (item) {
                    const e = item.expectation;
                    const title = `expect ${e.sourceText} -> ${e.destinationText}${e.family === 6 ? ' ipv6' : ''}: expected ${e.expected}, ${item.holds ? 'holds' : 'does not hold'}`;
                    return { contents: { kind: 'markdown', value: renderTraceMarkdown(item.result, title) } };
                }
            }
        }
        return super.getHoverContent(document, params);
    }

    protected override getAstNodeHoverContent(node: AstNode): MaybePromise<string | undefined> {
        const documentation = super.getAstNodeHoverContent(node) as string | undefined;
        if (isInstance(node)) {
            const entry = this.analyzer.mappingFor(node);
            if (entry) return [documentation, renderMappingMarkdown(entry)].filter(Boolean).join('\n\n');
        }
        const description = describeDeclaration(node);
        let addresses: string | undefined;
        if (isLoadBalancer(node) || isInterfaceEndpoint(node) || isGwlbEndpoint(node)) {
            // What the engine assigned (declared or derived); the declaration alone when the network does not hold it.
            const compiled = compiledAddresses(this.analyzer.getAnalysis().analysis.network, node);
            const title = isLoadBalancer(node) ? '**Nodes**' : '**Interfaces**';
            addresses = compiled ? renderNodeAddresses(title, compiled, true) : renderNodeAddresses(title, declaredAddresses(node), false);
        }
        return [documentation, description, addresses].filter(Boolean).join('\n\n') || undefined;
    }
}
