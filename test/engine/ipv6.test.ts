/** IPv6 and the egress-only internet gateway (aws-data-plane.md §3.1, §3.2, §3.4, §3.5). */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile } from './helpers.js';
import { trace } from '../../engine/index.js';
import type { EndpointRef, NetworkModel, Protocol } from '../../engine/model.js';

interface Options { webSg?: string[]; pubRoutes?: string[]; privRoutes?: string[]; acl?: string[]; eigw?: boolean; igw?: boolean }

/** Dual-stack VPC: web in a public subnet (::/0 -> igw), app in a private one (::/0 -> eigw). */
function dual(o: Options = {}): NetworkModel {
  return network().vpc('dual', v => {
    v.cidr('10.0.0.0/16');
    if (o.igw !== false) v.igw('igw');
    v
      .subnet('pub', '10.0.0.0/24', s => { s.routeTable('pub-rt').instance('web', '10.0.0.10', { groups: ['web-sg'], publicIp: '54.0.0.10' }); if (o.acl) s.acl('acl6'); })
      .subnet('priv', '10.0.1.0/24', s => s.routeTable('priv-rt').instance('app', '10.0.1.10', { groups: ['app-sg'] }).instance('v4only', '10.0.1.20', { groups: ['app-sg'] }))
      .routeTable('pub-rt', o.pubRoutes ?? ['0.0.0.0/0 -> igw', '::/0 -> igw'])
      .routeTable('priv-rt', o.privRoutes ?? ['::/0 -> eigw'])
      .sg('web-sg', o.webSg ?? ['inbound tcp 443 from ::/0', 'inbound tcp 443 from 0.0.0.0/0', 'outbound all to ::/0', 'outbound all to 0.0.0.0/0'])
      .sg('app-sg', ['inbound tcp 22 from ::/0', 'outbound all to ::/0']);
    if (o.acl) v.acl('acl6', o.acl);
    v.vpc.ipv6Cidrs = ['2600:1f18:abcd::/56'];
    if (o.eigw !== false) v.vpc.egressOnlyInternetGateway = { name: 'eigw' };
    v.vpc.subnets[0].ipv6Cidr = '2600:1f18:abcd:1::/64';
    v.vpc.subnets[1].ipv6Cidr = '2600:1f18:abcd:2::/64';
    v.vpc.subnets[0].instances[0].ipv6 = ['2600:1f18:abcd:1::10'];
    v.vpc.subnets[1].instances[0].ipv6 = ['2600:1f18:abcd:2::10'];
  }).host('client', '198.51.100.7').build();
}

const ref = (t: string): EndpointRef => /[:.]/.test(t) && !t.startsWith('dual.') ? { kind: 'ip', ip: t } : t === 'client' ? { kind: 'host', name: t } : { kind: 'instance', vpc: 'dual', name: t };
function run(model: NetworkModel, from: string, to: string, protocol: Protocol = 'tcp', port: number | undefined = 443) {
  return trace(compile(model), { source: ref(from), destination: ref(to), protocol, port: protocol === 'icmp' ? undefined : port });
}

describe('IPv6: the internet gateway carries IPv6 without translation', () => {
  it('an instance reaches an IPv6 address on the internet; the IPv6 header (40 bytes) keeps its source', () => {
    const r = run(dual(), 'web', '2001:db8::1');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.srcIp, '2600:1f18:abcd:1::10');
    const igw = hopsOf(r, 'forward').find(h => h.component === 'dual.igw')!;
    const ip = igw.headers.find(h => h.kind === 'ipv6')!;
    assert.equal(ip.bytes, 40);
    assert.equal(field(igw.headers, 'IPv6', 'src')!.value, '2600:1f18:abcd:1::10');
    assert.equal(field(igw.headers, 'IPv6', 'src')!.changed, undefined);
    assert.equal(field(igw.headers, 'Ethernet', 'type')!.value, '0x86DD (IPv6)');
  });
  it('the internet reaches an instance at its IPv6 address through the internet gateway', () => {
    assert.equal(run(dual(), '2001:db8::5', 'web').verdict, 'reachable');
  });
  it('ICMPv6 echo', () => {
    const r = run(dual({ webSg: ['inbound icmp from ::/0', 'outbound all to ::/0'] }), '2001:db8::5', 'web', 'icmp');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(field(hopsOf(r, 'forward')[0].headers, 'ICMPv6', 'type')!.value, '128 (echo request)');
  });
});

