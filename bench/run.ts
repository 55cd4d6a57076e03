/**
 * `npm run bench`: how fast the language server answers, measured the way an editor sees it, on two
 * generated workspaces (`--topology estate|hybrid|both`, default both, one after the other):
 * - estate: a multi-account estate of 50 three-tier VPCs (bench/generate.ts);
 * - hybrid: a transit gateway with 100 attachments (98 VPCs, a VPN, a Direct Connect gateway) and
 *   1,000 expectations through it and to on-premises sites (bench/generate-hybrid.ts).
 *
 * 1. Cold build: initialize → every file's first diagnostics published.
 * 2. Edits: one-line changes in one file, alternating between edits that change verdicts and edits
 *    that do not; for each, edit → diagnostics of the edited file, → diagnostics of the other files
 *    whose verdicts change, → `vnet/analysisUpdated` (the whole workspace is analysed).
 * 3. Requests on the settled workspace: hover over an `expect` (the hop table) and `vnet/packetPath`.
 * 4. In the same run, in-process: the language's lowering and the engine's analysis of the same
 *    workspace, so the engine's share of an edit is measured side by side (bench/engine-share.ts).
 *
 * Options: --topology estate|hybrid|both (default both), --vpcs N (estate only, default 50),
 * --edits N (default 60, per topology), --cpu-prof (profile the server process
 * into test-artifacts/bench-profiles/), --json FILE (write the figures), --server FILE (another server
 * bundle), --baseline FILE (a second bundle, e.g. built from an older commit: both servers get every
 * edit in turn, so both are measured under the same machine load, and a side-by-side table gives the
 * ratios).
 * The workspaces are written to bench/workspace/estate/ and bench/workspace/hybrid/ (git-ignored) and
 * left there for inspection.
 * Never used by tests: timings are reported, not asserted.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OPTIONS, editCycle, generateWorkspace, writeWorkspace, type BenchEdit, type GeneratedWorkspace } from './generate.js';
import { generateHybridWorkspace, hybridEditCycle } from './generate-hybrid.js';
import { LspSession } from './lsp-session.js';
import { measureEngineShare, type EngineShare } from './engine-share.js';
import { ms, percentile, table } from './stats.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Args { topology: Topology | 'both'; vpcs: number; edits: number; cpuProf: boolean; json?: string; server?: string; baseline?: string }

function parseArgs(argv: string[]): Args {
  const args: Args = { topology: 'both', vpcs: DEFAULT_OPTIONS.vpcs, edits: 60, cpuProf: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--topology') {
      const t = value();
      if (t !== 'estate' && t !== 'hybrid' && t !== 'both') throw new Error(`--topology is estate, hybrid or both, not ${t}`);
      args.topology = t;
    } else if (a === '--vpcs') args.vpcs = Number(value());
    else if (a === '--edits') args.edits = Number(value());
    else if (a === '--cpu-prof') args.cpuProf = true;
    else if (a === '--json') args.json = value();
    else if (a === '--server') args.server = resolve(value());
    else if (a === '--baseline') args.baseline = resolve(value());
    else throw new Error(`unknown option ${a} (options: --topology estate|hybrid|both, --vpcs N, --edits N, --cpu-prof, --json FILE, --server FILE, --baseline FILE)`);
  }
  if (!(args.vpcs >= 2) || !(args.edits >= 4)) throw new Error('--vpcs must be at least 2 and --edits at least 4');
  return args;
}

const errorsOf = (diags: { severity?: number }[] | undefined) => (diags ?? []).filter((d) => d.severity === 1).length;

interface EditSample {
  edit: BenchEdit;
  /** Edit sent → the edited file's diagnostics published. */
  file: number;
  /** Edit sent → the diagnostics of every file whose verdicts change published (= file when none). */
  affected: number;
  /** Edit sent → `vnet/analysisUpdated` (whole workspace analysed and published). */
  analysed: number;
  errorsBefore: number;
  errorsAfter: number;
  /** The diagnostics agree with what the edit should do to verdicts. */
  consistent: boolean;
}

/** One server bundle driven through the benchmark: its session, the texts it has, what it measured. */
class ServerRun {
  readonly session: LspSession;
  readonly texts: Map<string, string>;
  readonly uris: string[];
  samples: EditSample[] = [];
  readonly hovers: number[] = [];
  readonly paths: number[] = [];
  cold = NaN;
  coldAnalysed = NaN;
  baselineErrors = 0;
  baselineMessages: string[] = [];

