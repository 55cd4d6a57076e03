/**
 * The address clauses of load balancer nodes, endpoint interfaces and GWLB endpoints against the
 * VPC's own lines: a node's `ipv6 <address>` and the VPC's `ipv6 <cidr>` start alike, and the
 * clauses of a subnet mapping come in any order.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { expectIssue, expectNoIssues, parseHelper, replaceIndices, validationHelper } from 'langium/test';
import {
    isGwlbEndpoint, isInterfaceEndpoint, isLoadBalancer, isVpc, isVpcIpv6, type Model, type Vpc,
} from '../../language/generated/ast.js';
import { subnetEntries } from '../../language/vnet-lower.js';
import { IssueCodes } from '../../language/vnet-validator.js';
import { DualStackIssueCodes as D } from '../../language/vnet-dual-stack-validator.js';
import { createServices, reset } from './helpers.js';

const services = createServices();
const parse = parseHelper<Model>(services.Vnet);
const validate = validationHelper<Model>(services.Vnet);

/** A provider VPC with a dual-stack NLB and a GWLB behind services `orders` and `inspection`. */
const PROVIDER = `vpc data { cidr 10.1.0.0/16 ipv6 2600:1f18:beef::/56
  subnet s1 10.1.0.0/24 in us-east-1a { ipv6 2600:1f18:beef:1::/64 }
  load-balancer nlb network internal ip-address-type dualstack subnets s1 { listener tcp 80 -> 10.1.0.20 }
  load-balancer gwlb gateway ip-address-type dualstack subnets s1 { listener all -> 10.1.0.21 } }
endpoint-service orders in data load-balancer nlb supported-ip-address-types ipv4, ipv6
endpoint-service inspection in data load-balancer gwlb supported-ip-address-types ipv4, ipv6`;

/** VPC `shop` whose IPv6 block is written on the line right after `element`. */
const shop = (element: string) => `vpc shop {
  cidr 10.0.0.0/16
  subnet app-a 10.0.10.0/24 in us-east-1a {
    ipv6 2600:1f18:abcd:10::/64
    instance web 10.0.10.5 { ipv6 2600:1f18:abcd:10::5 }
  }
  ${element}
  ipv6 2600:1f18:abcd::/56
}
${PROVIDER}`;

async function parseClean(text: string): Promise<Model> {
    const doc = await parse(text);
    assert.deepStrictEqual(doc.parseResult.lexerErrors.map(e => e.message), []);
    assert.deepStrictEqual(doc.parseResult.parserErrors.map(e => e.message), []);
    return doc.parseResult.value;
}

function vpcIpv6(vpc: Vpc): string[] {
    return vpc.members.filter(isVpcIpv6).map(m => m.cidr);
}

function issues(result: Awaited<ReturnType<typeof validate>>): string[] {
    return (result.diagnostics ?? []).map(d => `${(d.data as { code?: string } | undefined)?.code}: ${d.message}`);
}

describe("a VPC's `ipv6 <cidr>` line after a load balancer or endpoint stays the VPC's", () => {
    afterEach(() => reset(services));

    const elements: Array<{ kind: string; element: string }> = [
        { kind: 'an interface endpoint', element: 'interface-endpoint orders-ep service orders ip-address-type dualstack subnets app-a' },
        { kind: 'an interface endpoint whose mapping ends with ipv6', element: 'interface-endpoint orders-ep service orders ip-address-type dualstack subnets app-a private-ip 10.0.10.50 ipv6 2600:1f18:abcd:10::50' },
        { kind: 'a load balancer without a body', element: 'load-balancer lb2 network internal ip-address-type dualstack subnets app-a' },
        { kind: 'a load balancer without a body whose mapping ends with ipv6', element: 'load-balancer lb2 network internal ip-address-type dualstack subnets app-a ipv6 2600:1f18:abcd:10::60' },
        { kind: 'a GWLB endpoint', element: 'gwlb-endpoint fw-ep service inspection ip-address-type dualstack subnet app-a' },
        { kind: 'a GWLB endpoint with an ipv6 address', element: 'gwlb-endpoint fw-ep service inspection ip-address-type dualstack subnet app-a ipv6 2600:1f18:abcd:10::70' },
    ];
    for (const { kind, element } of elements) {
        it(`after ${kind}`, async () => {
            const result = await validate(shop(element));
            assert.deepStrictEqual(result.document.parseResult.parserErrors.map(e => e.message), []);
            const vpc = result.document.parseResult.value.elements.filter(isVpc)[0];
            assert.deepStrictEqual(vpcIpv6(vpc), ['2600:1f18:abcd::/56']);
            assert.deepStrictEqual(issues(result), []);
        });
    }

    it('keeps the node address and the VPC block apart', async () => {
        const vpc = (await parseClean(shop('interface-endpoint orders-ep service orders ip-address-type dualstack subnets app-a ipv6 2600:1f18:abcd:10::50'))).elements.filter(isVpc)[0];
        const endpoint = vpc.members.filter(isInterfaceEndpoint)[0];
        assert.deepStrictEqual(subnetEntries(endpoint).map(e => e.mapping?.ipv6), ['2600:1f18:abcd:10::50']);
        const lbVpc = (await parseClean(shop('load-balancer lb2 network internal ip-address-type dualstack subnets app-a ipv6 2600:1f18:abcd:10::60'))).elements.filter(isVpc)[0];
        assert.deepStrictEqual(subnetEntries(lbVpc.members.filter(isLoadBalancer)[0]).map(e => e.mapping?.ipv6), ['2600:1f18:abcd:10::60']);
        const gwVpc = (await parseClean(shop('gwlb-endpoint fw-ep service inspection ip-address-type dualstack subnet app-a ipv6 2600:1f18:abcd:10::70'))).elements.filter(isVpc)[0];
        assert.strictEqual(gwVpc.members.filter(isGwlbEndpoint)[0].ipv6, '2600:1f18:abcd:10::70');
    });

    it('still reads `ipv6 <address>` right after the subnet as the node address', async () => {
        const vpc = (await parseClean(shop('interface-endpoint orders-ep service orders ip-address-type dualstack subnets app-a\n  ipv6 2600:1f18:abcd:10::50'))).elements.filter(isVpc)[0];
        assert.deepStrictEqual(subnetEntries(vpc.members.filter(isInterfaceEndpoint)[0]).map(e => e.mapping?.ipv6), ['2600:1f18:abcd:10::50']);
        assert.deepStrictEqual(vpcIpv6(vpc), ['2600:1f18:abcd::/56']);
    });
});

