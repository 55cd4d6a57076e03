/**
 * Dual-stack network load balancers over IPv6 (ELB guide "IP address type" and "Update the IP address
 * types for your Network Load Balancer"; AWS blog on NLB IPv6 target groups; aws-data-plane.md §3.11).
 */
import assert from 'node:assert/strict';
import { compile, field, hopsOf, network } from './helpers.js';
import { trace } from '../../engine/index.js';
import type { EndpointRef, NetworkModel, Protocol } from '../../engine/model.js';
import { dualShop, OPEN46, type ShopOptions } from './hyperplane-fixtures.js';

const NLB: EndpointRef = { kind: 'load-balancer', vpc: 'shop', name: 'nlb' };
const CLIENT6: EndpointRef = { kind: 'ip', ip: '2001:db8::7' };
const TESTER6: EndpointRef = { kind: 'ip', ip: '2600:1f18:abcd:10::9' };
const NODE_A = '2600:1f18:abcd:1:ffff:ffff:ffff:fffe';
const NODE_B = '2600:1f18:abcd:2:ffff:ffff:ffff:fffe';
const V6_GROUP = { targetType: 'ip' as const, targets: ['2600:1f18:abcd:10::5', '2600:1f18:abcd:11::5'] };

function run(model: NetworkModel, source: EndpointRef = CLIENT6, destination: EndpointRef = NLB, protocol: Protocol = 'tcp', port = 80) {
  return trace(compile(model), { source, destination, protocol, port });
}
const shop = (o: ShopOptions = {}) => dualShop(o);

