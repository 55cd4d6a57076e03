/**
 * IPv4 clients of a dual-stack NLB whose listener forwards to an IPv6 target group: the node
 * translates the flow to IPv6 and the reply back to IPv4 (ELB guide "IP address type": the load
 * balancer talks to targets in the target group's family; AWS blog on NLB IPv6 target groups: no
 * client IP preservation across families; aws-data-plane.md §3.11).
 */
import assert from 'node:assert/strict';
import { compile, field, hopsOf, network } from './helpers.js';
import { trace } from '../../engine/index.js';
import { trace as walk } from '../../engine/walk.js';
import type { EndpointRef, NetworkModel, Protocol } from '../../engine/model.js';
import { dualShop, OPEN46, type ShopOptions } from './hyperplane-fixtures.js';

const NLB: EndpointRef = { kind: 'load-balancer', vpc: 'shop', name: 'nlb' };
const CLIENT: EndpointRef = { kind: 'host', name: 'client' };
const TESTER: EndpointRef = { kind: 'instance', vpc: 'shop', name: 'tester' };
const NODE_A6 = '2600:1f18:abcd:1:ffff:ffff:ffff:fffe';
const NODE_A4 = '10.0.0.254';
const V6_GROUP = { targetType: 'ip' as const, targets: ['2600:1f18:abcd:10::5', '2600:1f18:abcd:11::5'] };
const V4_ONLY_ACL = ['inbound 100 allow all from 0.0.0.0/0', 'outbound 100 allow all to 0.0.0.0/0'];

/** dualShop with an IPv6 target group on the listener unless the options replace it. */
const shop = (o: ShopOptions = {}) => dualShop({ ...o, listener: { ...V6_GROUP, ...o.listener } });

function run(model: NetworkModel, source: EndpointRef = CLIENT, destination: EndpointRef = NLB, protocol: Protocol = 'tcp', port = 80) {
  return trace(compile(model), { source, destination, protocol, port });
}

/** The walk analyze() runs per keystroke: no hops recorded. */
function verdictOnly(model: NetworkModel) {
  return walk(compile(model), { source: CLIENT, destination: NLB, protocol: 'tcp', port: 80 }, false);
}

