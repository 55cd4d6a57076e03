/** The number-based IPv4 helpers agree with the bigint library (engine/ip.ts). */
import assert from 'node:assert/strict';
import { parseV4, parseV4Prefix, formatV4, isPublicV4, isRfc1918V4, isRfc6598V4, reservedRoleV4 } from '../../engine/ipv4.js';
import { parseIp, parsePrefix, isPublic, formatPrefix } from '../../engine/ip.js';

describe('IPv4 on numbers matches engine/ip.ts', () => {
  const addresses = ['0.0.0.0', '10.0.0.1', '255.255.255.255', '1.2.3.4', '172.31.255.255', '100.64.0.1', '192.0.2.1', '8.8.8.8', '224.0.0.1'];
  const invalid = ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', 'a.b.c.d', '1.2.3.4/8', '::1', '1.2.3.1234', ' '];

  it('parses and formats the same addresses, and rejects the same text', () => {
    for (const a of addresses) {
      assert.equal(parseV4(a), Number(parseIp(a)!.value), a);
      assert.equal(formatV4(parseV4(a)!), a);
    }
    for (const t of invalid) assert.equal(parseV4(t), undefined, JSON.stringify(t));
  });

  it('parses prefixes to canonical network and mask', () => {
    for (const t of ['10.0.0.5/16', '0.0.0.0/0', '1.2.3.4/32', '192.168.1.129/25']) {
      assert.equal(parseV4Prefix(t)!.text, formatPrefix(parsePrefix(t)!), t);
    }
    for (const t of ['10.0.0.0/33', '10.0.0.0', '10.0.0.0/', 'x/8', '10.0.0.0/-1']) assert.equal(parseV4Prefix(t), undefined, t);
  });

  it('classifies public, RFC 1918 and RFC 6598 addresses like the language rules', () => {
    for (const a of addresses) assert.equal(isPublicV4(parseV4(a)!), isPublic(parseIp(a)!), a);
    assert.equal(isRfc1918V4(parseV4('172.16.0.1')!), true);
    assert.equal(isRfc1918V4(parseV4('172.32.0.1')!), false);
    assert.equal(isRfc6598V4(parseV4('100.127.255.255')!), true);
    assert.equal(isRfc6598V4(parseV4('100.128.0.0')!), false);
  });

  it('names the five reserved addresses of a subnet', () => {
    const s = parseV4Prefix('10.0.1.0/24')!;
    assert.equal(reservedRoleV4(s, parseV4('10.0.1.4')!), undefined);
    assert.match(reservedRoleV4(s, parseV4('10.0.1.255')!)!, /broadcast/);
    assert.equal(reservedRoleV4(s, parseV4('10.0.2.1')!), undefined);
  });
});
