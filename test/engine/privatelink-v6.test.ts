/** Dual-stack interface endpoints and PrivateLink over IPv6 (PrivateLink guide, "IP address types"; §3.11). */
import assert from 'node:assert/strict';
import { compile, field, hopsOf, network } from './helpers.js';
import { trace } from '../../engine/index.js';
import type { EndpointRef, EndpointService, LoadBalancerListener, NetworkModel } from '../../engine/model.js';
import { OPEN46 } from './hyperplane-fixtures.js';

interface Options { service?: Partial<EndpointService>; epType?: 'ipv4' | 'dualstack'; lbType?: 'ipv4' | 'dualstack'; epSg?: string[]; nlbSg?: string[]; enforce?: boolean; listener?: Partial<LoadBalancerListener> }

/** Consumer shop (111111111111) with app and a dual-stack endpoint; provider data (222222222222) with a dual-stack NLB. */
function saas6(o: Options = {}): NetworkModel {
  const model = network()
    .vpc('shop', v => {
      v.cidr('10.0.0.0/16').account('111111111111')
        .subnet('app-a', '10.0.1.0/24', s => s.instance('app', '10.0.1.10', { groups: ['open'] }), 'us-east-1a')
        .subnet('ep-a', '10.0.2.0/24', () => {}, 'us-east-1a')
        .sg('open', OPEN46)
        .sg('ep-sg', o.epSg ?? ['inbound tcp 443 from 2600:1f18:aaaa::/56']);
      v.vpc.ipv6Cidrs = ['2600:1f18:aaaa::/56'];
      v.vpc.subnets[0].ipv6Cidr = '2600:1f18:aaaa:1::/64';
      v.vpc.subnets[1].ipv6Cidr = '2600:1f18:aaaa:2::/64';
      v.vpc.subnets[0].instances[0].ipv6 = ['2600:1f18:aaaa:1::10'];
      v.vpc.interfaceEndpoints = [{ name: 'orders-ep', service: 'orders', subnets: ['ep-a'], securityGroups: ['ep-sg'], ipAddressType: o.epType ?? 'dualstack' }];
    })
    .vpc('data', v => {
      v.cidr('10.0.0.0/16').account('222222222222')
        .subnet('nlb-a', '10.0.0.0/24', () => {}, 'us-east-1a')
        .subnet('svc-a', '10.0.1.0/24', s => s.instance('api', '10.0.1.10', { groups: ['api-sg'] }), 'us-east-1a')
        .sg('api-sg', ['inbound tcp 443 from 10.0.0.0/24', 'inbound tcp 443 from 2600:1f18:bbbb::/64']);
      if (o.nlbSg) v.sg('nlb-sg', o.nlbSg);
      v.vpc.ipv6Cidrs = ['2600:1f18:bbbb::/56'];
      v.vpc.subnets[0].ipv6Cidr = '2600:1f18:bbbb::/64';
      v.vpc.subnets[1].ipv6Cidr = '2600:1f18:bbbb:1::/64';
      v.vpc.subnets[1].instances[0].ipv6 = ['2600:1f18:bbbb:1::10'];
      v.vpc.loadBalancers = [{
        name: 'nlb', type: 'network', scheme: 'internal', subnets: ['nlb-a'], crossZone: false, securityGroups: o.nlbSg ? ['nlb-sg'] : [],
        ipAddressType: o.lbType ?? 'dualstack', ...(o.enforce !== undefined ? { enforceInboundOnPrivateLink: o.enforce } : {}),
        listeners: [{ protocol: 'tcp', port: 443, targets: ['api'], targetType: 'instance', ...o.listener }],
      }];
    })
    .build();
  model.endpointServices = [{ name: 'orders', vpc: 'data', loadBalancer: 'nlb', allowedAccounts: ['111111111111'], supportedIpAddressTypes: ['ipv4', 'ipv6'], ...o.service }];
  return model;
}

const APP6: EndpointRef = { kind: 'ip', ip: '2600:1f18:aaaa:1::10' };
const EP: EndpointRef = { kind: 'interface-endpoint', vpc: 'shop', name: 'orders-ep' };
const order6 = (model: NetworkModel) => trace(compile(model), { source: APP6, destination: EP, protocol: 'tcp', port: 443 });

