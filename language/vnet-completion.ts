/**
 * Completion: route targets propose only what can carry traffic (gateways, instances, endpoints,
 * peerings, transit gateways); the validator still explains a route to anything else. A site's
 * route proposes the site's own VPN and Direct Connect links. After
 * `expect a -> b in`, the zones where the destination load balancer or interface endpoint has a node.
 */
import { AstUtils, type AstNodeDescription, type MaybePromise, type ReferenceInfo, type Stream } from 'langium';
import { DefaultCompletionProvider, type CompletionAcceptor, type CompletionContext, type NextFeature } from 'langium/lsp';
import { CompletionItemKind } from 'vscode-languageserver';
import {
    EgressOnlyInternetGateway, GatewayEndpoint, GwlbEndpoint, Instance, InternetGateway, NatGateway, Peering, Route,
    SiteRoute, TransitGateway, VpnGateway, isDirectConnect, isExpectation, isInterfaceEndpoint, isLoadBalancer, isSite,
    isVpnConnection,
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
        if (refInfo.container.$type === SiteRoute.$type) {
            // A site's router routes into the site's own links only (SITE_ROUTE_LINK otherwise).
            const site = AstUtils.getContainerOfType(refInfo.container, isSite);
            return candidates.filter(d => (isVpnConnection(d.node) || isDirectConnect(d.node)) && (!site || d.node.site?.$refText === site.name));
        }
        return candidates;
    }

    protected override completionFor(context: CompletionContext, next: NextFeature, acceptor: CompletionAcceptor): MaybePromise<void> {
        const expectation = AstUtils.getContainerOfType(context.node, isExpectation);
        const before = context.textDocument.getText().slice(0, context.tokenOffset);
        if (expectation?.destination && /->[^>]*\sin\s+$/.test(before.slice(before.lastIndexOf('expect')))) {
            // A zone is a name, not a reference: propose the destination's zones instead of every soft keyword.
            const target = expectation.destination.target?.ref;
            if (isLoadBalancer(target) || isInterfaceEndpoint(target)) {
                const zones = new Set(target.subnets.map(s => s.ref?.az).filter((z): z is string => !!z));
                for (const zone of zones) acceptor(context, { label: zone, kind: CompletionItemKind.EnumMember, detail: `${target.name}'s node in ${zone}` });
            }
            return;
        }
        return super.completionFor(context, next, acceptor);
    }
}
