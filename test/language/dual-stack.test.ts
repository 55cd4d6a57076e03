/**
 * The rest of issue 4 in the language: parsing and lowering of ip-address-type, subnet mappings
 * (public-ip / private-ip / ipv6 per subnet), privatelink-inbound-rules, endpoint addresses,
 * supported-ip-address-types, ipv6-support and `expect ... in <zone> ... ipv6`; and every validation
 * rule of them, each with its code on the range marked `<|...|>` and a near miss that must not
 * report it. Rules: ../shared/reference/aws-data-plane.md and the AWS guides cited in
 * language/vnet-dual-stack-validator.ts.
 */
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'mocha';
import { expectCompletion, expectFormatting, expectHover, expectIssue, expectNoIssues, expectSemanticToken, highlightHelper, parseHelper, replaceIndices, validationHelper } from 'langium/test';
import { DiagnosticSeverity, SemanticTokenTypes } from 'vscode-languageserver';
import { isExpectation, isLoadBalancer, isVpc, type Model } from '../../language/generated/ast.js';
import { lowerDocuments, subnetEntries } from '../../language/vnet-lower.js';
import { IssueCodes } from '../../language/vnet-validator.js';
import { DualStackIssueCodes as D } from '../../language/vnet-dual-stack-validator.js';
import { NetworkIssueCodes as N } from '../../language/vnet-network-validator.js';
import { buildWorkspace, createServices, reset } from './helpers.js';

const services = createServices();
const parse = parseHelper<Model>(services.Vnet);
const validate = validationHelper<Model>(services.Vnet);
const { Error: E, Warning: W } = DiagnosticSeverity;

const DUAL_STACK = readFileSync(new URL('./fixtures/dual-stack.vnet', import.meta.url), 'utf8');
/** The same without its expectations (whose verdicts are the engine's business). */
const DECLARATIONS = DUAL_STACK.split('\n').filter(line => !line.startsWith('expect ')).join('\n');

async function parseClean(text: string): Promise<Model> {
    const doc = await parse(text);
    assert.deepStrictEqual(doc.parseResult.lexerErrors.map(e => e.message), []);
    assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message), []);
    return doc.parseResult.value;
}

function strip<T extends { origin?: unknown }>(items: T[] | undefined): Array<Omit<T, 'origin'>> {
    return (items ?? []).map(({ origin: _, ...rest }) => rest);
}

