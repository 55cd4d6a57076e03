/**
 * Quick fixes, keyed on the diagnostic's `data.code`.
 */
import type { LangiumDocument, MaybePromise } from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Command, type Diagnostic } from 'vscode-languageserver';
import { IssueCodes } from './vnet-validator.js';

interface CodeData { code?: string; canonical?: string; replacement?: string }

export class VnetCodeActionProvider implements CodeActionProvider {
    getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<Array<Command | CodeAction>> {
        const actions: CodeAction[] = [];
        for (const diagnostic of params.context.diagnostics) {
            const data = diagnostic.data as CodeData | undefined;
            if (data?.code === IssueCodes.CidrNotCanonical && data.canonical) {
                actions.push(this.replace(document, diagnostic, data.canonical, `Write the canonical CIDR ${data.canonical}`));
            } else if (data?.code === IssueCodes.WrongPreposition && data.replacement) {
                actions.push(this.replace(document, diagnostic, data.replacement, `Write '${data.replacement}'`));
            } else if (data?.code === IssueCodes.PortRangeReversed && data.replacement) {
                actions.push(this.replace(document, diagnostic, data.replacement, `Write the range as ${data.replacement}`));
            }
        }
        return actions;
    }

    private replace(document: LangiumDocument, diagnostic: Diagnostic, text: string, title: string): CodeAction {
        return {
            title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [document.textDocument.uri]: [{ range: diagnostic.range, newText: text }] } },
        };
    }
}
