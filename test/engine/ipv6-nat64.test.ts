/**
 * NAT64 at a NAT gateway (aws-data-plane.md §3.6 "IPv6 only via NAT64 (with DNS64)"): 64:ff9b::/96 is
 * routed to a NAT gateway, which translates to IPv4 (source: its address and a port from 1024–65535;
 * destination: the IPv4 address in the last 32 bits) and translates the replies back.
 */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile } from './helpers.js';
import { addPeering, addTgw } from './between-fixtures.js';
import { trace } from '../../engine/index.js';
import type { EndpointRef, NetworkModel, Protocol } from '../../engine/model.js';

interface Options { privRoutes?: string[]; natSubnetRoutes?: string[]; natAcl?: string[]; privateNat?: boolean; appSg?: string[] }

/** Dual-stack VPC: app (IPv6) in a private subnet, a NAT gateway in the public one. */
function shop(o: Options = {}): NetworkModel {
  const model = network().vpc('shop', v => {
    v.cidr('10.0.0.0/16').igw('igw')
      .subnet('pub', '10.0.0.0/24', s => { s.routeTable('pub-rt'); if (o.natAcl) s.acl('nat-acl'); })
      .subnet('priv', '10.0.1.0/24', s => s.routeTable('priv-rt').instance('app', '10.0.1.10', { groups: ['app-sg'] }))
      .routeTable('pub-rt', o.natSubnetRoutes ?? ['0.0.0.0/0 -> igw', '::/0 -> igw'])
      .routeTable('priv-rt', o.privRoutes ?? ['64:ff9b::/96 -> nat'])
      .sg('app-sg', o.appSg ?? ['outbound all to ::/0', 'outbound all to 0.0.0.0/0']);
    if (o.natAcl) v.acl('nat-acl', o.natAcl);
  }).host('dns', '8.8.8.8').build();
  const vpc = model.vpcs[0];
  vpc.ipv6Cidrs = ['2600:1f18:abcd::/56'];
  vpc.subnets[0].ipv6Cidr = '2600:1f18:abcd:1::/64';
  vpc.subnets[1].ipv6Cidr = '2600:1f18:abcd:2::/64';
  vpc.subnets[1].instances[0].ipv6 = ['2600:1f18:abcd:2::10'];
  vpc.natGateways = [o.privateNat ? { name: 'nat', subnet: 'pub', private: true } : { name: 'nat', subnet: 'pub', private: false, publicIp: '3.3.3.3' }];
  return model;
}

const ref = (t: string): EndpointRef => t.includes(':') || /^\d/.test(t) ? { kind: 'ip', ip: t } : t.includes('.') ? { kind: 'instance', vpc: t.split('.')[0], name: t.split('.')[1] } : { kind: 'instance', vpc: 'shop', name: t };
function run(model: NetworkModel, from: string, to: string, protocol: Protocol = 'tcp', port = 443) {
  return trace(compile(model), { source: ref(from), destination: ref(to), protocol, port: protocol === 'tcp' || protocol === 'udp' ? port : undefined });
}

