/** Interface endpoints and PrivateLink (aws-data-plane.md §3.11; VPCE_* codes). */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile, sgRule } from './helpers.js';
import { trace } from '../../engine/index.js';
import type { EndpointService, NetworkModel } from '../../engine/model.js';

interface Options { service?: Partial<EndpointService>; epSubnetAz?: string; epSg?: string[]; consumerAccount?: string; nlbSg?: string[] }

/** Consumer `shop` (account 111111111111) and provider `data` (222222222222) with the same CIDR. */
function saas(o: Options = {}): NetworkModel {
  const model = network()
    .vpc('shop', v => {
      v.cidr('10.0.0.0/16').account(o.consumerAccount ?? '111111111111')
        .subnet('app-a', '10.0.1.0/24', s => s.instance('app', '10.0.1.10', { groups: ['open'] }), 'us-east-1a')
        .subnet('ep-a', '10.0.2.0/24', () => {}, o.epSubnetAz ?? 'us-east-1a')
        .sg('open', ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'])
        .sg('ep-sg', o.epSg ?? ['inbound tcp 443 from 10.0.0.0/16']);
      v.vpc.interfaceEndpoints = [{ name: 'orders-ep', service: 'orders', subnets: ['ep-a'], securityGroups: ['ep-sg'] }];
    })
    .vpc('data', v => {
      v.cidr('10.0.0.0/16').account('222222222222')
        .subnet('nlb-a', '10.0.0.0/24', () => {}, 'us-east-1a')
        .subnet('svc-a', '10.0.1.0/24', s => s.instance('api', '10.0.1.10', { groups: ['api-sg'] }), 'us-east-1a')
        .sg('api-sg', ['inbound tcp 443 from 10.0.0.0/24']);
      if (o.nlbSg) v.sg('nlb-sg', o.nlbSg);
      v.vpc.loadBalancers = [{
        name: 'nlb', type: 'network', scheme: 'internal', subnets: ['nlb-a'], crossZone: false, securityGroups: o.nlbSg ? ['nlb-sg'] : [],
        listeners: [{ protocol: 'tcp', port: 443, targets: ['api'], targetType: 'instance' }],
      }];
    })
    .build();
  model.endpointServices = [{ name: 'orders', vpc: 'data', loadBalancer: 'nlb', allowedAccounts: ['111111111111'], ...o.service }];
  return model;
}

function order(model: NetworkModel) {
  return trace(compile(model), {
    source: { kind: 'instance', vpc: 'shop', name: 'app' }, destination: { kind: 'interface-endpoint', vpc: 'shop', name: 'orders-ep' }, protocol: 'tcp', port: 443,
  });
}

describe('PrivateLink: consumer to provider through the interface endpoint and the provider\'s NLB', () => {
  it('reaches the provider\'s target across accounts with overlapping CIDRs', () => {
    const r = order(saas());
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    assert.ok(fwd.some(h => h.kind === 'interface-endpoint' && h.component === 'shop.orders-ep'));
    const pl = fwd.find(h => h.kind === 'endpoint-service')!;
    assert.equal(pl.place, 'hyperplane');
    assert.equal(fwd.at(-1)!.component, 'data.api');
    assert.equal(hopsOf(r, 'return').at(-1)!.component, 'shop.app');
  });
  it('the provider sees the load balancer\'s private address as the source, never the consumer\'s', () => {
    const r = order(saas());
    const pl = hopsOf(r, 'forward').find(h => h.kind === 'endpoint-service')!;
    const src = field(pl.headers, 'IPv4', 'src')!;
    assert.equal(src.value, '10.0.0.254');
    assert.equal(src.changed, true);
    const lb = hopsOf(r, 'forward').find(h => h.component === 'data.nlb' && h.action === 'translate')!;
    assert.equal(field(lb.headers, 'IPv4', 'src')!.value, '10.0.0.254');
  });
  it('the consumer gets the reply from the endpoint\'s address', () => {
    const r = order(saas());
    const last = hopsOf(r, 'return').at(-1)!;
    assert.equal(field(last.headers, 'IPv4', 'src')!.value, r.flow!.dstIp);
  });
});

describe('PrivateLink: accounts, AZs, security groups', () => {
  it('an account the service does not allow: NO_POSSIBLE_DESTINATION', () => {
    const r = order(saas({ service: { allowedAccounts: ['333333333333'] } }));
    assert.equal(r.code, 'NO_POSSIBLE_DESTINATION');
    assert.equal(r.component, 'endpoint-service.orders');
  });
  it('the provider\'s own account needs no allowance', () => {
    assert.equal(order(saas({ service: { allowedAccounts: [] }, consumerAccount: '222222222222' })).verdict, 'reachable');
  });
  it('an endpoint in an AZ where the service has no load balancer node: VPCE_SERVICE_NOT_INSTALLED_IN_AZ', () => {
    const r = order(saas({ epSubnetAz: 'us-east-1b' }));
    assert.equal(r.code, 'VPCE_SERVICE_NOT_INSTALLED_IN_AZ');
  });
  it('the endpoint\'s security groups apply', () => {
    const r = order(saas({ epSg: ['inbound tcp 22 from 10.0.0.0/16'] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'shop.ep-sg');
  });
});

describe('PrivateLink: the load balancer\'s inbound rules apply to PrivateLink traffic (ENI_SG_RULES_MISMATCH), seen from the client\'s address', () => {
  const OUT = 'outbound all to 0.0.0.0/0';
  it('a group that does not allow the client drops the flow at the load balancer', () => {
    const r = order(saas({ nlbSg: ['inbound tcp 22 from 10.0.0.0/16', OUT] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'data.nlb-sg');
    assert.equal(r.direction, 'forward');
  });
  it('the rules see the consumer client\'s private address, not the endpoint interface\'s', () => {
    assert.equal(order(saas({ nlbSg: ['inbound tcp 443 from 10.0.1.0/24', OUT] })).verdict, 'reachable');
    const r = order(saas({ nlbSg: ['inbound tcp 443 from 10.0.2.0/24', OUT] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'data.nlb-sg');
  });
});

describe('PrivateLink is one-directional (VPCE_INTRA_VPC_TRAFFIC)', () => {
  it('the endpoint cannot start a connection', () => {
    const r = trace(compile(saas()), {
      source: { kind: 'interface-endpoint', vpc: 'shop', name: 'orders-ep' }, destination: { kind: 'instance', vpc: 'shop', name: 'app' }, protocol: 'tcp', port: 22,
    });
    assert.equal(r.code, 'VPCE_INTRA_VPC_TRAFFIC');
  });
});

describe('PrivateLink: "Enforce inbound rules on PrivateLink traffic" off (privatelink-inbound-rules off)', () => {
  const OUT = 'outbound all to 0.0.0.0/0';
  const denyAll = ['inbound tcp 22 from 192.0.2.0/24', OUT];
  const withSwitch = (on: boolean | undefined) => {
    const model = saas({ nlbSg: denyAll });
    if (on !== undefined) model.vpcs[1].loadBalancers![0].enforceInboundOnPrivateLink = on;
    return model;
  };
  it('on (the default): a group that does not allow the client drops PrivateLink traffic', () => {
    assert.equal(order(withSwitch(undefined)).code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(order(withSwitch(true)).code, 'ENI_SG_RULES_MISMATCH');
  });
  it('off: the load balancer\'s groups are not evaluated for PrivateLink traffic, and the hop says so', () => {
    const r = order(withSwitch(false));
    assert.equal(r.verdict, 'reachable', r.reason);
    const skipped = hopsOf(r, 'forward').find(h => h.component === 'data.nlb-sg')!;
    assert.equal(skipped.action, 'allow');
    assert.match(skipped.detail, /not evaluated/);
  });
  it('off: traffic that does not come through an endpoint is still filtered by the groups', () => {
    const model = withSwitch(false);
    model.vpcs[1].subnets.find(s => s.name === 'svc-a')!.instances.push({ name: 'local', privateIp: '10.0.1.20', securityGroups: [], sourceDestCheck: true });
    const r = trace(compile(model), { source: { kind: 'instance', vpc: 'data', name: 'local' }, destination: { kind: 'load-balancer', vpc: 'data', name: 'nlb' }, protocol: 'tcp', port: 443 });
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'data.nlb-sg');
  });
  it('off: the outbound rules toward the targets still apply', () => {
    const model = saas({ nlbSg: ['inbound tcp 22 from 192.0.2.0/24', 'outbound tcp 22 to 10.0.0.0/16'] });
    model.vpcs[1].loadBalancers![0].enforceInboundOnPrivateLink = false;
    const r = order(model);
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.match(r.reason, /outbound/);
  });
});

describe('PrivateLink: `in <zone>` names the endpoint interface of one AZ (EndpointRef zone)', () => {
  /** A second endpoint interface in ep-b (us-east-1b) and a provider node there. */
  function twoZones(): NetworkModel {
    const model = saas();
    const [shop, data] = model.vpcs;
    shop.subnets.push({ name: 'ep-b', cidr: '10.0.3.0/24', az: 'us-east-1b', instances: [] });
    shop.interfaceEndpoints![0].subnets.push('ep-b');
    data.subnets.push({ name: 'nlb-b', cidr: '10.0.2.0/24', az: 'us-east-1b', instances: [] });
    data.loadBalancers![0].subnets.push('nlb-b');
    data.loadBalancers![0].crossZone = true;
    data.securityGroups.find(g => g.name === 'api-sg')!.rules.push(sgRule('inbound tcp 443 from 10.0.2.0/24', 'data'));
    return model;
  }
  const to = (zone: string) => trace(compile(twoZones()), {
    source: { kind: 'instance', vpc: 'shop', name: 'app' }, destination: { kind: 'interface-endpoint', vpc: 'shop', name: 'orders-ep', zone }, protocol: 'tcp', port: 443,
  });
  it('the consumer reaches the interface in the named AZ; PrivateLink uses the provider node of that AZ', () => {
    const r = to('us-east-1b');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, '10.0.3.254');
    const pl = hopsOf(r, 'forward').find(h => h.kind === 'endpoint-service')!;
    assert.equal(field(pl.headers, 'IPv4', 'src')!.value, '10.0.2.254'); // the node in nlb-b
    assert.equal(to('us-east-1a').flow!.dstIp, '10.0.2.254');
  });
  it('a zone where the endpoint has no interface is an endpoint error', () => {
    const r = to('us-east-1c');
    assert.equal(r.code, 'NO_SOURCE_OR_DESTINATION');
    assert.equal(r.component, 'shop.orders-ep');
    assert.match(r.reason, /no interface in us-east-1c.*us-east-1a, us-east-1b/);
  });
});
