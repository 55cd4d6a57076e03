/**
 * `vnet check` and `vnet trace` (contract: shared/vnet-language.md, "CLI contract").
 *
 * Exit status: 0 when all is well, 1 when an error diagnostic exists or an expectation fails (check)
 * or the packet is dropped (trace), 2 for a usage or file error — reported as one line on stderr,
 * never a stack trace.
 */
import { renderTraceText } from '../engine/render.js';
import { trace, type EndpointRef, type TraceQuery, type TraceResult } from '../engine/index.js';
import { impliesIpv6, ipv6Problem, resolveEndpointText } from '../language/vnet-trace-endpoints.js';
import packageJson from '../package.json' with { type: 'json' };
import { parseArgs, USAGE, UsageError, type Command } from './args.js';
import { collectFiles, FileError } from './files.js';
import {
  checkStatus, diagnosticRecord, expectationRecord, renderCheckText,
  type CheckReport, type DiagnosticRecord,
} from './report.js';
import { loadWorkspace, type LoadedWorkspace } from './workspace.js';

type Trace = Extract<Command, { kind: 'trace' }>;

let jsonRequested = false;

async function main(argv: readonly string[]): Promise<number> {
  jsonRequested = argv.includes('--json');
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`vnet ${packageJson.version}\n`);
      return 0;
    case 'check':
    case 'trace': {
      let files;
      try {
        files = collectFiles(command.paths);
      } catch (error) {
        if (error instanceof FileError) return fail(error.message);
        throw error;
      }
      const workspace = await loadWorkspace(files);
      return command.kind === 'check' ? check(workspace, command.json) : runTrace(workspace, command);
    }
  }
}

function check(workspace: LoadedWorkspace, json: boolean): number {
  const report: CheckReport = {
    diagnostics: diagnosticsOf(workspace),
    expectations: workspace.analysis.results.flatMap((r) => {
      const file = r.expectation.origin && workspace.fileOf(r.expectation.origin.uri);
      return file ? [expectationRecord(file.display, r)] : [];
    }),
  };
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : renderCheckText(report));
  return checkStatus(report);
}

function runTrace(workspace: LoadedWorkspace, command: Trace): number {
  const source = endpoint(workspace, command.from, '--from', 'source');
  const destination = endpoint(workspace, command.to, '--to', 'destination');
  if (typeof source === 'string') return fail(source);
  if (typeof destination === 'string') return fail(destination);
  const family = familyProblem(workspace, command, source, destination);
  if (family) return fail(family);
  const query: TraceQuery = { source, destination, protocol: command.protocol, port: command.port, fromPort: command.fromPort };
  if (command.size !== undefined) query.size = command.size;
  if (command.ipv6) query.family = 6;
  const result: TraceResult = trace(workspace.analysis.network, query);
  const diagnostics = diagnosticsOf(workspace);
  if (command.json) {
    const echoed = {
      from: command.from, to: command.to, protocol: command.protocol,
      port: command.port ?? null, fromPort: command.fromPort ?? null,
      size: command.size ?? null, ipv6: command.ipv6,
    };
    process.stdout.write(`${JSON.stringify({ query: echoed, ...result, diagnostics }, null, 2)}\n`);
  } else {
    // The path is only as good as the network it ran on: say so when the files have errors.
    for (const d of diagnostics.filter((x) => x.severity === 'error')) {
      process.stderr.write(`${d.file}:${d.line}:${d.column} ${d.severity}${d.code === null ? '' : ` ${d.code}`} ${d.message}\n`);
    }
    process.stdout.write(withNewline(renderTraceText(result)));
  }
  return result.verdict === 'reachable' ? 0 : 1;
}

/**
 * An IPv6 trace (--ipv6, or an IPv6 address or host at one end) whose other end has no IPv6 address
 * is a usage error, as EXPECT_IPV6_NO_ADDRESS is for `expect`: it could only fail, and say less.
 */
function familyProblem(workspace: LoadedWorkspace, command: Trace, source: EndpointRef, destination: EndpointRef): string | undefined {
  const network = workspace.analysis.network;
  const ends = [['--from', command.from, source], ['--to', command.to, destination]] as const;
  const implying = command.ipv6 ? undefined : ends.find(([, , ref]) => impliesIpv6(network, ref));
  if (!command.ipv6 && !implying) return undefined;
  for (const [option, text, ref] of ends) {
    if (implying && ref === implying[2]) continue;
    const problem = ipv6Problem(network, ref);
    if (problem) {
      const why = implying ? `${implying[0]} ${implying[1]} is IPv6, so this is an IPv6 trace` : '--ipv6 makes this an IPv6 trace';
      return `${option} ${text}: ${why}, but ${problem}.`;
    }
  }
  return undefined;
}

function endpoint(workspace: LoadedWorkspace, text: string, option: string, role: 'source' | 'destination'): EndpointRef | string {
  const resolved = resolveEndpointText(workspace.analysis.network, text, role);
  return 'error' in resolved ? `${option} ${text}: ${resolved.error}` : resolved;
}

function diagnosticsOf(workspace: LoadedWorkspace): DiagnosticRecord[] {
  return workspace.diagnostics.flatMap(({ file, diagnostics }) => diagnostics.map((d) => diagnosticRecord(file.display, d)));
}

/**
 * A usage or file error: one line on stderr; with --json, stdout still holds one JSON object
 * (`{"error": ...}`) so that scripts parsing it never meet an empty stream.
 */
function fail(message: string): number {
  process.stderr.write(`vnet: ${message}\n`);
  if (jsonRequested) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  return 2;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

// `vnet check samples | head` closes the pipe early: stop quietly, as command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; },
  (error: unknown) => {
    // Not the user's fault: one line, with the stack only on request.
    const detail = process.env.VNET_DEBUG && error instanceof Error ? error.stack : String(error instanceof Error ? error.message : error);
    process.stderr.write(`vnet: internal error: ${detail}${process.env.VNET_DEBUG ? '' : ' (set VNET_DEBUG=1 for details)'}\n`);
    if (jsonRequested) process.stdout.write(`${JSON.stringify({ error: `internal error: ${error instanceof Error ? error.message : String(error)}` })}\n`);
    process.exitCode = 2;
  },
);
