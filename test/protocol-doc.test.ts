/**
 * docs/protocol.md documents server/protocol.ts for other editors' authors. Like rust-analyzer's
 * lsp-extensions.md, it carries a hash of the protocol file: changing the protocol without looking
 * at the document fails here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBundles, SERVER_BUNDLE } from './cli/bundles.js';
import { engineFixtures, SHOP_VNET } from './webview/fixtures.js';

const protocolUrl = new URL('../server/protocol.ts', import.meta.url);
const docUrl = new URL('../docs/protocol.md', import.meta.url);

function protocolHash(): string {
  // Line endings normalised so a checkout with CRLF gives the same hash.
  const text = readFileSync(protocolUrl, 'utf8').replace(/\r\n/g, '\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

describe('docs/protocol.md', () => {
  const doc = readFileSync(docUrl, 'utf8');
  const protocol = readFileSync(protocolUrl, 'utf8');

  it('carries the hash of server/protocol.ts', () => {
    const hash = protocolHash();
    const written = /server\/protocol\.ts hash: ([0-9a-f]+)/.exec(doc)?.[1];
    assert.equal(written, hash,
      `server/protocol.ts changed (its hash is now ${hash}, docs/protocol.md says ${written ?? 'nothing'}). ` +
      `Update docs/protocol.md for the change, then set its line "server/protocol.ts hash: ${hash}".`);
  });

  it('documents every vnet/* method of server/protocol.ts, with its params and result types', () => {
    const methods = [...protocol.matchAll(/method: '(vnet\/[A-Za-z]+)'/g)].map(m => m[1]);
    assert.deepEqual(methods, ['vnet/packetPath', 'vnet/analysisUpdated']);
    for (const method of methods) {
      assert.ok(doc.includes(`## \`${method}\``), `docs/protocol.md has no section "## \`${method}\`"`);
      assert.ok(doc.includes(`"method": "${method}"`), `docs/protocol.md has no JSON example of ${method}`);
    }
    for (const type of protocol.matchAll(/export interface (\w+Params)\b/g)) {
      assert.ok(doc.includes(`interface ${type[1]}`), `docs/protocol.md does not show ${type[1]}`);
    }
    assert.ok(doc.includes('vim.lsp.buf_request(bufnr, \'vnet/packetPath\''), 'a Neovim snippet sending vnet/packetPath');
    assert.ok(doc.includes('[\'vnet/analysisUpdated\'] = function'), 'a Neovim handler for vnet/analysisUpdated');
  });

  it('has JSON examples that parse', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map(m => m[1]);
    assert.ok(blocks.length >= 4);
    for (const block of blocks) assert.doesNotThrow(() => JSON.parse(block), block.slice(0, 80));
  });

  it('shows a vnet/packetPath response the real server gives (for the network of test/webview/fixtures.ts)', async () => {
    const block = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map(m => JSON.parse(m[1]))
      .find(json => json && json.id !== undefined && json.result);
    assert.ok(block, 'a JSON-RPC response example');
    const example = block.result;
    const real = (await engineFixtures()).returnDrop;
    assert.deepEqual(example.expectation, real.expectation);
    const { hops: exampleHops, reason: _reason, ...exampleResult } = example.result;
    const { hops: realHops, reason: _realReason, ...realResult } = real.result;
    assert.deepEqual(exampleResult, realResult);
    const [hop] = exampleHops;
    const last = realHops[realHops.length - 1];
    assert.deepEqual(Object.keys(hop).sort(), Object.keys(last).sort());
    for (const key of ['direction', 'component', 'kind', 'place', 'action', 'code', 'rule', 'origin'] as const) {
      assert.deepEqual(hop[key], last[key], `hop.${key}`);
    }
    const shape = (headers: { kind: string; fields: { name: string }[] }[]) => headers.map(h => [h.kind, h.fields.map(f => f.name)]);
    assert.deepEqual(shape(hop.headersBefore), shape(last.headersBefore));
    assert.deepEqual(shape(hop.headers), shape(last.headers));
  });

  it('has a Neovim snippet that works as written against the real server', function () {
    this.timeout(90_000);
    ensureBundles();
    const which = spawnSync('sh', ['-c', 'command -v nvim'], { encoding: 'utf8' });
    const nvim = which.stdout.trim();
    assert.ok(which.status === 0 && nvim, 'Neovim (nvim) is not installed: install it (apt-get install neovim) to check the snippet');
    const snippet = /## Neovim[\s\S]*?```lua\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(snippet, 'docs/protocol.md has a lua block under "## Neovim"');
    const placeholder = "vim.fn.expand('~/src/vnet/out/language/main.cjs')";
    assert.ok(snippet.includes(placeholder), 'the snippet sets vnet_server');
    const dir = mkdtempSync(join(tmpdir(), 'vnet-doc-nvim-'));
    try {
      const file = join(dir, 'shop.vnet');
      writeFileSync(file, SHOP_VNET);
      const out = join(dir, 'result.json');
      // The snippet as written (server path filled in), then a driver: open the file, wait for an
      // analysis, run the code lens command, capture the floating window's lines.
      const script = snippet.replace(placeholder, JSON.stringify(SERVER_BUNDLE)) + `
local result = {}
local ok, err = pcall(function()
  local captured
  vim.lsp.util.open_floating_preview = function(lines) captured = lines end
  vim.cmd('edit ' .. vim.fn.fnameescape(${JSON.stringify(file)}))
  vim.bo.filetype = 'vnet'
  assert(vim.wait(60000, function() return vim.g.vnet_analysis_version ~= nil end, 50), 'no vnet/analysisUpdated')
  local line
  for i, text in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    if text:find('expect client -> web', 1, true) then line = i - 1 break end
  end
  vim.lsp.commands['vnet.showPacketPath']({ arguments = { vim.uri_from_bufnr(0), { line = line, character = 0 } } })
  assert(vim.wait(60000, function() return captured ~= nil end, 50), 'no packet path shown')
  result.lines = captured
  result.analysisVersion = vim.g.vnet_analysis_version
end)
if not ok then result.error = tostring(err) end
local f = io.open(${JSON.stringify(out)}, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
`;
      const scriptFile = join(dir, 'snippet.lua');
      writeFileSync(scriptFile, script);
      const run = spawnSync(nvim, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${scriptFile}`], {
        encoding: 'utf8', timeout: 80_000, env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}` },
      });
      assert.equal(run.status, 0, `nvim exited with ${run.status}: ${run.stderr}`);
      const result = JSON.parse(readFileSync(out, 'utf8')) as { lines?: string[]; error?: string; analysisVersion?: number };
      assert.equal(result.error, undefined, result.error);
      const lines = result.lines ?? [];
      assert.equal(lines[0], 'expect client -> web tcp 443 reachable  =>  unreachable  SUBNET_ACL_RESTRICTION (return)');
      assert.match(lines[lines.length - 1], /^\d+ return\s+shop\.edge\s+drop\s+outbound \* deny all$/);
      assert.ok(lines.length > 5, lines.join('\n'));
      assert.ok((result.analysisVersion ?? 0) >= 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
