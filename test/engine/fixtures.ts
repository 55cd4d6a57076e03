/** Shared models for engine tests. */
import { network } from './helpers.js';
import type { NetworkModel } from '../../engine/index.js';

/** The contract example of vnet-language.md Part 1, built by hand. */
export function contractModel(): NetworkModel {
  return network()
    .vpc('shop', v => v
      .cidr('10.0.0.0/16').cidr('100.64.0.0/16').account('111111111111')
      .igw('igw')
      .subnet('public-a', '10.0.0.0/24', s => s.routeTable('public').acl('edge')
        .instance('web', '10.0.0.10', { publicIp: '54.0.0.10', groups: ['web-sg', 'ssh'], sourceDestCheck: false }))
      .subnet('app-a', '10.0.10.0/24', s => s.instance('api', '10.0.10.5', { groups: ['api-sg'] }))
      .routeTable('public', ['0.0.0.0/0 -> igw'])
      .routeTable('private', [], { main: true })
      .sg('web-sg', ['inbound tcp 443 from 0.0.0.0/0', 'inbound tcp 8000-8100 from 10.0.0.0/16', 'outbound all to 0.0.0.0/0'])
      .sg('api-sg', ['inbound tcp 8080 from web-sg'])
      .sg('ssh', ['inbound tcp 22 from 203.0.113.0/24'])
      .acl('edge', [
        'inbound 100 allow tcp 443 from 0.0.0.0/0',
        'inbound 110 allow tcp 1024-65535 from 0.0.0.0/0',
        'inbound 120 allow udp 1024-65535 from 0.0.0.0/0',
        'inbound 130 allow icmp from 0.0.0.0/0',
        'outbound 100 allow all to 0.0.0.0/0',
        'outbound 90 deny tcp 25 to 0.0.0.0/0',
      ]))
    .host('client', '198.51.100.7')
    .host('dns', '8.8.8.8')
    .expect('client -> web tcp 443 reachable')
    .expect('web -> dns udp 53 reachable')
    .expect('web -> dns icmp reachable')
    .expect('client -> api tcp 8080 unreachable')
    .expect('api -> 93.184.216.34 tcp 443 unreachable')
    .expect('internet -> web tcp 443 reachable')
    .expect('shop.web -> shop.api tcp 8080 reachable')
    .build();
}
