/**
 * The bundled CLI (out/cli/main.cjs) against the contract of shared/vnet-language.md:
 * `vnet check`, `vnet trace`, their --json output and exit statuses.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_BUNDLE, ensureBundles, ROOT } from './bundles.js';

interface Run { status: number | null; stdout: string; stderr: string }

function vnet(...args: string[]): Run {
  const run = spawnSync(process.execPath, [CLI_BUNDLE, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** stdout of a --json run: exactly one JSON object and nothing else. */
function json(run: Run): any {
  const value = JSON.parse(run.stdout);
  assert.equal(typeof value, 'object');
  assert.ok(value !== null && !Array.isArray(value), 'stdout is one JSON object');
  return value;
}

/** 1-based line of the first line of `file` containing `match`. */
function lineOf(file: string, match: string): number {
  const index = readFileSync(join(ROOT, file), 'utf8').split('\n').findIndex((l) => l.includes(match));
  assert.ok(index >= 0, `'${match}' in ${file}`);
  return index + 1;
}

const CONTRACT = 'test/fixtures/contract/shop.vnet';
const ACL_RETURN = 'test/fixtures/broken/acl-return.vnet';
const SUBNET_OUTSIDE = 'test/fixtures/broken/subnet-outside.vnet';
const TWO_FILES = 'test/fixtures/two-files';