describe('dual-stack NLB: an IPv4 client to an IPv6 target group is translated at the node', () => {
  it('the node translates IPv4 to IPv6: its hop shows the IPv4 stack before and the IPv6 stack after, to the target on the target port', () => {
    const r = run(shop());
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.srcIp, '198.51.100.7');
    const t = hopsOf(r, 'forward').find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headersBefore, 'IPv4', 'src')!.value, '198.51.100.7');
    assert.equal(field(t.headersBefore, 'IPv4', 'dst')!.value, NODE_A4);
    assert.equal(t.headersBefore.some(h => h.name === 'IPv6'), false);
    assert.equal(field(t.headers, 'Ethernet', 'type')!.value, '0x86DD (IPv6)');
    assert.equal(field(t.headers, 'IPv6', 'src')!.value, NODE_A6);
    assert.equal(field(t.headers, 'IPv6', 'dst')!.value, '2600:1f18:abcd:10::5');
    assert.equal(field(t.headers, 'TCP', 'dst port')!.value, '8080');
    assert.equal(t.headers.some(h => h.name === 'IPv4'), false);
    assert.match(t.detail, /198\.51\.100\.7:49152 → 10\.0\.0\.254:80 becomes \[2600:1f18:abcd:1:ffff:ffff:ffff:fffe\]:\d+ → \[2600:1f18:abcd:10::5\]:8080/);
    const deliver = hopsOf(r, 'forward').find(h => h.action === 'deliver')!;
    assert.equal(deliver.component, 'shop.api-1');
    assert.equal(field(deliver.headers, 'IPv6', 'dst')!.value, '2600:1f18:abcd:10::5');
  });
  it('the source port is remapped (the node owns the IPv6 connection)', () => {
    const t = hopsOf(run(shop()), 'forward').find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    const port = Number(field(t.headers, 'TCP', 'src port')!.value);
    assert.notEqual(port, 49152);
    assert.ok(port >= 1024 && port <= 65535);
  });
  it('client IP preservation does not cross address families: even with it on the target sees the node\'s IPv6 address', () => {
    const nodeOnly = ['inbound tcp 8080 from 2600:1f18:abcd:1::/64'];
    assert.equal(run(shop({ listener: { preserveClientIp: true }, apiSg: nodeOnly })).verdict, 'reachable');
    const r = run(shop({ listener: { preserveClientIp: true }, apiSg: ['inbound tcp 8080 from 0.0.0.0/0'] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'shop.api-sg');
    assert.ok(r.reason.includes(NODE_A6), r.reason);
  });
  it('the reply returns to the node as IPv6, is translated back to IPv4 there, and leaves by the internet gateway\'s 1:1 NAT from the address the client used', () => {
    const r = run(shop());
    const back = hopsOf(r, 'return');
    assert.equal(back[0].component, 'shop.api-1');
    assert.equal(field(back[0].headers, 'IPv6', 'dst')!.value, NODE_A6);
    const t = back.find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headersBefore, 'IPv6', 'src')!.value, '2600:1f18:abcd:10::5');
    assert.equal(field(t.headers, 'IPv4', 'src')!.value, NODE_A4);
    assert.equal(field(t.headers, 'IPv4', 'dst')!.value, '198.51.100.7');
    assert.equal(field(t.headers, 'TCP', 'src port')!.value, '80');
    assert.equal(field(t.headers, 'TCP', 'dst port')!.value, '49152');
    const igw = back.find(h => h.component === 'shop.igw')!;
    assert.equal(field(igw.headers, 'IPv4', 'src')!.value, r.flow!.dstIp);
    assert.equal(back.at(-1)!.component, 'client');
  });
  it('the target\'s reply goes back to the node whatever its route table says (a /64 route to a middlebox is ignored)', () => {
    const model = shop({ privateRoutes: ['2600:1f18:abcd:1::/64 -> tester'], apiSg: ['inbound tcp 8080 from ::/0', 'outbound all to ::/0'] });
    const r = run(model);
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(hopsOf(r, 'return').some(h => h.component === 'shop.tester'), false);
    // The route is live: a connection api-1 starts to the node's address goes to the middlebox.
    const own = run(model, { kind: 'ip', ip: '2600:1f18:abcd:10::5' }, { kind: 'ip', ip: NODE_A6 });
    assert.equal(own.code, 'ENI_SOURCE_DEST_CHECK_RESTRICTION');
    assert.equal(own.component, 'shop.tester');
  });
  it('a verdict-only walk (analyze) gives the same verdicts', () => {
    const ok = verdictOnly(shop());
    assert.equal(ok.verdict, 'reachable', ok.reason);
    assert.equal(ok.hops.length, 0);
    assert.equal(verdictOnly(shop({ apiSg: ['inbound tcp 8080 from 0.0.0.0/0'] })).code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(verdictOnly(shop({ pubAcl: [...V4_ONLY_ACL, 'outbound 110 allow all to ::/0'] })).direction, 'return');
  });
});

