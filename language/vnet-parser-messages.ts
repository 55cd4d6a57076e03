/**
 * Parser messages in the language's words: "Expecting a name but found `}`" instead of
 * "Expecting token of type 'ID' ...", and a keyword used as a name is called out as such.
 */
import { LangiumParserErrorMessageProvider } from 'langium';
import type { IToken, TokenType } from 'chevrotain';

const TERMINALS: Record<string, string> = {
    ID: 'a name',
    ADDRESS: 'an address (e.g. 10.0.0.10)',
    CIDR: 'a CIDR block (e.g. 10.0.0.0/16)',
    // A single-address prefix (/128, /32): accepted wherever a CIDR or a node address is.
    HOST_PREFIX: 'a CIDR block (e.g. 10.0.0.0/16)',
    INT: 'a number',
    PORT_RANGE: 'a port range (e.g. 1024-65535)',
};

/** Where either is accepted (the AddressOrCidr rule) they are named together. */
const ADDRESS_OR_CIDR = 'an address or CIDR block (e.g. 10.0.0.10 or 10.0.0.0/16)';

function describe(type: TokenType): string {
    return TERMINALS[type.name] ?? `'${type.name.replace(/:KW$/, '')}'`;
}

/**
 * Keywords that are also names (the `Name` rule of vnet.langium): where a name is expected they are
 * covered by "a name" and not listed one by one.
 */
const SOFT_KEYWORDS = new Set([
    'route-tables', 'hosts', 'asn', 'vlan', 'mtu', 'private', 'pending', 'blackhole', 'edge', 'propagate',
    'associate', 'management', 'segment', 'service', 'network', 'gateway', 'internal', 'ingress', 'egress',
    'listener', 'port', 'size', 'static', 'bgp', 'site', 'vpn', 'peering', 'sddc', 'attachment', 'exclude',
    'accounts', 'bidirectional', 'ip', 'between', 'and', 'ipv4', 'dualstack', 'route', 'tunnel-inside',
    'privatelink-inbound-rules', 'ip-address-type', 'ipv6-support', 'supported-ip-address-types',
]);

function isKeyword(token: IToken): boolean {
    return !(token.tokenType.name in TERMINALS) && /^[a-z][a-z0-9-]*$/.test(token.image);
}

export class VnetParserErrorMessageProvider extends LangiumParserErrorMessageProvider {
    override buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
        const { expected, actual } = options;
        if (actual.image === '') return `Expecting ${describe(expected)} but the file ends here.`;
        const keywordAsName = expected.name === 'ID' && isKeyword(actual)
            ? ` ('${actual.image}' is a keyword, so it cannot be a name)` : '';
        return `Expecting ${describe(expected)} but found \`${actual.image}\`${keywordAsName}.`;
    }

    override buildNoViableAltMessage(options: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[]; previous: IToken; customUserDescription?: string; ruleName: string }): string {
        return this.alternatives(options.expectedPathsPerAlt.flat(), options.actual[0]);
    }

    override buildEarlyExitMessage(options: { expectedIterationPaths: TokenType[][]; actual: IToken[]; previous: IToken; customUserDescription?: string; ruleName: string }): string {
        return this.alternatives(options.expectedIterationPaths, options.actual[0]);
    }

    /** "Expecting a name, 'internet' or an address ... but found `}`." */
    private alternatives(paths: TokenType[][], actual: IToken | undefined): string {
        let tokens = paths.filter(p => p.length > 0).map(p => p[0]);
        const nameExpected = tokens.some(t => t.name === 'ID');
        if (nameExpected) tokens = tokens.filter(t => !SOFT_KEYWORDS.has(t.name.replace(/:KW$/, '')));
        // A single-address prefix is never expected alone: it goes with ADDRESS (and CIDR), which say it.
        if (tokens.some(t => t.name === 'ADDRESS')) tokens = tokens.filter(t => t.name !== 'HOST_PREFIX');
        let firsts = [...new Set(tokens.map(describe))];
        if (firsts.includes(TERMINALS.ADDRESS) && firsts.includes(TERMINALS.CIDR)) {
            firsts = firsts.filter(f => f !== TERMINALS.CIDR).map(f => f === TERMINALS.ADDRESS ? ADDRESS_OR_CIDR : f);
        }
        const list = firsts.length <= 1 ? firsts.join('') : `${firsts.slice(0, -1).join(', ')} or ${firsts[firsts.length - 1]}`;
        const found = !actual || actual.image === '' ? 'the file ends here' : `found \`${actual.image}\``;
        const keywordAsName = nameExpected && firsts.length === 1 && actual && isKeyword(actual)
            ? ` ('${actual.image}' is a keyword, so it cannot be a name)` : '';
        return `Expecting ${list || 'something else'} but ${found}${keywordAsName}.`;
    }
}
