/** Network load balancers (aws-data-plane.md §3.11; RA ELBV2_*, ELB_NOT_CROSSZONE, TARGET_ADDRESS_RESTRICTION). */
import assert from 'node:assert/strict';
import { aclRule, network, hopsOf, field, compile } from './helpers.js';
import { trace } from '../../engine/index.js';
import type { EndpointRef, LoadBalancer, LoadBalancerListener, NetworkModel, Protocol } from '../../engine/model.js';
import { formatV4 } from '../../engine/ipv4.js';

const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

interface Options {
  lb?: Partial<LoadBalancer>;
  listener?: Partial<LoadBalancerListener>;
  apiSg?: string[];
  nlbSg?: string[];
}

/** Internet-facing NLB in pub-a (us-east-1a) and pub-b (us-east-1b); api-1 in 1a, api-2 in 1b, private subnets without routes. */
function shop(o: Options = {}): NetworkModel {
  return network().vpc('shop', v => {
    v.cidr('10.0.0.0/16').igw('igw')
      .subnet('pub-a', '10.0.0.0/24', s => s.routeTable('public'), 'us-east-1a')
      .subnet('pub-b', '10.0.1.0/24', s => s.routeTable('public'), 'us-east-1b')
      .subnet('app-a', '10.0.10.0/24', s => s.routeTable('private').instance('api-1', '10.0.10.5', { groups: ['api-sg'] }).instance('tester', '10.0.10.9', { groups: ['open'] }), 'us-east-1a')
      .subnet('app-b', '10.0.11.0/24', s => s.routeTable('private').instance('api-2', '10.0.11.5', { groups: ['api-sg'] }), 'us-east-1b')
      .routeTable('public', ['0.0.0.0/0 -> igw'])
      .routeTable('private', [])
      .sg('open', OPEN)
      .sg('api-sg', o.apiSg ?? ['inbound tcp 8080 from 0.0.0.0/0', 'inbound udp 8080 from 0.0.0.0/0']);
    if (o.nlbSg) v.sg('nlb-sg', o.nlbSg);
    v.vpc.loadBalancers = [{
      name: 'nlb', type: 'network', scheme: 'internet-facing', subnets: ['pub-a', 'pub-b'], crossZone: false,
      securityGroups: o.nlbSg ? ['nlb-sg'] : [],
      listeners: [{ protocol: 'tcp', port: 80, targets: ['api-1', 'api-2'], targetType: 'instance', targetPort: 8080, ...o.listener }],
      ...o.lb,
    }];
  }).host('client', '198.51.100.7').build();
}

const NLB: EndpointRef = { kind: 'load-balancer', vpc: 'shop', name: 'nlb' };

function fromClient(model: NetworkModel, protocol: Protocol = 'tcp', port = 80) {
  return trace(compile(model), { source: { kind: 'host', name: 'client' }, destination: NLB, protocol, port });
}

function fromTester(model: NetworkModel, protocol: Protocol = 'tcp', port = 80) {
  return trace(compile(model), { source: { kind: 'instance', vpc: 'shop', name: 'tester' }, destination: NLB, protocol, port });
}

describe('network load balancer: listener, target, translation', () => {
  it('an internet-facing NLB forwards to a target on its target port; the reply returns through it without a route', () => {
    const r = fromClient(shop());
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    const t = fwd.find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    assert.equal(t.place, 'hyperplane');
    assert.equal(field(t.headers, 'IPv4', 'dst')!.value, '10.0.10.5');
    assert.equal(field(t.headers, 'TCP', 'dst port')!.value, '8080');
    assert.equal(fwd.at(-1)!.component, 'shop.api-1');
    const back = hopsOf(r, 'return');
    assert.ok(back.some(h => h.component === 'shop.nlb' && h.action === 'translate'));
    assert.equal(back.at(-1)!.component, 'client');
  });
  it('the client sees the public address of the node it sent to, and its own port, in the reply', () => {
    const r = fromClient(shop());
    const last = hopsOf(r, 'return').at(-1)!;
    assert.equal(field(last.headers, 'IPv4', 'src')!.value, r.flow!.dstIp);
    assert.equal(field(last.headers, 'TCP', 'src port')!.value, '80');
    assert.equal(field(last.headers, 'TCP', 'dst port')!.value, '49152');
  });
  it('an internal client in the VPC uses the node in its AZ', () => {
    const r = fromTester(shop());
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, '10.0.0.254');
  });
});

describe('network load balancer: listeners (ELBV2_LISTENERS_MISMATCH, ELBV2_LISTENER_PORT_RESTRICTION)', () => {
  it('another port of a listened protocol: ELBV2_LISTENER_PORT_RESTRICTION', () => {
    const r = fromClient(shop(), 'tcp', 443);
    assert.equal(r.code, 'ELBV2_LISTENER_PORT_RESTRICTION');
    assert.equal(r.component, 'shop.nlb');
  });
  it('a protocol no listener takes: ELBV2_LISTENERS_MISMATCH', () => {
    assert.equal(fromClient(shop(), 'udp', 80).code, 'ELBV2_LISTENERS_MISMATCH');
    assert.equal(fromClient(shop(), 'icmp').code, 'ELBV2_LISTENERS_MISMATCH');
  });
});

