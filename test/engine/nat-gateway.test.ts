/** NAT gateways on Hyperplane (aws-data-plane.md §3.6; RA NGW_* codes, REMAP_EPHEMERAL_PORT). */
import assert from 'node:assert/strict';
import { network, traceOf, hopsOf, field, compile } from './helpers.js';
import type { NetworkModel } from '../../engine/model.js';
import { Walker } from '../../engine/walk.js';
import { routeToNatGateway, natPort, NAT_PORT_MIN, NAT_PORT_MAX } from '../../engine/nat-gateway.js';
import type { Packet } from '../../engine/packet.js';
import { parseV4 } from '../../engine/ipv4.js';

const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

interface Options { private?: boolean; publicRoutes?: string[]; acl?: string[]; publicIp?: string }

/** Private subnet app (0.0.0.0/0 -> nat) and public subnet pub (0.0.0.0/0 -> igw) holding the NAT gateway. */
function egress(o: Options = {}): NetworkModel {
  const model = network().vpc('shop', v => {
    v.cidr('10.0.0.0/16').igw('igw')
      .subnet('pub', '10.0.0.0/24', s => { s.routeTable('public'); if (o.acl) s.acl('nat-acl'); })
      .subnet('app', '10.0.1.0/24', s => s.routeTable('private').instance('app1', '10.0.1.10', { groups: ['open'] }))
      .routeTable('public', o.publicRoutes ?? ['0.0.0.0/0 -> igw'])
      .routeTable('private', ['0.0.0.0/0 -> nat'])
      .sg('open', OPEN);
    if (o.acl) v.acl('nat-acl', o.acl);
    v.vpc.natGateways = [o.private
      ? { name: 'nat', subnet: 'pub', private: true }
      : { name: 'nat', subnet: 'pub', private: false, publicIp: o.publicIp ?? '3.3.3.3' }];
  })
    .host('dns', '8.8.8.8')
    .build();
  return model;
}

describe('NAT gateway: source NAT to its private address with a port from 1024–65535 (REMAP_EPHEMERAL_PORT)', () => {
  it('rewrites the source address and port, never the destination (NGW_DEST_ADDRESS_PRESERVATION)', () => {
    const r = traceOf(egress(), 'app1 -> dns tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const t = hopsOf(r, 'forward').find(h => h.component === 'shop.nat' && h.action === 'translate')!;
    assert.equal(t.place, 'hyperplane');
    const src = field(t.headers, 'IPv4', 'src')!;
    assert.equal(src.value, '10.0.0.254'); // derived: the highest free address of subnet pub
    assert.equal(src.changed, true);
    const port = Number(field(t.headers, 'TCP', 'src port')!.value);
    assert.ok(port >= 1024 && port <= 65535 && port !== 49152, String(port));
    assert.equal(field(t.headers, 'TCP', 'src port')!.changed, true);
    assert.equal(field(t.headers, 'IPv4', 'dst')!.value, '8.8.8.8');
    assert.equal(field(t.headers, 'IPv4', 'dst')!.changed, undefined);
  });
  it('picks the same port for the same connection, always within 1024–65535', () => {
    const net = compile(egress());
    const nat = net.vpcs.get('shop')!.services.natGateways.get('nat')!;
    for (let i = 0; i < 200; i++) {
      const p: Packet = { protocol: 'udp', src: 0x0a00010a, dst: 0x08080808 + i, srcPort: 1000 + i, dstPort: 53, ttl: 64, reply: false, viaAppliance: false };
      const port = natPort(nat, p);
      assert.ok(port >= NAT_PORT_MIN && port <= NAT_PORT_MAX);
      assert.equal(natPort(nat, { ...p }), port);
    }
  });
  it('uses a declared private address', () => {
    const model = egress();
    model.vpcs[0].natGateways![0].privateIp = '10.0.0.50';
    const r = traceOf(model, 'app1 -> dns udp 53');
    const t = hopsOf(r, 'forward').find(h => h.component === 'shop.nat' && h.action === 'translate')!;
    assert.equal(field(t.headers, 'IPv4', 'src')!.value, '10.0.0.50');
  });
});

describe('NAT gateway: the hop chain instance → NAT gateway → internet gateway → internet', () => {
  it('a public NAT gateway reaches the internet; the internet gateway maps its private address to the Elastic IP', () => {
    const r = traceOf(egress(), 'app1 -> dns udp 53');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    const order = ['shop.app1', 'shop.nat', 'shop.igw', 'dns'].map(c => fwd.findIndex(h => h.component === c));
    assert.ok(order.every((x, i) => x >= 0 && (i === 0 || x > order[i - 1])), JSON.stringify(order));
    const igw = fwd.find(h => h.component === 'shop.igw')!;
    assert.equal(field(igw.headersBefore, 'IPv4', 'src')!.value, '10.0.0.254');
    assert.equal(field(igw.headers, 'IPv4', 'src')!.value, '3.3.3.3');
    assert.equal(field(igw.headers, 'IPv4', 'src')!.changed, true);
  });
  it('the reply is translated back to the client address and port', () => {
    const r = traceOf(egress(), 'app1 -> dns tcp 443');
    const back = hopsOf(r, 'return');
    const igw = back.find(h => h.component === 'shop.igw')!;
    assert.equal(field(igw.headers, 'IPv4', 'dst')!.value, '10.0.0.254');
    const t = back.find(h => h.component === 'shop.nat' && h.action === 'translate')!;
    assert.equal(field(t.headers, 'IPv4', 'dst')!.value, '10.0.1.10');
    assert.equal(field(t.headers, 'TCP', 'dst port')!.value, '49152');
    assert.equal(back[back.length - 1].component, 'shop.app1');
  });
  it('a private NAT gateway never leaves through an internet gateway (the IGW drops it)', () => {
    const r = traceOf(egress({ private: true }), 'app1 -> dns udp 53');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS');
    assert.equal(r.component, 'shop.igw');
    assert.match(r.reason, /private NAT gateway/);
  });
});

describe('NAT gateway: TCP, UDP and ICMP only (PROTOCOL_RESTRICTION)', () => {
  it('translates tcp, udp and icmp', () => {
    for (const q of ['app1 -> dns tcp 443', 'app1 -> dns udp 53', 'app1 -> dns icmp']) {
      assert.equal(traceOf(egress(), q).verdict, 'reachable', q);
    }
  });
  it('drops traffic of any protocol', () => {
    const r = traceOf(egress(), 'app1 -> dns all');
    assert.equal(r.code, 'PROTOCOL_RESTRICTION');
    assert.equal(r.component, 'shop.nat');
  });
});

describe('NAT gateway: unsolicited inbound traffic is dropped', () => {
  it('a connection from the internet to the Elastic IP finds no translation', () => {
    const r = traceOf(egress(), 'dns -> 3.3.3.3 tcp 22');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'NGW_UNSOLICITED_INBOUND');
    assert.equal(r.direction, 'forward');
    assert.equal(r.component, 'shop.nat');
  });
});

