/**
 * The constructs of issues 3 and 4: parsing (every construct of docs/language.md), lexing of IPv6
 * literals and of keywords used as names, scoping of the new references, lowering into the engine
 * model, and hovers on the new declarations.
 */
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'mocha';
import { expectHover, parseHelper } from 'langium/test';
import {
    isExpectation, isPeering, isRouteTable, isTgwAttachment, isTransitGateway, isVpc, isVpnConnection,
    isDirectConnectGatewayAssociation, isBlockPublicAccess, isEndpointService, isSddc, isSddcConnectedVpc,
    type Model,
} from '../../language/generated/ast.js';
import { lowerDocuments } from '../../language/vnet-lower.js';
import { buildWorkspace, codes, createServices, reset } from './helpers.js';

const services = createServices();
const parse = parseHelper<Model>(services.Vnet);
const hover = expectHover(services.Vnet);

/** Every construct of issues 3 and 4 in one consistent workspace. */
const NETWORKS = readFileSync(new URL('./fixtures/networks.vnet', import.meta.url), 'utf8');
/** The same without its expectations (whose verdicts are the engine's business). */
const DECLARATIONS = NETWORKS.split('\n').filter(line => !line.startsWith('expect ')).join('\n');

function root(doc: { parseResult: { value: unknown } }): Model {
    return doc.parseResult.value as Model;
}

async function parseClean(text: string): Promise<Model> {
    const doc = await parse(text);
    assert.deepStrictEqual(doc.parseResult.lexerErrors.map(e => e.message), []);
    assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message), []);
    return doc.parseResult.value;
}

describe('issues 3 and 4: parsing and lexing', () => {
    afterEach(() => reset(services));

    it('parses every construct of the settled syntax', async () => {
        const model = await parseClean(NETWORKS);
        assert.deepStrictEqual([...new Set(model.elements.map(e => e.$type))], [
            'Peering', 'Vpc', 'TransitGateway', 'Site', 'VpnConnection', 'DirectConnect', 'DirectConnectGateway', 'Sddc',
            'EndpointService', 'BlockPublicAccess', 'Expectation',
        ]);
        const shop = model.elements.filter(isVpc)[0];
        assert.deepStrictEqual([...new Set(shop.members.map(m => m.$type))], [
            'VpcCidr', 'VpcIpv6', 'InternetGateway', 'VpnGateway', 'EgressOnlyInternetGateway', 'NatGateway', 'GatewayEndpoint',
            'InterfaceEndpoint', 'GwlbEndpoint', 'LoadBalancer', 'Subnet', 'RouteTable', 'SecurityGroup', 'NetworkAcl',
        ]);
    });

    it('has no diagnostics on a consistent network (nothing but the engine may speak)', async () => {
        const [doc] = await buildWorkspace(services, { 'networks.vnet': DECLARATIONS });
        assert.deepStrictEqual((doc.diagnostics ?? []).map(d => `${d.range.start.line + 1}: ${d.message}`), []);
    });

    it('lexes IPv6 addresses and CIDRs, including ones that start with a letter or a colon', async () => {
        const model = await parseClean('vpc v { cidr 10.0.0.0/16 ipv6 2600:1f18:abcd::/56 security-group g { inbound all from ::/0 inbound tcp 22 from fd00::/8 inbound tcp 443 from ::ffff:198.51.100.0/120 } } expect internet -> 2001:db8::1 tcp 443 reachable');
        const vpc = model.elements.filter(isVpc)[0];
        const group = vpc.members[2] as unknown as { rules: Array<{ cidr?: string }> };
        assert.deepStrictEqual(group.rules.map(r => r.cidr), ['::/0', 'fd00::/8', '::ffff:198.51.100.0/120']);
        assert.strictEqual(model.elements.filter(isExpectation)[0].destination.address, '2001:db8::1');
    });

    it('still splits names and arrows next to IPv6 literals and hex-looking names', async () => {
        const model = await parseClean('expect cafe->2001:db8::1 tcp 443 reachable expect dead-beef -> face tcp 80 size 1400 unreachable');
        const [a, b] = model.elements.filter(isExpectation);
        assert.deepStrictEqual([a.source.target?.$refText, a.destination.address], ['cafe', '2001:db8::1']);
        assert.deepStrictEqual([b.source.target?.$refText, b.destination.target?.$refText, b.size], ['dead-beef', 'face', 1400]);
    });

    it('keeps the new keywords usable as names', async () => {
        const model = await parseClean('vpc hosts { cidr 10.0.0.0/16 subnet private 10.0.0.0/24 in us-east-1a { instance edge 10.0.0.10 } route-table propagate { 0.0.0.0/0 -> edge } } expect edge -> hosts.edge tcp 22 reachable');
        const vpc = model.elements.filter(isVpc)[0];
        assert.deepStrictEqual([vpc.name, vpc.members.filter(isRouteTable)[0].name], ['hosts', 'propagate']);
    });

    it('reads s3 and dynamodb in an expectation as the AWS services', async () => {
        const model = await parseClean('expect web -> s3 tcp 443 reachable expect web -> dynamodb tcp 443 reachable');
        assert.deepStrictEqual(model.elements.filter(isExpectation).map(e => e.destination.service), ['s3', 'dynamodb']);
    });

    it('lets a transit gateway route table be called main, but not a VPC route table', async () => {
        const model = await parseClean('transit-gateway hub { route-table main { 10.0.0.0/8 blackhole } }');
        assert.strictEqual(model.elements.filter(isTransitGateway)[0].members[0].$type, 'TgwRouteTable');
        const doc = await parse('vpc v { cidr 10.0.0.0/16 route-table main { } }');
        assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message).slice(0, 1),
            ["Expecting a name but found `main` ('main' is a keyword, so it cannot be a name)."]);
    });

    it('lists alternatives without the keywords that are also names', async () => {
        const doc = await parse('peering { }');
        assert.match(doc.parseResult.parserErrors[0].message, /^Expecting a name but found `\{`/);
    });
});

