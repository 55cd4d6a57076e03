/**
 * Dual-stack fixtures for the Hyperplane tests (load balancers, interface endpoints, GWLB endpoints
 * over IPv6, declared node addresses). Built with helpers.ts, then given IPv6 CIDRs and addresses
 * the way the language lowers `ipv6-cidr` and `ipv6` clauses.
 */
import { network } from './helpers.js';
import type { LoadBalancer, LoadBalancerListener, NetworkModel } from '../../engine/model.js';

export const OPEN46 = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0', 'inbound all from ::/0', 'outbound all to ::/0'];

export interface ShopOptions {
  lb?: Partial<LoadBalancer>;
  listener?: Partial<LoadBalancerListener>;
  apiSg?: string[];
  nlbSg?: string[];
  /** Routes of the public subnets' table. */
  publicRoutes?: string[];
  /** Routes of the app subnets' table (default none: only the local routes). */
  privateRoutes?: string[];
  pubAcl?: string[];
  /** Rules of a network ACL on the app subnets (absent: the default ACL). */
  appAcl?: string[];
  /** Give the app subnets /64s (default true). */
  appV6?: boolean;
}

/**
 * Dual-stack VPC shop (10.0.0.0/16, 2600:1f18:abcd::/56) with an internet gateway. pub-a (1a, :1::/64)
 * and pub-b (1b, :2::/64) route 0.0.0.0/0 and ::/0 to it; app-a (1a, :10::/64) holds api-1 and tester,
 * app-b (1b, :11::/64) holds api-2. An internet-facing dual-stack NLB `nlb` in pub-a and pub-b listens
 * on tcp 80 and sends to api-1 and api-2 on 8080 (instance targets).
 */
export function dualShop(o: ShopOptions = {}): NetworkModel {
  return network().vpc('shop', v => {
    v.cidr('10.0.0.0/16').igw('igw')
      .subnet('pub-a', '10.0.0.0/24', s => { s.routeTable('public'); if (o.pubAcl) s.acl('pub-acl'); }, 'us-east-1a')
      .subnet('pub-b', '10.0.1.0/24', s => { s.routeTable('public'); if (o.pubAcl) s.acl('pub-acl'); }, 'us-east-1b')
      .subnet('app-a', '10.0.10.0/24', s => { s.routeTable('private')
        .instance('api-1', '10.0.10.5', { groups: ['api-sg'] }).instance('tester', '10.0.10.9', { groups: ['open'] }); if (o.appAcl) s.acl('app-acl'); }, 'us-east-1a')
      .subnet('app-b', '10.0.11.0/24', s => { s.routeTable('private').instance('api-2', '10.0.11.5', { groups: ['api-sg'] }); if (o.appAcl) s.acl('app-acl'); }, 'us-east-1b')
      .routeTable('public', o.publicRoutes ?? ['0.0.0.0/0 -> igw', '::/0 -> igw'])
      .routeTable('private', o.privateRoutes ?? [])
      .sg('open', OPEN46)
      .sg('api-sg', o.apiSg ?? ['inbound tcp 8080 from 0.0.0.0/0', 'inbound tcp 8080 from ::/0']);
    if (o.nlbSg) v.sg('nlb-sg', o.nlbSg);
    if (o.pubAcl) v.acl('pub-acl', o.pubAcl);
    if (o.appAcl) v.acl('app-acl', o.appAcl);
    v.vpc.ipv6Cidrs = ['2600:1f18:abcd::/56'];
    const sub = (name: string) => v.vpc.subnets.find(s => s.name === name)!;
    sub('pub-a').ipv6Cidr = '2600:1f18:abcd:1::/64';
    sub('pub-b').ipv6Cidr = '2600:1f18:abcd:2::/64';
    if (o.appV6 !== false) {
      sub('app-a').ipv6Cidr = '2600:1f18:abcd:10::/64';
      sub('app-b').ipv6Cidr = '2600:1f18:abcd:11::/64';
      sub('app-a').instances[0].ipv6 = ['2600:1f18:abcd:10::5'];
      sub('app-a').instances[1].ipv6 = ['2600:1f18:abcd:10::9'];
      sub('app-b').instances[0].ipv6 = ['2600:1f18:abcd:11::5'];
    }
    v.vpc.loadBalancers = [{
      name: 'nlb', type: 'network', scheme: 'internet-facing', subnets: ['pub-a', 'pub-b'], crossZone: false, ipAddressType: 'dualstack',
      securityGroups: o.nlbSg ? ['nlb-sg'] : [],
      listeners: [{ protocol: 'tcp', port: 80, targets: ['api-1', 'api-2'], targetType: 'instance', targetPort: 8080, ...o.listener }],
      ...o.lb,
    }];
  }).host('client', '198.51.100.7').build();
}
