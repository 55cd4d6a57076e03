/** The packet path diagram's geometry, without a browser. */
import assert from 'node:assert/strict';
import { DEFAULT_METRICS, laneOrder, laneWidthFor, layoutPath } from '../../extension/webview/path-layout.js';
import { natPath, reachablePath, returnDropPath } from './fixtures.js';

describe('packet path layout', () => {
  it('draws one lane per place used, in the order the packet first reaches them', () => {
    assert.deepEqual(laneOrder(reachablePath().result.hops), ['source', 'source-host', 'underlay', 'destination-host', 'destination']);
    assert.deepEqual(laneOrder(returnDropPath().result.hops), ['internet', 'blackfoot', 'underlay', 'destination-host', 'destination']);
    const layout = layoutPath(natPath().result);
    assert.deepEqual(layout.lanes.map(lane => lane.label), ['Source', 'Source host', 'Underlay', 'Blackfoot edge', 'Internet']);
    assert.equal(layout.width, 2 * DEFAULT_METRICS.margin + 5 * DEFAULT_METRICS.laneWidth);
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
    const source = layout.nodes[1];
    const lane = layout.lanes[source.lane];
    assert.equal(lane.place, 'source-host');
    assert.equal(source.x + source.width / 2, lane.x + lane.width / 2);
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
    result.hops = result.hops.slice(0, 6);
    result.hops[5] = { ...result.hops[5], action: 'drop', code: 'SUBNET_ACL_RESTRICTION', headers: [] };
    result.direction = 'forward';
    const layout = layoutPath(result);
    assert.equal(layout.sections.length, 2);
    assert.match(layout.sections[1].note ?? '', /No return path/);
  });

  it('stretches lanes to fill a wide panel but never squeezes them below the default', () => {
    assert.equal(laneWidthFor(300, 5), DEFAULT_METRICS.laneWidth);
    assert.equal(laneWidthFor(1016, 5), 200);
    assert.equal(laneWidthFor(5000, 5), 260);
  });
});
