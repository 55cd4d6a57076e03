/** Broken models never throw; ids are deterministic. */
import assert from 'node:assert/strict';
import { network, traceOf, analyze, compile } from './helpers.js';
import { mappingEntry, trace, type NetworkModel } from '../../engine/index.js';
import { contractModel } from './fixtures.js';

describe('broken models produce a drop with a clear reason, never an exception', () => {
  it('an unknown endpoint is NO_SOURCE_OR_DESTINATION', () => {
    const m = network().vpc('v', v => v.cidr('10.0.0.0/16').subnet('s', '10.0.0.0/24', s => s.instance('a', '10.0.0.10'))).build();
    const net = compile(m);
    const r1 = trace(net, { source: { kind: 'instance', vpc: 'v', name: 'ghost' }, destination: { kind: 'ip', ip: '10.0.0.10' }, protocol: 'tcp', port: 22 });
    assert.equal(r1.verdict, 'unreachable');
    assert.equal(r1.code, 'NO_SOURCE_OR_DESTINATION');
    assert.match(r1.reason, /ghost/);
    const r2 = trace(net, { source: { kind: 'instance', vpc: 'v', name: 'a' }, destination: { kind: 'host', name: 'nobody' }, protocol: 'tcp', port: 22 });
    assert.equal(r2.code, 'NO_SOURCE_OR_DESTINATION');
    const r3 = trace(net, { source: { kind: 'instance', vpc: 'nope', name: 'a' }, destination: { kind: 'internet' }, protocol: 'tcp', port: 22 });
    assert.equal(r3.code, 'NO_SOURCE_OR_DESTINATION');
  });

  it('invalid addresses and CIDRs are reported, not thrown', () => {
    const m = network().vpc('v', v => v.cidr('10.0.0.0/33').cidr('banana')
      .subnet('s', '10.0.0.0/99', s => s.instance('a', '10.0.0.300').instance('b', '10.0.0.11', { publicIp: 'x' }))
      .routeTable('rt', ['not-a-cidr -> igw'])
      .sg('g', ['inbound tcp 22 from 999.0.0.0/8'])
      .acl('n', ['inbound 100 allow all from 1.2.3.4/40']))
      .host('h', 'nonsense')
      .expect('a -> b tcp 22 unreachable')
      .expect('b -> h tcp 22 unreachable')
      .expect('h -> b tcp 22 unreachable')
      .expect('b -> 10.0.0.12 tcp 22 unreachable')
      .build();
    const { results } = analyze(m);
    assert.equal(results.length, 4);
    assert.equal(results[0].result.code, 'INVALID_CONFIGURATION');
    assert.match(results[0].result.reason, /10\.0\.0\.300/);
    assert.equal(results[1].result.code, 'INVALID_CONFIGURATION');
    assert.equal(results[2].result.code, 'INVALID_CONFIGURATION');
    // No valid VPC CIDR, so no local route: the packet has nowhere to go.
    assert.equal(results[3].result.code, 'NO_ROUTE_TO_DESTINATION');
    for (const r of results) assert.equal(r.holds, true);
  });

  it('an IPv6 endpoint is explained: the engine analyses IPv4', () => {
    const m = network().vpc('v', v => v.cidr('10.0.0.0/16').subnet('s', '10.0.0.0/24', s => s.instance('a', '10.0.0.10'))).build();
    const r = traceOf(m, 'a -> 2001:db8::1 tcp 443');
    assert.equal(r.code, 'INVALID_CONFIGURATION');
    assert.match(r.reason, /IPv6/);
  });

  it('an empty or partial model compiles and analyses', () => {
    const empty: NetworkModel = { vpcs: [], internetHosts: [], expectations: [] };
    assert.deepEqual(analyze(empty).results, []);
    const partial = { vpcs: [{ name: 'v', cidrs: ['10.0.0.0/16'] }], expectations: [] } as unknown as NetworkModel;
    assert.equal(compile(partial).vpcs.get('v')?.mainRouteTable.routes.length, 1);
  });

  it('duplicate names keep the first declaration', () => {
    const m = network().vpc('v', v => v.cidr('10.0.0.0/16')
      .subnet('s', '10.0.0.0/24', s => s.instance('a', '10.0.0.10').instance('a', '10.0.0.11').instance('b', '10.0.0.12'))
      .sg('g', []).sg('g', ['inbound all from 0.0.0.0/0'])).build();
    const net = compile(m);
    assert.equal(mappingEntry(net, 'v', 'a')?.privateIp, '10.0.0.10');
    assert.equal(net.vpcs.get('v')!.securityGroups.get('g')!.inbound.length, 0);
    assert.equal(traceOf(m, 'b -> a tcp 22').verdict, 'reachable');
  });
});

