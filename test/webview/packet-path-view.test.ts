/**
 * The packet path webview in headless Chromium: the real page, bundle and stylesheet under the real
 * Content Security Policy, fed the messages the panel sends, with paths computed by the real engine
 * (fixtures.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Origin } from '../../engine/model.js';
import { DEFAULT_METRICS, laneOrder } from '../../extension/webview/path-layout.js';
import type { PacketPath } from '../../server/protocol.js';
import { bundleWebview, launchChromium, openView, removeBundle, ROOT, waitUntil, type Bundle, type View } from './harness.js';
import { engineFixtures, hopIndex, positionOf, type Fixtures } from './fixtures.js';

function rangeOf(origin: Origin | undefined) {
  assert.ok(origin, 'the hop has an origin');
  return { start: origin.start, end: origin.end };
}

describe('packet path webview (Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let bundle: Bundle;
  let fixtures: Fixtures;
  const views: View[] = [];
  /** A fresh copy: tests may change it. */
  const fixture = (name: keyof Fixtures): PacketPath => structuredClone(fixtures[name]);

  before(async () => {
    fixtures = await engineFixtures();
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
    const path = fixture('reachable');
    const { hops } = path.result;
    await view.post({ type: 'showPath', path });
    const { page } = view;
    // aria-label: the label whole, however many lines it is drawn on.
    assert.deepEqual(await page.evaluate('[...document.querySelectorAll(".lane-label")].map(t => t.getAttribute("aria-label"))'),
      ['Source', 'Source host', 'Underlay', 'Destination host', 'Destination']);
    assert.equal(await page.locator('g.node').count(), hops.length);
    assert.deepEqual(await page.locator('.section-title').allTextContents(), ['Forward', 'Return']);
    // The return path is drawn below the forward path.
    const lastForward = hops.filter(hop => hop.direction === 'forward').length - 1;
    assert.ok(Number(await page.locator(`g.node[data-hop="${lastForward + 1}"] rect`).getAttribute('y'))
      > Number(await page.locator(`g.node[data-hop="${lastForward}"] rect`).getAttribute('y')));
    assert.equal(hops[lastForward].action, 'deliver');
    // Verdicts at the nodes.
    assert.equal(await page.locator('g.node.verdict-pass').count(), hops.filter(h => h.action === 'allow' || h.action === 'deliver').length);
    assert.equal(await page.locator('g.node.dropped').count(), 0);
    const sg = hopIndex(path, hop => hop.kind === 'security-group');
    assert.equal(await page.locator(`g.node[data-hop="${sg}"] .node-action`).textContent(), 'allow · security-group');
    assert.equal(await page.locator(`g.node[data-hop="${sg}"] .node-glyph`).textContent(), '✓');
    // Header line: expectation, expected vs actual, holds.
    assert.equal(await page.locator('.expectation').textContent(), 'expect web -> app tcp 8080 reachable');
    assert.equal(await page.locator('.expected').textContent(), 'reachable');
    assert.equal(await page.locator('.actual').textContent(), 'reachable');
    assert.match(await page.locator('.badge-holds').textContent() ?? '', /holds/);
    assert.match(await page.locator('.flow').textContent() ?? '', /tcp 10\.0\.1\.10:\d+ → 10\.0\.2\.20:8080/);
    // Screen readers hear the verdict through the status region.
    assert.equal(await page.locator('[role="status"]').textContent(), 'expect web -> app tcp 8080 reachable: holds, reachable.');
  });

  it('ends a path dropped on the return in a red node naming the component, the rule and the code', async () => {
    const view = await open();
    const path = fixture('returnDrop');
    const { hops } = path.result;
    await view.post({ type: 'showPath', path });
    const { page } = view;
    // Lanes in the order the packet meets them: it comes from a host on the internet.
    assert.deepEqual(await page.evaluate('[...document.querySelectorAll(".lane-label")].map(t => t.getAttribute("aria-label"))'),
      ['Source', 'Internet', 'Blackfoot edge', 'Underlay', 'Destination host', 'Destination']);
    const drop = page.locator('g.node.dropped');
    assert.equal(await drop.count(), 1);
    const dropped = hops.length - 1;
    assert.equal(hops[dropped].direction, 'return');
    assert.equal(await drop.getAttribute('data-hop'), String(dropped));
    assert.match(await drop.getAttribute('class') ?? '', /verdict-fail/);
    assert.equal(await drop.locator('.node-component').textContent(), 'shop.edge');
    assert.equal(await drop.locator('.node-code').textContent(), 'SUBNET_ACL_RESTRICTION');
    assert.equal(await drop.locator('.node-rule').textContent(), 'outbound * deny all');
    assert.equal(await drop.locator('.node-glyph').textContent(), '✕');
    // Header line.
    assert.match(await page.locator('.badge-fails').textContent() ?? '', /does not hold/);
    assert.equal(await page.locator('.actual').textContent(), 'unreachable');
    assert.match(await page.locator('.drop-summary').textContent() ?? '',
      /^✕ Dropped at shop\.edge on the return path · SUBNET_ACL_RESTRICTION — .*stateless/);
    // Until the user picks a hop, the details show the hop that dropped the packet.
    assert.equal(await page.locator('.hop-details').getAttribute('data-hop'), String(dropped));
    assert.equal(await page.locator('.hop-details .code').textContent(), 'SUBNET_ACL_RESTRICTION');
    assert.match(await page.locator('.hop-details .stack-before h3').textContent() ?? '', /dropped here: nothing leaves/);
    assert.equal(await page.locator('.hop-details .stack-after').count(), 0);
  });

  it('shows a NAT hop: nested header stacks, modelled encapsulation, changed fields, MTU', async () => {
    const view = await open();
    const path = fixture('nat');
    await view.post({ type: 'showPath', path });
    const { page } = view;
    const igw = hopIndex(path, h => h.kind === 'internet-gateway' && h.direction === 'forward');
    assert.equal(path.result.hops[igw].action, 'translate');
    await page.locator(`g.node[data-hop="${igw}"]`).click();
    assert.match(await page.locator(`g.node[data-hop="${igw}"]`).getAttribute('class') ?? '', /verdict-translate.*selected/);
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
    assert.match(await encap.locator('tr[data-field="vpc"] .new-value').textContent() ?? '', /^vpc-[0-9a-f]+$/);
    assert.match(await encap.locator('tr[data-field="src interface"] .new-value').textContent() ?? '', /^eni-[0-9a-f]+$/);
    assert.match(await encap.locator('tr[data-field="dst interface"] .new-value').textContent() ?? '', /^igw-[0-9a-f]+$/);

    // On leaving: the internet leg, source rewritten by 1:1 NAT and marked changed with its old value.
    const after = details.locator('.stack-after');
    assert.equal(await after.locator('.badge-modelled').count(), 0);
    const src = after.locator('.header[data-kind="ipv4"] > .fields tr[data-field="src"]');
    assert.match(await src.getAttribute('class') ?? '', /changed/);
    assert.equal(await src.locator('.old-value').textContent(), '10.0.1.10');
    assert.equal(await src.locator('.new-value').textContent(), '54.210.33.7');
    assert.equal(await src.locator('.badge-changed').count(), 1);
    assert.equal(await after.locator('tr.changed').count(), 1);
    assert.equal(await after.locator('.header[data-kind="ipv4"] > .fields tr[data-field="dst"] .new-value').textContent(), '93.184.216.34');

    // Clicking the hop revealed its deciding rule: the public address of web.
    const rule = path.result.hops[igw].rule;
    assert.equal(rule?.text, 'public-ip 54.210.33.7 of shop.web');
    assert.deepEqual((await view.sent()).slice(-2), [
      { type: 'select', hopIndex: igw },
      { type: 'reveal', uri: rule.origin!.uri, range: rangeOf(rule.origin) },
    ]);
    assert.equal(rule.origin!.start.line, positionOf('instance web').line);
  });

  it('shows a NAT64 hop: the IPv6 header replaced by an IPv4 one, the port remapped', async () => {
    const view = await open();
    const path = fixture('nat64');
    assert.equal(path.result.verdict, 'reachable', path.result.reason);
    await view.post({ type: 'showPath', path });
    const { page } = view;
    const nat = hopIndex(path, h => h.kind === 'nat-gateway' && h.action === 'translate' && h.direction === 'forward');
    await page.locator(`g.node[data-hop="${nat}"]`).click();
    const details = page.locator('.hop-details');
    assert.equal(await details.getAttribute('data-hop'), String(nat));
    assert.deepEqual(await page.evaluate('[...document.querySelectorAll(".stack-before .header")].map(h => h.dataset.kind)'), ['ethernet', 'ipv6', 'tcp']);
    assert.deepEqual(await page.evaluate('[...document.querySelectorAll(".stack-after .header")].map(h => h.dataset.kind)'), ['ethernet', 'ipv4', 'tcp']);
    const ipv4 = details.locator('.stack-after .header[data-kind="ipv4"]');
    assert.equal(await ipv4.locator(':scope > .header-title .badge-replaces').textContent(), 'replaces IPv6 (40 B)');
    assert.equal(await ipv4.locator(':scope > .fields tr[data-field="dst"] .new-value').textContent(), '93.184.216.34');
    // The transport header is the same header, its source port remapped into 1024-65535.
    const port = details.locator('.stack-after .header[data-kind="tcp"] > .fields tr[data-field="src port"]');
    assert.match(await port.getAttribute('class') ?? '', /changed/);
    assert.equal(await port.locator('.old-value').textContent(), '49152');
    // Only the replaced IP header carries the badge; encapsulation hops say "added" instead.
    assert.equal(await details.locator('.badge-replaces').count(), 1);
    const encap = hopIndex(path, h => h.kind === 'mapping-service' && h.direction === 'forward');
    await page.locator(`g.node[data-hop="${encap}"]`).click();
    assert.equal(await page.locator('.hop-details .badge-replaces').count(), 0);
    assert.equal(await page.locator('.hop-details .stack-after .badge-added').count(), 3);
    assert.deepEqual(await view.violations(), []);
  });

  it('clicking a hop reveals its deciding rule; the details link to the component too', async () => {
    const view = await open();
    const path = fixture('nat');
    await view.post({ type: 'showPath', path });
    const route = hopIndex(path, h => h.kind === 'route-table');
    const hop = path.result.hops[route];
    await view.clearSent();
    await view.page.locator(`g.node[data-hop="${route}"]`).click();
    assert.deepEqual(await view.sent(), [
      { type: 'select', hopIndex: route },
      { type: 'reveal', uri: hop.rule!.origin!.uri, range: rangeOf(hop.rule?.origin) },
    ]);
    assert.equal(hop.rule!.origin!.start.line, positionOf('0.0.0.0/0 -> igw').line);
    await view.clearSent();
    await view.page.locator('.hop-details .component-link').click();
    assert.deepEqual(await view.sent(), [{ type: 'reveal', uri: hop.origin!.uri, range: rangeOf(hop.origin) }]);
    assert.equal(hop.origin!.start.line, positionOf('route-table public {').line);
  });

  it('is keyboard navigable: Tab reaches the path, arrows move, Enter selects', async () => {
    const view = await open();
    const path = fixture('reachable');
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
    assert.equal(await page.locator('g.node[tabindex="0"]').getAttribute('data-hop'), '2');
    const sent = await view.sent();
    assert.deepEqual(sent[0], { type: 'select', hopIndex: 2 });
    assert.equal(sent.length, path.result.hops[2].rule?.origin || path.result.hops[2].origin ? 2 : 1);
    await page.keyboard.press('End');
    assert.equal(await page.evaluate('document.activeElement.dataset.hop'), String(path.result.hops.length - 1));
    await page.keyboard.press(' ');
    assert.equal(await page.locator('.hop-details').getAttribute('data-hop'), String(path.result.hops.length - 1));
    await page.keyboard.press('Home');
    assert.equal(await page.evaluate('document.activeElement.dataset.hop'), '0');
  });

  it('pins and unpins the expectation', async () => {
    const view = await open();
    await view.post({ type: 'showPath', path: fixture('reachable') });
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
    await view.post({ type: 'showPath', path: fixture('reachable') });
    await view.page.locator('g.node[data-hop="4"]').click();
    const again = fixture('reachable');
    again.analysisVersion += 1;
    await view.post({ type: 'showPath', path: again });
    assert.equal(await view.page.locator('.hop-details').getAttribute('data-hop'), '4');
    // Another expectation starts without a selection.
    await view.post({ type: 'showPath', path: fixture('nat') });
    assert.equal(await view.page.locator('.hop-details').count(), 0);
    assert.equal(await view.page.locator('g.node.selected').count(), 0);
    await view.post({ type: 'noPath', reason: 'There is no expect statement at shop.vnet:12.' });
    assert.equal(await view.page.locator('.no-path').textContent(), 'There is no expect statement at shop.vnet:12.');
    assert.equal(await view.page.locator('svg.diagram').count(), 0);
  });

  it('survives a reload from the webview state (path, selection, pin) before the panel answers', async () => {
    const view = await open();
    await view.post({ type: 'showPath', path: fixture('nat') });
    await view.page.locator('g.node[data-hop="6"]').click();
    await view.page.locator('button.pin').click();
    await view.page.reload();
    await waitUntil(view.page, 'window.__sent.some(m => m.type === "ready")');
    assert.equal(await view.page.locator('.expectation').textContent(), 'expect web -> 93.184.216.34 tcp 443 reachable');
    assert.equal(await view.page.locator('.hop-details').getAttribute('data-hop'), '6');
    assert.equal(await view.page.locator('button.pin').getAttribute('aria-pressed'), 'true');
  });

  it('renders names from the user file as text, never as markup', async () => {
    const view = await open();
    const path = fixture('returnDrop');
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
    const path = fixture('reachable');
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
    const hop2 = path.result.hops[2];
    assert.equal(await view.page.locator('g.node[data-hop="2"] .node-action').textContent(), `${hop2.action} · ${hop2.kind}`);
  });

  it('stays readable in a narrow panel: the diagram scrolls sideways, the page does not', async () => {
    const view = await open({ width: 320 });
    const path = fixture('nat');
    await view.post({ type: 'showPath', path });
    const { page } = view;
    const [scrollWidth, clientWidth] = await page.evaluate(
      '(e => [e.scrollWidth, e.clientWidth])(document.querySelector(".diagram-scroll"))') as [number, number];
    assert.ok(scrollWidth > clientWidth, 'the lanes scroll inside their box');
    assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 320, 'no page-wide horizontal scroll');
    // Keyboard focus scrolls the focused node into view: walk down to the first hop of the rightmost lane.
    const lanes = laneOrder(path.result.hops);
    const target = hopIndex(path, hop => hop.place === lanes[lanes.length - 1]);
    await page.locator('g.node[data-hop="0"]').focus();
    for (let i = 0; i < target; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate('document.activeElement.dataset.hop'), String(target));
    assert.ok(Number(await page.evaluate('document.querySelector(".diagram-scroll").scrollLeft')) > 0);
  });

  it('in a panel beside the editor, squeezes the lanes so the whole path fits, labels whole on two lines', async () => {
    // About what VS Code gives a panel opened beside the editor on a laptop screen.
    const view = await open({ width: 620 });
    const path = fixture('returnDrop');
    await view.post({ type: 'showPath', path });
    const { page } = view;
    const [scrollWidth, clientWidth, scrollLeft] = await page.evaluate(
      '(e => [e.scrollWidth, e.clientWidth, e.scrollLeft])(document.querySelector(".diagram-scroll"))') as number[];
    assert.ok(scrollWidth <= clientWidth, `no sideways scroll: ${scrollWidth} px of diagram in ${clientWidth} px`);
    assert.equal(scrollLeft, 0);
    const laneWidth = Number(await page.locator('rect.lane').first().getAttribute('width'));
    assert.ok(laneWidth < DEFAULT_METRICS.laneWidth && laneWidth >= DEFAULT_METRICS.minLaneWidth, `lane width ${laneWidth}`);
    // Two-word labels on two lines, every line whole (no ellipsis), each inside its lane.
    assert.deepEqual(await page.evaluate('[...document.querySelectorAll(".lane-label")].map(t => [...t.querySelectorAll("tspan")].map(s => s.textContent))'),
      [['Source'], ['Internet'], ['Blackfoot', 'edge'], ['Underlay'], ['Destination', 'host'], ['Destination']]);
    assert.deepEqual(await page.evaluate('[...document.querySelectorAll(".lane-label")].map(t => t.getAttribute("aria-label"))'),
      ['Source', 'Internet', 'Blackfoot edge', 'Underlay', 'Destination host', 'Destination']);
    const widest = await page.evaluate('Math.max(...[...document.querySelectorAll(".lane-label tspan")].map(s => s.getComputedTextLength()))') as number;
    assert.ok(widest <= laneWidth, `a label of ${widest} px in a ${laneWidth} px lane`);
    // Source and drop are both in sight, and so is every node.
    const boxes = await page.evaluate('[...document.querySelectorAll("g.node rect")].map(r => Number(r.getAttribute("x")) + Number(r.getAttribute("width")))') as number[];
    assert.ok(Math.max(...boxes) <= clientWidth, 'every node inside the visible box');
    assert.equal(await page.locator('g.node.dropped').count(), 1);
  });

  it('in a panel too narrow even for squeezed lanes, starts at the source and scrolls only as far as the drop needs', async () => {
    // Nothing to show but the path: the left edge (the source) on first draw.
    const plain = await open({ width: 360 });
    await plain.post({ type: 'showPath', path: fixture('nat') });
    assert.equal(await plain.page.evaluate('document.querySelector(".diagram-scroll").scrollLeft'), 0);
    assert.ok(await plain.page.locator('g.node[data-hop="0"] rect').isVisible());

    // A drop to the right of what fits: scrolled just enough to bring the whole drop node in, no further.
    const view = await open({ width: 360 });
    await view.post({ type: 'showPath', path: fixture('returnDrop') });
    const [left, width, nodeX, nodeWidth] = await view.page.evaluate(
      '(b => { const r = b.querySelector("g.node.dropped rect"); return [b.scrollLeft, b.clientWidth, Number(r.getAttribute("x")), Number(r.getAttribute("width"))]; })(document.querySelector(".diagram-scroll"))') as number[];
    assert.ok(left > 0, 'scrolled');
    assert.ok(nodeX >= left && nodeX + nodeWidth <= left + width, `the drop node (${nodeX}..${nodeX + nodeWidth}) is in sight (${left}..${left + width})`);
    assert.equal(left, nodeX + nodeWidth + 8 - width, 'scrolled no further than needed');
  });

  it('keeps the Forward and Return titles in sight while the lanes scroll sideways', async () => {
    const view = await open({ width: 320 });
    await view.post({ type: 'showPath', path: fixture('returnDrop') });
    const { page } = view;
    const titlesInSight = async () => await page.evaluate(`(() => {
      const box = document.querySelector(".diagram-scroll").getBoundingClientRect();
      return [...document.querySelectorAll(".section-title")].map(t => {
        const r = t.getBoundingClientRect();
        return [t.textContent, r.left >= box.left && r.right <= box.right];
      });
    })()`) as [string, boolean][];
    for (const scrollLeft of [0, 120, 10_000]) {
      await page.evaluate(`(b => { b.scrollLeft = ${scrollLeft}; b.dispatchEvent(new Event('scroll')); })(document.querySelector(".diagram-scroll"))`);
      // The scroll listener runs in the page's next task; wait for the titles to follow.
      await waitUntil(page, `(() => {
        const b = document.querySelector(".diagram-scroll");
        return document.querySelector(".section-titles").getAttribute("transform") === "translate(" + Math.round(b.scrollLeft) + ",0)";
      })()`);
      assert.deepEqual(await titlesInSight(), [['Forward', true], ['Return', true]], `scrolled to ${scrollLeft}`);
    }
    assert.ok(Number(await page.evaluate('document.querySelector(".diagram-scroll").scrollLeft')) > 120, 'the lanes did scroll');
  });

  it('in a wide panel, puts the hop details beside the diagram and keeps them in sight while the page scrolls', async () => {
    const view = await open({ width: 1200, height: 700 });
    const path = fixture('nat');
    await view.post({ type: 'showPath', path });
    const { page } = view;
    assert.match(await page.locator('#app').getAttribute('class') ?? '', /\bsplit\b/);
    const igw = hopIndex(path, h => h.kind === 'internet-gateway' && h.direction === 'forward');
    await page.locator(`g.node[data-hop="${igw}"]`).click();
    const diagramBox = (await page.locator('.diagram-scroll').boundingBox())!;
    const detailsBox = (await page.locator('.details').boundingBox())!;
    assert.ok(detailsBox.x >= diagramBox.x + diagramBox.width, 'details to the right of the diagram');
    assert.ok(detailsBox.y < diagramBox.y + diagramBox.height / 2, 'details level with the top of the diagram');
    const [scrollWidth, clientWidth] = await page.evaluate('(e => [e.scrollWidth, e.clientWidth])(document.querySelector(".diagram-scroll"))') as number[];
    assert.ok(scrollWidth <= clientWidth, 'the diagram fits its column');
    // Further down the path, the details of the selected hop are still at the top of the view.
    await page.evaluate('window.scrollTo(0, 300)');
    assert.equal(Number(await page.evaluate('window.scrollY')), 300, 'the page scrolled');
    const after = (await page.locator('.hop-details').boundingBox())!;
    assert.ok(after.y >= 0 && after.y < 100, `details at y=${after.y}`);
    assert.equal(await page.locator('.hop-details').getAttribute('data-hop'), String(igw));
    // Narrower than diagram plus details: the details go back below the diagram.
    await page.setViewportSize({ width: 800, height: 700 });
    await waitUntil(page, '!document.getElementById("app").classList.contains("split")');
    const below = (await page.locator('.details').boundingBox())!;
    const diagramNow = (await page.locator('.diagram-scroll').boundingBox())!;
    assert.ok(below.y >= diagramNow.y + diagramNow.height, 'details below the diagram');
  });

  it('draws in VS Code theme colours (screenshots in test-artifacts/)', async () => {
    const view = await open({ width: 900, height: 1400 });
    const path = fixture('nat');
    await view.post({ type: 'showPath', path });
    const { page } = view;
    const igw = hopIndex(path, h => h.kind === 'internet-gateway' && h.direction === 'forward');
    await page.locator(`g.node[data-hop="${igw}"]`).click();
    assert.equal(await page.evaluate('getComputedStyle(document.body).backgroundColor'), 'rgb(31, 31, 31)');
    assert.equal(await page.evaluate('getComputedStyle(document.querySelector(".badge-holds")).color'), 'rgb(115, 201, 145)');
    const dir = join(ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    // The summary is sticky: scroll to the top so the full-page shot shows it where it belongs.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(dir, 'packet-path.png'), fullPage: true });

    const drop = await open({ width: 960, height: 1200 });
    await drop.post({ type: 'showPath', path: fixture('returnDrop') });
    assert.equal(await drop.page.evaluate('getComputedStyle(document.querySelector("g.node.dropped .node-box")).stroke'), 'rgb(248, 81, 73)');
    await drop.page.screenshot({ path: join(dir, 'packet-path-drop.png'), fullPage: true });

    const contrast = await open({ width: 700, height: 1200, theme: 'high-contrast' });
    await contrast.post({ type: 'showPath', path: fixture('returnDrop') });
    assert.equal(await contrast.page.evaluate('getComputedStyle(document.querySelector("g.node .node-box")).stroke'), 'rgb(111, 195, 223)');
    // Labels are filled, not outlined (stroke must not leak into text).
    assert.equal(await contrast.page.evaluate('getComputedStyle(document.querySelector("g.node .node-component")).stroke'), 'none');
    await contrast.page.screenshot({ path: join(dir, 'packet-path-high-contrast.png'), fullPage: true });
  });
});
