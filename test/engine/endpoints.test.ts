/** Endpoints and destination semantics (vnet-language.md, "What expect means"). */
import assert from 'node:assert/strict';
import { network, traceOf, hopsOf, compile } from './helpers.js';
import { resolveEndpoint, trace } from '../../engine/index.js';

const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

function model() {
  return network().vpc('shop', v => v.cidr('10.0.0.0/16').igw('igw')
    .subnet('pub', '10.0.0.0/24', s => s.routeTable('public')
      .instance('web', '10.0.0.10', { groups: ['open'], publicIp: '54.0.0.10' })
      .instance('api', '10.0.0.20', { groups: ['open'] }))
    .routeTable('public', ['0.0.0.0/0 -> igw'])
    .sg('open', OPEN))
    .vpc('data', v => v.cidr('10.0.0.0/16')
      .subnet('s', '10.0.0.0/24', s => s.instance('web', '10.0.0.10', { groups: ['open'] }).instance('db', '10.0.0.50', { groups: ['open'] }))
      .sg('open', OPEN))
    .host('client', '198.51.100.7')
    .host('dns', '8.8.8.8')
    .build();
}

describe('an instance as destination is addressed the way its source reaches it', () => {
  it('from inside AWS by its private address', () => {
    const r = traceOf(model(), 'shop.api -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.flow?.dstIp, '10.0.0.10');
  });

  it('from the internet by its public address', () => {
    const r = traceOf(model(), 'client -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.flow?.dstIp, '54.0.0.10');
  });

  it('a private address that leads to another instance does not count as reaching the named one', () => {
    // shop and data overlap: shop.api's packet to data.web's private address stays in shop.
    const r = traceOf(model(), 'shop.api -> data.web tcp 443');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'DELIVERED_ELSEWHERE');
    assert.equal(r.component, 'shop.web');
    assert.equal(r.direction, 'forward');
  });
});

describe('a bare IP destination is just the packet\'s destination address', () => {
  it('delivered when an instance owns it', () => {
    const r = traceOf(model(), 'shop.api -> 10.0.0.10 tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(hopsOf(r, 'forward').at(-1)?.component, 'shop.web');
  });

  it('a public address nothing owns leaves through the internet, which accepts it', () => {
    const r = traceOf(model(), 'shop.web -> 93.184.216.34 tcp 443');
    assert.equal(r.verdict, 'reachable');
    const last = hopsOf(r, 'forward').at(-1)!;
    assert.equal(last.component, 'internet');
    assert.equal(last.action, 'deliver');
  });

  it('an internet host sends to public addresses only', () => {
    const r = traceOf(model(), 'client -> 10.0.0.10 tcp 443');
    assert.equal(r.code, 'DESTINATION_NOT_PUBLIC');
    assert.equal(r.component, 'internet');
    assert.equal(r.direction, 'forward');
  });
});

describe('a bare IP source is the instance or host owning it, else an internet host', () => {
  it('the public address of an instance stands for the instance, which sends from its private address', () => {
    const r = traceOf(model(), '54.0.0.10 -> dns udp 53');
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.flow?.srcIp, '10.0.0.10');
    assert.equal(r.hops[0].component, 'shop.web');
  });

  it('the address of a host stands for the host', () => {
    const r = traceOf(model(), '8.8.8.8 -> shop.web tcp 443');
    assert.equal(r.hops[0].component, 'dns');
    assert.equal(r.verdict, 'reachable');
  });

  it('an address nothing owns is a host on the internet', () => {
    const r = traceOf(model(), '203.0.113.9 -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.flow?.srcIp, '203.0.113.9');
    assert.equal(r.hops[0].component, 'internet');
  });

  it('a private address two VPCs use is ambiguous', () => {
    const r = traceOf(model(), '10.0.0.10 -> dns udp 53');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'NO_SOURCE_OR_DESTINATION');
    assert.match(r.reason, /shop\.web and data\.web/);
  });
});

describe('internet as an endpoint', () => {
  it('as a source: a public address outside every network, chosen deterministically and named in the hop', () => {
    const r = traceOf(model(), 'internet -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.flow?.srcIp, '198.51.100.1');
    assert.match(r.hops[0].detail, /198\.51\.100\.1/);
  });

  it('as a source, the representative skips addresses the model owns', () => {
    const m = network().vpc('v', v => v.cidr('10.0.0.0/16').igw('igw')
      .subnet('s', '10.0.0.0/24', s => s.routeTable('rt').instance('web', '10.0.0.10', { groups: ['open'], publicIp: '198.51.100.2' }))
      .routeTable('rt', ['0.0.0.0/0 -> igw']).sg('open', OPEN)).host('h1', '198.51.100.1').build();
    const r = traceOf(m, 'internet -> web tcp 443');
    assert.equal(r.flow?.srcIp, '198.51.100.3');
    assert.equal(r.verdict, 'reachable');
  });

  it('as a destination: the internet accepts every public address', () => {
    const r = traceOf(model(), 'shop.web -> internet tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(hopsOf(r, 'forward').at(-1)?.kind, 'internet');
  });

  it('an instance without a route to the gateway cannot reach the internet', () => {
    const r = traceOf(model(), 'data.db -> internet tcp 443');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'data.main');
  });
});

describe('resolveEndpoint reads CLI text', () => {
  const net = compile(model());
  it('resolves qualified names, unique bare names, hosts, IPs and internet', () => {
    assert.deepEqual(resolveEndpoint(net, 'shop.web'), { kind: 'instance', vpc: 'shop', name: 'web' });
    assert.deepEqual(resolveEndpoint(net, 'api'), { kind: 'instance', vpc: 'shop', name: 'api' });
    assert.deepEqual(resolveEndpoint(net, 'client'), { kind: 'host', name: 'client' });
    assert.deepEqual(resolveEndpoint(net, '8.8.8.8'), { kind: 'ip', ip: '8.8.8.8' });
    assert.deepEqual(resolveEndpoint(net, 'internet'), { kind: 'internet' });
  });

  it('explains ambiguous and unknown names', () => {
    const amb = resolveEndpoint(net, 'web');
    assert.ok('error' in amb && /ambiguous/.test(amb.error) && /shop\.web/.test(amb.error) && /data\.web/.test(amb.error));
    const none = resolveEndpoint(net, 'nosuch');
    assert.ok('error' in none && /nosuch/.test(none.error));
    const badVpc = resolveEndpoint(net, 'nope.web');
    assert.ok('error' in badVpc && /VPC nope/.test(badVpc.error));
  });

  it('a resolved endpoint can be traced', () => {
    const src = resolveEndpoint(net, 'api');
    const dst = resolveEndpoint(net, 'dns');
    assert.ok(!('error' in src) && !('error' in dst));
    const r = trace(net, { source: src, destination: dst, protocol: 'udp', port: 53 });
    assert.equal(r.code, 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS');
  });
});
