/**
 * Between networks as a whole: the renderings of peered, transit-gateway, VPN and Direct Connect
 * paths (hover and CLI text show every hop with headers and MTU), and models that are not shaped as
 * their type says (the engine never throws).
 */
import assert from 'node:assert/strict';
import { network, compile } from './helpers.js';
import { OPEN, addDx, addPeering, addSite, addTgw, addVpn, tableOf, traceFlow, vpcOf } from './between-fixtures.js';
import { renderTraceMarkdown, renderTraceText, resolveEndpoint, type NetworkModel } from '../../engine/index.js';

function hybrid(): NetworkModel {
  const m = network()
    .vpc('shop', v => v.cidr('10.0.0.0/16')
      .subnet('app', '10.0.1.0/24', s => s.routeTable('rt').instance('web', '10.0.1.10', { groups: ['open'] }))
      .subnet('tgw', '10.0.0.0/28', s => s.routeTable('rt'))
      .routeTable('rt', ['10.1.0.0/16 -> hub', '10.2.0.0/16 -> shop-data'])
      .sg('open', OPEN))
    .vpc('dev', v => v.cidr('10.1.0.0/16')
      .subnet('app', '10.1.1.0/24', s => s.routeTable('rt').instance('box', '10.1.1.10', { groups: ['open'] }))
      .routeTable('rt', ['10.0.0.0/16 -> hub']).sg('open', OPEN))
    .vpc('data', v => v.cidr('10.2.0.0/16')
      .subnet('db', '10.2.1.0/24', s => s.routeTable('rt').instance('pg', '10.2.1.10', { groups: ['open'] }))
      .routeTable('rt', ['10.0.0.0/16 -> shop-data']).sg('open', OPEN))
    .build();
  vpcOf(m, 'shop').vpnGateway = { name: 'vgw' };
  tableOf(m, 'shop', 'rt').propagate = ['vgw'];
  addPeering(m, 'shop-data', 'shop', 'data');
  addTgw(m, {
    name: 'hub',
    attachments: [{ name: 'att-shop', kind: 'vpc', vpc: 'shop', subnets: ['tgw'], applianceMode: false }, { name: 'att-dev', kind: 'vpc', vpc: 'dev', subnets: ['app'], applianceMode: false }],
    routeTables: [{ name: 'main', associations: ['att-shop', 'att-dev'], propagations: ['att-shop', 'att-dev'], routes: [] }],
  });
  addSite(m, { name: 'office', cidrs: ['192.168.0.0/16'], hosts: [{ name: 'pc', ip: '192.168.1.20' }] });
  addVpn(m, { name: 'office-vpn', site: 'office', to: 'shop.vgw' });
  addSite(m, { name: 'dc', cidrs: ['172.20.0.0/16'], hosts: [{ name: 'db', ip: '172.20.1.5' }] });
  addDx(m, { name: 'dx1', site: 'dc', to: 'shop.vgw', vlan: 101 });
  (m.directConnectGateways ??= []).push({ name: 'dxgw', associations: ['hub', 'shop.vgw'] });
  (m.sddcs ??= []).push({ name: 'vmc', connectedVpc: 'shop', subnet: 'tgw', management: '10.50.0.0/16', hostCount: 4, activeHost: 2, segments: [{ name: 'seg', cidr: '192.168.200.0/24', hosts: [{ name: 'vm', ip: '192.168.200.2' }] }] });
  return m;
}

