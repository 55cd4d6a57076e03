/** The internet gateway on a Blackfoot edge: 1:1 NAT and its checks (aws-data-plane.md §3.4, §1.5). */
import assert from 'node:assert/strict';
import { network, traceOf, hopsOf, field } from './helpers.js';

const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

function shop(options: { webPublic?: string; igw?: boolean; acl?: string[] } = {}) {
  return network().vpc('shop', v => {
    v.cidr('10.0.0.0/16');
    if (options.igw !== false) v.igw('igw');
    v.subnet('pub', '10.0.0.0/24', s => {
      s.routeTable('public')
        .instance('web', '10.0.0.10', { groups: ['open'], publicIp: options.webPublic === '' ? undefined : options.webPublic ?? '54.0.0.10' })
        .instance('peer', '10.0.0.20', { groups: ['open'], publicIp: '54.0.0.20' })
        .instance('dark', '10.0.0.30', { groups: ['open'] });
      if (options.acl) s.acl('edge');
    })
      .routeTable('public', ['0.0.0.0/0 -> igw'])
      .sg('open', OPEN);
    if (options.acl) v.acl('edge', options.acl);
  })
    .host('client', '198.51.100.7')
    .host('dns', '8.8.8.8')
    .host('lan', '192.168.5.5')
    .host('cgnat', '100.64.5.5')
    .build();
}

