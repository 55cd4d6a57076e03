/**
 * Names across the workspace: VPC-local names, qualified names across files, bare endpoint names
 * when unambiguous, the implicit `default` security group.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { isExpectation, isInstance, isSubnet, isVpc, isSecurityGroup, type Model } from '../../language/generated/ast.js';
import { IssueCodes } from '../../language/vnet-validator.js';
import { buildWorkspace, codes, createServices, reset } from './helpers.js';

const services = createServices();

const SHOP = `vpc shop {
  cidr 10.0.0.0/16
  internet-gateway igw
  subnet public-a 10.0.0.0/24 in us-east-1a {
    route-table public
    instance web 10.0.0.10 { public-ip 54.0.0.10 security-groups web-sg }
  }
  route-table public { 0.0.0.0/0 -> igw }
  security-group web-sg { inbound tcp 443 from 0.0.0.0/0 outbound all to 0.0.0.0/0 }
}`;

function root(doc: { parseResult: { value: unknown } }): Model {
    return doc.parseResult.value as Model;
}

describe('linking', () => {
    afterEach(() => reset(services));

    it('resolves names inside a VPC among that VPC\'s elements, at any depth', async () => {
        const [doc] = await buildWorkspace(services, { 'shop.vnet': SHOP });
        assert.deepStrictEqual(doc.diagnostics, []);
        const vpc = root(doc).elements.filter(isVpc)[0];
        const subnet = vpc.members.filter(isSubnet)[0];
        const web = subnet.members.filter(isInstance)[0];
        const groups = web.members.find(m => m.$type === 'InstanceSecurityGroups') as { groups: Array<{ ref?: unknown }> };
        assert.strictEqual(groups.groups[0].ref, vpc.members.filter(isSecurityGroup)[0]);
    });

    it('does not resolve a name of another VPC from inside a VPC', async () => {
        const [doc] = await buildWorkspace(services, {
            'two.vnet': `${SHOP}\nvpc lab { cidr 10.1.0.0/16 subnet s 10.1.0.0/24 in us-east-1a { instance x 10.1.0.10 { security-groups web-sg } } }`,
        });
        assert.deepStrictEqual(codes(doc.diagnostics), ['linking-error']);
        assert.match(String(doc.diagnostics![0].message), /web-sg/);
    });

    it('resolves qualified and bare expect endpoints across files', async () => {
        const [, expects] = await buildWorkspace(services, {
            'shop.vnet': SHOP,
            'expect.vnet': 'internet { host client 198.51.100.7 }\nexpect client -> shop.web tcp 443 reachable\nexpect client -> web tcp 443 reachable',
        });
        assert.deepStrictEqual(expects.diagnostics, []);
        const [qualified, bare] = root(expects).elements.filter(isExpectation);
        assert.strictEqual(qualified.destination.target?.ref?.name, 'web');
        assert.strictEqual(bare.destination.target?.ref, qualified.destination.target?.ref);
        assert.strictEqual(bare.source.target?.ref?.$type, 'Host');
    });

    it('reports an ambiguous bare name with its candidates', async () => {
        const [, , expects] = await buildWorkspace(services, {
            'shop.vnet': SHOP,
            'lab.vnet': 'vpc lab { cidr 10.1.0.0/16 internet-gateway gw subnet s 10.1.0.0/24 in us-east-1a { instance web 10.1.0.10 } }',
            'expect.vnet': 'expect web -> 8.8.8.8 icmp reachable\nexpect lab.web -> shop.web icmp reachable',
        });
        const ambiguous = expects.diagnostics!.filter(d => (d.data as { code: string }).code === IssueCodes.AmbiguousName);
        assert.strictEqual(ambiguous.length, 1);
        assert.strictEqual(ambiguous[0].code, IssueCodes.AmbiguousName);
        assert.match(String(ambiguous[0].message), /'web' is ambiguous: .*lab\.web, shop\.web/);
        assert.deepStrictEqual(ambiguous[0].range.start, expects.textDocument.positionAt('expect '.length));
        // The qualified names on the second line resolve.
        const secondLine = expects.textDocument.positionAt(expects.textDocument.getText().indexOf('expect lab.web')).line;
        const unresolved = expects.diagnostics!.filter(d => d.range.start.line === secondLine && ['linking-error', IssueCodes.AmbiguousName].includes((d.data as { code: string }).code));
        assert.deepStrictEqual(unresolved, []);
    });

    it('treats `default` as the implicit default security group, not a linking error', async () => {
        const [doc] = await buildWorkspace(services, {
            'a.vnet': 'vpc v { cidr 10.0.0.0/16 security-group g { inbound all from default } subnet s 10.0.0.0/24 in us-east-1a { instance i 10.0.0.10 { security-groups g, default } } }',
        });
        assert.deepStrictEqual(doc.diagnostics, []);
    });

    it('treats `default` on a load balancer and an interface endpoint as the implicit default group too', async () => {
        const [doc] = await buildWorkspace(services, {
            'a.vnet': `vpc v { cidr 10.0.0.0/16
  interface-endpoint ep service orders subnets s security-groups default
  load-balancer nlb network internal subnets s security-groups g, default { listener tcp 80 -> i }
  security-group g { inbound all from default }
  subnet s 10.0.0.0/24 in us-east-1a { instance i 10.0.0.10 { security-groups g } } }
endpoint-service orders in v load-balancer nlb`,
        });
        assert.deepStrictEqual(doc.diagnostics, []);
    });

    it('still reports an unknown security group name', async () => {
        const [doc] = await buildWorkspace(services, {
            'a.vnet': 'vpc v { cidr 10.0.0.0/16 subnet s 10.0.0.0/24 in us-east-1a { instance i 10.0.0.10 { security-groups nope } } }',
        });
        assert.deepStrictEqual(codes(doc.diagnostics), ['linking-error']);
        assert.strictEqual(doc.diagnostics![0].code, 'linking-error');
    });

    it('reports a duplicate VPC name across files', async () => {
        const [a, b] = await buildWorkspace(services, { 'a.vnet': SHOP, 'b.vnet': 'vpc shop { cidr 10.9.0.0/16 }' });
        assert.ok(codes(a.diagnostics).includes(IssueCodes.DuplicateName));
        const dup = b.diagnostics!.find(d => (d.data as { code: string }).code === IssueCodes.DuplicateName)!;
        assert.match(String(dup.message), /a\.vnet:1/);
    });
});