describe('network load balancer: cross-zone and AZs (ELB_NOT_CROSSZONE, ELBV2_NO_TARGETS_IN_AZ)', () => {
  it('cross-zone off: the node in us-east-1a has no target in its AZ', () => {
    const r = fromClient(shop({ listener: { targets: ['api-2'] } }));
    assert.equal(r.code, 'ELB_NOT_CROSSZONE');
  });
  it('cross-zone on: the node sends to the target in the other AZ', () => {
    const r = fromClient(shop({ listener: { targets: ['api-2'] }, lb: { crossZone: true } }));
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(hopsOf(r, 'forward').at(-1)!.component, 'shop.api-2');
  });
  it('targets in an AZ the load balancer has not enabled receive nothing', () => {
    const r = fromClient(shop({ listener: { targets: ['api-2'] }, lb: { subnets: ['pub-a'], crossZone: true } }));
    assert.equal(r.code, 'ELBV2_NO_TARGETS_IN_AZ');
  });
});

describe('network load balancer: targets by IP (TARGET_ADDRESS_RESTRICTION)', () => {
  it('an IP target in the VPC works', () => {
    assert.equal(fromClient(shop({ listener: { targetType: 'ip', targets: ['10.0.10.5'] } })).verdict, 'reachable');
  });
  it('a public IP target is refused', () => {
    const r = fromClient(shop({ listener: { targetType: 'ip', targets: ['8.8.8.8'] }, lb: { crossZone: true } }));
    assert.equal(r.code, 'TARGET_ADDRESS_RESTRICTION');
  });
});