describe('dual-stack NLB: an IPv6 client on the internet reaches a node\'s IPv6 address through the internet gateway', () => {
  it('the flow goes to the first node\'s IPv6 address, unchanged by the internet gateway, and its reply comes back from it', () => {
    const r = run(shop());
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, NODE_A);
    const igw = hopsOf(r, 'forward').find(h => h.component === 'shop.igw')!;
    assert.equal(field(igw.headers, 'IPv6', 'dst')!.value, NODE_A);
    const last = hopsOf(r, 'return').at(-1)!;
    assert.equal(last.component, 'internet');
    const lastIp = hopsOf(r, 'return').filter(h => h.headers.some(x => x.name === 'IPv6')).at(-1)!;
    assert.equal(field(lastIp.headers, 'IPv6', 'src')!.value, NODE_A);
    assert.equal(field(lastIp.headers, 'TCP', 'src port')!.value, '80');
  });
  it('`in <zone>` picks that AZ\'s node', () => {
    const r = run(shop(), CLIENT6, { ...NLB, zone: 'us-east-1b' } as EndpointRef);
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, NODE_B);
    assert.equal(hopsOf(r, 'forward').find(h => h.action === 'deliver')!.component, 'shop.api-2');
  });
  it('an ipv4 load balancer has no IPv6 address', () => {
    const r = run(shop({ lb: { ipAddressType: 'ipv4' } }));
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /IP address type is ipv4/);
  });
  it('an internal dual-stack load balancer cannot be reached from the internet (by name or by its address)', () => {
    assert.equal(run(shop({ lb: { scheme: 'internal' } })).code, 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
    assert.equal(run(shop({ lb: { scheme: 'internal' } }), CLIENT6, { kind: 'ip', ip: NODE_A }).code, 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
  });
  it('the node\'s subnet needs IPv6 routes to answer: without ::/0 -> igw the reply is NO_ROUTE_TO_DESTINATION', () => {
    const r = run(shop({ publicRoutes: ['0.0.0.0/0 -> igw'] }));
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'shop.public');
  });
  it('the node\'s subnet network ACL applies with its IPv6 rules (IPv4 rules never match)', () => {
    const v4only = ['inbound 100 allow all from 0.0.0.0/0', 'outbound 100 allow all to 0.0.0.0/0'];
    assert.equal(run(shop({ pubAcl: v4only })).code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(run(shop({ pubAcl: [...v4only, 'inbound 110 allow all from ::/0', 'outbound 110 allow all to ::/0'] })).verdict, 'reachable');
  });
  it('the load balancer\'s security groups apply with their IPv6 rules', () => {
    const r = run(shop({ nlbSg: ['inbound tcp 80 from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'shop.nlb-sg');
    assert.equal(run(shop({ nlbSg: ['inbound tcp 80 from ::/0', 'outbound all to 0.0.0.0/0', 'outbound all to ::/0'] })).verdict, 'reachable');
  });
  it('the listener decides as for IPv4 (ELBV2_LISTENER_PORT_RESTRICTION)', () => {
    assert.equal(run(shop(), CLIENT6, NLB, 'tcp', 443).code, 'ELBV2_LISTENER_PORT_RESTRICTION');
  });
  it('cross-zone off: the node in us-east-1a has no target in its AZ (ELB_NOT_CROSSZONE)', () => {
    assert.equal(run(shop({ listener: { targets: ['api-2'] } })).code, 'ELB_NOT_CROSSZONE');
  });
});

describe('dual-stack NLB: IPv6 clients to an IPv4 target group are translated at the node', () => {
  it('the target sees the node\'s private IPv4 address and a remapped port, not the client (no client IP preservation across families)', () => {
    const r = run(shop({ apiSg: ['inbound tcp 8080 from 10.0.0.0/24'] }));
    assert.equal(r.verdict, 'reachable', r.reason);
    const t = hopsOf(r, 'forward').find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headers, 'IPv4', 'src')!.value, '10.0.0.254');
    assert.equal(field(t.headers, 'IPv4', 'dst')!.value, '10.0.10.5');
    assert.equal(field(t.headers, 'TCP', 'dst port')!.value, '8080');
    assert.notEqual(field(t.headers, 'TCP', 'src port')!.value, '49152');
    assert.equal(t.headers.some(h => h.name === 'IPv6'), false);
    assert.equal(hopsOf(r, 'forward').find(h => h.action === 'deliver')!.component, 'shop.api-1');
  });
  it('a target group allowing only IPv6 clients drops the translated flow (the target sees IPv4)', () => {
    const r = run(shop({ apiSg: ['inbound tcp 8080 from ::/0'] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.match(r.reason, /10\.0\.0\.254/);
  });
  it('the reply goes back through the node as IPv4, then leaves as IPv6 to the client', () => {
    const r = run(shop());
    const back = hopsOf(r, 'return');
    const i4 = back.findIndex(h => h.component === 'shop.nlb' && h.action === 'translate');
    assert.ok(i4 > 0, 'a translate hop on the way back');
    assert.ok(back.slice(0, i4).some(h => h.headers.some(x => x.name === 'IPv4')));
    const t = back[i4];
    assert.equal(field(t.headers, 'IPv6', 'src')!.value, NODE_A);
    assert.equal(field(t.headers, 'IPv6', 'dst')!.value, '2001:db8::7');
    assert.equal(field(t.headers, 'TCP', 'dst port')!.value, '49152');
  });
  it('the target\'s reply returns to the node whatever its route table says (the private table has no route)', () => {
    assert.equal(run(shop()).verdict, 'reachable');
  });
});

describe('dual-stack NLB: an IPv6 target group keeps the flow IPv6', () => {
  it('IP targets over IPv6: destination rewritten to the target; client IP preservation off by default for IP targets (the target sees the node)', () => {
    const r = run(shop({ listener: V6_GROUP }));
    assert.equal(r.verdict, 'reachable', r.reason);
    const t = hopsOf(r, 'forward').find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headers, 'IPv6', 'dst')!.value, '2600:1f18:abcd:10::5');
    assert.equal(field(t.headers, 'IPv6', 'src')!.value, NODE_A);
    assert.equal(hopsOf(r, 'forward').find(h => h.action === 'deliver')!.component, 'shop.api-1');
    const back = hopsOf(r, 'return');
    assert.equal(back[0].component, 'shop.api-1');
    assert.equal(back.at(-1)!.component, 'internet');
  });
  it('with client IP preservation on the target sees the client\'s IPv6 address', () => {
    const vpcOnly = ['inbound tcp 8080 from 2600:1f18:abcd::/56'];
    assert.equal(run(shop({ listener: V6_GROUP, apiSg: vpcOnly })).verdict, 'reachable');
    const r = run(shop({ listener: { ...V6_GROUP, preserveClientIp: true }, apiSg: vpcOnly }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.match(r.reason, /2001:db8::7/);
  });
  it('targets may reference the load balancer\'s group: its nodes\' IPv6 addresses are members', () => {
    const r = run(shop({ listener: V6_GROUP, nlbSg: ['inbound tcp 80 from ::/0', 'outbound all to ::/0', 'outbound all to 0.0.0.0/0'], apiSg: ['inbound tcp 8080 from nlb-sg'] }));
    assert.equal(r.verdict, 'reachable', r.reason);
  });
  it('IPv6 target groups take TCP listeners only', () => {
    const r = run(shop({ listener: { ...V6_GROUP, protocol: 'udp' } }), CLIENT6, NLB, 'udp', 80);
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /TCP/);
  });
  it('an IPv6 target outside the VPC\'s IPv6 CIDRs: TARGET_ADDRESS_RESTRICTION', () => {
    const r = run(shop({ listener: { targetType: 'ip', targets: ['2001:db8:9::5'] }, lb: { crossZone: true } }));
    assert.equal(r.code, 'TARGET_ADDRESS_RESTRICTION');
  });
  it('an IPv4 client to the same IPv6 target group is translated at the node (load-balancer-v4-to-v6.test.ts has the rules)', () => {
    const r = trace(compile(shop({ listener: V6_GROUP })), { source: { kind: 'host', name: 'client' }, destination: NLB, protocol: 'tcp', port: 80 });
    assert.equal(r.verdict, 'reachable', r.reason);
    const t = hopsOf(r, 'forward').find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headers, 'IPv6', 'dst')!.value, '2600:1f18:abcd:10::5');
  });
});

describe('dual-stack NLB: IPv6 clients inside the VPC', () => {
  it('an instance reaches the node in its AZ by the mapping service; the reply comes back to it', () => {
    const r = run(shop(), TESTER6);
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, NODE_A);
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'mapping-service' && h.detail.includes('shop.nlb@us-east-1a')));
    assert.equal(hopsOf(r, 'return').at(-1)!.component, 'shop.tester');
  });
  it('the literal IPv6 address of a node works like naming the load balancer', () => {
    const r = run(shop(), TESTER6, { kind: 'ip', ip: NODE_B });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(hopsOf(r, 'forward').find(h => h.action === 'deliver')!.component, 'shop.api-2');
  });
  it('an IPv6 address of the node\'s /64 that nothing holds is still ADDRESS_NOT_ASSIGNED', () => {
    assert.equal(run(shop(), TESTER6, { kind: 'ip', ip: '2600:1f18:abcd:1::99' }).code, 'ADDRESS_NOT_ASSIGNED');
  });
});

