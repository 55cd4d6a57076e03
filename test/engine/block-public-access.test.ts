/** VPC Block Public Access: modes and exclusions (aws-data-plane.md §3.15; VPC_BLOCK_PUBLIC_ACCESS_ENABLED). */
import assert from 'node:assert/strict';
import { network, traceOf } from './helpers.js';
import type { BlockPublicAccess, NetworkModel } from '../../engine/model.js';

const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

/** web: public instance in pub; app1: private instance behind the NAT gateway in pub. */
function shop(bpa?: BlockPublicAccess): NetworkModel {
  const model = network().vpc('shop', v => {
    v.cidr('10.0.0.0/16').igw('igw')
      .subnet('pub', '10.0.0.0/24', s => s.routeTable('public').instance('web', '10.0.0.10', { groups: ['open'], publicIp: '54.0.0.10' }))
      .subnet('app', '10.0.1.0/24', s => s.routeTable('private').instance('app1', '10.0.1.10', { groups: ['open'] }))
      .routeTable('public', ['0.0.0.0/0 -> igw'])
      .routeTable('private', ['0.0.0.0/0 -> nat'])
      .sg('open', OPEN);
    v.vpc.natGateways = [{ name: 'nat', subnet: 'pub', private: false, publicIp: '3.3.3.3' }];
  }).host('client', '198.51.100.7').build();
  if (bpa) model.blockPublicAccess = [bpa];
  return model;
}

const bidirectional = (exclusions: BlockPublicAccess['exclusions'] = []): BlockPublicAccess => ({ region: 'us-east-1', mode: 'bidirectional', exclusions });
const ingress = (exclusions: BlockPublicAccess['exclusions'] = []): BlockPublicAccess => ({ region: 'us-east-1', mode: 'ingress', exclusions });

describe('Block Public Access, bidirectional: no traffic to or from internet gateways', () => {
  it('blocks an instance reaching the internet and the internet reaching it', () => {
    const out = traceOf(shop(bidirectional()), 'web -> client tcp 443');
    assert.equal(out.code, 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED');
    assert.equal(out.direction, 'forward');
    assert.equal(out.component, 'block-public-access.us-east-1');
    assert.equal(traceOf(shop(bidirectional()), 'client -> web tcp 443').code, 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED');
  });
  it('blocks NAT gateway traffic too', () => {
    assert.equal(traceOf(shop(bidirectional()), 'app1 -> client tcp 443').code, 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED');
  });
  it('applies only in its region', () => {
    assert.equal(traceOf(shop({ ...bidirectional(), region: 'eu-west-1' }), 'web -> client tcp 443').verdict, 'reachable');
  });
  it('a bidirectional exclusion of the VPC lifts it both ways', () => {
    const m = shop(bidirectional([{ vpc: 'shop', mode: 'bidirectional' }]));
    assert.equal(traceOf(m, 'web -> client tcp 443').verdict, 'reachable');
    assert.equal(traceOf(m, 'client -> web tcp 443').verdict, 'reachable');
  });
  it('an egress exclusion lets connections out (and their replies in) but none in', () => {
    const m = shop(bidirectional([{ vpc: 'shop', subnet: 'pub', mode: 'egress' }]));
    assert.equal(traceOf(m, 'web -> client tcp 443').verdict, 'reachable');
    const inbound = traceOf(m, 'client -> web tcp 443');
    assert.equal(inbound.code, 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED');
    assert.equal(inbound.direction, 'forward');
  });
  it('the subnet that counts for NAT traffic is the NAT gateway\'s', () => {
    assert.equal(traceOf(shop(bidirectional([{ vpc: 'shop', subnet: 'app', mode: 'bidirectional' }])), 'app1 -> client tcp 443').code, 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED');
    assert.equal(traceOf(shop(bidirectional([{ vpc: 'shop', subnet: 'pub', mode: 'bidirectional' }])), 'app1 -> client tcp 443').verdict, 'reachable');
  });
});

describe('Block Public Access, ingress-only: nothing comes in except replies through NAT gateways', () => {
  it('lets NAT gateway connections out and their replies back', () => {
    assert.equal(traceOf(shop(ingress()), 'app1 -> client tcp 443').verdict, 'reachable');
  });
  it('blocks inbound connections', () => {
    const r = traceOf(shop(ingress()), 'client -> web tcp 443');
    assert.equal(r.code, 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED');
    assert.equal(r.direction, 'forward');
  });
  it('blocks the replies of a public instance\'s own connections (only NAT and egress-only gateways may bring replies in)', () => {
    const r = traceOf(shop(ingress()), 'web -> client tcp 443');
    assert.equal(r.code, 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED');
    assert.equal(r.direction, 'return');
  });
  it('an excluded subnet is not blocked', () => {
    assert.equal(traceOf(shop(ingress([{ vpc: 'shop', subnet: 'pub', mode: 'bidirectional' }])), 'client -> web tcp 443').verdict, 'reachable');
  });
});
