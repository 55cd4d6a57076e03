/**
 * Sites' router routes and IPv6 on premises: `route <prefix> -> <link>` in a site, IPv6 site prefixes
 * and hosts, IPv6 internet hosts, `tunnel-inside` on a VPN, `ipv6` on a Direct Connect interface,
 * and the warnings for IPv6 routes to gateways that cannot carry them and for DynamoDB over IPv6.
 * Parsing, lowering to the settled model fields, every rule's code on its range (and the near-miss
 * that must not report it), and the editor features of the new clauses.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { expectCompletion, expectFormatting, expectHover, expectIssue, expectNoIssues, expectSemanticToken, highlightHelper, replaceIndices, validationHelper } from 'langium/test';
import { DiagnosticSeverity, SemanticTokenTypes } from 'vscode-languageserver';
import type { Model } from '../../language/generated/ast.js';
import { lowerDocuments } from '../../language/vnet-lower.js';
import { IssueCodes } from '../../language/vnet-validator.js';
import { NetworkIssueCodes as N } from '../../language/vnet-network-validator.js';
import { SiteIssueCodes as S } from '../../language/vnet-site-validator.js';
import { createServices, reset } from './helpers.js';

const services = createServices();
const validate = validationHelper<Model>(services.Vnet);
const { Error: E, Warning: W } = DiagnosticSeverity;

/** A dual-stack VPC with a virtual private gateway; `routes` go into route table r (which propagates vgw). */
const VPC = (routes = '', members = '') => `vpc shop { cidr 10.0.0.0/16 ipv6 2600:1f18:abcd::/56 vpn-gateway vgw ${members}
  subnet tgw-a 10.0.0.0/28 in us-east-1a { ipv6 2600:1f18:abcd:1::/64 route-table r instance web 10.0.0.10 { ipv6 2600:1f18:abcd:1::10 } }
  route-table r { propagate vgw ${routes} } }`;
/** Transit gateway hub attached to shop (`support` is the attachment's IPv6 clause). */
const HUB = (support = 'ipv6-support') => `transit-gateway hub { attachment shop-att vpc shop subnets tgw-a ${support} route-table main { associate shop-att propagate shop-att } }`;
/** A dual-stack site with `body`. */
const OFFICE = (body = '') => `site office { cidr 192.168.0.0/16 cidr 2001:db8:100::/48 host pc 192.168.1.20 host pc6 2001:db8:100::20 ${body} }`;
/** Its links: an IPv4 and an IPv6 VPN to hub, Direct Connect to vgw without and with IPv6. */
const LINKS = `vpn v4 from office to hub bgp
vpn v6 from office to hub bgp tunnel-inside ipv6
direct-connect dx from office to vgw vlan 101
direct-connect dx6 from office to vgw vlan 102 mtu 9001 ipv6`;
const NET = (site = '', routes = '', extra = '') => `${VPC(routes)} ${HUB()} ${OFFICE(site)} ${LINKS} ${extra}`;

interface Case { rule: string; text: string; code: string; severity?: DiagnosticSeverity; message?: RegExp }

