/**
 * Clauses that come in any order: a VPC attachment's `subnets` / `appliance-mode` / `ipv6-support`, a
 * VPN's routing and `tunnel-inside`, a Direct Connect interface's `mtu` / `ipv6`, and the clauses of load
 * balancers and endpoints (`ip-address-type` before or after the subnets). Each reordering parses, gets
 * the same diagnostics and lowers to the same model as the documented order; a clause written twice is
 * DUPLICATE_SETTING on the second.
 */
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'mocha';
import type { LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import { lowerDocuments } from '../../language/vnet-lower.js';
import { IssueCodes } from '../../language/vnet-validator.js';
import { buildWorkspace, codes, createServices, reset } from './helpers.js';

const services = createServices();

const DUAL_STACK = readFileSync(new URL('./fixtures/dual-stack.vnet', import.meta.url), 'utf8');
const SITE_IPV6 = readFileSync(new URL('./fixtures/site-ipv6.vnet', import.meta.url), 'utf8');
const NETWORKS = readFileSync(new URL('./fixtures/networks.vnet', import.meta.url), 'utf8');

/** The text with one clause sequence replaced (it must occur exactly once). */
function reorder(text: string, from: string, to: string): string {
    assert.strictEqual(text.split(from).length, 2, `'${from}' occurs once in the fixture`);
    return text.replace(from, to);
}

/** The model without source positions (origins differ when clauses move), bigints as text. */
function comparable(value: unknown): string {
    return JSON.stringify(value, (key, v) => key === 'origin' ? undefined : typeof v === 'bigint' ? v.toString() : v);
}

interface Built { parserErrors: string[]; diagnostics: string[]; model: string }

async function build(text: string): Promise<Built> {
    const [doc] = await buildWorkspace(services, { 'order.vnet': text });
    const result: Built = {
        parserErrors: doc.parseResult.parserErrors.map(e => e.message),
        diagnostics: (doc.diagnostics ?? []).map((d: Diagnostic) => `${d.severity} ${String(d.code)} ${d.message}`).sort(),
        model: comparable(lowerDocuments([doc])),
    };
    await reset(services);
    return result;
}

/** Both orders parse cleanly, get the same diagnostics and lower to the same model. */
async function sameModel(documented: string, reordered: string): Promise<void> {
    assert.notStrictEqual(documented, reordered);
    const a = await build(documented);
    const b = await build(reordered);
    assert.deepStrictEqual(a.parserErrors, []);
    assert.deepStrictEqual(b.parserErrors, []);
    assert.deepStrictEqual(b.diagnostics, a.diagnostics);
    assert.strictEqual(b.model, a.model);
}

/**
 * `from` replaced by `to`, which repeats a clause: no parser error, one DUPLICATE_SETTING, on the last
 * `marked` of `to` (the second occurrence).
 */
async function duplicate(base: string, from: string, to: string, marked: string, message: RegExp): Promise<void> {
    const text = reorder(base, from, to);
    const [doc] = await buildWorkspace(services, { 'twice.vnet': text });
    try {
        assertDuplicate(doc, text, to, marked, message);
    } finally {
        await reset(services);
    }
}

function assertDuplicate(doc: LangiumDocument, text: string, to: string, marked: string, message: RegExp): void {
    assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message), []);
    const found = (doc.diagnostics ?? []).filter(d => (d.data as { code?: string } | undefined)?.code === IssueCodes.DuplicateSetting);
    assert.strictEqual(found.length, 1, `one DUPLICATE_SETTING, got ${JSON.stringify(codes(doc.diagnostics))}`);
    const reported = found[0].message;
    assert.match(typeof reported === 'string' ? reported : reported.value, message);
    const start = doc.textDocument.offsetAt(found[0].range.start);
    const end = doc.textDocument.offsetAt(found[0].range.end);
    assert.strictEqual(text.slice(start, end), marked);
    assert.strictEqual(start, text.indexOf(to) + to.lastIndexOf(marked), 'the second occurrence is marked');
}

