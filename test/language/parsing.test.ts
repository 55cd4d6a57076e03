import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { parseHelper } from 'langium/test';
import { isExpectation, isInstance, isRouteTable, isSecurityGroup, isSubnet, isVpc, type Model } from '../../language/generated/ast.js';
import { CONTRACT, createServices, reset } from './helpers.js';

const services = createServices();
const parse = parseHelper<Model>(services.Vnet);

async function parseClean(text: string): Promise<Model> {
    const doc = await parse(text);
    assert.deepStrictEqual(doc.parseResult.lexerErrors.map(e => e.message), [], 'lexer errors');
    assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message), [], 'parser errors');
    return doc.parseResult.value;
}

describe('parsing', () => {
    afterEach(() => reset(services));

    it('parses the whole Part 1 contract example', async () => {
        const model = await parseClean(CONTRACT);
        const vpc = model.elements.find(isVpc)!;
        assert.strictEqual(vpc.name, 'shop');
        const subnets = vpc.members.filter(isSubnet);
        assert.deepStrictEqual(subnets.map(s => [s.name, s.cidr, s.az]), [['public-a', '10.0.0.0/24', 'us-east-1a'], ['app-a', '10.0.10.0/24', 'us-east-1a']]);
        const web = subnets[0].members.filter(isInstance)[0];
        assert.strictEqual(web.name, 'web');
        assert.strictEqual(web.privateIp, '10.0.0.10');
        const tables = vpc.members.filter(isRouteTable);
        assert.deepStrictEqual(tables.map(t => [t.name, t.main, t.routes.length]), [['public', false, 1], ['private', true, 0]]);
        const webSg = vpc.members.filter(isSecurityGroup).find(g => g.name === 'web-sg')!;
        assert.strictEqual(webSg.rules[1].ports?.range, '8000-8100');
        const expectations = model.elements.filter(isExpectation);
        assert.strictEqual(expectations.length, 7);
        assert.strictEqual(expectations[4].destination.address, '93.184.216.34');
        assert.strictEqual(expectations[5].source.internet, true);
        assert.strictEqual(expectations[6].source.target?.$refText, 'shop.web');
    });

    it('accepts a whole security group on one line (newlines are not significant)', async () => {
        const model = await parseClean('vpc v { cidr 10.7.0.0/16 security-group web { inbound tcp 80 from 0.0.0.0/0  outbound all to 0.0.0.0/0 } }');
        const group = model.elements.filter(isVpc)[0].members.filter(isSecurityGroup)[0];
        assert.deepStrictEqual(group.rules.map(r => [r.direction, r.protocol, r.cidr]), [['inbound', 'tcp', '0.0.0.0/0'], ['outbound', 'all', '0.0.0.0/0']]);
    });

    it('makes bodies optional where they would be empty', async () => {
        const model = await parseClean('vpc v { cidr 10.7.0.0/16 subnet s 10.7.0.0/24 in us-east-1a { instance q 10.7.0.11 } subnet t 10.7.1.0/24 in us-east-1b route-table r security-group g network-acl n }');
        const vpc = model.elements.filter(isVpc)[0];
        assert.deepStrictEqual(vpc.members.map(m => m.$type), ['VpcCidr', 'Subnet', 'Subnet', 'RouteTable', 'SecurityGroup', 'NetworkAcl']);
        assert.strictEqual(vpc.members.filter(isSubnet)[0].members.filter(isInstance)[0].privateIp, '10.7.0.11');
    });

    it('tells keywords with dashes from names with dashes', async () => {
        const model = await parseClean('vpc route-tables { cidr 10.0.0.0/16 route-table route-table-a { } subnet public-ip-a 10.0.0.0/24 in us-east-1a { route-table route-table-a } }');
        const vpc = model.elements.filter(isVpc)[0];
        assert.strictEqual(vpc.name, 'route-tables');
        assert.strictEqual(vpc.members.filter(isRouteTable)[0].name, 'route-table-a');
        assert.strictEqual(vpc.members.filter(isSubnet)[0].name, 'public-ip-a');
    });

    it('lexes addresses, CIDRs, port ranges and account numbers apart', async () => {
        const model = await parseClean('vpc v { account 011111111111 cidr 10.0.0.0/16 network-acl n { inbound 100 allow tcp 8000-8100 from 10.0.0.0/8 } }');
        const vpc = model.elements.filter(isVpc)[0];
        assert.strictEqual(vpc.members[0].$cstNode?.text, 'account 011111111111');
        const rule = vpc.members[2].$type === 'NetworkAcl' ? (vpc.members[2] as { rules: Array<{ number: number; ports?: { range?: string } }> }).rules[0] : undefined;
        assert.strictEqual(rule?.number, 100);
        assert.strictEqual(rule?.ports?.range, '8000-8100');
    });

    it('splits `a->b` without spaces at the arrow', async () => {
        const model = await parseClean('expect client->web tcp 443 from-port 50000 reachable');
        const e = model.elements.filter(isExpectation)[0];
        assert.strictEqual(e.source.target?.$refText, 'client');
        assert.strictEqual(e.destination.target?.$refText, 'web');
        assert.strictEqual(e.fromPort, 50000);
    });

    it('skips line and block comments, including between tokens', async () => {
        const model = await parseClean('/* a\n block */ vpc v /* here */ { // line\n cidr 10.0.0.0/16 }');
        assert.strictEqual(model.elements.filter(isVpc)[0].name, 'v');
    });

    it('lexes malformed addresses as addresses, for the validator to explain', async () => {
        const model = await parseClean('vpc v { cidr 10.0.0.300/16 cidr 10.0.0/16 }');
        assert.deepStrictEqual(model.elements.filter(isVpc)[0].members.map(m => (m as { cidr?: string }).cidr), ['10.0.0.300/16', '10.0.0/16']);
    });

    it('says a keyword cannot be a name, in the language\'s words', async () => {
        const doc = await parse('vpc v { cidr 10.0.0.0/16 route-table main { } }');
        assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message).slice(0, 1),
            ["Expecting a name but found `main` ('main' is a keyword, so it cannot be a name)."]);
    });

    // The issue-4 clause keywords stay usable as names, as they were before they became keywords.
    for (const word of ['tunnel-inside', 'privatelink-inbound-rules', 'ip-address-type', 'ipv6-support', 'supported-ip-address-types']) {
        it(`keeps '${word}' usable as a name, also right before the clause it starts`, async () => {
            const model = await parseClean(`vpc ${word} { cidr 10.0.0.0/16 ipv6 2600:1f18:abcd::/56
  subnet ${word} 10.0.0.0/24 in us-east-1a { ipv6 2600:1f18:abcd:1::/64 instance i 10.0.0.10 }
  security-group ${word}
  load-balancer n network internal ip-address-type dualstack subnets ${word} security-groups ${word} privatelink-inbound-rules off
  interface-endpoint e service ${word} ip-address-type dualstack subnets ${word} }
vpc data { cidr 10.1.0.0/16 subnet s 10.1.0.0/24 in us-east-1a load-balancer ${word} network internal subnets s }
endpoint-service ${word} in data load-balancer ${word} supported-ip-address-types ipv4
site ${word} { cidr 192.168.0.0/16 customer-gateway 203.0.113.1 }
transit-gateway hub { attachment ${word} vpc ${word} subnets ${word} ipv6-support }
vpn v from ${word} to hub bgp tunnel-inside ipv4
expect ${word}.i -> 10.0.0.20 tcp 80 reachable`);
            const vpc = model.elements.find(isVpc)!;
            assert.deepStrictEqual([vpc.name, vpc.members.filter(isSubnet)[0].name], [word, word]);
        });
    }

    it("says a keyword with a digit ('ipv6') cannot be a name", async () => {
        const doc = await parse('vpc ipv6 { cidr 10.0.0.0/16 }');
        assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message).slice(0, 1),
            ["Expecting a name but found `ipv6` ('ipv6' is a keyword, so it cannot be a name)."]);
    });

    it('names the expected value instead of a token type', async () => {
        const doc = await parse('vpc v { cidr }');
        assert.match(doc.parseResult.parserErrors[0].message, /^Expecting an address or CIDR block \(e\.g\. 10\.0\.0\.10 or 10\.0\.0\.0\/16\) but found `}`\.$/);
        const eof = await parse('expect a -> b tcp 1');
        assert.match(eof.parseResult.parserErrors[0].message, /^Expecting 'reachable' or 'unreachable' but the file ends here\.$/);
    });
});