describe('PrivateLink over IPv6: a consumer reaches a dual-stack interface endpoint\'s IPv6 address', () => {
  it('to the provider\'s IPv4 target through the NLB (target group family IPv4): the target sees the node\'s IPv4 address', () => {
    const r = order6(saas6());
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, '2600:1f18:aaaa:2:ffff:ffff:ffff:fffe');
    const fwd = hopsOf(r, 'forward');
    const pl = fwd.find(h => h.kind === 'endpoint-service')!;
    assert.equal(field(pl.headers, 'IPv6', 'src')!.value, '2600:1f18:bbbb:0:ffff:ffff:ffff:fffe'); // the node's IPv6 address
    const t = fwd.find(h => h.component === 'data.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headers, 'IPv4', 'src')!.value, '10.0.0.254');
    assert.equal(fwd.find(h => h.action === 'deliver')!.component, 'data.api');
    const back = hopsOf(r, 'return');
    assert.equal(back.at(-1)!.component, 'shop.app');
    const lastPl = back.filter(h => h.kind === 'endpoint-service').at(-1)!;
    assert.equal(field(lastPl.headers, 'IPv6', 'src')!.value, r.flow!.dstIp);
  });
  it('to an IPv6 target group the flow stays IPv6 and the provider sees the node\'s IPv6 address, never the consumer\'s', () => {
    const r = order6(saas6({ listener: { targetType: 'ip', targets: ['2600:1f18:bbbb:1::10'] } }));
    assert.equal(r.verdict, 'reachable', r.reason);
    const t = hopsOf(r, 'forward').find(h => h.component === 'data.nlb' && h.action === 'translate')!;
    assert.equal(field(t.headers, 'IPv6', 'src')!.value, '2600:1f18:bbbb:0:ffff:ffff:ffff:fffe');
    assert.equal(field(t.headers, 'IPv6', 'dst')!.value, '2600:1f18:bbbb:1::10');
  });
  it('the endpoint\'s security groups apply with their IPv6 rules', () => {
    const r = order6(saas6({ epSg: ['inbound tcp 443 from 10.0.0.0/16'] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'shop.ep-sg');
  });
  it('a service that does not support IPv6 (supported-ip-address-types ipv4): INVALID_CONFIGURATION at the service', () => {
    const r = order6(saas6({ service: { supportedIpAddressTypes: ['ipv4'] } }));
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.equal(r.component, 'endpoint-service.orders');
    assert.match(r.reason, /IPv4 only/);
  });
  it('an ipv4 endpoint has no IPv6 address', () => {
    const r = order6(saas6({ epType: 'ipv4' }));
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /IP address type is ipv4/);
  });
  it('a service whose load balancer is not dual-stack cannot carry IPv6', () => {
    const r = order6(saas6({ lbType: 'ipv4' }));
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.equal(r.component, 'data.nlb');
  });
  it('accounts the service does not allow: NO_POSSIBLE_DESTINATION, as for IPv4', () => {
    assert.equal(order6(saas6({ service: { allowedAccounts: ['333333333333'] } })).code, 'NO_POSSIBLE_DESTINATION');
  });
  it('the NLB\'s groups see the consumer client\'s IPv6 address; with privatelink-inbound-rules off they are skipped', () => {
    const OUT = ['outbound all to 0.0.0.0/0', 'outbound all to ::/0'];
    assert.equal(order6(saas6({ nlbSg: ['inbound tcp 443 from 2600:1f18:aaaa:1::/64', ...OUT] })).verdict, 'reachable');
    const r = order6(saas6({ nlbSg: ['inbound tcp 443 from 2600:1f18:aaaa:2::/64', ...OUT] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'data.nlb-sg');
    assert.equal(order6(saas6({ nlbSg: ['inbound tcp 443 from 2600:1f18:aaaa:2::/64', ...OUT], enforce: false })).verdict, 'reachable');
  });
  it('the endpoint takes no traffic from the internet at its IPv6 address', () => {
    const r = trace(compile(saas6()), { source: { kind: 'ip', ip: '2001:db8::7' }, destination: { kind: 'ip', ip: '2600:1f18:aaaa:2:ffff:ffff:ffff:fffe' }, protocol: 'tcp', port: 443 });
    assert.equal(r.code, 'NO_POSSIBLE_DESTINATION');
  });
});