  constructor(readonly label: string, readonly serverPath: string, dir: string, files: { name: string; text: string }[], nodeFlags: string[]) {
    this.session = new LspSession({ serverPath, workspaceDir: dir, nodeFlags });
    this.texts = new Map(files.map((f) => [f.name, f.text]));
    this.uris = files.map((f) => this.session.uriOf(f.name));
  }

  /**
   * Like VS Code restoring an editor: initialize, then open one file at once. (The server
   * validates every file of the folder in its first build (VnetWorkspaceManager), so most files'
   * diagnostics arrive before the didOpen is answered; with Langium's default initialBuildOptions
   * nothing would be published until the first didOpen.) Then every file to be edited is opened.
   */
  async start(toOpen: string[]): Promise<void> {
    const { session, uris, texts } = this;
    const t0 = performance.now();
    await session.initialize();
    await session.open(toOpen[0]!, texts.get(toOpen[0]!)!);
    const seen = new Set<string>();
    await session.waitFor(() => {
      for (const p of session.published) seen.add(p.uri);
      return uris.every((u) => seen.has(u));
    }, 600_000, `diagnostics for all ${uris.length} files`);
    this.cold = Math.max(...uris.map((u) => session.published.find((p) => p.uri === u)!.at)) - t0;
    await session.waitFor(() => session.analysed.length > 0, 600_000, 'vnet/analysisUpdated after the cold build');
    this.coldAnalysed = session.analysed[session.analysed.length - 1]!.at - t0;
    await session.settle(500);
    this.baselineErrors = uris.reduce((n, u) => n + errorsOf(session.diagnostics.get(u)), 0);
    this.baselineMessages = uris.flatMap((u) => (session.diagnostics.get(u) ?? []).filter((d) => d.severity === 1)
      .map((d) => `${u.slice(u.lastIndexOf('/') + 1)}:${d.range.start.line + 1}: ${(typeof d.message === 'string' ? d.message : d.message.value).split('\n')[0]}`));

    // An editor sends didOpen before editing; open every file we edit and let the server settle.
    for (const name of toOpen.slice(1)) await session.open(name, texts.get(name)!);
    await session.settle(1000);
  }

  async edit(edit: BenchEdit): Promise<EditSample> {
    const { session, texts } = this;
    const text = texts.get(edit.file)!;
    const lines = text.split('\n');
    const line = lines.indexOf(edit.from);
    if (line < 0) throw new Error(`bench edit: line not found in ${edit.file}: ${edit.from}`);
    const uri = session.uriOf(edit.file);
    const affectedUris = edit.affectedFiles.map((f) => session.uriOf(f));
    const errorsBefore = errorsOf(session.diagnostics.get(uri));
    const affectedBefore = affectedUris.map((u) => errorsOf(session.diagnostics.get(u)));
    // Every other file must keep its errors: an edit that changed verdicts elsewhere is not as expected.
    const others = this.uris.filter((u) => !affectedUris.includes(u));
    const othersErrors = () => others.reduce((n, u) => n + errorsOf(session.diagnostics.get(u)), 0);
    const othersBefore = othersErrors();
    const mark = session.published.length;
    const markAnalysed = session.analysed.length;
    const t = performance.now();
    await session.replaceLine(edit.file, line, edit.from, edit.to);
    lines[line] = edit.to;
    texts.set(edit.file, lines.join('\n'));
    const firstAfter = (u: string) => session.published.slice(mark).find((p) => p.uri === u);
    await session.waitFor(() => [uri, ...affectedUris].every((u) => firstAfter(u)) && session.analysed.length > markAnalysed,
      120_000, `diagnostics after editing ${edit.file}`);
    const fileAt = firstAfter(uri)!.at - t;
    const affectedAt = Math.max(fileAt, ...affectedUris.map((u) => firstAfter(u)!.at - t));
    const analysedAt = session.analysed[markAnalysed]!.at - t;
    await session.settle(150);
    const errorsAfter = errorsOf(session.diagnostics.get(uri));
    const affectedAfter = affectedUris.map((u) => errorsOf(session.diagnostics.get(u)));
    const consistent = (edit.changesVerdicts
      ? affectedAfter.every((n, i) => n !== affectedBefore[i])
      : errorsAfter === errorsBefore) && othersErrors() === othersBefore;
    const sample = { edit, file: fileAt, affected: affectedAt, analysed: analysedAt, errorsBefore, errorsAfter, consistent };
    this.samples.push(sample);
    return sample;
  }

