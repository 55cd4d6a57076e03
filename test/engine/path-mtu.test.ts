/** Path MTU: `size N` expectations against each leg's MTU (aws-data-plane.md §4; PATH_MTU_EXCEEDED). */
import assert from 'node:assert/strict';
import { network, hopsOf, compile, analyze } from './helpers.js';
import { trace, type TraceQuery } from '../../engine/index.js';
import type { NetworkModel, Protocol } from '../../engine/model.js';
import { Walker } from '../../engine/walk.js';

const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

function shop(): NetworkModel {
  return network().vpc('shop', v => {
    v.cidr('10.0.0.0/16').igw('igw')
      .subnet('pub', '10.0.0.0/24', s => s.routeTable('public').instance('web', '10.0.0.10', { groups: ['open'], publicIp: '54.0.0.10' }))
      .subnet('app', '10.0.1.0/24', s => s.routeTable('public').instance('db', '10.0.1.10', { groups: ['open'] }))
      .routeTable('public', ['0.0.0.0/0 -> igw'])
      .sg('open', OPEN);
  }).host('client', '198.51.100.7').build();
}

function run(src: string, dst: string, protocol: Protocol, size?: number) {
  const ref = (t: string) => t === 'client' ? { kind: 'host' as const, name: t } : { kind: 'instance' as const, vpc: 'shop', name: t };
  const q: TraceQuery = { source: ref(src), destination: ref(dst), protocol, port: protocol === 'icmp' ? undefined : 443, size };
  return trace(compile(shop()), q);
}

describe('path MTU: a TCP packet larger than a leg is dropped there (TCP sets Don\'t Fragment)', () => {
  it('9000 bytes fit the 9001-byte MTU inside the VPC', () => {
    const r = run('web', 'db', 'tcp', 9000);
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.pathMtu, 9001);
  });
  it('9100 bytes do not fit inside the VPC: dropped at the sender', () => {
    const r = run('web', 'db', 'tcp', 9100);
    assert.equal(r.code, 'PATH_MTU_EXCEEDED');
    assert.equal(r.component, 'shop.web');
    const drop = r.hops[r.hops.length - 1];
    assert.equal(drop.code, 'PATH_MTU_EXCEEDED');
    assert.equal(drop.mtu, 9001);
  });
  it('2000 bytes do not fit the 1500-byte leg through the internet gateway', () => {
    const r = run('web', 'client', 'tcp', 2000);
    assert.equal(r.code, 'PATH_MTU_EXCEEDED');
    assert.equal(r.component, 'shop.igw');
    assert.match(r.reason, /1500/);
    assert.equal(hopsOf(r, 'forward').at(-1)!.action, 'drop');
  });
  it('1500 bytes pass the internet gateway', () => {
    assert.equal(run('web', 'client', 'tcp', 1500).verdict, 'reachable');
  });
  it('without a size nothing is checked', () => {
    assert.equal(run('web', 'db', 'tcp').verdict, 'reachable');
  });
});

describe('path MTU: UDP and ICMP are fragmented where the leg allows it', () => {
  it('a 2000-byte UDP packet is fragmented through the internet gateway', () => {
    assert.equal(run('web', 'client', 'udp', 2000).verdict, 'reachable');
    assert.equal(run('web', 'client', 'icmp', 2000).verdict, 'reachable');
  });
  it('a leg that never fragments (GENEVE, transit gateway, VPN) drops it', () => {
    const w = new Walker(compile(shop()), true);
    w.begin('forward');
    w.size = 9000; w.packetProtocol = 'udp';
    assert.equal(w.leg(8500, { component: 'hub', kind: 'transit-gateway', place: 'hyperplane' }, true), false);
    assert.equal(w.drop?.code, 'PATH_MTU_EXCEEDED');
    assert.equal(w.drop?.component, 'hub');
    assert.match(w.drop!.reason, /never fragments/);
  });
  it('the same leg takes a packet that fits', () => {
    const w = new Walker(compile(shop()), false);
    w.begin('forward');
    w.size = 8500; w.packetProtocol = 'udp';
    assert.equal(w.leg(8500, undefined, true), true);
  });
});

describe('path MTU: expectations carry size into analyze()', () => {
  it('an expectation with size decides its verdict by the path MTU', () => {
    const model = shop();
    model.expectations.push({
      source: { kind: 'instance', vpc: 'shop', name: 'web' }, destination: { kind: 'host', name: 'client' },
      sourceText: 'web', destinationText: 'client', protocol: 'tcp', port: 443, size: 9000, expected: 'unreachable',
    });
    const [result] = analyze(model).results;
    assert.equal(result.holds, true);
    assert.equal(result.result.code, 'PATH_MTU_EXCEEDED');
    assert.equal(result.result.hops.at(-1)!.component, 'shop.igw');
  });
});
