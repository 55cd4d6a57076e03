/** Gateway load balancers, their endpoints and GENEVE (aws-data-plane.md §3.11, §5.1, §4). */
import assert from 'node:assert/strict';
import { network, hopsOf, field, compile } from './helpers.js';
import { trace } from '../../engine/index.js';
import type { NetworkModel, Protocol } from '../../engine/model.js';
import { totalBytes } from '../../engine/packet.js';

interface Options { fwSg?: string[]; fwRoutes?: string[]; endpointAz?: string }

/** app VPC: web (public) routes 0.0.0.0/0 to fw-ep; the endpoint's subnet routes to the IGW. sec VPC: GWLB -> fw1. */
function inspection(o: Options = {}): NetworkModel {
  const model = network()
    .vpc('app', v => {
      v.cidr('10.0.0.0/16').igw('igw')
        .subnet('web-a', '10.0.1.0/24', s => s.routeTable('web-rt').instance('web', '10.0.1.10', { groups: ['open'], publicIp: '54.0.0.10' }), 'us-east-1a')
        .subnet('fw-a', '10.0.2.0/24', s => s.routeTable('fw-rt'), o.endpointAz ?? 'us-east-1a')
        .routeTable('web-rt', ['0.0.0.0/0 -> fw-ep'])
        .routeTable('fw-rt', o.fwRoutes ?? ['0.0.0.0/0 -> igw'])
        .sg('open', ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0']);
      v.vpc.gatewayLoadBalancerEndpoints = [{ name: 'fw-ep', service: 'inspection', subnet: 'fw-a' }];
    })
    .vpc('sec', v => {
      v.cidr('10.9.0.0/16')
        .subnet('appl-a', '10.9.1.0/24', s => s.instance('fw1', '10.9.1.10', { groups: ['fw-sg'] }), 'us-east-1a')
        .sg('fw-sg', o.fwSg ?? ['inbound udp 6081 from 10.9.0.0/16', 'outbound all to 0.0.0.0/0']);
      v.vpc.loadBalancers = [{
        name: 'gwlb', type: 'gateway', scheme: 'internal', subnets: ['appl-a'], crossZone: false, securityGroups: [],
        listeners: [{ protocol: 'all', targets: ['fw1'], targetType: 'instance' }],
      }];
    })
    .host('client', '198.51.100.7')
    .build();
  model.endpointServices = [{ name: 'inspection', vpc: 'sec', loadBalancer: 'gwlb', allowedAccounts: [] }];
  return model;
}

function out(model: NetworkModel, protocol: Protocol = 'tcp', size?: number) {
  return trace(compile(model), {
    source: { kind: 'instance', vpc: 'app', name: 'web' }, destination: { kind: 'host', name: 'client' }, protocol, port: protocol === 'icmp' ? undefined : 443, size,
  });
}

describe('gateway load balancer: traffic routed to the endpoint is inspected by an appliance in GENEVE', () => {
  it('goes web → endpoint → GWLB → appliance → GWLB → endpoint → internet gateway → internet', () => {
    const r = out(inspection());
    assert.equal(r.verdict, 'reachable', r.reason);
    const order = ['app.web', 'app.fw-ep', 'sec.gwlb', 'sec.fw1', 'app.igw', 'client'].map(c => hopsOf(r, 'forward').findIndex(h => h.component === c));
    assert.ok(order.every((x, i) => x >= 0 && (i === 0 || x > order[i - 1])), JSON.stringify(order));
  });
  it('shows GENEVE exactly: UDP 6081, base header, AWS options class 0x0108 types 1, 2, 3; 68 bytes; MTU 8500', () => {
    const r = out(inspection());
    const enc = hopsOf(r, 'forward').find(h => h.component === 'sec.gwlb' && h.action === 'encapsulate')!;
    assert.equal(enc.mtu, 8500);
    const [ip, udp, geneve] = enc.headers;
    assert.equal(ip.name, 'Outer IPv4 (GENEVE)');
    assert.equal(field([ip], ip.name, 'src')!.value, '10.9.1.254');
    assert.equal(field([ip], ip.name, 'dst')!.value, '10.9.1.10');
    assert.equal(field([udp], udp.name, 'dst port')!.value, '6081 (GENEVE)');
    assert.equal(geneve.kind, 'geneve');
    assert.equal(geneve.bytes, 40);
    const names = geneve.fields.map(f => f.name);
    assert.deepEqual(names.filter(n => n.startsWith('option')), [
      'option 1 (class 0x0108, type 1, 8 B): GWLB endpoint id',
      'option 2 (class 0x0108, type 2, 8 B): attachment id',
      'option 3 (class 0x0108, type 3, 4 B): flow cookie',
    ]);
    assert.match(geneve.fields.find(f => f.name.startsWith('option 1'))!.value, /^0x[0-9a-f]{16} \(vpce-[0-9a-f]{17}\)$/);
    assert.match(geneve.fields.find(f => f.name.startsWith('option 2'))!.value, /^0x[0-9a-f]{16}$/);
    assert.match(geneve.fields.find(f => f.name.startsWith('option 3'))!.value, /^0x[0-9a-f]{8}$/);
    assert.equal(field([geneve], 'GENEVE', 'protocol type')!.value, '0x0800 (IPv4)');
    assert.equal(totalBytes([ip, udp, geneve]), 68);
    // The customer packet rides unchanged inside.
    assert.equal(field(enc.headers.slice(3), 'IPv4', 'src')!.value, '10.0.1.10');
  });
  it('the appliance returns it with the outer addresses swapped and the same options', () => {
    const r = out(inspection());
    const enc = hopsOf(r, 'forward').find(h => h.component === 'sec.gwlb' && h.action === 'encapsulate')!;
    const back = hopsOf(r, 'forward').find(h => h.component === 'sec.fw1')!;
    assert.equal(field(back.headers, 'Outer IPv4 (GENEVE)', 'src')!.value, '10.9.1.10');
    assert.equal(field(back.headers, 'Outer IPv4 (GENEVE)', 'dst')!.value, '10.9.1.254');
    assert.deepEqual(back.headers[2].fields, enc.headers[2].fields);
  });
});

describe('gateway load balancer: the appliance must admit UDP 6081 (GENEVE)', () => {
  it('an appliance group without UDP 6081 drops the GENEVE packet', () => {
    const r = out(inspection({ fwSg: ['inbound tcp 443 from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'] }));
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'sec.fw-sg');
    assert.match(r.reason, /udp port 6081/);
  });
});

