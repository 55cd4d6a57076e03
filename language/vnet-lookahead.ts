/**
 * The parser's lookahead: LL(3) as configured in langium-config.json, except in the rules whose
 * optional address clauses end an element of a VPC.
 *
 * Why: a load balancer's or endpoint's subnet mapping may end with `ipv6 <address>`, and the next line
 * of the VPC may be the VPC's own `ipv6 <cidr>`. Both start with the keyword `ipv6`; only the next
 * token (ADDRESS or CIDR) tells them apart, and it lies past the end of the element's rule. Chevrotain's
 * LL(k) looks only inside the rule, so it would take the VPC's line as the node's address. The LL(*)
 * strategy Langium uses by default (chevrotain-allstar) carries on past the rule's end, so these
 * decisions use it and see that `ipv6 2600:1f18:abcd::/56` cannot be a node address. A node address
 * written with `/128` is a HOST_PREFIX token, which a node accepts (and the validator reports), so it
 * stays the node's too.
 */
import { LLkLookaheadStrategy, type ILookaheadStrategy, type ILookaheadValidationError, type Rule, type TokenType } from 'chevrotain';
import { LLStarLookaheadStrategy } from 'chevrotain-allstar';

/** The rules that contain (or end with) optional subnet-mapping clauses. */
const LL_STAR_RULES = new Set(['LoadBalancer', 'SubnetMapping', 'InterfaceEndpoint', 'EndpointSubnetAddresses', 'GwlbEndpoint']);

/** Langium suffixes its rule names with a zero-width space (langium-parser.ts, withRuleSuffix). */
function usesLLStar(rule: Rule): boolean {
    return LL_STAR_RULES.has(rule.name.replace(/\u200B$/, ''));
}

export class VnetLookaheadStrategy extends LLStarLookaheadStrategy implements ILookaheadStrategy {
    private readonly llk: InstanceType<typeof LLkLookaheadStrategy>;

    constructor(maxLookahead: number) {
        // Ambiguity reports belong to grammar development (LL(k) validation below), not to users' files.
        super({ logging: () => { } });
        this.llk = new LLkLookaheadStrategy({ maxLookahead });
    }

    /** The grammar checks of LL(k): the LL(*) ones skip ambiguous alternatives. */
    override validate(options: { rules: Rule[]; tokenTypes: TokenType[]; grammarName: string }): ILookaheadValidationError[] {
        return this.llk.validate(options);
    }

    override buildLookaheadForAlternation(options: Parameters<LLStarLookaheadStrategy['buildLookaheadForAlternation']>[0]): ReturnType<LLStarLookaheadStrategy['buildLookaheadForAlternation']> {
        return usesLLStar(options.rule) ? super.buildLookaheadForAlternation(options) : this.llk.buildLookaheadForAlternation(options);
    }

    override buildLookaheadForOptional(options: Parameters<LLStarLookaheadStrategy['buildLookaheadForOptional']>[0]): ReturnType<LLStarLookaheadStrategy['buildLookaheadForOptional']> {
        return usesLLStar(options.rule) ? super.buildLookaheadForOptional(options) : this.llk.buildLookaheadForOptional(options);
    }
}
