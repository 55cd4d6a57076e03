/**
 * Semantic tokens: what TextMate cannot know (a name is a declaration or a reference; a number is
 * an address, a CIDR or a port).
 */
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import type { AstNode } from 'langium';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import {
    isEndpoint, isExpectation, isHost, isInstance, isInstancePublicIp, isInstanceSecurityGroups, isInternetGateway,
    isNetworkAcl, isNetworkAclRule, isPortSpec, isRoute, isRouteTable, isSecurityGroup, isSecurityGroupRule,
    isSiteRoute, isSubnet, isSubnetNetworkAcl, isSubnetRouteTable, isVpc, isVpcCidr, isVpcRegion,
} from './generated/ast.js';

/** Token type of the name of each declaration of issues 3 and 4. */
const NAME_KINDS: Record<string, string> = {
    Peering: SemanticTokenTypes.type, TransitGateway: SemanticTokenTypes.namespace, TgwAttachment: SemanticTokenTypes.type,
    TgwRouteTable: SemanticTokenTypes.type, Site: SemanticTokenTypes.namespace, VpnConnection: SemanticTokenTypes.type,
    DirectConnect: SemanticTokenTypes.type, DirectConnectGateway: SemanticTokenTypes.type, Sddc: SemanticTokenTypes.namespace,
    SddcSegment: SemanticTokenTypes.class, EndpointService: SemanticTokenTypes.type, VpnGateway: SemanticTokenTypes.type,
    EgressOnlyInternetGateway: SemanticTokenTypes.type, NatGateway: SemanticTokenTypes.type, GatewayEndpoint: SemanticTokenTypes.type,
    InterfaceEndpoint: SemanticTokenTypes.type, GwlbEndpoint: SemanticTokenTypes.type, LoadBalancer: SemanticTokenTypes.type,
};

/** Properties holding an address or a CIDR in the declarations of issues 3 and 4. */
const ADDRESS_PROPERTIES = ['cidr', 'ip', 'address', 'publicIp', 'privateIp', 'ipv6', 'destination'];

export class VnetSemanticTokenProvider extends AbstractSemanticTokenProvider {
    protected highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        const declaration = [SemanticTokenModifiers.declaration];
        if (isVpc(node)) acceptor({ node, property: 'name', type: SemanticTokenTypes.namespace, modifier: declaration });
        else if (isSubnet(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.class, modifier: declaration });
            acceptor({ node, property: 'cidr', type: SemanticTokenTypes.number });
            acceptor({ node, property: 'az', type: SemanticTokenTypes.enumMember });
        } else if (isInstance(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.variable, modifier: declaration });
            acceptor({ node, property: 'privateIp', type: SemanticTokenTypes.number });
        } else if (isHost(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.variable, modifier: declaration });
            acceptor({ node, property: 'ip', type: SemanticTokenTypes.number });
        } else if (isInternetGateway(node) || isRouteTable(node) || isSecurityGroup(node) || isNetworkAcl(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.type, modifier: declaration });
        } else if (isVpcCidr(node)) acceptor({ node, property: 'cidr', type: SemanticTokenTypes.number });
        else if (isVpcRegion(node)) acceptor({ node, property: 'region', type: SemanticTokenTypes.enumMember });
        else if (isInstancePublicIp(node)) acceptor({ node, property: 'ip', type: SemanticTokenTypes.number });
        else if (isInstanceSecurityGroups(node)) acceptor({ node, property: 'groups', type: SemanticTokenTypes.type });
        else if (isSubnetRouteTable(node)) acceptor({ node, property: 'routeTable', type: SemanticTokenTypes.type });
        else if (isSubnetNetworkAcl(node)) acceptor({ node, property: 'networkAcl', type: SemanticTokenTypes.type });
        else if (isRoute(node)) {
            acceptor({ node, property: 'destination', type: SemanticTokenTypes.number });
            acceptor({ node, property: 'target', type: SemanticTokenTypes.type });
        } else if (isSiteRoute(node)) {
            // A site router's route reads like a route table's: the prefix, then the link it leads into.
            acceptor({ node, property: 'destination', type: SemanticTokenTypes.number });
            acceptor({ node, property: 'via', type: SemanticTokenTypes.type });
        } else if (isSecurityGroupRule(node)) {
            if (node.cidr !== undefined) acceptor({ node, property: 'cidr', type: SemanticTokenTypes.number });
            if (node.group) acceptor({ node, property: 'group', type: SemanticTokenTypes.type });
        } else if (isNetworkAclRule(node)) {
            acceptor({ node, property: 'number', type: SemanticTokenTypes.number });
            acceptor({ node, property: 'cidr', type: SemanticTokenTypes.number });
        } else if (isPortSpec(node)) {
            acceptor({ node, property: node.range !== undefined ? 'range' : 'single', type: SemanticTokenTypes.number });
        } else if (isEndpoint(node)) {
            if (node.target) acceptor({ node, property: 'target', type: SemanticTokenTypes.variable });
            if (node.address !== undefined) acceptor({ node, property: 'address', type: SemanticTokenTypes.number });
        } else if (isExpectation(node)) {
            if (node.port !== undefined) acceptor({ node, property: 'port', type: SemanticTokenTypes.number });
            if (node.fromPort !== undefined) acceptor({ node, property: 'fromPort', type: SemanticTokenTypes.number });
            if (node.size !== undefined) acceptor({ node, property: 'size', type: SemanticTokenTypes.number });
            // A zone reads like a subnet's availability zone.
            if (node.zone !== undefined) acceptor({ node, property: 'zone', type: SemanticTokenTypes.enumMember });
        } else {
            this.highlightNetworkElement(node, acceptor);
        }
    }

    /** The declarations of issues 3 and 4: names by kind, addresses and CIDRs as numbers. */
    private highlightNetworkElement(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        const declaration = [SemanticTokenModifiers.declaration];
        const values = node as unknown as Record<string, unknown>;
        const kind = NAME_KINDS[node.$type];
        if (kind && typeof values.name === 'string') acceptor({ node, property: 'name', type: kind, modifier: declaration });
        for (const property of ADDRESS_PROPERTIES) {
            if (typeof values[property] === 'string') acceptor({ node, property, type: SemanticTokenTypes.number });
        }
    }
}
