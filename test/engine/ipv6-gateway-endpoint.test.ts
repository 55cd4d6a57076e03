/**
 * Dual-stack gateway endpoints (aws-data-plane.md §3.10): with ip-address-type dualstack the route to
 * the service's prefix list also carries its IPv6 prefixes (prefix-lists.ts, from AWS's ip-ranges.json),
 * with the IPv4 endpoint's rules: TCP and ICMP echo only, not from outside the VPC.
 */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile } from './helpers.js';
import { addPeering, addTgw } from './between-fixtures.js';
import { trace } from '../../engine/index.js';
import type { EndpointRef, IpAddressType, NetworkModel, Protocol } from '../../engine/model.js';
import { prefixList, serviceAddress6, serviceOwning6 } from '../../engine/prefix-lists.js';
import { formatPrefix } from '../../engine/ip.js';

interface Options { type?: IpAddressType; routes?: string[]; eigw?: boolean; declaredRoute?: boolean; acl?: string[] }

/** A dual-stack VPC whose private table gets the endpoint's route. */
function bucketVpc(o: Options = {}): NetworkModel {
  const model = network().vpc('data', v => {
    v.cidr('10.1.0.0/16')
      .subnet('app', '10.1.1.0/24', s => { s.routeTable('private').instance('worker', '10.1.1.10', { groups: ['open'] }).instance('v4only', '10.1.1.20', { groups: ['open'] }); if (o.acl) s.acl('app-acl'); })
      .routeTable('private', o.routes ?? [])
      .sg('open', ['outbound all to ::/0', 'outbound all to 0.0.0.0/0', 'inbound all from ::/0']);
    if (o.acl) v.acl('app-acl', o.acl);
  }).build();
  const vpc = model.vpcs[0];
  vpc.ipv6Cidrs = ['2600:1f18:1::/56'];
  vpc.subnets[0].ipv6Cidr = '2600:1f18:1:1::/64';
  vpc.subnets[0].instances[0].ipv6 = ['2600:1f18:1:1::10'];
  if (o.eigw) vpc.egressOnlyInternetGateway = { name: 'eigw' };
  vpc.gatewayEndpoints = [{ name: 's3ep', service: 's3', routeTables: o.declaredRoute ? [] : ['private'], ...(o.type ? { ipAddressType: o.type } : {}) }];
  if (o.declaredRoute) vpc.routeTables[0].routes.push({ destination: 's3', destinationIsPrefixList: true, target: 's3ep' });
  return model;
}

/** Another dual-stack VPC whose only route is `route`. */
function spoke(route: string) {
  const vpc = network().vpc('spoke', v => v.cidr('10.9.0.0/16').subnet('s', '10.9.0.0/24', s => s.routeTable('rt').instance('pc', '10.9.0.10', { groups: ['all'] }))
    .routeTable('rt', [route]).sg('all', ['outbound all to ::/0'])).build().vpcs[0];
  vpc.ipv6Cidrs = ['2600:1f18:9::/56'];
  vpc.subnets[0].ipv6Cidr = '2600:1f18:9::/64';
  vpc.subnets[0].instances[0].ipv6 = ['2600:1f18:9::10'];
  return vpc;
}

const worker: EndpointRef = { kind: 'instance', vpc: 'data', name: 'worker' };
function toS3(model: NetworkModel, protocol: Protocol = 'tcp', service: 's3' | 'dynamodb' = 's3') {
  return trace(compile(model), { source: worker, destination: { kind: 'aws-service', service }, protocol, port: protocol === 'tcp' || protocol === 'udp' ? 443 : undefined, family: 6 });
}

describe('service prefix lists have IPv6 prefixes (S3) from AWS\'s ip-ranges.json', () => {
  it('us-east-1 S3: three IPv6 ranges; the service\'s IPv6 address is the 10th of the first', () => {
    assert.deepEqual(prefixList('s3', 'us-east-1').prefixes6.map(formatPrefix), ['2600:1fa0:8000::/39', '2600:1ff8:8000::/39', '2600:1ff9:8000::/39']);
    assert.equal(serviceAddress6('s3', 'us-east-1'), prefixList('s3', 'us-east-1').prefixes6[0].network + 10n);
  });
  it('DynamoDB publishes no IPv6 prefixes', () => {
    assert.deepEqual(prefixList('dynamodb', 'us-east-1').prefixes6, []);
    assert.equal(serviceAddress6('dynamodb', 'us-east-1'), undefined);
  });
  it('no two IPv6 lists overlap: an address names one region\'s list', () => {
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1']) {
      const list = prefixList('s3', region);
      for (const p of list.prefixes6) assert.equal(serviceOwning6(p.network), list, `${formatPrefix(p)} of ${list.name}`);
    }
  });
});

