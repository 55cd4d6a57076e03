/**
 * The tests of the bundled programs (CLI, language server) run what users run: out/*.cjs.
 * `npm test` builds first; when a test file runs alone, the bundles are rebuilt if missing or
 * older than any source file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_BUNDLE = join(ROOT, 'out', 'cli', 'main.cjs');
export const SERVER_BUNDLE = join(ROOT, 'out', 'language', 'main.cjs');

const SOURCE_DIRS = ['engine', 'language', 'server', 'cli', 'extension'];

export function ensureBundles(): void {
  const bundles = [CLI_BUNDLE, SERVER_BUNDLE];
  if (bundles.every(existsSync)) {
    const built = Math.min(...bundles.map((b) => statSync(b).mtimeMs));
    if (newestSource() <= built) return;
  }
  execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'pipe' });
}

function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|langium)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  return newest;
}