describe('dual-stack NLB: `expect tester -> nlb ipv6 tcp 80` (TraceQuery.family 6)', () => {
  it('an instance named with family 6 uses its IPv6 address and reaches the node of its AZ', () => {
    const r = trace(compile(shop()), { source: { kind: 'instance', vpc: 'shop', name: 'tester' }, destination: NLB, protocol: 'tcp', port: 80, family: 6 });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.srcIp, '2600:1f18:abcd:10::9');
    assert.equal(r.flow!.dstIp, NODE_A);
  });
});

describe('a dual-stack NLB node answers over its subnet\'s IPv6 routes: through the internet gateway from its own global address', () => {
  /** dualShop plus a dual-stack peer VPC ops (2600:1f18:eeee::/56) whose `probe` reaches the NLB over an active peering. */
  function peered(publicRoutes: string[]) {
    const m = dualShop({ publicRoutes, nlbSg: ['inbound tcp 80 from ::/0', 'outbound all to ::/0', 'outbound all to 0.0.0.0/0'], lb: { scheme: 'internal', securityGroups: ['nlb-sg'] } });
    const ops = network().vpc('ops', v => v.cidr('10.9.0.0/16')
      .subnet('tools', '10.9.1.0/24', s => s.routeTable('ops-rt').instance('probe', '10.9.1.10', { groups: ['open'] }), 'us-east-1a')
      .routeTable('ops-rt', ['2600:1f18:abcd::/56 -> link'])
      .sg('open', OPEN46)).build().vpcs[0];
    ops.ipv6Cidrs = ['2600:1f18:eeee::/56'];
    ops.subnets[0].ipv6Cidr = '2600:1f18:eeee:1::/64';
    ops.subnets[0].instances[0].ipv6 = ['2600:1f18:eeee:1::10'];
    m.vpcs.push(ops);
    m.peerings = [{ name: 'link', requester: 'shop', accepter: 'ops', status: 'active' }];
    const shopTable = m.vpcs[0].routeTables.find(t => t.name === 'private')!;
    shopTable.routes.push({ destination: '2600:1f18:eeee::/56', target: 'link' });
    return m;
  }
  const PROBE: EndpointRef = { kind: 'instance', vpc: 'ops', name: 'probe' };
  const NLB_A: EndpointRef = { kind: 'load-balancer', vpc: 'shop', name: 'nlb', zone: 'us-east-1a' };

  it('without a route back to the peer the node\'s reply leaves by ::/0 through the internet gateway (its address is a global one of the VPC), and the internet cannot bring it into ops', () => {
    const r = trace(compile(peered(['0.0.0.0/0 -> igw', '::/0 -> igw'])), { source: PROBE, destination: NLB_A, protocol: 'tcp', port: 80, family: 6 });
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.direction, 'return');
    assert.equal(r.code, 'NO_INTERNET_GATEWAY', r.reason);
    assert.ok(hopsOf(r, 'return').some(h => h.component === 'shop.igw' && h.action === 'forward'), 'the internet gateway forwards the node\'s global IPv6 address');
  });

  it('with the peer\'s IPv6 block routed over the peering in the node\'s subnet, the reply comes back', () => {
    const r = trace(compile(peered(['0.0.0.0/0 -> igw', '::/0 -> igw', '2600:1f18:eeee::/56 -> link'])), { source: PROBE, destination: NLB_A, protocol: 'tcp', port: 80, family: 6 });
    assert.equal(r.verdict, 'reachable', r.reason);
  });
});
