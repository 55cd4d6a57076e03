/**
 * Times the engine alone, in process, on the models bench/engine-models.ts wrote, for one or more
 * engine builds side by side (interleaved per iteration, so each build sees the same machine load):
 *   node --require ./polyfill.cjs --import tsx bench/engine-time.ts [--runs N] [--models DIR] ENGINE_DIR...
 * e.g. `… engine-time.ts engine /work/perf-base/engine`. Per build and topology: compile(), the
 * verdict-only traces of every expectation (what analyze() does after compiling), and analyze();
 * medians and p90 of N runs, the ratio to the first build, and the load average before and after.
 * Before timing, every build's full analysis (verdicts, codes, reasons, hops with headers, as JSON)
 * must equal the first build's, else it stops: a faster engine that changes an answer is no gain.
 * Add --cpu-prof to node's flags to profile (timings are reported, never asserted).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { NetworkModel } from '../engine/model.js';
import { percentile } from './stats.js';

interface Build {
  dir: string;
  analyze: (model: NetworkModel) => { results: { result: unknown; holds: boolean }[] };
  compile: (model: NetworkModel) => unknown;
  walk: (network: unknown, query: unknown, record: boolean) => { verdict: string };
}

const args = process.argv.slice(2);
let runs = 40;
let modelsDir = '/tmp/vnet-models';
const dirs: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--models') modelsDir = args[++i]!;
  else dirs.push(resolve(args[i]!));
}
if (dirs.length === 0) dirs.push(resolve('engine'));

const builds: Build[] = [];
for (const dir of dirs) {
  if (dir.endsWith('.mjs')) {
    // A bundle (esbuild) exporting analyze, compile and walk.ts's trace as walkTrace: profiles then
    // point at the bundle's lines, which tsx's on-the-fly transform does not give.
    const bundle = await import(pathToFileURL(dir).href);
    builds.push({ dir, analyze: bundle.analyze, compile: bundle.compile, walk: bundle.walkTrace });
    continue;
  }
  const index = await import(pathToFileURL(`${dir}/index.ts`).href);
  const walkModule = await import(pathToFileURL(`${dir}/walk.ts`).href);
  builds.push({ dir, analyze: index.analyze, compile: index.compile, walk: walkModule.trace });
}

function queries(model: NetworkModel) {
  return model.expectations.map((e) => {
    const q: Record<string, unknown> = {
      source: e.source, destination: e.destination, protocol: e.protocol, port: e.port, fromPort: e.fromPort, size: e.size,
    };
    if (e.family === 4 || e.family === 6) q.family = e.family;
    return q;
  });
}

const load0 = loadavg();
for (const topology of ['estate', 'hybrid']) {
  const model = JSON.parse(readFileSync(`${modelsDir}/${topology}.json`, 'utf8')) as NetworkModel;
  const qs = queries(model);
  // Same answers, hops included, before any timing.
  const reference = JSON.stringify(builds[0]!.analyze(model).results.map((r) => r.result));
  for (const b of builds.slice(1)) {
    const other = JSON.stringify(b.analyze(model).results.map((r) => r.result));
    if (other !== reference) throw new Error(`${b.dir} answers differently from ${builds[0]!.dir} on ${topology}`);
  }
  const times = builds.map(() => ({ compile: [] as number[], traces: [] as number[], analyze: [] as number[] }));
  for (let r = 0; r < runs; r++) {
    // Alternate the order too, so neither build always runs right after the other's garbage.
    const order = r % 2 === 0 ? builds.map((_, i) => i) : builds.map((_, i) => builds.length - 1 - i);
    for (const i of order) {
      const b = builds[i]!;
      let t = performance.now();
      const network = b.compile(model);
      times[i]!.compile.push(performance.now() - t);
      t = performance.now();
      for (const q of qs) b.walk(network, q, false);
      times[i]!.traces.push(performance.now() - t);
      t = performance.now();
      b.analyze(model);
      times[i]!.analyze.push(performance.now() - t);
    }
  }
  console.log(`\n${topology}: ${model.vpcs.length} VPCs, ${qs.length} expectations, ${runs} runs (median / p90 ms, ratio of medians to the first)`);
  for (const [i, b] of builds.entries()) {
    const cell = (k: 'compile' | 'traces' | 'analyze') => {
      const m = percentile(times[i]![k], 50);
      const ratio = m / percentile(times[0]![k], 50);
      return `${k} ${m.toFixed(1)} / ${percentile(times[i]![k], 90).toFixed(1)}${i > 0 ? ` (${ratio.toFixed(2)}×)` : ''}`;
    };
    console.log(`  ${b.dir}: ${cell('compile')}  ${cell('traces')}  ${cell('analyze')}`);
  }
}
console.log(`\nload average before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
