/**
 * Formatting: one declaration or rule per line, bodies indented, `{` on the declaration's line.
 */
import type { AstNode } from 'langium';
import { AbstractFormatter, Formatting } from 'langium/lsp';
import {
    isBlockPublicAccess, isDirectConnectGateway, isInstance, isInternet, isLoadBalancer, isModel, isNetworkAcl,
    isRouteTable, isSddc, isSddcSegment, isSecurityGroup, isSite, isSubnet, isTgwRouteTable, isTransitGateway, isVpc,
} from './generated/ast.js';

/** Blocks of issues 3 and 4, indented like a VPC's. */
function isNetworkBlock(node: AstNode): boolean {
    return isTransitGateway(node) || isSite(node) || isSddc(node) || isLoadBalancer(node) || isBlockPublicAccess(node)
        || isSmallBlock(node);
}

/** Blocks that usually hold a line or two: left on one line when written on one, like an instance's. */
function isSmallBlock(node: AstNode): boolean {
    return isTgwRouteTable(node) || isDirectConnectGateway(node) || isSddcSegment(node);
}

export class VnetFormatter extends AbstractFormatter {
    protected format(node: AstNode): void {
        if (isModel(node)) {
            const formatter = this.getNodeFormatter(node);
            formatter.nodes(...node.elements).prepend(Formatting.noIndent());
            return;
        }
        if (isVpc(node) || isInternet(node) || isSubnet(node) || isInstance(node) || isRouteTable(node)
            || isSecurityGroup(node) || isNetworkAcl(node) || isNetworkBlock(node)) {
            const formatter = this.getNodeFormatter(node);
            const open = formatter.keyword('{');
            const close = formatter.keyword('}');
            if (!open.nodes.length || !close.nodes.length) return;
            open.prepend(Formatting.oneSpace());
            // An instance with one or two settings reads best on one line: `instance api 10.0.10.5 { security-groups api-sg }`.
            if ((isInstance(node) || isSmallBlock(node)) && isOneLine(node)) return;
            formatter.interior(open, close).prepend(Formatting.indent());
            close.prepend(Formatting.newLine());
        }
    }
}

function isOneLine(node: AstNode): boolean {
    const cst = node.$cstNode;
    return !!cst && cst.range.start.line === cst.range.end.line;
}