const cases: Case[] = [
    // Site routes
    { rule: "a site route leads into one of the site's own links", text: NET('route 10.9.0.0/16 -> <|bv|>', '', 'site branch { cidr 10.9.0.0/16 } vpn bv from branch to hub'), code: S.SiteRouteLink, message: /VPN bv connects site branch, not office/ },
    { rule: 'a site route naming no link is a linking error', text: NET('route 10.9.0.0/16 -> <|nope|>'), code: 'linking-error', message: /There is no VPN or Direct Connect virtual interface named 'nope'/ },
    { rule: 'a site route into something that is not a link (a transit gateway) is a linking error', text: NET('route 10.9.0.0/16 -> <|hub|>'), code: 'linking-error' },
    { rule: 'a site route destination is a CIDR block, not an address', text: NET('route <|10.0.0.5|> -> v4'), code: IssueCodes.InvalidCidr, message: /a CIDR block is expected/ },
    { rule: 'a site route destination with host bits set is reported', text: NET('route <|10.0.0.5/16|> -> v4'), code: IssueCodes.CidrNotCanonical, severity: W },
    { rule: "a site's router has one route per destination", text: NET('route 0.0.0.0/0 -> v4 route <|0.0.0.0/0|> -> dx'), code: IssueCodes.DuplicateRoute },
    { rule: 'an IPv6 site route into an ipv4-inside VPN is an error (the tunnel carries one family)', text: NET('route ::/0 -> <|v4|>'), code: S.SiteRouteFamily, message: /tunnel-inside ipv4, the default/ },
    { rule: 'an IPv6 site route into a virtual interface without IPv6 peering is an error', text: NET('route 2600:1f18:abcd::/56 -> <|dx|>'), code: S.SiteRouteFamily, message: /add 'ipv6' to dx/ },
    { rule: 'an IPv4 site route into an ipv6-inside VPN is an error', text: NET('route 0.0.0.0/0 -> <|v6|>'), code: S.SiteRouteFamily, message: /tunnel-inside ipv6/ },
    // Site hosts and internet hosts
    { rule: "an IPv6 site host lies in one of the site's IPv6 prefixes", text: 'site s { cidr 192.168.0.0/16 cidr 2001:db8:100::/48 host h <|2001:db8:200::1|> }', code: N.SiteHostOutsideCidr, message: /not in an IPv6 CIDR block of site s \(2001:db8:100::\/48\)/ },
    { rule: 'an IPv6 site host needs an IPv6 prefix on its site', text: 'site s { cidr 192.168.0.0/16 host h <|2001:db8:200::1|> }', code: N.SiteHostOutsideCidr, message: /has no IPv6 CIDR block/ },
    { rule: 'an SDDC segment host stays IPv4', text: `${VPC()} sddc vmc { connected-vpc shop subnet tgw-a management 10.2.0.0/16 segment app 192.168.160.0/24 { host h <|2001:db8::2|> } }`, code: IssueCodes.InvalidAddress, message: /SDDC segments are IPv4/ },
    { rule: 'an IPv6 internet host with a non-public address is reported', text: 'internet { host h <|fd00::7|> }', code: IssueCodes.HostIpNotPublic, severity: W },
    { rule: 'an IPv6 internet address is used once, however it is written', text: 'internet { host a 2001:db8:60::7 host b <|2001:db8:60:0::7|> }', code: IssueCodes.DuplicateAddress, message: /host a/ },
    // VPN and Direct Connect
    { rule: "'tunnel-inside ipv6' on a VPN to a virtual private gateway is an error", text: `${VPC()} ${OFFICE()} vpn x from office to vgw bgp tunnel-inside <|ipv6|>`, code: S.VpnIpv6RequiresTransitGateway },
    { rule: "a static VPN's IPv6 prefix needs an ipv6-inside tunnel", text: `${VPC()} ${HUB()} ${OFFICE()} vpn x from office to hub static 192.168.0.0/16, <|2001:db8:100::/48|>`, code: S.VpnStaticRouteFamily, message: /tunnel-inside ipv4, the default/ },
    { rule: "an ipv6-inside static VPN's IPv4 prefix is an error", text: `${VPC()} ${HUB()} ${OFFICE()} vpn x from office to hub static <|192.168.0.0/16|> tunnel-inside ipv6`, code: S.VpnStaticRouteFamily },
    // IPv6 routes to gateways that cannot carry them (warnings)
    { rule: 'an IPv6 route to a virtual private gateway that no Direct Connect with IPv6 reaches is reported', text: `${VPC('<|2001:db8:100::/48|> -> vgw')} ${OFFICE()} direct-connect dx from office to vgw vlan 101 vpn x from office to vgw`, code: S.RouteVgwIpv6WithoutDirectConnect, severity: W },
    { rule: "an IPv6 route to a transit gateway whose attachment for the VPC lacks ipv6-support (and no static IPv6 route leads back) is reported", text: `${VPC('<|2001:db8:100::/48|> -> hub')} ${HUB('')}`, code: S.RouteTgwAttachmentWithoutIpv6, severity: W, message: /IPv6 CIDRs do not propagate[\s\S]*Add 'ipv6-support'/ },
    // DynamoDB has no IPv6 prefixes in vnet (engine/prefix-lists.ts)
    { rule: 'a dual-stack gateway endpoint for DynamoDB is reported', text: VPC('', 'gateway-endpoint ddb service dynamodb ip-address-type <|dualstack|> route-tables r'), code: S.DynamoDbNoIpv6, severity: W },
    { rule: 'an IPv6 expectation with DynamoDB is reported', text: `${VPC()} expect web -> dynamodb <|ipv6|> tcp 443 unreachable`, code: S.DynamoDbNoIpv6, severity: W },
];

