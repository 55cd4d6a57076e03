/** Security groups (aws-data-plane.md §3.12): allow-only, unioned, stateful, group references. */
import assert from 'node:assert/strict';
import { network, traceOf, hopsOf } from './helpers.js';

/** Two subnets, open network ACLs; `groups` decides what `b` accepts. */
function pair(bGroups: string[], sgs: [string, string[]][], aGroups: string[] = ['out']) {
  return network().vpc('v', v => {
    v.cidr('10.0.0.0/16')
      .subnet('s1', '10.0.1.0/24', s => s.instance('a', '10.0.1.10', { groups: aGroups }).instance('c', '10.0.1.20', { groups: ['out'] }))
      .subnet('s2', '10.0.2.0/24', s => s.instance('b', '10.0.2.10', { groups: bGroups }))
      .sg('out', ['outbound all to 0.0.0.0/0']);
    for (const [name, rules] of sgs) v.sg(name, rules);
  }).build();
}

describe('security groups allow only what a rule allows', () => {
  it('denies inbound traffic no rule matches (ENI_SG_RULES_MISMATCH, forward, at the group)', () => {
    const r = traceOf(pair(['web'], [['web', ['inbound tcp 443 from 0.0.0.0/0']]]), 'a -> b tcp 80');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.direction, 'forward');
    assert.equal(r.component, 'v.web');
    assert.equal(hopsOf(r, 'forward').at(-1)?.kind, 'security-group');
  });

  it('allows traffic a rule matches, naming the rule', () => {
    const r = traceOf(pair(['web'], [['web', ['inbound tcp 443 from 0.0.0.0/0']]]), 'a -> b tcp 443');
    assert.equal(r.verdict, 'reachable');
    const hop = hopsOf(r, 'forward').find(h => h.component === 'v.web');
    assert.equal(hop?.action, 'allow');
    assert.equal(hop?.rule?.text, 'inbound tcp 443 from 0.0.0.0/0');
  });

  it('matches port ranges inclusively against the destination port', () => {
    const m = pair(['web'], [['web', ['inbound tcp 8000-8100 from 10.0.0.0/16']]]);
    assert.equal(traceOf(m, 'a -> b tcp 8000').verdict, 'reachable');
    assert.equal(traceOf(m, 'a -> b tcp 8100').verdict, 'reachable');
    assert.equal(traceOf(m, 'a -> b tcp 8101').code, 'ENI_SG_RULES_MISMATCH');
  });

  it('matches the peer CIDR against the source address inbound', () => {
    const m = pair(['web'], [['web', ['inbound tcp 443 from 10.0.3.0/24']]]);
    assert.equal(traceOf(m, 'a -> b tcp 443').code, 'ENI_SG_RULES_MISMATCH');
  });

  it('protocol all matches every protocol; icmp rules match only icmp', () => {
    const all = pair(['g'], [['g', ['inbound all from 10.0.0.0/16']]]);
    assert.equal(traceOf(all, 'a -> b udp 53').verdict, 'reachable');
    assert.equal(traceOf(all, 'a -> b icmp').verdict, 'reachable');
    const icmp = pair(['g'], [['g', ['inbound icmp from 10.0.0.0/16']]]);
    assert.equal(traceOf(icmp, 'a -> b icmp').verdict, 'reachable');
    assert.equal(traceOf(icmp, 'a -> b tcp 22').code, 'ENI_SG_RULES_MISMATCH');
  });

  it('a packet of protocol all is all traffic: only rules for all protocols match it', () => {
    const tcpOnly = pair(['g'], [['g', ['inbound tcp 0-65535 from 0.0.0.0/0']]]);
    assert.equal(traceOf(tcpOnly, 'a -> b all').code, 'ENI_SG_RULES_MISMATCH');
    const all = pair(['g'], [['g', ['inbound all from 10.0.0.0/16']]]);
    const r = traceOf(all, 'a -> b all');
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.hops[0].headers.some(h => h.kind === 'tcp' || h.kind === 'udp'), false);
  });

  it('a tcp rule does not match udp to the same port', () => {
    const m = pair(['g'], [['g', ['inbound tcp 53 from 0.0.0.0/0']]]);
    assert.equal(traceOf(m, 'a -> b udp 53').code, 'ENI_SG_RULES_MISMATCH');
  });
});

