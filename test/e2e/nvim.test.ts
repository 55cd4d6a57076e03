/**
 * A real editor as the client: headless Neovim 0.7 attaches to the bundled server, opens a file,
 * and gets its diagnostics, a hover with headers and a `vnet/packetPath` answer
 * (shared/reference/langium-and-vscode.md §3.4). Neovim must be installed (CI installs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBundles, ROOT, SERVER_BUNDLE } from '../cli/bundles.js';

const FILE = join(ROOT, 'test/fixtures/broken/acl-return.vnet');
const EXPECT = 'expect client -> web tcp 443 reachable';

function findNvim(): string {
  const which = spawnSync('sh', ['-c', 'command -v nvim'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  assert.ok(which.status === 0 && path, 'Neovim (nvim) is not installed: install it (e.g. `apt-get install neovim`) to run this end-to-end test');
  return path;
}

describe('Neovim as a client of the language server', function () {
  this.timeout(90000);
  let scratch: string;
  before(() => {
    ensureBundles();
    scratch = mkdtempSync(join(tmpdir(), 'vnet-nvim-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('gets diagnostics with codes, a hover with the headers and the packet path', () => {
    const nvim = findNvim();
    const out = join(scratch, 'result.json');
    const run = spawnSync(nvim, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(ROOT, 'test/e2e/nvim-client.lua')}`], {
      env: { ...process.env, VNET_NODE: process.execPath, VNET_SERVER: SERVER_BUNDLE, VNET_FILE: FILE, VNET_OUT: out, VNET_EXPECT: EXPECT },
      encoding: 'utf8',
      timeout: 80000,
    });
    assert.equal(run.status, 0, `nvim exited with ${run.status}: ${run.stderr}`);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(result.steps, ['attached', 'diagnostics', 'hover', 'packetPath']);

    const expectLine = readFileSync(FILE, 'utf8').split('\n').findIndex((l) => l.includes(EXPECT));
    const error = result.diagnostics.find((d: { line: number; severity: number }) => d.line === expectLine && d.severity === 1);
    assert.ok(error, JSON.stringify(result.diagnostics));
    assert.equal(error.code, 'SUBNET_ACL_RESTRICTION');

    assert.equal(typeof result.hover, 'string', result.hover_error);
    assert.match(result.hover, /shop\.edge/);
    assert.match(result.hover, /54\.0\.0\.10/);
    assert.match(result.hover, /10\.0\.0\.10/);

    assert.ok(result.packetPath, result.packetPath_error);
    assert.equal(result.packetPath.expectation.text, EXPECT);
    assert.equal(result.packetPath.result.code, 'SUBNET_ACL_RESTRICTION');
    assert.equal(result.packetPath.result.direction, 'return');
    assert.ok(result.packetPath.analysisVersion >= 1);
  });
});
