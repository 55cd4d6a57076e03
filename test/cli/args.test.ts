import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../cli/args.js';

function usageError(argv: string[], pattern: RegExp): void {
  assert.throws(() => parseArgs(argv), (error: unknown) => error instanceof UsageError && pattern.test(error.message));
}

describe('vnet command-line arguments', () => {
  it('check takes paths and --json in any order', () => {
    assert.deepEqual(parseArgs(['check', '--json', 'a.vnet', 'dir']), { kind: 'check', paths: ['a.vnet', 'dir'], json: true });
    assert.deepEqual(parseArgs(['check', 'a.vnet']), { kind: 'check', paths: ['a.vnet'], json: false });
  });

  it('trace takes endpoints, protocol and ports as separate or = values', () => {
    assert.deepEqual(
      parseArgs(['trace', 'net', '--from', 'client', '--to=shop.web', '--protocol', 'TCP', '--port', '443', '--from-port=50000']),
      { kind: 'trace', paths: ['net'], json: false, from: 'client', to: 'shop.web', protocol: 'tcp', port: 443, fromPort: 50000, ipv6: false },
    );
    assert.deepEqual(
      parseArgs(['trace', 'net', '--from', 'web', '--to', '8.8.8.8', '--protocol', 'icmp', '--json']),
      { kind: 'trace', paths: ['net'], json: true, from: 'web', to: '8.8.8.8', protocol: 'icmp', port: undefined, fromPort: undefined, ipv6: false },
    );
  });

  it('trace takes --size, --ipv6 and a destination with its zone, as an expect writes them', () => {
    assert.deepEqual(
      parseArgs(['trace', 'net', '--from', 'web', '--to', 'nlb in us-east-1b', '--protocol', 'tcp', '--port', '443', '--size=9000', '--ipv6']),
      { kind: 'trace', paths: ['net'], json: false, from: 'web', to: 'nlb in us-east-1b', protocol: 'tcp', port: 443, fromPort: undefined, size: 9000, ipv6: true },
    );
  });

  it('rejects a size outside 1-65535 bytes and --ipv6 on check', () => {
    for (const size of ['0', '65536', 'big', '-5']) {
      usageError(['trace', 'n', '--from', 'a', '--to', 'b', '--protocol', 'icmp', `--size=${size}`], /--size must be a packet size from 1 to 65535/);
    }
    usageError(['check', 'a.vnet', '--ipv6'], /unknown option --ipv6 for vnet check/);
    usageError(['check', 'a.vnet', '--size', '9000'], /unknown option --size for vnet check/);
  });

  it('help and version need no paths', () => {
    assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseArgs(['check', '--help']), { kind: 'help', topic: 'check' });
    assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
  });

  it('rejects a missing or unknown command', () => {
    usageError([], /missing command/);
    usageError(['lint', 'a.vnet'], /unknown command 'lint'/);
    usageError(['--frobnicate'], /unknown option --frobnicate/);
  });

  it('rejects a command without paths', () => {
    usageError(['check'], /needs at least one/);
    usageError(['check', '--json'], /needs at least one/);
  });

  it('rejects unknown options and trace options on check', () => {
    usageError(['check', 'a.vnet', '--verbose'], /unknown option --verbose/);
    usageError(['check', 'a.vnet', '--from', 'x'], /unknown option --from for vnet check/);
    usageError(['check', 'a.vnet', '-x'], /unknown option -x/);
  });

  it('trace needs --from, --to and --protocol, and a port for tcp and udp only', () => {
    usageError(['trace', 'n', '--to', 'b', '--protocol', 'tcp', '--port', '1'], /needs --from/);
    usageError(['trace', 'n', '--from', 'a', '--protocol', 'tcp', '--port', '1'], /needs --to/);
    usageError(['trace', 'n', '--from', 'a', '--to', 'b'], /needs --protocol/);
    usageError(['trace', 'n', '--from', 'a', '--to', 'b', '--protocol', 'udp'], /needs --port for udp/);
    usageError(['trace', 'n', '--from', 'a', '--to', 'b', '--protocol', 'icmp', '--port', '7'], /does not apply to icmp/);
    usageError(['trace', 'n', '--from', 'a', '--to', 'b', '--protocol', 'gre'], /unknown protocol 'gre'/);
  });

  it('rejects ports that are not numbers from 0 to 65535', () => {
    for (const port of ['65536', 'https', '-1', '4 43', '1e3']) {
      usageError(['trace', 'n', '--from', 'a', '--to', 'b', '--protocol', 'tcp', `--port=${port}`], /--port must be a port number/);
    }
  });

  it('rejects an option without a value or given twice', () => {
    usageError(['trace', 'n', '--from'], /--from needs a value/);
    usageError(['trace', 'n', '--from=', '--to', 'b'], /--from needs a value/);
    usageError(['trace', 'n', '--from', '--to', 'b'], /--from needs a value/);
    usageError(['trace', 'n', '--from', 'a', '--from', 'b'], /--from given twice/);
  });
});
