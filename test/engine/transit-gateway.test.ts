/** Transit gateway (aws-data-plane.md §3.8). */
import assert from 'node:assert/strict';
import { network, hopsOf, field } from './helpers.js';
import { OPEN, addSite, addTgw, addVpn, addDx, subnetOf, tableOf, tgwOf, traceFlow, vpcOf } from './between-fixtures.js';
import type { NetworkModel } from '../../engine/index.js';

/** Two spokes a (10.1/16) and b (10.2/16), each with an attachment subnet in us-east-1a. */
function hub(options: { associate?: string[]; propagate?: string[]; routes?: { destination: string; attachment?: string; blackhole: boolean }[]; instanceAz?: string } = {}): NetworkModel {
  const m = network()
    .vpc('a', v => v.cidr('10.1.0.0/16')
      .subnet('app', '10.1.1.0/24', s => s.routeTable('rt').instance('x', '10.1.1.10', { groups: ['open'] }), options.instanceAz ?? 'us-east-1a')
      .subnet('tgw-a', '10.1.0.0/28', s => s.routeTable('rt'), 'us-east-1a')
      .routeTable('rt', ['10.0.0.0/8 -> hub']).sg('open', OPEN))
    .vpc('b', v => v.cidr('10.2.0.0/16')
      .subnet('app', '10.2.1.0/24', s => s.routeTable('rt').instance('y', '10.2.1.10', { groups: ['open'] }))
      .subnet('tgw-a', '10.2.0.0/28', s => s.routeTable('rt'), 'us-east-1a')
      .routeTable('rt', ['10.0.0.0/8 -> hub']).sg('open', OPEN))
    .build();
  addTgw(m, {
    name: 'hub',
    attachments: [
      { name: 'att-a', kind: 'vpc', vpc: 'a', subnets: ['tgw-a'], applianceMode: false },
      { name: 'att-b', kind: 'vpc', vpc: 'b', subnets: ['tgw-a'], applianceMode: false },
    ],
    routeTables: [{
      name: 'main', associations: options.associate ?? ['att-a', 'att-b'], propagations: options.propagate ?? ['att-a', 'att-b'],
      routes: options.routes ?? [],
    }],
  });
  return m;
}

