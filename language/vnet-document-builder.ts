/**
 * The document builder of the vnet workspace.
 *
 * The engine analyses the whole workspace at once: an edit in one file can change whether an
 * expectation in another file holds. Langium relinks (and so revalidates) only documents that
 * reference a changed one; here every vnet document is relinked on every update, so no document
 * keeps stale engine diagnostics (langium-and-vscode.md §2.2).
 */
import { DefaultDocumentBuilder, type BuildOptions, type LangiumDocument } from 'langium';
import { isVnetDocument } from './vnet-documents.js';
import { WorkspaceCategory } from './vnet-validation-categories.js';

export class VnetDocumentBuilder extends DefaultDocumentBuilder {
    /** Langium's default ('built-in', 'fast') plus the checks that read other documents. */
    override updateBuildOptions: BuildOptions = { validation: { categories: ['built-in', 'fast', WorkspaceCategory] } };

    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        return isVnetDocument(document, this.serviceRegistry) || super.shouldRelink(document, changedUris);
    }
}
