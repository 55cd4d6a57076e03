/** Gateway endpoints for S3 and DynamoDB and the service prefix lists (aws-data-plane.md §3.2, §3.10). */
import assert from 'node:assert/strict';
import { network, hopsOf, compile } from './helpers.js';
import { trace } from '../../engine/index.js';
import type { NetworkModel, Protocol, EndpointRef } from '../../engine/model.js';
import { prefixList, serviceOwning } from '../../engine/prefix-lists.js';
import { parseV4 } from '../../engine/ipv4.js';
import { Walker } from '../../engine/walk.js';
import { routeToGatewayEndpoint } from '../../engine/gateway-endpoint.js';
import type { Packet } from '../../engine/packet.js';

const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

/** A private subnet with no internet route; the endpoint adds `s3 -> s3ep` to its table. */
function bucketVpc(o: { routes?: string[]; region?: string; endpoint?: boolean; acl?: string[] } = {}): NetworkModel {
  return network().vpc('data', v => {
    v.cidr('10.1.0.0/16').igw('igw')
      .subnet('app', '10.1.1.0/24', s => { s.routeTable('private').instance('worker', '10.1.1.10', { groups: ['open'] }); if (o.acl) s.acl('app-acl'); })
      .routeTable('private', o.routes ?? [])
      .sg('open', OPEN);
    if (o.acl) v.acl('app-acl', o.acl);
    if (o.region) v.vpc.region = o.region;
    if (o.endpoint !== false) v.vpc.gatewayEndpoints = [{ name: 's3ep', service: 's3', routeTables: ['private'] }];
  }).build();
}

function toService(model: NetworkModel, service: 's3' | 'dynamodb', protocol: Protocol, port?: number) {
  const source: EndpointRef = { kind: 'instance', vpc: 'data', name: 'worker' };
  return trace(compile(model), { source, destination: { kind: 'aws-service', service }, protocol, port });
}

describe('service prefix lists hold realistic public ranges per region', () => {
  it('us-east-1 S3 and DynamoDB lists', () => {
    assert.deepEqual(prefixList('s3', 'us-east-1').prefixes.map(p => p.text), ['52.216.0.0/15', '54.231.0.0/16', '3.5.0.0/19', '16.182.0.0/16']);
    assert.deepEqual(prefixList('dynamodb', 'us-east-1').prefixes.map(p => p.text), ['3.218.180.0/22', '52.94.0.0/22', '52.119.224.0/20']);
    assert.equal(prefixList('s3', 'eu-west-1').name, 'com.amazonaws.eu-west-1.s3');
  });
  it('no two lists overlap, so an address names one service in one region', () => {
    const lists = (['s3', 'dynamodb'] as const).flatMap(s => ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'].map(r => prefixList(s, r)));
    for (const a of lists) for (const pa of a.prefixes) {
      assert.equal(serviceOwning(pa.network), a, `${pa.text} of ${a.name}`);
    }
  });
});

describe('gateway endpoint: the prefix-list route carries S3 traffic while the internet stays closed', () => {
  it('reaches S3 through the endpoint on a Blackfoot edge', () => {
    const r = toService(bucketVpc(), 's3', 'tcp', 443);
    assert.equal(r.verdict, 'reachable', r.reason);
    const ep = hopsOf(r, 'forward').find(h => h.kind === 'gateway-endpoint')!;
    assert.equal(ep.component, 'data.s3ep');
    assert.equal(ep.place, 'blackfoot');
    assert.equal(r.flow?.dstIp, '52.216.0.10');
    assert.ok(hopsOf(r, 'return').some(h => h.kind === 'gateway-endpoint'));
  });
  it('the internet has no route', () => {
    const r = trace(compile(bucketVpc()), { source: { kind: 'instance', vpc: 'data', name: 'worker' }, destination: { kind: 'internet' }, protocol: 'tcp', port: 443 });
    assert.equal(r.code, 'NO_ROUTE_TO_DESTINATION');
  });
  it('DynamoDB is not in the S3 prefix list: no route', () => {
    assert.equal(toService(bucketVpc(), 'dynamodb', 'tcp', 443).code, 'NO_ROUTE_TO_DESTINATION');
  });
  it('a route table that declares `s3 -> s3ep` itself works the same', () => {
    const model = bucketVpc({ endpoint: false });
    model.vpcs[0].gatewayEndpoints = [{ name: 's3ep', service: 's3', routeTables: [] }];
    model.vpcs[0].routeTables[0].routes.push({ destination: 's3', destinationIsPrefixList: true, target: 's3ep' });
    assert.equal(toService(model, 's3', 'tcp', 443).verdict, 'reachable');
  });
  it('uses the prefix list of the VPC\'s region', () => {
    const r = toService(bucketVpc({ region: 'eu-west-1' }), 's3', 'tcp', 443);
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow?.dstIp, '52.218.0.10');
  });
});

