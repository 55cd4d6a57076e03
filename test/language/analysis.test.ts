/**
 * The engine's verdicts as diagnostics: one error per expectation that does not hold, on its
 * `expect` line, with the explanation code and the deciding rule as related information; kept
 * current in files that did not change.
 */
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'mocha';
import { TextDocument, URI } from 'langium';
import { setTextDocument } from 'langium/test';
import type { Diagnostic } from 'vscode-languageserver';
import { IssueCodes } from '../../language/vnet-validator.js';
import { buildWorkspace, createServices, markers, reset } from './helpers.js';

const services = createServices();
const NET = readFileSync(new URL('./fixtures/analysis-net.vnet', import.meta.url), 'utf8');
const HOSTS = 'internet { host client 198.51.100.7 host dns 8.8.8.8 }\n';

function engineErrors(diagnostics: Diagnostic[] | undefined): Diagnostic[] {
    return (diagnostics ?? []).filter(d => /^expected /.test(String(d.message)));
}

describe('analysis diagnostics', () => {
    afterEach(() => reset(services));

    it('an expectation that holds has no diagnostic', async () => {
        const [, expects] = await buildWorkspace(services, { 'net.vnet': NET, 'expect.vnet': `${HOSTS}expect client -> web tcp 443 reachable` });
        assert.deepStrictEqual(expects.diagnostics, []);
    });

    it('network ACLs are stateless: a return path dropped by the inbound final deny is SUBNET_ACL_RESTRICTION, on the expect line, pointing at the ACL in the other file', async () => {
        const [, expects] = await buildWorkspace(services, { 'net.vnet': NET, 'expect.vnet': `${HOSTS}expect web -> dns udp 53 reachable` });
        const [error] = engineErrors(expects.diagnostics);
        assert.ok(error, 'one engine diagnostic');
        assert.strictEqual(error.severity, 1);
        assert.strictEqual(error.code, 'SUBNET_ACL_RESTRICTION');
        assert.deepStrictEqual(error.data, { code: 'SUBNET_ACL_RESTRICTION', direction: 'return' });
        assert.deepStrictEqual(error.range.start, expects.textDocument.positionAt(expects.textDocument.getText().indexOf('expect web')));
        assert.match(String(error.message), /^expected reachable, but the return path is dropped at shop\.edge \(network ACL, .*\).* — SUBNET_ACL_RESTRICTION$/s);
        const related = error.relatedInformation ?? [];
        assert.strictEqual(related.length, 1);
        assert.strictEqual(related[0].location.uri, 'file:///ws/net.vnet');
        assert.strictEqual(related[0].location.range.start.line, NET.split('\n').findIndex(l => l.includes('network-acl edge {')));
    });

    it('a security group that does not allow the port is ENI_SG_RULES_MISMATCH on the forward path, pointing at the group', async () => {
        const net = NET.replace('inbound 100 allow tcp 443 from 0.0.0.0/0', 'inbound 100 allow tcp 0-65535 from 0.0.0.0/0');
        const [, expects] = await buildWorkspace(services, { 'net.vnet': net, 'expect.vnet': `${HOSTS}expect client -> web tcp 22 reachable` });
        const [error] = engineErrors(expects.diagnostics);
        assert.strictEqual(error?.code, 'ENI_SG_RULES_MISMATCH');
        assert.match(String(error.message), /^expected reachable, but the forward path is dropped at shop\.web-sg \(security group web-sg[^)]*\)/);
        assert.ok((error.relatedInformation ?? []).every(r => r.location.uri === 'file:///ws/net.vnet'));
        assert.ok((error.relatedInformation ?? []).length > 0);
    });

    it('an expected-unreachable connection that is established is EXPECTATION_NOT_MET, pointing at the rules that allow it', async () => {
        const [, expects] = await buildWorkspace(services, { 'net.vnet': NET, 'expect.vnet': `${HOSTS}expect client -> web tcp 443 unreachable` });
        const [error] = engineErrors(expects.diagnostics);
        assert.strictEqual(error?.code, IssueCodes.ExpectationNotMet);
        assert.match(String(error.message), /^expected unreachable, but the connection is established/);
        const lines = (error.relatedInformation ?? []).map(r => r.location.range.start.line);
        assert.ok(lines.includes(NET.split('\n').findIndex(l => l.includes('inbound 100 allow tcp 443'))));
    });

    it('diagnostics of an unchanged file follow a change in another file (its workspace checks re-run)', async () => {
        const { shared } = services;
        const netUri = 'file:///ws/net.vnet';
        const expectUri = 'file:///ws/expect.vnet';
        // The expectation names the web server by address only: no reference ties the two files.
        setTextDocument(services.Vnet, TextDocument.create(netUri, 'vnet', 1, NET));
        setTextDocument(services.Vnet, TextDocument.create(expectUri, 'vnet', 1, `${HOSTS}expect client -> 54.0.0.10 tcp 443 reachable`));
        await shared.workspace.DocumentBuilder.update([URI.parse(netUri), URI.parse(expectUri)], []);
        const expects = () => shared.workspace.LangiumDocuments.getDocument(URI.parse(expectUri))!;
        assert.deepStrictEqual(expects().diagnostics, []);

        setTextDocument(services.Vnet, TextDocument.create(netUri, 'vnet', 2, NET.replace('inbound tcp 443 from 0.0.0.0/0', 'inbound tcp 80 from 0.0.0.0/0')));
        await shared.workspace.DocumentBuilder.update([URI.parse(netUri)], []);
        assert.deepStrictEqual(engineErrors(expects().diagnostics).map(d => d.code), ['ENI_SG_RULES_MISMATCH']);
    });

    it('analyses an unsaved editor (untitled:) with the workspace', async () => {
        const { shared } = services;
        // The language of an untitled editor comes from the client's text document, not a file name.
        setTextDocument(services.Vnet, TextDocument.create('file:///ws/net.vnet', 'vnet', 1, NET));
        setTextDocument(services.Vnet, TextDocument.create('untitled:Untitled-1', 'vnet', 1, `${HOSTS}expect client -> web tcp 22 reachable`));
        await shared.workspace.DocumentBuilder.update([URI.parse('file:///ws/net.vnet'), URI.parse('untitled:Untitled-1')], []);
        const untitled = shared.workspace.LangiumDocuments.getDocument(URI.parse('untitled:Untitled-1'))!;
        assert.deepStrictEqual(engineErrors(untitled.diagnostics).map(d => d.code), ['SUBNET_ACL_RESTRICTION']);
    });

    it('analyses a .vnet file whose client sent no language id (Neovim without a filetype)', async () => {
        const { shared } = services;
        setTextDocument(services.Vnet, TextDocument.create('file:///ws/net.vnet', '', 1, NET));
        setTextDocument(services.Vnet, TextDocument.create('file:///ws/expect.vnet', '', 1, `${HOSTS}expect client -> web tcp 22 reachable`));
        await shared.workspace.DocumentBuilder.update([URI.parse('file:///ws/net.vnet'), URI.parse('file:///ws/expect.vnet')], []);
        const expects = shared.workspace.LangiumDocuments.getDocument(URI.parse('file:///ws/expect.vnet'))!;
        assert.deepStrictEqual(engineErrors(expects.diagnostics).map(d => d.code), ['SUBNET_ACL_RESTRICTION']);
    });

    it('analyses the workspace once per build, not once per document', async () => {
        const analyzer = services.Vnet.analysis.Analyzer;
        await buildWorkspace(services, { 'net.vnet': NET, 'a.vnet': `${HOSTS}expect client -> web tcp 443 reachable`, 'b.vnet': 'expect client -> web tcp 22 unreachable' });
        const first = analyzer.getAnalysis();
        assert.strictEqual(analyzer.getAnalysis(), first);
        assert.strictEqual(first.expectations.length, 2);
        assert.deepStrictEqual(first.expectations.map(e => e.holds), [true, true]);
    });

    it('finds the expectation at an offset of a document', async () => {
        const { text, indices } = markers(`${HOSTS}expect client -> w<|>eb tcp 443 reachable\n<|>`);
        const [, doc] = await buildWorkspace(services, { 'net.vnet': NET, 'expect.vnet': text });
        const analyzer = services.Vnet.analysis.Analyzer;
        const found = analyzer.findExpectation(doc.uri.toString(), indices[0]);
        assert.strictEqual(found?.expectation.destinationText, 'web');
        assert.strictEqual(found?.result.verdict, 'reachable');
        assert.strictEqual(analyzer.findExpectation(doc.uri.toString(), indices[1]), undefined);
        // The same file spelled with an escaped character, as some clients send it.
        assert.strictEqual(analyzer.findExpectation('file:///ws/expect%2Evnet', indices[0]), found);
    });

    it('traces an arbitrary query written like expect endpoints', async () => {
        await buildWorkspace(services, { 'net.vnet': NET, 'expect.vnet': HOSTS });
        const analyzer = services.Vnet.analysis.Analyzer;
        const result = analyzer.trace({ from: 'web', to: 'dns', protocol: 'udp', port: 53 });
        assert.ok(!('error' in result));
        assert.strictEqual(result.code, 'SUBNET_ACL_RESTRICTION');
        assert.strictEqual(result.direction, 'return');
        const unknown = analyzer.trace({ from: 'nobody', to: 'dns', protocol: 'icmp' });
        assert.ok('error' in unknown);
    });
});
