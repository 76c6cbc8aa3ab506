// Writes Jest's totals to test-output/jest-summary.json so that .ci/run can print its closing line.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }
  onRunComplete(_contexts, results) {
    const dir = join(this.rootDir, 'test-output');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'jest-summary.json'),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
        suites: results.numTotalTestSuites,
      }),
    );
  }
}
module.exports = SummaryReporter;
