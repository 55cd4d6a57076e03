/**
 * The extension in a real VS Code: code-server (VS Code served to a browser) with our .vsix
 * installed, driven by headless Chromium through playwright-core.
 *
 * It checks what a user sees: the failing expectation in the Problems panel, the code lenses above
 * the `expect` statements, the hop table in the hover, and the packet path panel opened from the
 * command palette, whose diagram is an SVG inside the webview's iframe (screenshot saved to
 * test-artifacts/code-server-packet-path.png). Last, it opens samples/blackfoot in a fresh window and
 * photographs the panel on the article's flow, with the internet gateway's 1:1 NAT selected: that
 * picture (test-artifacts/packet-path-sample.png) is the one in the README: to refresh it, copy it to
 * docs/images/packet-path.png and shrink it losslessly (`optipng -o3 -strip all`, about 330 KB to 260 KB).
 *
 * Needs code-server (scripts/install-code-server.sh, into .tools/code-server) and /usr/bin/chromium.
 * When either is missing the test fails and says how to install it: CI installs both.
 * Overrides: VNET_TOOLS_DIR (the install script's tool folder, default .tools), VNET_CODE_SERVER (the code-server executable), VNET_CODE_SERVER_NODE_BIN (folder of
 * the Node 24 it runs on), VNET_CHROMIUM (the browser).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const toolDir = join(process.env.VNET_TOOLS_DIR ?? join(root, '.tools'), 'code-server');
const codeServer = process.env.VNET_CODE_SERVER ?? join(toolDir, 'app/node_modules/.bin/code-server');
const node24Bin = process.env.VNET_CODE_SERVER_NODE_BIN ?? join(toolDir, 'node24/node_modules/.bin');
const chromiumPath = process.env.VNET_CHROMIUM ?? '/usr/bin/chromium';
const vsix = join(root, 'out/vnet-0.1.0.vsix');
const fixture = join(root, 'test/e2e/fixtures/code-server');
const artifacts = join(root, 'test-artifacts');
const screenshot = join(artifacts, 'code-server-packet-path.png');
const sample = join(root, 'samples/blackfoot');
const sampleShot = join(artifacts, 'packet-path-sample.png');
/** The flow of the Blackfoot article: vm1 (10.1.0.5, public 52.0.0.9) asks 8.8.8.8 over DNS. */
const SAMPLE_EXPECT = 'expect vm1 -> google-dns udp 53 reachable';

