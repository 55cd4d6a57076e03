/**
 * The bundled language server (out/language/main.cjs --stdio) driven over real JSON-RPC, the way
 * an editor drives it. Positions are found by matching text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CodeLensRequest, DiagnosticSeverity, DidChangeConfigurationNotification, HoverRequest,
  type CodeLens, type Diagnostic, type MarkupContent,
} from 'vscode-languageserver-protocol';
import { PacketPathRequest, type PacketPath } from '../../server/protocol.js';
import { ensureBundles, ROOT, SERVER_BUNDLE } from '../cli/bundles.js';
import { fileUri, LspSession, positionOf } from './lsp-session.js';

const CONTRACT_DIR = join(ROOT, 'test/fixtures/contract');
const TWO_FILES_DIR = join(ROOT, 'test/fixtures/two-files');
const SHOP = join(CONTRACT_DIR, 'shop.vnet');
const NETWORK = join(TWO_FILES_DIR, 'network.vnet');
const EXPECTATIONS = join(TWO_FILES_DIR, 'expectations.vnet');

const errors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
const onLine = (diagnostics: Diagnostic[], line: number) => diagnostics.filter((d) => d.range.start.line === line);

describe('language server over stdio', function () {
  this.timeout(60000);
  let session: LspSession;
  const shopText = readFileSync(SHOP, 'utf8');
  const shopUri = fileUri(SHOP);
  const clientToWeb = 'expect client -> web tcp 443 reachable';

  before(async () => {
    ensureBundles();
    session = new LspSession(SERVER_BUNDLE);
    const init = await session.initialize([CONTRACT_DIR, TWO_FILES_DIR]);
    assert.ok(init.capabilities.hoverProvider, 'hover');
    assert.ok(init.capabilities.codeLensProvider, 'code lenses');
  });

  after(async () => {
    const alive = session.alive;
    await session.shutdown();
    assert.ok(alive, `the server was alive until shutdown; stderr: ${session.stderr.join('')}`);
  });

  it('publishes the diagnostics of an opened sample: no errors, every expectation holds', async () => {
    await session.open(shopUri, shopText);
    const diagnostics = await session.diagnosticsWhen(shopUri, () => true);
    assert.deepEqual(errors(diagnostics), []);
  });

  it('hovering an expectation shows the hop table with the headers at each hop', async () => {
    const hover = await session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: shopUri }, position: positionOf(shopText, clientToWeb, 'expect client -> '.length),
    });
    assert.ok(hover, 'a hover');
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /\|.*\|.*\|/, 'a markdown table');
    assert.match(markdown, /shop\.igw/);
    // Headers: the client's packet to the public address, rewritten to the private one by the gateway.
    assert.match(markdown, /198\.51\.100\.7/);
    assert.match(markdown, /54\.0\.0\.10/);
    assert.match(markdown, /10\.0\.0\.10/);
  });

  it('vnet/packetPath answers the path of the expectation at a position, null elsewhere', async () => {
    const path = await session.connection.sendRequest(PacketPathRequest.type, {
      textDocument: { uri: shopUri }, position: positionOf(shopText, clientToWeb, clientToWeb.length - 3),
    });
    assert.ok(path);
    assert.equal(path.expectation.text, clientToWeb);
    assert.deepEqual(path.expectation.range.start, positionOf(shopText, clientToWeb));
    assert.deepEqual(
      { source: path.expectation.source, destination: path.expectation.destination, port: path.expectation.port, holds: path.expectation.holds },
      { source: 'client', destination: 'web', port: 443, holds: true },
    );
    assert.equal(path.result.verdict, 'reachable');
    assert.ok(path.result.hops.some((h) => h.direction === 'forward' && h.component === 'shop.igw' && h.action === 'translate'));
    assert.ok(path.result.hops.some((h) => h.direction === 'return'));
    assert.ok(path.analysisVersion >= 1);

    const nothing = await session.connection.sendRequest(PacketPathRequest.type, {
      textDocument: { uri: shopUri }, position: positionOf(shopText, 'security-group web-sg {'),
    });
    assert.equal(nothing, null);
  });

  it('shows a code lens above every expectation that opens the packet path', async () => {
    const lenses: CodeLens[] = await session.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: shopUri } }) ?? [];
    assert.equal(lenses.length, 7);
    const first = lenses.find((l) => l.range.start.line === positionOf(shopText, clientToWeb).line);
    assert.ok(first?.command);
    assert.match(first.command.title, /^▶ path: reachable in \d+ hops$/);
    assert.equal(first.command.command, 'vnet.showPacketPath');
    assert.deepEqual(first.command.arguments, [shopUri, positionOf(shopText, clientToWeb)]);
    const blocked = lenses.find((l) => l.range.start.line === positionOf(shopText, 'expect client -> api').line);
    assert.match(blocked!.command!.title, /^✕ dropped at \S+.* \([A-Z_]+\)/);
  });

  it('hides the code lenses when vnet.codeLens.enabled is false, and asks the client to refresh them', async () => {
    const refreshes = session.codeLensRefreshes;
    await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { vnet: { codeLens: { enabled: false } } } });
    assert.deepEqual(await session.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: shopUri } }), []);
    assert.ok(session.codeLensRefreshes > refreshes);
    await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { vnet: { codeLens: { enabled: true } } } });
    assert.equal((await session.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: shopUri } }))?.length, 7);
  });

  it('deleting the route to the internet gateway breaks the expectation: a new error with its code, a new analysis', async () => {
    const before = (await session.connection.sendRequest(PacketPathRequest.type, {
      textDocument: { uri: shopUri }, position: positionOf(shopText, clientToWeb),
    }))!.analysisVersion;
    const line = positionOf(shopText, clientToWeb).line;
    const broken = shopText.replace('0.0.0.0/0 -> igw', '');
    const update = session.nextAnalysisUpdate((p) => p.analysisVersion > before);
    await session.change(shopUri, broken);
    const diagnostics = await session.nextDiagnostics(shopUri, (d) => errors(onLine(d, line)).length > 0);
    const [error] = errors(onLine(diagnostics, line));
    assert.equal(typeof error.code, 'string');
    assert.match(String(error.code), /^[A-Z][A-Z0-9_]+$/);
    assert.match(String(error.message), /expected reachable/);
    assert.ok((await update).uris.includes(shopUri));

    const path: PacketPath | null = await session.connection.sendRequest(PacketPathRequest.type, {
      textDocument: { uri: shopUri }, position: positionOf(broken, clientToWeb),
    });
    assert.equal(path!.result.verdict, 'unreachable');
    assert.equal(path!.result.code, error.code);
    assert.equal(path!.expectation.holds, false);
    assert.ok(path!.analysisVersion > before);
  });

  it('a change to one file updates the diagnostics of another file that depends on it', async () => {
    const networkUri = fileUri(NETWORK);
    const expectationsUri = fileUri(EXPECTATIONS);
    const networkText = readFileSync(NETWORK, 'utf8');
    const expectationsText = readFileSync(EXPECTATIONS, 'utf8');
    const line = positionOf(expectationsText, 'expect customer -> storefront tcp 443').line;
    assert.deepEqual(errors(await session.diagnosticsWhen(expectationsUri, () => true)), []);

    await session.open(networkUri, networkText);
    // Without the rule for 443 the storefront's security group drops the customer's request.
    await session.change(networkUri, networkText.replace('inbound  tcp 443 from 0.0.0.0/0', ''));
    const broken = await session.nextDiagnostics(expectationsUri, (d) => errors(onLine(d, line)).length > 0);
    assert.equal(errors(onLine(broken, line))[0].code, 'ENI_SG_RULES_MISMATCH');

    await session.change(networkUri, networkText);
    await session.nextDiagnostics(expectationsUri, (d) => errors(d).length === 0);
  });

  it('survives garbage: diagnostics for it, and the server keeps answering', async () => {
    const garbage = 'vpc {{ subnet -> 10.0.0.0/99 \u0000\u0007\u00ff expect -> -> tcp 70000 }\n\u{1F4A5} instance';
    await session.change(shopUri, garbage);
    const diagnostics = await session.nextDiagnostics(shopUri, (d) => errors(d).length > 0);
    assert.ok(diagnostics.length > 0);
    const hover = await session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: shopUri }, position: positionOf(garbage, 'subnet'),
    });
    assert.ok(hover === null || typeof hover === 'object');
    const path = await session.connection.sendRequest(PacketPathRequest.type, {
      textDocument: { uri: shopUri }, position: positionOf(garbage, 'expect'),
    });
    assert.equal(path, null);

    await session.change(shopUri, shopText);
    await session.nextDiagnostics(shopUri, (d) => errors(d).length === 0);
    assert.ok(session.alive);
  });
});
