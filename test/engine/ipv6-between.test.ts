/**
 * IPv6 between networks (aws-data-plane.md §3.2, §3.3, §3.7–§3.9): the flow's address family, IPv6
 * route targets classified like IPv4 ones, VPC peering, transit gateways (IPv6 support per VPC
 * attachment), virtual private gateways (no IPv6) and gateway route tables for IPv6.
 */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile } from './helpers.js';
import { OPEN, addPeering, addTgw, addSite, addVpn, subnetOf, tableOf, vpcOf } from './between-fixtures.js';
import { trace } from '../../engine/index.js';
import type { EndpointRef, NetworkModel, Protocol, TransitGatewayAttachment } from '../../engine/model.js';

const OPEN6 = ['inbound all from ::/0', 'outbound all to ::/0', ...OPEN];

/** A dual-stack VPC `name` with IPv4 10.<n>.0.0/16 and IPv6 2600:1f18:<n>::/56 (IPv6 /64 per subnet). */
function dualVpc(model: NetworkModel, name: string, n: number, routes: { a?: string[]; b?: string[] } = {}, region = 'us-east-1'): NetworkModel {
  const built = network().vpc(name, v => v
    .cidr(`10.${n}.0.0/16`)
    .subnet('app', `10.${n}.1.0/24`, s => s.routeTable('app-rt').instance('web', `10.${n}.1.10`, { groups: ['open'] }), 'us-east-1a')
    .subnet('tgw-a', `10.${n}.2.0/28`, s => s.routeTable('tgw-rt'), 'us-east-1a')
    .subnet('db', `10.${n}.3.0/24`, s => s.routeTable('db-rt').instance('db', `10.${n}.3.10`, { groups: ['open'] }).instance('v4only', `10.${n}.3.20`, { groups: ['open'] }), 'us-east-1b')
    .routeTable('app-rt', routes.a ?? [])
    .routeTable('db-rt', routes.b ?? routes.a ?? [])
    .routeTable('tgw-rt', [])
    .sg('open', OPEN6)).build();
  const vpc = built.vpcs[0];
  vpc.region = region;
  vpc.ipv6Cidrs = [`2600:1f18:${n}::/56`];
  vpc.subnets[0].ipv6Cidr = `2600:1f18:${n}:1::/64`;
  vpc.subnets[1].ipv6Cidr = `2600:1f18:${n}:2::/64`;
  vpc.subnets[2].ipv6Cidr = `2600:1f18:${n}:3::/64`;
  vpc.subnets[0].instances[0].ipv6 = [`2600:1f18:${n}:1::10`];
  vpc.subnets[2].instances[0].ipv6 = [`2600:1f18:${n}:3::10`];
  model.vpcs.push(vpc);
  return model;
}

function empty(): NetworkModel {
  return { vpcs: [], internetHosts: [], expectations: [] };
}

const inst = (t: string): EndpointRef => t.includes(':') || /^\d/.test(t) ? { kind: 'ip', ip: t } : { kind: 'instance', vpc: t.split('.')[0], name: t.split('.')[1] };
function run(model: NetworkModel, from: string, to: string, options: { protocol?: Protocol; port?: number; family?: 4 | 6; size?: number } = {}) {
  const protocol = options.protocol ?? 'tcp';
  return trace(compile(model), {
    source: inst(from), destination: inst(to), protocol, port: protocol === 'tcp' || protocol === 'udp' ? options.port ?? 443 : undefined,
    ...(options.family ? { family: options.family } : {}), ...(options.size ? { size: options.size } : {}),
  });
}

/** a and b peered with IPv6 routes both ways. */
function peered(status: 'active' | 'pending' = 'active', region = 'us-east-1'): NetworkModel {
  const model = dualVpc(empty(), 'a', 0, { a: ['2600:1f18:1::/56 -> pcx'] });
  dualVpc(model, 'b', 1, { a: ['2600:1f18::/56 -> pcx'] }, region);
  return addPeering(model, 'pcx', 'a', 'b', status);
}