describe('subnet-mapping clauses in any order, each once', () => {
    afterEach(() => reset(services));

    it('reads public-ip, private-ip and ipv6 in any order', async () => {
        const vpc = (await parseClean(shop('load-balancer lb2 network internet-facing ip-address-type dualstack subnets app-a ipv6 2600:1f18:abcd:10::60 private-ip 10.0.10.60 public-ip 3.3.3.10'))).elements.filter(isVpc)[0];
        assert.deepStrictEqual(subnetEntries(vpc.members.filter(isLoadBalancer)[0]).map(e => [e.mapping?.publicIp, e.mapping?.privateIp, e.mapping?.ipv6]),
            [['3.3.3.10', '10.0.10.60', '2600:1f18:abcd:10::60']]);
        const gw = (await parseClean(shop('gwlb-endpoint fw-ep service inspection ip-address-type dualstack subnet app-a ipv6 2600:1f18:abcd:10::70 private-ip 10.0.10.70'))).elements.filter(isVpc)[0];
        const endpoint = gw.members.filter(isGwlbEndpoint)[0];
        assert.deepStrictEqual([endpoint.privateIp, endpoint.ipv6], ['10.0.10.70', '2600:1f18:abcd:10::70']);
    });

    const repeats = [
        { kind: "a load balancer node's private-ip", element: 'load-balancer lb2 network internal subnets app-a private-ip 10.0.10.60 private-ip <|10.0.10.61|>', message: /'private-ip' is already given for load balancer lb2's node in app-a \(10\.0\.10\.60\)/ },
        { kind: "an endpoint interface's ipv6", element: 'interface-endpoint orders-ep service orders ip-address-type dualstack subnets app-a ipv6 2600:1f18:abcd:10::50 private-ip 10.0.10.50 ipv6 <|2600:1f18:abcd:10::51|>', message: /'ipv6' is already given for interface endpoint orders-ep's interface in app-a/ },
        { kind: "a GWLB endpoint's private-ip", element: 'gwlb-endpoint fw-ep service inspection subnet app-a private-ip 10.0.10.70 private-ip <|10.0.10.71|>', message: /'private-ip' is already given for gateway load balancer endpoint fw-ep/ },
    ];
    for (const { kind, element, message } of repeats) {
        it(`reports ${kind} given twice (DUPLICATE_SETTING)`, async () => {
            const { output, ranges } = replaceIndices({ text: shop(element) });
            const result = await validate(output);
            expectIssue(result, { code: IssueCodes.DuplicateSetting, data: { code: IssueCodes.DuplicateSetting }, message, offset: ranges[0][0], length: ranges[0][1] - ranges[0][0] });
        });
    }

    it('reports no DUPLICATE_SETTING when each clause is given once', async () => {
        const result = await validate(shop('load-balancer lb2 network internal ip-address-type dualstack subnets app-a ipv6 2600:1f18:abcd:10::60 private-ip 10.0.10.60'));
        expectNoIssues(result, { data: { code: IssueCodes.DuplicateSetting } });
    });

    it("rejects a public-ip on an interface endpoint's interface with a clear message (ENDPOINT_PUBLIC_IP), not a parse error", async () => {
        const { output, ranges } = replaceIndices({ text: shop('interface-endpoint orders-ep service orders subnets app-a private-ip 10.0.10.50 public-ip <|3.3.3.99|>') });
        const result = await validate(output);
        assert.deepStrictEqual(result.document.parseResult.parserErrors.map(e => e.message), []);
        expectIssue(result, { code: D.EndpointPublicIp, data: { code: D.EndpointPublicIp }, message: /no public address: remove 'public-ip 3\.3\.3\.99'/, offset: ranges[0][0], length: ranges[0][1] - ranges[0][0] });
        const codes = issues(result).map(i => i.split(':')[0]);
        assert.deepStrictEqual(codes.filter(c => c === IssueCodes.InvalidCidr || c === IssueCodes.InvalidAddress), []);
    });
});

/**
 * A node or endpoint address written with its host length (/128, or /32 for IPv4) is the node's,
 * reported as INVALID_ADDRESS ("write it without '/128'") and never taken as a VPC CIDR block; a /32
 * or /128 where a CIDR block is expected (routes, rules) is still a CIDR block.
 */
describe('an address written with /128 or /32 on a node or endpoint', () => {
    afterEach(() => reset(services));

    const hostLengths = [
        { kind: "a load balancer node's ipv6 (more mappings follow)", element: 'subnet app-b 10.0.11.0/24 in us-east-1b { ipv6 2600:1f18:abcd:11::/64 }\n  load-balancer lb2 network internal ip-address-type dualstack subnets app-a ipv6 <|2600:1f18:abcd:10::60/128|>, app-b', length: '128' },
        { kind: "a load balancer node's ipv6 (last clause)", element: 'load-balancer lb2 network internal ip-address-type dualstack subnets app-a ipv6 <|2600:1f18:abcd:10::60/128|>', length: '128' },
        { kind: "a load balancer node's ipv6 (listeners follow)", element: 'load-balancer lb2 network internal ip-address-type dualstack subnets app-a ipv6 <|2600:1f18:abcd:10::60/128|> { listener tcp 80 -> web }', length: '128' },
        { kind: "an endpoint interface's ipv6 (security groups follow)", element: 'security-group sg\n  interface-endpoint orders-ep service orders ip-address-type dualstack subnets app-a ipv6 <|2600:1f18:abcd:10::50/128|> security-groups sg', length: '128' },
        { kind: "a GWLB endpoint's ipv6", element: 'gwlb-endpoint fw-ep service inspection ip-address-type dualstack subnet app-a ipv6 <|2600:1f18:abcd:10::70/128|>', length: '128' },
        { kind: "a load balancer node's private-ip", element: 'load-balancer lb2 network internal subnets app-a private-ip <|10.0.10.60/32|>', length: '32' },
        { kind: "a load balancer node's public-ip", element: 'internet-gateway igw\n  load-balancer lb2 network internet-facing subnets app-a public-ip <|3.3.3.10/32|>', length: '32' },
        { kind: "an endpoint interface's private-ip", element: 'security-group sg\n  interface-endpoint orders-ep service orders subnets app-a private-ip <|10.0.10.50/32|> security-groups sg', length: '32' },
        { kind: "a GWLB endpoint's private-ip", element: 'gwlb-endpoint fw-ep service inspection subnet app-a private-ip <|10.0.10.70/32|>', length: '32' },
        { kind: "a load balancer node's ipv6 written as an IPv4 /32", element: 'load-balancer lb2 network internal ip-address-type dualstack subnets app-a ipv6 <|10.0.10.60/32|>', length: '32' },
    ];
    for (const { kind, element, length } of hostLengths) {
        it(`${kind}: INVALID_ADDRESS on the node, the VPC's IPv6 blocks unchanged`, async () => {
            const { output, ranges } = replaceIndices({ text: shop(element) });
            const result = await validate(output);
            assert.deepStrictEqual(result.document.parseResult.parserErrors.map(e => e.message), []);
            const vpc = result.document.parseResult.value.elements.filter(isVpc)[0];
            assert.deepStrictEqual(vpcIpv6(vpc), ['2600:1f18:abcd::/56']);
            expectIssue(result, {
                code: IssueCodes.InvalidAddress, data: { code: IssueCodes.InvalidAddress },
                message: new RegExp(`is a CIDR block; an address is expected here \\(write it without '/${length}'\\)`),
                offset: ranges[0][0], length: ranges[0][1] - ranges[0][0],
            });
            // Only that: no VPC_IPV6_CIDR_SIZE / VPC_CIDR_OVERLAP from a block the user never wrote.
            assert.deepStrictEqual(issues(result).map(i => i.split(':')[0]), [IssueCodes.InvalidAddress]);
        });
    }

    it('keeps the text as written on the node (the node, not the VPC, holds it)', async () => {
        const lbVpc = (await parseClean(shop('load-balancer lb2 network internal ip-address-type dualstack subnets app-a ipv6 2600:1f18:abcd:10::60/128'))).elements.filter(isVpc)[0];
        assert.deepStrictEqual(subnetEntries(lbVpc.members.filter(isLoadBalancer)[0]).map(e => e.mapping?.ipv6), ['2600:1f18:abcd:10::60/128']);
        const epVpc = (await parseClean(shop('interface-endpoint orders-ep service orders ip-address-type dualstack subnets app-a ipv6 2600:1f18:abcd:10::50/128'))).elements.filter(isVpc)[0];
        assert.deepStrictEqual(subnetEntries(epVpc.members.filter(isInterfaceEndpoint)[0]).map(e => e.mapping?.ipv6), ['2600:1f18:abcd:10::50/128']);
        const gwVpc = (await parseClean(shop('gwlb-endpoint fw-ep service inspection ip-address-type dualstack subnet app-a ipv6 2600:1f18:abcd:10::70/128'))).elements.filter(isVpc)[0];
        assert.strictEqual(gwVpc.members.filter(isGwlbEndpoint)[0].ipv6, '2600:1f18:abcd:10::70/128');
    });

    it("a prefix length other than /128 after a node's subnet stays the VPC's block", async () => {
        const vpc = (await parseClean(shop('load-balancer lb2 network internal ip-address-type dualstack subnets app-a\n  ipv6 2600:1f18:ffff::/120'))).elements.filter(isVpc)[0];
        assert.deepStrictEqual(vpcIpv6(vpc), ['2600:1f18:ffff::/120', '2600:1f18:abcd::/56']);
        assert.deepStrictEqual(subnetEntries(vpc.members.filter(isLoadBalancer)[0]).map(e => e.mapping?.ipv6), [undefined]);
    });

    it('a /32 or /128 where a CIDR block is expected is still one (routes, security group and network ACL rules)', async () => {
        const result = await validate(shop(`security-group sg { inbound tcp 443 from 1.2.3.4/32
    inbound tcp 443 from 2600:1f18:1::1/128
    outbound all to 5.6.7.8/32 }
  network-acl acl { inbound 100 allow tcp 443 from 1.2.3.4/32
    inbound 110 allow all from 2600:1f18:1::1/128 }
  route-table rt { 8.8.8.8/32 -> web
    2001:db8::8/128 -> web }`));
        assert.deepStrictEqual(result.document.parseResult.parserErrors.map(e => e.message), []);
        const codes = issues(result).map(i => i.split(':')[0]);
        assert.deepStrictEqual(codes.filter(c => c === IssueCodes.InvalidCidr || c === IssueCodes.InvalidAddress), []);
        const vpc = result.document.parseResult.value.elements.filter(isVpc)[0];
        assert.deepStrictEqual(vpcIpv6(vpc), ['2600:1f18:abcd::/56']);
    });

    it('a route to exactly one address (203.0.113.5/32 -> instance) keeps its /32 and is valid', async () => {
        const result = await validate(`vpc v { cidr 10.0.0.0/16
  internet-gateway igw
  subnet s 10.0.1.0/24 in us-east-1a { instance fw 10.0.1.9 { source-dest-check off } }
  route-table rt { 203.0.113.5/32 -> fw
    0.0.0.0/0 -> igw } }`);
        assert.deepStrictEqual(result.document.parseResult.parserErrors.map(e => e.message), []);
        assert.deepStrictEqual(issues(result).filter(i => i.startsWith(IssueCodes.InvalidCidr)), []);
        const vpc = result.document.parseResult.value.elements.filter(isVpc)[0];
        const rt = vpc.members.find(m => m.$type === 'RouteTable') as { routes: Array<{ destination?: string }> } | undefined;
        assert.deepStrictEqual(rt?.routes.map(r => r.destination), ['203.0.113.5/32', '0.0.0.0/0']);
    });

    it('instance and host addresses with /32 or /128 are reported as before (INVALID_ADDRESS)', async () => {
        const result = await validate(`vpc v { cidr 10.0.0.0/16
  subnet s 10.0.1.0/24 in us-east-1a { instance a 10.0.1.9/32 } }
internet { host h 8.8.8.8/32
  host h6 2001:db8::1/128 }`);
        assert.deepStrictEqual(result.document.parseResult.parserErrors.map(e => e.message), []);
        const invalid = issues(result).filter(i => i.startsWith(IssueCodes.InvalidAddress));
        assert.deepStrictEqual(invalid.map(i => /without '(\/\d+)'/.exec(i)?.[1]), ['/32', '/32', '/128']);
    });
});
