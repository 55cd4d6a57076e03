#!/usr/bin/env node
// The `vnet` command: runs the bundled CLI (built by `npm run build` into out/cli/main.cjs).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'out', 'cli', 'main.cjs');
if (!existsSync(bundle)) {
  process.stderr.write(`vnet: ${bundle} is missing; run \`npm run build\` first\n`);
  process.exit(2);
}
require(bundle);
