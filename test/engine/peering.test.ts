/** VPC peering (aws-data-plane.md §3.7; the peering article, seeds/002). */
import assert from 'node:assert/strict';
import { network, hopsOf, field, analyze, compile } from './helpers.js';
import { OPEN, addPeering, addSite, addVpn, tableOf, traceFlow, vpcOf } from './between-fixtures.js';
import type { NetworkModel } from '../../engine/index.js';

/** The article's triangle: a–b and b–c are peered, a and c are not. */
function triangle(options: { aRoutes?: string[]; bRoutes?: string[]; cRegion?: string } = {}): NetworkModel {
  const m = network()
    .vpc('a', v => v.cidr('10.0.0.0/16')
      .subnet('sa', '10.0.1.0/24', s => s.routeTable('rt').instance('x', '10.0.1.10', { groups: ['open'] }))
      .routeTable('rt', options.aRoutes ?? ['192.168.1.0/24 -> ab', '172.31.0.0/16 -> ab'])
      .sg('open', OPEN))
    .vpc('b', v => v.cidr('192.168.1.0/24')
      .subnet('sb', '192.168.1.0/25', s => s.routeTable('rt').instance('y', '192.168.1.10', { groups: ['open'] }))
      .routeTable('rt', options.bRoutes ?? ['10.0.0.0/16 -> ab', '172.31.0.0/16 -> bc'])
      .sg('open', OPEN))
    .vpc('c', v => v.cidr('172.31.0.0/16')
      .subnet('sc', '172.31.1.0/24', s => s.routeTable('rt').instance('z', '172.31.1.10', { groups: ['open'] }))
      .routeTable('rt', ['192.168.1.0/24 -> bc', '10.0.0.0/16 -> bc'])
      .sg('open', OPEN))
    .build();
  if (options.cRegion) vpcOf(m, 'c').region = options.cRegion;
  addPeering(m, 'ab', 'a', 'b');
  addPeering(m, 'bc', 'b', 'c');
  return m;
}

describe('routes in both VPCs carry traffic over an active peering', () => {
  it('routes in both VPCs carry traffic over an active peering', () => {
    const r = traceFlow(triangle(), 'a.x -> b.y tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    const pcx = fwd.find(h => h.kind === 'peering');
    assert.ok(pcx, 'a peering hop');
    assert.equal(pcx!.component, 'ab');
    assert.equal(pcx!.mtu, 9001);
    assert.equal(fwd.find(h => h.kind === 'route-table')?.rule?.text, '192.168.1.0/24 -> ab');
    // The return path uses b's own route to the peering.
    assert.equal(hopsOf(r, 'return').find(h => h.kind === 'route-table')?.rule?.text, '10.0.0.0/16 -> ab');
    assert.equal(r.pathMtu, 9001);
    // The packet is encapsulated towards the peer VPC's host, with the peer VPC's id.
    assert.match(field(pcx!.headers, 'VPC encapsulation (modelled)', 'vpc')!.value, /^vpc-/);
  });

  it('both directions: b reaches a as well', () => {
    assert.equal(traceFlow(triangle(), 'b.y -> a.x icmp').verdict, 'reachable');
  });
});

describe('a pending peering carries nothing', () => {
  it('a pending peering carries nothing', () => {
    const m = triangle();
    m.peerings![0].status = 'pending';
    const r = traceFlow(m, 'a.x -> b.y tcp 22');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'BAD_STATE_ROUTE');
    assert.equal(r.direction, 'forward');
    assert.match(r.reason, /pending/);
  });
});

describe('a one-sided route leaves the return path without a route', () => {
  it('a one-sided route leaves the return path without a route (NO_ROUTE_TO_DESTINATION on the return)', () => {
    const r = traceFlow(triangle({ bRoutes: ['172.31.0.0/16 -> bc'] }), 'a.x -> b.y tcp 22');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'b.rt');
  });
});

describe('peering is not transitive (PCX_REQUIRES_ADDRESS_IN_VPC_CIDR)', () => {
  it('a cannot reach c through b even with routes on every side', () => {
    const r = traceFlow(triangle(), 'a.x -> c.z tcp 22');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
    assert.equal(r.component, 'ab');
    assert.equal(r.direction, 'forward');
  });

  it('b reaches both of its peers', () => {
    assert.equal(traceFlow(triangle(), 'b.y -> c.z tcp 22').verdict, 'reachable');
    assert.equal(traceFlow(triangle(), 'b.y -> a.x tcp 22').verdict, 'reachable');
  });
});