describe('dual-stack NLB, IPv4 client to IPv6 targets: network ACLs and security groups by family', () => {
  it('the node subnet\'s network ACL must allow the IPv6 leg outbound (a dual-stack requirement): IPv4 rules alone drop it', () => {
    const r = run(shop({ pubAcl: V4_ONLY_ACL }));
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'forward');
    assert.equal(r.component, 'shop.pub-acl');
    assert.match(r.reason, /outbound/);
    assert.equal(run(shop({ pubAcl: [...V4_ONLY_ACL, 'inbound 110 allow all from ::/0', 'outbound 110 allow all to ::/0'] })).verdict, 'reachable');
  });
  it('the target\'s IPv6 reply enters the node\'s subnet under its IPv6 inbound rules', () => {
    const r = run(shop({ pubAcl: [...V4_ONLY_ACL, 'outbound 110 allow all to ::/0'] }));
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'shop.pub-acl');
  });
  it('the target subnet\'s network ACL applies with its IPv6 rules, both ways', () => {
    const fwd = run(shop({ appAcl: V4_ONLY_ACL }));
    assert.equal(fwd.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(fwd.direction, 'forward');
    assert.equal(fwd.component, 'shop.app-acl');
    const ret = run(shop({ appAcl: ['inbound 100 allow tcp 8080 from ::/0'] }));
    assert.equal(ret.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(ret.direction, 'return');
    assert.equal(run(shop({ appAcl: ['inbound 100 allow tcp 8080 from ::/0', 'outbound 100 allow tcp 1024-65535 to ::/0'] })).verdict, 'reachable');
  });
  it('the load balancer\'s groups: inbound IPv4 rules for the IPv4 client, outbound IPv6 rules toward the IPv6 targets', () => {
    const noV6Out = run(shop({ nlbSg: ['inbound tcp 80 from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'] }));
    assert.equal(noV6Out.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(noV6Out.component, 'shop.nlb-sg');
    assert.match(noV6Out.reason, /outbound/);
    const noV4In = run(shop({ nlbSg: ['inbound tcp 80 from ::/0', 'outbound all to ::/0'] }));
    assert.equal(noV4In.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(noV4In.component, 'shop.nlb-sg');
    assert.match(noV4In.reason, /198\.51\.100\.7/);
    assert.equal(run(shop({ nlbSg: ['inbound tcp 80 from 0.0.0.0/0', 'outbound all to ::/0'] })).verdict, 'reachable');
  });
  it('targets may allow the load balancer\'s group: its nodes\' IPv6 addresses are members', () => {
    const r = run(shop({ nlbSg: ['inbound tcp 80 from 0.0.0.0/0', 'outbound all to ::/0'], apiSg: ['inbound tcp 8080 from nlb-sg'] }));
    assert.equal(r.verdict, 'reachable', r.reason);
  });
});

describe('dual-stack NLB, IPv4 client to IPv6 targets: what the target group requires', () => {
  it('IPv6 target groups take TCP listeners only', () => {
    const r = run(shop({ listener: { protocol: 'udp' } }), CLIENT, NLB, 'udp', 80);
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /TCP/);
  });
  it('IPv6 target groups are used with dualstack load balancers only', () => {
    const r = run(shop({ lb: { ipAddressType: 'ipv4' } }));
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /dualstack load balancers only/);
  });
  it('the node needs an IPv6 address: a node subnet without an IPv6 CIDR cannot send to IPv6 targets', () => {
    const model = shop();
    delete model.vpcs[0].subnets.find(s => s.name === 'pub-a')!.ipv6Cidr;
    const r = run(model);
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /no IPv6 address \(subnet pub-a has no IPv6 CIDR\)/);
  });
  it('an IPv6 target outside the VPC\'s IPv6 CIDRs: TARGET_ADDRESS_RESTRICTION', () => {
    const r = run(shop({ listener: { targets: ['2001:db8:9::5'] }, lb: { crossZone: true } }));
    assert.equal(r.code, 'TARGET_ADDRESS_RESTRICTION');
  });
  it('cross-zone off: a node sends only to IPv6 targets in its AZ (ELB_NOT_CROSSZONE); the node of the target\'s AZ, or cross-zone on, reaches it', () => {
    const onlyB = { targets: ['2600:1f18:abcd:11::5'] };
    assert.equal(run(shop({ listener: onlyB })).code, 'ELB_NOT_CROSSZONE');
    const zonal = run(shop({ listener: onlyB }), CLIENT, { ...NLB, zone: 'us-east-1b' } as EndpointRef);
    assert.equal(zonal.verdict, 'reachable', zonal.reason);
    assert.equal(hopsOf(zonal, 'forward').find(h => h.action === 'deliver')!.component, 'shop.api-2');
    const cross = run(shop({ listener: onlyB, lb: { crossZone: true } }));
    assert.equal(cross.verdict, 'reachable', cross.reason);
    const t = hopsOf(cross, 'forward').find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headers, 'IPv6', 'src')!.value, NODE_A6);
  });
});

