/** Virtual private gateway, Site-to-Site VPN, Direct Connect, route propagation (aws-data-plane.md §3.9, §5.3, §5.4). */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile } from './helpers.js';
import { OPEN, addDx, addSite, addTgw, addVpn, tableOf, traceFlow, vpcOf } from './between-fixtures.js';
import type { NetworkModel } from '../../engine/index.js';
import { Walker } from '../../engine/walk.js';
import { vgwIngress } from '../../engine/vpn-gateway.js';
import { parseV4 } from '../../engine/ipv4.js';
import type { Packet } from '../../engine/packet.js';

/** VPC shop (10.0.0.0/16) with a VGW; site office (192.168.0.0/16) over a BGP VPN. */
function hybrid(options: { propagate?: boolean; routes?: string[] } = {}): NetworkModel {
  const m = network()
    .vpc('shop', v => v.cidr('10.0.0.0/16')
      .subnet('app', '10.0.1.0/24', s => s.routeTable('private').instance('web', '10.0.1.10', { groups: ['open'] }))
      .routeTable('private', options.routes ?? [])
      .sg('open', OPEN))
    .build();
  vpcOf(m, 'shop').vpnGateway = { name: 'vgw' };
  if (options.propagate !== false) tableOf(m, 'shop', 'private').propagate = ['vgw'];
  addSite(m, { name: 'office', cidrs: ['192.168.0.0/16'], customerGatewayIp: '203.0.113.10', hosts: [{ name: 'pc', ip: '192.168.1.20' }] });
  addVpn(m, { name: 'office-vpn', site: 'office', to: 'shop.vgw', routing: 'bgp' });
  return m;
}

describe('route propagation from the virtual private gateway', () => {
  it('propagate vgw installs the prefixes the gateway learns', () => {
    const r = traceFlow(hybrid(), 'shop.web -> office.pc tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(hopsOf(r, 'forward').find(h => h.kind === 'route-table')?.rule?.text, '192.168.0.0/16 -> vgw (propagated)');
  });

  it('without propagation the route table has no route to the site', () => {
    const r = traceFlow(hybrid({ propagate: false }), 'shop.web -> office.pc tcp 22');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'shop.private');
    assert.equal(r.direction, 'forward');
  });

  it('a site host reaches the instance and the reply follows the propagated route', () => {
    const r = traceFlow(hybrid(), 'office.pc -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.hops[0].kind, 'host');
    assert.equal(r.hops[0].component, 'office.pc');
  });

  it('without propagation the site reaches the VPC but the reply has no route', () => {
    const r = traceFlow(hybrid({ propagate: false }), 'office.pc -> shop.web tcp 443');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.direction, 'return');
  });

  it('a static route to the gateway wins over a propagated one for the same prefix', () => {
    const m = hybrid({ routes: ['192.168.0.0/16 -> nowhere'] });
    const r = traceFlow(m, 'shop.web -> office.pc tcp 22');
    assert.equal(r.code, 'BAD_STATE_ROUTE');
    assert.equal(r.rule?.text, '192.168.0.0/16 -> nowhere');
  });
});

describe('the local route beats more-specific propagated routes', () => {
  it('the local route beats more-specific propagated routes', () => {
    const m = hybrid();
    addVpn(m, { name: 'odd-vpn', site: 'office', to: 'shop.vgw', routing: 'static', staticRoutes: ['10.0.5.0/24'] });
    const r = traceFlow(m, 'shop.web -> 10.0.5.7 tcp 22');
    // The propagated 10.0.5.0/24 is more specific, but the local route wins: no hop towards the VGW.
    assert.equal(hopsOf(r, 'forward').find(h => h.kind === 'route-table')?.rule?.text, '10.0.0.0/16 -> local');
    assert.ok(!r.hops.some(h => h.kind === 'virtual-private-gateway'));
    assert.equal(r.code, 'ADDRESS_NOT_IN_SUBNET');
  });
});

