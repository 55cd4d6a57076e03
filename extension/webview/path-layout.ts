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
  /** A narrow panel squeezes lanes down to this width before the diagram scrolls sideways. */
  minLaneWidth: number;
  /** A wide panel stretches lanes up to this width; wider lanes would only add empty space. */
  maxLaneWidth: number;
  /** Lanes narrower than this put each word of a two-word label on its own line. */
  wrapLabelsBelow: number;
  /** Height the lane header gains per extra label line. */
  labelLineHeight: number;
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
  // "DESTINATION" (the longest word of a lane label) in the 10.5px small caps of the lane header.
  minLaneWidth: 92,
  maxLaneWidth: 260,
  wrapLabelsBelow: 140,
  labelLineHeight: 12,
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

export interface LaneBox {
  place: Place;
  label: string;
  /** The label as drawn: one line, or two when the lane is too narrow for it ("Source" / "host"). */
  lines: string[];
  x: number;
  width: number;
}

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
  /** Height of the lane labels' band at the top (taller when labels take two lines). */
  headerHeight: number;
  labelLineHeight: number;
  lanes: LaneBox[];
  nodes: NodeBox[];
  edges: EdgeLine[];
  sections: SectionBox[];
}

/**
 * Lane width for a diagram of `laneCount` lanes in `available` pixels: the lanes share the panel's
 * width, up to a limit past which they only add empty space. A narrow panel squeezes them, so the
 * whole path (source to destination) stays in sight; only below the minimum lane width, where
 * the labels would no longer fit, does the diagram scroll sideways.
 */
export function laneWidthFor(available: number, laneCount: number, m: LayoutMetrics = DEFAULT_METRICS): number {
  if (laneCount === 0 || !Number.isFinite(available)) return m.laneWidth;
  const fill = Math.floor((available - 2 * m.margin) / laneCount);
  return Math.max(m.minLaneWidth, Math.min(m.maxLaneWidth, fill));
}

/** A label on one line, or split after its first word when the lane is narrow. */
export function labelLines(label: string, laneWidth: number, m: LayoutMetrics = DEFAULT_METRICS): string[] {
  const space = label.indexOf(' ');
  if (laneWidth >= m.wrapLabelsBelow || space < 0) return [label];
  return [label.slice(0, space), label.slice(space + 1)];
}

export function isDrop(hop: Hop): boolean {
  return hop.action === 'drop' || hop.action === 'deny';
}

export function layoutPath(result: TraceResult, m: LayoutMetrics = DEFAULT_METRICS): PathLayout {
  const lanes: LaneBox[] = laneOrder(result.hops).map((place, i) => {
    const label = PLACE_LABEL[place] ?? place;
    return { place, label, lines: labelLines(label, m.laneWidth, m), x: m.margin + i * m.laneWidth, width: m.laneWidth };
  });
  const headerHeight = m.laneHeaderHeight + (Math.max(1, ...lanes.map(lane => lane.lines.length)) - 1) * m.labelLineHeight;
  const laneOf = new Map(lanes.map((lane, i) => [lane.place, i] as const));

  const width = 2 * m.margin + Math.max(1, lanes.length) * m.laneWidth;
  const nodeWidth = Math.min(Math.max(m.nodeWidth, m.laneWidth - 24), width - 2 * m.margin);
  const nodes: NodeBox[] = [];
  const sections: SectionBox[] = [];
  const edges: EdgeLine[] = [];
  let y = headerHeight;

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
    headerHeight,
    labelLineHeight: m.labelLineHeight,
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