describe('gateway endpoint: TCP and ICMP echo only (VPCE_GATEWAY_PROTOCOL_RESTRICTION)', () => {
  it('accepts tcp and icmp echo', () => {
    assert.equal(toService(bucketVpc(), 's3', 'tcp', 443).verdict, 'reachable');
    assert.equal(toService(bucketVpc(), 's3', 'icmp').verdict, 'reachable');
  });
  it('drops udp and all traffic', () => {
    for (const protocol of ['udp', 'all'] as const) {
      const r = toService(bucketVpc(), 's3', protocol, protocol === 'udp' ? 53 : undefined);
      assert.equal(r.code, 'VPCE_GATEWAY_PROTOCOL_RESTRICTION', protocol);
      assert.equal(r.component, 'data.s3ep');
    }
  });
});

describe('gateway endpoint routes: longest prefix match against 0.0.0.0/0 and CIDR routes (§3.2)', () => {
  it('the prefix-list route is more specific than 0.0.0.0/0 -> igw', () => {
    const r = toService(bucketVpc({ routes: ['0.0.0.0/0 -> igw'] }), 's3', 'tcp', 443);
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'gateway-endpoint'));
  });
  it('a CIDR route of the same prefix beats the prefix-list route', () => {
    const r = toService(bucketVpc({ routes: ['52.216.0.0/15 -> igw'] }), 's3', 'tcp', 443);
    assert.ok(!hopsOf(r, 'forward').some(h => h.kind === 'gateway-endpoint'));
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'data.igw'));
  });
  it('a more specific CIDR route wins by longest prefix', () => {
    const r = toService(bucketVpc({ routes: ['52.216.0.0/24 -> igw'] }), 's3', 'tcp', 443);
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'data.igw'));
  });
  it('a shorter CIDR route loses to the prefix-list route', () => {
    const r = toService(bucketVpc({ routes: ['52.0.0.0/8 -> igw'] }), 's3', 'tcp', 443);
    assert.ok(hopsOf(r, 'forward').some(h => h.kind === 'gateway-endpoint'));
  });
});

describe('gateway endpoint: not usable from outside the VPC (no edge-to-edge)', () => {
  function send(via: Packet['via'], src: string) {
    const net = compile(bucketVpc());
    const vpc = net.vpcs.get('data')!;
    const subnet = vpc.subnetsByName.get('app')!;
    const ep = vpc.services.gatewayEndpoints.get('s3ep')!;
    const match = subnet.routeTable.routes.find(r => r.target.kind === 'gateway-endpoint')!;
    const w = new Walker(net, true);
    w.begin('forward');
    const p: Packet = { protocol: 'tcp', src: parseV4(src)!, dst: parseV4('52.216.0.10')!, srcPort: 40000, dstPort: 443, ttl: 64, reply: false, viaAppliance: false, via };
    routeToGatewayEndpoint(w, vpc.instances.get('worker')!, subnet, p, match, ep, 'source-host');
    return w.drop?.code;
  }
  for (const via of ['peering', 'vpn', 'direct-connect', 'transit-gateway'] as const) {
    it(`drops traffic that came over ${via}`, () => assert.equal(send(via, '10.9.0.5'), 'VPCE_GATEWAY_SOURCE_NOT_IN_VPC'));
  }
  for (const via of ['vpn', 'direct-connect'] as const) {
    it(`drops traffic that came over ${via} even when its source is inside the VPC's CIDR`, () => assert.equal(send(via, '10.1.1.10'), 'VPCE_GATEWAY_SOURCE_NOT_IN_VPC'));
  }
  it('takes traffic of its own VPC', () => assert.equal(send(undefined, '10.1.1.10'), undefined));
});

describe('gateway endpoint: replies come from the prefix list through the subnet network ACL', () => {
  it('an ACL that does not allow the S3 ranges inbound drops the reply', () => {
    const acl = ['outbound 100 allow tcp 443 to 0.0.0.0/0', 'inbound 100 allow tcp 1024-65535 from 10.0.0.0/8'];
    const r = toService(bucketVpc({ acl }), 's3', 'tcp', 443);
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'return');
  });
});

describe('without a gateway endpoint S3 is reached over the internet', () => {
  it('through a NAT gateway, the service at its public address', () => {
    const model = network().vpc('data', v => {
      v.cidr('10.1.0.0/16').igw('igw')
        .subnet('pub', '10.1.0.0/24', s => s.routeTable('public'))
        .subnet('app', '10.1.1.0/24', s => s.routeTable('private').instance('worker', '10.1.1.10', { groups: ['open'] }))
        .routeTable('public', ['0.0.0.0/0 -> igw']).routeTable('private', ['0.0.0.0/0 -> nat']).sg('open', OPEN);
      v.vpc.natGateways = [{ name: 'nat', subnet: 'pub', private: false, publicIp: '3.3.3.3' }];
    }).build();
    const r = toService(model, 's3', 'tcp', 443);
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.ok(hopsOf(r, 'forward').some(h => h.component === 'data.nat'));
    assert.ok(!hopsOf(r, 'forward').some(h => h.kind === 'gateway-endpoint'));
  });
});