describe('a dual-stack gateway endpoint carries IPv6 to S3', () => {
  it('the endpoint\'s route carries the IPv6 prefixes; the reply comes back through the endpoint', () => {
    const r = toS3(bucketVpc({ type: 'dualstack' }));
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, '2600:1fa0:8000::a');
    const ep = hopsOf(r, 'forward').find(h => h.kind === 'gateway-endpoint')!;
    assert.equal(ep.component, 'data.s3ep');
    assert.equal(ep.place, 'blackfoot');
    assert.equal(field(ep.headers, 'IPv6', 'src')!.value, '2600:1f18:1:1::10');
    assert.ok(hopsOf(r, 'return').some(h => h.component === 'data.s3ep'));
  });
  it('a declared `s3 -> s3ep` route carries the IPv6 prefixes too', () => {
    assert.equal(toS3(bucketVpc({ type: 'dualstack', declaredRoute: true })).verdict, 'reachable');
  });
  it('an ipv4 endpoint (the default) routes no IPv6: without another route there is none', () => {
    const r = toS3(bucketVpc());
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
  });
  it('an ipv4 endpoint leaves IPv6 to S3 to the egress-only gateway and the internet', () => {
    const r = toS3(bucketVpc({ eigw: true, routes: ['::/0 -> eigw'] }));
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(!hopsOf(r, 'forward').some(h => h.kind === 'gateway-endpoint'));
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'egress-only-internet-gateway'));
    assert.equal(hopsOf(r, 'forward').at(-1)!.component, 'com.amazonaws.us-east-1.s3');
  });
  it('longest prefix: the endpoint\'s /39 beats ::/0 to the egress-only gateway', () => {
    const r = toS3(bucketVpc({ type: 'dualstack', eigw: true, routes: ['::/0 -> eigw'] }));
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'gateway-endpoint'));
  });
  it('VPCE_GATEWAY_PROTOCOL_RESTRICTION: UDP is refused', () => {
    assert.equal(toS3(bucketVpc({ type: 'dualstack' }), 'udp').code, 'VPCE_GATEWAY_PROTOCOL_RESTRICTION');
  });
  it('ICMPv6 echo is accepted', () => {
    assert.equal(toS3(bucketVpc({ type: 'dualstack' }), 'icmp').verdict, 'reachable');
  });
  it('the interface\'s network ACL must let the IPv6 reply in', () => {
    const r = toS3(bucketVpc({ type: 'dualstack', acl: ['outbound 100 allow tcp 443 to ::/0', 'inbound 100 allow tcp 443 from ::/0'] }));
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'return');
  });
  it('DynamoDB as the destination of an IPv6 flow is an endpoint error (no IPv6 ranges)', () => {
    const r = toS3(bucketVpc({ type: 'dualstack' }), 'tcp', 'dynamodb');
    assert.equal(r.code, 'NO_SOURCE_OR_DESTINATION');
    assert.match(r.reason, /no IPv6 ranges/);
  });
  it('DynamoDB gateway endpoints support only IPv4 traffic: a dualstack DynamoDB endpoint installs no IPv6 route', () => {
    const model = bucketVpc({ type: 'dualstack' });
    model.vpcs[0].gatewayEndpoints![0].service = 'dynamodb';
    const r = trace(compile(model), { source: worker, destination: { kind: 'ip', ip: '2600:1fa0:8000::a' }, protocol: 'tcp', port: 443 });
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(r.component, 'data.private');
    assert.ok(!r.hops.some(h => h.kind === 'gateway-endpoint'));
  });
  it('a peer\'s IPv6 traffic cannot reach the endpoint: S3\'s prefixes are no address of the peered VPC (PCX_REQUIRES_ADDRESS_IN_VPC_CIDR)', () => {
    const model = bucketVpc({ type: 'dualstack' });
    model.vpcs.push(spoke('2600:1fa0:8000::/39 -> pcx'));
    addPeering(model, 'pcx', 'spoke', 'data');
    const r = trace(compile(model), { source: { kind: 'instance', vpc: 'spoke', name: 'pc' }, destination: { kind: 'aws-service', service: 's3' }, protocol: 'tcp', port: 443, family: 6 });
    assert.equal(r.code, 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR');
  });
  it('VPCE_GATEWAY_SOURCE_NOT_IN_VPC: IPv6 that came through a transit gateway cannot use the endpoint (no edge-to-edge)', () => {
    const model = bucketVpc({ type: 'dualstack' });
    model.vpcs.push(spoke('2600:1fa0:8000::/39 -> hub'));
    // The attachment subnet of `data` uses the `private` table, which holds the endpoint's routes.
    model.vpcs[0].subnets.push({ name: 'tgw-a', cidr: '10.1.2.0/28', ipv6Cidr: '2600:1f18:1:2::/64', az: 'us-east-1a', routeTable: 'private', instances: [] });
    addTgw(model, {
      name: 'hub',
      attachments: [
        { name: 'data-att', kind: 'vpc', vpc: 'data', subnets: ['tgw-a'], applianceMode: false, ipv6Support: true },
        { name: 'spoke-att', kind: 'vpc', vpc: 'spoke', subnets: ['s'], applianceMode: false, ipv6Support: true },
      ],
      routeTables: [{ name: 'rt', associations: ['data-att', 'spoke-att'], propagations: [], routes: [{ destination: '2600:1fa0:8000::/39', attachment: 'data-att', blackhole: false }] }],
    });
    const r = trace(compile(model), { source: { kind: 'instance', vpc: 'spoke', name: 'pc' }, destination: { kind: 'aws-service', service: 's3' }, protocol: 'tcp', port: 443, family: 6 });
    assert.equal(r.code, 'VPCE_GATEWAY_SOURCE_NOT_IN_VPC');
    assert.equal(r.component, 'data.s3ep');
  });
  it('an instance without IPv6 asking for S3 over IPv6 is an endpoint error', () => {
    const r = trace(compile(bucketVpc({ type: 'dualstack' })), { source: { kind: 'instance', vpc: 'data', name: 'v4only' }, destination: { kind: 'aws-service', service: 's3' }, protocol: 'tcp', port: 443, family: 6 });
    assert.equal(r.code, 'INVALID_CONFIGURATION');
  });
  it('IPv4 to S3 through the dual-stack endpoint is unchanged', () => {
    const r = trace(compile(bucketVpc({ type: 'dualstack' })), { source: worker, destination: { kind: 'aws-service', service: 's3' }, protocol: 'tcp', port: 443 });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, '52.216.0.10');
  });
});