const clean: Case[] = [
    { rule: "site routes into the site's links in the families they carry are fine", text: NET('route 0.0.0.0/0 -> v4 route ::/0 -> v6 route 2001:db8::/32 -> dx6 route 10.0.0.0/8 -> dx'), code: S.SiteRouteFamily },
    { rule: "site routes into the site's own links are not SITE_ROUTE_LINK", text: NET('route 0.0.0.0/0 -> v4 route ::/0 -> v6'), code: S.SiteRouteLink },
    { rule: 'an IPv6 route to a virtual private gateway reached by a Direct Connect interface with IPv6 is fine', text: NET('', '2001:db8:100::/48 -> vgw'), code: S.RouteVgwIpv6WithoutDirectConnect },
    { rule: 'an IPv6 route to a virtual private gateway reached through a Direct Connect gateway with an IPv6 interface is fine', text: `${VPC('2001:db8:100::/48 -> vgw')} ${OFFICE()} direct-connect-gateway g { associate shop.vgw } direct-connect dxg from office to g vlan 103 ipv6`, code: S.RouteVgwIpv6WithoutDirectConnect },
    { rule: 'an IPv6 route to a virtual private gateway is not a family mismatch any more', text: NET('', '2001:db8:100::/48 -> vgw'), code: IssueCodes.RouteFamilyMismatch },
    { rule: 'an IPv6 route to a transit gateway whose attachment has ipv6-support is fine', text: `${VPC('2001:db8:100::/48 -> hub')} ${HUB()}`, code: S.RouteTgwAttachmentWithoutIpv6 },
    { rule: 'an IPv6 route to a transit gateway is fine when a static IPv6 route leads back to the attachment without ipv6-support', text: `${VPC('2001:db8:100::/48 -> hub')} transit-gateway hub { attachment shop-att vpc shop subnets tgw-a route-table main { associate shop-att 2600:1f18:abcd::/56 -> shop-att } }`, code: S.RouteTgwAttachmentWithoutIpv6 },
    { rule: "'tunnel-inside ipv6' on a VPN to a transit gateway is fine", text: NET(), code: S.VpnIpv6RequiresTransitGateway },
    { rule: "an explicit 'tunnel-inside ipv4' to a virtual private gateway is fine", text: `${VPC()} ${OFFICE()} vpn x from office to vgw bgp tunnel-inside ipv4`, code: S.VpnIpv6RequiresTransitGateway },
    { rule: 'an ipv6-inside static VPN with IPv6 prefixes is fine', text: `${VPC()} ${HUB()} ${OFFICE()} vpn x from office to hub static 2001:db8:100::/48 tunnel-inside ipv6`, code: S.VpnStaticRouteFamily },
    { rule: 'an IPv6 prefix in an ipv6-inside static VPN is a valid CIDR', text: `${VPC()} ${HUB()} ${OFFICE()} vpn x from office to hub static 2001:db8:100::/48 tunnel-inside ipv6`, code: IssueCodes.InvalidCidr },
    { rule: "an IPv6 site host in the site's IPv6 prefix is fine", text: OFFICE(), code: N.SiteHostOutsideCidr },
    { rule: 'an IPv6 internet host is a valid address', text: 'internet { host viewer6 2001:db8:60::7 }', code: IssueCodes.InvalidAddress },
    { rule: 'a global IPv6 internet host is public', text: 'internet { host viewer6 2001:db8:60::7 }', code: IssueCodes.HostIpNotPublic },
    { rule: 'a dual-stack gateway endpoint for S3 is fine', text: VPC('', 'gateway-endpoint s3ep service s3 ip-address-type dualstack route-tables r'), code: S.DynamoDbNoIpv6 },
    { rule: 'an IPv4 expectation with DynamoDB is fine', text: `${VPC()} expect web -> dynamodb tcp 443 unreachable`, code: S.DynamoDbNoIpv6 },
];

