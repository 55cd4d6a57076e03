/**
 * Draws a PathLayout as SVG: lanes, the forward and return sections, one focusable node per hop
 * and the connectors between consecutive hops. Colours come from CSS classes (packet-path.css), which
 * map to VS Code theme variables; geometry goes in through SVG attributes.
 */
import { s } from './dom.js';
import type { NodeBox, PathLayout } from './path-layout.js';
import { verdictOf } from './verdict.js';


export interface DiagramHandlers {
  /** Click, Enter or Space on a node. */
  activate(hopIndex: number): void;
}

export interface Diagram {
  element: SVGSVGElement;
  /** Marks one node selected and makes it the one Tab stops at. */
  setSelected(hopIndex: number | undefined): void;
  focus(hopIndex: number): void;
  /** Cuts labels that overflow their box, measured with the real font; call once the SVG is in the page. */
  fitLabels(): void;
  /**
   * Keeps the "Forward" and "Return" titles at the left edge of what is in sight when the diagram
   * is scrolled sideways by `scrollLeft` pixels.
   */
  pinTitles(scrollLeft: number): void;
}

export function drawDiagram(layout: PathLayout, handlers: DiagramHandlers): Diagram {
  const svg = s('svg', {
    class: 'diagram',
    width: layout.width,
    height: layout.height,
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'group',
    'aria-label': 'Packet path, one lane per place, forward then return',
  });
  svg.appendChild(s('defs', {},
    s('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrowhead' }))));

  layout.lanes.forEach((lane, i) => {
    svg.appendChild(s('rect', {
      class: i % 2 === 0 ? 'lane lane-even' : 'lane lane-odd',
      x: lane.x, y: 0, width: lane.width, height: layout.height,
    }));
    svg.appendChild(s('line', {
      class: 'lane-guide',
      x1: lane.x + lane.width / 2, y1: layout.headerHeight - 4, x2: lane.x + lane.width / 2, y2: layout.height,
    }));
    const centre = lane.x + lane.width / 2;
    // One tspan per line, each cut to the lane's width on its own; the whole label stays in aria-label.
    svg.appendChild(s('text', {
      class: 'lane-label', x: centre, y: 18, 'text-anchor': 'middle', 'data-place': lane.place, 'aria-label': lane.label,
    }, ...lane.lines.map((line, n) => s('tspan', { x: centre, dy: n === 0 ? 0 : layout.labelLineHeight, 'data-fit': lane.width - 6 }, line))));
  });

  // Titles go in a group of their own, drawn over everything, so that pinTitles can slide them.
  const titles = s('g', { class: 'section-titles' });
  for (const section of layout.sections) {
    if (section.direction === 'return') {
      svg.appendChild(s('line', { class: 'section-rule', x1: 0, y1: section.y + 2, x2: layout.width, y2: section.y + 2 }));
    }
    // The backdrop hides lane guides behind the title; its width is set once the text is measured.
    titles.appendChild(s('rect', { class: 'section-title-backdrop', x: 6, y: section.y + 5, width: 0, height: 19, rx: 3, ry: 3 }));
    titles.appendChild(s('text', { class: 'section-title', x: 12, y: section.y + 19 }, section.title));
    if (section.note) {
      svg.appendChild(s('text', { class: 'section-note', x: section.noteX ?? 12, y: section.y + 44, 'text-anchor': 'middle' }, section.note));
    }
  }

  for (const edge of layout.edges) {
    svg.appendChild(s('path', { class: `edge edge-${edge.direction}`, d: edge.d, 'marker-end': 'url(#arrow)' }));
  }

  const nodeElements = new Map<number, SVGGElement>();
  const order = layout.nodes.map(node => node.hopIndex);
  for (const node of layout.nodes) {
    const g = drawNode(node);
    g.addEventListener('click', () => handlers.activate(node.hopIndex));
    g.addEventListener('keydown', event => {
      const at = order.indexOf(node.hopIndex);
      let target: number | undefined;
      switch (event.key) {
        case 'ArrowDown': case 'ArrowRight': target = order[Math.min(order.length - 1, at + 1)]; break;
        case 'ArrowUp': case 'ArrowLeft': target = order[Math.max(0, at - 1)]; break;
        case 'Home': target = order[0]; break;
        case 'End': target = order[order.length - 1]; break;
        case 'Enter': case ' ':
          event.preventDefault();
          handlers.activate(node.hopIndex);
          return;
        default: return;
      }
      event.preventDefault();
      if (target !== undefined) focusNode(target);
    });
    nodeElements.set(node.hopIndex, g);
    svg.appendChild(g);
  }
  svg.appendChild(titles);

  let tabStop = order[0];
  function updateTabStops(): void {
    for (const [index, g] of nodeElements) g.setAttribute('tabindex', index === tabStop ? '0' : '-1');
  }
  function focusNode(hopIndex: number): void {
    const g = nodeElements.get(hopIndex);
    if (!g) return;
    tabStop = hopIndex;
    updateTabStops();
    g.focus();
    g.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }
  updateTabStops();

  return {
    element: svg,
    setSelected(hopIndex) {
      for (const [index, g] of nodeElements) {
        const selected = index === hopIndex;
        g.classList.toggle('selected', selected);
        g.setAttribute('aria-pressed', String(selected));
      }
      if (hopIndex !== undefined && nodeElements.has(hopIndex)) tabStop = hopIndex;
      updateTabStops();
    },
    focus: focusNode,
    fitLabels() {
      svg.querySelectorAll<SVGTextContentElement>('[data-fit]').forEach(text => fitText(text, Number(text.getAttribute('data-fit'))));
      titles.querySelectorAll<SVGTextElement>('.section-title').forEach(text => {
        const backdrop = text.previousElementSibling;
        if (backdrop instanceof SVGRectElement) backdrop.setAttribute('width', String(Math.ceil(text.getComputedTextLength()) + 12));
      });
    },
    pinTitles(scrollLeft) {
      titles.setAttribute('transform', `translate(${Math.max(0, Math.round(scrollLeft))},0)`);
    },
  };
}

