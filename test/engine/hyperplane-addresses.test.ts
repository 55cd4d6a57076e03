/**
 * Declared and derived addresses of load balancer nodes, interface endpoint interfaces and GWLB
 * endpoints (subnet mappings: private-ip, public-ip, ipv6), and the IPv6 addresses of dual-stack ones.
 */
import assert from 'node:assert/strict';
import { compile, hopsOf } from './helpers.js';
import { trace } from '../../engine/index.js';
import { formatIp } from '../../engine/ip.js';
import { formatV4 } from '../../engine/ipv4.js';
import type { EndpointRef, NetworkModel } from '../../engine/model.js';
import { dualShop } from './hyperplane-fixtures.js';

const NLB: EndpointRef = { kind: 'load-balancer', vpc: 'shop', name: 'nlb' };
const v6 = (a: bigint | undefined) => a === undefined ? undefined : formatIp({ family: 6, value: a });
const v4 = (a: number | undefined) => a === undefined ? undefined : formatV4(a);

function nodes(model: NetworkModel) {
  return compile(model).vpcs.get('shop')!.services.loadBalancers.get('nlb')!.nodes;
}

/** shop plus an interface endpoint `ep` in app-a / app-b and a GWLB endpoint `gw` in app-a. */
function withEndpoints(model: NetworkModel, ipAddressType: 'ipv4' | 'dualstack'): NetworkModel {
  const shop = model.vpcs[0];
  shop.interfaceEndpoints = [{
    name: 'ep', service: 'svc', subnets: ['app-a', 'app-b'], securityGroups: [], ipAddressType,
    addresses: [{ subnet: 'app-a', privateIp: '10.0.10.50', ipv6: '2600:1f18:abcd:10::50' }],
  }];
  shop.gatewayLoadBalancerEndpoints = [{ name: 'gw', service: 'svc', subnet: 'app-a', ipAddressType, privateIp: '10.0.10.60', ipv6: '2600:1f18:abcd:10::60' }];
  return model;
}

describe('load balancer subnet mappings: declared node addresses', () => {
  it('a declared private-ip is the node\'s address in that subnet; the other subnet\'s node is derived', () => {
    const [a, b] = nodes(dualShop({ lb: { addresses: [{ subnet: 'pub-a', privateIp: '10.0.0.50' }] } }));
    assert.equal(v4(a.privateIp), '10.0.0.50');
    assert.equal(v4(b.privateIp), '10.0.1.254');
  });
  it('a client in the VPC addresses the node in its AZ at its declared address', () => {
    const r = trace(compile(dualShop({ lb: { addresses: [{ subnet: 'pub-a', privateIp: '10.0.0.50' }] } })), { source: { kind: 'instance', vpc: 'shop', name: 'tester' }, destination: NLB, protocol: 'tcp', port: 80 });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.flow!.dstIp, '10.0.0.50');
  });
  it('the mapping service resolves a declared node address: an expectation to the literal address reaches a target', () => {
    const r = trace(compile(dualShop({ lb: { addresses: [{ subnet: 'pub-a', privateIp: '10.0.0.50' }] } })), { source: { kind: 'instance', vpc: 'shop', name: 'tester' }, destination: { kind: 'ip', ip: '10.0.0.50' }, protocol: 'tcp', port: 80 });
    assert.equal(r.verdict, 'reachable', r.reason);
    const fwd = hopsOf(r, 'forward');
    assert.ok(fwd.some(h => h.component === 'shop.nlb' && h.action === 'translate'));
    assert.equal(fwd.at(-1)!.component, 'shop.api-1');
  });
  it('a declared public-ip (subnet mapping Elastic IP) overrides the positional public address and is reached from the internet', () => {
    const model = dualShop({ lb: { publicIps: ['3.3.3.1', '3.3.3.2'], addresses: [{ subnet: 'pub-b', publicIp: '3.3.3.20' }] } });
    const [a, b] = nodes(model);
    assert.equal(v4(a.publicIp), '3.3.3.1');
    assert.equal(v4(b.publicIp), '3.3.3.20');
    const r = trace(compile(model), { source: { kind: 'host', name: 'client' }, destination: { kind: 'ip', ip: '3.3.3.20' }, protocol: 'tcp', port: 80 });
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(hopsOf(r, 'forward').at(-1)!.component, 'shop.api-2');
  });
  it('a declared address outside the subnet, reserved, or an instance\'s is not taken: the node gets a derived one', () => {
    for (const bad of ['10.0.5.7', '10.0.0.3', '10.0.0.255', '10.0.10.5']) {
      const [a] = nodes(dualShop({ lb: { addresses: [{ subnet: 'pub-a', privateIp: bad }] } }));
      assert.equal(v4(a.privateIp), '10.0.0.254', bad);
    }
  });
  it('a derived address never takes another node\'s declared one', () => {
    const model = dualShop({ lb: { addresses: [{ subnet: 'pub-a', privateIp: '10.0.0.254' }] } });
    model.vpcs[0].natGateways = [{ name: 'nat', subnet: 'pub-a', private: false, publicIp: '54.0.0.1' }];
    const network = compile(model);
    const nat = network.vpcs.get('shop')!.services.natGateways.get('nat')!;
    assert.equal(v4(nat.privateIp), '10.0.0.253');
    assert.equal(v4(network.vpcs.get('shop')!.services.loadBalancers.get('nlb')!.nodes[0].privateIp), '10.0.0.254');
  });
  it('declared node addresses join the load balancer\'s security groups (group references see them)', () => {
    const network = compile(dualShop({ nlbSg: ['inbound tcp 80 from 0.0.0.0/0', 'outbound all to 0.0.0.0/0'], lb: { addresses: [{ subnet: 'pub-a', privateIp: '10.0.0.50' }] } }));
    const group = network.vpcs.get('shop')!.securityGroups.get('nlb-sg')!;
    assert.ok(group.members.has(network.vpcs.get('shop')!.services.loadBalancers.get('nlb')!.nodes[0].privateIp!));
    assert.equal(v4([...group.members].find(x => x === 0x0a000032)), '10.0.0.50');
  });
});