describe('NAT64: 64:ff9b::/96 to a NAT gateway reaches the IPv4 internet', () => {
  it('the instance reaches 8.8.8.8 as 64:ff9b::808:808 and gets the reply back as IPv6', () => {
    const r = run(shop(), 'app', '64:ff9b::808:808');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, '64:ff9b::808:808');
  });
  it('the NAT hop shows both header stacks: IPv6 before, IPv4 after (source: the gateway\'s address and a port 1024–65535; destination: the embedded IPv4)', () => {
    const r = run(shop(), 'app', '64:ff9b::808:808');
    const hop = hopsOf(r, 'forward').find(h => h.component === 'shop.nat' && h.action === 'translate')!;
    assert.ok(hop.headersBefore.some(h => h.kind === 'ipv6'), 'IPv6 before');
    assert.equal(field(hop.headersBefore, 'Ethernet', 'type')!.value, '0x86DD (IPv6)');
    assert.equal(field(hop.headersBefore, 'IPv6', 'dst')!.value, '64:ff9b::808:808');
    assert.ok(!hop.headers.some(h => h.kind === 'ipv6'), 'no IPv6 after');
    assert.equal(field(hop.headers, 'IPv4', 'dst')!.value, '8.8.8.8');
    const src = field(hop.headers, 'IPv4', 'src')!.value;
    assert.match(src, /^10\.0\.0\./);
    const port = Number(field(hop.headers, 'TCP', 'src port')!.value);
    assert.ok(port >= 1024 && port <= 65535);
    assert.match(hop.detail, /NAT64/);
  });
  it('the internet gateway then maps the gateway\'s address to its Elastic IP', () => {
    const r = run(shop(), 'app', '64:ff9b::808:808');
    const igw = hopsOf(r, 'forward').find(h => h.component === 'shop.igw')!;
    assert.equal(field(igw.headers, 'IPv4', 'src')!.value, '3.3.3.3');
  });
  it('the reply is translated back: source 64:ff9b::<IPv4 source>, destination the instance\'s IPv6 address and port', () => {
    const r = run(shop(), 'app', '64:ff9b::808:808');
    const back = hopsOf(r, 'return').find(h => h.component === 'shop.nat' && h.action === 'translate')!;
    assert.equal(field(back.headersBefore, 'IPv4', 'src')!.value, '8.8.8.8');
    assert.equal(field(back.headers, 'IPv6', 'src')!.value, '64:ff9b::808:808');
    assert.equal(field(back.headers, 'IPv6', 'dst')!.value, '2600:1f18:abcd:2::10');
    assert.equal(field(back.headers, 'TCP', 'dst port')!.value, String(r.flow!.srcPort));
    const last = hopsOf(r, 'return').at(-1)!;
    assert.equal(last.component, 'shop.app');
    assert.equal(last.action, 'deliver');
  });
  it('the embedded address can be a declared internet host: the flow reaches it', () => {
    const r = run(shop(), 'app', '64:ff9b::808:808', 'udp', 53);
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'dns' && h.action === 'deliver'));
  });
  it('ICMPv6 echo becomes ICMP echo', () => {
    const r = run(shop({ appSg: ['outbound all to ::/0'] }), 'app', '64:ff9b::808:808', 'icmp');
    assert.equal(r.verdict, 'reachable', r.reason);
    const hop = hopsOf(r, 'forward').find(h => h.component === 'shop.nat' && h.action === 'translate')!;
    assert.equal(field(hop.headers, 'ICMP', 'type')?.value ?? field(hop.headers, 'ICMPv4', 'type')?.value, '8 (echo request)');
  });
});