describe('the address family of a flow (Expectation.family / TraceQuery.family)', () => {
  it('family 6: instances take part with their first IPv6 address', () => {
    const r = run(peered(), 'a.web', 'b.web', { family: 6 });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.srcIp, '2600:1f18:0:1::10');
    assert.equal(r.flow!.dstIp, '2600:1f18:1:1::10');
  });
  it('without a family, two instances talk IPv4', () => {
    const r = run(peered(), 'a.web', 'b.web');
    assert.equal(r.flow!.srcIp, '10.0.1.10');
  });
  it('family 6: an instance without an IPv6 address is an endpoint error (INVALID_CONFIGURATION)', () => {
    const r = run(peered(), 'a.web', 'b.v4only', { family: 6 });
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.equal(r.component, 'b.v4only');
    assert.match(r.reason, /no IPv6 address/);
  });
  it('family 4 with an IPv6 literal is an endpoint error, not a walk', () => {
    const r = run(peered(), 'a.web', '2600:1f18:1:1::10', { family: 4 });
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /IPv6 address, but the flow is IPv4/);
    assert.equal(r.hops.length, 0);
  });
  it('family 4 between dual-stack instances stays IPv4', () => {
    const r = run(peered(), 'a.web', 'b.web', { family: 4 });
    assert.equal(r.flow!.dstIp, '10.1.1.10');
  });
  it('family 6 with an IPv4 literal is an endpoint error', () => {
    const r = run(peered(), 'a.web', '10.1.1.10', { family: 6 });
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /IPv4 address in an IPv6 flow/);
  });
  it('analyze() passes the expectation\'s family to the walk', async () => {
    const { analyze } = await import('../../engine/index.js');
    const model = peered();
    model.expectations.push({ source: inst('a.web'), destination: inst('b.web'), sourceText: 'a.web', destinationText: 'b.web', protocol: 'tcp', port: 443, family: 6, expected: 'reachable' });
    const [result] = analyze(model).results;
    assert.equal(result.result.flow!.srcIp, '2600:1f18:0:1::10');
    assert.equal(result.holds, true, result.result.reason);
  });
});

describe('IPv6 route targets are classified like IPv4 ones (a peering, a transit gateway, a VGW is not a missing element)', () => {
  it('a peering named in an IPv6 route is the peering, not a blackhole', () => {
    const r = run(peered(), 'a.web', 'b.web', { family: 6 });
    assert.notEqual(r.code, 'BAD_STATE_ROUTE');
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'peering'));
  });
  it('an unknown name in an IPv6 route stays a blackhole (BAD_STATE_ROUTE)', () => {
    const model = dualVpc(empty(), 'a', 0, { a: ['2600:1f18:1::/56 -> nowhere'] });
    dualVpc(model, 'b', 1);
    const r = run(model, 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'BAD_STATE_ROUTE');
    assert.match(r.reason, /no element named nowhere/);
  });
  it('an IPv6 route more specific than the local route that is not a subnet\'s /64 is refused (not installed)', () => {
    const model = dualVpc(empty(), 'a', 0, { a: ['2600:1f18:0:3::/80 -> a-box'] });
    // Without the refusal this route would send db's traffic to a missing element (BAD_STATE_ROUTE).
    const r = run(model, 'a.web', 'a.db', { family: 6 });
    assert.equal(r.verdict, 'reachable', r.reason);
  });
});

