/** Routes to interfaces, gateway route tables and middleboxes (aws-data-plane.md §3.2, §3.3, §3.14). */
import assert from 'node:assert/strict';
import { network, hopsOf } from './helpers.js';
import { OPEN, addSite, addTgw, addVpn, tableOf, traceFlow, vpcOf } from './between-fixtures.js';
import { compile, trace, type NetworkModel } from '../../engine/index.js';

/**
 * Firewall inspection at the internet edge: the IGW's gateway route table sends the app subnet
 * through fw1; the app subnet's default route goes to fw1; the firewall subnet's to the IGW.
 */
function inspection(options: { appRoutes?: string[]; ingress?: string[]; fwCheck?: boolean } = {}): NetworkModel {
  const m = network()
    .vpc('shop', v => v.cidr('10.0.0.0/16').igw('igw')
      .subnet('fw', '10.0.0.0/24', s => s.routeTable('fw-rt').instance('fw1', '10.0.0.10', { groups: ['open'], sourceDestCheck: options.fwCheck ?? false, publicIp: '54.0.0.99' }))
      .subnet('app', '10.0.1.0/24', s => s.routeTable('app-rt').instance('web', '10.0.1.10', { groups: ['open'], publicIp: '54.0.0.10' }))
      .routeTable('fw-rt', ['0.0.0.0/0 -> igw'])
      .routeTable('app-rt', options.appRoutes ?? ['0.0.0.0/0 -> fw1'])
      .routeTable('ingress', options.ingress ?? ['10.0.1.0/24 -> fw1'])
      .sg('open', OPEN))
    .host('client', '198.51.100.7')
    .build();
  tableOf(m, 'shop', 'ingress').edge = 'igw';
  return m;
}

describe('a gateway route table edge-associated with the internet gateway (ingress routing)', () => {
  it('inbound traffic goes through the firewall, and so does the reply', () => {
    const r = traceFlow(inspection(), 'client -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    const edge = fwd.find(h => h.component === 'shop.ingress')!;
    assert.equal(edge.place, 'blackfoot');
    assert.equal(edge.rule?.text, '10.0.1.0/24 -> fw1');
    assert.ok(fwd.some(h => h.component === 'shop.fw1' && h.action === 'forward'));
    assert.ok(hopsOf(r, 'return').some(h => h.component === 'shop.fw1' && h.action === 'forward'));
  });

  it('without the gateway route table the internet reaches the instance directly', () => {
    const m = inspection({ appRoutes: ['0.0.0.0/0 -> igw'] });
    m.vpcs[0].routeTables = m.vpcs[0].routeTables.filter(t => t.name !== 'ingress');
    const r = traceFlow(m, 'client -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.ok(!r.hops.some(h => h.component === 'shop.fw1'));
  });

  it('an appliance that forwards needs source/destination check off', () => {
    const r = traceFlow(inspection({ fwCheck: true }), 'client -> shop.web tcp 443');
    assert.equal(r.code, 'ENI_SOURCE_DEST_CHECK_RESTRICTION');
    assert.equal(r.component, 'shop.fw1');
    assert.equal(r.direction, 'forward');
  });
});

describe('asymmetric routing through a middlebox', () => {
  it('ASYMMETRIC_ROUTING: a reply reaches a firewall that never saw the request', () => {
    // web sends straight to the internet gateway, but the reply is steered into fw1.
    const r = traceFlow(inspection({ appRoutes: ['0.0.0.0/0 -> igw'] }), 'shop.web -> client tcp 443');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'ASYMMETRIC_ROUTING');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'shop.fw1');
    assert.match(r.reason, /never saw the request/);
  });

  it('symmetric: the request and its reply both pass the firewall', () => {
    const r = traceFlow(inspection(), 'shop.web -> client tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
  });
});

describe('a route more specific than the local route must match a subnet exactly', () => {
  function eastWest(route: string): NetworkModel {
    return network()
      .vpc('v', v => v.cidr('10.0.0.0/16')
        .subnet('a', '10.0.1.0/24', s => s.routeTable('via-fw').instance('x', '10.0.1.10', { groups: ['open'] }))
        .subnet('b', '10.0.2.0/24', s => s.routeTable('back').instance('y', '10.0.2.10', { groups: ['open'] }))
        .subnet('fw', '10.0.9.0/24', s => s.instance('fw1', '10.0.9.10', { groups: ['open'], sourceDestCheck: false }))
        .routeTable('via-fw', [route])
        .routeTable('back', ['10.0.1.0/24 -> fw1'])
        .sg('open', OPEN))
      .build();
  }

  it('a subnet\'s exact CIDR to an interface steers east-west traffic through the appliance', () => {
    const r = traceFlow(eastWest('10.0.2.0/24 -> fw1'), 'v.x -> v.y tcp 5432');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'v.fw1' && h.action === 'forward'));
  });

  it('any other prefix inside the VPC is refused by AWS: not installed, the local route applies', () => {
    const m = eastWest('10.0.2.0/25 -> fw1');
    const r = traceFlow(m, 'v.x -> v.y tcp 5432');
    assert.equal(hopsOf(r, 'forward').find(h => h.kind === 'route-table')?.rule?.text, '10.0.0.0/16 -> local');
    // The reply goes through fw1, which never saw the request.
    assert.equal(r.code, 'ASYMMETRIC_ROUTING');
  });
});