describe('dual stack and declared addresses: parsing and lowering', () => {
    afterEach(() => reset(services));

    it('parses the settled syntax, mappings attached to the subnet written before them', async () => {
        const model = await parseClean(DUAL_STACK);
        const shop = model.elements.filter(isVpc)[0];
        const nlb = shop.members.filter(isLoadBalancer)[0];
        assert.deepStrictEqual(nlb.subnets.map(s => s.$refText), ['pub-a', 'pub-b']);
        assert.deepStrictEqual(subnetEntries(nlb).map(e => [e.subnet.$refText, e.mapping?.publicIp, e.mapping?.privateIp, e.mapping?.ipv6]), [
            ['pub-a', '3.3.3.10', '10.0.0.50', '2600:1f18:abcd:1::50'],
            ['pub-b', undefined, undefined, undefined],
        ]);
        const expectations = model.elements.filter(isExpectation);
        assert.deepStrictEqual(expectations.map(e => [e.zone, e.ipv6]), [['us-east-1b', false], [undefined, true], [undefined, false], ['us-east-1a', true]]);
    });

    it('pairs a mapping with the second subnet when only the second has addresses', async () => {
        const model = await parseClean('vpc v { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a subnet b 10.0.1.0/24 in us-east-1b load-balancer l network internal subnets a, b private-ip 10.0.1.9 }');
        const lb = model.elements.filter(isVpc)[0].members.filter(isLoadBalancer)[0];
        assert.deepStrictEqual(subnetEntries(lb).map(e => [e.subnet.$refText, e.mapping?.privateIp]), [['a', undefined], ['b', '10.0.1.9']]);
    });

    it('keeps ipv4 and dualstack usable as names', async () => {
        await parseClean('vpc ipv4 { cidr 10.0.0.0/16 subnet dualstack 10.0.0.0/24 in us-east-1a { instance i 10.0.0.10 } } expect ipv4.i -> 10.0.0.20 tcp 80 reachable');
    });

    it('has no diagnostics on a consistent dual-stack network', async () => {
        const [doc] = await buildWorkspace(services, { 'dual.vnet': DECLARATIONS });
        assert.deepStrictEqual((doc.diagnostics ?? []).map(d => `${d.range.start.line + 1}: ${d.message}`), []);
    });

    it('lowers ip-address-type, subnet mappings and the PrivateLink inbound-rule switch of a load balancer', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'dual.vnet': DUAL_STACK }));
        const shop = model.vpcs.find(v => v.name === 'shop')!;
        const nlb = shop.loadBalancers![0];
        assert.strictEqual(nlb.ipAddressType, 'dualstack');
        assert.strictEqual(nlb.enforceInboundOnPrivateLink, false);
        assert.deepStrictEqual(nlb.subnets, ['pub-a', 'pub-b']);
        assert.deepStrictEqual(strip(nlb.addresses), [{ subnet: 'pub-a', privateIp: '10.0.0.50', ipv6: '2600:1f18:abcd:1::50', publicIp: '3.3.3.10' }]);
        assert.ok(nlb.addresses![0].origin?.uri.endsWith('dual.vnet'));
        // IPv6 listener targets lower as IP targets, like IPv4 ones.
        assert.deepStrictEqual(nlb.listeners.map(l => [l.targets, l.targetType]), [
            [['2600:1f18:abcd:10::5', '2600:1f18:abcd:11::5'], 'ip'],
            [['web', 'api'], 'instance'],
        ]);
        const data = model.vpcs.find(v => v.name === 'data')!;
        // Not written: absent, so the engine applies the AWS defaults (enforce on, ipv4).
        assert.strictEqual('enforceInboundOnPrivateLink' in data.loadBalancers![0], false);
        assert.deepStrictEqual(strip(data.loadBalancers![0].addresses), [{ subnet: 'd-a', privateIp: '10.1.0.40' }]);
        const security = model.vpcs.find(v => v.name === 'security')!;
        assert.strictEqual('addresses' in security.loadBalancers![0], false);
    });

    it('lowers endpoint address types and addresses, service families and IPv6 support on attachments', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'dual.vnet': DUAL_STACK }));
        const shop = model.vpcs.find(v => v.name === 'shop')!;
        const [ep] = shop.interfaceEndpoints!;
        assert.deepStrictEqual([ep.ipAddressType, ep.subnets, strip(ep.addresses)], ['dualstack', ['app-a', 'app-b'], [{ subnet: 'app-a', privateIp: '10.0.10.50', ipv6: '2600:1f18:abcd:10::50' }]]);
        assert.deepStrictEqual(strip(shop.gatewayLoadBalancerEndpoints), [{ name: 'fw-ep', service: 'inspection', subnet: 'fw-a', ipAddressType: 'dualstack', privateIp: '10.0.3.10', ipv6: '2600:1f18:abcd:3::10' }]);
        assert.deepStrictEqual(strip(shop.gatewayEndpoints), [{ name: 's3ep', service: 's3', ipAddressType: 'dualstack', routeTables: ['private'] }]);
        assert.deepStrictEqual(model.endpointServices?.map(s => [s.name, s.supportedIpAddressTypes]), [['orders', ['ipv4', 'ipv6']], ['inspection', ['ipv4', 'ipv6']]]);
        assert.deepStrictEqual(strip(model.transitGateways![0].attachments), [{ name: 'shop-att', kind: 'vpc', vpc: 'shop', subnets: ['tgw-a', 'tgw-b'], applianceMode: true, ipv6Support: true }]);
        const nat64 = shop.routeTables.find(t => t.name === 'private')!.routes[0];
        assert.deepStrictEqual([nat64.destination, nat64.target], ['64:ff9b::/96', 'nat']);
    });

    it('lowers `in <zone>` onto the destination and `ipv6` as family 6', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'dual.vnet': DUAL_STACK }));
        assert.deepStrictEqual(model.expectations.map(e => [e.destination, e.destinationText, e.family]), [
            [{ kind: 'load-balancer', vpc: 'shop', name: 'nlb', zone: 'us-east-1b' }, 'nlb in us-east-1b', undefined],
            [{ kind: 'instance', vpc: 'data', name: 'db' }, 'db', 6],
            [{ kind: 'ip', ip: '64:ff9b::808:808' }, '64:ff9b::808:808', undefined],
            [{ kind: 'interface-endpoint', vpc: 'shop', name: 'orders-ep', zone: 'us-east-1a' }, 'orders-ep in us-east-1a', 6],
        ]);
    });

    it('lowers the Part 1 forms exactly as before (no family, no zone, no new fields)', async () => {
        const model = lowerDocuments(await buildWorkspace(services, { 'p.vnet': 'vpc v { cidr 10.0.0.0/16 subnet s 10.0.0.0/24 in us-east-1a { instance i 10.0.0.10 } load-balancer l network internal subnets s { listener tcp 80 -> i } } expect 10.0.0.20 -> i tcp 80 reachable' }));
        assert.deepStrictEqual(Object.keys(model.expectations[0]).sort(), ['destination', 'destinationText', 'expected', 'fromPort', 'origin', 'port', 'protocol', 'source', 'sourceText']);
        assert.deepStrictEqual(Object.keys(model.vpcs[0].loadBalancers![0]).sort(), ['crossZone', 'listeners', 'name', 'origin', 'scheme', 'securityGroups', 'subnets', 'type']);
    });
});

