/**
 * Where everything of the packet path diagram goes: plain arithmetic, no DOM, so it can be reasoned
 * about (and tested) on its own.
 *
 * The diagram reads like a sequence diagram: one vertical lane per place the packet crosses, in the
 * order the packet first meets them (so a flow from the internet starts at the left as well, and a
 * hairpin through the internet gateway reads left to right); one row per hop, the forward path
 * first, then the return path below a divider. Places are those of the forward flow, so the return
 * path walks the lanes back from right to left.
 */
import type { Hop, Place, TraceResult } from '../../engine/path.js';

export const PLACE_LABEL: Readonly<Record<Place, string>> = {
  'source': 'Source',
  'source-host': 'Source host',
  'underlay': 'Underlay',
  'blackfoot': 'Blackfoot edge',
  'hyperplane': 'Hyperplane',
  'internet': 'Internet',
  'peer': 'Peer network',
  'destination-host': 'Destination host',
  'destination': 'Destination',
};

export interface LayoutMetrics {
  laneWidth: number;
  /** Wider than a lane: nodes sit in rows of their own, so a node may overhang the neighbouring lanes. */
  nodeWidth: number;
  margin: number;
  laneHeaderHeight: number;
  sectionTitleHeight: number;
  nodeHeight: number;
  dropNodeHeight: number;
  rowGap: number;
}

export const DEFAULT_METRICS: LayoutMetrics = {
  laneWidth: 140,
  nodeWidth: 200,
  margin: 8,
  laneHeaderHeight: 30,
  sectionTitleHeight: 28,
  nodeHeight: 50,
  dropNodeHeight: 82,
  rowGap: 20,
};

/** About half the width of a section note at 12px, so a centred note does not leave the diagram. */
const NOTE_HALF_WIDTH = 170;

export interface LaneBox { place: Place; label: string; x: number; width: number }

export interface NodeBox {
  hopIndex: number;
  hop: Hop;
  lane: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** This hop drops the packet. */
  dropped: boolean;
}

export interface EdgeLine {
  from: number;
  to: number;
  direction: Hop['direction'];
  /** SVG path data. */
  d: string;
}

export interface SectionBox {
  direction: Hop['direction'];
  title: string;
  y: number;
  /** Shown instead of hops when the section has none. */
  note?: string;
  /** Centre of the note: under the last hop drawn, where the eye (and a narrow panel's scroll) is. */
  noteX?: number;
}

export interface PathLayout {
  width: number;
  height: number;
  lanes: LaneBox[];
  nodes: NodeBox[];
  edges: EdgeLine[];
  sections: SectionBox[];
}

/**
 * Lane width for a diagram of `laneCount` lanes in `available` pixels: stretch to fill a wide panel
 * (up to a limit, past which lanes only add empty space), never narrower than the default (a narrow
 * panel scrolls sideways instead of squeezing the labels).
 */
export function laneWidthFor(available: number, laneCount: number, m: LayoutMetrics = DEFAULT_METRICS): number {
  if (laneCount === 0 || !Number.isFinite(available)) return m.laneWidth;
  const fill = Math.floor((available - 2 * m.margin) / laneCount);
  return Math.max(m.laneWidth, Math.min(260, fill));
}

export function isDrop(hop: Hop): boolean {
  return hop.action === 'drop' || hop.action === 'deny';
}

export function layoutPath(result: TraceResult, m: LayoutMetrics = DEFAULT_METRICS): PathLayout {
  const lanes: LaneBox[] = laneOrder(result.hops).map((place, i) => ({
    place,
    label: PLACE_LABEL[place] ?? place,
    x: m.margin + i * m.laneWidth,
    width: m.laneWidth,
  }));
  const laneOf = new Map(lanes.map((lane, i) => [lane.place, i] as const));

  const width = 2 * m.margin + Math.max(1, lanes.length) * m.laneWidth;
  const nodeWidth = Math.min(Math.max(m.nodeWidth, m.laneWidth - 24), width - 2 * m.margin);
  const nodes: NodeBox[] = [];
  const sections: SectionBox[] = [];
  const edges: EdgeLine[] = [];
  let y = m.laneHeaderHeight;

  for (const direction of ['forward', 'return'] as const) {
    const hops = result.hops.map((hop, hopIndex) => ({ hop, hopIndex })).filter(entry => entry.hop.direction === direction);
    let note: string | undefined;
    if (hops.length === 0) {
      if (direction === 'forward') note = 'The engine recorded no hop for this flow.';
      else if (result.verdict === 'unreachable' && result.direction === 'forward') note = 'No return path: the packet was dropped on the way out.';
      else continue;
    }
    const last = nodes[nodes.length - 1];
    const noteX = note === undefined ? undefined
      : last ? clamp(last.x + last.width / 2, m.margin + NOTE_HALF_WIDTH, Math.max(m.margin + NOTE_HALF_WIDTH, width - m.margin - NOTE_HALF_WIDTH))
      : m.margin + NOTE_HALF_WIDTH;
    sections.push({ direction, title: direction === 'forward' ? 'Forward' : 'Return', y, note, noteX });
    y += m.sectionTitleHeight;
    if (note) y += m.rowGap;
    let previous: NodeBox | undefined;
    for (const { hop, hopIndex } of hops) {
      const lane = laneOf.get(hop.place) ?? 0;
      const dropped = isDrop(hop);
      const node: NodeBox = {
        hopIndex,
        hop,
        lane,
        // Centred on its lane, kept inside the diagram.
        x: clamp(lanes[lane].x + m.laneWidth / 2 - nodeWidth / 2, m.margin, width - m.margin - nodeWidth),
        y,
        width: nodeWidth,
        height: dropped ? m.dropNodeHeight : m.nodeHeight,
        dropped,
      };
      nodes.push(node);
      if (previous) edges.push({ from: previous.hopIndex, to: hopIndex, direction, d: connector(previous, node) });
      previous = node;
      y += node.height + m.rowGap;
    }
    y += m.rowGap / 2;
  }

  return {
    width,
    height: y + m.margin,
    lanes,
    nodes,
    edges,
    sections,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/** The places of the hops, each once, in the order the packet first reaches them. */
export function laneOrder(hops: readonly Hop[]): Place[] {
  const order: Place[] = [];
  for (const hop of hops) if (!order.includes(hop.place)) order.push(hop.place);
  return order;
}

/** From the bottom centre of `a` to the top centre of `b`: down, across, down (an elbow in the row gap). */
function connector(a: NodeBox, b: NodeBox): string {
  const x1 = a.x + a.width / 2;
  const y1 = a.y + a.height;
  const x2 = b.x + b.width / 2;
  const y2 = b.y;
  if (x1 === x2) return `M${x1},${y1} V${y2}`;
  const mid = (y1 + y2) / 2;
  return `M${x1},${y1} V${mid} H${x2} V${y2}`;
}