describe('security groups of an interface are unioned', () => {
  it('a rule in any one of the groups allows the traffic', () => {
    const m = pair(['g1', 'g2'], [['g1', ['inbound tcp 22 from 0.0.0.0/0']], ['g2', ['inbound tcp 443 from 0.0.0.0/0']]]);
    const r = traceOf(m, 'a -> b tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(hopsOf(r, 'forward').find(h => h.kind === 'security-group' && h.place === 'destination-host')?.component, 'v.g2');
    assert.equal(traceOf(m, 'a -> b tcp 80').code, 'ENI_SG_RULES_MISMATCH');
  });
});

describe('security groups are stateful', () => {
  it('security groups pass replies of allowed flows without a rule in the other direction', () => {
    // b has no outbound rule at all and a has no inbound rule: the reply still passes both.
    const r = traceOf(pair(['web'], [['web', ['inbound tcp 443 from 0.0.0.0/0']]]), 'a -> b tcp 443');
    assert.equal(r.verdict, 'reachable');
    const ret = hopsOf(r, 'return').filter(h => h.kind === 'security-group');
    assert.equal(ret.length, 2);
    for (const h of ret) {
      assert.equal(h.action, 'allow');
      assert.equal(h.rule?.text, 'tracked connection (reply of an allowed flow)');
    }
  });

  it('a declared group with no outbound rule allows no outbound traffic', () => {
    const r = traceOf(pair(['web'], [['web', ['inbound tcp 443 from 0.0.0.0/0']], ['in-only', ['inbound tcp 22 from 0.0.0.0/0']]], ['in-only']), 'a -> b tcp 443');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.direction, 'forward');
    assert.equal(r.component, 'v.in-only');
    assert.equal(r.hops.at(-1)?.place, 'source-host');
  });

  it('a group with no rules at all reports SG_HAS_NO_RULES', () => {
    const r = traceOf(pair(['empty'], [['empty', []]]), 'a -> b tcp 443');
    assert.equal(r.code, 'SG_HAS_NO_RULES');
    assert.equal(r.component, 'v.empty');
    assert.equal(r.direction, 'forward');
  });
});

describe('security group references match the private addresses of the members', () => {
  it('allows a member of the referenced group and denies a non-member', () => {
    const m = pair(['db'], [['db', ['inbound tcp 5432 from app']], ['app', ['outbound all to 0.0.0.0/0']]], ['app']);
    assert.equal(traceOf(m, 'a -> b tcp 5432').verdict, 'reachable');
    const r = traceOf(m, 'c -> b tcp 5432');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'v.db');
  });

  it('a group reference to a group that does not exist matches nothing', () => {
    const m = pair(['db'], [['db', ['inbound tcp 5432 from nosuch']]]);
    assert.equal(traceOf(m, 'a -> b tcp 5432').code, 'ENI_SG_RULES_MISMATCH');
  });
});

describe('the default security group', () => {
  function defaults(declaredDefault?: string[]) {
    return network().vpc('v', v => {
      v.cidr('10.0.0.0/16')
        .subnet('s1', '10.0.1.0/24', s => s.instance('a', '10.0.1.10').instance('x', '10.0.1.30', { groups: ['other'] }))
        .subnet('s2', '10.0.2.0/24', s => s.instance('b', '10.0.2.10'))
        .sg('other', ['outbound all to 0.0.0.0/0']);
      if (declaredDefault) v.sg('default', declaredDefault);
    }).build();
  }

  it('an instance without groups gets default: inbound all from members of default, outbound all', () => {
    const r = traceOf(defaults(), 'a -> b tcp 3306');
    assert.equal(r.verdict, 'reachable');
    assert.equal(hopsOf(r, 'forward').find(h => h.kind === 'security-group' && h.place === 'destination-host')?.rule?.text,
      'inbound all from default (implicit default group)');
  });

  it('the default group denies inbound traffic from non-members', () => {
    const r = traceOf(defaults(), 'x -> b tcp 3306');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.component, 'v.default');
    assert.equal(r.direction, 'forward');
  });

  it('a declared group named default replaces the implicit one', () => {
    const m = defaults(['inbound tcp 22 from 0.0.0.0/0']);
    // The declared default has no outbound rule: a cannot even send.
    const r = traceOf(m, 'a -> b tcp 22');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.equal(r.hops.at(-1)?.place, 'source-host');
    assert.equal(traceOf(m, 'x -> b tcp 22').verdict, 'reachable');
    assert.equal(traceOf(m, 'x -> b tcp 23').code, 'ENI_SG_RULES_MISMATCH');
  });

  it('an instance naming only undeclared groups has no usable group and allows nothing', () => {
    const m = network().vpc('v', v => v.cidr('10.0.0.0/16')
      .subnet('s1', '10.0.1.0/24', s => s.instance('a', '10.0.1.10', { groups: ['typo'] }).instance('b', '10.0.1.11'))).build();
    const r = traceOf(m, 'a -> b tcp 22');
    assert.equal(r.code, 'ENI_SG_RULES_MISMATCH');
    assert.match(r.reason, /typo/);
  });
});
