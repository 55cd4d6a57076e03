/**
 * Code lens titles and the position lookup behind `vnet/packetPath`, below the LSP boundary:
 * hand-built engine results in, strings and lenses out.
 */
import assert from 'node:assert/strict';
import type { Analysis, ExpectationResult, Hop, TraceResult } from '../../engine/index.js';
import { codeLenses, codeLensTitle } from '../../server/code-lens.js';
import { expectationAt } from '../../server/expectation-at.js';

const URI_A = 'file:///work/net/a%20b.vnet';

function hop(direction: Hop['direction'], component: string, action: Hop['action'], rule?: string): Hop {
  return {
    direction, component, kind: 'network-acl', place: 'source-host', action, detail: '',
    headersBefore: [], headers: [], ...(rule ? { rule: { text: rule } } : {}),
  };
}

function result(verdict: TraceResult['verdict'], hops: Hop[], extra: Partial<TraceResult> = {}): TraceResult {
  return { verdict, code: null, direction: null, reason: '', hops, ...extra };
}

function expectation(line: number, expected: 'reachable' | 'unreachable', r: TraceResult, uri = URI_A): ExpectationResult {
  return {
    expectation: {
      source: { kind: 'internet' }, destination: { kind: 'internet' }, sourceText: 'client', destinationText: 'web',
      protocol: 'tcp', port: 443, expected,
      origin: { uri, start: { line, character: 0 }, end: { line, character: 38 } },
    },
    result: r,
    holds: r.verdict === expected,
  };
}

const reachable = result('reachable', [
  hop('forward', 'client', 'send'), hop('forward', 'shop.igw', 'translate'), hop('forward', 'shop.web', 'deliver'),
  hop('return', 'shop.web', 'send'), hop('return', 'client', 'deliver'),
]);
const droppedByAcl = result('unreachable', [
  hop('forward', 'client', 'send'),
  hop('forward', 'shop.edge', 'drop', 'inbound 100 deny tcp 443 from 0.0.0.0/0'),
], { code: 'SUBNET_ACL_RESTRICTION', direction: 'forward', component: 'shop.edge', rule: { text: 'inbound 100 deny tcp 443 from 0.0.0.0/0' } });
const returnDropped = result('unreachable', [
  hop('forward', 'client', 'send'), hop('return', 'shop.edge', 'drop', 'outbound * deny all'),
], { code: 'SUBNET_ACL_RESTRICTION', direction: 'return', component: 'shop.edge', rule: { text: 'outbound * deny all' } });
const noRoute = result('unreachable', [hop('forward', 'shop.public', 'drop')], {
  code: 'NO_ROUTE_TO_DESTINATION', direction: 'forward', component: 'shop.public', rule: { text: 'route table public' },
});

describe('code lens titles', () => {
  it('a reachable path counts its forward hops', () => {
    assert.equal(codeLensTitle(expectation(0, 'reachable', reachable)), '▶ path: reachable in 3 hops');
  });

  it('a dropped packet names the component, the network ACL rule number and the code', () => {
    assert.equal(codeLensTitle(expectation(0, 'unreachable', droppedByAcl)), '✕ dropped at shop.edge rule 100 (SUBNET_ACL_RESTRICTION)');
  });

  it('says when the packet died on the return path, and the implicit rule is *', () => {
    assert.equal(codeLensTitle(expectation(0, 'unreachable', returnDropped)), '✕ dropped at shop.edge rule * (SUBNET_ACL_RESTRICTION) on the return path');
  });

  it('rules without a number (routes, gateways) add no rule number', () => {
    assert.equal(codeLensTitle(expectation(0, 'unreachable', noRoute)), '✕ dropped at shop.public (NO_ROUTE_TO_DESTINATION)');
  });

  it('says what was expected when the verdict disagrees', () => {
    assert.equal(codeLensTitle(expectation(0, 'reachable', noRoute)), '✕ dropped at shop.public (NO_ROUTE_TO_DESTINATION) — expected reachable');
    assert.equal(codeLensTitle(expectation(0, 'unreachable', reachable)), '▶ path: reachable in 3 hops — expected unreachable');
  });
});

describe('expectations by position', () => {
  const analysis = {
    network: {} as Analysis['network'],
    results: [
      expectation(7, 'reachable', reachable),
      expectation(3, 'unreachable', droppedByAcl),
      expectation(3, 'reachable', reachable, 'file:///work/net/other.vnet'),
    ],
  } as Analysis;

  it('one lens per expectation of the document, in source order, opening the packet path at its start', () => {
    const lenses = codeLenses(analysis, URI_A);
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.command, l.command?.arguments]), [
      [3, 'vnet.showPacketPath', [URI_A, { line: 3, character: 0 }]],
      [7, 'vnet.showPacketPath', [URI_A, { line: 7, character: 0 }]],
    ]);
  });

  it('finds the statement containing a position, ends included, whatever the URI encoding', () => {
    assert.equal(expectationAt(analysis, URI_A, { line: 3, character: 0 })?.result, droppedByAcl);
    assert.equal(expectationAt(analysis, URI_A, { line: 3, character: 38 })?.result, droppedByAcl);
    assert.equal(expectationAt(analysis, 'file:///work/net/a b.vnet', { line: 7, character: 5 })?.result, reachable);
    assert.equal(expectationAt(analysis, URI_A, { line: 4, character: 0 }), undefined);
    assert.equal(expectationAt(analysis, URI_A, { line: 3, character: 39 }), undefined);
  });
});
