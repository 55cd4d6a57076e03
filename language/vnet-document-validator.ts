/**
 * Post-processing of every document's diagnostics, in one place:
 * - every diagnostic's `data.code` is also its LSP `code` (parser and linker diagnostics included);
 * - `default`, the implicit default security group of a VPC, is not a linking error;
 * - an ambiguous bare endpoint name (VnetLinker's message) gets the code AMBIGUOUS_NAME.
 */
import { DefaultDocumentValidator, type LangiumDocument, type ValidationOptions } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import { Cancellation } from 'langium';
import { IssueCodes } from './vnet-validator.js';
import { isAmbiguityMessage } from './vnet-scope.js';

interface LinkingData { code?: string; containerType?: string; property?: string; refText?: string }

/** Containers whose references name security groups. */
const SECURITY_GROUP_REFERENCES = new Set(['InstanceSecurityGroups:groups', 'SecurityGroupRule:group']);

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
}
