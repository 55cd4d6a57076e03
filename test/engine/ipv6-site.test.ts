/**
 * IPv6 to and from on-premises sites (engine/ipv6-site.ts; aws-data-plane.md §3.9, §4, §5.3, §5.4):
 * Site-to-Site VPN with IPv6 inside the tunnel (transit gateway only, one family per connection),
 * Direct Connect VIFs with an IPv6 BGP peering (to a VGW, to a Direct Connect gateway and a transit
 * gateway), what each side announces, and the endpoint rules of IPv6 site hosts.
 */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile } from './helpers.js';
import { OPEN, addDx, addSite, addTgw, addVpn, endpointOf, subnetOf, tableOf, vpcOf } from './between-fixtures.js';
import { trace } from '../../engine/index.js';
import type { NetworkModel, Protocol, Site, VpnConnection } from '../../engine/model.js';

const OPEN6 = ['inbound all from ::/0', 'outbound all to ::/0', ...OPEN];

/** A dual-stack VPC `a`: 10.0.0.0/16 and 2600:1f18:0::/56; app (us-east-1a) with web, tgw-a for attachments. */
function dualVpc(appRoutes: string[]): NetworkModel {
  const model = network().vpc('a', v => v
    .cidr('10.0.0.0/16')
    .subnet('app', '10.0.1.0/24', s => s.routeTable('app-rt').instance('web', '10.0.1.10', { groups: ['open'] }), 'us-east-1a')
    .subnet('tgw-a', '10.0.2.0/28', s => s.routeTable('tgw-rt'), 'us-east-1a')
    .routeTable('app-rt', appRoutes)
    .routeTable('tgw-rt', [])
    .sg('open', OPEN6)).build();
  const vpc = model.vpcs[0];
  vpc.ipv6Cidrs = ['2600:1f18::/56'];
  vpc.subnets[0].ipv6Cidr = '2600:1f18:0:1::/64';
  vpc.subnets[1].ipv6Cidr = '2600:1f18:0:2::/64';
  vpc.subnets[0].instances[0].ipv6 = ['2600:1f18:0:1::10'];
  return model;
}

/** The dual-stack office: 192.168.0.0/16 and 2001:db8:100::/48; pc (IPv4) and pc6 (IPv6). */
function office(model: NetworkModel, extra: Partial<Site> = {}): NetworkModel {
  return addSite(model, {
    name: 'office', cidrs: ['192.168.0.0/16', '2001:db8:100::/48'], customerGatewayIp: '203.0.113.10',
    hosts: [{ name: 'pc', ip: '192.168.1.10' }, { name: 'pc6', ip: '2001:db8:100::10' }], ...extra,
  });
}

/** VPC a and the office on transit gateway hub; `vpns` are attached and propagate into the one table. */
function overTgw(vpns: (Partial<VpnConnection> & { name: string })[], appRoutes = ['0.0.0.0/0 -> hub', '::/0 -> hub'], site: Partial<Site> = {}): NetworkModel {
  const model = office(dualVpc(appRoutes), site);
  for (const v of vpns) addVpn(model, { site: 'office', to: 'hub', ...v });
  const atts = vpns.map(v => ({ name: `${v.name}-att`, kind: 'vpn' as const, vpn: v.name }));
  return addTgw(model, {
    name: 'hub',
    attachments: [{ name: 'a-att', kind: 'vpc', vpc: 'a', subnets: ['tgw-a'], applianceMode: false, ipv6Support: true }, ...atts],
    routeTables: [{ name: 'rt', associations: ['a-att', ...atts.map(a => a.name)], propagations: ['a-att', ...atts.map(a => a.name)], routes: [] }],
  });
}

function run(model: NetworkModel, from: string, to: string, options: { protocol?: Protocol; port?: number; family?: 4 | 6; size?: number } = {}) {
  const protocol = options.protocol ?? 'tcp';
  const ref = (t: string) => /^\d+\.\d+\.\d+\.\d+$/.test(t) || t.includes(':') ? { kind: 'ip' as const, ip: t } : endpointOf(model, t);
  return trace(compile(model), {
    source: ref(from), destination: ref(to), protocol, port: protocol === 'tcp' || protocol === 'udp' ? options.port ?? 22 : undefined,
    ...(options.family ? { family: options.family } : {}), ...(options.size ? { size: options.size } : {}),
  });
}