describe('VPN legs are IPsec ESP in tunnel mode through a Blackfoot edge', () => {
  it('ESP between the AWS outside address and the customer gateway, MTU 1446 / MSS 1406', () => {
    const r = traceFlow(hybrid(), 'shop.web -> office.pc tcp 22');
    const vpn = hopsOf(r, 'forward').find(h => h.kind === 'vpn')!;
    assert.equal(vpn.place, 'blackfoot');
    assert.equal(vpn.mtu, 1446);
    assert.match(vpn.detail, /MSS 1406/);
    assert.equal(vpn.headers[0].name, 'Outer IPv4 (tunnel)');
    assert.equal(field(vpn.headers, 'Outer IPv4 (tunnel)', 'protocol')?.value, '50 (ESP)');
    assert.equal(field(vpn.headers, 'Outer IPv4 (tunnel)', 'dst')?.value, '203.0.113.10');
    assert.match(field(vpn.headers, 'Outer IPv4 (tunnel)', 'src')!.value, /^18\.23[2-5]\./);
    assert.match(field(vpn.headers, 'ESP', 'spi')!.value, /^0x[0-9a-f]{8}$/);
    assert.equal(field(vpn.headers, 'ESP', 'sequence')?.value, '1');
    assert.equal(field(vpn.headers, 'IPv4', 'dst')?.value, '192.168.1.20');
    assert.equal(r.pathMtu, 1446);
    // The other direction uses the other SA: another SPI, addresses swapped.
    const back = hopsOf(r, 'return').find(h => h.kind === 'site' && h.action === 'encapsulate')!;
    assert.equal(field(back.headers, 'Outer IPv4 (tunnel)', 'src')?.value, '203.0.113.10');
    assert.notEqual(field(back.headers, 'ESP', 'spi')?.value, field(vpn.headers, 'ESP', 'spi')?.value);
  });

  it('the tunnel outside address is deterministic', () => {
    const a = hopsOf(traceFlow(hybrid(), 'shop.web -> office.pc tcp 22'), 'forward').find(h => h.kind === 'vpn')!;
    const b = hopsOf(traceFlow(hybrid(), 'shop.web -> office.pc icmp'), 'forward').find(h => h.kind === 'vpn')!;
    assert.equal(field(a.headers, 'Outer IPv4 (tunnel)', 'src')?.value, field(b.headers, 'Outer IPv4 (tunnel)', 'src')?.value);
  });
});

describe('preference for the same prefix: Direct Connect > static VPN > BGP VPN', () => {
  function all(): NetworkModel {
    const m = hybrid();
    addVpn(m, { name: 'static-vpn', site: 'office', to: 'shop.vgw', routing: 'static', staticRoutes: ['192.168.0.0/16'] });
    addDx(m, { name: 'dx1', site: 'office', to: 'shop.vgw', vlan: 101 });
    return m;
  }
  const chosen = (m: NetworkModel) => hopsOf(traceFlow(m, 'shop.web -> office.pc tcp 22'), 'forward').find(h => h.kind === 'virtual-private-gateway')!.rule!.text;

  it('Direct Connect first', () => {
    assert.equal(chosen(all()), '192.168.0.0/16 via Direct Connect dx1 (VLAN 101)');
  });

  it('then the static VPN', () => {
    const m = all();
    m.directConnects = [];
    assert.equal(chosen(m), '192.168.0.0/16 via static VPN static-vpn');
  });

  it('then the BGP VPN; a longer prefix wins over any preference', () => {
    const m = all();
    m.vpns!.push({ name: 'narrow', site: 'office', to: 'shop.vgw', routing: 'static', staticRoutes: ['192.168.1.0/24'] });
    assert.equal(chosen(m), '192.168.1.0/24 via static VPN narrow');
    m.vpns = m.vpns!.filter(v => v.name === 'office-vpn');
    m.directConnects = [];
    assert.equal(chosen(m), '192.168.0.0/16 via BGP VPN office-vpn');
  });
});