describe("NAT gateway: its own subnet's network ACL and route table apply to the translated packet", () => {
  const ACL = [
    'inbound 100 allow tcp 443 from 10.0.1.0/24', 'outbound 100 allow tcp 443 to 0.0.0.0/0',
    'inbound 110 allow tcp 1024-65535 from 0.0.0.0/0', 'outbound 110 allow tcp 1024-65535 to 10.0.1.0/24',
  ];
  it('passes when the ACL allows the client traffic in, the translated packet out and replies to the translated ports', () => {
    assert.equal(traceOf(egress({ acl: ACL }), 'app1 -> dns tcp 443').verdict, 'reachable');
  });
  it('the reply to the translated port needs an inbound rule in the NAT subnet (not the client port)', () => {
    const acl = [...ACL.slice(0, 2), 'inbound 110 allow tcp 49152 from 0.0.0.0/0', ACL[3]];
    const r = traceOf(egress({ acl }), 'app1 -> dns tcp 443');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'shop.nat-acl');
  });
  it('the client traffic entering the NAT subnet needs an inbound rule', () => {
    const acl = ACL.slice(1);
    const r = traceOf(egress({ acl }), 'app1 -> dns tcp 443');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'forward');
  });
  it("the NAT gateway's subnet route table routes the translated packet", () => {
    const r = traceOf(egress({ publicRoutes: [] }), 'app1 -> dns udp 53');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'shop.public');
  });
  it('a NAT subnet routing back to the NAT gateway is a loop', () => {
    const r = traceOf(egress({ publicRoutes: ['0.0.0.0/0 -> nat'] }), 'app1 -> dns udp 53');
    assert.equal(r.code, 'ROUTING_LOOP');
  });
});

describe('NAT gateway: only traffic from its own VPC (NGW_REQUIRES_SOURCE_IN_VPC), a transit gateway allowed', () => {
  function send(via: Packet['via'], src = '10.0.1.10') {
    const net = compile(egress());
    const vpc = net.vpcs.get('shop')!;
    const subnet = vpc.subnetsByName.get('app')!;
    const nat = vpc.services.natGateways.get('nat')!;
    const match = subnet.routeTable.routes.find(r => r.target.kind === 'nat-gateway')!;
    const w = new Walker(net, true);
    w.begin('forward');
    const p: Packet = { protocol: 'udp', src: parseV4(src)!, dst: parseV4('8.8.8.8')!, srcPort: 40000, dstPort: 53, ttl: 64, reply: false, viaAppliance: false, via };
    const arrival = routeToNatGateway(w, vpc.instances.get('app1')!, subnet, p, match, nat, 'source-host');
    return { arrival, w };
  }
  for (const via of ['peering', 'vpn', 'direct-connect'] as const) {
    it(`drops traffic that came over ${via}`, () => {
      const { arrival, w } = send(via, '172.16.0.5');
      assert.equal(arrival, undefined);
      assert.equal(w.drop?.code, 'NGW_REQUIRES_SOURCE_IN_VPC');
    });
  }
  for (const via of ['vpn', 'direct-connect'] as const) {
    it(`drops traffic that came over ${via} even when its source is inside the VPC's CIDR`, () => {
      const { arrival, w } = send(via, '10.0.1.10');
      assert.equal(arrival, undefined);
      assert.equal(w.drop?.code, 'NGW_REQUIRES_SOURCE_IN_VPC');
    });
  }
  it('drops a source outside the VPC that did not come from a transit gateway', () => {
    const { w } = send(undefined, '172.16.0.5');
    assert.equal(w.drop?.code, 'NGW_REQUIRES_SOURCE_IN_VPC');
  });
  it('translates traffic that came from a transit gateway', () => {
    const { arrival, w } = send('transit-gateway', '172.16.0.5');
    assert.equal(w.drop, undefined);
    assert.equal(arrival?.kind, 'host');
  });
});
