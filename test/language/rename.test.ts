/**
 * Rename keeps qualified names qualified, across files.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import type { LangiumDocument } from 'langium';
import type { TextEdit } from 'vscode-languageserver';
import { buildWorkspace, createServices, markers, reset } from './helpers.js';

const services = createServices();

function apply(doc: LangiumDocument, edits: TextEdit[] | undefined): string {
    const text = doc.textDocument;
    return [...(edits ?? [])]
        .sort((a, b) => text.offsetAt(b.range.start) - text.offsetAt(a.range.start))
        .reduce((out, e) => out.slice(0, text.offsetAt(e.range.start)) + e.newText + out.slice(text.offsetAt(e.range.end)), text.getText());
}

describe('rename', () => {
    afterEach(() => reset(services));

    it('renaming an instance rewrites bare and qualified references, keeping the qualifier', async () => {
        const net = markers('vpc shop { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a { instance w<|>eb 10.0.0.10 } route-table r { 10.0.0.0/24 -> web } }');
        const [netDoc, expectDoc] = await buildWorkspace(services, {
            'net.vnet': net.text,
            'expect.vnet': 'expect web -> shop.web icmp reachable',
        });
        const edit = await services.Vnet.lsp.RenameProvider!.rename(netDoc, {
            textDocument: { uri: netDoc.uri.toString() }, position: netDoc.textDocument.positionAt(net.indices[0]), newName: 'www',
        });
        assert.strictEqual(apply(netDoc, edit?.changes?.[netDoc.uri.toString()]), net.text.replaceAll('web', 'www'));
        assert.strictEqual(apply(expectDoc, edit?.changes?.[expectDoc.uri.toString()]), 'expect www -> shop.www icmp reachable');
    });

    it('renaming a VPC rewrites the qualifier of qualified references', async () => {
        const net = markers('vpc sh<|>op { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a { instance web 10.0.0.10 } }');
        const [netDoc, expectDoc] = await buildWorkspace(services, {
            'net.vnet': net.text,
            'expect.vnet': 'expect shop.web -> 8.8.8.8 icmp reachable',
        });
        const edit = await services.Vnet.lsp.RenameProvider!.rename(netDoc, {
            textDocument: { uri: netDoc.uri.toString() }, position: netDoc.textDocument.positionAt(net.indices[0]), newName: 'store',
        });
        assert.strictEqual(apply(netDoc, edit?.changes?.[netDoc.uri.toString()]), net.text.replace('vpc shop', 'vpc store'));
        assert.strictEqual(apply(expectDoc, edit?.changes?.[expectDoc.uri.toString()]), 'expect store.web -> 8.8.8.8 icmp reachable');
    });

    it('renaming a VPC rewrites the qualifier of VPN, Direct Connect and exclusion references', async () => {
        const net = markers('vpc sh<|>op { cidr 10.0.0.0/16 vpn-gateway vgw subnet a 10.0.0.0/24 in us-east-1a }');
        const [netDoc, linkDoc] = await buildWorkspace(services, {
            'net.vnet': net.text,
            'links.vnet': 'site o { cidr 192.168.0.0/16 } vpn v from o to shop.vgw direct-connect d from o to shop.vgw vlan 5 block-public-access us-east-1 ingress { exclude shop.a egress }',
        });
        const edit = await services.Vnet.lsp.RenameProvider!.rename(netDoc, {
            textDocument: { uri: netDoc.uri.toString() }, position: netDoc.textDocument.positionAt(net.indices[0]), newName: 'store',
        });
        assert.strictEqual(apply(linkDoc, edit?.changes?.[linkDoc.uri.toString()]),
            'site o { cidr 192.168.0.0/16 } vpn v from o to store.vgw direct-connect d from o to store.vgw vlan 5 block-public-access us-east-1 ingress { exclude store.a egress }');
    });
});