describe('dual-stack nodes: IPv6 addresses (ip-address-type dualstack)', () => {
  it('an ipv4 load balancer\'s nodes have no IPv6 address', () => {
    for (const n of nodes(dualShop({ lb: { ipAddressType: 'ipv4' } }))) assert.equal(n.ipv6, undefined);
  });
  it('a dual-stack node gets the highest free address of its subnet\'s /64 below the reserved last one', () => {
    const [a, b] = nodes(dualShop());
    assert.equal(v6(a.ipv6), '2600:1f18:abcd:1:ffff:ffff:ffff:fffe');
    assert.equal(v6(b.ipv6), '2600:1f18:abcd:2:ffff:ffff:ffff:fffe');
  });
  it('a derived IPv6 address is never an instance\'s', () => {
    const model = dualShop();
    const pubA = model.vpcs[0].subnets.find(s => s.name === 'pub-a')!;
    pubA.instances.push({ name: 'squatter', privateIp: '10.0.0.10', securityGroups: [], sourceDestCheck: true, ipv6: ['2600:1f18:abcd:1:ffff:ffff:ffff:fffe'] });
    assert.equal(v6(nodes(model)[0].ipv6), '2600:1f18:abcd:1:ffff:ffff:ffff:fffd');
  });
  it('a subnet without an IPv6 CIDR gives its node no IPv6 address', () => {
    const model = dualShop();
    delete model.vpcs[0].subnets.find(s => s.name === 'pub-b')!.ipv6Cidr;
    const [a, b] = nodes(model);
    assert.notEqual(a.ipv6, undefined);
    assert.equal(b.ipv6, undefined);
  });
  it('a declared ipv6 in the subnet\'s /64 is the node\'s; outside it, reserved or an instance\'s, a derived one is used', () => {
    assert.equal(v6(nodes(dualShop({ lb: { addresses: [{ subnet: 'pub-a', ipv6: '2600:1f18:abcd:1::50' }] } }))[0].ipv6), '2600:1f18:abcd:1::50');
    for (const bad of ['2600:1f18:abcd:2::50', '2600:1f18:abcd:1::2', '2600:1f18:abcd:1:ffff:ffff:ffff:ffff', '2600:1f18:abcd:10::5', '10.0.0.50']) {
      assert.equal(v6(nodes(dualShop({ lb: { addresses: [{ subnet: 'pub-a', ipv6: bad }] } }))[0].ipv6), '2600:1f18:abcd:1:ffff:ffff:ffff:fffe', bad);
    }
  });
  it('the mapping service knows every node\'s IPv6 address (per VPC, and across VPCs for the internet)', () => {
    const network = compile(dualShop());
    const [a] = network.vpcs.get('shop')!.services.loadBalancers.get('nlb')!.nodes;
    assert.equal(network.vpcs.get('shop')!.services.byIpv6.get(a.ipv6!), a);
    assert.equal(network.services.byIpv6.get(a.ipv6!), a);
  });
});

describe('interface endpoint and GWLB endpoint addresses', () => {
  it('declared private-ip and ipv6 of an endpoint interface; the other interface is derived', () => {
    const network = compile(withEndpoints(dualShop(), 'dualstack'));
    const [a, b] = network.vpcs.get('shop')!.services.interfaceEndpoints.get('ep')!.enis;
    assert.equal(v4(a.privateIp), '10.0.10.50');
    assert.equal(v6(a.ipv6), '2600:1f18:abcd:10::50');
    assert.equal(v4(b.privateIp), '10.0.11.254');
    assert.equal(v6(b.ipv6), '2600:1f18:abcd:11:ffff:ffff:ffff:fffe');
    assert.equal(network.vpcs.get('shop')!.services.byIp.get(a.privateIp!), a);
  });
  it('declared private-ip and ipv6 of a GWLB endpoint', () => {
    const network = compile(withEndpoints(dualShop(), 'dualstack'));
    const gw = network.vpcs.get('shop')!.services.gwlbEndpoints.get('gw')!;
    assert.equal(v4(gw.privateIp), '10.0.10.60');
    assert.equal(v6(gw.ipv6), '2600:1f18:abcd:10::60');
    assert.equal(network.vpcs.get('shop')!.services.byIpv6.get(gw.ipv6!), gw);
  });
  it('ipv4 endpoints keep their declared IPv4 address and get no IPv6 address', () => {
    const network = compile(withEndpoints(dualShop(), 'ipv4'));
    const [a] = network.vpcs.get('shop')!.services.interfaceEndpoints.get('ep')!.enis;
    const gw = network.vpcs.get('shop')!.services.gwlbEndpoints.get('gw')!;
    assert.equal(v4(a.privateIp), '10.0.10.50');
    assert.equal(a.ipv6, undefined);
    assert.equal(v4(gw.privateIp), '10.0.10.60');
    assert.equal(gw.ipv6, undefined);
  });
});