describe('a gateway route table edge-associated with the virtual private gateway', () => {
  it('traffic from a site goes through the firewall before the instance', () => {
    const m = inspection();
    vpcOf(m, 'shop').vpnGateway = { name: 'vgw' };
    m.vpcs[0].routeTables.push({ name: 'vgw-ingress', main: false, edge: 'vgw', routes: [{ destination: '10.0.1.0/24', target: 'fw1' }] });
    tableOf(m, 'shop', 'fw-rt').propagate = ['vgw'];
    tableOf(m, 'shop', 'app-rt').routes = [{ destination: '0.0.0.0/0', target: 'fw1' }];
    addSite(m, { name: 'office', cidrs: ['192.168.0.0/16'], hosts: [{ name: 'pc', ip: '192.168.1.20' }] });
    addVpn(m, { name: 'office-vpn', site: 'office', to: 'shop.vgw' });
    const r = traceFlow(m, 'office.pc -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    assert.equal(fwd.find(h => h.component === 'shop.vgw-ingress')?.rule?.text, '10.0.1.0/24 -> fw1');
    assert.ok(fwd.some(h => h.component === 'shop.fw1' && h.action === 'forward'));
    assert.ok(hopsOf(r, 'return').some(h => h.component === 'shop.fw1' && h.action === 'forward'));
  });
});

describe('security-group references do not match through a middlebox', () => {
  it('a reference to the sender\'s group fails once the traffic came through the inspection firewall', () => {
    const m = network()
      .vpc('v', v => v.cidr('10.0.0.0/16')
        .subnet('a', '10.0.1.0/24', s => s.routeTable('via-fw').instance('x', '10.0.1.10', { groups: ['app'] }))
        .subnet('b', '10.0.2.0/24', s => s.routeTable('back').instance('y', '10.0.2.10', { groups: ['db'] }))
        .subnet('fw', '10.0.9.0/24', s => s.instance('fw1', '10.0.9.10', { groups: ['open'], sourceDestCheck: false }))
        .routeTable('via-fw', ['10.0.2.0/24 -> fw1'])
        .routeTable('back', ['10.0.1.0/24 -> fw1'])
        .sg('open', OPEN).sg('app', ['outbound all to 0.0.0.0/0'])
        .sg('db', ['inbound tcp 5432 from app']))
      .build();
    const r = traceFlow(m, 'v.x -> v.y tcp 5432');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'v.db');
    const direct = traceFlow({ ...m, vpcs: [{ ...m.vpcs[0], routeTables: [] }] }, 'v.x -> v.y tcp 5432');
    assert.equal(direct.verdict, 'reachable', direct.reason);
  });
});

describe('a route for exactly the VPC CIDR replaces the local route\'s target', () => {
  it('a gateway route table sending the whole VPC CIDR to the firewall inspects every subnet', () => {
    const m = inspection({ ingress: ['10.0.0.0/16 -> fw1'] });
    const r = traceFlow(m, 'client -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(hopsOf(r, 'forward').find(h => h.component === 'shop.ingress')?.rule?.text, '10.0.0.0/16 -> fw1');
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'shop.fw1' && h.action === 'forward'));
  });
});

