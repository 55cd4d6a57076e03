/**
 * Completion: route targets propose only what can carry traffic (gateways, instances, endpoints,
 * peerings, transit gateways); the validator still explains a route to anything else.
 */
import type { AstNodeDescription, ReferenceInfo, Stream } from 'langium';
import { DefaultCompletionProvider, type CompletionContext } from 'langium/lsp';
import {
    EgressOnlyInternetGateway, GatewayEndpoint, GwlbEndpoint, Instance, InternetGateway, NatGateway, Peering, Route,
    TransitGateway, VpnGateway,
} from './generated/ast.js';

/** The element types a route may lead to (aws-data-plane.md §3.2). */
const ROUTE_TARGETS = new Set<string>([
    InternetGateway.$type, Instance.$type, NatGateway.$type, VpnGateway.$type, EgressOnlyInternetGateway.$type,
    GatewayEndpoint.$type, GwlbEndpoint.$type, Peering.$type, TransitGateway.$type,
]);

export class VnetCompletionProvider extends DefaultCompletionProvider {
    protected override getReferenceCandidates(refInfo: ReferenceInfo, context: CompletionContext): Stream<AstNodeDescription> {
        const candidates = super.getReferenceCandidates(refInfo, context);
        if (refInfo.container.$type === Route.$type) {
            return candidates.filter(d => ROUTE_TARGETS.has(d.type));
        }
        return candidates;
    }
}
