/**
 * Command-line arguments of `vnet`. Parsing never throws: a mistake yields a `UsageError`
 * whose message is the one line printed on stderr (exit status 2).
 */
import type { Protocol } from '../engine/model.js';

export type Command =
  | { kind: 'help'; topic?: 'check' | 'trace' }
  | { kind: 'version' }
  | { kind: 'check'; paths: string[]; json: boolean }
  | {
    kind: 'trace'; paths: string[]; json: boolean;
    from: string; to: string; protocol: Protocol; port?: number; fromPort?: number;
    /** Packet size in bytes for the path-MTU check (`--size`, as `expect ... size N`). */
    size?: number;
    /** `--ipv6`: an IPv6 flow (as `expect ... ipv6`): instances, load balancers and endpoints use their IPv6 addresses. */
    ipv6: boolean;
  };

export class UsageError extends Error {}

export const USAGE = `Usage:
  vnet check <path>... [--json]
  vnet trace <path>... --from <endpoint> --to <endpoint> --protocol tcp|udp|icmp|all [--port N] [--from-port N]
             [--size N] [--ipv6] [--json]
  vnet --help | --version

Paths are .vnet files or directories (searched recursively for *.vnet); together they form one workspace.

check   prints every diagnostic and the verdict of every expect statement.
        Exit status: 0 when there is no error and every expectation holds, 1 otherwise, 2 on a usage or file error.
trace   prints the hop-by-hop path of one packet, with its headers at every hop.
        Endpoints: an instance (web or shop.web), an internet host, a host of an on-premises site or
        an SDDC segment (office.pc), a load balancer or interface endpoint (shop.nlb), s3 or dynamodb,
        an IPv4 or IPv6 address, or internet. A host declared with an IPv6 address makes the flow IPv6.
        --to "nlb in us-east-1b" names the node (or endpoint interface) of one availability zone.
        --size N     packet size in bytes (1-65535) for the path-MTU check, as 'expect ... size N'.
        --ipv6       an IPv6 flow, as 'expect ... ipv6': instances, load balancers and endpoints use
                     their IPv6 addresses (IPv6 literals and hosts make a flow IPv6 without it).
        Exit status: 0 when the packet is delivered and its replies come back, 1 when it is dropped, 2 on a usage or file error.
--json  prints one JSON object on stdout instead of text.`;

const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp', 'icmp', 'all'];
const VALUE_OPTIONS = new Set(['--from', '--to', '--protocol', '--port', '--from-port', '--size']);

export function parseArgs(argv: readonly string[]): Command {
  if (argv.length === 0) throw new UsageError('missing command (try `vnet --help`)');
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return { kind: 'help' };
  if (command === '--version' || command === '-V' || command === 'version') return { kind: 'version' };
  if (command !== 'check' && command !== 'trace') {
    throw new UsageError(command.startsWith('-')
      ? `unknown option ${command} before the command (try \`vnet --help\`)`
      : `unknown command '${command}' (expected check or trace; try \`vnet --help\`)`);
  }

  const paths: string[] = [];
  const values = new Map<string, string>();
  let json = false;
  let ipv6 = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--help' || arg === '-h') return { kind: 'help', topic: command };
    if (arg === '--json') { json = true; continue; }
    if (arg === '--ipv6') {
      if (command === 'check') throw new UsageError('unknown option --ipv6 for vnet check (try `vnet --help`)');
      ipv6 = true;
      continue;
    }
    if (arg === '--') { paths.push(...rest.slice(i + 1)); break; }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (!VALUE_OPTIONS.has(name) || command === 'check') {
        throw new UsageError(`unknown option ${name} for vnet ${command} (try \`vnet --help\`)`);
      }
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < rest.length && !rest[i + 1].startsWith('--')) value = rest[++i];
      if (value === undefined || value === '') throw new UsageError(`option ${name} needs a value`);
      if (values.has(name)) throw new UsageError(`option ${name} given twice`);
      values.set(name, value);
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg} (try \`vnet --help\`)`);
    paths.push(arg);
  }
  if (paths.length === 0) throw new UsageError(`vnet ${command} needs at least one .vnet file or directory`);
  if (command === 'check') return { kind: 'check', paths, json };

  const from = values.get('--from');
  const to = values.get('--to');
  const protocolText = values.get('--protocol');
  if (from === undefined) throw new UsageError('vnet trace needs --from <endpoint>');
  if (to === undefined) throw new UsageError('vnet trace needs --to <endpoint>');
  if (protocolText === undefined) throw new UsageError('vnet trace needs --protocol tcp|udp|icmp|all');
  const protocol = PROTOCOLS.find((p) => p === protocolText.toLowerCase());
  if (!protocol) throw new UsageError(`unknown protocol '${protocolText}' (expected tcp, udp, icmp or all)`);
  const port = parsePort(values.get('--port'), '--port');
  const fromPort = parsePort(values.get('--from-port'), '--from-port');
  if ((protocol === 'tcp' || protocol === 'udp') && port === undefined) {
    throw new UsageError(`vnet trace needs --port for ${protocol}`);
  }
  if ((protocol === 'icmp' || protocol === 'all') && port !== undefined) {
    throw new UsageError(`--port does not apply to ${protocol}`);
  }
  const size = parseSize(values.get('--size'));
  return { kind: 'trace', paths, json, from, to, protocol, port, fromPort, ...(size === undefined ? {} : { size }), ipv6 };
}

/** 1-65535 bytes, as `expect ... size N` (SIZE_OUT_OF_RANGE in the language). */
function parseSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError(`--size must be a packet size from 1 to 65535 bytes, not '${text}'`);
  }
  return Number(text);
}

function parsePort(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`${option} must be a port number from 0 to 65535, not '${text}'`);
  }
  return Number(text);
}
