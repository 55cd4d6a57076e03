/**
 * The contract example of vnet-language.md Part 1, built by hand as a model: every expectation
 * holds, and the unreachable ones fail for the documented reason.
 */
import assert from 'node:assert/strict';
import { analyze, network, traceOf } from './helpers.js';
import type { NetworkModel } from '../../engine/index.js';

export function contractModel(): NetworkModel {
  return network()
    .vpc('shop', v => v
      .cidr('10.0.0.0/16').cidr('100.64.0.0/16').account('111111111111')
      .igw('igw')
      .subnet('public-a', '10.0.0.0/24', s => s.routeTable('public').acl('edge')
        .instance('web', '10.0.0.10', { publicIp: '54.0.0.10', groups: ['web-sg', 'ssh'], sourceDestCheck: false }))
      .subnet('app-a', '10.0.10.0/24', s => s.instance('api', '10.0.10.5', { groups: ['api-sg'] }))
      .routeTable('public', ['0.0.0.0/0 -> igw'])
      .routeTable('private', [], { main: true })
      .sg('web-sg', ['inbound tcp 443 from 0.0.0.0/0', 'inbound tcp 8000-8100 from 10.0.0.0/16', 'outbound all to 0.0.0.0/0'])
      .sg('api-sg', ['inbound tcp 8080 from web-sg'])
      .sg('ssh', ['inbound tcp 22 from 203.0.113.0/24'])
      .acl('edge', [
        'inbound 100 allow tcp 443 from 0.0.0.0/0',
        'inbound 110 allow tcp 1024-65535 from 0.0.0.0/0',
        'inbound 120 allow udp 1024-65535 from 0.0.0.0/0',
        'inbound 130 allow icmp from 0.0.0.0/0',
        'outbound 100 allow all to 0.0.0.0/0',
        'outbound 90 deny tcp 25 to 0.0.0.0/0',
      ]))
    .host('client', '198.51.100.7')
    .host('dns', '8.8.8.8')
    .expect('client -> web tcp 443 reachable')
    .expect('web -> dns udp 53 reachable')
    .expect('web -> dns icmp reachable')
    .expect('client -> api tcp 8080 unreachable')
    .expect('api -> 93.184.216.34 tcp 443 unreachable')
    .expect('internet -> web tcp 443 reachable')
    .expect('shop.web -> shop.api tcp 8080 reachable')
    .build();
}

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
