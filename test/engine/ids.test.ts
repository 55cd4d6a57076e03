/** Deterministic identifiers: FNV-1a with a mixer, AWS-shaped, spread across their range. */
import assert from 'node:assert/strict';
import { fnv1a32, macAddress, resourceId, underlayAddress, hostName } from '../../engine/ids.js';

describe('identifiers are FNV-1a hashes of the qualified names', () => {
  it('FNV-1a matches the published test vectors', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });

  it('names that differ only in the last character get unrelated MACs and ids', () => {
    const a = macAddress('router:v.s1').split(':');
    const b = macAddress('router:v.s2').split(':');
    assert.equal(a[0], '02');
    const same = a.slice(1).filter((x, i) => x === b[i + 1]).length;
    assert.ok(same <= 2, `${a.join(':')} vs ${b.join(':')}`);
    assert.notEqual(resourceId('eni', 'eni', 'v.a1').slice(4, 12), resourceId('eni', 'eni', 'v.a2').slice(4, 12));
  });

  it('underlay addresses stay inside 198.18.0.0/15 and avoid .0 and .255', () => {
    for (let i = 0; i < 500; i++) {
      const addr = underlayAddress(`host-${i}`).split('.').map(Number);
      assert.equal(addr[0], 198);
      assert.ok(addr[1] === 18 || addr[1] === 19);
      assert.ok(addr[3] !== 0 && addr[3] !== 255);
    }
    assert.equal(underlayAddress('x'), underlayAddress('x'));
    assert.equal(hostName('v.web'), hostName('v.web'));
  });
});