describe('dual-stack NLB, IPv4 client to IPv6 targets: clients inside AWS', () => {
  it('an instance of the VPC reaches its AZ\'s node by IPv4; the node answers into the VPC by its subnet\'s route table', () => {
    const r = run(shop(), TESTER);
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, NODE_A4);
    const back = hopsOf(r, 'return');
    assert.ok(back.some(h => h.component === 'shop.public' && h.kind === 'route-table'));
    assert.equal(back.at(-1)!.component, 'shop.tester');
    assert.equal(field(back.at(-1)!.headers, 'IPv4', 'src')!.value, NODE_A4);
  });
  it('a bare IPv4 address of a node is received by whatever target the node picks', () => {
    assert.equal(run(shop(), TESTER, { kind: 'ip', ip: NODE_A4 }).verdict, 'reachable');
  });
  it('an IPv6 target that no interface holds: the IPv6 leg ends at the mapping service (ADDRESS_NOT_ASSIGNED)', () => {
    const r = run(shop({ listener: { targets: ['2600:1f18:abcd:10::77'] } }), TESTER);
    assert.equal(r.code, 'ADDRESS_NOT_ASSIGNED');
    assert.equal(r.direction, 'forward');
    assert.match(r.reason, /2600:1f18:abcd:10::77/);
  });
});

/** Consumer shop (IPv4 only) with an interface endpoint; provider data with a dual-stack NLB forwarding to an IPv6 target group. */
function saas(o: { enforce?: boolean; nlbSg?: string[] } = {}): NetworkModel {
  const model = network()
    .vpc('shop', v => {
      v.cidr('10.0.0.0/16').account('111111111111')
        .subnet('app-a', '10.0.1.0/24', s => s.instance('app', '10.0.1.10', { groups: ['open'] }), 'us-east-1a')
        .subnet('ep-a', '10.0.2.0/24', () => {}, 'us-east-1a')
        .sg('open', OPEN46)
        .sg('ep-sg', ['inbound tcp 443 from 10.0.0.0/16']);
      v.vpc.interfaceEndpoints = [{ name: 'orders-ep', service: 'orders', subnets: ['ep-a'], securityGroups: ['ep-sg'] }];
    })
    .vpc('data', v => {
      v.cidr('10.0.0.0/16').account('222222222222')
        .subnet('nlb-a', '10.0.0.0/24', () => {}, 'us-east-1a')
        .subnet('svc-a', '10.0.1.0/24', s => s.instance('api', '10.0.1.10', { groups: ['api-sg'] }), 'us-east-1a')
        .sg('api-sg', ['inbound tcp 443 from 2600:1f18:bbbb::/64']);
      if (o.nlbSg) v.sg('nlb-sg', o.nlbSg);
      v.vpc.ipv6Cidrs = ['2600:1f18:bbbb::/56'];
      v.vpc.subnets[0].ipv6Cidr = '2600:1f18:bbbb::/64';
      v.vpc.subnets[1].ipv6Cidr = '2600:1f18:bbbb:1::/64';
      v.vpc.subnets[1].instances[0].ipv6 = ['2600:1f18:bbbb:1::10'];
      v.vpc.loadBalancers = [{
        name: 'nlb', type: 'network', scheme: 'internal', subnets: ['nlb-a'], crossZone: false, ipAddressType: 'dualstack',
        securityGroups: o.nlbSg ? ['nlb-sg'] : [], ...(o.enforce !== undefined ? { enforceInboundOnPrivateLink: o.enforce } : {}),
        listeners: [{ protocol: 'tcp', port: 443, targets: ['2600:1f18:bbbb:1::10'], targetType: 'ip' }],
      }];
    })
    .build();
  model.endpointServices = [{ name: 'orders', vpc: 'data', loadBalancer: 'nlb', allowedAccounts: ['111111111111'] }];
  return model;
}