  /**
   * Requests on a settled workspace: the hover over an `expect` (its hop table) and the packet
   * path the webview asks for, on every expectation line of two files.
   */
  async requests(names: string[]): Promise<void> {
    const { session } = this;
    for (const name of names) {
      const uri = session.uriOf(name);
      const lines = this.texts.get(name)!.split('\n');
      for (let line = 0; line < lines.length; line++) {
        if (!lines[line]!.startsWith('expect ')) continue;
        const at = { textDocument: { uri }, position: { line, character: 2 } };
        const hover = await session.timedRequest<{ contents?: unknown } | null>('textDocument/hover', at);
        if (!hover.result?.contents) throw new Error(`${this.label}: no hover at ${name}:${line + 1}`);
        this.hovers.push(hover.ms);
        const path = await session.timedRequest<{ result?: unknown } | null>('vnet/packetPath', at);
        if (!path.result?.result) throw new Error(`${this.label}: no packet path at ${name}:${line + 1}`);
        this.paths.push(path.ms);
      }
    }
  }
}

type Topology = 'estate' | 'hybrid';

/** One topology's workspace and edits: the generated files, where they go, what the edits are. */
interface Workload {
  topology: Topology;
  dir: string;
  ws: GeneratedWorkspace;
  edits: BenchEdit[];
}

function workload(topology: Topology, args: Args): Workload {
  const dir = join(root, 'bench/workspace', topology);
  const edits: BenchEdit[] = [];
  let ws: GeneratedWorkspace;
  if (topology === 'estate') {
    ws = generateWorkspace({ ...DEFAULT_OPTIONS, vpcs: args.vpcs });
    // Spread the edits over several files of the workspace.
    const editedVpcs = [3, 17, 31, 45, 9, 24, 38, 0].map((v) => v % args.vpcs);
    for (let cycle = 0; edits.length < args.edits; cycle++) {
      edits.push(...editCycle(editedVpcs[cycle % editedVpcs.length]!, args.vpcs, cycle % 2 === 0 ? 'route' : 'port'));
    }
  } else {
    ws = generateHybridWorkspace();
    // Spokes spread over the gateway; every other cycle edits the gateway's own file (hub.vnet).
    const editedSpokes = [3, 17, 31, 45, 59, 73, 87, 9];
    for (let cycle = 0; edits.length < args.edits; cycle++) {
      edits.push(...hybridEditCycle(editedSpokes[cycle % editedSpokes.length]!, cycle % 2 === 0 ? 'vpc-route' : 'tgw-route'));
    }
  }
  edits.length = args.edits;
  return { topology, dir, ws, edits };
}

interface TopologyResult { work: Workload; runs: ServerRun[]; share: EngineShare; seconds: number }