/** The settled syntax of the brief, in a network where every expectation holds. */
const SETTLED = `vpc shop {
  cidr 10.0.0.0/16
  ipv6 2600:1f18:abcd::/56
  vpn-gateway vgw
  subnet tgw-a 10.0.0.0/28 in us-east-1a { ipv6 2600:1f18:abcd:1::/64 }
  subnet app-a 10.0.1.0/24 in us-east-1a {
    ipv6 2600:1f18:abcd:2::/64
    route-table app
    instance web 10.0.1.10 { ipv6 2600:1f18:abcd:2::10 security-groups web-sg }
  }
  route-table app {
    2001:db8:100::/48 -> hub
    192.168.0.0/16 -> hub
  }
  security-group web-sg {
    inbound tcp 443 from 2001:db8:100::/48
    inbound tcp 443 from 192.168.0.0/16
    outbound all to ::/0
    outbound all to 0.0.0.0/0
  }
}
transit-gateway hub {
  attachment shop-att vpc shop subnets tgw-a ipv6-support
  attachment v6-att vpn office-vpn6
  attachment v4-att vpn office-vpn
  route-table main {
    associate shop-att, v6-att, v4-att
    propagate shop-att, v6-att, v4-att
  }
}
site office {
  cidr 192.168.0.0/16
  cidr 2001:db8:100::/48               // IPv6 prefixes too
  host pc 192.168.1.20
  host pc6 2001:db8:100::20            // an IPv6 host
  route 0.0.0.0/0 -> office-vpn        // the router's static route into one of the site's links
}
vpn office-vpn from office to hub bgp
vpn office-vpn6 from office to hub bgp tunnel-inside ipv6      // clause after routing; default ipv4
direct-connect dx1 from office to vgw vlan 101 mtu 9001 ipv6   // the VIF also has an IPv6 BGP peering
internet { host viewer6 2001:db8:60::7 }
expect office.pc6 -> web ipv6 tcp 443 reachable
expect pc6 -> web tcp 443 reachable
expect pc -> web tcp 443 reachable
expect web -> viewer6 tcp 443 unreachable
`;

