/**
 * Post-processing of every document's diagnostics, in one place:
 * - every diagnostic's `data.code` is also its LSP `code` (parser and linker diagnostics included);
 * - `default`, the implicit default security group of a VPC, is not a linking error;
 * - an ambiguous bare endpoint name (VnetLinker's message) gets the code AMBIGUOUS_NAME.
 *
 * And the 'workspace' validation category (vnet-validation-categories.ts): its checks, all on the
 * document's root, run without Langium's walk over every AST node, and their diagnostics are
 * remembered (isWorkspaceDiagnostic) so the builder can replace just them after another file's edit.
 */
import {
    AstUtils, Cancellation, DefaultDocumentValidator, interruptAndCheck,
    type AstNode, type DiagnosticInfo, type LangiumDocument, type ValidationAcceptor, type ValidationOptions, type ValidationSeverity,
} from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import { IssueCodes } from './vnet-validator.js';
import { isAmbiguityMessage } from './vnet-scope.js';
import { WorkspaceCategory } from './vnet-validation-categories.js';

interface LinkingData { code?: string; containerType?: string; property?: string; refText?: string }

/** Containers whose references name security groups. */
const SECURITY_GROUP_REFERENCES = new Set([
    'InstanceSecurityGroups:groups', 'SecurityGroupRule:group',
    'LoadBalancer:securityGroups', 'InterfaceEndpoint:securityGroups',
]);

/**
 * The diagnostics reported by 'workspace' checks. By identity, not by a mark in `data`: `data` is
 * what clients and quick fixes see, and it stays exactly what the check reported.
 */
const workspaceDiagnostics = new WeakSet<Diagnostic>();

/** True for a diagnostic reported by a check of the 'workspace' category. */
export function isWorkspaceDiagnostic(diagnostic: Diagnostic): boolean {
    return workspaceDiagnostics.has(diagnostic);
}

/** Set on the DiagnosticInfo a workspace check reports; toDiagnostic copies only known fields, so it goes no further. */
const FROM_WORKSPACE_CHECK = Symbol('vnet.workspaceCheck');
type MarkedInfo = DiagnosticInfo<AstNode, string> & { [FROM_WORKSPACE_CHECK]?: true };

export class VnetDocumentValidator extends DefaultDocumentValidator {

    override async validateDocument(document: LangiumDocument, options: ValidationOptions = {}, cancelToken = Cancellation.CancellationToken.None): Promise<Diagnostic[]> {
        const diagnostics = await super.validateDocument(document, options, cancelToken);
        const kept: Diagnostic[] = [];
        for (const diagnostic of diagnostics) {
            const data = diagnostic.data as LinkingData | undefined;
            if (data?.code === 'linking-error') {
                if (data.refText === 'default' && SECURITY_GROUP_REFERENCES.has(`${data.containerType}:${data.property}`)) {
                    continue;
                }
                if (isAmbiguityMessage(typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value)) {
                    diagnostic.data = { ...data, code: IssueCodes.AmbiguousName };
                }
            }
            const code = (diagnostic.data as LinkingData | undefined)?.code;
            if (diagnostic.code === undefined && code !== undefined) diagnostic.code = code;
            kept.push(diagnostic);
        }
        return kept;
    }

    /**
     * Workspace checks are registered on the root (`Model`) only: they run once on it, marked; the
     * walk over every node runs only when a category with per-node checks is requested. After an
     * edit, 49 of 50 documents ask for 'workspace' alone, and the walk (one await per node, with no
     * check to run) would cost more than the checks themselves.
     */
    protected override async validateAstNodes(rootNode: AstNode, options: ValidationOptions, acceptor: ValidationAcceptor, cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        const categories = options.categories
            ?? [...this.validationRegistry.getAllValidationCategories(AstUtils.getDocument(rootNode))];
        if (categories.includes(WorkspaceCategory)) {
            const marked: ValidationAcceptor = (severity, message, info) =>
                acceptor(severity, message, { ...info, [FROM_WORKSPACE_CHECK]: true } as MarkedInfo);
            for (const check of this.validationRegistry.getChecks(rootNode.$type, [WorkspaceCategory])) {
                await interruptAndCheck(cancelToken);
                await check(rootNode, marked, cancelToken);
            }
        }
        // 'built-in' has no AST checks (lexer, parser and linker diagnostics come before the walk).
        const perNode = categories.filter(c => c !== WorkspaceCategory && c !== 'built-in');
        if (perNode.length > 0) {
            await super.validateAstNodes(rootNode, { ...options, categories: perNode }, acceptor, cancelToken);
        }
    }

    protected override toDiagnostic<N extends AstNode>(severity: ValidationSeverity, message: string, info: DiagnosticInfo<N, string>): Diagnostic {
        const diagnostic = super.toDiagnostic(severity, message, info);
        if ((info as MarkedInfo)[FROM_WORKSPACE_CHECK]) workspaceDiagnostics.add(diagnostic);
        return diagnostic;
    }
}