describe('the internet gateway rewrites the source to the public address (1:1 NAT)', () => {
  it('the internet gateway rewrites the source to the public address (1:1 NAT)', () => {
    const r = traceOf(shop(), 'web -> dns udp 53');
    assert.equal(r.verdict, 'reachable');
    const igw = hopsOf(r, 'forward').find(h => h.component === 'shop.igw')!;
    assert.equal(igw.action, 'translate');
    assert.equal(igw.place, 'blackfoot');
    assert.equal(field(igw.headersBefore, 'IPv4', 'src')?.value, '10.0.0.10');
    const src = field(igw.headers, 'IPv4', 'src');
    assert.equal(src?.value, '54.0.0.10');
    assert.equal(src?.changed, true);
    assert.equal(field(igw.headers, 'IPv4', 'dst')?.changed, undefined);
    // The VPC encapsulation is gone on the internet leg.
    assert.equal(igw.headers.some(h => h.kind === 'vpc-encap'), false);
    const delivered = hopsOf(r, 'forward').at(-1)!;
    assert.equal(delivered.component, 'dns');
    assert.equal(field(delivered.headers, 'IPv4', 'src')?.value, '54.0.0.10');
  });

  it('the internet gateway rewrites the destination of replies back to the private address', () => {
    const r = traceOf(shop(), 'web -> dns udp 53');
    const igw = hopsOf(r, 'return').find(h => h.component === 'shop.igw')!;
    assert.equal(field(igw.headersBefore, 'IPv4', 'dst')?.value, '54.0.0.10');
    assert.equal(field(igw.headers, 'IPv4', 'dst')?.value, '10.0.0.10');
    assert.equal(field(igw.headers, 'IPv4', 'dst')?.changed, true);
    assert.equal(hopsOf(r, 'return').at(-1)?.component, 'shop.web');
  });

  it('inbound, the internet gateway rewrites the public destination to the private address', () => {
    const r = traceOf(shop(), 'client -> web tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.flow?.dstIp, '54.0.0.10');
    const igw = hopsOf(r, 'forward').find(h => h.component === 'shop.igw')!;
    assert.equal(field(igw.headers, 'IPv4', 'dst')?.value, '10.0.0.10');
    assert.equal(field(igw.headers, 'IPv4', 'dst')?.changed, true);
    const back = hopsOf(r, 'return').find(h => h.component === 'shop.igw')!;
    assert.equal(field(back.headers, 'IPv4', 'src')?.value, '54.0.0.10');
  });
});

describe('internet gateway egress needs a public address (IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS)', () => {
  it('an instance without a public address cannot reach the internet through the gateway', () => {
    const r = traceOf(shop(), 'dark -> dns udp 53');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS');
    assert.equal(r.component, 'shop.igw');
    assert.equal(r.direction, 'forward');
  });
});

describe('internet gateway address filters (RFC 1918, RFC 6598)', () => {
  it('drops egress to RFC 1918 destinations', () => {
    const r = traceOf(shop(), 'web -> lan tcp 22');
    assert.equal(r.code, 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS');
    assert.equal(r.component, 'shop.igw');
    assert.equal(r.direction, 'forward');
  });

  it('drops egress to RFC 6598 destinations', () => {
    const r = traceOf(shop(), 'web -> cgnat tcp 22');
    assert.equal(r.code, 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS');
    assert.equal(r.component, 'shop.igw');
  });

  it('drops ingress from RFC 1918 sources', () => {
    const r = traceOf(shop(), 'lan -> web tcp 443');
    assert.equal(r.code, 'IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS');
    assert.equal(r.component, 'shop.igw');
    assert.equal(r.direction, 'forward');
  });

  it('drops ingress from RFC 6598 sources', () => {
    const r = traceOf(shop(), 'cgnat -> web tcp 443');
    assert.equal(r.code, 'IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS');
  });
});

describe('ingress needs a public address of an interface in the VPC', () => {
  it('an instance without a public address cannot be addressed from the internet', () => {
    const r = traceOf(shop(), 'client -> dark tcp 443');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
    assert.equal(r.component, 'shop.igw');
    assert.equal(r.direction, 'forward');
    assert.equal(r.flow, undefined);
    // No packet exists, but the path still ends at the gateway that has nothing to translate to.
    assert.equal(r.hops.length, 1);
    assert.equal(r.hops[0].kind, 'internet-gateway');
    assert.equal(r.hops[0].action, 'drop');
    assert.equal(r.hops[0].code, 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
  });

  it('a public address in a VPC without an internet gateway is unreachable from the internet', () => {
    const r = traceOf(shop({ igw: false }), 'client -> web tcp 443');
    assert.equal(r.code, 'NO_INTERNET_GATEWAY');
    assert.equal(r.component, 'internet');
    assert.equal(r.direction, 'forward');
  });

  it('traffic entering from the internet crosses the subnet network ACL inbound', () => {
    const r = traceOf(shop({ acl: ['outbound 100 allow all to 0.0.0.0/0'] }), 'client -> web tcp 443');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.component, 'shop.edge');
    assert.equal(r.direction, 'forward');
  });
});

describe('hairpin: traffic to another instance\'s public address leaves and re-enters through the gateway', () => {
  it('follows the sender\'s route table to the gateway, which rewrites the source to the sender\'s public address', () => {
    const r = traceOf(shop(), 'web -> 54.0.0.20 tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    const igwHops = fwd.filter(h => h.component === 'shop.igw');
    assert.equal(igwHops.length, 2); // out, then in again
    assert.equal(field(igwHops[0].headers, 'IPv4', 'src')?.value, '54.0.0.10');
    assert.equal(field(igwHops[1].headers, 'IPv4', 'dst')?.value, '10.0.0.20');
    const delivered = fwd.at(-1)!;
    assert.equal(delivered.component, 'shop.peer');
    assert.equal(field(delivered.headers, 'IPv4', 'src')?.value, '54.0.0.10');
  });

  it('drops the hairpin when the sender has no public address', () => {
    const r = traceOf(shop(), 'dark -> 54.0.0.20 tcp 443');
    assert.equal(r.code, 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS');
  });

  it('the receiver\'s rules see the sender\'s public address: private CIDRs and group references do not match', () => {
    const m = network().vpc('v', v => v.cidr('10.0.0.0/16').igw('igw')
      .subnet('pub', '10.0.0.0/24', s => s.routeTable('public')
        .instance('a', '10.0.0.10', { groups: ['app'], publicIp: '54.0.0.10' })
        .instance('b', '10.0.0.20', { groups: ['db'], publicIp: '54.0.0.20' }))
      .routeTable('public', ['0.0.0.0/0 -> igw'])
      .sg('app', ['outbound all to 0.0.0.0/0'])
      .sg('db', ['inbound tcp 5432 from app', 'inbound tcp 5432 from 10.0.0.0/16'])).build();
    assert.equal(traceOf(m, 'a -> b tcp 5432').verdict, 'reachable');
    const r = traceOf(m, 'a -> 54.0.0.20 tcp 5432');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'v.db');
    assert.equal(r.direction, 'forward');
    assert.match(r.reason, /54\.0\.0\.10/);
  });

  it('the hairpin crosses network ACLs again, even between interfaces of one subnet', () => {
    const m = shop({ acl: ['outbound 100 allow all to 0.0.0.0/0', 'inbound 100 allow all from 10.0.0.0/16'] });
    assert.equal(traceOf(m, 'web -> peer tcp 443').verdict, 'reachable');
    const r = traceOf(m, 'web -> 54.0.0.20 tcp 443');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.component, 'shop.edge');
    assert.equal(r.direction, 'forward');
  });
});

describe('MTU: 9001 inside the VPC, 1500 through the internet gateway', () => {
  it('legs inside the VPC carry 9001, the internet leg 1500', () => {
    const r = traceOf(shop(), 'web -> dns udp 53');
    const fwd = hopsOf(r, 'forward');
    assert.equal(fwd.find(h => h.component === 'shop.web')?.mtu, 9001);
    assert.equal(fwd.find(h => h.kind === 'mapping-service')?.mtu, 9001);
    assert.equal(fwd.find(h => h.component === 'shop.igw')?.mtu, 1500);
    assert.equal(r.pathMtu, 1500);
  });

  it('a path that stays inside the VPC has path MTU 9001', () => {
    assert.equal(traceOf(shop(), 'web -> peer tcp 443').pathMtu, 9001);
  });
});