describe('PrivateLink: an IPv4 consumer to a provider NLB with an IPv6 target group', () => {
  const EP: EndpointRef = { kind: 'interface-endpoint', vpc: 'shop', name: 'orders-ep' };
  const APP: EndpointRef = { kind: 'instance', vpc: 'shop', name: 'app' };
  it('the provider\'s target sees the node\'s IPv6 address; the reply returns over PrivateLink to the consumer', () => {
    const r = run(saas(), APP, EP, 'tcp', 443);
    assert.equal(r.verdict, 'reachable', r.reason);
    const t = hopsOf(r, 'forward').find(h => h.component === 'data.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headersBefore, 'IPv4', 'src')!.value, '10.0.0.254');
    assert.equal(field(t.headers, 'IPv6', 'src')!.value, '2600:1f18:bbbb:0:ffff:ffff:ffff:fffe');
    assert.equal(field(t.headers, 'IPv6', 'dst')!.value, '2600:1f18:bbbb:1::10');
    const back = hopsOf(r, 'return');
    assert.ok(back.some(h => h.kind === 'endpoint-service'));
    assert.equal(back.at(-1)!.component, 'shop.app');
    assert.equal(field(back.at(-1)!.headers, 'IPv4', 'src')!.value, r.flow!.dstIp);
  });
  it('with the load balancer\'s groups enforced on PrivateLink traffic the consumer\'s IPv4 address is checked; with the switch off it is not', () => {
    const nlbSg = ['inbound tcp 443 from 192.168.0.0/16', 'outbound all to ::/0'];
    const r = run(saas({ nlbSg }), APP, EP, 'tcp', 443);
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'data.nlb-sg');
    assert.equal(run(saas({ nlbSg, enforce: false }), APP, EP, 'tcp', 443).verdict, 'reachable');
  });
});

describe('NAT64 to a dual-stack NLB whose listener has an IPv6 target group: translated twice', () => {
  it('IPv6 → IPv4 at the NAT gateway, IPv4 → IPv6 at the node, and the reply back through both', () => {
    const model = shop({ privateRoutes: ['64:ff9b::/96 -> nat'] });
    model.vpcs[0].natGateways = [{ name: 'nat', subnet: 'pub-a', publicIp: '3.3.3.3', private: false }];
    const net = compile(model);
    const node = net.vpcs.get('shop')!.services.loadBalancers.get('nlb')!.nodes.find(n => n.az === 'us-east-1a')!;
    const v4 = [24, 16, 8, 0].map(s => (node.publicIp! >>> s) & 255);
    const nat64 = `64:ff9b::${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
    const r = trace(net, { source: TESTER, destination: { kind: 'ip', ip: nat64 }, protocol: 'tcp', port: 80 });
    assert.equal(r.verdict, 'reachable', r.reason);
    const forward = hopsOf(r, 'forward');
    assert.ok(forward.some(h => h.component === 'shop.nat' && h.action === 'translate'), 'NAT64 at the NAT gateway');
    const atNode = forward.find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    assert.equal(field(atNode.headers, 'IPv6', 'dst')!.value, '2600:1f18:abcd:10::5');
    const back = hopsOf(r, 'return');
    assert.ok(back.some(h => h.component === 'shop.nat' && h.action === 'translate'), 'the reply is translated back to IPv6 at the NAT gateway');
    assert.equal(back[back.length - 1].component, 'shop.tester');
  });
});

describe('NAT64 to a load balancer\'s public IPv4 address with an IPv4 target group', () => {
  it('the flow holds when a target of the load balancer gets it (the address NAT64 embeds is the node\'s)', () => {
    const model = dualShop({ privateRoutes: ['64:ff9b::/96 -> nat'] });
    model.vpcs[0].natGateways = [{ name: 'nat', subnet: 'pub-a', publicIp: '3.3.3.3', private: false }];
    const net = compile(model);
    const node = net.vpcs.get('shop')!.services.loadBalancers.get('nlb')!.nodes.find(n => n.az === 'us-east-1a')!;
    const v4 = [24, 16, 8, 0].map(s => (node.publicIp! >>> s) & 255);
    const nat64 = `64:ff9b::${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
    const r = trace(net, { source: TESTER, destination: { kind: 'ip', ip: nat64 }, protocol: 'tcp', port: 80 });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'shop.api-1' && h.action === 'deliver'));
  });
});
