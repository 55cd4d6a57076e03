/**
 * The rules of issues 3 and 4 that read other files (peered VPCs, the SDDC's connected VPC, transit
 * gateway attachment subnets) follow an edit of the other file, as the server runs it.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { TextDocument, URI } from 'langium';
import { setTextDocument } from 'langium/test';
import { NetworkIssueCodes as N } from '../../language/vnet-network-validator.js';
import { IssueCodes } from '../../language/vnet-validator.js';
import { SiteIssueCodes as S } from '../../language/vnet-site-validator.js';
import { codes, createServices, reset } from './helpers.js';

const services = createServices();
const uri = (name: string) => URI.parse(`file:///ws/${name}`);
const versions = new Map<string, number>();

async function edit(files: Record<string, string>): Promise<void> {
    for (const [name, text] of Object.entries(files)) {
        const version = (versions.get(name) ?? 0) + 1;
        versions.set(name, version);
        setTextDocument(services.Vnet, TextDocument.create(uri(name).toString(), 'vnet', version, text));
    }
    await services.shared.workspace.DocumentBuilder.update(Object.keys(files).map(uri), []);
}

const diagnostics = (name: string) => codes(services.shared.workspace.LangiumDocuments.getDocument(uri(name))!.diagnostics);

describe('issues 3 and 4: rules across files after an edit', () => {
    afterEach(async () => {
        versions.clear();
        await reset(services);
    });

    it('reports overlapping peers when the other file changes a CIDR, and stops when it changes back', async () => {
        await edit({ 'a.vnet': 'vpc a { cidr 10.0.0.0/16 } peering p between a and b', 'b.vnet': 'vpc b { cidr 10.1.0.0/16 }' });
        assert.deepStrictEqual(diagnostics('a.vnet'), []);
        await edit({ 'b.vnet': 'vpc b { cidr 10.0.0.0/16 }' });
        assert.deepStrictEqual(diagnostics('a.vnet'), [N.PeeringCidrOverlap]);
        await edit({ 'b.vnet': 'vpc b { cidr 10.1.0.0/16 }' });
        assert.deepStrictEqual(diagnostics('a.vnet'), []);
    });

    it('reports an SDDC segment overlapping the connected VPC when the VPC grows a CIDR', async () => {
        const vpc = (extra: string) => `vpc v { cidr 10.0.0.0/16 ${extra} subnet link 10.0.6.0/24 in us-east-1a }`;
        await edit({ 'sddc.vnet': 'sddc vmc { connected-vpc v subnet link management 10.2.0.0/16 segment app 100.64.1.0/24 }', 'vpc.vnet': vpc('') });
        assert.deepStrictEqual(diagnostics('sddc.vnet'), []);
        await edit({ 'vpc.vnet': vpc('cidr 100.64.0.0/16') });
        assert.deepStrictEqual(diagnostics('sddc.vnet'), [N.SddcCidrOverlap]);
    });

    it('warns of an IPv6 route to a VGW until another file gives a Direct Connect interface to it an IPv6 peering', async () => {
        const vpc = 'vpc a { cidr 10.0.0.0/16 ipv6 2600:1f18:abcd::/56 vpn-gateway vgw route-table r { propagate vgw 2001:db8:100::/48 -> vgw } }';
        const site = (dx: string) => `site s { cidr 192.168.0.0/16 cidr 2001:db8:100::/48 route ::/0 -> dx } direct-connect dx from s to a.vgw vlan 101 ${dx}`;
        await edit({ 'a.vnet': vpc, 's.vnet': site('') });
        assert.deepStrictEqual(diagnostics('a.vnet'), [S.RouteVgwIpv6WithoutDirectConnect]);
        assert.deepStrictEqual(diagnostics('s.vnet'), [S.SiteRouteFamily]);
        await edit({ 's.vnet': site('ipv6') });
        assert.deepStrictEqual(diagnostics('a.vnet'), []);
        assert.deepStrictEqual(diagnostics('s.vnet'), []);
    });

    it("reports a site route into a link that another file moves to another site", async () => {
        const link = (from: string) => `vpn v from ${from} to hub transit-gateway hub site b { cidr 10.9.0.0/16 }`;
        await edit({ 's.vnet': 'site s { cidr 192.168.0.0/16 route 0.0.0.0/0 -> v }', 'v.vnet': link('s') });
        assert.deepStrictEqual(diagnostics('s.vnet'), []);
        await edit({ 'v.vnet': link('b') });
        assert.deepStrictEqual(diagnostics('s.vnet'), [S.SiteRouteLink]);
    });

    it('reports a route to a peering that another file turns pending', async () => {
        await edit({ 'a.vnet': 'vpc a { cidr 10.0.0.0/16 route-table r { 10.1.0.0/16 -> p } } vpc b { cidr 10.1.0.0/16 }', 'p.vnet': 'peering p between a and b' });
        assert.deepStrictEqual(diagnostics('a.vnet'), []);
        await edit({ 'p.vnet': 'peering p between a and b pending' });
        assert.deepStrictEqual(diagnostics('a.vnet'), [N.RouteToPendingPeering]);
    });

    it('reports a bare VPN target that another file makes ambiguous, and stops when it is unique again', async () => {
        await edit({ 'a.vnet': 'vpc a { cidr 10.0.0.0/16 vpn-gateway vgw route-table r { propagate vgw } } site s { cidr 192.168.0.0/16 } vpn v from s to vgw', 'b.vnet': 'vpc b { cidr 10.1.0.0/16 }' });
        assert.deepStrictEqual(diagnostics('a.vnet'), []);
        await edit({ 'b.vnet': 'vpc b { cidr 10.1.0.0/16 vpn-gateway vgw }' });
        assert.deepStrictEqual(diagnostics('a.vnet'), [IssueCodes.AmbiguousName]);
        await edit({ 'b.vnet': 'vpc b { cidr 10.1.0.0/16 }' });
        assert.deepStrictEqual(diagnostics('a.vnet'), []);
    });
});