describe('a VPC attachment carries traffic through the transit gateway (Hyperplane hop, MTU 8500)', () => {
  it('a VPC attachment carries traffic through the transit gateway (Hyperplane hop, MTU 8500)', () => {
    const r = traceFlow(hub(), 'a.x -> b.y tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    const rtb = fwd.find(h => h.kind === 'transit-gateway-route-table')!;
    assert.equal(rtb.place, 'hyperplane');
    assert.equal(rtb.rule?.text, '10.2.0.0/16 -> att-b (propagated from VPC b)');
    const into = fwd.find(h => h.kind === 'transit-gateway-attachment')!;
    assert.equal(into.place, 'hyperplane');
    assert.equal(into.mtu, 8500);
    assert.ok(field(into.headers, 'VPC encapsulation (modelled)', 'vpc'));
    assert.equal(r.pathMtu, 8500);
    // Every leg towards the gateway is at most 8500 bytes, the underlay included.
    const toTgw = fwd.findIndex(h => h.kind === 'mapping-service' && /transit gateway/.test(h.detail));
    assert.equal(fwd[toTgw].mtu, 8500);
    assert.equal(fwd[toTgw + 1].kind, 'underlay');
    assert.equal(fwd[toTgw + 1].mtu, 8500);
  });
});

describe('a subnet can send to the gateway only from an AZ where the attachment has a subnet', () => {
  it('TGW_ROUTE_AZ_RESTRICTION', () => {
    const r = traceFlow(hub({ instanceAz: 'us-east-1b' }), 'a.x -> b.y tcp 443');
    assert.equal(r.code, 'TGW_ROUTE_AZ_RESTRICTION');
    assert.equal(r.component, 'hub.att-a');
    assert.equal(r.direction, 'forward');
  });
});

describe('an attachment needs a route table association', () => {
  it('TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION', () => {
    const r = traceFlow(hub({ associate: ['att-b'] }), 'a.x -> b.y tcp 443');
    assert.equal(r.code, 'TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION');
    assert.equal(r.component, 'hub.att-a');
  });

  it('the association decides the return too', () => {
    const r = traceFlow(hub({ associate: ['att-a'] }), 'a.x -> b.y tcp 443');
    assert.equal(r.code, 'TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'hub.att-b');
  });
});

describe('a VPC attachment propagates its CIDRs', () => {
  it('without propagation or a static route the gateway has no route', () => {
    const r = traceFlow(hub({ propagate: ['att-a'] }), 'a.x -> b.y tcp 443');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'hub.main');
  });

  it('a static route replaces propagation', () => {
    const r = traceFlow(hub({ propagate: ['att-a'], routes: [{ destination: '10.2.0.0/16', attachment: 'att-b', blackhole: false }] }), 'a.x -> b.y tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(hopsOf(r, 'forward').find(h => h.kind === 'transit-gateway-route-table')?.rule?.text, '10.2.0.0/16 -> att-b');
  });
});

describe('blackhole routes drop, and static beats propagated for the same prefix', () => {
  it('TGW_RTB_BAD_STATE_ROUTE: a static blackhole for the propagated prefix wins and drops', () => {
    const r = traceFlow(hub({ routes: [{ destination: '10.2.0.0/16', blackhole: true }] }), 'a.x -> b.y tcp 443');
    assert.equal(r.code, 'TGW_RTB_BAD_STATE_ROUTE');
    assert.equal(r.rule?.text, '10.2.0.0/16 blackhole');
  });

  it('a more specific propagated route still beats a less specific blackhole', () => {
    const r = traceFlow(hub({ routes: [{ destination: '10.2.0.0/15', blackhole: true }] }), 'a.x -> b.y tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
  });

  it('for one prefix: VPC propagated > Direct Connect gateway propagated > VPN propagated', () => {
    // A site announces 10.2.0.0/16 over a BGP VPN and over Direct Connect; VPC b propagates it too.
    const m = hub({ propagate: ['att-a', 'att-b', 'att-vpn', 'att-dx'] });
    addSite(m, { name: 'dc', cidrs: ['10.2.0.0/16'], hosts: [] });
    addVpn(m, { name: 'dc-vpn', site: 'dc', to: 'hub' });
    addDx(m, { name: 'dc-dx', site: 'dc', to: 'dxgw', vlan: 200 });
    (m.directConnectGateways ??= []).push({ name: 'dxgw', associations: ['hub'] });
    const t = tgwOf(m, 'hub');
    t.attachments.push({ name: 'att-vpn', kind: 'vpn', vpn: 'dc-vpn' }, { name: 'att-dx', kind: 'direct-connect-gateway', directConnectGateway: 'dxgw' });
    t.routeTables[0].associations.push('att-vpn', 'att-dx');
    const r = traceFlow(m, 'a.x -> b.y tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const rtb = hopsOf(r, 'forward').find(h => h.kind === 'transit-gateway-route-table')!;
    assert.equal(rtb.rule?.text, '10.2.0.0/16 -> att-b (propagated from VPC b)');
    assert.match(rtb.detail, /preferred over .*att-dx.*att-vpn/);
    // Without VPC b's propagation, Direct Connect beats the VPN.
    t.routeTables[0].propagations = ['att-a', 'att-vpn', 'att-dx'];
    const dx = traceFlow(m, 'a.x -> 10.2.1.10 tcp 443');
    assert.equal(hopsOf(dx, 'forward').find(h => h.kind === 'transit-gateway-route-table')?.rule?.text, '10.2.0.0/16 -> att-dx (propagated over BGP from Direct Connect dc-dx)');
  });
});

describe('VPCs with identical CIDRs: the later attachment\'s routes are not propagated', () => {
  it('VPCs with identical CIDRs: the later attachment\'s routes are not propagated', () => {
    const m = hub();
    m.vpcs.push({ ...structuredClone(vpcOf(m, 'b')), name: 'b2' });
    const t = tgwOf(m, 'hub');
    t.attachments.push({ name: 'att-b2', kind: 'vpc', vpc: 'b2', subnets: ['tgw-a'], applianceMode: false });
    t.routeTables[0].associations.push('att-b2');
    t.routeTables[0].propagations = ['att-a', 'att-b', 'att-b2'];
    const first = traceFlow(m, 'a.x -> b.y tcp 443');
    assert.equal(hopsOf(first, 'forward').find(h => h.kind === 'transit-gateway-route-table')?.rule?.text, '10.2.0.0/16 -> att-b (propagated from VPC b)');
    // The order of propagation does not matter; the order of attachment does.
    t.routeTables[0].propagations = ['att-a', 'att-b2', 'att-b'];
    assert.equal(hopsOf(traceFlow(m, 'a.x -> b.y tcp 443'), 'forward').find(h => h.kind === 'transit-gateway-route-table')?.rule?.text, '10.2.0.0/16 -> att-b (propagated from VPC b)');
    t.attachments = [t.attachments[0], t.attachments[2], t.attachments[1]];
    const later = traceFlow(m, 'a.x -> b.y tcp 443');
    assert.equal(hopsOf(later, 'forward').find(h => h.kind === 'transit-gateway-route-table')?.rule?.text, '10.2.0.0/16 -> att-b2 (propagated from VPC b2)');
  });
});

describe('traffic entering a VPC from the gateway is routed by the attachment subnet\'s route table', () => {
  it('traffic entering a VPC from the gateway is routed by the attachment subnet\'s route table', () => {
    const m = hub();
    // b's attachment subnet sends the app subnet through an appliance.
    const b = vpcOf(m, 'b');
    b.subnets.push({ name: 'fw', cidr: '10.2.9.0/24', az: 'us-east-1a', routeTable: 'fw-rt', instances: [{ name: 'fw1', privateIp: '10.2.9.10', securityGroups: ['open'], sourceDestCheck: false }] });
    b.routeTables.push({ name: 'att-rt', main: false, routes: [{ destination: '10.2.1.0/24', target: 'fw1' }] });
    b.routeTables.push({ name: 'fw-rt', main: false, routes: [{ destination: '10.0.0.0/8', target: 'hub' }] });
    subnetOf(m, 'b', 'tgw-a').routeTable = 'att-rt';
    tableOf(m, 'b', 'rt').routes.push({ destination: '10.1.0.0/16', target: 'fw1' });
    const r = traceFlow(m, 'a.x -> b.y tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    assert.ok(fwd.some(h => h.component === 'b.att-rt' && h.rule?.text === '10.2.1.0/24 -> fw1'));
    assert.ok(fwd.some(h => h.component === 'b.fw1' && h.action === 'forward'));
  });
});

describe('network ACLs of attachment subnets (TGW-NACL)', () => {
  function withAcl(vpc: 'a' | 'b', rules: string[]): NetworkModel {
    const m = hub();
    vpcOf(m, vpc).networkAcls.push({ name: 'att-acl', rules: rules.map(t => {
      const [direction, number, action, protocol, , cidr] = t.split(' ');
      return { direction: direction as 'inbound' | 'outbound', number: Number(number), action: action as 'allow' | 'deny', protocol: protocol as 'all', cidr };
    }) });
    subnetOf(m, vpc, 'tgw-a').networkAcl = 'att-acl';
    return m;
  }

  it('traffic to the gateway is checked inbound by the attachment subnet\'s ACL', () => {
    const r = traceFlow(withAcl('a', ['inbound 100 deny all from 10.1.1.0/24', 'inbound 200 allow all from 0.0.0.0/0', 'outbound 100 allow all to 0.0.0.0/0']), 'a.x -> b.y tcp 443');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.component, 'a.att-acl');
    assert.equal(r.direction, 'forward');
  });

  it('traffic from the gateway is checked outbound by the attachment subnet\'s ACL', () => {
    const r = traceFlow(withAcl('b', ['inbound 100 allow all from 0.0.0.0/0', 'outbound 100 deny all to 10.2.1.0/24', 'outbound 200 allow all to 0.0.0.0/0']), 'a.x -> b.y tcp 443');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.component, 'b.att-acl');
    assert.equal(r.direction, 'forward');
  });

  it('from the gateway to an instance in the attachment subnet itself, no ACL is evaluated', () => {
    const m = withAcl('b', ['inbound 100 allow all from 0.0.0.0/0']); // outbound: only the final deny
    subnetOf(m, 'b', 'tgw-a').instances.push({ name: 'z', privateIp: '10.2.0.10', securityGroups: ['open'], sourceDestCheck: true });
    const fwd = hopsOf(traceFlow(m, 'a.x -> b.z tcp 443'), 'forward');
    assert.ok(fwd.at(-1)?.action === 'deliver');
    assert.ok(!fwd.some(h => h.component === 'b.att-acl' && h.action === 'allow' && /outbound/.test(h.detail)));
  });
});

describe('appliance mode keeps both directions of a flow in one AZ', () => {
  /** Spokes a (us-east-1a) and b (us-east-1b); inspection VPC i with a firewall per zone. */
  function inspection(applianceMode: boolean): NetworkModel {
    const m = network()
      .vpc('a', v => v.cidr('10.1.0.0/16')
        .subnet('app', '10.1.1.0/24', s => s.routeTable('rt').instance('x', '10.1.1.10', { groups: ['open'] }), 'us-east-1a')
        .subnet('tgw', '10.1.0.0/28', s => s.routeTable('rt'), 'us-east-1a')
        .routeTable('rt', ['0.0.0.0/0 -> hub']).sg('open', OPEN))
      .vpc('b', v => v.cidr('10.2.0.0/16')
        .subnet('app', '10.2.1.0/24', s => s.routeTable('rt').instance('y', '10.2.1.10', { groups: ['open'] }), 'us-east-1b')
        .subnet('tgw', '10.2.0.0/28', s => s.routeTable('rt'), 'us-east-1b')
        .routeTable('rt', ['0.0.0.0/0 -> hub']).sg('open', OPEN))
      .vpc('i', v => v.cidr('10.9.0.0/16')
        .subnet('att-a', '10.9.0.0/28', s => s.routeTable('to-fw-a'), 'us-east-1a')
        .subnet('att-b', '10.9.0.16/28', s => s.routeTable('to-fw-b'), 'us-east-1b')
        .subnet('fw-a', '10.9.1.0/24', s => s.routeTable('to-hub').instance('fw1', '10.9.1.10', { groups: ['open'], sourceDestCheck: false }), 'us-east-1a')
        .subnet('fw-b', '10.9.2.0/24', s => s.routeTable('to-hub').instance('fw2', '10.9.2.10', { groups: ['open'], sourceDestCheck: false }), 'us-east-1b')
        .routeTable('to-fw-a', ['0.0.0.0/0 -> fw1'])
        .routeTable('to-fw-b', ['0.0.0.0/0 -> fw2'])
        .routeTable('to-hub', ['0.0.0.0/0 -> hub'])
        .sg('open', OPEN))
      .build();
    addTgw(m, {
      name: 'hub',
      attachments: [
        { name: 'att-a', kind: 'vpc', vpc: 'a', subnets: ['tgw'], applianceMode: false },
        { name: 'att-b', kind: 'vpc', vpc: 'b', subnets: ['tgw'], applianceMode: false },
        { name: 'att-i', kind: 'vpc', vpc: 'i', subnets: ['att-a', 'att-b'], applianceMode },
      ],
      routeTables: [
        { name: 'spokes', associations: ['att-a', 'att-b'], propagations: [], routes: [{ destination: '0.0.0.0/0', attachment: 'att-i', blackhole: false }] },
        { name: 'inspection', associations: ['att-i'], propagations: ['att-a', 'att-b'], routes: [] },
      ],
    });
    return m;
  }

  it('without appliance mode the reply lands in the other AZ\'s firewall (TGW_ATTACH_VPC_AZ_RESTRICTION)', () => {
    const r = traceFlow(inspection(false), 'a.x -> b.y tcp 443');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'TGW_ATTACH_VPC_AZ_RESTRICTION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'i.fw2');
    assert.match(r.reason, /appliance mode/);
  });

  it('with appliance mode both directions use the same firewall', () => {
    const r = traceFlow(inspection(true), 'a.x -> b.y tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fw = (d: 'forward' | 'return') => hopsOf(r, d).filter(h => h.kind === 'instance' && h.action === 'forward').map(h => h.component);
    assert.deepEqual(fw('forward'), fw('return'));
    assert.equal(fw('forward').length, 1);
  });
});

describe('transit gateway peering: static routes only', () => {
  function peered(staticRoute: boolean): NetworkModel {
    const m = hub();
    m.vpcs.push({
      name: 'w', region: 'us-west-2', cidrs: ['10.5.0.0/16'], subnets: [
        { name: 'app', cidr: '10.5.1.0/24', az: 'us-west-2a', routeTable: 'rt', instances: [{ name: 'v', privateIp: '10.5.1.10', securityGroups: ['open'], sourceDestCheck: true }] },
        { name: 'tgw', cidr: '10.5.0.0/28', az: 'us-west-2a', routeTable: 'rt', instances: [] },
      ],
      routeTables: [{ name: 'rt', main: false, routes: [{ destination: '10.0.0.0/8', target: 'west' }] }],
      securityGroups: [{ name: 'open', rules: [
        { direction: 'inbound', protocol: 'all', peer: { kind: 'cidr', cidr: '0.0.0.0/0' } },
        { direction: 'outbound', protocol: 'all', peer: { kind: 'cidr', cidr: '0.0.0.0/0' } }] }],
      networkAcls: [],
    });
    const h = tgwOf(m, 'hub');
    h.attachments.push({ name: 'to-west', kind: 'peering', transitGateway: 'west' });
    h.routeTables[0].associations.push('to-west');
    h.routeTables[0].propagations.push('to-west'); // peering attachments propagate nothing
    if (staticRoute) h.routeTables[0].routes.push({ destination: '10.5.0.0/16', attachment: 'to-west', blackhole: false });
    addTgw(m, {
      name: 'west', region: 'us-west-2',
      attachments: [{ name: 'att-w', kind: 'vpc', vpc: 'w', subnets: ['tgw'], applianceMode: false }, { name: 'to-east', kind: 'peering', transitGateway: 'hub' }],
      routeTables: [{ name: 'main', associations: ['att-w', 'to-east'], propagations: ['att-w'], routes: [{ destination: '10.1.0.0/16', attachment: 'to-east', blackhole: false }] }],
    });
    return m;
  }

  it('a static route over a peering attachment reaches the other gateway\'s VPC', () => {
    const r = traceFlow(peered(true), 'a.x -> w.v tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'hub.to-west'));
  });

  it('propagation from a peering attachment installs nothing', () => {
    const r = traceFlow(peered(false), 'a.x -> w.v tcp 443');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'hub.main');
  });
});
