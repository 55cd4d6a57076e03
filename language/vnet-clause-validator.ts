/**
 * Clauses that may come in any order, each once: a VPC attachment's `subnets` / `appliance-mode` /
 * `ipv6-support`, a VPN's routing and `tunnel-inside`, a Direct Connect interface's `mtu` / `ipv6`, and
 * the clauses of load balancers and endpoints. The grammar reads them in a loop (so that any order
 * parses), which also lets a clause be written twice; the AST keeps the last value (or both lists
 * joined), so the repeat is found in the concrete syntax and the second one is marked.
 */
import { AstUtils, GrammarAST, GrammarUtils, type AstNode, type CstNode, type ValidationAcceptor } from 'langium';
import type { DirectConnect, GatewayEndpoint, GwlbEndpoint, InterfaceEndpoint, LoadBalancer, TgwAttachment, VpnConnection } from './generated/ast.js';
import { IssueCodes as Base, withCode } from './vnet-validator.js';

/**
 * The keyword leaves of a clause of this node. A keyword that is also a name (`ip-address-type` is
 * one) may appear as the text of a reference; that leaf belongs to the `Name` rule and is left out.
 */
function clauseKeywords(node: AstNode, keyword: string): CstNode[] {
    return GrammarUtils.findNodesForKeyword(node.$cstNode, keyword)
        .filter(leaf => AstUtils.getContainerOfType(leaf.grammarSource, GrammarAST.isParserRule)?.name === node.$type);
}

export class VnetClauseValidator {
    checkTgwAttachment(attachment: TgwAttachment, accept: ValidationAcceptor): void {
        if (!attachment.vpc) return;
        this.keywordsOnce(attachment, ['subnets', 'appliance-mode', 'ipv6-support'], `attachment ${attachment.name}`, accept);
    }

    checkVpn(vpn: VpnConnection, accept: ValidationAcceptor): void {
        const what = `VPN ${vpn.name}`;
        const routings = GrammarUtils.findNodesForProperty(vpn.$cstNode, 'routing');
        for (const extra of routings.slice(1)) {
            accept('error', `The routing of ${what} is already given ('${routings[0].text}'); write 'bgp' or 'static <prefixes>' once.`,
                { node: vpn, range: extra.range, ...withCode(Base.DuplicateSetting) });
        }
        this.keywordsOnce(vpn, ['tunnel-inside'], what, accept);
    }

    checkDirectConnect(dx: DirectConnect, accept: ValidationAcceptor): void {
        this.keywordsOnce(dx, ['mtu', 'ipv6'], `Direct Connect interface ${dx.name}`, accept);
    }

    checkLoadBalancer(lb: LoadBalancer, accept: ValidationAcceptor): void {
        this.keywordsOnce(lb, ['ip-address-type', 'subnets', 'cross-zone', 'security-groups', 'privatelink-inbound-rules'],
            `load balancer ${lb.name}`, accept);
    }

    checkInterfaceEndpoint(endpoint: InterfaceEndpoint, accept: ValidationAcceptor): void {
        this.keywordsOnce(endpoint, ['ip-address-type', 'subnets', 'security-groups'], `interface endpoint ${endpoint.name}`, accept);
    }

    /** `private-ip` and `ipv6` are checked with the other declared addresses (vnet-dual-stack-validator.ts). */
    checkGwlbEndpoint(endpoint: GwlbEndpoint, accept: ValidationAcceptor): void {
        this.keywordsOnce(endpoint, ['ip-address-type'], `GWLB endpoint ${endpoint.name}`, accept);
    }

    checkGatewayEndpoint(endpoint: GatewayEndpoint, accept: ValidationAcceptor): void {
        this.keywordsOnce(endpoint, ['ip-address-type', 'route-tables'], `gateway endpoint ${endpoint.name}`, accept);
    }

    private keywordsOnce(node: AstNode, keywords: string[], what: string, accept: ValidationAcceptor): void {
        for (const keyword of keywords) {
            for (const extra of clauseKeywords(node, keyword).slice(1)) {
                accept('error', `'${keyword}' is already given for ${what}; give each clause once.`,
                    { node, range: extra.range, ...withCode(Base.DuplicateSetting) });
            }
        }
    }
}
