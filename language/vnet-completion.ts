/**
 * Completion: route targets propose only what can carry traffic (internet gateways, instances);
 * the validator still explains a route to anything else.
 */
import type { AstNodeDescription, ReferenceInfo, Stream } from 'langium';
import { DefaultCompletionProvider, type CompletionContext } from 'langium/lsp';
import { Instance, InternetGateway, Route } from './generated/ast.js';

export class VnetCompletionProvider extends DefaultCompletionProvider {
    protected override getReferenceCandidates(refInfo: ReferenceInfo, context: CompletionContext): Stream<AstNodeDescription> {
        const candidates = super.getReferenceCandidates(refInfo, context);
        if (refInfo.container.$type === Route.$type) {
            return candidates.filter(d => d.type === InternetGateway.$type || d.type === Instance.$type);
        }
        return candidates;
    }
}
