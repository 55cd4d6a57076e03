/** Header stacks at each hop: inner Ethernet/IPv4/L4, the modelled VPC encapsulation, replies. */
import assert from 'node:assert/strict';
import { network, traceOf, hopsOf, field, compile } from './helpers.js';
import { mappingEntry } from '../../engine/index.js';

const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

function model() {
  return network().vpc('v', v => v.cidr('10.0.0.0/16')
    .subnet('s1', '10.0.1.0/24', s => s.instance('a', '10.0.1.10', { groups: ['open'] }).instance('c', '10.0.1.20', { groups: ['open'] }))
    .subnet('s2', '10.0.2.0/24', s => s.instance('b', '10.0.2.10', { groups: ['open'] }))
    .sg('open', OPEN)).build();
}

describe('the sender\'s frame: Ethernet, IPv4, transport', () => {
  it('off-subnet: source MAC is the interface\'s, destination MAC the virtual router\'s gateway MAC', () => {
    const m = model();
    const net = compile(m);
    const a = mappingEntry(net, 'v', 'a')!;
    const r = traceOf(m, 'a -> b tcp 443');
    const send = r.hops[0];
    assert.equal(send.action, 'send');
    assert.deepEqual(send.headers.map(h => h.kind), ['ethernet', 'ipv4', 'tcp']);
    assert.equal(field(send.headers, 'Ethernet', 'src')?.value, a.mac);
    assert.equal(field(send.headers, 'Ethernet', 'dst')?.value, net.vpcs.get('v')!.subnetsByName.get('s1')!.gatewayMac);
    assert.equal(field(send.headers, 'IPv4', 'src')?.value, '10.0.1.10');
    assert.equal(field(send.headers, 'IPv4', 'dst')?.value, '10.0.2.10');
    assert.equal(field(send.headers, 'IPv4', 'protocol')?.value, '6 (TCP)');
    assert.equal(field(send.headers, 'IPv4', 'ttl')?.value, '64');
    assert.equal(field(send.headers, 'TCP', 'src port')?.value, '49152');
    assert.equal(field(send.headers, 'TCP', 'dst port')?.value, '443');
    assert.equal(field(send.headers, 'TCP', 'flags')?.value, 'SYN');
  });

  it('same subnet: the destination MAC is the target interface\'s own MAC', () => {
    const m = model();
    const c = mappingEntry(compile(m), 'v', 'c')!;
    const send = traceOf(m, 'a -> c tcp 443').hops[0];
    assert.equal(field(send.headers, 'Ethernet', 'dst')?.value, c.mac);
  });

  it('icmp carries an echo request forward and an echo reply back', () => {
    const r = traceOf(model(), 'a -> b icmp');
    assert.equal(field(r.hops[0].headers, 'ICMP', 'type')?.value, '8 (echo request)');
    assert.equal(field(r.hops[0].headers, 'IPv4', 'protocol')?.value, '1 (ICMP)');
    assert.equal(field(hopsOf(r, 'return')[0].headers, 'ICMP', 'type')?.value, '0 (echo reply)');
  });

  it('udp carries ports and no flags', () => {
    const send = traceOf(model(), 'a -> b udp 53 from-port 5353').hops[0];
    assert.deepEqual(send.headers.find(h => h.kind === 'udp')?.fields.map(f => `${f.name}=${f.value}`), ['src port=5353', 'dst port=53']);
  });
});

describe('between hosts the IP packet travels in the VPC encapsulation (modelled)', () => {
  it('outer IPv4 between the underlay addresses, a UDP header and a VPC header naming VPC and interfaces', () => {
    const m = model();
    const net = compile(m);
    const a = mappingEntry(net, 'v', 'a')!;
    const b = mappingEntry(net, 'v', 'b')!;
    const r = traceOf(m, 'a -> b tcp 443');
    const encap = hopsOf(r, 'forward').find(h => h.kind === 'mapping-service')!;
    assert.equal(encap.action, 'encapsulate');
    assert.deepEqual(encap.headers.map(h => h.kind), ['ipv4', 'udp', 'vpc-encap', 'ipv4', 'tcp']);
    assert.ok(encap.headers.slice(0, 3).every(h => h.modelled === true));
    assert.ok(encap.headers.slice(3).every(h => !h.modelled));
    const vpcHeader = encap.headers[2];
    assert.equal(vpcHeader.name, 'VPC encapsulation (modelled)');
    assert.equal(field([vpcHeader], vpcHeader.name, 'vpc')?.value, a.vpcId);
    assert.equal(field([vpcHeader], vpcHeader.name, 'src interface')?.value, a.interfaceId);
    assert.equal(field([vpcHeader], vpcHeader.name, 'dst interface')?.value, b.interfaceId);
    assert.equal(field(encap.headers, 'Outer IPv4 (underlay, modelled)', 'src')?.value, a.underlayIp);
    assert.equal(field(encap.headers, 'Outer IPv4 (underlay, modelled)', 'dst')?.value, b.underlayIp);
  });

  it('the destination host strips the encapsulation and delivers a frame from the gateway MAC', () => {
    const m = model();
    const net = compile(m);
    const b = mappingEntry(net, 'v', 'b')!;
    const decap = hopsOf(traceOf(m, 'a -> b tcp 443'), 'forward').find(h => h.action === 'decapsulate')!;
    assert.equal(decap.component, b.host);
    assert.deepEqual(decap.headers.map(h => h.kind), ['ethernet', 'ipv4', 'tcp']);
    assert.equal(field(decap.headers, 'Ethernet', 'dst')?.value, b.mac);
    assert.equal(field(decap.headers, 'Ethernet', 'src')?.value, net.vpcs.get('v')!.subnetsByName.get('s2')!.gatewayMac);
  });

  it('every hop records the stack on arrival and on leaving; filters leave it unchanged', () => {
    const r = traceOf(model(), 'a -> b tcp 443');
    for (let i = 1; i < r.hops.length; i++) {
      if (r.hops[i].direction !== r.hops[i - 1].direction) continue;
      assert.equal(r.hops[i].headersBefore, r.hops[i - 1].headers, `hop ${i + 1} starts with what hop ${i} left`);
    }
    const sg = r.hops.find(h => h.kind === 'security-group')!;
    assert.equal(sg.headers, sg.headersBefore);
  });
});

describe('the return path swaps the tuple as it arrived', () => {
  it('reply ports are swapped and TCP answers SYN, ACK', () => {
    const r = traceOf(model(), 'a -> b tcp 443');
    const reply = hopsOf(r, 'return')[0];
    assert.equal(reply.component, 'v.b');
    assert.equal(reply.place, 'destination');
    assert.equal(field(reply.headers, 'IPv4', 'src')?.value, '10.0.2.10');
    assert.equal(field(reply.headers, 'IPv4', 'dst')?.value, '10.0.1.10');
    assert.equal(field(reply.headers, 'TCP', 'src port')?.value, '443');
    assert.equal(field(reply.headers, 'TCP', 'dst port')?.value, '49152');
    assert.equal(field(reply.headers, 'TCP', 'flags')?.value, 'SYN, ACK');
    assert.equal(hopsOf(r, 'return').at(-1)?.component, 'v.a');
  });

  it('places stay with the endpoints: the sender is the source lane in both directions', () => {
    const r = traceOf(model(), 'a -> b tcp 443');
    assert.ok(r.hops.filter(h => h.component === 'v.a').every(h => h.place === 'source'));
    assert.ok(r.hops.filter(h => h.component === 'v.b').every(h => h.place === 'destination'));
  });
});
