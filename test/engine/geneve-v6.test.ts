/** IPv6 through gateway load balancer endpoints: IPv6 inside the IPv4 GENEVE outer header (aws-data-plane.md §5.1, §4). */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile } from './helpers.js';
import { trace } from '../../engine/index.js';
import type { NetworkModel } from '../../engine/model.js';

interface Options { fwSg?: string[]; epType?: 'ipv4' | 'dualstack'; serviceTypes?: ('ipv4' | 'ipv6')[]; gwlbType?: 'ipv4' | 'dualstack' }

/**
 * app VPC (dual-stack): web routes ::/0 to fw-ep, whose subnet routes ::/0 to the IGW. sec VPC (dual-stack):
 * dual-stack GWLB -> fw1; service inspection supports ipv4 and ipv6.
 */
function inspection6(o: Options = {}): NetworkModel {
  const model = network()
    .vpc('app', v => {
      v.cidr('10.0.0.0/16').igw('igw')
        .subnet('web-a', '10.0.1.0/24', s => s.routeTable('web-rt').instance('web', '10.0.1.10', { groups: ['open'] }), 'us-east-1a')
        .subnet('fw-a', '10.0.2.0/24', s => s.routeTable('fw-rt'), 'us-east-1a')
        .routeTable('web-rt', ['::/0 -> fw-ep'])
        .routeTable('fw-rt', ['::/0 -> igw'])
        .sg('open', ['inbound all from ::/0', 'outbound all to ::/0']);
      v.vpc.ipv6Cidrs = ['2600:1f18:abcd::/56'];
      v.vpc.subnets[0].ipv6Cidr = '2600:1f18:abcd:1::/64';
      v.vpc.subnets[1].ipv6Cidr = '2600:1f18:abcd:2::/64';
      v.vpc.subnets[0].instances[0].ipv6 = ['2600:1f18:abcd:1::10'];
      v.vpc.gatewayLoadBalancerEndpoints = [{ name: 'fw-ep', service: 'inspection', subnet: 'fw-a', ipAddressType: o.epType ?? 'dualstack' }];
    })
    .vpc('sec', v => {
      v.cidr('10.9.0.0/16')
        .subnet('appl-a', '10.9.1.0/24', s => s.instance('fw1', '10.9.1.10', { groups: ['fw-sg'] }), 'us-east-1a')
        .sg('fw-sg', o.fwSg ?? ['inbound udp 6081 from 10.9.0.0/16', 'outbound all to 0.0.0.0/0']);
      v.vpc.ipv6Cidrs = ['2600:1f18:9::/56'];
      v.vpc.subnets[0].ipv6Cidr = '2600:1f18:9:1::/64';
      v.vpc.loadBalancers = [{
        name: 'gwlb', type: 'gateway', scheme: 'internal', subnets: ['appl-a'], crossZone: false, securityGroups: [], ipAddressType: o.gwlbType ?? 'dualstack',
        listeners: [{ protocol: 'all', targets: ['fw1'], targetType: 'instance' }],
      }];
    })
    .build();
  model.endpointServices = [{ name: 'inspection', vpc: 'sec', loadBalancer: 'gwlb', allowedAccounts: [], supportedIpAddressTypes: o.serviceTypes ?? ['ipv4', 'ipv6'] }];
  return model;
}

function out6(model: NetworkModel, size?: number) {
  return trace(compile(model), { source: { kind: 'ip', ip: '2600:1f18:abcd:1::10' }, destination: { kind: 'ip', ip: '2001:db8::7' }, protocol: 'tcp', port: 443, size });
}