describe('IPv6 site hosts as endpoints of IPv6 flows', () => {
  it('a site host declared with an IPv6 address makes the flow IPv6 without a family', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]), 'a.web', 'office.pc6');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.srcIp, '2600:1f18:0:1::10');
    assert.equal(r.flow!.dstIp, '2001:db8:100::10');
  });
  it('family 6 with a site host that has only an IPv4 address is an endpoint error (INVALID_CONFIGURATION)', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]), 'a.web', 'office.pc', { family: 6 });
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.equal(r.component, 'office.pc');
    assert.match(r.reason, /no IPv6 address/);
    assert.equal(r.hops.length, 0);
  });
  it('family 4 with a site host that has only an IPv6 address is an endpoint error, not a walk', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]), 'a.web', 'office.pc6', { family: 4 });
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /only an IPv6 address/);
  });
  it('a bare IPv6 address inside a site prefix is an undeclared machine of the site', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]), 'a.web', '2001:db8:100:5::7');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.match(hopsOf(r, 'forward').at(-1)!.detail, /the machine at 2001:db8:100:5::7 in site office/);
  });
});

describe('Site-to-Site VPN with IPv6 inside the tunnel (transit gateway)', () => {
  it('tunnel inside ipv6: the site\'s IPv6 prefixes propagate over BGP into the transit gateway table, and the flow goes both ways', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]), 'a.web', 'office.pc6');
    assert.equal(r.verdict, 'reachable', r.reason);
    const rt = hopsOf(r, 'forward').find(h => h.kind === 'transit-gateway-route-table')!;
    assert.match(rt.detail, /2001:db8:100::\/48 -> v6-att \(propagated over BGP from VPN v6\)/);
    assert.ok(hopsOf(r, 'return').some(h => h.component === 'v6' && h.action === 'decapsulate'), 'the reply comes back through the tunnel');
  });
  it('the ESP leg: outer IPv4 between the outside addresses, ESP next header 41 (IPv6), the inner IPv6 packet; MTU 1446, MSS 1386', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]), 'a.web', 'office.pc6');
    const leg = hopsOf(r, 'forward').find(h => h.component === 'v6' && h.action === 'encapsulate')!;
    assert.equal(field(leg.headers, 'Outer IPv4 (tunnel)', 'protocol')!.value, '50 (ESP)');
    assert.equal(field(leg.headers, 'Outer IPv4 (tunnel)', 'dst')!.value, '203.0.113.10');
    assert.match(field(leg.headers, 'ESP', 'cipher')!.value, /next header 41 \(IPv6\)/);
    assert.equal(field(leg.headers, 'IPv6', 'dst')!.value, '2001:db8:100::10');
    assert.equal(leg.mtu, 1446);
    assert.match(leg.detail, /MSS 1386/);
    assert.equal(r.pathMtu, 1446);
  });
  it('from the site: the customer gateway learns the VPC\'s IPv6 CIDR from the attachment\'s table and sends into the IPv6 tunnel', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]), 'office.pc6', 'a.web');
    assert.equal(r.verdict, 'reachable', r.reason);
    const cgw = hopsOf(r, 'forward').find(h => h.component === 'office' && h.action === 'encapsulate')!;
    assert.match(cgw.detail, /2600:1f18::\/56 \(learned over BGP VPN v6\)/);
    assert.match(cgw.detail, /MSS 1386/);
  });
  it('the tunnel does not fragment: a TCP packet larger than 1446 bytes is PATH_MTU_EXCEEDED at the VPN', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]), 'a.web', 'office.pc6', { size: 1447 });
    assert.equal(r.code, 'PATH_MTU_EXCEEDED');
    assert.equal(r.component, 'v6');
  });
  it('tunnel inside ipv4 (the default) carries no IPv6: its BGP session announces no IPv6 prefix, so the table has no IPv6 route', () => {
    const r = run(overTgw([{ name: 'v4' }]), 'a.web', 'office.pc6');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'hub.rt');
  });
  it('tunnel inside ipv4: the site learns no IPv6 route over it (NO_ROUTE_TO_DESTINATION at the site names the tunnel)', () => {
    const r = run(overTgw([{ name: 'v4' }]), 'office.pc6', 'a.web');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'office');
    assert.match(r.reason, /BGP VPN v4, tunnel inside IPv4/);
  });
  it('the site router\'s static IPv6 route into an ipv4-inside tunnel: BAD_STATE_ATTACHMENT at the VPN, naming the inside version', () => {
    const r = run(overTgw([{ name: 'v4' }], undefined, { routes: [{ destination: '::/0', via: 'v4' }] }), 'office.pc6', 'a.web');
    assert.equal(r.code, 'BAD_STATE_ATTACHMENT');
    assert.equal(r.component, 'v4');
    assert.match(r.reason, /tunnel inside IP version ipv4/);
    assert.equal(r.rule?.text, '::/0 -> v4');
  });
  it('a connection carries one family: an ipv6-inside VPN announces no IPv4 prefix, so IPv4 to the site finds no route', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]), 'a.web', 'office.pc');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'hub.rt');
  });
  it('a connection carries one family: IPv4 sent into an ipv6-inside VPN by a static route is BAD_STATE_ATTACHMENT', () => {
    const r = run(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }], undefined, { routes: [{ destination: '10.0.0.0/8', via: 'v6' }] }), 'office.pc', 'a.web');
    assert.equal(r.code, 'BAD_STATE_ATTACHMENT');
    assert.equal(r.component, 'v6');
    assert.match(r.reason, /tunnel inside IP version ipv6/);
  });
  it('a dual-stack site needs two connections: IPv4 rides the ipv4 tunnel and IPv6 the ipv6 tunnel', () => {
    const model = overTgw([{ name: 'v4' }, { name: 'v6', tunnelInside: 'ipv6' }]);
    // The last hops of each request: the table, the VPN attachment of that family, its tunnel, the site.
    const tail = (r: ReturnType<typeof run>) => hopsOf(r, 'forward').slice(-5).map(h => `${h.component} ${h.action}`);
    const four = run(model, 'a.web', 'office.pc');
    assert.equal(four.verdict, 'reachable', four.reason);
    assert.deepEqual(tail(four), ['hub.rt route', 'hub.v4-att forward', 'v4 encapsulate', 'office decapsulate', 'office.pc deliver']);
    assert.equal(hopsOf(four, 'return')[2].component, 'v4', 'the reply comes back through the ipv4 tunnel');
    const six = run(model, 'a.web', 'office.pc6');
    assert.equal(six.verdict, 'reachable', six.reason);
    assert.deepEqual(tail(six), ['hub.rt route', 'hub.v6-att forward', 'v6 encapsulate', 'office decapsulate', 'office.pc6 deliver']);
    assert.equal(hopsOf(six, 'return')[2].component, 'v6', 'the reply comes back through the ipv6 tunnel');
    assert.ok(!six.hops.some(h => h.component === 'v4' || h.component === 'hub.v4-att'));
  });
  it('a static VPN with tunnel inside ipv6 carries its IPv6 static routes, installed as static routes; other site prefixes are not routed', () => {
    const model = overTgw([{ name: 'v6', tunnelInside: 'ipv6', routing: 'static', staticRoutes: ['2001:db8:100:1::/64'] }]);
    const r = run(model, 'a.web', '2001:db8:100:1::20');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.match(hopsOf(r, 'forward').find(h => h.kind === 'transit-gateway-route-table')!.detail, /2001:db8:100:1::\/64 -> v6-att \(static route of VPN v6\)/);
    assert.equal(run(model, 'a.web', 'office.pc6').code, 'NO_ROUTE_TO_DESTINATION');
  });
  it('on a virtual private gateway a VPN carries no IPv6 (VGWs do not support IPv6 VPN): the VGW knows no IPv6 prefix', () => {
    const model = office(dualVpc(['2001:db8:100::/48 -> vgw']));
    vpcOf(model, 'a').vpnGateway = { name: 'vgw' };
    addVpn(model, { name: 'v6', site: 'office', to: 'vgw', tunnelInside: 'ipv6' });
    const out = run(model, 'a.web', 'office.pc6');
    assert.equal(out.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(out.component, 'a.vgw');
    assert.match(out.reason, /does not support IPv6 over Site-to-Site VPN/);
    model.sites![0].routes = [{ destination: '::/0', via: 'v6' }];
    const back = run(model, 'office.pc6', 'a.web');
    assert.equal(back.code, 'BAD_STATE_ATTACHMENT');
    assert.match(back.reason, /supported only on a transit gateway/);
  });
});

