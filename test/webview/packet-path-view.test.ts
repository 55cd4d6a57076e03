/**
 * The packet path webview in headless Chromium: the real page, bundle and stylesheet under the real
 * Content Security Policy, fed the messages the panel sends.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { bundleWebview, launchChromium, openView, removeBundle, ROOT, type Bundle, type View } from './harness.js';
import { hopIndex, natPath, ORIGIN, RETURN_DROP_RULE, reachablePath, returnDropPath } from './fixtures.js';

describe('packet path webview (Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let bundle: Bundle;
  const views: View[] = [];

  before(async () => {
    bundle = await bundleWebview();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    removeBundle(bundle);
  });

  async function open(options?: Parameters<typeof openView>[2]): Promise<View> {
    const view = await openView(browser, bundle, options);
    views.push(view);
    return view;
  }

  // Every page of every test: no CSP violation, no uncaught error.
  afterEach(async () => {
    for (const view of views.splice(0)) {
      assert.deepEqual(await view.violations(), [], 'CSP violations');
      assert.deepEqual(view.errors, [], 'page errors');
      await view.page.close();
    }
  });

  it('bundles into one small browser script', () => {
    assert.ok(bundle.bytes > 1000, 'the bundle holds the view');
    assert.ok(bundle.bytes < 60_000, `bundle is ${bundle.bytes} bytes; keep it small (no layout library)`);
    assert.doesNotMatch(bundle.script, /innerHTML|\beval\(|new Function\(/);
  });

  it('says ready, then asks for a cursor on an expect statement until a path arrives', async () => {
    const view = await open();
    assert.deepEqual(await view.sent(), [{ type: 'ready' }]);
    assert.match(await view.page.locator('.no-path').textContent() ?? '', /cursor on an expect/);
    assert.equal(await view.page.locator('svg.diagram').count(), 0);
  });

  it('draws a reachable path: one lane per place used, a node per hop, forward then return', async () => {
    const view = await open();
    const path = reachablePath();
    await view.post({ type: 'showPath', path });
    const { page } = view;
    assert.deepEqual(await page.locator('.lane-label').allTextContents(),
      ['Source', 'Source host', 'Underlay', 'Destination host', 'Destination']);
    assert.equal(await page.locator('g.node').count(), path.result.hops.length);
    assert.deepEqual(await page.locator('.section-title').allTextContents(), ['Forward', 'Return']);
    // The return path is drawn below the forward path.
    const lastForward = await page.locator('g.node[data-hop="10"] rect').getAttribute('y');
    const firstReturn = await page.locator('g.node[data-hop="11"] rect').getAttribute('y');
    assert.ok(Number(firstReturn) > Number(lastForward));
    // Verdicts at the nodes.
    assert.equal(await page.locator('g.node.verdict-pass').count(), path.result.hops.filter(h => h.action === 'allow' || h.action === 'deliver').length);
    assert.equal(await page.locator('g.node.dropped').count(), 0);
    assert.equal(await page.locator('g.node[data-hop="1"] .node-action').textContent(), 'allow · security-group');
    // Header line: expectation, expected vs actual, holds.
    assert.equal(await page.locator('.expectation').textContent(), 'expect web -> app tcp 8080 reachable');
    assert.equal(await page.locator('.expected').textContent(), 'reachable');
    assert.equal(await page.locator('.actual').textContent(), 'reachable');
    assert.match(await page.locator('.badge-holds').textContent() ?? '', /holds/);
    assert.match(await page.locator('.flow').textContent() ?? '', /tcp 10\.0\.1\.10:49152 → 10\.0\.2\.20:8080/);
  });

  it('ends a path dropped on the return in a red node naming the component, the rule and the code', async () => {
    const view = await open();
    const path = returnDropPath();
    await view.post({ type: 'showPath', path });
    const { page } = view;
    // Lanes in the order the packet meets them: it comes from the internet.
    assert.deepEqual(await page.locator('.lane-label').allTextContents(),
      ['Internet', 'Blackfoot edge', 'Underlay', 'Destination host', 'Destination']);
    const drop = page.locator('g.node.dropped');
    assert.equal(await drop.count(), 1);
    assert.equal(await drop.getAttribute('data-hop'), String(path.result.hops.length - 1));
    assert.match(await drop.getAttribute('class') ?? '', /verdict-fail/);
    assert.equal(await drop.locator('.node-component').textContent(), 'shop.public-acl');
    assert.equal(await drop.locator('.node-code').textContent(), 'SUBNET_ACL_RESTRICTION');
    assert.match(await drop.locator('.node-rule').textContent() ?? '', /^outbound \* deny all/);
    assert.match(await drop.locator('title').textContent() ?? '', new RegExp(`Rule: ${RETURN_DROP_RULE.replace(/[*()]/g, '\\$&')}`));
    // The drop node sits in the return section.
    assert.ok(Number(await drop.locator('rect').getAttribute('y')) > Number(await page.locator('g.node[data-hop="8"] rect').getAttribute('y')));
    // Header line.
    assert.match(await page.locator('.badge-fails').textContent() ?? '', /does not hold/);
    assert.equal(await page.locator('.actual').textContent(), 'unreachable');
    const summary = await page.locator('.drop-summary').textContent() ?? '';
    assert.match(summary, /Dropped at shop\.public-acl on the return path · SUBNET_ACL_RESTRICTION/);
    // Until the user picks a hop, the details show the hop that dropped the packet.
    assert.equal(await page.locator('.hop-details').getAttribute('data-hop'), String(path.result.hops.length - 1));
    assert.match(await page.locator('.hop-details .stack-after').textContent() ?? '', /Nothing leaves/);
  });

  it('shows a NAT hop: nested header stacks, modelled encapsulation, changed fields, MTU', async () => {
    const view = await open();
    const path = natPath();
    await view.post({ type: 'showPath', path });
    const { page } = view;
    const igw = hopIndex(path, h => h.component === 'shop.igw' && h.action === 'translate' && h.direction === 'forward');
    await page.locator(`g.node[data-hop="${igw}"]`).click();
    assert.match(await page.locator(`g.node[data-hop="${igw}"]`).getAttribute('class') ?? '', /selected verdict-translate|verdict-translate.*selected/);
    const details = page.locator('.hop-details');
    assert.equal(await details.getAttribute('data-hop'), String(igw));
    assert.equal(await details.locator('.mtu').textContent(), '1500 bytes');

    // On arrival: underlay IPv4 ⊃ UDP ⊃ VPC encapsulation ⊃ IPv4 ⊃ TCP, the three outer ones modelled.
    const before = details.locator('.stack-before');
    assert.deepEqual(await page.evaluate(
      '[...document.querySelectorAll(".stack-before .header")].map(h => h.dataset.kind + (h.classList.contains("modelled") ? "*" : ""))'),
      ['ipv4*', 'udp*', 'vpc-encap*', 'ipv4', 'tcp']);
    // Nested: each header box is inside the previous one.
    assert.equal(await before.locator('.header[data-kind="udp"] .header[data-kind="vpc-encap"] .header[data-kind="ipv4"] .header[data-kind="tcp"]').count(), 1);
    assert.equal(await before.locator('.badge-modelled').count(), 3);
    const encap = before.locator('.header[data-kind="vpc-encap"] > .fields');
    assert.equal(await encap.locator('tr[data-field="vpc id"] .new-value').textContent(), 'vpc-0c4f1a7e93b2d5860');
    assert.equal(await encap.locator('tr[data-field="src interface"] .new-value').textContent(), 'eni-0a3f9c2e7d41b6805');

    // On leaving: the internet leg, source rewritten by 1:1 NAT and marked changed with its old value.
    const after = details.locator('.stack-after');
    assert.equal(await after.locator('.badge-modelled').count(), 0);
    const src = after.locator('.header[data-kind="ipv4"] > .fields tr[data-field="src"]');
    assert.match(await src.getAttribute('class') ?? '', /changed/);
    assert.equal(await src.locator('.old-value').textContent(), '10.0.1.10');
    assert.equal(await src.locator('.new-value').textContent(), '54.210.33.7');
    assert.equal(await after.locator('tr.changed').count(), 1);
    assert.equal(await after.locator('tr[data-field="dst"] .new-value').textContent(), '93.184.216.34');

    // Clicking the hop revealed its component (an internet gateway hop has no rule).
    const sent = await view.sent();
    assert.deepEqual(sent.slice(-2), [
      { type: 'select', hopIndex: igw },
      { type: 'reveal', uri: ORIGIN.igw.uri, range: { start: ORIGIN.igw.start, end: ORIGIN.igw.end } },
    ]);
  });

  it('clicking a hop with a deciding rule reveals the rule, not the component', async () => {
    const view = await open();
    const path = natPath();
    await view.post({ type: 'showPath', path });
    const route = hopIndex(path, h => h.kind === 'route-table');
    await view.clearSent();
    await view.page.locator(`g.node[data-hop="${route}"]`).click();
    assert.deepEqual(await view.sent(), [
      { type: 'select', hopIndex: route },
      { type: 'reveal', uri: ORIGIN.publicRtDefault.uri, range: { start: ORIGIN.publicRtDefault.start, end: ORIGIN.publicRtDefault.end } },
    ]);
    // The details offer both places.
    await view.clearSent();
    await view.page.locator('.hop-details .component-link').click();
    assert.deepEqual(await view.sent(), [
      { type: 'reveal', uri: ORIGIN.publicRt.uri, range: { start: ORIGIN.publicRt.start, end: ORIGIN.publicRt.end } },
    ]);
  });

  it('is keyboard navigable: Tab reaches the path, arrows move, Enter selects', async () => {
    const view = await open();
    const path = reachablePath();
    await view.post({ type: 'showPath', path });
    const { page } = view;
    // One tab stop for the whole diagram (roving tabindex).
    assert.equal(await page.locator('g.node[tabindex="0"]').count(), 1);
    await page.locator('button.pin').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.dataset.hop'), '0');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate('document.activeElement.dataset.hop'), '2');
    await view.clearSent();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.hop-details').getAttribute('data-hop'), '2');
    assert.match(await page.locator('g.node[data-hop="2"]').getAttribute('class') ?? '', /selected/);
    assert.equal(await page.locator('g.node[data-hop="2"]').getAttribute('aria-pressed'), 'true');
    assert.deepEqual((await view.sent()).map(m => m.type), ['select', 'reveal']);
    await page.keyboard.press('End');
    assert.equal(await page.evaluate('document.activeElement.dataset.hop'), String(path.result.hops.length - 1));
    await page.keyboard.press(' ');
    assert.equal(await page.locator('.hop-details').getAttribute('data-hop'), String(path.result.hops.length - 1));
  });

  it('pins and unpins the expectation', async () => {
    const view = await open();
    await view.post({ type: 'showPath', path: reachablePath() });
    await view.clearSent();
    const pin = view.page.locator('button.pin');
    assert.equal(await pin.getAttribute('aria-pressed'), 'false');
    await pin.click();
    assert.equal(await view.page.locator('button.pin').getAttribute('aria-pressed'), 'true');
    await view.page.locator('button.pin').click();
    assert.deepEqual(await view.sent(), [{ type: 'pin', pinned: true }, { type: 'pin', pinned: false }]);
  });

  it('keeps the selection when the same expectation is re-analysed, and shows why when there is no path', async () => {
    const view = await open();
    await view.post({ type: 'showPath', path: reachablePath() });
    await view.page.locator('g.node[data-hop="4"]').click();
    const again = reachablePath();
    again.analysisVersion = 9;
    await view.post({ type: 'showPath', path: again });
    assert.equal(await view.page.locator('.hop-details').getAttribute('data-hop'), '4');
    await view.post({ type: 'noPath', reason: 'The expect statement is gone (line 41 was edited).' });
    assert.equal(await view.page.locator('.no-path').textContent(), 'The expect statement is gone (line 41 was edited).');
    assert.equal(await view.page.locator('svg.diagram').count(), 0);
  });

  it('survives a reload from the webview state (path, selection, pin) before the panel answers', async () => {
    const view = await open();
    await view.post({ type: 'showPath', path: natPath() });
    await view.page.locator('g.node[data-hop="6"]').click();
    await view.page.locator('button.pin').click();
    await view.page.reload();
    await view.page.waitForFunction('window.__sent.some(m => m.type === "ready")');
    assert.equal(await view.page.locator('.expectation').textContent(), 'expect web -> 93.184.216.34 tcp 443 reachable');
    assert.equal(await view.page.locator('.hop-details').getAttribute('data-hop'), '6');
    assert.equal(await view.page.locator('button.pin').getAttribute('aria-pressed'), 'true');
  });

  it('renders names from the user file as text, never as markup', async () => {
    const view = await open();
    const path = returnDropPath();
    const evil = '<img src=x onerror="window.__pwned=1">';
    path.result.hops[0].component = evil;
    path.result.hops[0].headers[0].fields[0].value = evil;
    path.expectation.text = `expect ${evil} -> web tcp 443 reachable`;
    await view.post({ type: 'showPath', path });
    await view.page.locator('g.node[data-hop="0"]').click();
    assert.equal(await view.page.locator('img').count(), 0);
    assert.equal(await view.page.evaluate('window.__pwned === undefined'), true);
    assert.equal(await view.page.locator('.expectation').textContent(), `expect ${evil} -> web tcp 443 reachable`);
    assert.equal(await view.page.locator('.hop-details .hop-component').textContent(), evil);
  });

  it('cuts a label too long for its node with an ellipsis and keeps the full text in the tooltip', async () => {
    const view = await open();
    const path = reachablePath();
    const long = 'shop.a-security-group-whose-name-goes-on-and-on-and-on';
    path.result.hops[1].component = long;
    await view.post({ type: 'showPath', path });
    const label = await view.page.locator('g.node[data-hop="1"] .node-component').textContent() ?? '';
    assert.ok(label.endsWith('…') && long.startsWith(label.slice(0, -1)) && label.length > 10, label);
    const [textWidth, boxWidth] = await view.page.evaluate(
      '[document.querySelector(\'g.node[data-hop="1"] .node-component\').getComputedTextLength(), Number(document.querySelector(\'g.node[data-hop="1"] rect\').getAttribute("width"))]') as [number, number];
    assert.ok(textWidth <= boxWidth - 32, `${textWidth} px of text in a ${boxWidth} px node`);
    assert.match(await view.page.locator('g.node[data-hop="1"] title').textContent() ?? '', new RegExp(long));
    // Short labels stay whole.
    assert.equal(await view.page.locator('g.node[data-hop="2"] .node-action').textContent(), 'allow · network-acl');
  });

  it('stays readable in a narrow panel: the diagram scrolls sideways, the page does not', async () => {
    const view = await open({ width: 320 });
    await view.post({ type: 'showPath', path: natPath() });
    const { page } = view;
    const [scrollWidth, clientWidth] = await page.evaluate(
      '(e => [e.scrollWidth, e.clientWidth])(document.querySelector(".diagram-scroll"))') as [number, number];
    assert.ok(scrollWidth > clientWidth, 'the lanes scroll inside their box');
    assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 320, 'no page-wide horizontal scroll');
    // Keyboard focus scrolls the focused node into view: hop 7 is in the rightmost lane (internet).
    await page.locator('g.node[data-hop="0"]').focus();
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate('document.activeElement.dataset.place'), 'internet');
    assert.ok(Number(await page.evaluate('document.querySelector(".diagram-scroll").scrollLeft')) > 0);
  });

  it('draws in VS Code dark theme colours (screenshot in test-artifacts/packet-path.png)', async () => {
    const view = await open({ width: 900, height: 1400 });
    const path = natPath();
    await view.post({ type: 'showPath', path });
    const { page } = view;
    const igw = hopIndex(path, h => h.component === 'shop.igw' && h.direction === 'forward');
    await page.locator(`g.node[data-hop="${igw}"]`).click();
    assert.equal(await page.evaluate('getComputedStyle(document.body).backgroundColor'), 'rgb(31, 31, 31)');
    assert.equal(await page.evaluate('getComputedStyle(document.querySelector(".badge-holds")).color'), 'rgb(115, 201, 145)');
    const dir = join(ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    // The summary is sticky: scroll to the top so the full-page shot shows it where it belongs.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(dir, 'packet-path.png'), fullPage: true });

    const drop = await open({ width: 900, height: 1200 });
    await drop.post({ type: 'showPath', path: returnDropPath() });
    assert.equal(await drop.page.evaluate('getComputedStyle(document.querySelector("g.node.dropped .node-box")).stroke'), 'rgb(248, 81, 73)');
    await drop.page.screenshot({ path: join(dir, 'packet-path-drop.png'), fullPage: true });
  });
});
