/** VMware Cloud on AWS connected over interfaces (the VMC connectivity article, seeds/004). */
import assert from 'node:assert/strict';
import { network, hopsOf, analyze, compile } from './helpers.js';
import { OPEN, addSddc, subnetOf, tableOf, traceFlow, vpcOf } from './between-fixtures.js';
import type { NetworkModel, Sddc } from '../../engine/index.js';

/** The article's setup: EC2 10.0.165.11 in the connected VPC, tinycore at 192.168.160.2. */
function article(sddc: Partial<Sddc> = {}, options: { customTable?: boolean } = {}): NetworkModel {
  const m = network()
    .vpc('shop', v => v.cidr('10.0.0.0/16')
      .subnet('link-a', '10.0.100.0/26', () => {})
      .subnet('app', '10.0.165.0/24', s => { if (options.customTable) s.routeTable('custom'); s.instance('ec2', '10.0.165.11'); })
      .routeTable('main', [], { main: true })
      .routeTable('custom', []))
    .build();
  addSddc(m, {
    name: 'vmc', connectedVpc: 'shop', subnet: 'link-a', management: '10.2.0.0/16',
    segments: [{ name: 'app', cidr: '192.168.160.0/24', hosts: [{ name: 'tinycore', ip: '192.168.160.2' }] }],
    ...sddc,
  });
  return m;
}

describe('the SDDC\'s segments are routed from the connected VPC\'s main route table to the active interface', () => {
  it('the article\'s EC2 instance reaches tc@192.168.160.2 over SSH', () => {
    const r = traceFlow(article(), 'shop.ec2 -> vmc.tinycore tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    const route = fwd.find(h => h.kind === 'route-table')!;
    assert.equal(route.component, 'shop.main');
    assert.equal(route.rule?.text, '192.168.160.0/24 -> vmc (SDDC route, active ENI)');
    assert.match(route.detail, /shop\.vmc-eni-1/);
    assert.ok(fwd.some(h => h.kind === 'sddc' && h.place === 'peer'));
    assert.equal(fwd.at(-1)?.component, 'vmc.tinycore');
  });

  it('the management CIDR is routed too', () => {
    const r = traceFlow(article(), 'shop.ec2 -> 10.2.0.4 tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
  });

  it('17 interfaces in the chosen subnet by default, one per host of the first cluster', () => {
    const net = compile(article());
    const sddc = net.between.sddcs.get('vmc')!;
    assert.equal(sddc.enis.length, 17);
    assert.ok(sddc.enis.every(e => e.subnet.name === 'link-a'));
    assert.equal(sddc.active, sddc.enis[0]);
  });

  it('the SDDC reaches the EC2 instance back', () => {
    const m = article();
    // ec2's default group admits only its members; SDDC machines need a rule by address.
    vpcOf(m, 'shop').securityGroups.push({ name: 'web', rules: [
      { direction: 'inbound', protocol: 'tcp', ports: { from: 443, to: 443 }, peer: { kind: 'cidr', cidr: '192.168.160.0/24' } },
    ] });
    subnetOf(m, 'shop', 'app').instances[0].securityGroups = ['web'];
    const r = traceFlow(m, 'vmc.tinycore -> shop.ec2 tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.hops[0].component, 'vmc.tinycore');
  });
});

describe('custom route tables are not supported: only the main table gets the SDDC routes', () => {
  it('a subnet with a custom table has no route to the SDDC', () => {
    const r = traceFlow(article({}, { customTable: true }), 'shop.ec2 -> vmc.tinycore tcp 22');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'shop.custom');
  });

  it('its own route to the SDDC works', () => {
    const m = article({}, { customTable: true });
    tableOf(m, 'shop', 'custom').routes.push({ destination: '192.168.160.0/24', target: 'vmc' });
    assert.equal(traceFlow(m, 'shop.ec2 -> vmc.tinycore tcp 22').verdict, 'reachable');
  });
});

describe('active-host moves the active interface and the routes follow', () => {
  it('active-host moves the active interface and the routes follow', () => {
    const r = traceFlow(article({ hostCount: 4, activeHost: 3 }), 'shop.ec2 -> vmc.tinycore tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.match(hopsOf(r, 'forward').find(h => h.kind === 'route-table')!.detail, /shop\.vmc-eni-3/);
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'host' && h.action === 'decapsulate' && /esxi-3/.test(h.component)));
    const net = compile(article({ hostCount: 4, activeHost: 3 }));
    assert.equal(net.between.sddcs.get('vmc')!.enis.length, 4);
  });

  it('an active host beyond the cluster leaves the routes without a target', () => {
    const r = traceFlow(article({ hostCount: 2, activeHost: 5 }), 'shop.ec2 -> vmc.tinycore tcp 22');
    assert.equal(r.code, 'BAD_STATE_ROUTE');
  });
});

describe('the SDDC interfaces carry the connected VPC\'s default security group', () => {
  it('a default group that does not admit the EC2 instance blocks it', () => {
    const m = article();
    vpcOf(m, 'shop').securityGroups.push({ name: 'default', rules: [{ direction: 'outbound', protocol: 'all', peer: { kind: 'cidr', cidr: '0.0.0.0/0' } }] });
    subnetOf(m, 'shop', 'app').instances[0].securityGroups = ['open'];
    vpcOf(m, 'shop').securityGroups.push({ name: 'open', rules: OPEN.map(t => {
      const [direction, protocol, , cidr] = t.split(' ');
      return { direction: direction as 'inbound' | 'outbound', protocol: protocol as 'all', peer: { kind: 'cidr' as const, cidr } };
    }) });
    const r = traceFlow(m, 'shop.ec2 -> vmc.tinycore tcp 22');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'shop.default');
  });
});

describe('the SDDC routes only the connected VPC through its interface', () => {
  it('an SDDC machine cannot use the VPC as a transit to elsewhere', () => {
    const r = traceFlow(article(), 'vmc.tinycore -> 172.16.0.1 tcp 443');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'vmc');
  });
});

describe('an SDDC segment overlapping the VPC does not crash the engine', () => {
  it('an SDDC segment overlapping the VPC does not crash the engine', () => {
    const m = article({ segments: [{ name: 'bad', cidr: '10.0.165.0/24', hosts: [{ name: 'clash', ip: '10.0.165.50' }] }] });
    m.expectations.push({
      source: { kind: 'instance', vpc: 'shop', name: 'ec2' }, destination: { kind: 'site-host', site: 'vmc', name: 'clash' },
      sourceText: 'shop.ec2', destinationText: 'vmc.clash', protocol: 'tcp', port: 22, expected: 'unreachable',
    });
    const analysis = analyze(m);
    assert.equal(analysis.results[0].result.verdict, 'unreachable');
    assert.ok(!compile(m).vpcs.get('shop')!.mainRouteTable.routes.some(r => r.prefix.text === '10.0.165.0/24'));
  });
});
