/**
 * PacketPathPanel (extension/packet-path-panel.ts) against a fake `vscode` (fake-vscode.ts) and a
 * fake language client whose requests the tests answer by hand: what the panel asks the server,
 * what it posts to the webview, and what it does with the webview's messages.
 */
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PacketPath } from '../../server/protocol.js';
import type { ToWebviewMessage } from '../../extension/webview-messages.js';
import { ROOT } from './harness.js';
import { engineFixtures, positionOf, SHOP_URI, type Fixtures } from './fixtures.js';
import type * as Fake from './fake-vscode.js';
import type { PacketPathPanel as Panel } from '../../extension/packet-path-panel.js';

interface PendingRequest {
  method: string;
  params: { textDocument: { uri: string }; position: { line: number; character: number } };
  resolve(value: PacketPath | null): void;
  reject(error: Error): void;
}

class FakeClient {
  readonly requests: PendingRequest[] = [];
  sendRequest(type: { method: string }, params: PendingRequest['params']): Promise<PacketPath | null> {
    return new Promise((resolve, reject) => this.requests.push({ method: type.method, params, resolve, reject }));
  }
  get last(): PendingRequest { return this.requests[this.requests.length - 1]; }
}

/** Lets promise callbacks and zero-delay timers run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise(resolve => setTimeout(resolve, 0));
}

describe('packet path panel (fake VS Code)', () => {
  let PacketPathPanel: typeof Panel;
  let vscode: typeof Fake;
  let fixtures: Fixtures;
  let dir: string;
  let client: FakeClient;
  const context = { extensionUri: undefined as unknown as Fake.Uri, subscriptions: [] as { dispose(): void }[] };

  before(async () => {
    fixtures = await engineFixtures();
    dir = mkdtempSync(join(tmpdir(), 'vnet-panel-'));
    const outfile = join(dir, 'panel.cjs');
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['test/webview/panel-entry.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'silent',
      plugins: [{
        name: 'fake-vscode',
        setup(build) {
          build.onResolve({ filter: /^vscode$/ }, () => ({ path: join(ROOT, 'test/webview/fake-vscode.ts') }));
        },
      }],
    });
    const loaded = createRequire(import.meta.url)(outfile) as { PacketPathPanel: typeof Panel; vscode: typeof Fake };
    ({ PacketPathPanel, vscode } = loaded);
    PacketPathPanel.followDelayMs = 0;
    context.extensionUri = vscode.Uri.file('/ext');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    client = new FakeClient();
    vscode.fake.reset();
  });

  afterEach(() => {
    for (const panel of vscode.fake.panels) panel.dispose();
  });

  const at = (statement: string) => positionOf(statement);
  const show = (statement: string) =>
    PacketPathPanel.show(context as never, client as never, SHOP_URI, at(statement));
  const posted = (panel: Fake.FakePanel) => panel.webview.posted as ToWebviewMessage[];
  const lastPosted = (panel: Fake.FakePanel) => posted(panel)[posted(panel).length - 1];

  it('opens beside the editor with the strict page and asks the server for the expect at the cursor', async () => {
    show('expect web -> app');
    const [panel] = vscode.fake.panels;
    assert.equal(panel.viewType, 'vnet.packetPath');
    assert.deepEqual(panel.showOptions, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    assert.equal(panel.webview.options.enableScripts, true);
    assert.deepEqual((panel.webview.options.localResourceRoots as Fake.Uri[]).map(String), ['file:///ext/out/webview']);
    const html = panel.webview.html;
    assert.match(html, new RegExp(`default-src 'none'; style-src ${vscode.CSP_SOURCE.replace(/[.+]/g, '\\$&')}; img-src .* data:; script-src 'nonce-([A-Za-z0-9]{32})'`));
    const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(html)![1];
    assert.match(html, new RegExp(`<script nonce="${nonce}" src="${vscode.CSP_SOURCE.replace(/[.+]/g, '\\$&')}/ext/out/webview/main\\.js"></script>`));
    assert.match(html, /href="[^"]*\/ext\/out\/webview\/packet-path\.css"/);

    assert.equal(client.requests.length, 1);
    assert.equal(client.last.method, 'vnet/packetPath');
    assert.deepEqual(client.last.params, { textDocument: { uri: SHOP_URI }, position: at('expect web -> app') });
    client.last.resolve(fixtures.reachable);
    await settle();
    assert.deepEqual(lastPosted(panel), { type: 'showPath', path: fixtures.reachable });
    assert.equal(panel.title, 'Packet path: web → app');
  });

  it('gives a webview that (re)loads what it has when it says ready', async () => {
    show('expect web -> app');
    const [panel] = vscode.fake.panels;
    client.last.resolve(fixtures.reachable);
    await settle();
    const before = posted(panel).length;
    panel.webview.received.fire({ type: 'ready' });
    await settle();
    assert.equal(posted(panel).length, before + 1);
    assert.deepEqual(lastPosted(panel), { type: 'showPath', path: fixtures.reachable });
  });

  it('says why when there is no expect statement at the position, or the server fails', async () => {
    PacketPathPanel.show(context as never, client as never, SHOP_URI, { line: 1, character: 2 });
    const [panel] = vscode.fake.panels;
    client.last.resolve(null);
    await settle();
    assert.deepEqual(lastPosted(panel), { type: 'noPath', reason: 'There is no expect statement at shop.vnet:2.' });
    PacketPathPanel.refreshAll();
    client.last.reject(new Error('Request vnet/packetPath failed: server stopped'));
    await settle();
    assert.deepEqual(lastPosted(panel), { type: 'noPath', reason: 'The language server could not compute the path: Request vnet/packetPath failed: server stopped' });
  });

  it('reveals a hop in the editor: opens the document, selects the range, keeps focus in the view', async () => {
    const editor = new vscode.FakeEditor(SHOP_URI);
    vscode.window.visibleTextEditors = [editor];
    show('expect web -> app');
    const [panel] = vscode.fake.panels;
    const range = { start: at('0.0.0.0/0 -> igw'), end: { line: at('0.0.0.0/0 -> igw').line, character: 20 } };
    panel.webview.received.fire({ type: 'reveal', uri: SHOP_URI, range });
    await settle();
    assert.equal(vscode.fake.shown.length, 1);
    const [shown] = vscode.fake.shown;
    assert.equal(shown.uri, SHOP_URI);
    assert.equal(shown.options.viewColumn, vscode.ViewColumn.One);
    assert.equal(shown.options.preserveFocus, true);
    assert.deepEqual({ ...(shown.options.selection as Fake.Range) }, range);
    assert.deepEqual({ ...editor.revealedRanges[0] }, range);
    // Malformed messages are ignored.
    panel.webview.received.fire({ type: 'reveal', uri: SHOP_URI });
    panel.webview.received.fire({ type: 'launch-missiles' });
    await settle();
    assert.equal(vscode.fake.shown.length, 1);
  });

  it('marks the declaration of the selected hop in the editor', async () => {
    const editor = new vscode.FakeEditor(SHOP_URI);
    vscode.window.visibleTextEditors = [editor];
    show('expect web -> 93.184.216.34');
    const [panel] = vscode.fake.panels;
    client.last.resolve(fixtures.nat);
    await settle();
    const igw = fixtures.nat.result.hops.findIndex(hop => hop.kind === 'internet-gateway');
    panel.webview.received.fire({ type: 'select', hopIndex: igw });
    await settle();
    const ranges = [...editor.decorations.values()].flat();
    assert.equal(ranges.length, 1);
    assert.equal(ranges[0].start.line, positionOf('internet-gateway igw').line);
  });

  it('follows the expect under the cursor, keeps the last path when the cursor leaves every expect, and stops when pinned', async () => {
    show('expect web -> app');
    const [panel] = vscode.fake.panels;
    client.last.resolve(fixtures.reachable);
    await settle();
    const editor = new vscode.FakeEditor(SHOP_URI);

    vscode.fake.selection.fire({ textEditor: editor, selections: [{ active: at('expect web -> 93.184.216.34') }] });
    await settle();
    assert.equal(client.requests.length, 2);
    assert.deepEqual(client.last.params.position, at('expect web -> 93.184.216.34'));
    client.last.resolve(fixtures.nat);
    await settle();
    assert.deepEqual(lastPosted(panel), { type: 'showPath', path: fixtures.nat });

    // Off every expect: nothing new is posted, and a later analysis still refreshes the NAT path.
    const count = posted(panel).length;
    vscode.fake.selection.fire({ textEditor: editor, selections: [{ active: at('route-table public {') }] });
    await settle();
    client.last.resolve(null);
    await settle();
    assert.equal(posted(panel).length, count);
    PacketPathPanel.refreshAll();
    assert.deepEqual(client.last.params.position, fixtures.nat.expectation.range.start);

    // Not a vnet editor: ignored.
    const requests = client.requests.length;
    vscode.fake.selection.fire({ textEditor: new vscode.FakeEditor('file:///ws/notes.md', 'markdown'), selections: [{ active: { line: 0, character: 0 } }] });
    await settle();
    assert.equal(client.requests.length, requests);

    // Pinned: the cursor is not followed.
    panel.webview.received.fire({ type: 'pin', pinned: true });
    vscode.fake.selection.fire({ textEditor: editor, selections: [{ active: at('expect client -> web') }] });
    await settle();
    assert.equal(client.requests.length, requests);
    panel.webview.received.fire({ type: 'pin', pinned: false });
    vscode.fake.selection.fire({ textEditor: editor, selections: [{ active: at('expect client -> web') }] });
    await settle();
    assert.equal(client.requests.length, requests + 1);
  });

  it('does not redraw when the cursor moves within the statement shown, but does after a new analysis', async () => {
    show('expect web -> app');
    const [panel] = vscode.fake.panels;
    client.last.resolve(fixtures.reachable);
    await settle();
    const count = posted(panel).length;
    const inside = { line: at('expect web -> app').line, character: 12 };
    vscode.fake.selection.fire({ textEditor: new vscode.FakeEditor(SHOP_URI), selections: [{ active: inside }] });
    await settle();
    assert.deepEqual(client.last.params.position, inside);
    client.last.resolve(fixtures.reachable);
    await settle();
    assert.equal(posted(panel).length, count);
    PacketPathPanel.refreshAll();
    client.last.resolve({ ...fixtures.reachable, analysisVersion: fixtures.reachable.analysisVersion + 1 });
    await settle();
    assert.equal(posted(panel).length, count + 1);
  });

  it('shows only the answer to the newest request', async () => {
    show('expect web -> app');
    const [panel] = vscode.fake.panels;
    const first = client.last;
    PacketPathPanel.refreshAll();
    const second = client.last;
    second.resolve(fixtures.nat);
    await settle();
    first.resolve(fixtures.reachable);
    await settle();
    assert.deepEqual(posted(panel).filter(m => m.type === 'showPath').map(m => m.type === 'showPath' && m.path.expectation.text),
      ['expect web -> 93.184.216.34 tcp 443 reachable']);
  });

  it('keeps asking for the same statement when lines are inserted or deleted above it', async () => {
    show('expect web -> 93.184.216.34');
    client.last.resolve(fixtures.nat);
    await settle();
    const start = fixtures.nat.expectation.range.start;
    // Two lines inserted at the top, one deleted in the middle, one edit below (ignored).
    vscode.fake.documentChange.fire({
      document: { uri: vscode.Uri.parse(SHOP_URI) },
      contentChanges: [
        { range: new vscode.Range(start.line + 1, 0, start.line + 1, 0), text: 'expect web -> app tcp 22 unreachable\n' },
        { range: new vscode.Range(3, 0, 4, 0), text: '' },
        { range: new vscode.Range(0, 0, 0, 0), text: '// a\n// b\n' },
      ],
    });
    PacketPathPanel.refreshAll();
    assert.deepEqual(client.last.params.position, { line: start.line + 1, character: start.character });
    // Another document's edits do not move it.
    vscode.fake.documentChange.fire({ document: { uri: vscode.Uri.parse('file:///ws/other.vnet') }, contentChanges: [{ range: new vscode.Range(0, 0, 0, 0), text: '\n\n' }] });
    PacketPathPanel.refreshAll();
    assert.deepEqual(client.last.params.position, { line: start.line + 1, character: start.character });
  });

  it('reuses an unpinned panel and opens another beside a pinned one', async () => {
    show('expect web -> app');
    client.last.resolve(fixtures.reachable);
    show('expect client -> web');
    assert.equal(vscode.fake.panels.length, 1);
    assert.equal(vscode.fake.panels[0].revealed, 1);
    assert.deepEqual(client.last.params.position, at('expect client -> web'));
    vscode.fake.panels[0].webview.received.fire({ type: 'pin', pinned: true });
    await settle();
    show('expect web -> 93.184.216.34');
    assert.equal(vscode.fake.panels.length, 2);
  });

  it('revives a panel after a window reload from the state its webview saved', async () => {
    PacketPathPanel.registerSerializer(context as never, client as never);
    const serializer = vscode.fake.serializers.get('vnet.packetPath');
    assert.ok(serializer, 'serializer registered for vnet.packetPath');
    const panel = new vscode.FakePanel('vnet.packetPath', 'Packet path', undefined);
    await serializer.deserializeWebviewPanel(panel, { path: fixtures.returnDrop, pinned: true, selectedHop: 3 });
    assert.equal(panel.webview.options.enableScripts, true);
    assert.match(panel.webview.html, /Content-Security-Policy/);
    assert.deepEqual(client.last.params, { textDocument: { uri: SHOP_URI }, position: fixtures.returnDrop.expectation.range.start });
    client.last.resolve(fixtures.returnDrop);
    await settle();
    assert.deepEqual(panel.webview.posted.at(-1), { type: 'showPath', path: fixtures.returnDrop });
    // It was pinned: the cursor is not followed.
    const requests = client.requests.length;
    vscode.fake.selection.fire({ textEditor: new vscode.FakeEditor(SHOP_URI), selections: [{ active: at('expect web -> app') }] });
    await settle();
    assert.equal(client.requests.length, requests);
    // Garbage state: revived without a target, says what to do.
    const empty = new vscode.FakePanel('vnet.packetPath', 'Packet path', undefined);
    await serializer.deserializeWebviewPanel(empty, 'garbage');
    assert.equal((empty.webview.posted.at(-1) as ToWebviewMessage).type, 'noPath');
    panel.dispose();
    empty.dispose();
  });

  it('forgets a closed panel', async () => {
    show('expect web -> app');
    const [panel] = vscode.fake.panels;
    panel.dispose();
    const requests = client.requests.length;
    PacketPathPanel.refreshAll();
    vscode.fake.selection.fire({ textEditor: new vscode.FakeEditor(SHOP_URI), selections: [{ active: at('expect client -> web') }] });
    await settle();
    assert.equal(client.requests.length, requests);
    assert.equal(vscode.fake.selection.size, 0, 'listeners disposed');
  });
});
