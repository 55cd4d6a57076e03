/** analyze(): every expectation traced; hops recorded on first read match trace(). */
import assert from 'node:assert/strict';
import { analyze, compile } from './helpers.js';
import { contractModel } from './fixtures.js';
import { trace } from '../../engine/index.js';

describe('analyze traces every expectation of the model', () => {
  it('holds compares the verdict with the expected one', () => {
    const model = contractModel();
    model.expectations[0].expected = 'unreachable';
    const { results } = analyze(model);
    assert.equal(results[0].result.verdict, 'reachable');
    assert.equal(results[0].holds, false);
    assert.equal(results[3].result.verdict, 'unreachable');
    assert.equal(results[3].holds, true);
  });

  it('the hops analyze records on first read are the ones trace() returns, in JSON too', () => {
    const model = contractModel();
    const { results } = analyze(model);
    const net = compile(model);
    for (const { expectation, result } of results) {
      const direct = trace(net, { source: expectation.source, destination: expectation.destination, protocol: expectation.protocol, port: expectation.port, fromPort: expectation.fromPort });
      assert.equal(JSON.stringify(result), JSON.stringify(direct), `${expectation.sourceText} -> ${expectation.destinationText}`);
      assert.ok(result.hops.length > 0 || direct.hops.length === 0);
    }
  });

  it('hops and header stacks can be replaced like plain data', () => {
    const { results } = analyze(contractModel());
    const r = results[0].result;
    const first = r.hops[0];
    first.headers = [];
    assert.deepEqual(first.headers, []);
    r.hops = [];
    assert.deepEqual(r.hops, []);
    const copy = { ...results[1].result };
    assert.ok(Array.isArray(copy.hops) && copy.hops.length > 0);
  });
});
