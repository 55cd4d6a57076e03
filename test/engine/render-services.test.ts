/** The hover and `vnet trace` show the NAT translation, the PrivateLink hop and GENEVE with its options and MTU. */
import assert from 'node:assert/strict';
import { network, compile } from './helpers.js';
import { renderTraceMarkdown, renderTraceText, trace } from '../../engine/index.js';
import type { NetworkModel } from '../../engine/model.js';

const OPEN = ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'];

function nat(): NetworkModel {
  return network().vpc('shop', v => {
    v.cidr('10.0.0.0/16').igw('igw')
      .subnet('pub', '10.0.0.0/24', s => s.routeTable('public'))
      .subnet('app', '10.0.1.0/24', s => s.routeTable('private').instance('app1', '10.0.1.10', { groups: ['open'] }))
      .routeTable('public', ['0.0.0.0/0 -> igw']).routeTable('private', ['0.0.0.0/0 -> nat']).sg('open', OPEN);
    v.vpc.natGateways = [{ name: 'nat', subnet: 'pub', private: false, publicIp: '3.3.3.3' }];
  }).host('dns', '8.8.8.8').build();
}

function gwlb(): NetworkModel {
  const m = network()
    .vpc('app', v => {
      v.cidr('10.0.0.0/16').igw('igw')
        .subnet('web-a', '10.0.1.0/24', s => s.routeTable('web-rt').instance('web', '10.0.1.10', { groups: ['open'], publicIp: '54.0.0.10' }))
        .subnet('fw-a', '10.0.2.0/24', s => s.routeTable('fw-rt'))
        .routeTable('web-rt', ['0.0.0.0/0 -> fw-ep']).routeTable('fw-rt', ['0.0.0.0/0 -> igw']).sg('open', OPEN);
      v.vpc.gatewayLoadBalancerEndpoints = [{ name: 'fw-ep', service: 'inspection', subnet: 'fw-a' }];
    })
    .vpc('sec', v => {
      v.cidr('10.9.0.0/16').subnet('appl-a', '10.9.1.0/24', s => s.instance('fw1', '10.9.1.10', { groups: ['open'] })).sg('open', OPEN);
      v.vpc.loadBalancers = [{ name: 'gwlb', type: 'gateway', scheme: 'internal', subnets: ['appl-a'], crossZone: false, securityGroups: [], listeners: [{ protocol: 'all', targets: ['fw1'], targetType: 'instance' }] }];
    })
    .host('client', '198.51.100.7').build();
  m.endpointServices = [{ name: 'inspection', vpc: 'sec', loadBalancer: 'gwlb', allowedAccounts: [] }];
  return m;
}

describe('rendering issue-4 hops', () => {
  it('the NAT translation: the rewritten source and port are marked in the hover and in vnet trace', () => {
    const r = trace(compile(nat()), { source: { kind: 'instance', vpc: 'shop', name: 'app1' }, destination: { kind: 'host', name: 'dns' }, protocol: 'udp', port: 53 });
    const md = renderTraceMarkdown(r);
    assert.match(md, /`shop\.nat`\*\* translate/);
    assert.match(md, /\*\*src `10\.0\.0\.254` \(changed\)\*\*/);
    assert.match(md, /Source NAT: 10\.0\.1\.10:49152 → 10\.0\.0\.254:\d+/);
    assert.match(md, /\*\*src `3\.3\.3\.3` \(changed\)\*\*/);
    const text = renderTraceText(r);
    assert.match(text, /src=10\.0\.0\.254 \(changed\)/);
  });
  it('GENEVE: every option, 68 bytes over three headers, the 8500-byte leg', () => {
    const r = trace(compile(gwlb()), { source: { kind: 'instance', vpc: 'app', name: 'web' }, destination: { kind: 'host', name: 'client' }, protocol: 'tcp', port: 443 });
    const text = renderTraceText(r);
    assert.match(text, /sec\.gwlb {2}encapsulate {2}\[MTU 8500\]/);
    assert.match(text, /Outer IPv4 \(GENEVE\) \[20 B\]/);
    assert.match(text, /Outer UDP \(GENEVE\) \[8 B\]: src port=\d+ dst port=6081 \(GENEVE\)/);
    assert.match(text, /GENEVE \[40 B\]: version=0 opt len=8 \(32 bytes of options\)/);
    for (const t of ['type 1, 8 B\\): GWLB endpoint id=0x[0-9a-f]{16}', 'type 2, 8 B\\): attachment id=0x[0-9a-f]{16}', 'type 3, 4 B\\): flow cookie=0x[0-9a-f]{8}']) {
      assert.match(text, new RegExp(`option \\d \\(class 0x0108, ${t}`));
    }
    assert.match(renderTraceMarkdown(r), /GENEVE \(40 B\)/);
  });
});