describe('ids, MACs, hosts and underlay addresses are derived deterministically from names', () => {
  function m() {
    return network().vpc('shop', v => v.cidr('10.0.0.0/16').igw('igw')
      .subnet('s', '10.0.0.0/24', s => s.instance('web', '10.0.0.10', { publicIp: '54.0.0.10' }).instance('api', '10.0.0.11'))).build();
  }

  it('the same model always yields the same values', () => {
    const a = mappingEntry(compile(m()), 'shop', 'web');
    const b = mappingEntry(compile(m()), 'shop', 'web');
    assert.deepEqual(a, b);
    assert.deepEqual(traceOf(m(), 'web -> api tcp 22'), traceOf(m(), 'web -> api tcp 22'));
  });

  it('values have AWS shapes, and underlay addresses come from 198.18.0.0/15', () => {
    const e = mappingEntry(compile(m()), 'shop', 'web')!;
    assert.match(e.vpcId, /^vpc-[0-9a-f]{17}$/);
    assert.match(e.subnetId, /^subnet-[0-9a-f]{17}$/);
    assert.match(e.instanceId, /^i-[0-9a-f]{17}$/);
    assert.match(e.interfaceId, /^eni-[0-9a-f]{17}$/);
    assert.match(e.mac, /^02(:[0-9a-f]{2}){5}$/);
    assert.match(e.host, /^host-[0-9a-f]{8}$/);
    assert.match(e.underlayIp, /^198\.(18|19)\.\d+\.\d+$/);
    assert.equal(e.account, '000000000000');
    assert.equal(e.region, 'us-east-1');
    assert.equal(e.az, 'us-east-1a');
    assert.equal(e.publicIp, '54.0.0.10');
  });

  it('different names give different values', () => {
    const net = compile(m());
    const web = mappingEntry(net, 'shop', 'web')!;
    const api = mappingEntry(net, 'shop', 'api')!;
    assert.notEqual(web.interfaceId, api.interfaceId);
    assert.notEqual(web.instanceId, api.instanceId);
    assert.notEqual(web.mac, api.mac);
    assert.equal(web.vpcId, api.vpcId);
    assert.equal(mappingEntry(net, 'shop', 'nosuch'), undefined);
  });
});

describe('a model not shaped as its type says still analyses without an exception', () => {
  function paths(o: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    if (o && typeof o === 'object') {
      for (const k of Object.keys(o)) {
        const key = Array.isArray(o) ? Number(k) : k;
        out.push([...prefix, key]);
        paths((o as Record<string, unknown>)[k], [...prefix, key], out);
      }
    }
    return out;
  }

  it('every field of the contract model missing or of the wrong type: no throw, no internal error', () => {
    const all = paths(contractModel());
    assert.ok(all.length > 100);
    for (const path of all) {
      for (const bad of [undefined, 42]) {
        const model = contractModel() as unknown as Record<string | number, unknown>;
        let at = model;
        for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
        at[path[path.length - 1]] = bad;
        const where = `${path.join('.')} = ${String(bad)}`;
        const analysis = analyze(model as unknown as NetworkModel);
        for (const r of analysis.results) {
          assert.ok(r.result.verdict === 'reachable' || r.result.verdict === 'unreachable', where);
          const json = JSON.stringify(r.result);
          assert.ok(!json.includes('could not analyse'), `${where}: ${r.result.reason}`);
        }
      }
    }
  });
});