describe('IPv6 over VPC peering', () => {
  it('routes in both VPCs carry IPv6 over an active peering; the peer\'s subnet delivers it', () => {
    const r = run(peered(), 'a.web', 'b.db', { family: 6 });
    assert.equal(r.verdict, 'reachable', r.reason);
    const pcx = hopsOf(r, 'forward').find(h => h.kind === 'peering')!;
    assert.equal(field(pcx.headers, 'IPv6', 'dst')!.value, '2600:1f18:1:3::10');
    assert.ok(hopsOf(r, 'return').some(h => h.kind === 'peering'), 'the reply crosses the peering back');
  });
  it('a pending peering carries nothing (BAD_STATE_ROUTE)', () => {
    const r = run(peered('pending'), 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'BAD_STATE_ROUTE');
    assert.match(r.reason, /pending/);
  });
  it('a one-sided IPv6 route leaves the reply without a route', () => {
    const model = peered();
    tableOf(model, 'b', 'app-rt').routes = [];
    const r = run(model, 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.direction, 'return');
  });
  it('PCX_REQUIRES_ADDRESS_IN_VPC_CIDR: an IPv6 destination outside the peer\'s IPv6 CIDRs (no transit, no edge-to-edge)', () => {
    const model = peered();
    tableOf(model, 'a', 'app-rt').routes.push({ destination: '::/0', target: 'pcx' });
    const r = run(model, 'a.web', '2001:db8::1');
    assert.equal(r.code, 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
    assert.match(r.reason, /not inside peer VPC b's IPv6 CIDRs/);
  });
  it('the peer\'s network ACL checks IPv6 arriving over the peering', () => {
    const model = peered();
    const b = vpcOf(model, 'b');
    b.networkAcls.push({ name: 'v4only', rules: [{ direction: 'inbound', number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0' }, { direction: 'outbound', number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0' }] });
    subnetOf(model, 'b', 'app').networkAcl = 'v4only';
    const r = run(model, 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.component, 'b.v4only');
  });
  it('inter-Region peering carries IPv6 with MTU 8500', () => {
    const r = run(peered('active', 'eu-west-1'), 'a.web', 'b.web', { family: 6 });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.pathMtu, 8500);
  });
  it('a reference to the peer\'s group matches its members\' IPv6 addresses across an active same-Region peering', () => {
    const model = peered();
    vpcOf(model, 'b').securityGroups.push({ name: 'from-a', rules: [{ direction: 'inbound', protocol: 'tcp', ports: { from: 443, to: 443 }, peer: { kind: 'security-group', vpc: 'a', name: 'open' } }] });
    subnetOf(model, 'b', 'app').instances[0].securityGroups = ['from-a'];
    assert.equal(run(model, 'a.web', 'b.web', { family: 6 }).verdict, 'reachable');
  });
  it('a reference to a group across an inter-Region peering matches nothing, for IPv6 too', () => {
    const model = peered('active', 'eu-west-1');
    vpcOf(model, 'b').securityGroups.push({ name: 'from-a', rules: [{ direction: 'inbound', protocol: 'tcp', ports: { from: 443, to: 443 }, peer: { kind: 'security-group', vpc: 'a', name: 'open' } }] });
    subnetOf(model, 'b', 'app').instances[0].securityGroups = ['from-a'];
    const r = run(model, 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
  });
});

/** a and b attached to hub; IPv6 routes to the gateway in both; propagation of both attachments. */
function hub(options: { ipv6A?: boolean; ipv6B?: boolean; staticRoutes?: { destination: string; attachment?: string; blackhole: boolean }[]; propagate?: string[]; applianceMode?: boolean } = {}): NetworkModel {
  const model = dualVpc(empty(), 'a', 0, { a: ['::/0 -> hub'] });
  dualVpc(model, 'b', 1, { a: ['::/0 -> hub'] });
  const att = (vpc: string, ipv6: boolean | undefined): TransitGatewayAttachment => ({ name: `${vpc}-att`, kind: 'vpc', vpc, subnets: ['tgw-a'], applianceMode: !!options.applianceMode, ...(ipv6 === undefined ? {} : { ipv6Support: ipv6 }) });
  return addTgw(model, {
    name: 'hub',
    attachments: [att('a', options.ipv6A ?? true), att('b', options.ipv6B ?? true)],
    routeTables: [{ name: 'rt', associations: ['a-att', 'b-att'], propagations: options.propagate ?? ['a-att', 'b-att'], routes: options.staticRoutes ?? [] }],
  });
}

describe('IPv6 through a transit gateway', () => {
  it('VPC attachments with IPv6 support propagate their IPv6 CIDRs and carry IPv6 both ways', () => {
    const r = run(hub(), 'a.web', 'b.web', { family: 6 });
    assert.equal(r.verdict, 'reachable', r.reason);
    const rt = hopsOf(r, 'forward').find(h => h.kind === 'transit-gateway-route-table')!;
    assert.match(rt.detail, /2600:1f18:1::\/56 -> b-att \(propagated from VPC b\)/);
    assert.equal(field(rt.headers, 'IPv6', 'dst')!.value, '2600:1f18:1:1::10');
    assert.equal(r.pathMtu, 8500);
  });
  // EC2 API reference, Ipv6Support: "When disabled, the network interface does not receive an IPv6
  // address, and IPv6 routes do not propagate. The setting does not filter IPv6 traffic."
  it('IPv6 support off does not filter IPv6 traffic: off on the sender\'s attachment, the request still enters the gateway; the reply finds no route (its CIDRs did not propagate)', () => {
    const r = run(hub({ ipv6A: false }), 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'hub.rt');
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'b.web' && h.action === 'deliver'), 'the request was delivered');
  });
  it('IPv6 support absent means off (the AWS default): the VPC\'s IPv6 CIDRs do not propagate', () => {
    const model = hub();
    delete (model.transitGateways![0].attachments[0] as { ipv6Support?: boolean }).ipv6Support;
    const r = run(model, 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.direction, 'return');
  });
  it('IPv6 support off on the destination\'s attachment: its IPv6 CIDRs do not propagate (NO_ROUTE_TO_DESTINATION at the table, forward)', () => {
    const r = run(hub({ ipv6B: false }), 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.direction, 'forward');
    assert.equal(r.component, 'hub.rt');
    assert.match(r.reason, /only with IPv6 support on/);
  });
  it('IPv6 support off with static IPv6 routes both ways: the attachments carry IPv6 (the setting does not filter it)', () => {
    const r = run(hub({ ipv6A: false, ipv6B: false, staticRoutes: [
      { destination: '2600:1f18:1::/56', attachment: 'b-att', blackhole: false },
      { destination: '2600:1f18::/56', attachment: 'a-att', blackhole: false },
    ] }), 'a.web', 'b.web', { family: 6 });
    assert.equal(r.verdict, 'reachable', r.reason);
    const into = hopsOf(r, 'forward').find(h => h.component === 'hub.b-att' && h.action === 'encapsulate')!;
    assert.match(into.detail, /IPv6 support off: .* IPv6 traffic is not filtered/);
  });
  it('IPv4 through the same attachments is unaffected by IPv6 support', () => {
    const model = hub({ ipv6A: false, ipv6B: false });
    tableOf(model, 'a', 'app-rt').routes.push({ destination: '10.1.0.0/16', target: 'hub' });
    tableOf(model, 'b', 'app-rt').routes.push({ destination: '10.0.0.0/16', target: 'hub' });
    assert.equal(run(model, 'a.web', 'b.web').verdict, 'reachable');
  });
  it('a static IPv6 blackhole route drops (TGW_RTB_BAD_STATE_ROUTE)', () => {
    const r = run(hub({ staticRoutes: [{ destination: '2600:1f18:1:1::/64', blackhole: true }] }), 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'TGW_RTB_BAD_STATE_ROUTE');
  });
  it('a static IPv6 route beats the propagated one of the same prefix', () => {
    const r = run(hub({ staticRoutes: [{ destination: '2600:1f18:1::/56', attachment: 'b-att', blackhole: false }] }), 'a.web', 'b.web', { family: 6 });
    const rt = hopsOf(r, 'forward').find(h => h.kind === 'transit-gateway-route-table')!;
    assert.match(rt.detail, /2600:1f18:1::\/56 -> b-att, preferred over .*propagated/);
  });
  it('TGW_ROUTE_AZ_RESTRICTION: a subnet in a zone without an attachment subnet cannot reach the gateway', () => {
    const r = run(hub(), 'a.db', 'b.web', { family: 6 });
    assert.equal(r.code, 'TGW_ROUTE_AZ_RESTRICTION');
  });
  it('TGW-NACL: the attachment subnet\'s ACL checks IPv6 to the gateway inbound', () => {
    const model = hub();
    vpcOf(model, 'a').networkAcls.push({ name: 'v4', rules: [{ direction: 'inbound', number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0' }, { direction: 'outbound', number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0' }] });
    subnetOf(model, 'a', 'tgw-a').networkAcl = 'v4';
    const r = run(model, 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.component, 'a.v4');
    assert.equal(hopsOf(r, 'forward').at(-1)!.place, 'hyperplane');
  });
  it('into the VPC the attachment subnet\'s IPv6 route table routes the packet', () => {
    const model = hub();
    vpcOf(model, 'b').routeTables.find(t => t.name === 'tgw-rt')!.routes.push({ destination: '2600:1f18:1:1::/64', target: 'nowhere' });
    const r = run(model, 'a.web', 'b.web', { family: 6 });
    assert.equal(r.code, 'BAD_STATE_ROUTE');
    assert.equal(r.component, 'b.tgw-rt');
  });
  it('into a VPC without appliance mode the gateway stays in the sender\'s zone; with appliance mode a flow hash picks the subnet for both directions', () => {
    const twoZones = (applianceMode: boolean) => {
      const model = hub({ applianceMode });
      const b = vpcOf(model, 'b');
      b.subnets.push({ name: 'tgw-b', cidr: '10.1.4.0/28', ipv6Cidr: '2600:1f18:1:4::/64', az: 'us-east-1b', routeTable: 'tgw-rt', instances: [] });
      (model.transitGateways![0].attachments[1] as { subnets: string[] }).subnets = ['tgw-a', 'tgw-b'];
      return run(model, 'a.web', 'b.web', { family: 6 });
    };
    const into = (r: ReturnType<typeof run>) => hopsOf(r, 'forward').find(h => h.component === 'hub.b-att' && h.action === 'encapsulate')!.detail;
    const plain = twoZones(false);
    assert.equal(plain.verdict, 'reachable', plain.reason);
    assert.match(into(plain), /stays in the zone the packet came from \(us-east-1a\)/);
    const sticky = twoZones(true);
    assert.equal(sticky.verdict, 'reachable', sticky.reason);
    assert.match(into(sticky), /appliance mode: a hash of the flow picks/);
  });
  it('a static IPv6 route to a VPN attachment whose tunnel is IPv4 inside: the attachment drops it (BAD_STATE_ATTACHMENT naming the inside version)', () => {
    const model = hub({ staticRoutes: [{ destination: '2001:db8:77::/48', attachment: 'office-att', blackhole: false }] });
    addSite(model, { name: 'office', cidrs: ['192.168.0.0/16', '2001:db8:77::/48'] });
    addVpn(model, { name: 'office-vpn', site: 'office', to: 'hub' });
    model.transitGateways![0].attachments.push({ name: 'office-att', kind: 'vpn', vpn: 'office-vpn' });
    const r = run(model, 'a.web', '2001:db8:77::1');
    assert.equal(r.code, 'BAD_STATE_ATTACHMENT');
    assert.equal(r.component, 'hub.office-att');
    assert.match(r.reason, /tunnel inside IP version ipv4/);
    // With IPv6 inside (and the attachment associated, so the site learns the VPCs' routes) it carries the flow.
    model.vpns![0].tunnelInside = 'ipv6';
    model.transitGateways![0].routeTables[0].associations.push('office-att');
    const six = run(model, 'a.web', '2001:db8:77::1');
    assert.equal(six.verdict, 'reachable', six.reason);
  });
});