describe('network load balancer: client IP preservation (ELBV2_SOURCE_ADDRESS_PRESERVATION)', () => {
  const vpcOnly = ['inbound tcp 8080 from 10.0.0.0/16'];
  it('defaults: on for instance targets, off for IP targets with TCP, on for UDP', () => {
    const lbs = (l: Partial<LoadBalancerListener>) => compile(shop({ listener: l })).vpcs.get('shop')!.services.loadBalancers.get('nlb')!.listeners[0].preserveClientIp;
    assert.equal(lbs({}), true);
    assert.equal(lbs({ targetType: 'ip', targets: ['10.0.10.5'] }), false);
    assert.equal(lbs({ targetType: 'ip', targets: ['10.0.10.5'], protocol: 'udp' }), true);
  });
  it('instance targets see the client address: a group allowing only the VPC drops it', () => {
    const r = fromClient(shop({ apiSg: vpcOnly }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.match(r.reason, /198\.51\.100\.7/);
  });
  it('with preservation off the target sees the node address', () => {
    const r = fromClient(shop({ apiSg: vpcOnly, listener: { preserveClientIp: false } }));
    assert.equal(r.verdict, 'reachable', r.reason);
    const delivered = hopsOf(r, 'forward').at(-1)!;
    assert.equal(delivered.component, 'shop.api-1');
    const t = hopsOf(r, 'forward').find(h => h.component === 'shop.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headers, 'IPv4', 'src')!.value, '10.0.0.254');
  });
});

describe('network load balancer: security groups', () => {
  it('the load balancer\'s groups filter clients', () => {
    const r = fromClient(shop({ nlbSg: ['inbound tcp 80 from 203.0.113.0/24', 'outbound all to 10.0.0.0/16'] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'shop.nlb-sg');
  });
  it('targets may reference the load balancer\'s group', () => {
    const r = fromClient(shop({
      nlbSg: ['inbound tcp 80 from 0.0.0.0/0', 'outbound all to 10.0.0.0/16'],
      apiSg: ['inbound tcp 8080 from nlb-sg'], listener: { preserveClientIp: false },
    }));
    assert.equal(r.verdict, 'reachable', r.reason);
  });
});

describe('network load balancer: scheme', () => {
  it('an internal load balancer has no public address', () => {
    const r = fromClient(shop({ lb: { scheme: 'internal' } }));
    assert.equal(r.code, 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
    assert.equal(fromTester(shop({ lb: { scheme: 'internal' } })).verdict, 'reachable');
  });
  it('Block Public Access blocks an internet-facing load balancer', () => {
    const model = shop();
    model.blockPublicAccess = [{ region: 'us-east-1', mode: 'ingress', exclusions: [] }];
    assert.equal(fromClient(model).code, 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED');
  });
});

describe('load balancers and interface endpoints as trace endpoints (vnet trace --to)', () => {
  it('resolves vpc.name and a bare name to a load balancer', async () => {
    const { resolveEndpoint } = await import('../../engine/index.js');
    const net = compile(shop());
    assert.deepEqual(resolveEndpoint(net, 'shop.nlb'), { kind: 'load-balancer', vpc: 'shop', name: 'nlb' });
    assert.deepEqual(resolveEndpoint(net, 'nlb'), { kind: 'load-balancer', vpc: 'shop', name: 'nlb' });
    assert.ok('error' in resolveEndpoint(net, 'shop.nothing'));
  });
});

describe('network load balancer: targets only on their registered port (TARGET_PORT_RESTRICTION)', () => {
  it('a target port outside 1-65535 receives nothing', () => {
    assert.equal(fromClient(shop({ listener: { targetPort: 70000 } })).code, 'TARGET_PORT_RESTRICTION');
    assert.equal(fromClient(shop({ listener: { targetPort: 8080 } })).verdict, 'reachable');
  });
});

describe('network load balancer: `in <zone>` names the node of one AZ (EndpointRef zone)', () => {
  const inZone = (zone: string): EndpointRef => ({ kind: 'load-balancer', vpc: 'shop', name: 'nlb', zone });
  it('from the internet: the public address of the node in that AZ, which sends to its own AZ\'s target', () => {
    const net = compile(shop());
    const nodeB = net.vpcs.get('shop')!.services.loadBalancers.get('nlb')!.nodes.find(n => n.az === 'us-east-1b')!;
    const r = trace(net, { source: { kind: 'host', name: 'client' }, destination: inZone('us-east-1b'), protocol: 'tcp', port: 80 });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, formatV4(nodeB.publicIp!));
    assert.equal(hopsOf(r, 'forward').at(-1)!.component, 'shop.api-2');
  });
  it('from inside the VPC: the private address of that AZ\'s node, not the sender\'s AZ\'s', () => {
    const r = trace(compile(shop()), { source: { kind: 'instance', vpc: 'shop', name: 'tester' }, destination: inZone('us-east-1b'), protocol: 'tcp', port: 80 });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, '10.0.1.254');
    assert.equal(hopsOf(r, 'forward').at(-1)!.component, 'shop.api-2');
  });
  it('the zone decides cross-zone: the node in us-east-1b has no target there when only api-1 is registered', () => {
    const r = fromClient(shop({ listener: { targets: ['api-1'] } }));
    assert.equal(r.verdict, 'reachable', r.reason);
    const b = trace(compile(shop({ listener: { targets: ['api-1'] } })), { source: { kind: 'host', name: 'client' }, destination: inZone('us-east-1b'), protocol: 'tcp', port: 80 });
    assert.equal(b.code, 'ELB_NOT_CROSSZONE');
  });
  it('a zone where the load balancer has no node is an endpoint error naming its zones', () => {
    for (const source of [{ kind: 'host', name: 'client' } as const, { kind: 'instance', vpc: 'shop', name: 'tester' } as const]) {
      const r = trace(compile(shop()), { source, destination: inZone('us-east-1c'), protocol: 'tcp', port: 80 });
      assert.equal(r.verdict, 'unreachable');
      assert.equal(r.code, 'NO_SOURCE_OR_DESTINATION');
      assert.equal(r.component, 'shop.nlb');
      assert.match(r.reason, /no node in us-east-1c.*us-east-1a, us-east-1b/);
      assert.deepEqual(r.hops.map(h => h.action), ['drop']); // no packet exists: only the drop that names the load balancer
    }
  });
});

describe('network load balancer: an internet-facing node answers from a public subnet', () => {
  it('the node subnet\'s network ACL applies outbound to the reply (ACLs are stateless): without an outbound rule it is SUBNET_ACL_RESTRICTION', () => {
    const model = shop();
    const vpc = model.vpcs[0];
    // Outbound to the VPC only: the node reaches its targets, not the internet client.
    vpc.networkAcls.push({ name: 'pub-acl', rules: [aclRule('inbound 100 allow all from 0.0.0.0/0'), aclRule('outbound 100 allow all to 10.0.0.0/16')] });
    for (const s of vpc.subnets.filter(x => x.name.startsWith('pub-'))) s.networkAcl = 'pub-acl';
    const r = fromClient(model);
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'shop.pub-acl');
    vpc.networkAcls[0].rules.push(aclRule('outbound 110 allow tcp 1024-65535 to 0.0.0.0/0'));
    assert.equal(fromClient(model).verdict, 'reachable');
  });
  it('the node subnet\'s route table must send the client\'s address to the internet gateway: without it the reply is NO_ROUTE_TO_DESTINATION', () => {
    const model = shop();
    model.vpcs[0].routeTables.find(t => t.name === 'public')!.routes = [];
    const r = fromClient(model);
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'shop.public');
    const ok = fromClient(shop());
    assert.ok(hopsOf(ok, 'return').some(h => h.component === 'shop.public' && h.kind === 'route-table'));
  });
});
