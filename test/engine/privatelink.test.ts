/** Interface endpoints and PrivateLink (aws-data-plane.md §3.11; VPCE_* codes). */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile } from './helpers.js';
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