function drawNode(node: NodeBox): SVGGElement {
  const { hop } = node;
  const verdict = verdictOf(hop.action);
  const textWidth = node.width - 32;
  const g = s('g', {
    class: `node verdict-${verdict.cls}${node.dropped ? ' dropped' : ''}`,
    role: 'button',
    tabindex: '-1',
    'data-hop': node.hopIndex,
    'data-place': hop.place,
    'data-action': hop.action,
    'aria-label': `Hop ${node.hopIndex + 1}, ${hop.direction}: ${hop.component} ${hop.action}${hop.code ? ` (${hop.code})` : ''}. ${hop.detail}`,
  });
  g.appendChild(s('title', {}, `${hop.component} (${hop.kind}): ${hop.detail}${hop.rule ? `\nRule: ${hop.rule.text}` : ''}`));
  g.appendChild(s('rect', { class: 'node-box', x: node.x, y: node.y, width: node.width, height: node.height, rx: 4, ry: 4 }));
  g.appendChild(s('text', { class: 'node-glyph', x: node.x + 9, y: node.y + 20 }, verdict.glyph));
  g.appendChild(s('text', { class: 'node-component', x: node.x + 24, y: node.y + 20, 'data-fit': textWidth }, hop.component));
  g.appendChild(s('text', { class: 'node-action', x: node.x + 24, y: node.y + 38, 'data-fit': textWidth }, `${hop.action} · ${hop.kind}`));
  if (node.dropped) {
    const wide = node.width - 18;
    g.appendChild(s('text', { class: 'node-code', x: node.x + 9, y: node.y + 56, 'data-fit': wide }, hop.code ?? 'dropped'));
    g.appendChild(s('text', { class: 'node-rule', x: node.x + 9, y: node.y + 72, 'data-fit': wide }, hop.rule ? hop.rule.text : 'no deciding rule'));
  }
  return g;
}

/** Longest prefix of the label that fits `max` pixels with an ellipsis (binary search on the measured width). */
function fitText(text: SVGTextContentElement, max: number): void {
  const full = text.textContent ?? '';
  if (text.getComputedTextLength() <= max) return;
  let lo = 0;
  let hi = full.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    text.textContent = `${full.slice(0, mid)}…`;
    if (text.getComputedTextLength() <= max) lo = mid;
    else hi = mid - 1;
  }
  text.textContent = `${full.slice(0, lo)}…`;
}