describe('IPv6: 0.0.0.0/0 does not match IPv6 (a ::/0 route is needed)', () => {
  it('a table with only 0.0.0.0/0 has no route for IPv6', () => {
    const r = run(dual({ pubRoutes: ['0.0.0.0/0 -> igw'] }), 'web', '2001:db8::1');
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.match(r.reason, /::\/0/);
  });
  it('the local IPv6 route connects subnets', () => {
    assert.equal(run(dual(), 'web', '2600:1f18:abcd:2::10', 'tcp', 22).verdict, 'reachable');
  });
});

describe('IPv6: security-group and network-ACL rules match one family only', () => {
  it('an IPv4 rule does not admit IPv6 traffic', () => {
    const r = run(dual({ webSg: ['inbound tcp 443 from 0.0.0.0/0', 'outbound all to ::/0'] }), '2001:db8::5', 'web');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.match(r.reason, /IPv4 rules never match IPv6/);
  });
  it('an IPv6 rule does not admit IPv4 traffic', () => {
    const r = run(dual({ webSg: ['inbound tcp 443 from ::/0', 'outbound all to 0.0.0.0/0'] }), 'client', 'web');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
  });
  it('a network ACL with IPv4 rules only denies IPv6 at the final * rule', () => {
    const r = run(dual({ acl: ['inbound 100 allow all from 0.0.0.0/0', 'outbound 100 allow all to 0.0.0.0/0'] }), '2001:db8::5', 'web');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
  });
  it('IPv6 ACL rules admit IPv6', () => {
    const r = run(dual({ acl: ['inbound 101 allow tcp 443 from ::/0', 'outbound 101 allow tcp 1024-65535 to ::/0'] }), '2001:db8::5', 'web');
    assert.equal(r.verdict, 'reachable', r.reason);
  });
});

describe('egress-only internet gateway: outbound connections and their replies only', () => {
  it('a private instance reaches the IPv6 internet and gets the reply', () => {
    const r = run(dual(), 'app', '2001:db8::1');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'egress-only-internet-gateway'));
    assert.ok(hopsOf(r, 'return').some(h => h.kind === 'egress-only-internet-gateway'));
  });
  it('a connection from the internet is dropped (EIGW_INBOUND_NOT_ALLOWED)', () => {
    const r = run(dual({ igw: false }), '2001:db8::5', 'app', 'tcp', 22);
    assert.equal(r.code, 'EIGW_INBOUND_NOT_ALLOWED');
    assert.equal(r.component, 'dual.eigw');
  });
  it('Block Public Access (bidirectional) blocks it too', () => {
    const model = dual();
    model.blockPublicAccess = [{ region: 'us-east-1', mode: 'bidirectional', exclusions: [] }];
    assert.equal(run(model, 'app', '2001:db8::1').code, 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED');
  });
  it('Block Public Access (ingress) lets its replies in', () => {
    const model = dual();
    model.blockPublicAccess = [{ region: 'us-east-1', mode: 'ingress', exclusions: [] }];
    assert.equal(run(model, 'app', '2001:db8::1').verdict, 'reachable');
  });
});

describe('IPv6 endpoints', () => {
  it('an instance without an IPv6 address cannot take part in an IPv6 flow', () => {
    const r = run(dual(), 'v4only', '2001:db8::1');
    assert.equal(r.code, 'INVALID_CONFIGURATION');
  });
  it('a route to a NAT gateway carries IPv6 only for 64:ff9b::/96 (NAT64; ipv6-nat64.test.ts)', () => {
    const model = dual({ privRoutes: ['::/0 -> nat'] });
    model.vpcs[0].natGateways = [{ name: 'nat', subnet: 'pub', private: false, publicIp: '3.3.3.3' }];
    assert.equal(run(model, 'app', '2001:db8::1').code, 'INVALID_CONFIGURATION');
  });
  it('IPv4 flows of a dual-stack VPC are unchanged', () => {
    assert.equal(run(dual(), 'client', 'web').verdict, 'reachable');
  });
});

describe('IPv6 in the mapping-service hover', () => {
  it('shows the interface\'s IPv6 addresses', async () => {
    const { mappingEntry, renderMappingMarkdown } = await import('../../engine/index.js');
    const entry = mappingEntry(compile(dual()), 'dual', 'web')!;
    assert.deepEqual(entry.ipv6, ['2600:1f18:abcd:1::10']);
    assert.match(renderMappingMarkdown(entry), /\| IPv6 \| `2600:1f18:abcd:1::10` \|/);
    assert.equal(mappingEntry(compile(dual()), 'dual', 'v4only')!.ipv6, undefined);
  });
});
