// Mocha's spec reporter plus the plain closing line that CI reads: "N passed, N failed".
// (CI does not read mocha's own summary; see ../shared/reference/langium-and-vscode.md §0.6.)
'use strict';
const Mocha = require('mocha');
const { EVENT_RUN_END } = Mocha.Runner.constants;

class VnetReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats || { passes: 0, failures: 0 };
      // Printed after the spec summary, alone on its line.
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed\n`);
    });
  }
}
module.exports = VnetReporter;
