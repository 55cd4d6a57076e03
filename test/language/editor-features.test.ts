/**
 * The quick fix for a non-canonical CIDR, the formatter and semantic tokens.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { expectCompletion, expectFormatting, expectSemanticToken, highlightHelper, testCodeAction } from 'langium/test';
import { SemanticTokenTypes } from 'vscode-languageserver';
import { IssueCodes } from '../../language/vnet-validator.js';
import { createServices, reset } from './helpers.js';

const services = createServices();

describe('editor features', () => {
    afterEach(() => reset(services));

    it('the canonical-CIDR quick fix rewrites the CIDR AWS would store', async () => {
        const result = await testCodeAction(services.Vnet)(
            'vpc v { cidr 10.0.0.5/16 }', IssueCodes.CidrNotCanonical, 'vpc v { cidr 10.0.0.0/16 }');
        assert.strictEqual(result.action?.isPreferred, true);
    });

    it('the preposition quick fix writes the one the direction takes', async () => {
        await testCodeAction(services.Vnet)(
            'vpc v { cidr 10.0.0.0/16 security-group g { inbound tcp 22 to 0.0.0.0/0 } }', IssueCodes.WrongPreposition,
            'vpc v { cidr 10.0.0.0/16 security-group g { inbound tcp 22 from 0.0.0.0/0 } }');
    });

    it('the reversed-range quick fix swaps the bounds', async () => {
        await testCodeAction(services.Vnet)(
            'vpc v { cidr 10.0.0.0/16 network-acl n { inbound 100 allow tcp 2000-1000 from 0.0.0.0/0 } }', IssueCodes.PortRangeReversed,
            'vpc v { cidr 10.0.0.0/16 network-acl n { inbound 100 allow tcp 1000-2000 from 0.0.0.0/0 } }');
    });

    it('formats one declaration per line with indented bodies', async () => {
        await expectFormatting(services.Vnet)({
            before: 'vpc v { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a {\ninstance x 10.0.0.10 { security-groups g }\n} security-group g { inbound tcp 22 from 0.0.0.0/0 } }\nexpect x -> 8.8.8.8 icmp reachable',
            after: 'vpc v {\n    cidr 10.0.0.0/16\n    subnet a 10.0.0.0/24 in us-east-1a {\n        instance x 10.0.0.10 { security-groups g }\n    }\n    security-group g {\n        inbound tcp 22 from 0.0.0.0/0\n    }\n}\nexpect x -> 8.8.8.8 icmp reachable',
            disposeAfterCheck: true,
        });
    });

    it('formats transit gateways and sites like VPCs, keeping one-line blocks on one line', async () => {
        await expectFormatting(services.Vnet)({
            before: 'transit-gateway hub { asn 64512 route-table main { 10.0.0.0/8 blackhole } } site office { cidr 192.168.0.0/16\nhost pc 192.168.1.20 } direct-connect-gateway g { associate hub }',
            after: 'transit-gateway hub {\n    asn 64512\n    route-table main { 10.0.0.0/8 blackhole }\n}\nsite office {\n    cidr 192.168.0.0/16\n    host pc 192.168.1.20\n}\ndirect-connect-gateway g { associate hub }',
            disposeAfterCheck: true,
        });
    });

    it('marks the declarations and addresses of issues 3 and 4 with semantic tokens', async () => {
        const tokens = await highlightHelper(services.Vnet)('transit-gateway <|hub|> { route-table t { <|10.0.0.0/8|> blackhole } } site office { cidr 192.168.0.0/16 customer-gateway <|203.0.113.10|> }');
        expectSemanticToken(tokens, { rangeIndex: 0, tokenType: SemanticTokenTypes.namespace });
        expectSemanticToken(tokens, { rangeIndex: 1, tokenType: SemanticTokenTypes.number });
        expectSemanticToken(tokens, { rangeIndex: 2, tokenType: SemanticTokenTypes.number });
    });

    it('marks declarations, references and addresses with semantic tokens', async () => {
        const tokens = await highlightHelper(services.Vnet)('vpc <|shop|> { cidr <|10.0.0.0/16|> security-group <|g|> subnet a 10.0.0.0/24 in us-east-1a { instance x 10.0.0.10 { security-groups <|g|> } } }');
        expectSemanticToken(tokens, { rangeIndex: 0, tokenType: SemanticTokenTypes.namespace });
        expectSemanticToken(tokens, { rangeIndex: 1, tokenType: SemanticTokenTypes.number });
        expectSemanticToken(tokens, { rangeIndex: 2, tokenType: SemanticTokenTypes.type });
        expectSemanticToken(tokens, { rangeIndex: 3, tokenType: SemanticTokenTypes.type });
    });

    it('completes a route target with what can carry traffic: internet gateways and instances', async () => {
        await expectCompletion(services.Vnet)({
            text: 'vpc shop { cidr 10.0.0.0/16 internet-gateway igw subnet a 10.0.0.0/24 in us-east-1a { instance web 10.0.0.10 } security-group g route-table r { 0.0.0.0/0 -> <|> } }',
            index: 0,
            assert: list => assert.deepStrictEqual(list.items.map(i => i.label).sort(), ['igw', 'web']),
            disposeAfterCheck: true,
        });
    });

    it('completes a route target with the gateways, endpoints, peerings and transit gateways of issues 3 and 4', async () => {
        await expectCompletion(services.Vnet)({
            text: 'vpc shop { cidr 10.0.0.0/16 vpn-gateway vgw egress-only-internet-gateway eigw subnet a 10.0.0.0/24 in us-east-1a nat-gateway nat in a private gateway-endpoint ep service s3 load-balancer lb network subnets a route-table r { 0.0.0.0/0 -> <|> } } vpc data { cidr 10.1.0.0/16 } peering p between shop and data transit-gateway hub',
            index: 0,
            assert: list => assert.deepStrictEqual(list.items.map(i => i.label).sort(), ['eigw', 'ep', 'hub', 'nat', 'p', 'vgw']),
            disposeAfterCheck: true,
        });
    });

    it('completes expect endpoints with instances (bare and qualified), hosts, internet and the AWS services', async () => {
        await expectCompletion(services.Vnet)({
            text: 'vpc shop { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a { instance web 10.0.0.10 } } internet { host h 8.8.8.8 } expect <|>',
            index: 0,
            assert: list => assert.deepStrictEqual(list.items.map(i => i.label).sort(), ['dynamodb', 'h', 'internet', 's3', 'shop.web', 'web']),
            disposeAfterCheck: true,
        });
    });
});
