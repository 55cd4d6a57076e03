/** Network ACLs (aws-data-plane.md §3.13): stateless, numbered, first match, implicit deny. */
import assert from 'node:assert/strict';
import { network, traceOf, hopsOf } from './helpers.js';

/** a in s1, b in s2 (ACL `acl2` when given), c beside a in s1 (ACL `acl1` when given); open groups. */
function acls(acl1?: string[], acl2?: string[]) {
  return network().vpc('v', v => {
    v.cidr('10.0.0.0/16')
      .subnet('s1', '10.0.1.0/24', s => { s.instance('a', '10.0.1.10', { groups: ['open'] }).instance('c', '10.0.1.20', { groups: ['open'] }); if (acl1) s.acl('acl1'); })
      .subnet('s2', '10.0.2.0/24', s => { s.instance('b', '10.0.2.10', { groups: ['open'] }); if (acl2) s.acl('acl2'); })
      .sg('open', ['inbound all from 0.0.0.0/0', 'outbound all to 0.0.0.0/0']);
    if (acl1) v.acl('acl1', acl1);
    if (acl2) v.acl('acl2', acl2);
  }).build();
}

const OPEN_OUT = 'outbound 100 allow all to 0.0.0.0/0';

describe('network ACLs evaluate rules in ascending number, first match wins', () => {
  it('a lower-numbered deny wins over a higher-numbered allow, whatever the declaration order', () => {
    const r = traceOf(acls(undefined, ['inbound 200 allow tcp 443 from 0.0.0.0/0', 'inbound 100 deny tcp 443 from 10.0.1.0/24', OPEN_OUT]), 'a -> b tcp 443');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'forward');
    assert.equal(r.component, 'v.acl2');
    assert.equal(r.rule?.text, 'inbound 100 deny tcp 443 from 10.0.1.0/24');
  });

  it('a lower-numbered allow wins over a higher-numbered deny', () => {
    const r = traceOf(acls(undefined, ['inbound 100 allow tcp 443 from 10.0.1.0/24', 'inbound 200 deny all from 0.0.0.0/0', 'outbound 100 allow all to 0.0.0.0/0']), 'a -> b tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(hopsOf(r, 'forward').find(h => h.component === 'v.acl2')?.rule?.text, 'inbound 100 allow tcp 443 from 10.0.1.0/24');
  });

  it('with no matching rule, the final * rule denies', () => {
    const r = traceOf(acls(undefined, ['inbound 100 allow tcp 22 from 0.0.0.0/0', OPEN_OUT]), 'a -> b tcp 443');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.rule?.text, 'inbound * deny all');
    assert.equal(r.component, 'v.acl2');
  });

  it('outbound rules match the destination address, inbound rules the source address', () => {
    const outDenied = traceOf(acls(['outbound 100 allow all to 10.0.3.0/24', 'inbound 100 allow all from 0.0.0.0/0'], undefined), 'a -> b tcp 443');
    assert.equal(outDenied.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(outDenied.component, 'v.acl1');
    assert.equal(outDenied.rule?.text, 'outbound * deny all');
    const outAllowed = traceOf(acls(['outbound 100 allow all to 10.0.2.0/24', 'inbound 100 allow all from 10.0.2.0/24'], undefined), 'a -> b tcp 443');
    assert.equal(outAllowed.verdict, 'reachable');
  });
});

describe('a declared network ACL with no rules denies everything; the default ACL allows everything', () => {
  it('an empty declared ACL denies', () => {
    const r = traceOf(acls(undefined, []), 'a -> b icmp');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.component, 'v.acl2');
    assert.equal(r.direction, 'forward');
  });

  it('a subnet without an ACL uses the default ACL, which allows all in both directions', () => {
    const r = traceOf(acls(), 'a -> b udp 53');
    assert.equal(r.verdict, 'reachable');
    const aclHops = r.hops.filter(h => h.kind === 'network-acl');
    assert.equal(aclHops.length, 4); // out of s1, into s2, out of s2, into s1
    assert.ok(aclHops.every(h => h.action === 'allow' && h.component === 'v.default-network-acl'));
  });
});

describe('network ACLs are not evaluated between interfaces of the same subnet', () => {
  it('network ACLs are not evaluated between interfaces of the same subnet', () => {
    const r = traceOf(acls([]), 'a -> c tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(r.hops.filter(h => h.kind === 'network-acl').length, 0);
    assert.ok(r.hops.some(h => h.kind === 'virtual-router' && /layer 2/.test(h.detail)));
    assert.equal(r.hops.filter(h => h.kind === 'route-table').length, 0);
  });

  it('the same ACL does apply when the traffic leaves the subnet', () => {
    const r = traceOf(acls([]), 'a -> b tcp 443');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.component, 'v.acl1');
  });
});

describe('network ACLs are stateless: replies need their own rules', () => {
  const server = [
    'inbound 100 allow tcp 443 from 10.0.0.0/16',
    'outbound 100 allow tcp 443 to 10.0.0.0/16',
  ];

  it('network ACL replies need their own ephemeral-port rule', () => {
    const r = traceOf(acls(undefined, server), 'a -> b tcp 443');
    assert.equal(r.verdict, 'unreachable');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'v.acl2');
    assert.equal(r.rule?.text, 'outbound * deny all');
    assert.match(r.reason, /49152/);
  });

  it('an outbound rule for the client ports lets the reply out', () => {
    const r = traceOf(acls(undefined, [...server, 'outbound 110 allow tcp 1024-65535 to 10.0.0.0/16']), 'a -> b tcp 443');
    assert.equal(r.verdict, 'reachable');
    assert.equal(hopsOf(r, 'return').find(h => h.component === 'v.acl2')?.rule?.text, 'outbound 110 allow tcp 1024-65535 to 10.0.0.0/16');
  });

  it('rules match the reply\'s own destination port, the client port (from-port)', () => {
    const m = acls(undefined, [...server, 'outbound 110 allow tcp 49152-65535 to 10.0.0.0/16']);
    assert.equal(traceOf(m, 'a -> b tcp 443').verdict, 'reachable');
    const r = traceOf(m, 'a -> b tcp 443 from-port 40000');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'return');
  });

  it('the sender\'s ACL must let the reply in as well', () => {
    const r = traceOf(acls(['outbound 100 allow all to 0.0.0.0/0', 'inbound 100 allow tcp 443 from 0.0.0.0/0'], undefined), 'a -> b tcp 443');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'return');
    assert.equal(r.component, 'v.acl1');
    assert.equal(r.hops.at(-1)?.place, 'source-host');
  });

  it('icmp rules match icmp; replies are echo replies that need their own rule', () => {
    const m = acls(undefined, ['inbound 100 allow icmp from 0.0.0.0/0']);
    const r = traceOf(m, 'a -> b icmp');
    assert.equal(r.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(r.direction, 'return');
    assert.equal(traceOf(acls(undefined, ['inbound 100 allow icmp from 0.0.0.0/0', 'outbound 100 allow icmp to 0.0.0.0/0']), 'a -> b icmp').verdict, 'reachable');
    assert.equal(traceOf(m, 'a -> b tcp 443').direction, 'forward');
  });
});