describe('vnet CLI', () => {
  let scratch: string;
  before(() => {
    ensureBundles();
    scratch = mkdtempSync(join(tmpdir(), 'vnet-cli-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  describe('vnet check', () => {
    it('passes the contract example: no error, all seven expectations hold, exit 0', () => {
      const run = vnet('check', CONTRACT, '--json');
      assert.equal(run.status, 0, run.stderr + run.stdout);
      const report = json(run);
      assert.deepEqual(report.diagnostics.filter((d: any) => d.severity === 'error'), []);
      assert.equal(report.expectations.length, 7);
      for (const e of report.expectations) assert.equal(e.holds, true, `${e.source} -> ${e.destination} holds`);
    });

    it('reports each expectation with the contract fields, lines 1-based, code null when reachable', () => {
      const report = json(vnet('check', CONTRACT, '--json'));
      const first = report.expectations[0];
      assert.deepEqual(
        {
          file: first.file, line: first.line, source: first.source, destination: first.destination,
          protocol: first.protocol, port: first.port, expected: first.expected, actual: first.actual,
          holds: first.holds, code: first.code, direction: first.direction,
        },
        {
          file: CONTRACT, line: lineOf(CONTRACT, 'expect client -> web tcp 443 reachable'), source: 'client',
          destination: 'web', protocol: 'tcp', port: 443, expected: 'reachable', actual: 'reachable',
          holds: true, code: null, direction: null,
        },
      );
      assert.ok(first.hops.length > 0);
      for (const hop of first.hops) {
        assert.equal(typeof hop.component, 'string');
        assert.equal(typeof hop.kind, 'string');
        assert.equal(typeof hop.action, 'string');
        assert.ok(Array.isArray(hop.headers));
      }
      // The internet gateway translates the public destination to the private one (1:1 NAT).
      assert.ok(first.hops.some((h: any) => h.component === 'shop.igw' && h.action === 'translate'));

      const icmp = report.expectations.find((e: any) => e.protocol === 'icmp');
      assert.equal(icmp.port, null);
      const blocked = report.expectations.find((e: any) => e.source === 'client' && e.destination === 'api');
      assert.equal(blocked.actual, 'unreachable');
      assert.equal(blocked.holds, true);
      assert.equal(typeof blocked.code, 'string');
      assert.ok(blocked.code.length > 0);
      assert.equal(blocked.line, lineOf(CONTRACT, 'expect client -> api tcp 8080 unreachable'));
    });

    it('prints diagnostics as file:line:col severity code message and verdicts as text', () => {
      const run = vnet('check', ACL_RETURN);
      assert.equal(run.status, 1);
      const line = lineOf(ACL_RETURN, 'expect client -> web tcp 443 reachable');
      assert.match(run.stdout, new RegExp(`^${ACL_RETURN}:${line}:1 error SUBNET_ACL_RESTRICTION .+`, 'm'));
      assert.match(run.stdout, new RegExp(`^${ACL_RETURN}:${line}:1 FAILS: expect client -> web tcp 443 reachable$`, 'm'));
      assert.match(run.stdout, /dropped at shop\.edge on the return path \(SUBNET_ACL_RESTRICTION\)/);
    });

    it('fails a reachable expectation whose replies the network ACL drops (return path, exit 1)', () => {
      const run = vnet('check', ACL_RETURN, '--json');
      assert.equal(run.status, 1);
      const [e] = json(run).expectations;
      assert.deepEqual(
        { holds: e.holds, actual: e.actual, code: e.code, direction: e.direction },
        { holds: false, actual: 'unreachable', code: 'SUBNET_ACL_RESTRICTION', direction: 'return' },
      );
      const drop = e.hops.find((h: any) => h.action === 'drop');
      assert.equal(drop.component, 'shop.edge');
      assert.equal(drop.kind, 'network-acl');
    });

    it('fails on an error diagnostic with its code (exit 1)', () => {
      const run = vnet('check', SUBNET_OUTSIDE, '--json');
      assert.equal(run.status, 1);
      const report = json(run);
      const error = report.diagnostics.find((d: any) => d.code === 'SUBNET_CIDR_OUTSIDE_VPC');
      assert.ok(error, JSON.stringify(report.diagnostics));
      assert.deepEqual(
        { file: error.file, line: error.line, severity: error.severity },
        { file: SUBNET_OUTSIDE, line: lineOf(SUBNET_OUTSIDE, 'subnet stray'), severity: 'error' },
      );
      assert.ok(error.column >= 1);
    });

    it('analyses a directory recursively as one workspace (names resolve across files)', () => {
      const run = vnet('check', TWO_FILES, '--json');
      assert.equal(run.status, 0, run.stdout);
      const report = json(run);
      assert.deepEqual(report.expectations.map((e: any) => [e.file, e.destination, e.holds]), [
        [join(TWO_FILES, 'expectations.vnet'), 'storefront', true],
        [join(TWO_FILES, 'expectations.vnet'), 'store.storefront', true],
      ]);
    });

    it('passes every sample', () => {
      const run = vnet('check', 'samples', '--json');
      const report = json(run);
      assert.deepEqual(report.diagnostics.filter((d: any) => d.severity === 'error'), []);
      assert.ok(report.expectations.length > 0);
      assert.deepEqual(report.expectations.filter((e: any) => !e.holds), []);
      assert.equal(run.status, 0);
    });

    it('reports garbage as diagnostics, never a crash', () => {
      const garbage = join(scratch, 'garbage.vnet');
      writeFileSync(garbage, 'vpc { subnet 10.0.0.0/33 in -> -> \u0000\u0001\u00ff }}} expect -> tcp 99999 maybe\n\u{1F4A5}');
      const run = vnet('check', garbage, '--json');
      assert.equal(run.status, 1, run.stderr);
      const report = json(run);
      assert.ok(report.diagnostics.some((d: any) => d.severity === 'error'));
      assert.equal(run.stderr, '');
    });

    it('exits 2 with one line on stderr for a missing file', () => {
      const run = vnet('check', 'no/such/file.vnet');
      assert.equal(run.status, 2);
      assert.equal(run.stderr, 'vnet: no/such/file.vnet: no such file or directory\n');
      assert.equal(run.stdout, '');
    });

    it('exits 2 for a file that is not .vnet and for a directory without .vnet files', () => {
      const text = join(scratch, 'notes.txt');
      writeFileSync(text, 'hello');
      assert.equal(vnet('check', text).status, 2);
      assert.equal(vnet('check', 'cli').status, 2);
      assert.match(vnet('check', 'cli').stderr, /^vnet: cli: no \.vnet files in this directory\n$/);
    });

    it('exits 2 for bad arguments, still printing one JSON object with --json', () => {
      const run = vnet('check', '--json');
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^vnet: vnet check needs at least one \.vnet file or directory\n$/);
      assert.equal(typeof json(run).error, 'string');
      const missing = vnet('check', 'missing.vnet', '--json');
      assert.equal(missing.status, 2);
      assert.deepEqual(json(missing), { error: 'missing.vnet: no such file or directory' });
      assert.equal(vnet('frobnicate').status, 2);
      assert.equal(vnet().status, 2);
    });

    it('prints help and version', () => {
      const help = vnet('--help');
      assert.equal(help.status, 0);
      assert.match(help.stdout, /vnet check <path>\.\.\. \[--json\]/);
      const version = vnet('--version');
      assert.equal(version.status, 0);
      assert.equal(version.stdout, `vnet ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
    });
  });

  describe('vnet trace', () => {
    it('prints the hop-by-hop path with the headers at each hop (exit 0 when reachable)', () => {
      const run = vnet('trace', CONTRACT, '--from', 'client', '--to', 'web', '--protocol', 'tcp', '--port', '443');
      assert.equal(run.status, 0, run.stderr + run.stdout);
      // The client reaches the public address; the gateway rewrites it to the private one.
      assert.match(run.stdout, /shop\.igw/);
      assert.match(run.stdout, /54\.0\.0\.10/);
      assert.match(run.stdout, /10\.0\.0\.10/);
      assert.match(run.stdout, /198\.51\.100\.7/);
      assert.match(run.stdout, /IPv4/);
    });

    it('--json prints one object with verdict, code, direction and hops', () => {
      const run = vnet('trace', ACL_RETURN, '--from', 'client', '--to', 'web', '--protocol', 'tcp', '--port', '443', '--json');
      assert.equal(run.status, 1);
      const result = json(run);
      assert.deepEqual(
        { verdict: result.verdict, code: result.code, direction: result.direction },
        { verdict: 'unreachable', code: 'SUBNET_ACL_RESTRICTION', direction: 'return' },
      );
      assert.ok(result.hops.length > 0);
      assert.ok(result.hops.every((h: any) => Array.isArray(h.headers)));
    });

    it('uses --from-port as the client port', () => {
      const result = json(vnet('trace', CONTRACT, '--from', 'client', '--to', 'web', '--protocol', 'tcp', '--port', '443', '--from-port', '50123', '--json'));
      assert.equal(result.flow.srcPort, 50123);
    });

    it('exits 2 naming an endpoint that does not exist', () => {
      const run = vnet('trace', CONTRACT, '--from', 'nobody', '--to', 'web', '--protocol', 'tcp', '--port', '443');
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^vnet: --from nobody: .+\n$/);
    });
  });

  describe('vnet trace: zones, --ipv6 and --size (issue 4)', () => {
    const DUAL = 'test/language/fixtures/dual-stack.vnet';
    /** `DUAL` plus one expectation, in the scratch directory (traces compared with it run on the same file). */
    function withExpectation(expectation: string): string {
      const file = join(scratch, 'dual.vnet');
      writeFileSync(file, `${readFileSync(join(ROOT, DUAL), 'utf8')}\n${expectation}\n`);
      return file;
    }
    /** `vnet check --json` of `DUAL` plus one expectation: the record of that expectation. */
    function checked(expectation: string): any {
      const report = json(vnet('check', withExpectation(expectation), '--json'));
      return report.expectations[report.expectations.length - 1];
    }

    it('checks the settled dual-stack syntax end to end: no diagnostic, every expectation holds, ipv6 and zones shown', () => {
      const run = vnet('check', DUAL);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /holds: expect client -> nlb in us-east-1b tcp 80 reachable/);
      assert.match(run.stdout, /holds: expect web -> orders-ep in us-east-1a ipv6 tcp 443 reachable/);
      assert.match(run.stdout, /0 errors, 0 warnings; expectations holding: 4 of 4/);
      const record = checked('expect web -> api ipv6 tcp 443 size 1200 reachable');
      assert.deepEqual([record.destination, record.ipv6, record.size], ['api', true, 1200]);
      assert.deepEqual([checked('expect web -> api tcp 443 reachable').ipv6, checked('expect web -> api tcp 443 reachable').size], [false, null]);
    });

    it('--to "nlb in <zone>" sends to the node of that zone (its declared public address from the internet)', () => {
      const a = json(vnet('trace', DUAL, '--from', 'client', '--to', 'nlb in us-east-1a', '--protocol', 'tcp', '--port', '443', '--json'));
      assert.equal(a.query.to, 'nlb in us-east-1a');
      assert.equal(a.flow.dstIp, '3.3.3.10');
      const b = json(vnet('trace', DUAL, '--from', 'client', '--to', 'shop.nlb in us-east-1b', '--protocol', 'tcp', '--port', '443', '--json'));
      assert.notEqual(b.flow.dstIp, '3.3.3.10');
    });

    it('traces the same path as the expect statement with the same zone', () => {
      const record = checked('expect web -> orders-ep in us-east-1a tcp 443 reachable');
      const run = json(vnet('trace', withExpectation(''), '--from', 'web', '--to', 'orders-ep in us-east-1a', '--protocol', 'tcp', '--port', '443', '--json'));
      assert.equal(record.destination, 'orders-ep in us-east-1a');
      assert.deepEqual([run.verdict, run.code, run.hops], [record.actual, record.code, record.hops]);
    });

    it('exits 2 for a zone where the destination has no node, a zone on a source, a zone on an instance', () => {
      const noNode = vnet('trace', DUAL, '--from', 'client', '--to', 'nlb in us-east-1c', '--protocol', 'tcp', '--port', '443');
      assert.equal(noNode.status, 2);
      assert.match(noNode.stderr, /^vnet: --to nlb in us-east-1c: shop\.nlb has no node in us-east-1c; its zones are us-east-1a, us-east-1b\.\n$/);
      const source = vnet('trace', DUAL, '--from', 'nlb in us-east-1a', '--to', 'web', '--protocol', 'tcp', '--port', '443');
      assert.equal(source.status, 2);
      assert.match(source.stderr, /a source has none/);
      const instance = vnet('trace', DUAL, '--from', 'client', '--to', 'web in us-east-1a', '--protocol', 'tcp', '--port', '443');
      assert.equal(instance.status, 2);
      assert.match(instance.stderr, /web is neither/);
    });

    it('exits 2 for "nlb in" without its zone, saying the zone is missing', () => {
      const run = vnet('trace', DUAL, '--from', 'client', '--to', 'nlb in', '--protocol', 'tcp', '--port', '443');
      assert.equal(run.status, 2);
      assert.equal(run.stderr, 'vnet: --to nlb in: \'in\' needs the availability zone after it, e.g. "nlb in us-east-1a".\n');
    });

    it('exits 2 for an IPv6 trace with an endpoint that has no IPv6 address, in the words of EXPECT_IPV6_NO_ADDRESS', () => {
      const flag = vnet('trace', DUAL, '--from', 'client', '--to', 'nlb', '--protocol', 'tcp', '--port', '443', '--ipv6');
      assert.equal(flag.status, 2);
      assert.equal(flag.stderr, 'vnet: --from client: --ipv6 makes this an IPv6 trace, but internet host client has an IPv4 address (198.51.100.7).\n');
      const implied = vnet('trace', DUAL, '--from', '2600:1f18:abcd:10::5', '--to', '10.0.11.5', '--protocol', 'tcp', '--port', '443', '--json');
      assert.equal(implied.status, 2);
      assert.deepEqual(json(implied), { error: '--to 10.0.11.5: --from 2600:1f18:abcd:10::5 is IPv6, so this is an IPv6 trace, but 10.0.11.5 is an IPv4 address.' });
      const fine = vnet('trace', DUAL, '--from', 'web', '--to', 'nlb', '--protocol', 'tcp', '--port', '443', '--ipv6');
      assert.notEqual(fine.status, 2, fine.stderr);
    });

    it('--ipv6 traces the flow `expect ... ipv6` does, with IPv6 headers', () => {
      const record = checked('expect web -> api ipv6 tcp 443 reachable');
      const run = json(vnet('trace', withExpectation(''), '--from', 'web', '--to', 'api', '--protocol', 'tcp', '--port', '443', '--ipv6', '--json'));
      assert.equal(run.query.ipv6, true);
      assert.match(run.flow.srcIp, /^2600:1f18:abcd:10::5$/);
      assert.deepEqual([run.verdict, run.code, run.hops], [record.actual, record.code, record.hops]);
      const v4 = json(vnet('trace', DUAL, '--from', 'web', '--to', 'api', '--protocol', 'tcp', '--port', '443', '--json'));
      assert.equal(v4.flow.srcIp, '10.0.10.5');
    });

    it('--size checks the path MTU as `expect ... size N` does', () => {
      const record = checked('expect web -> api tcp 443 size 9000 reachable');
      const run = json(vnet('trace', withExpectation(''), '--from', 'web', '--to', 'api', '--protocol', 'tcp', '--port', '443', '--size', '9000', '--json'));
      assert.equal(run.query.size, 9000);
      assert.deepEqual([run.verdict, run.code, run.hops], [record.actual, record.code, record.hops]);
      assert.equal(json(vnet('trace', DUAL, '--from', 'web', '--to', 'api', '--protocol', 'tcp', '--port', '443', '--json')).query.size, null);
    });

    describe('IPv6 site and internet hosts (the same endpoint text as expect)', () => {
      const SITE6 = 'test/language/fixtures/site-ipv6.vnet';
      const trace = (file: string, from: string, to: string, ...more: string[]) =>
        vnet('trace', file, '--from', from, '--to', to, '--protocol', 'tcp', '--port', '443', ...more);

      it('checks the network: no diagnostic, every expectation holds', () => {
        const run = vnet('check', SITE6);
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /0 errors, 0 warnings; expectations holding: 3 of 3/);
      });

      it('--from a site host declared with an IPv6 address, qualified or bare, traces the IPv6 flow expect traces', () => {
        const report = json(vnet('check', SITE6, '--json'));
        const record = report.expectations.find((e: any) => e.source === 'office.pc6');
        for (const from of ['office.pc6', 'pc6']) {
          const run = json(trace(SITE6, from, 'web', '--ipv6', '--json'));
          assert.deepEqual([run.flow.srcIp, run.flow.dstIp], ['2001:db8:100::20', '2600:1f18:abcd:2::10'], from);
          assert.deepEqual([run.verdict, run.code, run.hops], [record.actual, record.code, record.hops], from);
        }
      });

      it('--to an IPv6 site host and --from an IPv6 internet host', () => {
        const back = json(trace(SITE6, 'web', 'office.pc6', '--ipv6', '--json'));
        assert.deepEqual([back.flow.dstIp, back.verdict], ['2001:db8:100::20', 'reachable']);
        const viewer = trace(SITE6, 'viewer6', 'web');
        assert.equal(viewer.status, 0, viewer.stdout + viewer.stderr);
        assert.match(viewer.stdout, /^flow: tcp 2001:db8:60::7:\d+ → 2600:1f18:abcd:2::10:443/);
      });

      it('exits 2 for a bare name an IPv6 site host shares with an instance, naming both', () => {
        const file = join(scratch, 'site-ipv6-ambiguous.vnet');
        writeFileSync(file, readFileSync(join(ROOT, SITE6), 'utf8').replace('host pc6 2001:db8:100::20', 'host web 2001:db8:100::20'));
        const run = trace(file, 'web', '8.8.8.8');
        assert.equal(run.status, 2);
        assert.match(run.stderr, /^vnet: --from web: web is ambiguous: shop\.web, office\.web; qualify it/);
        assert.equal(trace(file, 'office.web', 'shop.web', '--ipv6').status, 0);
      });
    });

    it('--help documents the zone, --ipv6 and --size', () => {
      const help = vnet('--help').stdout;
      assert.match(help, /--to "nlb in us-east-1b"/);
      assert.match(help, /--ipv6/);
      assert.match(help, /--size N/);
      assert.match(help, /A host declared with an IPv6 address makes the flow IPv6/);
    });
  });
});