/** The two statements of the fixture: the first holds, the second is deliberately wrong. */
const HOLDS = 'expect client -> web tcp 443 reachable';
const FAILS = 'expect client -> web tcp 22 reachable';

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, what: string): void {
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`.slice(0, 4000));
  }
}

/** The .vsix, packaged again when it is missing or older than what goes into it. */
function ensureVsix(): void {
  const inputs = ['out/extension/main.cjs', 'out/language/main.cjs', 'out/webview/main.js', 'package.json']
    .map((p) => join(root, p));
  if (!inputs.slice(0, 2).every(existsSync)) run('npm', ['run', 'build'], process.env, 'npm run build');
  const newest = Math.max(...inputs.filter(existsSync).map((p) => statSync(p).mtimeMs));
  if (!existsSync(vsix) || statSync(vsix).mtimeMs < newest) run('npm', ['run', 'package'], process.env, 'npm run package');
  assert.ok(existsSync(vsix), `${vsix} was not built`);
}

/** Text of the elements (their textContent for SVG, which has no innerText), non-breaking spaces made plain. */
async function texts(page: Page | Frame, selector: string): Promise<string[]> {
  const locator = page.locator(selector);
  const inner = await locator.allInnerTexts();
  const content = await locator.allTextContents();
  return inner.map((t, i) => (t ?? content[i] ?? '').replace(/\u00a0/g, ' '));
}

async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('code-server: the extension in a real VS Code', function () {
  this.timeout(300_000);

  let work: string;
  let base: string;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  /** Scrolls the editor to the line of `file` that starts with `text` (Go to Line), so that it is rendered. */
  async function revealLine(text: string, file = join(fixture, 'shop.vnet')): Promise<void> {
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith(text)) + 1;
    assert.ok(line > 0, `${file} has no line starting with "${text}"`);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
  }

  /** Center of the rendered editor line whose text starts with `text`. */
  async function lineBox(text: string, file?: string): Promise<{ x: number; y: number; height: number }> {
    await revealLine(text, file);
    return waitUntil(`the editor line "${text}"`, 30_000, async () => {
      const lines = page.locator('.monaco-editor .view-lines .view-line');
      const n = await lines.count();
      for (let i = 0; i < n; i++) {
        const t = (await lines.nth(i).innerText()).replace(/\u00a0/g, ' ');
        if (t.trim().startsWith(text)) {
          const box = await lines.nth(i).boundingBox();
          if (box) return { x: box.x, y: box.y + box.height / 2, height: box.height };
        }
      }
      return undefined;
    });
  }

  /** Puts the cursor at the start of the line whose text starts with `text`. */
  async function placeCursor(text: string, file?: string): Promise<void> {
    const box = await lineBox(text, file);
    await page.mouse.click(box.x + 2, box.y);
    await page.keyboard.press('Home');
  }

  /** Opens a file of the workspace from Quick Open, like a user. */
  async function quickOpen(name: string): Promise<void> {
    await waitUntil(`Quick Open to find ${name}`, 60_000, async () => {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').waitFor({ timeout: 5000 });
      await page.keyboard.type(name);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name });
      try {
        await row.first().waitFor({ timeout: 5000 });
      } catch {
        await page.keyboard.press('Escape');
        return undefined;
      }
      await page.keyboard.press('Enter');
      return true;
    });
  }

  /** Runs a command from the command palette by its title. */
  async function runCommand(title: string, rowText = title): Promise<void> {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type(title);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
  }

  /** A webview is an iframe holding another iframe: the frame whose diagram has a node matching `node`. */
  async function diagramFrame(node = 'svg .node'): Promise<Frame> {
    return waitUntil('the packet path diagram in a webview frame', 60_000, async () => {
      for (const f of page.frames()) {
        if (await f.locator(node).count().catch(() => 0)) return f;
      }
      return undefined;
    });
  }

  before(async function () {
    if (!existsSync(codeServer)) {
      throw new Error(`code-server is not installed at ${codeServer}: run scripts/install-code-server.sh (CI does), or set VNET_CODE_SERVER`);
    }
    if (!existsSync(join(node24Bin, 'node'))) {
      throw new Error(`Node 24 for code-server is missing at ${node24Bin}: run scripts/install-code-server.sh (CI does)`);
    }
    if (!existsSync(chromiumPath)) {
      throw new Error(`Chromium is missing at ${chromiumPath}: apt-get install chromium (CI does), or set VNET_CHROMIUM`);
    }
    ensureVsix();

    work = mkdtempSync(join(tmpdir(), 'vnet-code-server-'));
    const userData = join(work, 'user-data');
    const extensions = join(work, 'extensions');
    const folder = join(work, 'shop');
    cpSync(fixture, folder, { recursive: true });
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
      'editor.hover.delay': 200,
      'editor.codeLens': true,
      'editor.minimap.enabled': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.commandCenter.enabled': false,
    }, null, 2));
    // code-server writes its config and state under XDG folders: keep them in the scratch folder.
    const env = {
      ...process.env,
      PATH: `${node24Bin}:${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: join(work, 'config'),
      XDG_DATA_HOME: join(work, 'data'),
      XDG_CACHE_HOME: join(work, 'cache'),
    };
    const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
    run(codeServer, [...common, '--install-extension', vsix], env, 'code-server --install-extension');

    const port = await freePort();
    mkdirSync(artifacts, { recursive: true });
    const log = openSync(join(artifacts, 'code-server.log'), 'w');
    // Its own process group: code-server forks helpers (extension host, language server, ...);
    // after() ends the whole group and nothing else.
    server = spawn(codeServer, [
      ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', '--config', join(work, 'config.yaml'), folder,
    ], { env, detached: true, stdio: ['ignore', log, log] });
    let exited: string | undefined;
    server.once('exit', (code, signal) => { exited = `code-server exited (${code ?? signal}); see test-artifacts/code-server.log`; });
    base = `http://127.0.0.1:${port}`;
    await waitUntil('code-server to answer /healthz', 60_000, async () => {
      if (exited) throw new Error(exited);
      const r = await fetch(`${base}/healthz`).catch(() => undefined);
      return r?.ok ? true : undefined;
    }).catch((error: unknown) => { throw new Error(exited ?? String(error)); });

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    await quickOpen('shop.vnet');
    await lineBox(HOLDS);
  });

  after(async function () {
    await browser?.close().catch(() => undefined);
    if (server?.pid !== undefined && server.exitCode === null) {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone already */ }
      const stopped = await Promise.race([
        new Promise<boolean>((r) => server!.once('exit', () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
      ]);
      if (!stopped) try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone already */ }
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // A picture of the page when a step fails, to see what the user would have seen.
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      mkdirSync(artifacts, { recursive: true });
      const name = (this.currentTest.title.split(' ').slice(0, 4).join('-')).replace(/[^\w-]/g, '');
      await page.screenshot({ path: join(artifacts, `code-server-failed-${name}.png`) }).catch(() => undefined);
    }
  });

  it('lists the failing expectation in the Problems panel, and only that one', async function () {
    // The language server publishes after the extension starts it; wait for the squiggle.
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 90_000 });
    await page.keyboard.press('Control+Shift+M');
    // The tree: level 1 = a file, level 2 = its problems, level 3 = a problem's related information.
    const problems = await waitUntil('Problems panel rows', 30_000, async () => {
      const files = await texts(page, '.markers-panel .monaco-list-row[aria-level="1"]');
      const r = await texts(page, '.markers-panel .monaco-list-row[aria-level="2"]');
      return files.some((f) => f.includes('shop.vnet')) && r.length >= 1 ? r : undefined;
    });
    assert.equal(problems.length, 1, `expected exactly one problem, got ${JSON.stringify(problems)}`);
    // SSH is not admitted by web-sg: the engine's explanation code is the Reachability Analyzer's.
    assert.match(problems[0]!, /ENI_SG_RULES_MISMATCH/, `the problem should name the explanation code: ${problems[0]}`);
    assert.match(problems[0]!, /\[Ln 32/, `the problem should be on the failing statement's line (32): ${problems[0]}`);
    await page.keyboard.press('Control+J'); // hide the panel again: the editor gets its room back
  });

  it('shows a code lens above every expect statement', async function () {
    await revealLine(FAILS);
    const lenses = await waitUntil('two code lenses', 60_000, async () => {
      const l = await texts(page, '.monaco-editor .codelens-decoration');
      return l.filter((t) => t.trim()).length >= 2 ? l : undefined;
    });
    assert.ok(lenses.some((l) => /reachable in \d+ hops?/.test(l)), `no "reachable in N hops" lens in ${JSON.stringify(lenses)}`);
    assert.ok(lenses.some((l) => /ENI_SG_RULES_MISMATCH.*expected reachable/.test(l)),
      `no lens for the failing statement in ${JSON.stringify(lenses)}`);
  });

  it('shows the hop table when hovering an expect statement', async function () {
    await page.keyboard.press('Escape');
    const box = await lineBox(HOLDS);
    const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible').first();
    await waitUntil('the hover over `expect`', 30_000, async () => {
      await page.mouse.move(box.x + 200, box.y + 200);
      await page.mouse.move(box.x + 12, box.y);
      try {
        await hover.waitFor({ timeout: 3000 });
        return true;
      } catch {
        return undefined;
      }
    });
    const table = hover.locator('table');
    await table.first().waitFor({ timeout: 10_000 });
    const rows = await table.first().locator('tr').count();
    const text = (await hover.innerText()).replace(/\u00a0/g, ' ');
    assert.ok(rows >= 3, `the hop table should have a header and several hops, got ${rows} rows:\n${text}`);
    assert.match(text, /igw/, `the hops should pass the internet gateway:\n${text}`);
    assert.match(text, /web-sg/, `the hops should pass web-sg:\n${text}`);
    await page.mouse.move(5, 5);
  });

  it('opens the packet path panel from the command palette, with the diagram', async function () {
    await placeCursor(FAILS);
    await runCommand('VNet: Show Packet Path', 'Show Packet Path');
    const frame = await diagramFrame();
    const nodes = await texts(frame, 'svg .node');
    assert.ok(nodes.length >= 2, `the diagram should show the hops, got ${JSON.stringify(nodes)}`);
    const components = (await texts(frame, 'svg .node-component')).join(' | ');
    assert.match(components, /web-sg/, `the diagram should show the security group that drops SSH: ${components}`);
    assert.ok(await frame.locator('svg .node.dropped').count() >= 1, 'the diagram should mark the hop that drops the packet');
    const drop = (await texts(frame, 'svg .node.dropped')).join(' ');
    assert.match(drop, /ENI_SG_RULES_MISMATCH/, `the dropping hop should carry its explanation code: ${drop}`);
    // The panel beside the editor is narrow (~600 px): the lanes squeeze to fit, so the whole path,
    // from the source lane on the left to the drop, is in sight without scrolling sideways.
    const [scrollWidth, clientWidth, scrollLeft] = await frame.evaluate(
      '(b => [b.scrollWidth, b.clientWidth, b.scrollLeft])(document.querySelector(".diagram-scroll"))') as number[];
    assert.ok(scrollWidth <= clientWidth, `the diagram (${scrollWidth} px) should fit the panel (${clientWidth} px)`);
    assert.equal(scrollLeft, 0, 'the source lane should be in sight');

    mkdirSync(artifacts, { recursive: true });
    await page.waitForTimeout(500); // let the panel finish its layout before the picture
    await page.screenshot({ path: screenshot });
    assert.ok(existsSync(screenshot));
    assert.deepEqual(pageErrors.filter((e) => /vnet/i.test(e)), [], 'no page errors from the extension');
  });

  it('photographs the panel on samples/blackfoot with the internet gateway\'s 1:1 NAT selected (the README picture)', async function () {
    // A fresh window on a copy of the sample: the workspace holds the sample and nothing else.
    const folder = join(work, 'blackfoot');
    cpSync(sample, folder, { recursive: true });
    const file = join(folder, 'blackfoot.vnet');
    await page.setViewportSize({ width: 1440, height: 1180 }); // tall enough for the hop's headers beside the diagram
    await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await quickOpen('blackfoot.vnet');
    await revealLine(SAMPLE_EXPECT, file);
    await waitUntil('the code lens of the sample\'s expectations', 90_000, async () => {
      const lenses = await texts(page, '.monaco-editor .codelens-decoration');
      return lenses.some((l) => /reachable in \d+ hops/.test(l)) ? true : undefined;
    });
    await runCommand('View: Close Primary Side Bar');
    await placeCursor(SAMPLE_EXPECT, file);
    await runCommand('VNet: Show Packet Path', 'Show Packet Path');
    await diagramFrame('svg .node[data-place="blackfoot"]');

    // Room for the diagram and the headers side by side, as on a wide screen: the sash between the
    // editor and the panel moves left until the editor just holds the sample's expect lines.
    const editorPart = (await page.locator('.part.editor').boundingBox())!;
    const sash = await waitUntil('the sash between the editor and the panel', 10_000, async () => {
      for (const s of await page.locator('.part.editor .monaco-sash.vertical').all()) {
        const box = await s.boundingBox();
        if (box && box.height > editorPart.height / 2 && box.x > editorPart.x + 100) return box;
      }
      return undefined;
    });
    const from = { x: sash.x + sash.width / 2, y: sash.y + sash.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(editorPart.x + 430, from.y, { steps: 12 });
    await page.mouse.up();

    // The diagram redraws for its new width; wait for the details column beside it.
    const frame = await diagramFrame('#app.split svg .node[data-place="blackfoot"]');
    const lanes = await frame.evaluate('[...document.querySelectorAll(".lane-label")].map(t => t.getAttribute("aria-label"))') as string[];
    assert.deepEqual(lanes, ['Source', 'Source host', 'Underlay', 'Blackfoot edge', 'Destination', 'Internet'],
      'one lane per place: vm1, its host, the underlay, the Blackfoot edge, 8.8.8.8, and the internet the reply crosses');
    const nat = frame.locator('g.node[data-place="blackfoot"][data-action="translate"]').first();
    assert.equal(await nat.locator('.node-component').textContent(), 'zigi-vpc1.zigi-igw');
    assert.match(await nat.getAttribute('class') ?? '', /verdict-translate/);
    await nat.click();
    assert.match(await nat.getAttribute('class') ?? '', /selected/);

    // The headers as the packet leaves the edge: 1:1 NAT rewrote the source 10.1.0.5 to 52.0.0.9.
    const src = frame.locator('.hop-details .stack-after .header[data-kind="ipv4"] > .fields tr[data-field="src"]');
    await src.waitFor({ timeout: 10_000 });
    assert.equal(await src.locator('.new-value').textContent(), '52.0.0.9');
    assert.equal(await src.locator('.old-value').textContent(), '10.1.0.5');
    assert.match(await src.getAttribute('class') ?? '', /changed/);
    assert.equal(await frame.locator('.hop-details .stack-after .header[data-kind="ipv4"] > .fields tr[data-field="dst"] .new-value').textContent(), '8.8.8.8');
    // On arrival the packet was still in the (modelled) VPC encapsulation.
    assert.equal(await frame.locator('.hop-details .stack-before .header.modelled[data-kind="vpc-encap"]').count(), 1);
    assert.match(await frame.locator('.hop-details .mtu').textContent() ?? '', /^1500 bytes$/);

    // Clicking the hop revealed its deciding rule in the editor: the selection covers vm1's public address.
    await waitUntil('the selection on the line `public-ip 52.0.0.9`', 10_000, async () => {
      const lines = page.locator('.part.editor .monaco-editor .view-lines .view-line');
      let line: { y: number; height: number } | undefined | null;
      for (let i = 0; i < await lines.count(); i++) {
        if ((await lines.nth(i).innerText()).replace(/\u00a0/g, ' ').includes('public-ip 52.0.0.9')) line = await lines.nth(i).boundingBox();
      }
      if (!line) return undefined;
      const middle = line.y + line.height / 2;
      for (const selected of await page.locator('.part.editor .monaco-editor .selected-text').all()) {
        const box = await selected.boundingBox();
        if (box && box.y <= middle && middle <= box.y + box.height) return true;
      }
      return undefined;
    });

    mkdirSync(artifacts, { recursive: true });
    // The pointer on the status bar, outside the picture: no hover, and the editor's scrollbar fades out.
    await page.mouse.move(2, (page.viewportSize()?.height ?? 1180) - 2);
    await page.waitForTimeout(2000);
    const clip = (await page.locator('.part.editor').boundingBox())!;
    await page.screenshot({ path: sampleShot, clip });
    assert.ok(statSync(sampleShot).size > 10_000, 'the picture has content');
    assert.deepEqual(pageErrors.filter((e) => /vnet/i.test(e)), [], 'no page errors from the extension');
  });
});