async function benchTopology(work: Workload, args: Args, serverPath: string): Promise<TopologyResult> {
  const started = performance.now();
  const { dir, ws, edits } = work;
  writeWorkspace(dir, ws);
  const c = ws.counts;
  console.log(`\n==== topology: ${work.topology} ====`);
  console.log(`workspace: ${dir}`);
  console.log(`  ${ws.files.length} files, ${c.lines} lines, ${c.vpcs} VPCs, ${c.subnets} subnets, ${c.instances} instances, `
    + `${c.attachments !== undefined ? `${c.attachments} transit gateway attachments, ` : ''}${c.expectations} expectations`);

  // ---- the engine's share, in process, on the same files -------------------------------------
  console.log('in-process: lowering + analysis of the same workspace ...');
  const share = await measureEngineShare(ws.files.map((f) => ({ path: join(dir, f.name), text: f.text })));

  // ---- the real server(s) over stdio -----------------------------------------------------------
  const profDir = join(root, 'test-artifacts/bench-profiles');
  if (args.cpuProf) mkdirSync(profDir, { recursive: true });
  const nodeFlags = args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const runs = [new ServerRun('server', serverPath, dir, ws.files, nodeFlags)];
  if (args.baseline) runs.push(new ServerRun('baseline', args.baseline, dir, ws.files, nodeFlags));
  const toOpen = [...new Set(edits.map((e) => e.file))];

  try {
    for (const run of runs) {
      console.log(`${run.label}: initialize + open one file → first diagnostics of every file ...`);
      await run.start(toOpen);
    }
    // With a baseline, each edit goes to one server and then the other: both see the same load.
    console.log(`${runs.map((r) => r.label).join(' and ')}: ${edits.length} edits${runs.length > 1 ? ', interleaved' : ''} ...`);
    for (const edit of edits) {
      for (const run of runs) process.stdout.write((await run.edit(edit)).consistent ? '.' : '!');
    }
    process.stdout.write('\n');
    console.log('hovers and vnet/packetPath on expect lines ...');
    for (const run of runs) await run.requests(toOpen.slice(0, 2));
  } finally {
    for (const run of runs) await run.session.close();
  }

  for (const run of runs) report(run, share, work.topology);
  if (runs.length > 1) compare(runs[0]!, runs[1]!);
  return { work, runs, share, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const serverPath = args.server ?? join(root, 'out/language/main.cjs');
  for (const path of [serverPath, args.baseline]) {
    if (path && !existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, `
    + `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const topologies: Topology[] = args.topology === 'both' ? ['estate', 'hybrid'] : [args.topology];
  const results: TopologyResult[] = [];
  for (const topology of topologies) results.push(await benchTopology(workload(topology, args), args, serverPath));

  console.log('\nSummary (server)');
  console.log(table(['topology', 'cold', 'edit p50', 'edit p95', 'analysisUpdated p95', 'engine p50', 'engine share', 'not as expected', 'took'],
    results.map(({ work, runs, share, seconds }) => {
      const s = runs[0]!.samples;
      const p50 = percentile(s.map((x) => x.file), 50);
      const engine = percentile(share.analyse, 50);
      return [work.topology, ms(runs[0]!.cold), ms(p50), ms(percentile(s.map((x) => x.file), 95)),
        ms(percentile(s.map((x) => x.analysed), 95)), ms(engine), `${(100 * engine / p50).toFixed(0)} %`,
        `${s.filter((x) => !x.consistent).length} of ${s.length}`, `${seconds.toFixed(0)} s`];
    })));
  console.log(`load average now: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  // Correctness, not speed: a generated workspace that is not clean, an engine that disagrees with
  // the generator, or an edit whose diagnostics are not what it should produce fails the run.
  const wrong = results.flatMap(({ work, runs, share }) => [
    ...(share.holding !== share.expectations ? [`${work.topology}: ${share.expectations - share.holding} expectations do not hold`] : []),
    ...runs.flatMap((run) => [
      ...(run.baselineErrors > 0 ? [`${work.topology}/${run.label}: ${run.baselineErrors} error diagnostics before any edit`] : []),
      ...(run.samples.some((s) => !s.consistent) ? [`${work.topology}/${run.label}: ${run.samples.filter((s) => !s.consistent).length} edits not as expected`] : []),
    ]),
  ]);
  for (const w of wrong) console.error(`bench: ${w}`);
  if (wrong.length > 0) process.exitCode = 1;

  if (args.json) {
    writeFileSync(args.json, JSON.stringify({
      date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, loadavg: loadavg(),
      topologies: results.map(({ work, runs, share, seconds }) => ({
        topology: work.topology, seconds,
        workspace: { ...work.ws.counts, files: work.ws.files.length },
        servers: runs.map((run) => ({
          label: run.label, server: relative(root, run.serverPath),
          cold: run.cold, coldAnalysed: run.coldAnalysed, baselineErrors: run.baselineErrors,
          edits: run.samples.map((s) => ({ file: s.edit.file, to: s.edit.to.trim(), changesVerdicts: s.edit.changesVerdicts,
            fileMs: s.file, affectedMs: s.affected, analysedMs: s.analysed, consistent: s.consistent })),
          hoverMs: run.hovers, packetPathMs: run.paths,
        })),
        inProcess: share,
      })),
    }, null, 2));
    console.log(`figures written to ${args.json}`);
  }
}

const row = (name: string, xs: number[]) => [name, String(xs.length), ms(percentile(xs, 50)), ms(percentile(xs, 95)), ms(Math.max(...xs))];

function report(run: ServerRun, share: EngineShare, topology: Topology): void {
  const { samples } = run;
  const changing = samples.filter((s) => s.edit.changesVerdicts);
  const keeping = samples.filter((s) => !s.edit.changesVerdicts);
  console.log(`\nLanguage server, ${topology} topology: ${run.label} (${relative(root, run.serverPath)} over stdio)`);
  console.log(table(['measure', 'n', 'p50', 'p95', 'max'], [
    ['cold: initialize → all files\' diagnostics', '1', ms(run.cold), '', ''],
    ['cold: initialize → last vnet/analysisUpdated', '1', ms(run.coldAnalysed), '', ''],
    row('edit → edited file\'s diagnostics', samples.map((s) => s.file)),
    row('  edits that change verdicts', changing.map((s) => s.file)),
    row('  edits that keep verdicts', keeping.map((s) => s.file)),
    ...[...new Set(samples.map((s) => s.edit.kind))].map((kind) =>
      row(`  edits of ${kind}`, samples.filter((s) => s.edit.kind === kind).map((s) => s.file))),
    row('edit → affected files\' diagnostics', samples.map((s) => s.affected)),
    row('edit → vnet/analysisUpdated', samples.map((s) => s.analysed)),
    row('hover over an expect (hop table)', run.hovers),
    row('vnet/packetPath of an expect', run.paths),
  ]));

  const p50 = percentile(samples.map((s) => s.file), 50);
  if (run.label === 'server') {
    console.log('\nIn process, same workspace, the work tree\'s language and engine (bench/engine-share.ts)');
    console.log(table(['measure', 'n', 'p50', 'p95', 'max'], [
      row('full build: parse, link, validate, analyse', share.build),
      row('lowering AST → network model, all files', share.lower),
      row('lowering AST → network model, one file', share.lowerOne),
      row('engine: analyse every expectation', share.analyse),
    ]));
    console.log(`engine verdicts: ${share.holding} of ${share.expectations} expectations hold`);
  }
  const engine = percentile(share.analyse, 50);
  const lowerOne = percentile(share.lowerOne, 50);
  console.log(`engine share of an edit (p50 engine / p50 edit → diagnostics): ${ms(engine)} / ${ms(p50)} = ${(100 * engine / p50).toFixed(0)} %`);
  console.log(`lowering of the edited file + engine share: ${ms(lowerOne + engine)} / ${ms(p50)} = ${(100 * (lowerOne + engine) / p50).toFixed(0)} %`);

  const inconsistent = samples.filter((s) => !s.consistent);
  console.log(`\nbaseline: ${run.baselineErrors} error diagnostics in the generated workspace (expected 0)`);
  for (const m of run.baselineMessages.slice(0, 10)) console.log(`  ${m}`);
  if (run.baselineMessages.length > 10) console.log(`  ... ${run.baselineMessages.length - 10} more`);
  console.log(`edits whose diagnostics did not change as expected: ${inconsistent.length} of ${samples.length}`);
  for (const s of inconsistent.slice(0, 5)) {
    console.log(`  ${s.edit.file}: "${s.edit.from.trim()}" → "${s.edit.to.trim()}": errors ${s.errorsBefore} → ${s.errorsAfter}`);
  }
  const goal = percentile(samples.map((s) => s.file), 95);
  console.log(`\ngoal p95 ≤ 300 ms (${topology}, ${run.label}): ${goal <= 300 ? 'met' : 'NOT met'} (p95 ${ms(goal)})`);
}

/** Side by side, from the same interleaved run: the server against the baseline. */
function compare(server: ServerRun, baseline: ServerRun): void {
  const line = (name: string, pick: (r: ServerRun) => number[], p: number) => {
    const a = percentile(pick(baseline), p);
    const b = percentile(pick(server), p);
    return [name, ms(a), ms(b), `${(a / b).toFixed(1)}×`];
  };
  const cold = (r: ServerRun) => [r.cold];
  console.log(`\nSide by side (edits interleaved: ${relative(root, baseline.serverPath)} → ${relative(root, server.serverPath)})`);
  console.log(table(['measure', 'baseline', 'server', 'baseline / server'], [
    line('cold: initialize → all files\' diagnostics', cold, 50),
    line('edit → edited file\'s diagnostics, p50', (r) => r.samples.map((s) => s.file), 50),
    line('edit → edited file\'s diagnostics, p95', (r) => r.samples.map((s) => s.file), 95),
    line('edit → affected files\' diagnostics, p50', (r) => r.samples.map((s) => s.affected), 50),
    line('edit → affected files\' diagnostics, p95', (r) => r.samples.map((s) => s.affected), 95),
    line('edit → vnet/analysisUpdated, p50', (r) => r.samples.map((s) => s.analysed), 50),
    line('edit → vnet/analysisUpdated, p95', (r) => r.samples.map((s) => s.analysed), 95),
  ]));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exitCode = 1;
});
