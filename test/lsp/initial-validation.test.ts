/**
 * When a folder opens, the server validates every file it finds, before any editor opens one:
 * the Problems panel fills at once (the workspace manager's initial build validates).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { ensureBundles, ROOT, SERVER_BUNDLE } from '../cli/bundles.js';
import { fileUri, LspSession } from './lsp-session.js';

const BROKEN_DIR = join(ROOT, 'test/fixtures/broken');

describe('language server: a folder opens', function () {
  this.timeout(60000);
  let session: LspSession;

  before(() => {
    ensureBundles();
    session = new LspSession(SERVER_BUNDLE);
  });

  after(async () => {
    await session.shutdown();
  });

  it('publishes the problems of files no editor has opened', async () => {
    const aclReturn = fileUri(join(BROKEN_DIR, 'acl-return.vnet'));
    const subnetOutside = fileUri(join(BROKEN_DIR, 'subnet-outside.vnet'));
    const published = Promise.all([
      session.nextDiagnostics(aclReturn, (d) => d.some((x) => x.severity === DiagnosticSeverity.Error)),
      session.nextDiagnostics(subnetOutside, (d) => d.some((x) => x.severity === DiagnosticSeverity.Error)),
    ]);
    await session.initialize([BROKEN_DIR]);
    const [verdicts, values] = await published;
    assert.deepEqual(verdicts.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => d.code), ['SUBNET_ACL_RESTRICTION']);
    assert.ok(values.some((d) => d.code === 'SUBNET_CIDR_OUTSIDE_VPC'), JSON.stringify(values.map((d) => d.code)));
  });
});
