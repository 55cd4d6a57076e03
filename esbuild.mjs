// Bundles the language server, the VS Code extension, the CLI and (when present) the packet path
// webview. `node esbuild.mjs` builds for development (sourcemaps), `--production` minifies,
// `--watch` rebuilds on change.
//
// Node bundles are CommonJS with a `.cjs` extension: the VS Code extension host loads CommonJS,
// Langium is ESM-only (bundling solves that), and package.json says "type": "module".
// See ../shared/reference/langium-and-vscode.md §1.7.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Chevrotain 13 (used by Langium 4.4) calls Object.groupBy, which Node 20 lacks: the server and
// the CLI carry the polyfill at the very top of the bundle (polyfill.cjs explains).
const polyfill = readFileSync(join(root, 'polyfill.cjs'), 'utf8');

/** @type {import('esbuild').BuildOptions} */
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...node,
    entryPoints: { 'language/main': 'server/main.ts' },
    outdir: 'out',
    banner: { js: polyfill },
  },
  {
    ...node,
    entryPoints: { 'extension/main': 'extension/main.ts' },
    outdir: 'out',
    external: ['vscode'],
  },
  {
    ...node,
    entryPoints: { 'cli/main': 'cli/main.ts' },
    outdir: 'out',
    banner: { js: polyfill },
  },
];

// The webview is written by another part of the project; the build works before and after it exists.
if (existsSync(join(root, 'extension/webview/main.ts'))) {
  builds.push({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: { main: 'extension/webview/main.ts' },
    outdir: 'out/webview',
    // CSS imported by the webview script is emitted beside it as out/webview/main.css.
    loader: { '.css': 'css' },
    sourcemap: production ? false : 'inline',
    minify: production,
    logLevel: 'warning',
    absWorkingDir: root,
  });
}

/**
 * Stylesheets of the webview that its script does not import are served as they are: copied to
 * out/webview/ unless the bundle already wrote a file of that name.
 */
function copyWebviewStyles(bundled) {
  const dir = join(root, 'extension/webview');
  if (!existsSync(dir)) return;
  mkdirSync(join(root, 'out/webview'), { recursive: true });
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.css') && !bundled.has(file)) {
      copyFileSync(join(dir, file), join(root, 'out/webview', file));
    }
  }
}

/** Names of the files the webview bundle wrote (e.g. main.css when the script imports CSS). */
function webviewOutputs(results) {
  const names = new Set();
  for (const result of results) {
    for (const path of Object.keys(result.metafile?.outputs ?? {})) {
      if (path.startsWith('out/webview/')) names.add(path.slice('out/webview/'.length));
    }
  }
  return names;
}

for (const options of builds) options.metafile = true;

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  // esbuild writes out/webview/main.css itself when the script imports CSS; never overwrite it.
  copyWebviewStyles(new Set(['main.css']));
  console.log('esbuild: watching for changes');
} else {
  const started = Date.now();
  // Every bundle is attempted; esbuild has printed the errors of those that failed.
  const settled = await Promise.allSettled(builds.map((options) => esbuild.build(options)));
  const failed = settled.filter((s) => s.status === 'rejected').length;
  copyWebviewStyles(webviewOutputs(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))));
  if (failed > 0) {
    console.error(`esbuild: ${failed} of ${builds.length} bundles failed`);
    process.exitCode = 1;
  } else {
    console.log(`esbuild: ${builds.length} bundles (${production ? 'production' : 'development'}) in ${Date.now() - started} ms`);
  }
}
