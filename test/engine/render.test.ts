/** Rendering a trace for hovers (Markdown) and terminals (text). */
import assert from 'node:assert/strict';
import { traceOf, compile } from './helpers.js';
import { contractModel } from './fixtures.js';
import { mappingEntry, renderMappingMarkdown, renderTraceMarkdown, renderTraceText } from '../../engine/index.js';

describe('renderTraceMarkdown: verdict, hop table, header stacks, MTU', () => {
  it('a reachable trace shows the verdict, the flow, a hop table and the modelled encapsulation', () => {
    const r = traceOf(contractModel(), 'client -> web tcp 443');
    const md = renderTraceMarkdown(r, 'client -> web tcp 443');
    const lines = md.split('\n');
    assert.match(lines[0], /client -> web tcp 443/);
    assert.ok(md.includes('**Reachable**'));
    assert.ok(md.includes('`tcp 198.51.100.7:49152 → 54.0.0.10:443`'));
    assert.ok(md.includes('| # | dir | component | decision | rule |'));
    const rows = lines.filter(l => /^\| \d+ \|/.test(l));
    assert.equal(rows.length, r.hops.length);
    assert.ok(md.includes('*VPC encapsulation (modelled)*'));
    assert.ok(md.includes('leg MTU 1500'));
    assert.ok(md.includes('leg MTU 9001'));
    assert.match(md, /\*\*dst `10\.0\.0\.10` \(changed\)\*\*/);
  });

  it('an unreachable trace names the direction, component, code and rule', () => {
    const r = traceOf(contractModel(), 'web -> dns tcp 25');
    const md = renderTraceMarkdown(r);
    assert.ok(md.includes('**Unreachable**'));
    assert.ok(md.includes('Forward path, `shop.edge` — `SUBNET_ACL_RESTRICTION`'));
    assert.ok(md.includes('Rule: `outbound 90 deny tcp 25 to 0.0.0.0/0`'));
    assert.ok(md.includes('drop (SUBNET_ACL_RESTRICTION)'));
  });

  it('an unresolved endpoint renders the reason without a hop table', () => {
    const r = traceOf(contractModel(), 'client -> ghost tcp 8080');
    const md = renderTraceMarkdown(r);
    assert.ok(md.includes('NO_SOURCE_OR_DESTINATION'));
    assert.ok(md.includes('ghost'));
    assert.ok(!md.includes('| # |'));
  });
});

describe('renderTraceText: the same content for a terminal', () => {
  it('lists every hop with its decision, rule, headers and MTU', () => {
    const r = traceOf(contractModel(), 'web -> dns udp 53');
    const text = renderTraceText(r);
    assert.match(text, /^flow: udp 10\.0\.0\.10:49152 → 8\.8\.8\.8:53$/m);
    assert.match(text, /^verdict: reachable \(path MTU 1500\)/m);
    assert.match(text, /shop\.igw {2}translate {2}\[MTU 1500\]/);
    assert.match(text, /IPv4 \[20 B\]: src=54\.0\.0\.10 \(changed\)/);
    assert.match(text, /VPC encapsulation \(modelled\) \[16 B\].*\(modelled\)/);
    assert.match(text, /rule: inbound 120 allow udp 1024-65535 from 0\.0\.0\.0\/0/);
    const numbered = text.split('\n').filter(l => /^\s*\d+ [→←] /.test(l));
    assert.equal(numbered.length, r.hops.length);
  });

  it('an unreachable trace states direction, component and code', () => {
    const text = renderTraceText(traceOf(contractModel(), 'api -> 93.184.216.34 tcp 443'));
    assert.match(text, /verdict: unreachable on the forward path at shop\.api-sg \(ENI_SG_RULES_MISMATCH\)/);
  });
});

describe('renderMappingMarkdown: the instance hover', () => {
  it('shows the mapping-service entry', () => {
    const e = mappingEntry(compile(contractModel()), 'shop', 'web')!;
    const md = renderMappingMarkdown(e);
    for (const value of [e.vpcId, e.interfaceId, e.instanceId, e.mac, e.host, e.underlayIp, '10.0.0.10', '54.0.0.10', '111111111111', 'us-east-1a']) {
      assert.ok(md.includes(value), value);
    }
    assert.ok(md.includes('`shop.web`'));
  });
});