/** Dual-stack VPC `d`: d-a (us-east-1a) and d-b (us-east-1b) with IPv6, d-c (us-east-1c) without. */
const D6 = (body = '', head = '') => `vpc d { cidr 10.0.0.0/16 ipv6 2600:1f18:abcd::/56 internet-gateway igw ${head}
  subnet d-a 10.0.0.0/24 in us-east-1a { ipv6 2600:1f18:abcd:1::/64 instance web 10.0.0.10 { ipv6 2600:1f18:abcd:1::10 } }
  subnet d-b 10.0.1.0/24 in us-east-1b { ipv6 2600:1f18:abcd:2::/64 instance api 10.0.1.10 }
  subnet d-c 10.0.2.0/24 in us-east-1c
  ${body} }`;
/** An IPv4-only VPC `v` with two subnets. */
const V4 = (body = '') => `vpc v { cidr 10.1.0.0/16 internet-gateway igw
  subnet v-a 10.1.0.0/24 in us-east-1a { instance db 10.1.0.10 }
  subnet v-b 10.1.1.0/24 in us-east-1b
  ${body} }`;
/** A provider VPC `p` with a dual-stack NLB and a GWLB behind services. */
const P = (nlbType = 'dualstack', svcTypes = 'supported-ip-address-types ipv4, ipv6') => `vpc p { cidr 10.9.0.0/16 ipv6 2600:1f18:9999::/56
  subnet p-a 10.9.0.0/24 in us-east-1a { ipv6 2600:1f18:9999:1::/64 instance t 10.9.0.10 }
  load-balancer pnlb network internal ip-address-type ${nlbType} subnets p-a { listener tcp 443 -> t }
  load-balancer pgw gateway ip-address-type ${nlbType} subnets p-a { listener all -> t } }
  endpoint-service svc in p load-balancer pnlb ${svcTypes}
  endpoint-service insp in p load-balancer pgw ${svcTypes}`;

interface Case { rule: string; text: string; code: string; severity?: DiagnosticSeverity; message?: RegExp }