describe('an unknown protocol is refused before any walk (INVALID_CONFIGURATION), never a crash', () => {
  // The gateway endpoint's protocol check once called toUpperCase() on the protocol: a number threw.
  for (const protocol of [42, 'sctp', null] as unknown as Protocol[]) {
    it(`IPv6 flow through a dual-stack gateway endpoint, protocol ${String(protocol)}`, () => {
      const r = toS3(bucketVpc({ type: 'dualstack' }), protocol);
      assert.equal(r.verdict, 'unreachable');
      assert.equal(r.code, 'INVALID_CONFIGURATION');
      assert.equal(r.component, 'protocol');
      assert.match(r.reason, /is not one vnet models: use tcp, udp, icmp or all/);
      assert.equal(r.hops.length, 0);
    });
  }
  it('IPv4 flow (to S3 through the same endpoint) with an unknown protocol', () => {
    const r = trace(compile(bucketVpc({ type: 'dualstack' })), { source: worker, destination: { kind: 'aws-service', service: 's3' }, protocol: 7 as unknown as Protocol, port: 443 });
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.equal(r.component, 'protocol');
    assert.match(r.reason, /protocol 7 is not one vnet models/);
  });
  it('the four protocols still walk', () => {
    for (const protocol of ['tcp', 'udp', 'icmp', 'all'] as Protocol[]) assert.notEqual(toS3(bucketVpc({ type: 'dualstack' }), protocol).component, 'protocol');
  });
});