describe('virtual private gateways do not support IPv6 VPN (VPN-ROUTE)', () => {
  it('an IPv6 route to the VGW without a Direct Connect IPv6 peering: the gateway knows no IPv6 prefix (NO_ROUTE_TO_DESTINATION at the VGW)', () => {
    const model = dualVpc(empty(), 'a', 0, { a: ['2001:db8:77::/48 -> vgw'] });
    vpcOf(model, 'a').vpnGateway = { name: 'vgw' };
    const r = run(model, 'a.web', '2001:db8:77::1');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'a.vgw');
    assert.match(r.reason, /does not support IPv6/);
  });
});

describe('IPv6 through a gateway route table (ingress routing at the internet gateway)', () => {
  function inspected(edgeRoutes: string[]): NetworkModel {
    const model = dualVpc(empty(), 'a', 0, { a: ['::/0 -> fw'] });
    const a = vpcOf(model, 'a');
    a.internetGateway = { name: 'igw' };
    a.subnets.push({ name: 'fw-sub', cidr: '10.0.9.0/24', ipv6Cidr: '2600:1f18:0:9::/64', az: 'us-east-1a', routeTable: 'fw-rt', instances: [{ name: 'fw', privateIp: '10.0.9.10', ipv6: ['2600:1f18:0:9::10'], securityGroups: ['open'], sourceDestCheck: false }] });
    a.routeTables.push({ name: 'fw-rt', main: false, routes: [{ destination: '::/0', target: 'igw' }] });
    a.routeTables.push({ name: 'edge', main: false, edge: 'igw', routes: edgeRoutes.map(r => { const [destination, target] = r.split('->').map(x => x.trim()); return { destination, target }; }) });
    return model;
  }
  it('the edge table sends IPv6 for a subnet\'s /64 to a middlebox first, both ways', () => {
    const r = run(inspected(['2600:1f18:0:1::/64 -> fw']), '2001:db8::5', 'a.web');
    assert.equal(r.verdict, 'reachable', r.reason);
    const forward = hopsOf(r, 'forward');
    const edge = forward.findIndex(h => h.component === 'a.edge');
    const fw = forward.findIndex(h => h.component === 'a.fw' && h.action === 'forward');
    assert.ok(edge >= 0 && fw > edge, 'the edge route hop precedes the middlebox forwarding the packet');
    assert.ok(hopsOf(r, 'return').some(h => h.component === 'a.fw' && h.action === 'forward'));
  });
  it('the edge table sends IPv6 for a subnet\'s /64 to a GWLB endpoint: the appliance sees it in GENEVE before the instance does', () => {
    const model = network()
      .vpc('app', v => {
        v.cidr('10.0.0.0/16').igw('igw')
          .subnet('web-a', '10.0.1.0/24', s => s.routeTable('web-rt').instance('web', '10.0.1.10', { groups: ['open'] }), 'us-east-1a')
          .subnet('fw-a', '10.0.2.0/24', s => s.routeTable('fw-rt'), 'us-east-1a')
          .routeTable('web-rt', ['::/0 -> fw-ep'])
          .routeTable('fw-rt', ['::/0 -> igw'])
          .sg('open', ['inbound all from ::/0', 'outbound all to ::/0']);
        v.vpc.routeTables.push({ name: 'edge', main: false, edge: 'igw', routes: [{ destination: '2600:1f18:abcd:1::/64', target: 'fw-ep' }] });
        v.vpc.ipv6Cidrs = ['2600:1f18:abcd::/56'];
        v.vpc.subnets[0].ipv6Cidr = '2600:1f18:abcd:1::/64';
        v.vpc.subnets[1].ipv6Cidr = '2600:1f18:abcd:2::/64';
        v.vpc.subnets[0].instances[0].ipv6 = ['2600:1f18:abcd:1::10'];
        v.vpc.gatewayLoadBalancerEndpoints = [{ name: 'fw-ep', service: 'inspection', subnet: 'fw-a', ipAddressType: 'dualstack' }];
      })
      .vpc('sec', v => {
        v.cidr('10.9.0.0/16')
          .subnet('appl-a', '10.9.1.0/24', s => s.instance('fw1', '10.9.1.10', { groups: ['fw-sg'] }), 'us-east-1a')
          .sg('fw-sg', ['inbound udp 6081 from 10.9.0.0/16', 'outbound all to 0.0.0.0/0']);
        v.vpc.ipv6Cidrs = ['2600:1f18:9::/56'];
        v.vpc.subnets[0].ipv6Cidr = '2600:1f18:9:1::/64';
        v.vpc.loadBalancers = [{ name: 'gwlb', type: 'gateway', scheme: 'internal', subnets: ['appl-a'], crossZone: false, securityGroups: [], ipAddressType: 'dualstack', listeners: [{ protocol: 'all', targets: ['fw1'], targetType: 'instance' }] }];
      })
      .build();
    // A dualstack GWLB endpoint needs a service that supports IPv6, fronting a dual-stack GWLB.
    model.endpointServices = [{ name: 'inspection', vpc: 'sec', loadBalancer: 'gwlb', allowedAccounts: [], supportedIpAddressTypes: ['ipv4', 'ipv6'] }];
    const r = run(model, '2001:db8::7', 'app.web');
    assert.equal(r.verdict, 'reachable', r.reason);
    const forward = hopsOf(r, 'forward');
    const order = ['app.igw', 'app.edge', 'sec.fw1', 'app.web'].map(c => forward.findIndex(h => h.component === c));
    assert.ok(order.every((x, i) => x >= 0 && (i === 0 || x > order[i - 1])), JSON.stringify(order));
  });
  it('without the edge table the request goes straight to the instance, and its reply through the middlebox is ASYMMETRIC_ROUTING', () => {
    const r = run(inspected([]), '2001:db8::5', 'a.web');
    assert.ok(!hopsOf(r, 'forward').some(h => h.component === 'a.fw'));
    assert.equal(r.code, 'ASYMMETRIC_ROUTING');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'a.fw');
  });
});

