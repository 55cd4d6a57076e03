/**
 * Rename that keeps qualified names qualified: renaming instance `web` turns `shop.web` into
 * `shop.www` (not `www`), and renaming VPC `shop` turns `shop.web` into `store.web` (and
 * `to shop.vgw` into `to store.vgw`).
 */
import { CstUtils, URI, type LangiumDocument, type LangiumDocuments } from 'langium';
import { DefaultRenameProvider, type LangiumServices } from 'langium/lsp';
import type { RenameParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { isModel, isVpc, type Vpc } from './generated/ast.js';
import { vpcOf } from './vnet-scope.js';

export class VnetRenameProvider extends DefaultRenameProvider {
    private readonly documents: LangiumDocuments;

    constructor(services: LangiumServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    override async rename(document: LangiumDocument, params: RenameParams): Promise<WorkspaceEdit | undefined> {
        const edit = await super.rename(document, params);
        if (!edit?.changes) return edit;
        for (const [uri, edits] of Object.entries(edit.changes)) {
            const doc = this.documents.getDocument(URI.parse(uri));
            if (!doc) continue;
            for (const e of edits) {
                const old = doc.textDocument.getText(e.range);
                const dot = old.lastIndexOf('.');
                if (dot >= 0) e.newText = `${old.slice(0, dot + 1)}${params.newName}`;
            }
        }
        const vpc = this.targetVpc(document, params);
        if (vpc) this.renameQualifiers(vpc, params.newName, edit.changes);
        return edit;
    }

    /** The VPC being renamed, if the rename is on a VPC's name. */
    private targetVpc(document: LangiumDocument, params: RenameParams): Vpc | undefined {
        const root = document.parseResult.value.$cstNode;
        if (!root) return undefined;
        const leaf = CstUtils.findDeclarationNodeAtOffset(root, document.textDocument.offsetAt(params.position), this.grammarConfig.nameRegexp);
        const target = leaf ? this.references.findDeclarations(leaf)[0] : undefined;
        return isVpc(target) ? target : undefined;
    }

    /**
     * Rewrites the `vpc.` part of every qualified reference that names an element of `vpc`: expect
     * endpoints, VPN and Direct Connect targets, DX gateway associations, Block Public Access exclusions.
     */
    private renameQualifiers(vpc: Vpc, newName: string, changes: Record<string, TextEdit[]>): void {
        for (const doc of this.documents.all) {
            if (!isModel(doc.parseResult.value)) continue;
            for (const ref of doc.references) {
                const target = 'ref' in ref ? ref.ref : undefined;
                if (!target || !ref.$refNode) continue;
                if (!ref.$refText.startsWith(`${vpc.name}.`) || vpcOf(target) !== vpc) continue;
                const start = ref.$refNode.offset;
                const range = { start: doc.textDocument.positionAt(start), end: doc.textDocument.positionAt(start + vpc.name.length) };
                (changes[doc.uri.toString()] ??= []).push({ range, newText: newName });
            }
        }
    }
}