describe('gateway load balancer: customer packets of at most 8500 bytes, never fragmented', () => {
  it('a 9000-byte UDP packet is dropped at the gateway load balancer', () => {
    const r = out(inspection(), 'udp', 9000);
    assert.equal(r.code, 'PATH_MTU_EXCEEDED');
    assert.equal(r.component, 'sec.gwlb');
  });
  it('8500 bytes pass GENEVE (and UDP is fragmented at the internet gateway)', () => {
    assert.equal(out(inspection(), 'udp', 8500).verdict, 'reachable');
  });
});

describe('gateway load balancer endpoint: AZ and routing', () => {
  it('an endpoint in an AZ without a GWLB node: VPCE_SERVICE_NOT_INSTALLED_IN_AZ', () => {
    assert.equal(out(inspection({ endpointAz: 'us-east-1b' })).code, 'VPCE_SERVICE_NOT_INSTALLED_IN_AZ');
  });
  it('an endpoint subnet that routes back to the endpoint is a loop', () => {
    assert.equal(out(inspection({ fwRoutes: ['0.0.0.0/0 -> fw-ep'] })).code, 'ROUTING_LOOP');
  });
});

describe('gateway load balancer endpoint as the target of a gateway route table (ingress inspection, §3.3)', () => {
  it('traffic entering through the internet gateway is inspected, then delivered by the endpoint subnet\'s routes', () => {
    const model = inspection();
    model.vpcs[0].routeTables.push({ name: 'from-internet', main: false, edge: 'igw', routes: [{ destination: '10.0.1.0/24', target: 'fw-ep' }] });
    const r = trace(compile(model), { source: { kind: 'host', name: 'client' }, destination: { kind: 'instance', vpc: 'app', name: 'web' }, protocol: 'tcp', port: 443 });
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    const order = ['app.igw', 'app.from-internet', 'app.fw-ep', 'sec.gwlb', 'sec.fw1', 'app.web'].map(c => fwd.findIndex(h => h.component === c));
    assert.ok(order.every((x, i) => x >= 0 && (i === 0 || x > order[i - 1])), JSON.stringify(order));
  });
});

describe('gateway load balancer listeners: all traffic, GENEVE on UDP 6081 (GWLB_PROTOCOL_RESTRICTION, GWLB_DESTINATION_PORT_RESTRICTION)', () => {
  it('a tcp listener on a gateway load balancer carries nothing', () => {
    const m = inspection();
    m.vpcs[1].loadBalancers![0].listeners[0].protocol = 'tcp';
    assert.equal(out(m).code, 'GWLB_PROTOCOL_RESTRICTION');
  });
  it('targets are reached on UDP 6081 only', () => {
    const m = inspection();
    m.vpcs[1].loadBalancers![0].listeners[0].targetPort = 6082;
    assert.equal(out(m).code, 'GWLB_DESTINATION_PORT_RESTRICTION');
    m.vpcs[1].loadBalancers![0].listeners[0].targetPort = 6081;
    assert.equal(out(m).verdict, 'reachable');
  });
});
