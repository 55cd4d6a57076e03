/**
 * The document builder of the vnet workspace.
 *
 * The engine analyses the whole workspace at once: an edit in one file can change whether an
 * expectation in another file holds, or whether a name or public address is still unique. Those
 * checks form the 'workspace' validation category (vnet-validation-categories.ts). On every update:
 * - the changed documents are rebuilt fully, and Langium relinks the documents that reference them
 *   or have unresolved references (its own `shouldRelink`);
 * - every other validated vnet document keeps its parse, links and per-node diagnostics and re-runs
 *   only the 'workspace' checks, whose old diagnostics are dropped first;
 * - a document whose bare endpoint name (`expect client -> web`) a changed document now also
 *   defines is relinked too: the name may have become ambiguous (VnetScopeProvider), and nothing in
 *   the reference index ties the two documents.
 * Relinking and revalidating all 50 files of the benchmark on every edit cost 4/5 of an edit's
 * time (docs/performance.md, item 1).
 */
import {
    DefaultDocumentBuilder, DocumentState,
    type BuildOptions, type Cancellation, type LangiumDocument, type URI,
} from 'langium';
import { Host, Instance, isEndpoint } from './generated/ast.js';
import { isVnetDocument } from './vnet-documents.js';
import { isWorkspaceDiagnostic } from './vnet-document-validator.js';
import { bareName } from './vnet-scope.js';
import { WorkspaceCategory } from './vnet-validation-categories.js';

export class VnetDocumentBuilder extends DefaultDocumentBuilder {
    /** Langium's default ('built-in', 'fast') plus the checks that read other documents. */
    override updateBuildOptions: BuildOptions = { validation: { categories: ['built-in', 'fast', WorkspaceCategory] } };

    override async update(changed: URI[], deleted: URI[], cancelToken?: Cancellation.CancellationToken): Promise<void> {
        const touched = new Set([...changed, ...deleted].map(uri => uri.toString()));
        for (const document of this.langiumDocuments.all) {
            const key = document.uri.toString();
            if (touched.has(key) || document.state !== DocumentState.Validated || !isVnetDocument(document, this.serviceRegistry)) continue;
            const state = this.buildState.get(key);
            if (!state?.options.validation) continue; // never validated: nothing to refresh
            document.diagnostics = document.diagnostics?.filter(d => !isWorkspaceDiagnostic(d));
            state.completed = false;
            state.options = { ...state.options, validation: { categories: [WorkspaceCategory] } };
            if (state.result?.validationChecks) {
                state.result.validationChecks = state.result.validationChecks.filter(c => c !== WorkspaceCategory);
            }
            // Below Validated, so the update rebuilds it; its parse, links and index are kept.
            document.state = DocumentState.IndexedReferences;
        }
        return super.update(changed, deleted, cancelToken);
    }

    protected override async buildDocuments(documents: LangiumDocument[], options: BuildOptions, cancelToken: Cancellation.CancellationToken): Promise<void> {
        // Parse and index the new content first (Langium's own first two phases; it skips them
        // afterwards), to see which names the changed documents export now.
        this.prepareBuild(documents, options);
        const fresh = documents.filter(doc => doc.state < DocumentState.IndexedContent);
        if (fresh.length > 0 && fresh.length < documents.length) {
            await this.runCancelable(documents, DocumentState.Parsed, cancelToken, doc => this.langiumDocumentFactory.update(doc, cancelToken));
            await this.runCancelable(documents, DocumentState.IndexedContent, cancelToken, doc => this.indexManager.updateContent(doc, cancelToken));
            const names = this.endpointNamesOf(fresh);
            for (const document of documents) {
                if (document.state >= DocumentState.Linked && !fresh.includes(document) && namesEndpointBare(document, names)) {
                    this.resetToState(document, DocumentState.ComputedScopes);
                }
            }
        }
        return super.buildDocuments(documents, options, cancelToken);
    }

    /** The bare names of every instance and internet host the documents export. */
    private endpointNamesOf(documents: LangiumDocument[]): Set<string> {
        const uris = new Set(documents.map(doc => doc.uri.toString()));
        const names = new Set<string>();
        for (const type of [Instance.$type, Host.$type]) {
            for (const description of this.indexManager.allElements(type, uris)) names.add(bareName(description.name));
        }
        return names;
    }
}

/** True when the document has an endpoint written as a bare name in `names`. */
function namesEndpointBare(document: LangiumDocument, names: Set<string>): boolean {
    if (names.size === 0) return false;
    return document.references.some(ref =>
        !ref.$refText.includes('.') && names.has(ref.$refText) && isEndpoint(ref.$refNode?.astNode));
}