describe('Direct Connect legs carry an 802.1Q tag with the VLAN id', () => {
  it('a private virtual interface to the VGW: 802.1Q VLAN, Blackfoot edge, the VIF\'s MTU', () => {
    const m = hybrid();
    m.vpns = [];
    addDx(m, { name: 'dx1', site: 'office', to: 'shop.vgw', vlan: 101, mtu: 9001 });
    const r = traceFlow(m, 'shop.web -> office.pc tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    const dx = hopsOf(r, 'forward').find(h => h.kind === 'direct-connect')!;
    assert.equal(dx.place, 'blackfoot');
    assert.equal(dx.mtu, 9001);
    assert.deepEqual(dx.headers.map(h => h.kind).slice(0, 3), ['ethernet', 'dot1q', 'ipv4']);
    assert.equal(field(dx.headers, 'Ethernet', 'type')?.value, '0x8100 (802.1Q)');
    assert.equal(field(dx.headers, '802.1Q', 'vlan')?.value, '101');
    // The site LAN leg (1500) is the path's smallest.
    assert.equal(r.pathMtu, 1500);
  });

  it('a Direct Connect gateway associated with the VGW', () => {
    const m = hybrid();
    m.vpns = [];
    (m.directConnectGateways ??= []).push({ name: 'dxgw', associations: ['shop.vgw'] });
    addDx(m, { name: 'dx2', site: 'office', to: 'dxgw', vlan: 102 });
    const r = traceFlow(m, 'office.pc -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'direct-connect-gateway'));
    assert.equal(hopsOf(r, 'return').find(h => h.kind === 'direct-connect')?.component, 'dx2');
  });
});

describe('virtual private gateway checks', () => {
  it('only prefixes known to the gateway receive traffic', () => {
    const r = traceFlow(hybrid({ routes: ['172.16.0.0/12 -> vgw'] }), 'shop.web -> 172.16.0.5 tcp 22');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'shop.vgw');
  });

  it('VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: a destination that is no interface of the VPC', () => {
    const r = traceFlow(hybrid(), 'office.pc -> 10.0.1.99 tcp 22');
    assert.equal(r.code, 'VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
    assert.equal(r.component, 'shop.vgw');
  });

  it('VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS: traffic from another VPC through a transit gateway cannot use the VGW', () => {
    const m = hybrid();
    const shop = vpcOf(m, 'shop');
    shop.subnets.push({ name: 'tgw', cidr: '10.0.0.0/28', az: 'us-east-1a', routeTable: 'private', instances: [] });
    tableOf(m, 'shop', 'private').routes.push({ destination: '10.1.0.0/16', target: 'hub' });
    m.vpcs.push({
      name: 'dev', region: 'us-east-1', cidrs: ['10.1.0.0/16'], networkAcls: [],
      subnets: [{ name: 'app', cidr: '10.1.1.0/24', az: 'us-east-1a', routeTable: 'rt', instances: [{ name: 'box', privateIp: '10.1.1.10', securityGroups: [], sourceDestCheck: true }] }],
      routeTables: [{ name: 'rt', main: false, routes: [{ destination: '0.0.0.0/0', target: 'hub' }] }],
      securityGroups: [],
    });
    addTgw(m, {
      name: 'hub',
      attachments: [{ name: 'att-shop', kind: 'vpc', vpc: 'shop', subnets: ['tgw'], applianceMode: false }, { name: 'att-dev', kind: 'vpc', vpc: 'dev', subnets: ['app'], applianceMode: false }],
      routeTables: [{ name: 'main', associations: ['att-shop', 'att-dev'], propagations: ['att-shop', 'att-dev'], routes: [{ destination: '192.168.0.0/16', attachment: 'att-shop', blackhole: false }] }],
    });
    const r = traceFlow(m, 'dev.box -> office.pc tcp 22');
    assert.equal(r.code, 'VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS');
    assert.equal(r.component, 'shop.vgw');
  });
});

describe('a private NAT gateway in front of the VGW', () => {
  it('the NAT gateway\'s address is the VPC\'s own: the VGW carries its traffic and delivers the replies to it', () => {
    const m = hybrid({ propagate: false, routes: ['192.168.0.0/16 -> pnat'] });
    const shop = vpcOf(m, 'shop');
    shop.subnets.push({ name: 'nat', cidr: '10.0.9.0/24', az: 'us-east-1a', routeTable: 'nat-rt', instances: [] });
    shop.routeTables.push({ name: 'nat-rt', main: false, routes: [], propagate: ['vgw'] });
    shop.natGateways = [{ name: 'pnat', subnet: 'nat', private: true }];
    const r = traceFlow(m, 'shop.web -> office.pc tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    const vpn = hopsOf(r, 'forward').find(h => h.kind === 'vpn')!;
    // The source is the NAT gateway's private address, inside the VPC's subnet nat.
    assert.match(field(vpn.headers, 'IPv4', 'src')!.value, /^10\.0\.9\./);
  });
});

describe('VPN and Direct Connect to a transit gateway', () => {
  function viaTgw(): NetworkModel {
    const m = network()
      .vpc('shop', v => v.cidr('10.0.0.0/16')
        .subnet('app', '10.0.1.0/24', s => s.routeTable('rt').instance('web', '10.0.1.10', { groups: ['open'] }))
        .routeTable('rt', ['192.168.0.0/16 -> hub', '172.20.0.0/16 -> hub']).sg('open', OPEN))
      .build();
    addSite(m, { name: 'branch', cidrs: ['192.168.0.0/16'], hosts: [{ name: 'pc', ip: '192.168.1.20' }] });
    addSite(m, { name: 'dc', cidrs: ['172.20.0.0/16'], hosts: [{ name: 'db', ip: '172.20.1.5' }] });
    addVpn(m, { name: 'branch-vpn', site: 'branch', to: 'hub', routing: 'static', staticRoutes: ['192.168.0.0/16'] });
    addDx(m, { name: 'dc-dx', site: 'dc', to: 'dxgw', vlan: 300, mtu: 8500 });
    (m.directConnectGateways ??= []).push({ name: 'dxgw', associations: ['hub'] });
    addTgw(m, {
      name: 'hub',
      attachments: [
        { name: 'att-shop', kind: 'vpc', vpc: 'shop', subnets: ['app'], applianceMode: false },
        { name: 'att-vpn', kind: 'vpn', vpn: 'branch-vpn' },
        { name: 'att-dx', kind: 'direct-connect-gateway', directConnectGateway: 'dxgw' },
      ],
      routeTables: [{ name: 'main', associations: ['att-shop', 'att-vpn', 'att-dx'], propagations: ['att-shop', 'att-vpn', 'att-dx'], routes: [] }],
    });
    return m;
  }

  it('a static VPN on the transit gateway: the gateway sends it with MTU 1500, the tunnel carries 1446', () => {
    const r = traceFlow(viaTgw(), 'shop.web -> branch.pc tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    assert.equal(fwd.find(h => h.kind === 'transit-gateway-route-table')?.rule?.text, '192.168.0.0/16 -> att-vpn (static route of VPN branch-vpn)');
    assert.equal(fwd.find(h => h.component === 'hub.att-vpn')?.mtu, 1500);
    assert.equal(fwd.find(h => h.kind === 'vpn')?.mtu, 1446);
    assert.equal(r.pathMtu, 1446);
  });

  it('a transit virtual interface through a Direct Connect gateway, MTU 8500', () => {
    const r = traceFlow(viaTgw(), 'dc.db -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const dx = hopsOf(r, 'return').find(h => h.kind === 'direct-connect')!;
    assert.equal(dx.mtu, 8500);
    assert.equal(field(dx.headers, '802.1Q', 'vlan')?.value, '300');
  });

  it('a site cannot reach another site through the gateway unless a route says so', () => {
    const m = viaTgw();
    const r = traceFlow(m, 'branch.pc -> dc.db tcp 22');
    // The VPN attachment's table holds dc's prefix (propagated from the DX gateway): sites talk.
    assert.equal(r.verdict, 'reachable', r.reason);
    m.transitGateways![0].routeTables[0].propagations = ['att-shop', 'att-vpn'];
    assert.equal(traceFlow(m, 'branch.pc -> dc.db tcp 22').code, 'NO_ROUTE_TO_DESTINATION');
  });
});

describe('VPN and Direct Connect arrivals say how they entered (Packet.via): NGW_REQUIRES_SOURCE_IN_VPC and gateway endpoints refuse them', () => {
  // The NAT gateway and gateway endpoints refuse traffic by Packet.via even when its source falls in
  // the VPC's CIDRs (nat-gateway.test.ts, gateway-endpoint.test.ts); the VGW must set it.
  for (const link of ['vpn', 'direct-connect'] as const) {
    it(`a packet arriving over ${link} carries via '${link}', even from an address inside the VPC's CIDR`, () => {
      const m = hybrid();
      addDx(m, { name: 'dx1', site: 'office', to: 'shop.vgw', vlan: 101 });
      const net = compile(m);
      const vgw = net.between.vpnGateways.get('shop.vgw')!;
      const w = new Walker(net, true);
      w.begin('forward');
      const p: Packet = { protocol: 'tcp', src: parseV4('10.0.200.5')!, dst: parseV4('10.0.1.10')!, srcPort: 40000, dstPort: 22, ttl: 64, reply: false, viaAppliance: false };
      const arrival = vgwIngress(w, vgw, p, link, link);
      assert.equal(w.drop, undefined);
      assert.equal(arrival?.kind, 'interface');
      assert.equal(arrival?.packet.via, link);
    });
  }
});

/**
 * A site that routes internet traffic into its VPN or Direct Connect link (its router's static default
 * route) to use the VPC's NAT gateway or gateway endpoint: AWS refuses it (VPC-NATGW: "You cannot route
 * traffic to a NAT gateway through ... a Site-to-Site VPN connection, or AWS Direct Connect"; §3.10).
 * Through a transit gateway to an egress VPC it works (the TGW guide's centralized egress pattern).
 */
describe('a site\'s own static routes, and the VPC services a site cannot use through a virtual private gateway', () => {
  /** hybrid() plus a public NAT gateway on the main route table's default route, and an S3 gateway endpoint. */
  function egress(link: 'vpn' | 'direct-connect'): NetworkModel {
    const m = hybrid({ routes: ['0.0.0.0/0 -> nat'] });
    const shop = vpcOf(m, 'shop');
    shop.internetGateway = { name: 'igw' };
    tableOf(m, 'shop', 'private').main = true;
    shop.subnets.push({ name: 'public', cidr: '10.0.0.0/24', az: 'us-east-1a', routeTable: 'public-rt', instances: [] });
    shop.routeTables.push({ name: 'public-rt', main: false, routes: [{ destination: '0.0.0.0/0', target: 'igw' }] });
    shop.natGateways = [{ name: 'nat', subnet: 'public', publicIp: '3.3.3.3', private: false }];
    shop.gatewayEndpoints = [{ name: 's3ep', service: 's3', routeTables: ['private'] }];
    if (link === 'direct-connect') {
      m.vpns = [];
      addDx(m, { name: 'dx1', site: 'office', to: 'shop.vgw', vlan: 101 });
    }
    m.sites![0].routes = [{ destination: '0.0.0.0/0', via: link === 'vpn' ? 'office-vpn' : 'dx1' }];
    return m;
  }

  it('without a static route the site has no route to an address AWS does not announce', () => {
    const m = egress('vpn');
    m.sites![0].routes = [];
    const r = traceFlow(m, 'office.pc -> 8.8.8.8 tcp 443');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'office');
  });

  it('the site router\'s static route sends the packet into the link whatever AWS announces', () => {
    const r = traceFlow(egress('vpn'), 'office.pc -> 8.8.8.8 tcp 443');
    const site = hopsOf(r, 'forward').find(h => h.kind === 'site');
    assert.match(site?.detail ?? '', /static route 0\.0\.0\.0\/0 -> office-vpn/);
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'virtual-private-gateway' || h.component === 'shop.nat'));
  });

  for (const link of ['vpn', 'direct-connect'] as const) {
    it(`NGW_REQUIRES_SOURCE_IN_VPC: internet traffic from a site over ${link} cannot use the VPC's NAT gateway`, () => {
      const r = traceFlow(egress(link), 'office.pc -> 8.8.8.8 tcp 443');
      assert.equal(r.verdict, 'unreachable');
      assert.equal(r.code, 'NGW_REQUIRES_SOURCE_IN_VPC');
      assert.equal(r.component, 'shop.nat');
      assert.equal(r.rule?.text, '0.0.0.0/0 -> nat');
      assert.equal(r.direction, 'forward');
    });
  }

  it('VPCE_GATEWAY_SOURCE_NOT_IN_VPC: a site cannot reach S3 through the VPC\'s gateway endpoint', () => {
    const r = traceFlow(egress('vpn'), 'office.pc -> 52.216.8.10 tcp 443'); // in us-east-1's S3 prefix list
    assert.equal(r.code, 'VPCE_GATEWAY_SOURCE_NOT_IN_VPC');
    assert.equal(r.component, 'shop.s3ep');
  });

  it('a route to the internet gateway stays the gateway\'s own refusal (no edge-to-edge routing)', () => {
    const m = egress('vpn');
    tableOf(m, 'shop', 'private').routes = [{ destination: '0.0.0.0/0', target: 'igw' }];
    const r = traceFlow(m, 'office.pc -> 8.8.8.8 tcp 443');
    assert.equal(r.code, 'VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
    assert.equal(r.component, 'shop.vgw');
  });

  it('a longer prefix AWS announces beats the static default route; equal prefixes: the static route wins', () => {
    const m = egress('vpn');
    addDx(m, { name: 'dx1', site: 'office', to: 'shop.vgw', vlan: 101 });
    // 10.0.0.0/16 is announced over both links (DX preferred); the static default points at the VPN.
    let r = traceFlow(m, 'office.pc -> shop.web tcp 443');
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'direct-connect'), 'the announced /16 over DX wins over the static /0');
    m.sites![0].routes = [{ destination: '10.0.0.0/16', via: 'office-vpn' }];
    r = traceFlow(m, 'office.pc -> shop.web tcp 443');
    assert.ok(!hopsOf(r, 'forward').some(h => h.kind === 'direct-connect'), 'the static /16 wins over the same prefix learned over DX');
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'vpn'));
  });

  it('centralized egress: a site reaches the internet through a transit gateway and an egress VPC\'s NAT gateway', () => {
    const m = network()
      .vpc('egress', v => v.cidr('10.9.0.0/16').igw('igw')
        .subnet('public', '10.9.0.0/24', s => s.routeTable('public-rt'))
        .subnet('tgw', '10.9.1.0/24', s => s.routeTable('tgw-rt'))
        .routeTable('public-rt', ['0.0.0.0/0 -> igw', '192.168.0.0/16 -> hub'])
        .routeTable('tgw-rt', ['0.0.0.0/0 -> nat']))
      .build();
    vpcOf(m, 'egress').natGateways = [{ name: 'nat', subnet: 'public', publicIp: '3.3.3.9', private: false }];
    addSite(m, { name: 'office', cidrs: ['192.168.0.0/16'], customerGatewayIp: '203.0.113.10', hosts: [{ name: 'pc', ip: '192.168.1.20' }] });
    addVpn(m, { name: 'office-vpn', site: 'office', to: 'hub', routing: 'bgp' });
    addTgw(m, {
      name: 'hub',
      attachments: [{ name: 'att-egress', kind: 'vpc', vpc: 'egress', subnets: ['tgw'], applianceMode: false }, { name: 'att-vpn', kind: 'vpn', vpn: 'office-vpn' }],
      routeTables: [{ name: 'main', associations: ['att-egress', 'att-vpn'], propagations: ['att-vpn'], routes: [{ destination: '0.0.0.0/0', attachment: 'att-egress', blackhole: false }] }],
    });
    const r = traceFlow(m, 'office.pc -> 8.8.8.8 tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const nat = hopsOf(r, 'forward').find(h => h.component === 'egress.nat' && h.action === 'translate');
    assert.ok(nat, 'the NAT gateway translates the site\'s traffic');
  });
});