describe('Direct Connect with an IPv6 BGP peering', () => {
  /** VPC a with vgw; app-rt propagates vgw; a private VIF to the VGW. */
  function privateVif(ipv6: boolean, appRoutes: string[] = []): NetworkModel {
    const model = office(dualVpc(appRoutes));
    vpcOf(model, 'a').vpnGateway = { name: 'vgw' };
    tableOf(model, 'a', 'app-rt').propagate = ['vgw'];
    return addDx(model, { name: 'dx1', site: 'office', to: 'vgw', vlan: 101, ...(ipv6 ? { ipv6: true } : {}) });
  }
  it('a private VIF to a virtual private gateway carries IPv6 with its IPv6 peering: propagated route, 802.1Q type 0x86DD, both ways', () => {
    const r = run(privateVif(true), 'a.web', 'office.pc6');
    assert.equal(r.verdict, 'reachable', r.reason);
    const forward = hopsOf(r, 'forward');
    assert.match(forward.find(h => h.kind === 'route-table')!.rule!.text, /2001:db8:100::\/48 -> vgw \(propagated\)/);
    const leg = forward.find(h => h.component === 'dx1' && h.action === 'encapsulate')!;
    assert.equal(field(leg.headers, '802.1Q', 'type')!.value, '0x86DD (IPv6)');
    assert.equal(field(leg.headers, '802.1Q', 'vlan')!.value, '101');
    assert.ok(hopsOf(r, 'return').some(h => h.component === 'a.vgw'), 'the reply enters through the VGW');
  });
  it('from the site over the private VIF: AWS announces the VPC\'s IPv6 CIDR; the VGW delivers by the mapping service', () => {
    const r = run(privateVif(true), 'office.pc6', 'a.web');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.match(hopsOf(r, 'forward').find(h => h.component === 'office' && h.action === 'encapsulate')!.detail, /2600:1f18::\/56 \(learned over Direct Connect dx1/);
  });
  it('a VIF without an IPv6 peering propagates no IPv6 prefix: a static route to the VGW finds none (NO_ROUTE_TO_DESTINATION at the VGW)', () => {
    assert.equal(run(privateVif(false), 'a.web', 'office.pc6').code, 'NO_ROUTE_TO_DESTINATION');
    const r = run(privateVif(false, ['2001:db8:100::/48 -> vgw']), 'a.web', 'office.pc6');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'a.vgw');
  });
  it('a VIF without an IPv6 peering: the site\'s static IPv6 route into it is BAD_STATE_ATTACHMENT', () => {
    const model = privateVif(false);
    model.sites![0].routes = [{ destination: '2600:1f18::/56', via: 'dx1' }];
    const r = run(model, 'office.pc6', 'a.web');
    assert.equal(r.code, 'BAD_STATE_ATTACHMENT');
    assert.match(r.reason, /no IPv6 BGP peering/);
  });
  it('VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: IPv6 from the site for an address outside the VPC\'s IPv6 CIDRs', () => {
    const model = privateVif(true);
    model.sites![0].routes = [{ destination: '::/0', via: 'dx1' }];
    const r = run(model, 'office.pc6', '2600:1f18:ff::1');
    assert.equal(r.code, 'VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
  });
  it('the VGW\'s gateway route table does not route IPv6 (VGWs do not support IPv6 interception): delivered directly', () => {
    const model = privateVif(true);
    const a = vpcOf(model, 'a');
    a.subnets.push({ name: 'fw-sub', cidr: '10.0.9.0/24', ipv6Cidr: '2600:1f18:0:9::/64', az: 'us-east-1a', instances: [{ name: 'fw', privateIp: '10.0.9.10', ipv6: ['2600:1f18:0:9::10'], securityGroups: ['open'], sourceDestCheck: false }] });
    a.routeTables.push({ name: 'edge', main: false, edge: 'vgw', routes: [{ destination: '2600:1f18:0:1::/64', target: 'fw' }] });
    const r = run(model, 'office.pc6', 'a.web');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(!hopsOf(r, 'forward').some(h => h.component === 'a.fw'));
    assert.match(hopsOf(r, 'forward').find(h => h.component === 'a.vgw')!.detail, /does not route IPv6/);
  });
  it('IPv6 from a VIF for a load balancer node enters through the VGW from no subnet: the mapping service (not layer 2) delivers it and the node subnet\'s ACL checks it inbound', () => {
    const model = withInternalNlb(privateVif(true));
    const ok = run(model, 'office.pc6', '2600:1f18:0:1:ffff:ffff:ffff:fffe');
    assert.equal(ok.verdict, 'reachable', ok.reason);
    const forward = hopsOf(ok, 'forward').map(h => `${h.component} ${h.action}`);
    const at = forward.indexOf('a.vgw route');
    assert.deepEqual(forward.slice(at, at + 5), ['a.vgw route', 'a.mapping-service encapsulate', 'underlay forward', 'a.nlb decapsulate', 'a.default-network-acl allow']);
    subnetOf(model, 'a', 'app').networkAcl = 'deny-site';
    vpcOf(model, 'a').networkAcls = [{ name: 'deny-site', rules: [
      { direction: 'inbound', number: 100, action: 'deny', protocol: 'all', cidr: '2001:db8:100::/48' },
      { direction: 'inbound', number: 200, action: 'allow', protocol: 'all', cidr: '::/0' },
      { direction: 'outbound', number: 100, action: 'allow', protocol: 'all', cidr: '::/0' },
    ] }];
    const denied = run(model, 'office.pc6', '2600:1f18:0:1:ffff:ffff:ffff:fffe');
    assert.equal(denied.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(denied.component, 'a.deny-site');
    assert.equal(hopsOf(denied, 'forward').at(-2)!.component, 'a.nlb');
  });
  it('a transit VIF through a Direct Connect gateway to a transit gateway: IPv6 prefixes propagate from the VIF\'s IPv6 peering', () => {
    const build = (ipv6: boolean) => {
      const model = office(dualVpc(['::/0 -> hub']));
      model.directConnectGateways = [{ name: 'dxgw', associations: ['hub'] }];
      addDx(model, { name: 'tvif', site: 'office', to: 'dxgw', vlan: 202, mtu: 8500, ...(ipv6 ? { ipv6: true } : {}) });
      return addTgw(model, {
        name: 'hub',
        attachments: [{ name: 'a-att', kind: 'vpc', vpc: 'a', subnets: ['tgw-a'], applianceMode: false, ipv6Support: true }, { name: 'dx-att', kind: 'direct-connect-gateway', directConnectGateway: 'dxgw' }],
        routeTables: [{ name: 'rt', associations: ['a-att', 'dx-att'], propagations: ['a-att', 'dx-att'], routes: [] }],
      });
    };
    const r = run(build(true), 'a.web', 'office.pc6');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.match(hopsOf(r, 'forward').find(h => h.kind === 'transit-gateway-route-table')!.detail, /2001:db8:100::\/48 -> dx-att \(propagated over BGP from Direct Connect tvif\)/);
    const back = run(build(true), 'office.pc6', 'a.web');
    assert.equal(back.verdict, 'reachable', back.reason);
    assert.ok(hopsOf(back, 'forward').some(h => h.component === 'dxgw' && /transit gateway hub/.test(h.detail)));
    const without = run(build(false), 'a.web', 'office.pc6');
    assert.equal(without.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(without.component, 'hub.rt');
  });
});

describe('the virtual private gateway checks the source of IPv6 it sends to a site', () => {
  it('VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS: IPv6 from another VPC (through a transit gateway) cannot use this VPC\'s Direct Connect', () => {
    const model = office(dualVpc(['::/0 -> hub']));
    // VPC b reaches a through the transit gateway; a's attachment subnet routes the office to the VGW.
    const b = network().vpc('b', v => v.cidr('10.1.0.0/16')
      .subnet('app', '10.1.1.0/24', s => s.routeTable('rt').instance('web', '10.1.1.10', { groups: ['open'] }), 'us-east-1a')
      .subnet('tgw-a', '10.1.2.0/28', s => s.routeTable('rt'), 'us-east-1a')
      .routeTable('rt', ['::/0 -> hub']).sg('open', OPEN6)).build().vpcs[0];
    b.ipv6Cidrs = ['2600:1f18:1::/56'];
    b.subnets[0].ipv6Cidr = '2600:1f18:1:1::/64';
    b.subnets[1].ipv6Cidr = '2600:1f18:1:2::/64';
    b.subnets[0].instances[0].ipv6 = ['2600:1f18:1:1::10'];
    model.vpcs.push(b);
    vpcOf(model, 'a').vpnGateway = { name: 'vgw' };
    tableOf(model, 'a', 'tgw-rt').routes.push({ destination: '2001:db8:100::/48', target: 'vgw' });
    addDx(model, { name: 'dx1', site: 'office', to: 'vgw', vlan: 101, ipv6: true });
    addTgw(model, {
      name: 'hub',
      attachments: ['a', 'b'].map(v => ({ name: `${v}-att`, kind: 'vpc' as const, vpc: v, subnets: ['tgw-a'], applianceMode: false, ipv6Support: true })),
      routeTables: [{ name: 'rt', associations: ['a-att', 'b-att'], propagations: ['a-att', 'b-att'], routes: [{ destination: '2001:db8:100::/48', attachment: 'a-att', blackhole: false }] }],
    });
    const r = run(model, 'b.web', 'office.pc6');
    assert.equal(r.code, 'VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS');
    assert.equal(r.component, 'a.vgw');
    assert.match(r.reason, /2600:1f18:1:1::10 is not/);
  });
});

/** overTgw with an internal dual-stack NLB `nlb` in subnet app of VPC a: tcp 22 -> web (instance target). */
function withInternalNlb(model: NetworkModel): NetworkModel {
  vpcOf(model, 'a').loadBalancers = [{
    name: 'nlb', type: 'network', scheme: 'internal', subnets: ['app'], crossZone: false, ipAddressType: 'dualstack', securityGroups: [],
    listeners: [{ protocol: 'tcp', port: 22, targets: ['web'], targetType: 'instance' }],
  }];
  return model;
}

describe('an internal dual-stack load balancer is reachable from a site (not only from the internet\'s refusal)', () => {
  const NODE = '2600:1f18:0:1:ffff:ffff:ffff:fffe';
  it('internal load balancers route requests from clients with access to the VPC: a site host over an ipv6-inside TGW VPN reaches the node by name', () => {
    const r = trace(compile(withInternalNlb(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]))), {
      source: { kind: 'site-host', site: 'office', name: 'pc6' }, destination: { kind: 'load-balancer', vpc: 'a', name: 'nlb' }, protocol: 'tcp', port: 22,
    });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, NODE);
    const node = hopsOf(r, 'forward').find(h => h.component === 'a.nlb' && h.action === 'decapsulate')!;
    assert.match(node.detail, /receives the IPv6 packet/);
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'office' && h.action === 'encapsulate'), 'the request went through the tunnel');
    assert.equal(hopsOf(r, 'return').at(-1)!.component, 'office.pc6');
  });
  it('the same by the node\'s raw IPv6 address', () => {
    const r = run(withInternalNlb(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }])), 'office.pc6', NODE);
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'a.nlb' && h.action === 'translate'));
  });
  it('from the internet the internal load balancer is still refused (IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS)', () => {
    const model = withInternalNlb(overTgw([{ name: 'v6', tunnelInside: 'ipv6' }]));
    const r = trace(compile(model), { source: { kind: 'ip', ip: '2001:db8:ffff::7' }, destination: { kind: 'load-balancer', vpc: 'a', name: 'nlb' }, protocol: 'tcp', port: 22 });
    assert.equal(r.code, 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
    assert.equal(r.component, 'a.nlb');
  });
});