describe('issues 3 and 4: scoping', () => {
    afterEach(() => reset(services));

    it('resolves route targets to VPC elements, peerings and transit gateways', async () => {
        const [doc] = await buildWorkspace(services, { 'n.vnet': DECLARATIONS });
        const shop = root(doc).elements.filter(isVpc)[0];
        const routes = shop.members.filter(isRouteTable).find(t => t.name === 'private')!.routes;
        assert.deepStrictEqual(routes.map(r => r.target?.ref?.$type), ['Peering', 'TransitGateway', 'NatGateway', 'EgressOnlyInternetGateway']);
    });

    it('resolves peerings, VPNs, Direct Connect and SDDC references across files', async () => {
        const [a, b] = await buildWorkspace(services, {
            'a.vnet': 'vpc shop { cidr 10.0.0.0/16 vpn-gateway vgw subnet link 10.0.6.0/24 in us-east-1a route-table r { propagate vgw 10.1.0.0/16 -> p } }',
            'b.vnet': 'vpc data { cidr 10.1.0.0/16 } peering p between shop and data site office { cidr 192.168.0.0/16 } vpn v from office to vgw bgp direct-connect dx from office to shop.vgw vlan 7 sddc vmc { connected-vpc shop subnet link management 10.2.0.0/16 }',
        });
        assert.deepStrictEqual(codes(a.diagnostics).filter(c => c === 'linking-error'), []);
        assert.deepStrictEqual(codes(b.diagnostics).filter(c => c === 'linking-error'), []);
        const vpn = root(b).elements.filter(isVpnConnection)[0];
        assert.strictEqual(vpn.to?.ref?.$type, 'VpnGateway');
        assert.strictEqual(root(b).elements.filter(isSddc)[0].members.filter(isSddcConnectedVpc)[0].subnet?.ref?.name, 'link');
    });

    it('reports a bare gateway name that two VPCs use, with its candidates', async () => {
        const [doc] = await buildWorkspace(services, {
            'n.vnet': 'vpc a { cidr 10.0.0.0/16 vpn-gateway vgw } vpc b { cidr 10.1.0.0/16 vpn-gateway vgw } site s { cidr 192.168.0.0/16 } vpn v from s to vgw',
        });
        const ambiguous = (doc.diagnostics ?? []).filter(d => /'vgw' is ambiguous: it could be a\.vgw, b\.vgw/.test(String(d.message)));
        assert.deepStrictEqual(codes(ambiguous), ['AMBIGUOUS_NAME']);
    });

    it('scopes attachments and route tables to their transit gateway', async () => {
        const [doc] = await buildWorkspace(services, {
            'n.vnet': `vpc a { cidr 10.0.0.0/16 subnet s 10.0.0.0/24 in us-east-1a }
              transit-gateway one { attachment att vpc a subnets s route-table t { associate att } }
              transit-gateway two { attachment att vpc a subnets s route-table t { associate att 10.9.0.0/16 -> att } }`,
        });
        assert.deepStrictEqual(codes(doc.diagnostics).filter(c => c === 'linking-error' || c === 'DUPLICATE_NAME'), []);
        const [one, two] = root(doc).elements.filter(isTransitGateway);
        const assocTwo = (two.members[1] as unknown as { members: Array<{ attachments?: Array<{ ref?: unknown }> }> }).members[0].attachments![0].ref;
        assert.strictEqual(assocTwo, two.members.filter(isTgwAttachment)[0]);
        assert.notStrictEqual(assocTwo, one.members.filter(isTgwAttachment)[0]);
    });

    it('resolves attachment subnets and endpoint-service load balancers in the named VPC', async () => {
        const [doc] = await buildWorkspace(services, { 'n.vnet': DECLARATIONS });
        const hub = root(doc).elements.filter(isTransitGateway)[0];
        const shopAtt = hub.members.filter(isTgwAttachment)[0];
        assert.deepStrictEqual(shopAtt.subnets.map(s => s.ref?.$container.$type === 'Vpc' && (s.ref.$container as { name: string }).name), ['shop', 'shop']);
        const orders = root(doc).elements.filter(isEndpointService)[0];
        assert.strictEqual((orders.loadBalancer?.ref?.$container as { name?: string }).name, 'data');
    });

    it('resolves DX gateway associations and Block Public Access exclusions by qualified or bare name', async () => {
        const [doc] = await buildWorkspace(services, { 'n.vnet': DECLARATIONS });
        const assoc = root(doc).elements.flatMap(e => isDirectConnectGatewayAssociation((e as { associations?: unknown[] }).associations?.[0]) ? [(e as { associations: unknown[] }).associations[0]] : []);
        assert.strictEqual((assoc[0] as { gateways: Array<{ ref?: { $type: string } }> }).gateways[0].ref?.$type, 'TransitGateway');
        const bpa = root(doc).elements.filter(isBlockPublicAccess)[0];
        assert.deepStrictEqual(bpa.exclusions.map(x => x.target?.ref?.$type), ['Vpc', 'Subnet']);
    });

    it('resolves site and SDDC hosts as site.host, sddc.host or a unique bare name', async () => {
        const [doc] = await buildWorkspace(services, { 'n.vnet': NETWORKS });
        const ends = root(doc).elements.filter(isExpectation).slice(0, 3).map(e => e.destination.target?.ref?.$container.$type);
        assert.deepStrictEqual(ends, ['Site', 'SddcSegment', 'SddcSegment']);
    });

    it('keeps a peering in a route table of a VPC that is not its own a resolvable name (the validator explains)', async () => {
        const [doc] = await buildWorkspace(services, { 'n.vnet': 'vpc a { cidr 10.0.0.0/16 route-table r { 10.9.0.0/16 -> p } } vpc b { cidr 10.1.0.0/16 } vpc c { cidr 10.9.0.0/16 } peering p between b and c' });
        assert.deepStrictEqual(codes(doc.diagnostics), ['ROUTE_PEERING_NOT_CONNECTED']);
        assert.ok(isPeering(root(doc).elements.filter(isVpc)[0].members.filter(isRouteTable)[0].routes[0].target?.ref));
    });
});