describe('the hover and the CLI show every hop of a between-networks path with headers and MTU', () => {
  it('a peered path', () => {
    const r = traceFlow(hybrid(), 'shop.web -> data.pg tcp 5432');
    assert.equal(r.verdict, 'reachable', r.reason);
    const text = renderTraceText(r);
    assert.match(text, /→ shop-data {2}encapsulate {2}\[MTU 9001\]/);
    assert.match(text, /Peering shop-data \(pcx-[0-9a-f]{17}, requester shop, accepter data, same Region\)/);
    const md = renderTraceMarkdown(r);
    assert.match(md, /`shop-data`\*\* encapsulate — leg MTU 9001/);
  });

  it('a transit-gateway path', () => {
    const r = traceFlow(hybrid(), 'shop.web -> dev.box tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    const text = renderTraceText(r);
    assert.match(text, /→ hub\.main {2}route/);
    assert.match(text, /→ hub\.att-dev {2}encapsulate {2}\[MTU 8500\]/);
    assert.match(renderTraceMarkdown(r), /path MTU 8500/);
  });

  it('a VPN path: the ESP header and the tunnel MTU', () => {
    const r = traceFlow(hybrid(), 'shop.web -> office.pc tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    const text = renderTraceText(r);
    assert.match(text, /→ office-vpn {2}encapsulate {2}\[MTU 1446\]/);
    assert.match(text, /Outer IPv4 \(tunnel\) \[20 B\]: src=18\.\d+\.\d+\.\d+ dst=203\.0\.113\.\d+ protocol=50 \(ESP\)/);
    assert.match(text, /ESP \[8 B\]: spi=0x[0-9a-f]{8} sequence=1/);
    assert.match(text, /MSS 1406/);
    const md = renderTraceMarkdown(r);
    assert.match(md, /- ESP \(8 B\): spi `0x[0-9a-f]{8}`/);
  });

  it('a Direct Connect path: the 802.1Q tag with the VLAN id', () => {
    const r = traceFlow(hybrid(), 'dc.db -> shop.web tcp 443');
    assert.equal(r.verdict, 'reachable', r.reason);
    const text = renderTraceText(r);
    assert.match(text, /802\.1Q \[4 B\]: vlan=101 priority=0 type=0x0800 \(IPv4\)/);
    assert.match(text, /Ethernet \[14 B\]: src=\S+ dst=\S+ type=0x8100 \(802\.1Q\)/);
  });
});

describe('path MTU between networks: the transit gateway and VPN tunnels never fragment', () => {
  it('a TCP packet larger than the VPN tunnel MTU (1446) is dropped at the tunnel', () => {
    const r = traceFlow(hybrid(), 'shop.web -> office.pc tcp 22 size 1447');
    assert.equal(r.code, 'PATH_MTU_EXCEEDED');
    assert.equal(r.component, 'office-vpn');
    assert.equal(traceFlow(hybrid(), 'shop.web -> office.pc tcp 22 size 1446').verdict, 'reachable');
  });

  it('a UDP packet is not fragmented by the VPN tunnel either', () => {
    assert.equal(traceFlow(hybrid(), 'shop.web -> office.pc udp 53 size 1447').code, 'PATH_MTU_EXCEEDED');
  });

  it('the transit gateway drops what exceeds 8500 bytes, UDP included', () => {
    const r = traceFlow(hybrid(), 'shop.web -> dev.box udp 53 size 8501');
    assert.equal(r.code, 'PATH_MTU_EXCEEDED');
    assert.equal(r.component, 'hub.att-shop');
    assert.equal(traceFlow(hybrid(), 'shop.web -> dev.box udp 53 size 8500').verdict, 'reachable');
  });

  it('a Direct Connect leg fragments what TCP does not forbid: UDP larger than 1500 still arrives', () => {
    assert.equal(traceFlow(hybrid(), 'shop.web -> dc.db udp 53 size 4000').verdict, 'reachable');
    assert.equal(traceFlow(hybrid(), 'shop.web -> dc.db tcp 22 size 1501').code, 'PATH_MTU_EXCEEDED');
  });
});

describe('between-networks models that are not shaped as their type say never crash the engine', () => {
  it('holes, wrong types and dangling names', () => {
    const m = hybrid() as unknown as Record<string, unknown>;
    m.peerings = [null, { name: 'x' }, { name: 'y', requester: 'nope', accepter: 'shop', status: 'pending' }];
    m.transitGateways = [{ name: 'hub' }, { name: 't2', attachments: [null, { name: 'a', kind: 'vpc', vpc: 'nope' }, { name: 'b', kind: 'weird' }], routeTables: [{ name: 'rt', associations: 'a', propagations: [3], routes: [{ destination: 'bad' }, null] }] }];
    m.sites = [{ name: 'office', cidrs: 'x', hosts: [{ name: 'pc', ip: 'nope' }] }, 7];
    m.vpns = [{ name: 'v', site: 'office', to: 'nowhere', staticRoutes: null }, { name: 'w' }];
    m.directConnects = [{ name: 'd', site: 'office', to: 'dxgw' }];
    m.directConnectGateways = [{ name: 'dxgw', associations: null }];
    m.sddcs = [{ name: 'vmc', connectedVpc: 'shop', subnet: 'nope', segments: [{ name: 's', cidr: 'bad', hosts: null }] }, { name: 'v2', connectedVpc: 'shop', subnet: 'app', management: '10.9.0.0/16', segments: null, hostCount: -3, activeHost: 'x' }];
    const model = m as unknown as NetworkModel;
    assert.doesNotThrow(() => compile(model));
    for (const flow of ['shop.web -> office.pc tcp 22', 'shop.web -> dev.box tcp 22', 'shop.web -> 10.9.0.5 tcp 22', 'shop.web -> data.pg tcp 5432']) {
      const r = traceFlow(model, flow);
      assert.ok(r.verdict === 'reachable' || typeof r.code === 'string', flow);
      assert.notEqual(r.component, 'engine', `${flow}: ${r.reason}`);
    }
  });

  it('a structural fuzz of the issue-3 elements: never an engine failure', () => {
    // Exhaustive and deterministic: every field of every issue-3 element (and of the objects in its
    // arrays) replaced in turn by every junk value; each model traced along one of the flows.
    const junk = [undefined, null, 0, -1, 'x', '', [], {}, [null], '10.0.0.0/33', 'shop.vgw', 'hub'];
    const flows = ['shop.web -> office.pc tcp 22', 'shop.web -> dev.box tcp 22', 'office.pc -> shop.web tcp 443', 'dc.db -> shop.web tcp 443', 'shop.web -> data.pg tcp 5432', 'vmc.vm -> shop.web tcp 443'];
    const keys = ['peerings', 'transitGateways', 'sites', 'vpns', 'directConnects', 'directConnectGateways', 'sddcs'] as const;
    type Path = (string | number)[];
    const paths: Path[] = [];
    const base = hybrid() as unknown as Record<string, unknown>;
    for (const key of keys) {
      paths.push([key]);
      (base[key] as Record<string, unknown>[]).forEach((el, i) => {
        for (const [f, v] of Object.entries(el)) {
          paths.push([key, i, f]);
          if (Array.isArray(v)) v.forEach((inner, j) => {
            if (inner && typeof inner === 'object') for (const g of Object.keys(inner)) paths.push([key, i, f, j, g]);
          });
        }
      });
    }
    let n = 0;
    for (const path of paths) {
      for (const value of junk) {
        const m = hybrid() as unknown as Record<string, unknown>;
        let at: Record<string | number, unknown> = m;
        for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
        at[path[path.length - 1]] = value;
        const flow = flows[n++ % flows.length];
        let r;
        try { r = traceFlow(m as unknown as NetworkModel, flow); } catch (e) { assert.fail(`${path.join('.')} = ${JSON.stringify(value)}, ${flow}: threw ${String(e)}`); }
        assert.notEqual(r.component, 'engine', `${path.join('.')} = ${JSON.stringify(value)}, ${flow}: ${r.reason}`);
      }
    }
    assert.ok(n > 500, `${n} models`);
  });

  it('site and SDDC hosts are endpoints by qualified name; a bare name shared by two is ambiguous', () => {
    const m = hybrid();
    m.sddcs![0].segments[0].hosts.push({ name: 'pc', ip: '192.168.200.3' });
    const net = compile(m);
    assert.deepEqual(resolveEndpoint(net, 'office.pc'), { kind: 'site-host', site: 'office', name: 'pc' });
    assert.deepEqual(resolveEndpoint(net, 'vmc.pc'), { kind: 'site-host', site: 'vmc', name: 'pc' });
    assert.deepEqual(resolveEndpoint(net, 'db'), { kind: 'site-host', site: 'dc', name: 'db' });
    const ambiguous = resolveEndpoint(net, 'pc');
    assert.ok('error' in ambiguous && /ambiguous/.test(ambiguous.error));
    // A bare address inside a site is that site's machine.
    const r = traceFlow(m, 'shop.web -> 192.168.7.7 tcp 22');
    assert.equal(r.verdict, 'reachable', r.reason);
    assert.equal(r.hops.filter(h => h.direction === 'forward').at(-1)?.component, 'office.192.168.7.7');
  });
});
