/**
 * The walk keeps a few indexes per compiled object (site.ts: a gateway's attachments by what they
 * attach, the prefixes AWS announces over a site link). They are keyed by objects compile() creates,
 * so a second analysis of an edited model must answer from the edit, never from the first analysis.
 */
import assert from 'node:assert/strict';
import { analyze } from '../../engine/index.js';
import type { NetworkModel } from '../../engine/index.js';
import { network } from './helpers.js';
import { OPEN, addSite, addTgw, addVpn, tgwOf } from './between-fixtures.js';

/** VPC a behind transit gateway hub; site dc behind a BGP VPN on the same gateway. */
function siteOverTgw(): NetworkModel {
  const m = network()
    .vpc('a', v => v.cidr('10.1.0.0/16')
      .subnet('app', '10.1.1.0/24', s => s.routeTable('rt').instance('x', '10.1.1.10', { groups: ['open'] }), 'us-east-1a')
      .subnet('tgw-a', '10.1.0.0/28', s => s.routeTable('rt'), 'us-east-1a')
      .routeTable('rt', ['192.168.0.0/16 -> hub']).sg('open', OPEN))
    .build();
  addTgw(m, {
    name: 'hub',
    attachments: [
      { name: 'att-a', kind: 'vpc', vpc: 'a', subnets: ['tgw-a'], applianceMode: false },
      { name: 'att-vpn', kind: 'vpn', vpn: 'dc-vpn' },
    ],
    routeTables: [{ name: 'main', associations: ['att-a', 'att-vpn'], propagations: ['att-a', 'att-vpn'], routes: [] }],
  });
  addSite(m, { name: 'dc', cidrs: ['192.168.0.0/16'], hosts: [{ name: 'db', ip: '192.168.1.10' }] });
  addVpn(m, { name: 'dc-vpn', site: 'dc', to: 'hub' });
  m.expectations.push({
    source: { kind: 'site-host', site: 'dc', name: 'db' }, destination: { kind: 'instance', vpc: 'a', name: 'x' }, sourceText: 'dc.db', destinationText: 'a.x',
    protocol: 'tcp', port: 443, expected: 'reachable',
  });
  return m;
}

describe('indexes of the compiled network follow every edit of the model', () => {
  it('what a VPN announces to the site follows the gateway table between two analyses of one model', () => {
    const m = siteOverTgw();
    const before = analyze(m).results[0].result;
    assert.equal(before.verdict, 'reachable', before.reason);
    // Without VPC a's propagation the gateway announces no route to 10.1.0.0/16 over the VPN.
    tgwOf(m, 'hub').routeTables[0].propagations = ['att-vpn'];
    const after = analyze(m).results[0].result;
    assert.equal(after.verdict, 'unreachable');
    assert.equal(after.code, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(after.direction, 'forward');
  });

  it('the attachment a VPC reaches the gateway through follows the attachment list between two analyses', () => {
    const m = siteOverTgw();
    m.expectations[0] = { ...m.expectations[0], source: m.expectations[0].destination, destination: m.expectations[0].source };
    assert.equal(analyze(m).results[0].result.verdict, 'reachable');
    tgwOf(m, 'hub').attachments = tgwOf(m, 'hub').attachments.filter(a => a.name !== 'att-a');
    const after = analyze(m).results[0].result;
    assert.equal(after.code, 'BAD_STATE_ROUTE', after.reason);
    assert.equal(after.component, 'a.rt');
  });
});