describe('GWLB endpoint for IPv6: an IPv6 route to a dual-stack endpoint sends the packet through the appliance in GENEVE', () => {
  it('goes web → endpoint → GWLB → appliance → GWLB → endpoint → internet gateway → internet, and back', () => {
    const r = out6(inspection6());
    assert.equal(r.verdict, 'reachable', r.reason);
    const order = ['app.web', 'app.fw-ep', 'sec.gwlb', 'sec.fw1', 'app.igw', 'internet'].map(c => hopsOf(r, 'forward').findIndex(h => h.component === c));
    assert.ok(order.every((x, i) => x >= 0 && (i === 0 || x > order[i - 1])), JSON.stringify(order));
  });
  it('both families ride IPv4 GENEVE: outer IPv4 + UDP 6081 + GENEVE (protocol type 0x86DD) = 68 bytes, then the IPv6 header (40 bytes) unchanged', () => {
    const r = out6(inspection6());
    const enc = hopsOf(r, 'forward').find(h => h.component === 'sec.gwlb' && h.action === 'encapsulate')!;
    assert.deepEqual(enc.headers.map(h => h.name), ['Outer IPv4 (GENEVE)', 'Outer UDP (GENEVE)', 'GENEVE', 'IPv6', 'TCP']);
    assert.equal(enc.headers.slice(0, 3).reduce((n, h) => n + h.bytes, 0), 68);
    assert.equal(enc.headers[3].bytes, 40);
    assert.equal(field(enc.headers, 'GENEVE', 'protocol type')!.value, '0x86DD (IPv6)');
    assert.equal(field(enc.headers, 'Outer UDP (GENEVE)', 'dst port')!.value, '6081 (GENEVE)');
    assert.equal(field(enc.headers, 'Outer IPv4 (GENEVE)', 'dst')!.value, '10.9.1.10');
    assert.equal(field(enc.headers, 'IPv6', 'src')!.value, '2600:1f18:abcd:1::10');
    assert.equal(field(enc.headers, 'IPv6', 'dst')!.value, '2001:db8::7');
    assert.equal(enc.mtu, 8500);
  });
  it('the appliance\'s groups see the outer IPv4 UDP 6081 packet (IPv6 rules do not admit it)', () => {
    const r = out6(inspection6({ fwSg: ['inbound all from ::/0', 'outbound all to ::/0'] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'sec.fw-sg');
  });
  it('an ipv4-only endpoint takes no IPv6: INVALID_CONFIGURATION naming its IP address type', () => {
    const r = out6(inspection6({ epType: 'ipv4' }));
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.equal(r.component, 'app.fw-ep');
    assert.match(r.reason, /ipv4/);
  });
  it('a dualstack endpoint needs a service that supports IPv6: a service of ipv4 only is INVALID_CONFIGURATION at the service (as for interface endpoints)', () => {
    const r = out6(inspection6({ serviceTypes: ['ipv4'] }));
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.equal(r.component, 'endpoint-service.inspection');
    assert.match(r.reason, /accepts IPv4 only/);
    assert.ok(!hopsOf(r, 'forward').some(h => h.component === 'sec.fw1'), 'the appliance never saw the packet');
  });
  it('a service that supports IPv6 needs a dual-stack gateway load balancer: an ipv4 one is INVALID_CONFIGURATION at the load balancer', () => {
    const r = out6(inspection6({ gwlbType: 'ipv4' }));
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.equal(r.component, 'sec.gwlb');
    assert.match(r.reason, /dual-stack load balancer/);
  });
  it('after inspection the endpoint delivers an address of its own /64 at layer 2: the virtual router hop, no route table, no network ACL', () => {
    const model = inspection6();
    const app = model.vpcs.find(v => v.name === 'app')!;
    const fw = app.subnets.find(s => s.name === 'fw-a')!;
    fw.instances.push({ name: 'box', privateIp: '10.0.2.20', ipv6: ['2600:1f18:abcd:2::20'], securityGroups: ['open'], sourceDestCheck: true });
    app.routeTables.find(t => t.name === 'web-rt')!.routes.push({ destination: '2600:1f18:abcd:2::/64', target: 'fw-ep' });
    const r = trace(compile(model), { source: { kind: 'instance', vpc: 'app', name: 'web' }, destination: { kind: 'instance', vpc: 'app', name: 'box' }, protocol: 'tcp', port: 443, family: 6 });
    const forward = hopsOf(r, 'forward').map(h => `${h.component} ${h.action}`);
    const at = forward.indexOf('app.fw-ep forward');
    assert.ok(at > 0, JSON.stringify(forward));
    assert.deepEqual(forward.slice(at, at + 3), ['app.fw-ep forward', 'app.virtual-router encapsulate', 'underlay forward']);
    const l2 = hopsOf(r, 'forward')[at + 1];
    assert.match(l2.detail, /in gateway load balancer endpoint fw-ep's own \/64 \(subnet fw-a\): delivered at layer 2 to app\.box/);
    assert.equal(forward.at(-1), 'app.box deliver');
    assert.ok(!forward.slice(at).some(h => h.startsWith('app.fw-rt')), 'no route table after the endpoint');
  });
  it('GWLB never fragments: a TCP packet over 8500 bytes is PATH_MTU_EXCEEDED at the load balancer', () => {
    const r = out6(inspection6(), 8600);
    assert.equal(r.code, 'PATH_MTU_EXCEEDED');
    assert.equal(r.component, 'sec.gwlb');
  });
});