const cases: Case[] = [
    // ip-address-type values AWS allows
    { rule: 'a load balancer is ipv4 or dualstack, never ipv6-only', text: D6('load-balancer l network ip-address-type <|ipv6|> subnets d-a'), code: D.IpAddressTypeUnsupported },
    { rule: 'a gateway endpoint is ipv4 or dualstack', text: D6('gateway-endpoint g service s3 ip-address-type <|ipv6|>'), code: D.IpAddressTypeUnsupported },
    { rule: 'an ipv6 interface endpoint needs IPv6-only subnets, which vnet does not model', text: `${D6('interface-endpoint e service svc ip-address-type <|ipv6|> subnets d-a')} ${P()}`, code: D.IpAddressTypeUnsupported },
    // Dual stack needs IPv6 on the VPC and every subnet (ELB guide, "Dualstack requirements")
    { rule: 'a dual-stack load balancer in a VPC without IPv6 is an error', text: V4('load-balancer l network ip-address-type <|dualstack|> subnets v-a'), code: D.DualStackVpcWithoutIpv6 },
    { rule: 'a dual-stack load balancer in a subnet without an IPv6 CIDR is an error', text: D6('load-balancer l network ip-address-type dualstack subnets d-a, <|d-c|>'), code: D.DualStackSubnetWithoutIpv6 },
    { rule: 'a dual-stack interface endpoint in a subnet without an IPv6 CIDR is an error', text: `${D6('interface-endpoint e service svc ip-address-type dualstack subnets <|d-c|>')} ${P()}`, code: D.DualStackSubnetWithoutIpv6 },
    { rule: 'a dual-stack GWLB endpoint in a subnet without an IPv6 CIDR is an error', text: `${D6('gwlb-endpoint e service insp ip-address-type dualstack subnet <|d-c|>')} ${P()}`, code: D.DualStackSubnetWithoutIpv6 },
    { rule: 'a dual-stack interface endpoint in a VPC without IPv6 is an error', text: `${V4('interface-endpoint e service svc ip-address-type <|dualstack|> subnets v-a')} ${P()}`, code: D.DualStackVpcWithoutIpv6 },
    // Declared addresses
    { rule: "a node's private-ip lies in its subnet", text: D6('load-balancer l network subnets d-a private-ip <|10.0.1.50|>'), code: D.NodeAddressOutsideSubnet },
    { rule: "a node's ipv6 lies in its subnet's /64", text: D6('load-balancer l network ip-address-type dualstack subnets d-a ipv6 <|2600:1f18:abcd:2::50|>'), code: D.NodeAddressOutsideSubnet },
    { rule: 'an ipv6 address in a subnet without an IPv6 CIDR is outside it', text: D6('load-balancer l network subnets d-c ipv6 <|2600:1f18:abcd:3::50|>').replace('network subnets', 'network ip-address-type dualstack subnets'), code: D.NodeAddressOutsideSubnet, message: /has no IPv6 CIDR block/ },
    { rule: "an endpoint interface's private-ip lies in its subnet", text: `${D6('interface-endpoint e service svc subnets d-a private-ip <|10.0.9.9|>')} ${P()}`, code: D.NodeAddressOutsideSubnet },
    { rule: "a GWLB endpoint's private-ip lies in its subnet", text: `${D6('gwlb-endpoint e service insp subnet d-a private-ip <|10.0.1.9|>')} ${P()}`, code: D.NodeAddressOutsideSubnet },
    { rule: "a node's private-ip is not one of the subnet's reserved addresses", text: D6('load-balancer l network subnets d-a private-ip <|10.0.0.2|>'), code: D.NodeAddressReserved, message: /Amazon DNS server/ },
    { rule: "a node's ipv6 is not one of the subnet's reserved addresses", text: D6('load-balancer l network ip-address-type dualstack subnets d-a ipv6 <|2600:1f18:abcd:1::1|>'), code: D.NodeAddressReserved },
    { rule: "a node's private-ip is not an instance's", text: D6('load-balancer l network subnets d-a private-ip <|10.0.0.10|>'), code: IssueCodes.DuplicateAddress, message: /instance web/ },
    { rule: "a node's ipv6 is not an instance's", text: D6('load-balancer l network ip-address-type dualstack subnets d-a ipv6 <|2600:1f18:abcd:1::10|>'), code: IssueCodes.DuplicateAddress },
    { rule: "an endpoint interface's private-ip is not a NAT gateway's", text: `${D6('nat-gateway n in d-a private private-ip 10.0.0.20 interface-endpoint e service svc subnets d-a private-ip <|10.0.0.20|>')} ${P()}`, code: IssueCodes.DuplicateAddress, message: /NAT gateway n/ },
    { rule: "a node's address is not another node's", text: `${D6('load-balancer l network internal subnets d-a private-ip 10.0.0.30 gwlb-endpoint e service insp subnet d-a private-ip <|10.0.0.30|>')} ${P()}`, code: IssueCodes.DuplicateAddress, message: /load balancer l/ },
    { rule: 'an ipv6 address on an ipv4 load balancer is an error', text: D6('load-balancer l network subnets d-a ipv6 <|2600:1f18:abcd:1::50|>'), code: D.Ipv6AddressNotDualStack },
    { rule: 'an ipv6 address on an ipv4 GWLB endpoint is an error', text: `${D6('gwlb-endpoint e service insp subnet d-a ipv6 <|2600:1f18:abcd:1::50|>')} ${P()}`, code: D.Ipv6AddressNotDualStack },
    { rule: 'a private-ip is an IPv4 address', text: D6('load-balancer l network subnets d-a private-ip <|2600:1f18:abcd:1::50|>'), code: IssueCodes.InvalidAddress },
    { rule: 'an internal load balancer has no public address', text: D6('load-balancer l network internal subnets d-a public-ip <|3.3.3.10|>'), code: D.LoadBalancerPublicIpInternal },
    { rule: 'a gateway load balancer has no public address', text: D6('load-balancer l gateway subnets d-a public-ip <|3.3.3.10|>'), code: D.LoadBalancerPublicIpInternal },
    { rule: "a load balancer node's public-ip is a public address", text: D6('load-balancer l network subnets d-a public-ip <|10.0.0.99|>'), code: IssueCodes.PublicIpNotPublic },
    { rule: "a load balancer node's public-ip is not used elsewhere", text: D6('load-balancer l network subnets d-a public-ip <|3.3.3.10|>', 'nat-gateway n in d-a public-ip 3.3.3.10'), code: IssueCodes.DuplicateAddress },
    { rule: 'a subnet is listed once (a second mention cannot carry another mapping)', text: D6('load-balancer l network internal subnets d-a, <|d-a|> private-ip 10.0.0.40'), code: D.SubnetListedTwice },
    { rule: 'an interface endpoint lists a subnet once', text: `${D6('interface-endpoint e service svc subnets d-a, <|d-a|>')} ${P()}`, code: D.SubnetListedTwice },
    // Target groups (ELB guide, "Target groups": IP address type)
    { rule: 'an IPv6 target needs a dual-stack load balancer', text: D6('load-balancer l network internal subnets d-a { listener tcp 443 -> <|2600:1f18:abcd:1::10|> }'), code: D.ListenerIpv6TargetNotDualStack },
    { rule: 'one listener does not mix IPv4 and IPv6 targets (a target group is one family)', text: D6('load-balancer l network internal ip-address-type dualstack subnets d-a { listener tcp 443 -> 10.0.0.10, <|2600:1f18:abcd:1::10|> }'), code: D.ListenerTargetFamilyMixed },
    { rule: 'an IPv6 target group takes IP targets, not instances', text: D6('load-balancer l network internal ip-address-type dualstack subnets d-a { listener tcp 443 -> 2600:1f18:abcd:1::10, <|api|> }'), code: D.ListenerIpv6InstanceTarget },
    { rule: "an IPv6 target lies in the VPC's IPv6 CIDR blocks (a ULA outside them is refused)", text: D6('load-balancer l network internal ip-address-type dualstack subnets d-a { listener tcp 443 -> <|fd00::5|> }'), code: N.ListenerTargetOutsideVpc, message: /An IPv6 target is an address of the VPC's IPv6 CIDR blocks \(2600:1f18:abcd::\/56\); fd00::5 is outside them/ },
    { rule: "an IPv6 target in a VPC without IPv6 is outside it, not 'public'", text: V4('load-balancer l network internal subnets v-a { listener tcp 443 -> <|2600:1f18:abcd:1::10|> }'), code: N.ListenerTargetOutsideVpc, message: /VPC v has no IPv6 CIDR block/ },
    // Endpoint services (PrivateLink guide, "IP address types")
    { rule: 'a dual-stack endpoint needs a service that supports ipv4 and ipv6', text: `${D6('interface-endpoint e service svc ip-address-type <|dualstack|> subnets d-a')} ${P('dualstack', '')}`, code: D.EndpointIpAddressTypeNotSupported, message: /supports ipv4 only \(the default\)/ },
    { rule: 'a dual-stack GWLB endpoint needs a service that supports ipv6', text: `${D6('gwlb-endpoint e service insp ip-address-type <|dualstack|> subnet d-a')} ${P('dualstack', 'supported-ip-address-types ipv4')}`, code: D.EndpointIpAddressTypeNotSupported },
    { rule: 'an ipv4 endpoint needs a service that supports ipv4', text: `${D6('interface-endpoint e service <|svc|> subnets d-a')} ${P('dualstack', 'supported-ip-address-types ipv6')}`, code: D.EndpointIpAddressTypeNotSupported },
    { rule: 'a service that supports ipv6 fronts a dual-stack load balancer', text: `${P('ipv4', 'supported-ip-address-types ipv4, <|ipv6|>')}`.replace('endpoint-service insp in p load-balancer pgw supported-ip-address-types ipv4, <|ipv6|>', ''), code: D.EndpointServiceIpv6NotDualStack },
    { rule: 'a family is listed once in supported-ip-address-types', text: `${P('dualstack', 'supported-ip-address-types ipv4, <|ipv4|>')}`.replace(/endpoint-service insp[^\n]*$/, ''), code: IssueCodes.DuplicateSetting },
    // Transit gateway IPv6 support (TGW guide, VPC attachments)
    { rule: 'ipv6-support needs IPv6 CIDRs on the attachment subnets', text: `${D6()} transit-gateway hub { attachment x vpc d subnets d-a, <|d-c|> ipv6-support route-table t { associate x } }`, code: D.TgwAttachmentIpv6Subnet },
    { rule: 'ipv6-support needs an IPv6 VPC', text: `${V4()} transit-gateway hub { attachment x vpc v subnets v-a <|ipv6-support|> route-table t { associate x } }`, code: D.TgwAttachmentIpv6Subnet },
    // PrivateLink inbound-rule switch (ELB guide, "Security groups")
    { rule: 'privatelink-inbound-rules on a network load balancer without security groups has no effect', text: D6('load-balancer l network internal subnets d-a privatelink-inbound-rules <|off|>'), code: D.PrivateLinkInboundRulesNoEffect, severity: W },
    { rule: 'privatelink-inbound-rules on a gateway load balancer has no effect', text: D6('load-balancer l gateway subnets d-a privatelink-inbound-rules <|on|>'), code: D.PrivateLinkInboundRulesNoEffect, severity: W },
    // Expectations: zone and family
    { rule: '`in <zone>` applies to load balancers and interface endpoints only', text: `${D6()} expect api -> web in <|us-east-1a|> tcp 80 reachable`, code: D.ExpectZoneNotApplicable, message: /instance web/ },
    { rule: '`in <zone>` names a zone where the load balancer has a node', text: `${D6('load-balancer l network internal subnets d-a, d-b { listener tcp 80 -> web }')} expect api -> l in <|us-east-1c|> tcp 80 reachable`, code: D.ExpectZoneNoNode, message: /its zones are us-east-1a, us-east-1b/ },
    { rule: '`ipv6` needs an IPv6 address on a named instance', text: `${D6()} expect web -> api <|ipv6|> tcp 80 reachable`, code: D.ExpectIpv6NoAddress, message: /instance api has no IPv6 address/ },
    { rule: '`ipv6` needs a dual-stack load balancer', text: `${D6('load-balancer l network internal subnets d-a { listener tcp 80 -> web }')} expect web -> l <|ipv6|> tcp 80 reachable`, code: D.ExpectIpv6NoAddress, message: /load balancer l is ipv4/ },
    { rule: '`ipv6` cannot go with an IPv4 address', text: `${D6()} expect web -> 10.0.1.10 <|ipv6|> tcp 80 reachable`, code: D.ExpectIpv6NoAddress },
    { rule: '`ipv6` needs an IPv6 internet host', text: `${D6()} internet { host client 198.51.100.7 } expect client -> web <|ipv6|> tcp 80 reachable`, code: D.ExpectIpv6NoAddress },
    { rule: 'an IPv6 host makes the flow IPv6 without `ipv6`: the named destination needs an IPv6 address', text: `${D6()} internet { host pc6 2001:db8::7 } expect pc6 -> <|api|> tcp 80 reachable`, code: D.ExpectIpv6NoAddress, message: /^Host pc6 is IPv6, so this is an IPv6 flow, but instance api has no IPv6 address/ },
    { rule: 'an IPv6 literal makes the flow IPv6 without `ipv6`: the named source needs an IPv6 address', text: `${D6()} expect <|api|> -> 2600:1f18:abcd:1::10 tcp 80 reachable`, code: D.ExpectIpv6NoAddress, message: /^The address 2600:1f18:abcd:1::10 is IPv6/ },
];

const clean: Array<{ rule: string; text: string; code: string }> = [
    { rule: 'a dual-stack load balancer in IPv6 subnets is fine', text: D6('load-balancer l network internal ip-address-type dualstack subnets d-a, d-b'), code: D.DualStackSubnetWithoutIpv6 },
    { rule: 'an ipv4 load balancer needs no IPv6', text: V4('load-balancer l network internal subnets v-a'), code: D.DualStackVpcWithoutIpv6 },
    { rule: 'declared addresses inside their subnets are fine', text: D6('load-balancer l network ip-address-type dualstack subnets d-a public-ip 3.3.3.10 private-ip 10.0.0.50 ipv6 2600:1f18:abcd:1::50, d-b'), code: D.NodeAddressOutsideSubnet },
    { rule: 'a usable address is not reserved', text: D6('load-balancer l network internal subnets d-a private-ip 10.0.0.4'), code: D.NodeAddressReserved },
    { rule: 'nodes in different VPCs may share a private address', text: `${D6('load-balancer l network internal subnets d-a private-ip 10.0.0.50')} vpc w { cidr 10.0.0.0/16 subnet w-a 10.0.0.0/24 in us-east-1a load-balancer m network internal subnets w-a private-ip 10.0.0.50 }`, code: IssueCodes.DuplicateAddress },
    { rule: 'an IPv6 target group on a dual-stack load balancer is fine', text: D6('load-balancer l network internal ip-address-type dualstack subnets d-a { listener tcp 443 -> 2600:1f18:abcd:1::10 target-type ip listener tcp 80 -> 10.0.0.10 }'), code: D.ListenerTargetFamilyMixed },
    { rule: "an IPv6 target inside the VPC's IPv6 CIDR block is fine", text: D6('load-balancer l network internal ip-address-type dualstack subnets d-a { listener tcp 443 -> 2600:1f18:abcd:1::10 }'), code: N.ListenerTargetOutsideVpc },
    { rule: 'a dual-stack endpoint to a service supporting both families is fine', text: `${D6('interface-endpoint e service svc ip-address-type dualstack subnets d-a, d-b')} ${P()}`, code: D.EndpointIpAddressTypeNotSupported },
    { rule: 'an ipv4 endpoint to a default service is fine', text: `${D6('interface-endpoint e service svc subnets d-a')} ${P('ipv4', '')}`, code: D.EndpointIpAddressTypeNotSupported },
    { rule: 'ipv6-support with IPv6 subnets is fine', text: `${D6()} transit-gateway hub { attachment x vpc d subnets d-a, d-b ipv6-support route-table t { associate x } }`, code: D.TgwAttachmentIpv6Subnet },
    { rule: 'privatelink-inbound-rules on a network load balancer with security groups is fine', text: D6('security-group g load-balancer l network internal subnets d-a security-groups g privatelink-inbound-rules off'), code: D.PrivateLinkInboundRulesNoEffect },
    { rule: '`in <zone>` where the load balancer has a node is fine', text: `${D6('load-balancer l network internal subnets d-a, d-b { listener tcp 80 -> web }')} expect api -> l in us-east-1b tcp 80 reachable`, code: D.ExpectZoneNoNode },
    { rule: '`in <zone>` is not judged while a subnet of the load balancer is unresolved (it may be the one there)', text: `${D6('load-balancer l network internal subnets d-a, nosuch { listener tcp 80 -> web }')} expect api -> l in us-east-1c tcp 80 reachable`, code: D.ExpectZoneNoNode },
    { rule: '`ipv6` between instances with IPv6 addresses and an IPv6 literal is fine', text: `${D6()} expect web -> 2600:1f18:abcd:1::99 ipv6 tcp 80 reachable`, code: D.ExpectIpv6NoAddress },
    { rule: 'an IPv6 host to an instance with an IPv6 address is fine without `ipv6`', text: `${D6()} internet { host pc6 2001:db8::7 } expect pc6 -> web tcp 80 reachable`, code: D.ExpectIpv6NoAddress },
    { rule: '`ipv6` to the internet is fine', text: `${D6()} expect web -> internet ipv6 tcp 443 reachable`, code: D.ExpectIpv6NoAddress },
];

describe('dual stack and declared addresses: validation', () => {
    afterEach(() => reset(services));

    for (const c of cases) {
        it(c.rule, async () => {
            const { output, ranges } = replaceIndices({ text: c.text });
            assert.strictEqual(ranges.length, 1, 'one <|range|> per case');
            const result = await validate(output);
            const [start, end] = ranges[0];
            expectIssue(result, {
                code: c.code, data: { code: c.code }, severity: c.severity ?? E, message: c.message,
                offset: start, length: end - start,
            });
        });
    }

    for (const c of clean) {
        it(c.rule, async () => {
            const result = await validate(c.text);
            expectNoIssues(result, { data: { code: c.code } });
        });
    }

    it('reports a subnet listed twice once, not also as two subnets in one AZ', async () => {
        const result = await validate(D6('load-balancer l network internal subnets d-a, d-a'));
        const found = (result.diagnostics ?? []).map(d => (d.data as { code?: string }).code);
        assert.deepStrictEqual(found.filter(c => c === D.SubnetListedTwice || c === 'LOAD_BALANCER_SUBNETS_ONE_PER_AZ'), [D.SubnetListedTwice]);
    });
});

describe('dual stack and declared addresses: hover, completion, formatting', () => {
    afterEach(() => reset(services));
    const hover = expectHover(services.Vnet);

    it('lists a load balancer node per AZ with both families: declared ones as written, the others derived', async () => {
        await hover({
            text: DECLARATIONS.replace('load-balancer nlb', 'load-balancer n<|>lb'),
            index: 0,
            hover: /\*\*Network load balancer\*\* nlb, internet-facing, dualstack[^\n]*security groups not enforced on PrivateLink traffic[\s\S]*\*\*Nodes\*\* per availability zone:\n- us-east-1a \(pub-a\): 10\.0\.0\.50, 2600:1f18:abcd:1::50, public 3\.3\.3\.10\n- us-east-1b \(pub-b\): 10\.0\.1\.\d+, 2600:1f18:abcd:2:[0-9a-f:]+, public \d+\.\d+\.\d+\.\d+$/,
        });
    });

    it('titles the trace hover of an IPv6 expectation with its family and zone', async () => {
        await hover({
            text: DUAL_STACK.replace('expect web -> orders-ep in us-east-1a ipv6', 'ex<|>pect web -> orders-ep in us-east-1a ipv6'),
            index: 0,
            hover: /expect web -> orders-ep in us-east-1a ipv6: expected reachable/,
        });
    });

    it("lists an interface endpoint's interfaces per AZ", async () => {
        await hover({
            text: DECLARATIONS.replace('interface-endpoint orders-ep', 'interface-endpoint orders-<|>ep'),
            index: 0,
            hover: /dualstack[\s\S]*\*\*Interfaces\*\* per availability zone:\n- us-east-1a \(app-a\): 10\.0\.10\.50, 2600:1f18:abcd:10::50\n- us-east-1b \(app-b\): 10\.0\.11\.\d+, 2600:1f18:abcd:11:[0-9a-f:]+$/,
        });
    });

    it("shows a GWLB endpoint's declared addresses and a service's families", async () => {
        await hover({
            text: DECLARATIONS.replace('gwlb-endpoint fw-ep', 'gwlb-endpoint f<|>w-ep'),
            index: 0,
            hover: /- us-east-1a \(fw-a\): 10\.0\.3\.10, 2600:1f18:abcd:3::10$/,
        });
        await hover({
            text: DECLARATIONS.replace('endpoint-service orders', 'endpoint-service or<|>ders'),
            index: 0,
            hover: /accepts ipv4 and ipv6 from endpoints/,
        });
    });
});

describe('dual stack and declared addresses: completion and formatting', () => {
    afterEach(() => reset(services));
    const complete = expectCompletion(services.Vnet);

    it('offers ip-address-type, the subnets clause and the mapping keywords on a load balancer', async () => {
        await complete({
            text: 'vpc v { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a load-balancer l network internal <|> } vpc w { cidr 10.1.0.0/16 subnet b 10.1.0.0/24 in us-east-1a load-balancer m network subnets b <|> }',
            index: 0,
            assert: list => assert.deepStrictEqual(list.items.map(i => i.label).filter(l => ['ip-address-type', 'subnets', 'privatelink-inbound-rules'].includes(l)).sort(), ['ip-address-type', 'privatelink-inbound-rules', 'subnets']),
            disposeAfterCheck: true,
        });
        await complete({
            text: 'vpc w { cidr 10.1.0.0/16 subnet b 10.1.0.0/24 in us-east-1a load-balancer m network subnets b <|> }',
            index: 0,
            assert: list => {
                const labels = list.items.map(i => i.label);
                for (const keyword of ['public-ip', 'private-ip', 'ipv6', 'cross-zone', 'privatelink-inbound-rules']) assert.ok(labels.includes(keyword), `${keyword} in ${labels.join(' ')}`);
            },
            disposeAfterCheck: true,
        });
    });

    it('offers the address types after ip-address-type', async () => {
        await complete({
            text: 'vpc v { cidr 10.0.0.0/16 load-balancer l network ip-address-type <|> }',
            index: 0,
            assert: list => assert.deepStrictEqual(list.items.map(i => i.label).sort(), ['dualstack', 'ipv4', 'ipv6']),
            disposeAfterCheck: true,
        });
    });

    it('offers `in` and `ipv6` after an expectation destination, and the destination zones after `in`', async () => {
        const net = 'vpc v { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a { instance i 10.0.0.10 } subnet b 10.0.1.0/24 in us-east-1b load-balancer l network internal subnets a, b }';
        await complete({
            text: `${net} expect i -> l <|>`,
            index: 0,
            assert: list => {
                const labels = list.items.map(i => i.label);
                assert.ok(labels.includes('in') && labels.includes('ipv6') && labels.includes('tcp'), labels.join(' '));
            },
            disposeAfterCheck: true,
        });
        await complete({
            text: `${net} expect i -> l in <|>`,
            index: 0,
            assert: list => assert.deepStrictEqual(list.items.map(i => i.label).sort(), ['us-east-1a', 'us-east-1b']),
            disposeAfterCheck: true,
        });
    });

    it('marks declared node addresses as numbers and an expectation zone like an availability zone', async () => {
        const tokens = await highlightHelper(services.Vnet)('vpc v { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a load-balancer l network subnets a public-ip <|3.3.3.10|> private-ip <|10.0.0.50|> ipv6 <|2600:1f18:abcd:1::50|> gwlb-endpoint e service s subnet a ipv6 <|2600:1f18:abcd:1::60|> } expect 10.0.0.9 -> l in <|us-east-1a|> ipv6 tcp 80 reachable');
        for (const rangeIndex of [0, 1, 2, 3]) expectSemanticToken(tokens, { rangeIndex, tokenType: SemanticTokenTypes.number });
        expectSemanticToken(tokens, { rangeIndex: 4, tokenType: SemanticTokenTypes.enumMember });
    });

    it('keeps the settled layout of long headers (continuation lines) as written', async () => {
        const text = 'vpc v {\n    load-balancer nlb network internet-facing ip-address-type dualstack\n        subnets pub-a public-ip 3.3.3.10 private-ip 10.0.0.50, pub-b\n        cross-zone privatelink-inbound-rules off {\n        listener tcp 443 -> 10.0.0.9\n    }\n    interface-endpoint ep service s ip-address-type dualstack\n        subnets app-a private-ip 10.0.10.50 ipv6 2600:1f18:abcd:10::50, app-b security-groups g\n}\nexpect c -> nlb in us-east-1b ipv6 tcp 443 reachable';
        await expectFormatting(services.Vnet)({ before: text, after: text, disposeAfterCheck: true });
    });

    it('formats a load balancer with the new clauses: header kept, listeners indented', async () => {
        await expectFormatting(services.Vnet)({
            before: 'vpc v { cidr 10.0.0.0/16 ipv6 2600:1f18:abcd::/56\nload-balancer nlb network internal ip-address-type dualstack subnets a private-ip 10.0.0.50 ipv6 2600:1f18:abcd:1::50, b privatelink-inbound-rules off { listener tcp 443 -> 2600:1f18:abcd:1::10 target-type ip } }',
            after: 'vpc v {\n    cidr 10.0.0.0/16\n    ipv6 2600:1f18:abcd::/56\n    load-balancer nlb network internal ip-address-type dualstack subnets a private-ip 10.0.0.50 ipv6 2600:1f18:abcd:1::50, b privatelink-inbound-rules off {\n        listener tcp 443 -> 2600:1f18:abcd:1::10 target-type ip\n    }\n}',
            disposeAfterCheck: true,
        });
    });
});