describe('clause order: any order parses and lowers the same', () => {
    afterEach(() => reset(services));

    it('transit gateway VPC attachment: ipv6-support before appliance-mode, and both before subnets', async () => {
        const documented = 'attachment shop-att vpc shop subnets tgw-a, tgw-b appliance-mode ipv6-support';
        await sameModel(DUAL_STACK, reorder(DUAL_STACK, documented, 'attachment shop-att vpc shop subnets tgw-a, tgw-b ipv6-support appliance-mode'));
        await sameModel(DUAL_STACK, reorder(DUAL_STACK, documented, 'attachment shop-att vpc shop ipv6-support appliance-mode subnets tgw-a, tgw-b'));
    });

    it('vpn: tunnel-inside before the routing (bgp, and static with prefixes)', async () => {
        await sameModel(SITE_IPV6, reorder(SITE_IPV6, 'to hub bgp tunnel-inside ipv6', 'to hub tunnel-inside ipv6 bgp'));
        const withFamily = reorder(NETWORKS, 'to hub static 10.20.0.0/16, 10.21.0.0/16', 'to hub static 10.20.0.0/16, 10.21.0.0/16 tunnel-inside ipv4');
        await sameModel(withFamily, reorder(NETWORKS, 'to hub static 10.20.0.0/16, 10.21.0.0/16', 'to hub tunnel-inside ipv4 static 10.20.0.0/16, 10.21.0.0/16'));
    });

    it('direct-connect: ipv6 before mtu', async () => {
        const documented = reorder(NETWORKS, 'vlan 102 mtu 8500', 'vlan 102 mtu 8500 ipv6');
        await sameModel(documented, reorder(NETWORKS, 'vlan 102 mtu 8500', 'vlan 102 ipv6 mtu 8500'));
    });

    it('load-balancer: ip-address-type, cross-zone, security-groups and privatelink-inbound-rules after the subnets', async () => {
        const documented = `load-balancer nlb network internet-facing ip-address-type dualstack
      subnets pub-a public-ip 3.3.3.10 private-ip 10.0.0.50 ipv6 2600:1f18:abcd:1::50, pub-b
      cross-zone security-groups nlb-sg privatelink-inbound-rules off {`;
        await sameModel(DUAL_STACK, reorder(DUAL_STACK, documented, `load-balancer nlb network internet-facing
      privatelink-inbound-rules off security-groups nlb-sg cross-zone
      subnets pub-a public-ip 3.3.3.10 private-ip 10.0.0.50 ipv6 2600:1f18:abcd:1::50, pub-b ip-address-type dualstack {`));
        // After a mapping ending in an IPv6 address, the next clause is still the load balancer's.
        await sameModel(DUAL_STACK, reorder(DUAL_STACK, 'load-balancer onlb network internal ip-address-type dualstack subnets d-a private-ip 10.1.0.40 {',
            'load-balancer onlb network internal subnets d-a private-ip 10.1.0.40 ip-address-type dualstack {'));
    });

    it('interface-endpoint: ip-address-type after the subnets and security groups', async () => {
        await sameModel(DUAL_STACK, reorder(DUAL_STACK,
            'interface-endpoint orders-ep service orders ip-address-type dualstack\n      subnets app-a private-ip 10.0.10.50 ipv6 2600:1f18:abcd:10::50, app-b security-groups ep-sg',
            'interface-endpoint orders-ep service orders security-groups ep-sg\n      subnets app-a private-ip 10.0.10.50 ipv6 2600:1f18:abcd:10::50, app-b ip-address-type dualstack'));
    });

    it('gwlb-endpoint: ip-address-type after the subnet, between or after its addresses', async () => {
        const documented = 'gwlb-endpoint fw-ep service inspection ip-address-type dualstack subnet fw-a private-ip 10.0.3.10 ipv6 2600:1f18:abcd:3::10';
        await sameModel(DUAL_STACK, reorder(DUAL_STACK, documented, 'gwlb-endpoint fw-ep service inspection subnet fw-a ip-address-type dualstack private-ip 10.0.3.10 ipv6 2600:1f18:abcd:3::10'));
        await sameModel(DUAL_STACK, reorder(DUAL_STACK, documented, 'gwlb-endpoint fw-ep service inspection subnet fw-a private-ip 10.0.3.10 ipv6 2600:1f18:abcd:3::10 ip-address-type dualstack'));
    });

    it('gateway-endpoint: ip-address-type after the route tables', async () => {
        await sameModel(DUAL_STACK, reorder(DUAL_STACK, 'gateway-endpoint s3ep service s3 ip-address-type dualstack route-tables private',
            'gateway-endpoint s3ep service s3 route-tables private ip-address-type dualstack'));
    });

    it('a VPC ipv6 line right after a reordered endpoint stays the VPC\'s', async () => {
        const text = 'vpc v {\n  cidr 10.0.0.0/16\n  gateway-endpoint s3ep service s3 route-tables rt ip-address-type ipv4\n  ipv6 2600:1f18:abcd::/56\n  route-table rt\n}';
        const [doc] = await buildWorkspace(services, { 'v.vnet': text });
        assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message), []);
        const vpc = lowerDocuments([doc]).vpcs[0];
        assert.deepStrictEqual(vpc.ipv6Cidrs, ['2600:1f18:abcd::/56']);
        assert.deepStrictEqual(vpc.gatewayEndpoints?.map(e => [e.name, e.ipAddressType]), [['s3ep', 'ipv4']]);
    });
});

