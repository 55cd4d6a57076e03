/** The packet path diagram's geometry, without a browser. */
import assert from 'node:assert/strict';
import { DEFAULT_METRICS, labelLines, laneOrder, laneWidthFor, layoutPath } from '../../extension/webview/path-layout.js';
import { engineFixtures, type Fixtures } from './fixtures.js';

describe('packet path layout', () => {
  let fixtures: Fixtures;
  before(async () => { fixtures = await engineFixtures(); });
  const reachablePath = () => structuredClone(fixtures.reachable);
  const returnDropPath = () => structuredClone(fixtures.returnDrop);
  const natPath = () => structuredClone(fixtures.nat);

  it('draws one lane per place used, in the order the packet first reaches them', () => {
    assert.deepEqual(laneOrder(reachablePath().result.hops), ['source', 'source-host', 'underlay', 'destination-host', 'destination']);
    assert.deepEqual(laneOrder(returnDropPath().result.hops), ['source', 'internet', 'blackfoot', 'underlay', 'destination-host', 'destination']);
    const layout = layoutPath(natPath().result);
    assert.deepEqual(layout.lanes.map(lane => lane.label).slice(0, 5), ['Source', 'Source host', 'Underlay', 'Blackfoot edge', 'Internet']);
    assert.equal(layout.width, 2 * DEFAULT_METRICS.margin + layout.lanes.length * DEFAULT_METRICS.laneWidth);
  });

  it('gives every hop its own row, forward above return, each node centred on its lane and inside the diagram', () => {
    const path = reachablePath();
    const layout = layoutPath(path.result);
    assert.equal(layout.nodes.length, path.result.hops.length);
    for (let i = 1; i < layout.nodes.length; i++) {
      const [a, b] = [layout.nodes[i - 1], layout.nodes[i]];
      assert.ok(b.y >= a.y + a.height + DEFAULT_METRICS.rowGap, `hop ${i} overlaps hop ${i - 1}`);
    }
    for (const node of layout.nodes) {
      assert.ok(node.x >= DEFAULT_METRICS.margin && node.x + node.width <= layout.width - DEFAULT_METRICS.margin);
    }
    const middle = layout.nodes.find(node => node.hop.place === 'underlay')!;
    const lane = layout.lanes[middle.lane];
    assert.equal(lane.place, 'underlay');
    assert.equal(middle.x + middle.width / 2, lane.x + lane.width / 2);
    const [forward, back] = layout.sections;
    assert.deepEqual([forward.direction, back.direction], ['forward', 'return']);
    const firstReturn = layout.nodes.find(node => node.hop.direction === 'return')!;
    assert.ok(back.y > layout.nodes[firstReturn.hopIndex - 1].y && back.y < firstReturn.y);
  });

  it('connects consecutive hops of one direction only, with an elbow when the lane changes', () => {
    const path = reachablePath();
    const layout = layoutPath(path.result);
    const forwardCount = path.result.hops.filter(hop => hop.direction === 'forward').length;
    assert.equal(layout.edges.length, path.result.hops.length - 2);
    assert.ok(!layout.edges.some(edge => edge.from === forwardCount - 1 && edge.to === forwardCount));
    // Hop 0 (source) to hop 1 (source host) changes lane; two hops on the source host do not.
    assert.notEqual(path.result.hops[0].place, path.result.hops[1].place);
    assert.equal(path.result.hops[1].place, path.result.hops[2].place);
    assert.match(layout.edges[0].d, /^M[\d.]+,[\d.]+ V[\d.]+ H[\d.]+ V[\d.]+$/);
    assert.match(layout.edges[1].d, /^M[\d.]+,[\d.]+ V[\d.]+$/);
  });

  it('makes the node that drops the packet taller (it names the code and the rule)', () => {
    const layout = layoutPath(returnDropPath().result);
    const dropped = layout.nodes.filter(node => node.dropped);
    assert.equal(dropped.length, 1);
    assert.equal(dropped[0].height, DEFAULT_METRICS.dropNodeHeight);
    assert.equal(dropped[0].hop.code, 'SUBNET_ACL_RESTRICTION');
  });

  it('says there is no return path when the packet died on the way out', () => {
    const result = returnDropPath().result;
    // The same flow with the inbound ACL denying it: dropped on the way out.
    const acl = result.hops.findIndex(hop => hop.kind === 'network-acl');
    result.hops = result.hops.slice(0, acl + 1);
    result.hops[acl] = { ...result.hops[acl], action: 'drop', code: 'SUBNET_ACL_RESTRICTION', headers: [] };
    result.direction = 'forward';
    const layout = layoutPath(result);
    assert.equal(layout.sections.length, 2);
    assert.match(layout.sections[1].note ?? '', /No return path/);
    // Below the hop that dropped the packet, as near its centre as the diagram's edges allow.
    const drop = layout.nodes[layout.nodes.length - 1];
    const noteX = layout.sections[1].noteX!;
    assert.ok(noteX - 170 >= DEFAULT_METRICS.margin && noteX + 170 <= layout.width - DEFAULT_METRICS.margin, `note at ${noteX}`);
    assert.ok(noteX > drop.x && noteX <= drop.x + drop.width / 2, `note at ${noteX}, drop at ${drop.x}..${drop.x + drop.width}`);
  });

  it('stretches lanes to fill a wide panel, squeezes them in a narrow one, and only below the minimum lets the diagram scroll', () => {
    assert.equal(laneWidthFor(1016, 5), 200);
    assert.equal(laneWidthFor(5000, 5), DEFAULT_METRICS.maxLaneWidth);
    // A panel beside the editor (~600 px): six lanes narrower than the default, all of them in sight.
    const beside = laneWidthFor(596, 6);
    assert.ok(beside < DEFAULT_METRICS.laneWidth && beside >= DEFAULT_METRICS.minLaneWidth, `lane width ${beside}`);
    assert.ok(2 * DEFAULT_METRICS.margin + 6 * beside <= 596, 'the six lanes fit the panel');
    // Narrower than six minimum lanes: the lanes keep their minimum and the diagram scrolls.
    assert.equal(laneWidthFor(300, 5), DEFAULT_METRICS.minLaneWidth);
  });

  it('puts two-word lane labels on two lines in narrow lanes, and makes room for them in the header', () => {
    assert.deepEqual(labelLines('Destination host', DEFAULT_METRICS.laneWidth), ['Destination host']);
    assert.deepEqual(labelLines('Destination host', DEFAULT_METRICS.minLaneWidth), ['Destination', 'host']);
    assert.deepEqual(labelLines('Underlay', DEFAULT_METRICS.minLaneWidth), ['Underlay']);
    const wide = layoutPath(returnDropPath().result);
    const narrow = layoutPath(returnDropPath().result, { ...DEFAULT_METRICS, laneWidth: DEFAULT_METRICS.minLaneWidth });
    assert.equal(wide.headerHeight, DEFAULT_METRICS.laneHeaderHeight);
    assert.equal(narrow.headerHeight, DEFAULT_METRICS.laneHeaderHeight + DEFAULT_METRICS.labelLineHeight);
    assert.deepEqual(narrow.lanes.map(lane => lane.lines.length), [1, 1, 2, 1, 2, 1]);
    // Everything below the header moves down by the extra line.
    assert.equal(narrow.sections[0].y, wide.sections[0].y + DEFAULT_METRICS.labelLineHeight);
    assert.equal(narrow.nodes[0].y, wide.nodes[0].y + DEFAULT_METRICS.labelLineHeight);
  });
});