describe('a gateway route table can send traffic entering through the internet gateway to a GWLB endpoint', () => {
  function gwlbIngress(): NetworkModel {
    const m = network()
      .vpc('app', v => {
        v.cidr('10.0.0.0/16').igw('igw')
          .subnet('web-a', '10.0.1.0/24', s => s.routeTable('web-rt').instance('web', '10.0.1.10', { groups: ['open'], publicIp: '54.0.0.10' }))
          .subnet('fw-a', '10.0.2.0/24', s => s.routeTable('fw-rt'))
          .routeTable('web-rt', ['0.0.0.0/0 -> fw-ep'])
          .routeTable('fw-rt', ['0.0.0.0/0 -> igw'])
          .routeTable('ingress', ['10.0.1.0/24 -> fw-ep'])
          .sg('open', OPEN);
        v.vpc.gatewayLoadBalancerEndpoints = [{ name: 'fw-ep', service: 'inspection', subnet: 'fw-a' }];
      })
      .vpc('sec', v => {
        v.cidr('10.9.0.0/16')
          .subnet('appl-a', '10.9.1.0/24', s => s.instance('fw1', '10.9.1.10', { groups: ['fw-sg'] }))
          .sg('fw-sg', ['inbound udp 6081 from 10.9.0.0/16', 'outbound all to 0.0.0.0/0']);
        v.vpc.loadBalancers = [{
          name: 'gwlb', type: 'gateway', scheme: 'internal', subnets: ['appl-a'], crossZone: false, securityGroups: [],
          listeners: [{ protocol: 'all', targets: ['fw1'], targetType: 'instance' }],
        }];
      })
      .host('client', '198.51.100.7')
      .build();
    m.endpointServices = [{ name: 'inspection', vpc: 'sec', loadBalancer: 'gwlb', allowedAccounts: [] }];
    tableOf(m, 'app', 'ingress').edge = 'igw';
    return m;
  }

  it('inbound through the endpoint and the appliance, the reply back through them', () => {
    const r = traceFlow(gwlbIngress(), 'client -> app.web tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    const order = ['app.igw', 'app.ingress', 'app.fw-ep', 'sec.fw1', 'app.web'].map(c => fwd.findIndex(h => h.component === c));
    assert.ok(order.every((x, i) => x >= 0 && (i === 0 || x > order[i - 1])), JSON.stringify(order));
    assert.ok(hopsOf(r, 'return').some(h => h.component === 'sec.fw1'));
  });

  it('a virtual private gateway\'s gateway route table that names a GWLB endpoint drops the traffic', () => {
    const m = gwlbIngress();
    vpcOf(m, 'app').vpnGateway = { name: 'vgw' };
    vpcOf(m, 'app').routeTables.push({ name: 'from-vpn', main: false, edge: 'vgw', routes: [{ destination: '10.0.1.0/24', target: 'fw-ep' }] });
    addSite(m, { name: 'office', cidrs: ['192.168.0.0/16'], hosts: [{ name: 'pc', ip: '192.168.1.20' }] });
    addVpn(m, { name: 'office-vpn', site: 'office', to: 'app.vgw' });
    const r = traceFlow(m, 'office.pc -> app.web tcp 443');
    assert.equal(r.code, 'BAD_STATE_ROUTE');
    assert.equal(r.component, 'app.from-vpn');
  });

  it('without the gateway route table the request bypasses the appliance', () => {
    const m = gwlbIngress();
    m.vpcs[0].routeTables = m.vpcs[0].routeTables.filter(t => t.name !== 'ingress');
    const r = traceFlow(m, 'client -> app.web tcp 443');
    assert.ok(!hopsOf(r, 'forward').some(h => h.component === 'sec.fw1'));
  });
});

describe('asymmetric routing through a middlebox, for IPv6 flows', () => {
  const OPEN6 = ['inbound all from ::/0', 'outbound all to ::/0'];
  /** Dual-stack shop: the IGW's table sends the app /64 to fw1; app's ::/0 goes to `appDefault`. */
  function inspection6(appDefault: 'fw1' | 'igw'): NetworkModel {
    const m = network()
      .vpc('shop', v => v.cidr('10.0.0.0/16').igw('igw')
        .subnet('fw', '10.0.0.0/24', s => s.routeTable('fw-rt').instance('fw1', '10.0.0.10', { groups: ['open'], sourceDestCheck: false }))
        .subnet('app', '10.0.1.0/24', s => s.routeTable('app-rt').instance('web', '10.0.1.10', { groups: ['open'] }))
        .routeTable('fw-rt', ['::/0 -> igw'])
        .routeTable('app-rt', [`::/0 -> ${appDefault}`])
        .routeTable('ingress', ['2600:1f18:0:1::/64 -> fw1'])
        .sg('open', OPEN6))
      .build();
    const shop = m.vpcs[0];
    shop.ipv6Cidrs = ['2600:1f18::/56'];
    shop.subnets[0].ipv6Cidr = '2600:1f18::/64';
    shop.subnets[1].ipv6Cidr = '2600:1f18:0:1::/64';
    shop.subnets[0].instances[0].ipv6 = ['2600:1f18::10'];
    shop.subnets[1].instances[0].ipv6 = ['2600:1f18:0:1::10'];
    tableOf(m, 'shop', 'ingress').edge = 'igw';
    return m;
  }
  const flow6 = (m: NetworkModel, from: string, to: string) => trace(compile(m), { source: { kind: 'ip', ip: from }, destination: { kind: 'ip', ip: to }, protocol: 'tcp', port: 443 });

  it('ASYMMETRIC_ROUTING (IPv6): the request bypasses the firewall, the reply reaches it through the edge table', () => {
    const r = flow6(inspection6('igw'), '2600:1f18:0:1::10', '2001:db8::7');
    assert.equal(r.code, 'ASYMMETRIC_ROUTING');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'shop.fw1');
    assert.match(r.reason, /The reply 2001:db8::7 → 2600:1f18:0:1::10 reaches appliance shop\.fw1, which never saw the request/);
  });
  it('symmetric (IPv6): the request and its reply both pass the firewall', () => {
    const r = flow6(inspection6('fw1'), '2600:1f18:0:1::10', '2001:db8::7');
    assert.equal(r.verdict, 'reachable', r.reason);
  });

  /** Spokes a (us-east-1a) and b (us-east-1b); inspection VPC i with a firewall per zone; all dual-stack. */
  function tgwInspection6(applianceMode: boolean): NetworkModel {
    const m = network()
      .vpc('a', v => v.cidr('10.1.0.0/16')
        .subnet('app', '10.1.1.0/24', s => s.routeTable('rt').instance('x', '10.1.1.10', { groups: ['open'] }), 'us-east-1a')
        .subnet('tgw', '10.1.0.0/28', s => s.routeTable('rt'), 'us-east-1a')
        .routeTable('rt', ['::/0 -> hub']).sg('open', OPEN6))
      .vpc('b', v => v.cidr('10.2.0.0/16')
        .subnet('app', '10.2.1.0/24', s => s.routeTable('rt').instance('y', '10.2.1.10', { groups: ['open'] }), 'us-east-1b')
        .subnet('tgw', '10.2.0.0/28', s => s.routeTable('rt'), 'us-east-1b')
        .routeTable('rt', ['::/0 -> hub']).sg('open', OPEN6))
      .vpc('i', v => v.cidr('10.9.0.0/16')
        .subnet('att-a', '10.9.0.0/28', s => s.routeTable('to-fw-a'), 'us-east-1a')
        .subnet('att-b', '10.9.0.16/28', s => s.routeTable('to-fw-b'), 'us-east-1b')
        .subnet('fw-a', '10.9.1.0/24', s => s.routeTable('to-hub').instance('fw1', '10.9.1.10', { groups: ['open'], sourceDestCheck: false }), 'us-east-1a')
        .subnet('fw-b', '10.9.2.0/24', s => s.routeTable('to-hub').instance('fw2', '10.9.2.10', { groups: ['open'], sourceDestCheck: false }), 'us-east-1b')
        .routeTable('to-fw-a', ['::/0 -> fw1'])
        .routeTable('to-fw-b', ['::/0 -> fw2'])
        .routeTable('to-hub', ['::/0 -> hub'])
        .sg('open', OPEN6))
      .build();
    const n: Record<string, number> = { a: 1, b: 2, i: 9 };
    for (const vpc of m.vpcs) {
      vpc.ipv6Cidrs = [`2600:1f18:${n[vpc.name]}00::/56`];
      vpc.subnets.forEach((s, k) => {
        s.ipv6Cidr = `2600:1f18:${n[vpc.name]}00:${k}::/64`;
        s.instances.forEach(x => { x.ipv6 = [`2600:1f18:${n[vpc.name]}00:${k}::10`]; });
      });
    }
    addTgw(m, {
      name: 'hub',
      attachments: [
        { name: 'att-a', kind: 'vpc', vpc: 'a', subnets: ['tgw'], applianceMode: false, ipv6Support: true },
        { name: 'att-b', kind: 'vpc', vpc: 'b', subnets: ['tgw'], applianceMode: false, ipv6Support: true },
        { name: 'att-i', kind: 'vpc', vpc: 'i', subnets: ['att-a', 'att-b'], applianceMode, ipv6Support: true },
      ],
      routeTables: [
        { name: 'spokes', associations: ['att-a', 'att-b'], propagations: [], routes: [{ destination: '::/0', attachment: 'att-i', blackhole: false }] },
        { name: 'inspection', associations: ['att-i'], propagations: ['att-a', 'att-b'], routes: [] },
      ],
    });
    return m;
  }
  it('TGW_ATTACH_VPC_AZ_RESTRICTION (IPv6): without appliance mode the reply lands in the other AZ\'s firewall', () => {
    const r = flow6(tgwInspection6(false), '2600:1f18:100::10', '2600:1f18:200::10');
    assert.equal(r.code, 'TGW_ATTACH_VPC_AZ_RESTRICTION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'i.fw2');
    assert.match(r.reason, /appliance mode/);
  });
  it('with appliance mode both directions of the IPv6 flow use one firewall', () => {
    const r = flow6(tgwInspection6(true), '2600:1f18:100::10', '2600:1f18:200::10');
    assert.equal(r.verdict, 'reachable', r.reason);
  });
});