describe('IPv6 over peering to a peer\'s dual-stack load balancer node (no instance holds the address)', () => {
  it('the peering hands the packet to the node, which forwards it to a target; the reply comes back over the peering', async () => {
    const { dualShop } = await import('./hyperplane-fixtures.js');
    const model = dualShop({ publicRoutes: ['0.0.0.0/0 -> igw', '::/0 -> igw', '2600:1f18:9::/56 -> pcx'] });
    model.vpcs[0].loadBalancers![0].scheme = 'internal';
    dualVpc(model, 'c', 9, { a: ['2600:1f18:abcd::/56 -> pcx'] });
    addPeering(model, 'pcx', 'c', 'shop');
    const node = '2600:1f18:abcd:1:ffff:ffff:ffff:fffe';
    const r = run(model, 'c.web', node, { port: 80 });
    assert.equal(r.verdict, 'reachable', r.reason);
    const forward = hopsOf(r, 'forward');
    assert.ok(forward.some(h => h.kind === 'peering'));
    assert.ok(forward.some(h => h.kind === 'load-balancer'));
    assert.ok(hopsOf(r, 'return').some(h => h.kind === 'peering'));
  });
});

describe('broken IPv6 between-network models give a verdict, never a crash', () => {
  it('a peering of unknown VPCs, a transit gateway with malformed tables and attachments, garbage routes', () => {
    const model = hub();
    addPeering(model, 'ghost', 'a', 'nowhere');
    tableOf(model, 'a', 'app-rt').routes.push({ destination: '2600:1f18:77::/48', target: 'ghost' }, { destination: 'not-a-prefix', target: 'hub' }, { destination: '2600:1f18:78::/48', target: undefined as unknown as string });
    const t = model.transitGateways![0];
    t.routeTables.push({ name: 'broken', associations: undefined as unknown as string[], propagations: [null as unknown as string], routes: [{ destination: 42 as unknown as string, blackhole: false }, null as unknown as { destination: string; blackhole: boolean }] });
    t.attachments.push(null as unknown as TransitGatewayAttachment, { name: 'x', kind: 'vpc', vpc: 'nowhere', subnets: undefined as unknown as string[], applianceMode: false, ipv6Support: true });
    vpcOf(model, 'a').gatewayEndpoints = [{ name: 'ep', service: 'nope' as unknown as 's3', routeTables: undefined as unknown as string[], ipAddressType: 'dualstack' }];
    for (const to of ['b.web', '2600:1f18:77::1', '2600:1f18:78::1', '64:ff9b::1.2.3.4']) {
      const r = run(model, 'a.web', to, { family: 6 });
      assert.ok(r.verdict === 'reachable' || r.verdict === 'unreachable');
      assert.equal(typeof r.reason, 'string');
      // trace() turns an exception into a verdict of component 'engine': that would be a crash.
      assert.notEqual(r.component, 'engine', `a.web -> ${to}: ${r.reason}`);
    }
    assert.equal(run(model, 'a.web', '2600:1f18:77::1').code, 'BAD_STATE_ROUTE');
  });
});