describe('broken IPv6 site models give a verdict, never a crash', () => {
  it('garbage site prefixes, hosts, routes, VPN and Direct Connect fields', () => {
    const model = overTgw([{ name: 'v6', tunnelInside: 'ipv7' as unknown as 'ipv6', staticRoutes: [null as unknown as string, '2001:db8::/zz'] }]);
    const site = model.sites![0];
    site.cidrs.push(null as unknown as string, '2001:db8:100::/200', 'fe80::/10');
    site.hosts.push(null as unknown as { name: string; ip: string }, { name: 'bad', ip: '2001:db8:100::zz' }, { name: 42 as unknown as string, ip: '2001:db8:100::9' });
    site.routes = [null as unknown as { destination: string; via: string }, { destination: '::/0', via: 'nowhere' }, { destination: 7 as unknown as string, via: 'v6' }];
    addDx(model, { name: 'dx', site: 'office', to: 'nothing', vlan: 5, ipv6: 'yes' as unknown as boolean });
    for (const [from, to] of [['a.web', 'office.pc6'], ['office.pc6', 'a.web'], ['office.bad', 'a.web'], ['a.web', '2001:db8:100::9'], ['office.nobody', 'a.web']]) {
      const r = run(model, from, to, { family: 6 });
      assert.ok(r.verdict === 'reachable' || r.verdict === 'unreachable');
      assert.equal(typeof r.reason, 'string');
      // trace() turns an exception into a verdict of component 'engine': that would be a crash.
      assert.notEqual(r.component, 'engine', `${from} -> ${to}: ${r.reason}`);
    }
    assert.equal(run(model, 'a.web', 'office.pc6').code, 'NO_ROUTE_TO_DESTINATION', 'an unknown tunnel-inside value is the default, ipv4');
  });
});
