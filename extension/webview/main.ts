/**
 * Entry of the packet path webview (bundled to out/webview/main.js as a browser IIFE).
 *
 * Receives ToWebviewMessage from the panel, draws the path, and answers with FromWebviewMessage.
 * Everything the view needs after a window reload lives in vscode.setState (PacketPathViewState).
 */
import type { FromWebviewMessage, PacketPathViewState, ToWebviewMessage } from '../webview-messages.js';
import type { PacketPath, Range } from '../../server/protocol.js';
import { h } from './dom.js';
import { drawHopDetails } from './hop-details.js';
import { drawDiagram, type Diagram } from './path-diagram.js';
import { DEFAULT_METRICS, isDrop, laneOrder, laneWidthFor, layoutPath } from './path-layout.js';
import { drawSummary, pinButton } from './summary.js';

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): PacketPathViewState | undefined;
  setState(state: PacketPathViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body;
/** A polite live region: screen readers hear the verdict, not the whole redrawn view. */
const status = document.getElementById('status');
let state: PacketPathViewState = { pinned: false, ...(vscode.getState() ?? {}) };
let diagram: Diagram | undefined;
let diagramBox: HTMLElement | undefined;
let diagramLaneWidth = 0;
let details: HTMLElement | undefined;

// Lanes stretch with the panel, and a wide panel puts the hop's details beside the diagram: redraw
// the diagram when the panel's width changes enough to matter.
new ResizeObserver(() => {
  const path = state.path;
  if (!path || !diagramBox) return;
  const split = app.classList.contains('split');
  if (chooseSplit(path) !== split || laneWidth(path) !== diagramLaneWidth) drawPathDiagram(path);
}).observe(app);

window.addEventListener('message', event => {
  const message = event.data as ToWebviewMessage;
  if (typeof message !== 'object' || message === null) return;
  if (message.type === 'showPath') showPath(message.path);
  else if (message.type === 'noPath') showNoPath(message.reason);
});

render();
vscode.postMessage({ type: 'ready' });

function showPath(path: PacketPath): void {
  const sameExpectation = state.path !== undefined
    && state.path.expectation.uri === path.expectation.uri
    && state.path.expectation.text === path.expectation.text;
  let selectedHop = sameExpectation ? state.selectedHop : undefined;
  if (selectedHop !== undefined && selectedHop >= path.result.hops.length) selectedHop = undefined;
  state = { pinned: state.pinned, path, selectedHop };
  vscode.setState(state);
  render();
}

function showNoPath(reason: string): void {
  state = { pinned: state.pinned, noPathReason: reason };
  vscode.setState(state);
  render();
}

function render(): void {
  announce();
  app.replaceChildren();
  app.classList.remove('split');
  diagram = undefined;
  details = undefined;
  const path = state.path;
  if (!path) {
    app.appendChild(h('header', { class: 'summary empty-state' },
      h('div', { class: 'summary-line' },
        h('span', { class: 'expectation-placeholder', text: 'Packet path' }),
        pinButton(state.pinned, { togglePin })),
      h('p', { class: 'no-path', text: state.noPathReason ?? 'Put the cursor on an expect statement to see the path of its packet.' })));
    return;
  }
  app.appendChild(drawSummary(path, state.pinned, { togglePin }));
  diagramBox = h('div', { class: 'diagram-scroll' });
  const box = diagramBox;
  box.addEventListener('scroll', () => diagram?.pinTitles(box.scrollLeft), { passive: true });
  app.appendChild(diagramBox);
  details = h('div', { class: 'details' });
  app.appendChild(details);
  drawPathDiagram(path);
  showDetails(shownHop(path));
}

/** Until the user picks a hop, show the one that dropped the packet: that is what they came for. */
function shownHop(path: PacketPath): number | undefined {
  const shown = state.selectedHop ?? path.result.hops.findIndex(isDrop);
  return shown >= 0 ? shown : undefined;
}

function laneWidth(path: PacketPath): number {
  // clientWidth is inside the scroll box's border.
  return laneWidthFor(diagramBox?.clientWidth ?? app.clientWidth, laneOrder(path.result.hops).length);
}

/**
 * Details beside the diagram (class `split` on the app) when the panel is wide enough for both:
 * the diagram at its narrowest lanes next to the details column. Otherwise the details go below.
 * Decided by trying: CSS sizes the columns, this measures what the diagram would get.
 */
function chooseSplit(path: PacketPath): boolean {
  if (!diagramBox) return false;
  const lanes = laneOrder(path.result.hops).length;
  const needed = 2 * DEFAULT_METRICS.margin + lanes * DEFAULT_METRICS.minLaneWidth;
  app.classList.add('split');
  const fits = diagramBox.clientWidth >= needed;
  if (!fits) app.classList.remove('split');
  return fits;
}

function drawPathDiagram(path: PacketPath): void {
  if (!diagramBox) return;
  const focused = (document.activeElement as Element | null)?.closest?.('g.node')?.getAttribute('data-hop');
  chooseSplit(path);
  diagramLaneWidth = laneWidth(path);
  diagram = drawDiagram(layoutPath(path.result, { ...DEFAULT_METRICS, laneWidth: diagramLaneWidth }), { activate });
  diagramBox.replaceChildren(diagram.element);
  diagram.fitLabels();
  const shown = shownHop(path);
  diagram.setSelected(shown);
  if (focused !== null && focused !== undefined) diagram.focus(Number(focused));
  else keepInSight(shown);
  diagram.pinTitles(diagramBox.scrollLeft);
}

/**
 * Where a panel too narrow for the squeezed lanes starts: at the source (the left edge), which is
 * where the path reads from, unless the shown hop (e.g. the drop) would then be out of sight; then
 * scrolled just far enough to bring that hop in, so as much of the start as possible stays in view.
 */
function keepInSight(hopIndex: number | undefined): void {
  if (!diagramBox) return;
  const box = hopIndex === undefined ? null : diagramBox.querySelector(`g.node[data-hop="${hopIndex}"] rect`);
  if (!box) {
    diagramBox.scrollLeft = 0;
    return;
  }
  const left = Number(box.getAttribute('x'));
  const right = left + Number(box.getAttribute('width'));
  // 8px: the diagram's margin, so the node's border is not flush with the box's edge.
  diagramBox.scrollLeft = Math.max(0, Math.min(left - 8, right + 8 - diagramBox.clientWidth));
}

function announce(): void {
  if (!status) return;
  const path = state.path;
  status.textContent = path
    ? `${path.expectation.text}: ${path.expectation.holds ? 'holds' : 'does not hold'}, ${path.result.verdict}${path.result.code ? ` (${path.result.code})` : ''}.`
    : state.noPathReason ?? '';
}

function showDetails(hopIndex: number | undefined): void {
  const path = state.path;
  if (!path || !details) return;
  diagram?.setSelected(hopIndex);
  details.replaceChildren(hopIndex === undefined
    ? h('p', { class: 'hint', text: 'Select a hop (click, or Tab then arrow keys and Enter) to see its headers.' })
    : drawHopDetails(path.result.hops[hopIndex], hopIndex, { reveal }));
}

/** Click or Enter on a hop: select it and show its rule (else its component) in the editor. */
function activate(hopIndex: number): void {
  const hop = state.path?.result.hops[hopIndex];
  if (!hop) return;
  state = { ...state, selectedHop: hopIndex };
  vscode.setState(state);
  showDetails(hopIndex);
  vscode.postMessage({ type: 'select', hopIndex });
  const origin = hop.rule?.origin ?? hop.origin;
  if (origin) reveal(origin.uri, { start: origin.start, end: origin.end });
}

function reveal(uri: string, range: Range): void {
  vscode.postMessage({ type: 'reveal', uri, range });
}

function togglePin(): void {
  state = { ...state, pinned: !state.pinned };
  vscode.setState(state);
  vscode.postMessage({ type: 'pin', pinned: state.pinned });
  render();
}
