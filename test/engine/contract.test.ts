/**
 * The contract example of vnet-language.md Part 1, built by hand as a model: every expectation
 * holds, and the unreachable ones fail for the documented reason.
 */
import assert from 'node:assert/strict';
import { analyze, traceOf } from './helpers.js';
import { contractModel } from './fixtures.js';

describe('the contract example of vnet-language.md', () => {
  it('every expectation of the example holds', () => {
    const { results } = analyze(contractModel());
    assert.equal(results.length, 7);
    for (const r of results) {
      assert.equal(r.holds, true, `${r.expectation.sourceText} -> ${r.expectation.destinationText}: ${r.result.verdict} ${r.result.code} ${r.result.reason}`);
    }
  });

  it('client -> web tcp 443 enters through the internet gateway and returns through it', () => {
    const r = traceOf(contractModel(), 'client -> web tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.code, null);
    assert.equal(r.direction, null);
    assert.deepEqual(r.flow, { protocol: 'tcp', srcIp: '198.51.100.7', dstIp: '54.0.0.10', srcPort: 49152, dstPort: 443 });
    const components = r.hops.map(h => `${h.direction === 'forward' ? '>' : '<'}${h.component}:${h.action}`);
    assert.ok(components.includes('>shop.igw:translate'));
    assert.ok(components.includes('>shop.edge:allow'));
    assert.ok(components.includes('>shop.web-sg:allow'));
    assert.ok(components.includes('>shop.web:deliver'));
    assert.ok(components.includes('<shop.public:route'));
    assert.ok(components.includes('<shop.igw:translate'));
    assert.equal(components[components.length - 1], '<client:deliver');
  });

  it('client -> api is unreachable because api has no public address', () => {
    const r = traceOf(contractModel(), 'client -> api tcp 8080');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
    assert.equal(r.direction, 'forward');
    assert.equal(r.component, 'shop.igw');
  });

  it('api -> 93.184.216.34 is stopped by api-sg, which has no outbound rule', () => {
    const r = traceOf(contractModel(), 'api -> 93.184.216.34 tcp 443');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.direction, 'forward');
    assert.equal(r.component, 'shop.api-sg');
  });

  it('web -> dns udp 53 comes back through the edge ACL rule for udp ephemeral ports', () => {
    const r = traceOf(contractModel(), 'web -> dns udp 53');
    assert.equal(r.verdict, 'reachable');
    const acl = r.hops.find(h => h.direction === 'return' && h.component === 'shop.edge');
    assert.equal(acl?.rule?.text, 'inbound 120 allow udp 1024-65535 from 0.0.0.0/0');
  });

  it('mail out of public-a is denied by rule 90 before rule 100 allows all', () => {
    const r = traceOf(contractModel(), 'web -> dns tcp 25');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'forward');
    assert.equal(r.component, 'shop.edge');
    assert.equal(r.rule?.text, 'outbound 90 deny tcp 25 to 0.0.0.0/0');
  });
});
