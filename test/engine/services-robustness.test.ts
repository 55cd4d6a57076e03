/** Issue-4 elements in broken models: a clear verdict, never a crash (the engine's catch-all must not fire). */
import assert from 'node:assert/strict';
import { network, compile } from './helpers.js';
import { analyze, trace } from '../../engine/index.js';
import type { NetworkModel } from '../../engine/model.js';

function base(): NetworkModel {
  return network().vpc('v', b => {
    b.cidr('10.0.0.0/16').igw('igw')
      .subnet('a', '10.0.0.0/24', s => s.routeTable('rt').instance('i', '10.0.0.10', { publicIp: '54.0.0.1' }))
      .routeTable('rt', ['0.0.0.0/0 -> nat', '::/0 -> eigw', 's3 -> ep'])
  }).host('h', '198.51.100.7').host('h6', '2001:db8::7').build();
}

const BROKEN: ((m: NetworkModel) => void)[] = [
  m => { m.vpcs[0].natGateways = [null as never, { name: 'nat', subnet: 'nope', private: false }]; },
  m => { m.vpcs[0].natGateways = [{ name: 'nat', subnet: 'a', private: false, publicIp: 'not-an-ip', privateIp: '10.9.9.9' }]; },
  m => { m.vpcs[0].natGateways = 'x' as never; m.vpcs[0].gatewayEndpoints = [{ name: 'ep', service: 'ftp' as never, routeTables: null as never }]; },
  m => { m.vpcs[0].loadBalancers = [{ name: 'lb', type: 'network', scheme: 'internet-facing', subnets: ['a', 'missing'], crossZone: true, securityGroups: ['ghost'], listeners: [null as never, { protocol: 'tcp', port: 80, targets: ['nobody', '999.1.1.1'], targetType: 'instance' }] }]; },
  m => { m.vpcs[0].loadBalancers = [{ name: 'lb', type: 'gateway', scheme: 'internal', subnets: null as never, crossZone: false, securityGroups: [], listeners: [] }]; m.endpointServices = [{ name: 's', vpc: 'v', loadBalancer: 'lb', allowedAccounts: null as never }]; },
  m => { m.vpcs[0].interfaceEndpoints = [{ name: 'ie', service: 'missing', subnets: ['a'], securityGroups: [] }]; m.vpcs[0].gatewayLoadBalancerEndpoints = [{ name: 'gw', service: 's', subnet: 'zzz' }]; },
  m => { m.blockPublicAccess = [{ region: 'us-east-1', mode: 'bidirectional', exclusions: [null as never, { vpc: 'v', mode: 'egress' }] }]; },
  m => { m.blockPublicAccess = 'nope' as never; },
  m => { m.vpcs[0].ipv6Cidrs = ['zz::/999', '2600::/56']; m.vpcs[0].subnets[0].ipv6Cidr = 'bad'; m.vpcs[0].subnets[0].instances[0].ipv6 = ['::g', null as never]; m.vpcs[0].egressOnlyInternetGateway = { name: 'eigw' }; },
  m => { m.vpcs[0].routeTables[0].routes.push({ destination: 'dynamodb', destinationIsPrefixList: true, target: 'ghost' }); },
];

describe('issue-4 elements in broken models never crash the engine', () => {
  BROKEN.forEach((breakIt, n) => {
    it(`broken model ${n + 1}: every flow gets a verdict with a reason`, () => {
      const m = base();
      breakIt(m);
      const net = compile(m);
      for (const [source, destination] of [
        [{ kind: 'instance', vpc: 'v', name: 'i' }, { kind: 'host', name: 'h' }],
        [{ kind: 'instance', vpc: 'v', name: 'i' }, { kind: 'aws-service', service: 's3' }],
        [{ kind: 'instance', vpc: 'v', name: 'i' }, { kind: 'load-balancer', vpc: 'v', name: 'lb' }],
        [{ kind: 'instance', vpc: 'v', name: 'i' }, { kind: 'interface-endpoint', vpc: 'v', name: 'ie' }],
        [{ kind: 'host', name: 'h' }, { kind: 'load-balancer', vpc: 'v', name: 'lb' }],
        [{ kind: 'instance', vpc: 'v', name: 'i' }, { kind: 'ip', ip: '2001:db8::1' }],
        [{ kind: 'host', name: 'h6' }, { kind: 'instance', vpc: 'v', name: 'i' }],
      ] as const) {
        for (const protocol of ['tcp', 'udp', 'icmp', 'all'] as const) {
          const r = trace(net, { source, destination, protocol, port: 443, size: 9000 });
          assert.ok(r.verdict === 'reachable' || r.verdict === 'unreachable');
          assert.notEqual(r.component, 'engine', r.reason);
          assert.ok(r.reason.length > 0);
        }
      }
      assert.doesNotThrow(() => analyze(m));
    });
  });
});