describe('NAT64 rules', () => {
  it('a destination outside 64:ff9b::/96 routed to a NAT gateway stays an error (INVALID_CONFIGURATION)', () => {
    const r = run(shop({ privRoutes: ['::/0 -> nat'] }), 'app', '2001:db8::1');
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /64:ff9b::\/96/);
  });
  it('PROTOCOL_RESTRICTION: protocol all is not translated', () => {
    const r = run(shop(), 'app', '64:ff9b::808:808', 'all');
    assert.equal(r.code, 'PROTOCOL_RESTRICTION');
  });
  it('the NAT gateway\'s subnet ACL checks the IPv6 packet inbound', () => {
    const r = run(shop({ natAcl: ['inbound 100 allow all from 0.0.0.0/0', 'outbound 100 allow all to 0.0.0.0/0'] }), 'app', '64:ff9b::808:808');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'forward');
    assert.match(r.reason, /2600:1f18:abcd:2::10/);
  });
  it('the NAT gateway\'s subnet ACL checks the translated IPv4 packet outbound (and the IPv6 reply on its way back)', () => {
    const allowV6In = 'inbound 100 allow all from ::/0';
    const denyV4Out = shop({ natAcl: [allowV6In, 'inbound 110 allow all from 0.0.0.0/0', 'outbound 100 allow all to ::/0'] });
    const r = run(denyV4Out, 'app', '64:ff9b::808:808');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.match(r.reason, /8\.8\.8\.8/);
    const denyV6Out = shop({ natAcl: [allowV6In, 'inbound 110 allow all from 0.0.0.0/0', 'outbound 100 allow all to 0.0.0.0/0'] });
    const back = run(denyV6Out, 'app', '64:ff9b::808:808');
    assert.equal(back.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(back.direction, 'return');
  });
  it('the NAT gateway\'s subnet needs an IPv4 route onward: without 0.0.0.0/0 there is no route', () => {
    const r = run(shop({ natSubnetRoutes: ['::/0 -> igw'] }), 'app', '64:ff9b::808:808');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'shop.pub-rt');
  });
  it('a private NAT gateway translates, but the internet gateway drops its traffic', () => {
    const r = run(shop({ privateNat: true }), 'app', '64:ff9b::808:808');
    assert.equal(r.code, 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS');
  });
  it('IPv6 from a peer cannot use the NAT gateway: 64:ff9b::/96 is no address of the peered VPC (PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, no edge-to-edge)', () => {
    const model = shop();
    const peer = network().vpc('peer', v => v.cidr('10.9.0.0/16').subnet('s', '10.9.0.0/24', s => s.routeTable('rt').instance('pc', '10.9.0.10', { groups: ['all'] }))
      .routeTable('rt', ['64:ff9b::/96 -> pcx']).sg('all', ['outbound all to ::/0'])).build().vpcs[0];
    peer.ipv6Cidrs = ['2600:1f18:9::/56'];
    peer.subnets[0].ipv6Cidr = '2600:1f18:9::/64';
    peer.subnets[0].instances[0].ipv6 = ['2600:1f18:9::10'];
    model.vpcs.push(peer);
    addPeering(model, 'pcx', 'peer', 'shop');
    const r = run(model, 'peer.pc', '64:ff9b::808:808');
    // The peering itself refuses first: 64:ff9b::808:808 is not inside shop's IPv6 CIDRs.
    assert.equal(r.code, 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
  });
  it('IPv6 from another VPC through a transit gateway is translated (the centralized NAT64 pattern)', () => {
    const model = shop();
    model.vpcs[0].subnets.push({ name: 'tgw-a', cidr: '10.0.2.0/28', ipv6Cidr: '2600:1f18:abcd:3::/64', az: 'us-east-1a', routeTable: 'tgw-rt', instances: [] });
    model.vpcs[0].routeTables.push({ name: 'tgw-rt', main: false, routes: [{ destination: '64:ff9b::/96', target: 'nat' }] });
    model.vpcs[0].routeTables.find(t => t.name === 'pub-rt')!.routes.push({ destination: '2600:1f18:9::/56', target: 'hub' });
    const spoke = network().vpc('spoke', v => v.cidr('10.9.0.0/16').subnet('s', '10.9.0.0/24', s => s.routeTable('rt').instance('pc', '10.9.0.10', { groups: ['all'] }))
      .routeTable('rt', ['64:ff9b::/96 -> hub']).sg('all', ['outbound all to ::/0', 'inbound all from ::/0'])).build().vpcs[0];
    spoke.ipv6Cidrs = ['2600:1f18:9::/56'];
    spoke.subnets[0].ipv6Cidr = '2600:1f18:9::/64';
    spoke.subnets[0].instances[0].ipv6 = ['2600:1f18:9::10'];
    model.vpcs.push(spoke);
    addTgw(model, {
      name: 'hub',
      attachments: [
        { name: 'shop-att', kind: 'vpc', vpc: 'shop', subnets: ['tgw-a'], applianceMode: false, ipv6Support: true },
        { name: 'spoke-att', kind: 'vpc', vpc: 'spoke', subnets: ['s'], applianceMode: false, ipv6Support: true },
      ],
      routeTables: [{ name: 'rt', associations: ['shop-att', 'spoke-att'], propagations: ['spoke-att'], routes: [{ destination: '64:ff9b::/96', attachment: 'shop-att', blackhole: false }] }],
    });
    const r = run(model, 'spoke.pc', '64:ff9b::808:808');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(hopsOf(r, 'return').some(h => h.kind === 'transit-gateway-route-table'), 'the translated-back reply crosses the gateway');
  });
  it('unsolicited IPv4 to the NAT gateway\'s Elastic IP is still dropped (NGW_UNSOLICITED_INBOUND)', () => {
    const r = trace(compile(shop()), { source: { kind: 'host', name: 'dns' }, destination: { kind: 'ip', ip: '3.3.3.3' }, protocol: 'tcp', port: 443 });
    assert.equal(r.code, 'NGW_UNSOLICITED_INBOUND');
  });
});