describe('clause order: a clause given twice is DUPLICATE_SETTING', () => {
    afterEach(() => reset(services));

    it('transit gateway VPC attachment', async () => {
        await duplicate(DUAL_STACK, 'appliance-mode ipv6-support', 'appliance-mode ipv6-support appliance-mode', 'appliance-mode',
            /'appliance-mode' is already given for attachment shop-att/);
    });

    it('vpn routing and tunnel-inside', async () => {
        await duplicate(SITE_IPV6, 'to hub bgp tunnel-inside ipv6', 'to hub bgp tunnel-inside ipv6 static', 'static',
            /The routing of VPN office-vpn6 is already given \('bgp'\)/);
        await duplicate(SITE_IPV6, 'to hub bgp tunnel-inside ipv6', 'to hub tunnel-inside ipv6 bgp tunnel-inside ipv6', 'tunnel-inside',
            /'tunnel-inside' is already given for VPN office-vpn6/);
    });

    it('direct-connect mtu', async () => {
        await duplicate(NETWORKS, 'vlan 102 mtu 8500', 'vlan 102 mtu 8500 mtu 9001', 'mtu', /'mtu' is already given for Direct Connect interface dx2/);
    });

    it('load-balancer, interface-endpoint, gwlb-endpoint and gateway-endpoint ip-address-type', async () => {
        await duplicate(DUAL_STACK, 'cross-zone security-groups nlb-sg', 'cross-zone security-groups nlb-sg ip-address-type dualstack', 'ip-address-type',
            /'ip-address-type' is already given for load balancer nlb/);
        await duplicate(DUAL_STACK, 'app-b security-groups ep-sg', 'app-b security-groups ep-sg ip-address-type dualstack', 'ip-address-type',
            /'ip-address-type' is already given for interface endpoint orders-ep/);
        await duplicate(DUAL_STACK, 'ipv6 2600:1f18:abcd:3::10', 'ipv6 2600:1f18:abcd:3::10 ip-address-type dualstack', 'ip-address-type',
            /'ip-address-type' is already given for GWLB endpoint fw-ep/);
        await duplicate(DUAL_STACK, 'route-tables private', 'route-tables private route-tables public', 'route-tables',
            /'route-tables' is already given for gateway endpoint s3ep/);
    });

    it('a security group named like a clause keyword is not a repeat', async () => {
        const text = DUAL_STACK.replaceAll('nlb-sg', 'ip-address-type');
        const [doc] = await buildWorkspace(services, { 'named.vnet': text });
        assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message), []);
        assert.ok(!codes(doc.diagnostics).includes(IssueCodes.DuplicateSetting), JSON.stringify(doc.diagnostics?.map(d => d.message)));
    });
});
