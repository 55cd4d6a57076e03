/**
 * Lowering: ASTs of all documents → one engine NetworkModel, with origins, canonical CIDRs and
 * unresolved references as written.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { replaceIndices } from 'langium/test';
import { lowerDocuments } from '../../language/vnet-lower.js';
import { IssueCodes } from '../../language/vnet-validator.js';
import { CONTRACT, buildWorkspace, codes, createServices, reset } from './helpers.js';

const services = createServices();

describe('lowering', () => {
    afterEach(() => reset(services));

    it('lowers the contract example into the engine model', async () => {
        const docs = await buildWorkspace(services, { 'contract.vnet': CONTRACT });
        const model = lowerDocuments(docs);
        const [shop] = model.vpcs;
        assert.strictEqual(shop.name, 'shop');
        assert.strictEqual(shop.region, 'us-east-1');
        assert.strictEqual(shop.account, '111111111111');
        assert.deepStrictEqual(shop.cidrs, ['10.0.0.0/16', '100.64.0.0/16']);
        assert.strictEqual(shop.internetGateway?.name, 'igw');
        const [publicA, appA] = shop.subnets;
        assert.deepStrictEqual([publicA.routeTable, publicA.networkAcl, appA.routeTable], ['public', 'edge', undefined]);
        assert.deepStrictEqual(publicA.instances[0], {
            ...publicA.instances[0], name: 'web', privateIp: '10.0.0.10', publicIp: '54.0.0.10', securityGroups: ['web-sg', 'ssh'], sourceDestCheck: false,
        });
        assert.strictEqual(appA.instances[0].sourceDestCheck, true);
        assert.deepStrictEqual(shop.routeTables.map(t => [t.name, t.main, t.routes.map(r => `${r.destination}->${r.target}`)]), [['public', false, ['0.0.0.0/0->igw']], ['private', true, []]]);
        const apiSg = shop.securityGroups.find(g => g.name === 'api-sg')!;
        assert.deepStrictEqual(apiSg.rules[0].peer, { kind: 'security-group', vpc: 'shop', name: 'web-sg' });
        const webSg = shop.securityGroups.find(g => g.name === 'web-sg')!;
        assert.deepStrictEqual(webSg.rules.map(r => [r.direction, r.protocol, r.ports]), [['inbound', 'tcp', { from: 443, to: 443 }], ['inbound', 'tcp', { from: 8000, to: 8100 }], ['outbound', 'all', undefined]]);
        const edge = shop.networkAcls[0];
        assert.deepStrictEqual(edge.rules.map(r => r.number), [100, 110, 120, 130, 100, 90]);
        assert.deepStrictEqual(model.internetHosts.map(h => [h.name, h.ip]), [['client', '198.51.100.7'], ['dns', '8.8.8.8']]);
        assert.deepStrictEqual(model.expectations.map(e => [e.source, e.destination, e.protocol, e.port, e.expected]), [
            [{ kind: 'host', name: 'client' }, { kind: 'instance', vpc: 'shop', name: 'web' }, 'tcp', 443, 'reachable'],
            [{ kind: 'instance', vpc: 'shop', name: 'web' }, { kind: 'host', name: 'dns' }, 'udp', 53, 'reachable'],
            [{ kind: 'instance', vpc: 'shop', name: 'web' }, { kind: 'host', name: 'dns' }, 'icmp', undefined, 'reachable'],
            [{ kind: 'host', name: 'client' }, { kind: 'instance', vpc: 'shop', name: 'api' }, 'tcp', 8080, 'unreachable'],
            [{ kind: 'instance', vpc: 'shop', name: 'api' }, { kind: 'ip', ip: '93.184.216.34' }, 'tcp', 443, 'unreachable'],
            [{ kind: 'internet' }, { kind: 'instance', vpc: 'shop', name: 'web' }, 'tcp', 443, 'reachable'],
            [{ kind: 'instance', vpc: 'shop', name: 'web' }, { kind: 'instance', vpc: 'shop', name: 'api' }, 'tcp', 8080, 'reachable'],
        ]);
        assert.deepStrictEqual(model.expectations.map(e => e.sourceText), ['client', 'web', 'web', 'client', 'api', 'internet', 'shop.web']);
    });

    it('gives every element an origin: the document URI and the 0-based range of its declaration', async () => {
        const { output, ranges } = replaceIndices({ text: '<|vpc v {\n  cidr 10.0.0.0/16\n  network-acl n {\n    <|inbound 100 allow all from 0.0.0.0/0|>\n  }\n}|>\n' });
        const [doc] = await buildWorkspace(services, { 'o.vnet': output });
        const at = (offset: number) => ({ ...doc.textDocument.positionAt(offset) });
        const [vpc, rule] = ranges; // ranges come sorted by start
        const model = lowerDocuments([doc]);
        assert.deepStrictEqual(model.vpcs[0].networkAcls[0].rules[0].origin, { uri: 'file:///ws/o.vnet', start: at(rule[0]), end: at(rule[1]) });
        assert.deepStrictEqual(model.vpcs[0].origin, { uri: 'file:///ws/o.vnet', start: at(vpc[0]), end: at(vpc[1]) });
    });

    it('lowers CIDRs in canonical form and leaves out malformed values', async () => {
        const docs = await buildWorkspace(services, { 'c.vnet': 'vpc v { cidr 10.0.0.5/16 cidr 10.9.0.300/16 subnet s 10.0.0.9/24 in us-east-1a { instance i 10.0.0.10 instance bad 10.0.0.999 } }' });
        const [vpc] = lowerDocuments(docs).vpcs;
        assert.deepStrictEqual(vpc.cidrs, ['10.0.0.0/16']);
        assert.strictEqual(vpc.subnets[0].cidr, '10.0.0.0/24');
        assert.deepStrictEqual(vpc.subnets[0].instances.map(i => i.name), ['i']);
    });

    it('lowers expect endpoints that name a load balancer or an interface endpoint, qualified or bare', async () => {
        const docs = await buildWorkspace(services, {
            'p.vnet': `vpc clinic { cidr 10.95.0.0/16
  interface-endpoint lab-ep service lab subnets ep
  subnet app 10.95.1.0/24 in us-east-1a { instance desk 10.95.1.10 }
  subnet ep 10.95.2.0/24 in us-east-1a { } }
vpc labsvc { cidr 10.96.0.0/16 internet-gateway igw
  load-balancer lab-nlb network internet-facing subnets lb { listener tcp 443 -> api }
  load-balancer twin network internal subnets lb { listener tcp 443 -> api }
  subnet lb 10.96.0.0/24 in us-east-1a { }
  subnet a 10.96.1.0/24 in us-east-1a { instance api 10.96.1.10 } }
vpc other { cidr 10.97.0.0/16
  load-balancer twin network internal subnets lb { listener tcp 443 -> x }
  subnet lb 10.97.0.0/24 in us-east-1a { instance x 10.97.0.10 } }
endpoint-service lab in labsvc load-balancer lab-nlb
expect desk -> lab-ep tcp 443 reachable
expect desk -> clinic.lab-ep tcp 443 reachable
expect internet -> lab-nlb tcp 443 reachable
expect internet -> labsvc.twin tcp 443 unreachable
expect internet -> twin tcp 443 unreachable`,
        });
        const model = lowerDocuments(docs);
        assert.deepStrictEqual(model.expectations.map(e => e.destination), [
            { kind: 'interface-endpoint', vpc: 'clinic', name: 'lab-ep' },
            { kind: 'interface-endpoint', vpc: 'clinic', name: 'lab-ep' },
            { kind: 'load-balancer', vpc: 'labsvc', name: 'lab-nlb' },
            { kind: 'load-balancer', vpc: 'labsvc', name: 'twin' },
            // Ambiguous bare name: lowered as written, and reported with its candidates.
            { kind: 'host', name: 'twin' },
        ]);
        const unresolved = docs[0].diagnostics!.filter(d => ['linking-error', IssueCodes.AmbiguousName].includes(String((d.data as { code?: string }).code)));
        assert.deepStrictEqual(unresolved.map(d => [(d.data as { code: string }).code, d.range.start.line]), [[IssueCodes.AmbiguousName, 17]]);
        assert.match(String(unresolved[0].message), /'twin' is ambiguous: it could be labsvc\.twin, other\.twin/);
    });

    it('lowers a rule naming a peer VPC\'s group (`vpc.group`) to that VPC\'s group', async () => {
        const docs = await buildWorkspace(services, {
            'shop.vnet': `vpc shop { cidr 10.0.0.0/16
  security-group app-sg { inbound tcp 443 from app-sg outbound tcp 5432 to data.db-sg }
  subnet s 10.0.0.0/24 in us-east-1a { instance app 10.0.0.10 { security-groups app-sg } } }
peering shop-data between shop and data`,
            'data.vnet': `vpc data { cidr 10.1.0.0/16
  security-group db-sg { inbound tcp 5432 from shop.app-sg outbound tcp 5432 to ghost.sg }
  subnet s 10.1.0.0/24 in us-east-1a { instance db 10.1.0.10 { security-groups db-sg } } }`,
        });
        assert.deepStrictEqual(docs[0].diagnostics, []);
        const model = lowerDocuments(docs);
        const peers = (vpc: string, group: string) => model.vpcs.find(v => v.name === vpc)!.securityGroups.find(g => g.name === group)!.rules.map(r => r.peer);
        assert.deepStrictEqual(peers('shop', 'app-sg'), [
            { kind: 'security-group', vpc: 'shop', name: 'app-sg' },
            { kind: 'security-group', vpc: 'data', name: 'db-sg' },
        ]);
        assert.deepStrictEqual(peers('data', 'db-sg'), [
            { kind: 'security-group', vpc: 'shop', name: 'app-sg' },
            // Unresolved: lowered as written, and a linking error.
            { kind: 'security-group', vpc: 'ghost', name: 'sg' },
        ]);
        assert.deepStrictEqual(codes(docs[1].diagnostics), ['linking-error']);
        // The engine matches the reference across the active same-Region peering (peering.test.ts).
    });

    it('lowers unresolved references as written', async () => {
        const docs = await buildWorkspace(services, { 'u.vnet': 'vpc v { cidr 10.0.0.0/16 subnet s 10.0.0.0/24 in us-east-1a { route-table nope instance i 10.0.0.10 { security-groups ghost } } route-table r { 0.0.0.0/0 -> missing } }\nexpect x.y -> someone icmp reachable' });
        const model = lowerDocuments(docs);
        const [vpc] = model.vpcs;
        assert.strictEqual(vpc.subnets[0].routeTable, 'nope');
        assert.deepStrictEqual(vpc.subnets[0].instances[0].securityGroups, ['ghost']);
        assert.strictEqual(vpc.routeTables[0].routes[0].target, 'missing');
        assert.deepStrictEqual([model.expectations[0].source, model.expectations[0].destination], [{ kind: 'instance', vpc: 'x', name: 'y' }, { kind: 'host', name: 'someone' }]);
    });

    it('lowers all documents of the workspace into one model', async () => {
        const docs = await buildWorkspace(services, { 'a.vnet': 'vpc a { cidr 10.0.0.0/16 }', 'b.vnet': 'vpc b { cidr 10.1.0.0/16 } internet { host h 8.8.8.8 }' });
        const model = lowerDocuments(docs);
        assert.deepStrictEqual(model.vpcs.map(v => v.name), ['a', 'b']);
        assert.deepStrictEqual(model.internetHosts.map(h => h.origin?.uri), ['file:///ws/b.vnet']);
    });
});