describe('no edge-to-edge routing through a peer', () => {
  it('a peer cannot use this VPC\'s internet gateway', () => {
    const m = triangle({ aRoutes: ['192.168.1.0/24 -> ab', '0.0.0.0/0 -> ab'] });
    const b = vpcOf(m, 'b');
    b.internetGateway = { name: 'igw' };
    tableOf(m, 'b', 'rt').routes.push({ destination: '0.0.0.0/0', target: 'igw' });
    m.internetHosts.push({ name: 'dns', ip: '8.8.8.8' });
    const r = traceFlow(m, 'a.x -> 8.8.8.8 udp 53');
    assert.equal(r.code, 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
    assert.match(r.reason, /not inside peer VPC b/);
  });

  it('a peer cannot use this VPC\'s VPN: the peer\'s route to the site goes nowhere', () => {
    const m = triangle({ aRoutes: ['192.168.1.0/24 -> ab', '192.168.50.0/24 -> ab'] });
    vpcOf(m, 'b').vpnGateway = { name: 'vgw' };
    tableOf(m, 'b', 'rt').propagate = ['vgw'];
    addSite(m, { name: 'office', cidrs: ['192.168.50.0/24'], hosts: [{ name: 'pc', ip: '192.168.50.20' }] });
    addVpn(m, { name: 'office-vpn', site: 'office', to: 'b.vgw' });
    assert.equal(traceFlow(m, 'b.y -> office.pc tcp 22').verdict, 'reachable');
    const r = traceFlow(m, 'a.x -> office.pc tcp 22');
    assert.equal(r.code, 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
  });
});

describe('longest prefix match lets two peers share prefixes', () => {
  it('longest prefix match lets two peers share prefixes', () => {
    // b and c use the same CIDR; a routes one subnet of it to each peer (PCX-PARTIAL).
    const m = network()
      .vpc('a', v => v.cidr('10.0.0.0/16')
        .subnet('sa', '10.0.1.0/24', s => s.routeTable('rt').instance('x', '10.0.1.10', { groups: ['open'] }))
        .routeTable('rt', ['10.1.1.0/24 -> ab', '10.1.2.0/24 -> ac']).sg('open', OPEN))
      .vpc('b', v => v.cidr('10.1.0.0/16')
        .subnet('sb', '10.1.1.0/24', s => s.routeTable('rt').instance('y', '10.1.1.10', { groups: ['open'] }))
        .routeTable('rt', ['10.0.0.0/16 -> ab']).sg('open', OPEN))
      .vpc('c', v => v.cidr('10.1.0.0/16')
        .subnet('sc', '10.1.2.0/24', s => s.routeTable('rt').instance('z', '10.1.2.10', { groups: ['open'] }))
        .routeTable('rt', ['10.0.0.0/16 -> ac']).sg('open', OPEN))
      .build();
    addPeering(m, 'ab', 'a', 'b');
    addPeering(m, 'ac', 'a', 'c');
    const toB = traceFlow(m, 'a.x -> b.y tcp 22');
    const toC = traceFlow(m, 'a.x -> c.z tcp 22');
    assert.equal(toB.verdict, 'reachable', toB.reason);
    assert.equal(toC.verdict, 'reachable', toC.reason);
    assert.equal(hopsOf(toB, 'forward').find(h => h.kind === 'peering')?.component, 'ab');
    assert.equal(hopsOf(toC, 'forward').find(h => h.kind === 'peering')?.component, 'ac');
  });
});

describe('inter-Region and cross-account peering', () => {
  it('inter-Region peering carries traffic with MTU 8500', () => {
    const r = traceFlow(triangle({ cRegion: 'us-west-2' }), 'b.y -> c.z tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(hopsOf(r, 'forward').find(h => h.kind === 'peering')?.mtu, 8500);
    assert.equal(r.pathMtu, 8500);
  });

  it('cross-account peering carries traffic and says so', () => {
    const m = triangle();
    vpcOf(m, 'b').account = '222222222222';
    vpcOf(m, 'a').account = '111111111111';
    const r = traceFlow(m, 'a.x -> b.y tcp 22');
    assert.equal(r.verdict, 'reachable');
    assert.match(hopsOf(r, 'forward').find(h => h.kind === 'peering')!.detail, /cross-account/);
  });
});

describe('security-group references to the peer\'s groups (same Region only)', () => {
  function withReference(region?: string): NetworkModel {
    const m = triangle({ cRegion: region });
    // c's group admits ssh from b's group `open` by reference.
    const c = vpcOf(m, 'c');
    c.securityGroups.push({ name: 'ssh-from-b', rules: [
      { direction: 'inbound', protocol: 'tcp', ports: { from: 22, to: 22 }, peer: { kind: 'security-group', vpc: 'b', name: 'open' } },
      { direction: 'outbound', protocol: 'all', peer: { kind: 'cidr', cidr: '0.0.0.0/0' } },
    ] });
    c.subnets[0].instances[0].securityGroups = ['ssh-from-b'];
    return m;
  }

  it('a reference to the peer\'s group matches across an active same-Region peering', () => {
    assert.equal(traceFlow(withReference(), 'b.y -> c.z tcp 22').verdict, 'reachable');
  });

  it('a reference to a group across an inter-Region peering matches nothing', () => {
    const r = traceFlow(withReference('us-west-2'), 'b.y -> c.z tcp 22');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.direction, 'forward');
  });

  it('a reference to a group of a VPC that is not peered matches nothing', () => {
    const m = withReference();
    m.peerings = m.peerings!.filter(p => p.name !== 'bc');
    const group = compile(m).vpcs.get('c')!.securityGroups.get('ssh-from-b')!;
    const rule = group.inbound[0];
    assert.equal(rule.peer.kind === 'security-group' && rule.peer.group, undefined);
    assert.match(rule.text, /matches nothing: no peering connects c and b/);
  });
});

describe('overlapping peered VPCs do not crash the engine', () => {
  it('overlapping peered VPCs do not crash the engine', () => {
    const m = network()
      .vpc('a', v => v.cidr('10.0.0.0/16').subnet('sa', '10.0.1.0/24', s => s.routeTable('rt').instance('x', '10.0.1.10'))
        .routeTable('rt', ['10.0.0.0/8 -> ab']))
      .vpc('b', v => v.cidr('10.0.0.0/16').subnet('sb', '10.0.2.0/24', s => s.instance('y', '10.0.2.10')))
      .expect('a.x -> b.y tcp 22 unreachable')
      .build();
    addPeering(m, 'ab', 'a', 'b');
    const analysis = analyze(m);
    assert.equal(analysis.results.length, 1);
    // The local route wins inside a's own CIDR: the packet never reaches the peering.
    assert.equal(analysis.results[0].result.verdict, 'unreachable');
    assert.notEqual(analysis.results[0].result.code, 'INVALID_CONFIGURATION');
  });
});