describe('issues 3 and 4: lowering', () => {
    afterEach(() => reset(services));

    it('lowers peerings, transit gateways, sites, VPNs, Direct Connect and SDDCs', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'n.vnet': NETWORKS }));
        assert.deepStrictEqual(model.peerings?.map(p => [p.name, p.requester, p.accepter, p.status]), [['shop-data', 'shop', 'data', 'active'], ['old-link', 'shop', 'legacy', 'pending']]);
        const hub = model.transitGateways![0];
        assert.deepStrictEqual([hub.name, hub.region, hub.account, hub.asn], ['hub', 'us-east-1', '011111111111', 64512]);
        assert.deepStrictEqual(hub.attachments.map(({ origin: _, ...a }) => a), [
            { name: 'shop-att', kind: 'vpc', vpc: 'shop', subnets: ['tgw-a', 'tgw-b'], applianceMode: true },
            { name: 'data-att', kind: 'vpc', vpc: 'data', subnets: ['d-a'], applianceMode: false },
            { name: 'office-att', kind: 'vpn', vpn: 'branch-vpn' },
            { name: 'dx-att', kind: 'direct-connect-gateway', directConnectGateway: 'dxgw' },
            { name: 'west-att', kind: 'peering', transitGateway: 'hub-west' },
        ]);
        const [main] = hub.routeTables;
        assert.deepStrictEqual([main.associations, main.propagations], [['shop-att', 'data-att', 'office-att', 'dx-att', 'west-att'], ['shop-att', 'data-att', 'office-att']]);
        assert.deepStrictEqual(main.routes.map(({ origin: _, ...r }) => r), [
            { destination: '10.99.0.0/16', attachment: 'data-att', blackhole: false },
            { destination: '10.66.0.0/16', blackhole: true },
        ]);
        assert.deepStrictEqual(model.sites?.map(({ origin: _, hosts, ...s }) => ({ ...s, hosts: hosts.map(h => [h.name, h.ip]) })), [
            { name: 'office', cidrs: ['192.168.0.0/16'], customerGatewayIp: '203.0.113.10', asn: 65000, hosts: [['pc', '192.168.1.20']] },
            { name: 'branch', cidrs: ['10.20.0.0/16'], hosts: [] },
        ]);
        // A virtual private gateway is lowered qualified, also when written bare.
        assert.deepStrictEqual(model.vpns?.map(v => [v.name, v.site, v.to, v.routing, v.staticRoutes]), [
            ['office-vpn', 'office', 'shop.vgw', 'bgp', []],
            ['branch-vpn', 'branch', 'hub', 'static', ['10.20.0.0/16', '10.21.0.0/16']],
        ]);
        assert.deepStrictEqual(model.directConnects?.map(d => [d.name, d.site, d.to, d.vlan, d.mtu]), [['dx1', 'office', 'shop.vgw', 101, undefined], ['dx2', 'office', 'dxgw', 102, 8500]]);
        assert.deepStrictEqual(model.directConnectGateways?.map(g => [g.name, g.associations]), [['dxgw', ['hub']]]);
        const [vmc] = model.sddcs!;
        assert.deepStrictEqual([vmc.name, vmc.connectedVpc, vmc.subnet, vmc.management, vmc.hostCount, vmc.activeHost], ['vmc', 'shop', 'link-a', '10.50.0.0/16', 17, 3]);
        assert.deepStrictEqual(vmc.segments.map(s => [s.name, s.cidr, s.hosts.map(h => `${h.name} ${h.ip}`)]), [['app', '192.168.160.0/24', ['tinycore 192.168.160.2']]]);
    });

    it('lowers the VPC elements of issue 4: IPv6, gateways, NAT, endpoints, load balancers', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'n.vnet': NETWORKS }));
        const shop = model.vpcs.find(v => v.name === 'shop')!;
        assert.deepStrictEqual(shop.ipv6Cidrs, ['2600:1f18:abcd::/56']);
        assert.deepStrictEqual([shop.vpnGateway?.name, shop.vpnGateway?.asn, shop.egressOnlyInternetGateway?.name], ['vgw', 65010, 'eigw']);
        assert.deepStrictEqual(shop.natGateways?.map(({ origin: _, ...n }) => n), [
            { name: 'nat', subnet: 'public-a', publicIp: '3.3.3.3', private: false },
            { name: 'pnat', subnet: 'app-a', private: true },
        ]);
        assert.deepStrictEqual(shop.gatewayEndpoints?.map(({ origin: _, ...e }) => e), [{ name: 's3ep', service: 's3', routeTables: ['private', 'app'] }]);
        assert.deepStrictEqual(shop.interfaceEndpoints?.map(({ origin: _, ...e }) => e), [{ name: 'orders-ep', service: 'orders', subnets: ['app-a', 'app-b'], securityGroups: ['ep-sg'] }]);
        assert.deepStrictEqual(shop.gatewayLoadBalancerEndpoints?.map(({ origin: _, ...e }) => e), [{ name: 'fw-ep', service: 'inspection', subnet: 'fw-a' }]);
        const nlb = shop.loadBalancers![0];
        assert.deepStrictEqual([nlb.type, nlb.scheme, nlb.subnets, nlb.crossZone, nlb.securityGroups], ['network', 'internet-facing', ['public-a', 'public-b'], true, ['nlb-sg']]);
        assert.deepStrictEqual(nlb.listeners.map(({ origin: _, ...l }) => l), [
            { protocol: 'tcp', port: 80, targets: ['web', 'api'], targetType: 'instance', targetPort: 8080 },
            { protocol: 'tcp', port: 443, targets: ['10.0.0.10', '10.0.1.10'], targetType: 'ip', preserveClientIp: false },
        ]);
        const gwlb = model.vpcs.find(v => v.name === 'security')!.loadBalancers![0];
        assert.deepStrictEqual([gwlb.type, gwlb.scheme, gwlb.listeners[0].protocol, gwlb.listeners[0].port], ['gateway', 'internal', 'all', undefined]);
        const publicA = shop.subnets[0];
        assert.deepStrictEqual([publicA.ipv6Cidr, publicA.instances[0].ipv6], ['2600:1f18:abcd:1::/64', ['2600:1f18:abcd:1::10']]);
        assert.strictEqual(shop.subnets[1].ipv6Cidr, undefined);
    });

    it('lowers IPv6 and prefix-list routes, gateway route tables, propagation, IPv6 rules', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'n.vnet': NETWORKS }));
        const shop = model.vpcs.find(v => v.name === 'shop')!;
        const table = (name: string) => shop.routeTables.find(t => t.name === name)!;
        assert.deepStrictEqual(table('private').routes.map(r => `${r.destination}->${r.target}`), ['10.1.0.0/16->shop-data', '10.99.0.0/16->hub', '0.0.0.0/0->nat', '::/0->eigw']);
        assert.deepStrictEqual(table('private').propagate, ['vgw']);
        assert.deepStrictEqual(table('app').routes.map(({ origin: _, ...r }) => r), [
            { destination: '0.0.0.0/0', target: 'pnat' },
            { destination: 's3', destinationIsPrefixList: true, target: 's3ep' },
        ]);
        assert.deepStrictEqual([table('ingress').edge, table('private').edge], ['igw', undefined]);
        const epSg = shop.securityGroups.find(g => g.name === 'ep-sg')!;
        assert.deepStrictEqual(epSg.rules.map(r => r.peer), [{ kind: 'cidr', cidr: '::/0' }, { kind: 'cidr', cidr: '::/0' }]);
        assert.deepStrictEqual(shop.networkAcls[0].rules.map(r => r.cidr), ['::/0']);
    });

    it('lowers endpoint services, Block Public Access and the new expectation forms', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'n.vnet': NETWORKS }));
        assert.deepStrictEqual(model.endpointServices?.map(({ origin: _, ...s }) => s), [
            { name: 'orders', vpc: 'data', loadBalancer: 'onlb', allowedAccounts: ['022222222222', '333333333333'] },
            { name: 'inspection', vpc: 'security', loadBalancer: 'gwlb', allowedAccounts: [] },
        ]);
        assert.deepStrictEqual(model.blockPublicAccess?.map(b => [b.region, b.mode, b.exclusions.map(({ origin: _, ...x }) => x)]), [
            ['us-east-1', 'bidirectional', [{ vpc: 'shop', mode: 'bidirectional' }, { vpc: 'shop', subnet: 'public-a', mode: 'egress' }]],
        ]);
        assert.deepStrictEqual(model.expectations.map(e => [e.destination, e.destinationText, e.size]), [
            [{ kind: 'site-host', site: 'office', name: 'pc' }, 'office.pc', undefined],
            [{ kind: 'site-host', site: 'vmc', name: 'tinycore' }, 'vmc.tinycore', undefined],
            [{ kind: 'site-host', site: 'vmc', name: 'tinycore' }, 'tinycore', undefined],
            [{ kind: 'ip', ip: '2001:db8::1' }, '2001:db8::1', undefined],
            [{ kind: 'aws-service', service: 's3' }, 's3', undefined],
            [{ kind: 'instance', vpc: 'shop', name: 'web' }, 'web', 9000],
        ]);
    });

    it('keeps the leading zeros of allowed accounts, with comments between them', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'n.vnet': 'vpc p { cidr 10.0.0.0/16 subnet s 10.0.0.0/24 in us-east-1a load-balancer nlb network internal subnets s } endpoint-service svc in p load-balancer nlb accounts 011111111111, /* partner */ 022222222222' }));
        assert.deepStrictEqual(model.endpointServices?.[0].allowedAccounts, ['011111111111', '022222222222']);
    });

    it('gives every new element its origin', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'n.vnet': NETWORKS }));
        const shop = model.vpcs.find(v => v.name === 'shop')!;
        const withOrigins = [
            ...model.peerings!, ...model.transitGateways!, ...model.transitGateways![0].attachments, ...model.transitGateways![0].routeTables,
            ...model.sites!, ...model.vpns!, ...model.directConnects!, ...model.directConnectGateways!, ...model.sddcs!, ...model.sddcs![0].segments,
            ...model.endpointServices!, ...model.blockPublicAccess!, ...model.blockPublicAccess![0].exclusions,
            shop.vpnGateway!, shop.egressOnlyInternetGateway!, ...shop.natGateways!, ...shop.gatewayEndpoints!, ...shop.interfaceEndpoints!,
            ...shop.gatewayLoadBalancerEndpoints!, ...shop.loadBalancers!, ...shop.loadBalancers![0].listeners,
        ];
        assert.deepStrictEqual(withOrigins.filter(e => !e.origin?.uri.endsWith('n.vnet')).length, 0);
        assert.strictEqual(model.peerings![0].origin?.start.line, 2);
    });
});

describe('issues 3 and 4: hover', () => {
    afterEach(() => reset(services));

    it('describes a peering, its status included', async () => {
        await hover({ text: 'vpc a { cidr 10.0.0.0/16 } vpc b { cidr 10.1.0.0/16 } peering <|>p between a and b pending', index: 0, hover: /\*\*VPC peering\*\* p[\s\S]*pending acceptance/ });
    });

    it('describes a NAT gateway and a transit gateway', async () => {
        await hover({ text: 'vpc a { cidr 10.0.0.0/16 subnet s 10.0.0.0/24 in us-east-1a nat-gateway <|>n in s public-ip 3.3.3.3 }', index: 0, hover: /Public NAT gateway[\s\S]*3\.3\.3\.3/ });
        await hover({ text: 'transit-gateway <|>hub { }', index: 0, hover: /Transit gateway\*\* hub[\s\S]*0 attachments/ });
    });
});