describe('site routes and IPv6 on premises', () => {
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

    it('accepts the settled syntax: no diagnostic, and every expectation holds', async () => {
        const result = await validate(SETTLED);
        assert.deepStrictEqual(result.diagnostics.map(d => `${d.code}: ${d.message}`), []);
    });

    it('lowers site routes, IPv6 site and internet hosts, tunnel-inside and Direct Connect IPv6 to the model', async () => {
        const result = await validate(SETTLED);
        const model = lowerDocuments([result.document]);
        const site = model.sites?.[0];
        assert.deepStrictEqual(site?.cidrs, ['192.168.0.0/16', '2001:db8:100::/48']);
        assert.deepStrictEqual(site?.hosts.map(h => [h.name, h.ip]), [['pc', '192.168.1.20'], ['pc6', '2001:db8:100::20']]);
        assert.deepStrictEqual(site?.routes?.map(r => [r.destination, r.via]), [['0.0.0.0/0', 'office-vpn']]);
        assert.ok(site?.routes?.[0].origin, 'a site route carries its origin');
        assert.deepStrictEqual(model.vpns?.map(v => [v.name, v.tunnelInside]), [['office-vpn', undefined], ['office-vpn6', 'ipv6']]);
        assert.strictEqual(model.vpns?.[0] && 'tunnelInside' in model.vpns[0], false, 'no tunnel-inside written: the field stays absent (default ipv4)');
        assert.deepStrictEqual(model.directConnects?.map(d => [d.name, d.ipv6]), [['dx1', true]]);
        assert.deepStrictEqual(model.internetHosts.map(h => [h.name, h.ip]), [['viewer6', '2001:db8:60::7']]);
        assert.deepStrictEqual(model.expectations.map(e => e.destination.kind), ['instance', 'instance', 'instance', 'host']);
    });

    it('lowers site route destinations and IPv6 hosts in canonical form; drops what is malformed', async () => {
        const result = await validate(`${VPC()} ${HUB()} site office { cidr 2001:0db8:0100::/48 host h 2001:DB8:100:0::20 route 2001:db8:100:0::/48 -> v6 route 10.0.0.300/8 -> v4 } vpn v4 from office to hub vpn v6 from office to hub tunnel-inside ipv6 direct-connect dx from office to vgw vlan 101
            sddc vmc { connected-vpc shop subnet tgw-a management 10.2.0.0/16 segment app 192.168.160.0/24 { host a 192.168.160.2 host b 2001:db8::2 } }`);
        const model = lowerDocuments([result.document]);
        assert.deepStrictEqual(model.sites?.[0].cidrs, ['2001:db8:100::/48']);
        assert.deepStrictEqual(model.sites?.[0].hosts.map(h => h.ip), ['2001:db8:100::20']);
        assert.deepStrictEqual(model.sites?.[0].routes?.map(r => r.destination), ['2001:db8:100::/48']);
        assert.deepStrictEqual(model.directConnects?.map(d => 'ipv6' in d), [false]);
        assert.deepStrictEqual(model.sddcs?.[0].segments[0].hosts.map(h => h.name), ['a'], 'an IPv6 SDDC host is reported and not lowered');
    });

    it("keeps 'route' usable as a name", async () => {
        const result = await validate('vpc route { cidr 10.0.0.0/16 subnet s 10.0.0.0/24 in us-east-1a { instance route 10.0.0.10 } }');
        assert.deepStrictEqual(result.diagnostics.filter(d => d.severity === E).map(d => d.message), []);
    });

    it('formats site routes one per line', async () => {
        await expectFormatting(services.Vnet)({
            before: 'site office { cidr 192.168.0.0/16 host pc 192.168.1.20 route 0.0.0.0/0 -> v route ::/0 -> v6 }',
            after: 'site office {\n    cidr 192.168.0.0/16\n    host pc 192.168.1.20\n    route 0.0.0.0/0 -> v\n    route ::/0 -> v6\n}',
            disposeAfterCheck: true,
        });
    });

    it('marks a site route like a route: the prefix a number, the link a type', async () => {
        const tokens = await highlightHelper(services.Vnet)(`${OFFICE('route <|::/0|> -> <|v6|>')} ${LINKS}`);
        expectSemanticToken(tokens, { rangeIndex: 0, tokenType: SemanticTokenTypes.number });
        expectSemanticToken(tokens, { rangeIndex: 1, tokenType: SemanticTokenTypes.type });
    });

    it("completes a site route's link with the site's own VPNs and Direct Connect interfaces only", async () => {
        await expectCompletion(services.Vnet)({
            text: `${VPC()} ${HUB()} ${OFFICE('route ::/0 -> <|>')} ${LINKS} site branch { cidr 10.9.0.0/16 } vpn bv from branch to hub`,
            index: 0,
            expectedItems: ['v4', 'v6', 'dx', 'dx6'],
            disposeAfterCheck: true,
        });
    });

    it('completes the tunnel-inside and ipv6 clauses', async () => {
        await expectCompletion(services.Vnet)({
            text: `${OFFICE()} vpn v from office to hub bgp tunnel-inside <|>`,
            index: 0,
            expectedItems: ['ipv4', 'ipv6'],
            disposeAfterCheck: true,
        });
    });

    describe('hovers', () => {
        const hover = expectHover(services.Vnet);
        it('a VPN says which family its tunnels carry', async () => {
            await hover({ text: `${NET()}`.replace('vpn v6 from', 'vpn v<|>6 from'), index: 0, hover: /tunnel inside IPv6[\s\S]*carrying IPv6 only; MTU 1446, MSS 1386/, disposeAfterCheck: true });
            await hover({ text: `${NET()}`.replace('vpn v4 from', 'vpn v<|>4 from'), index: 0, hover: /tunnel inside IPv4 \(the default\)/, disposeAfterCheck: true });
        });
        it('a Direct Connect interface says whether it has an IPv6 peering', async () => {
            await hover({ text: `${NET()}`.replace('direct-connect dx6 from', 'direct-connect d<|>x6 from'), index: 0, hover: /IPv4 and IPv6 BGP peerings/, disposeAfterCheck: true });
            await hover({ text: `${NET()}`.replace('direct-connect dx from', 'direct-connect d<|>x from'), index: 0, hover: /IPv4 BGP peering only/, disposeAfterCheck: true });
        });
        it("a site route says it is the customer's router's choice", async () => {
            await hover({ text: NET('ro<|>ute 0.0.0.0/0 -> v4'), index: 0, hover: /Site router route[\s\S]*0\.0\.0\.0\/0 -> v4[\s\S]*AWS may refuse/, disposeAfterCheck: true });
        });
        it("a site route's link hovers as the link", async () => {
            await hover({ text: NET('route ::/0 -> v<|>6'), index: 0, hover: /Site-to-Site VPN\*\* v6/, disposeAfterCheck: true });
        });
        it('a virtual private gateway says it carries IPv6 over Direct Connect only', async () => {
            await hover({ text: NET().replace('vpn-gateway vgw', 'vpn-gateway v<|>gw'), index: 0, hover: /IPv6 only over Direct Connect interfaces with an IPv6 peering/, disposeAfterCheck: true });
        });
    });
});
