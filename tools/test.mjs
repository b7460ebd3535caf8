#!/usr/bin/env node
// `npm test`: everything CI checks, in order, from a fresh clone. Makes sure PostgreSQL and Redis
// answer (starting or installing them if needed), builds, typechecks, lints, runs the three Jest
// tiers and the contract coverage report, and ends with one summary line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(name, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const run = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...options.env },
  });
  const ok = run.status === 0;
  console.log(
    `=== ${name}: ${ok ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return ok;
}

function check(name, command, args) {
  if (step(name, command, args)) {
    results.passed += 1;
  } else {
    results.failed += 1;
    failures.push(name);
  }
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

if (!step('services', 'bash', [join(root, 'tools/dev/ensure-services.sh')])) {
  results.failed += 1;
  failures.push('services (PostgreSQL/Redis unavailable)');
}
// The UI's browser tests skip (saying why) when Chromium cannot be installed; nothing else needs it.
step('chromium', 'bash', [join(root, 'tools/dev/ensure-chromium.sh')]);
if (!step('build', process.execPath, [join(root, 'tools/build.mjs')])) {
  console.log('\nbuild failed; nothing else can run');
  console.log(`${results.passed} passed, ${results.failed + 1} failed`);
  process.exit(1);
}
check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
check('lint', 'npm', ['run', '--silent', 'lint']);
check('format', bin('prettier'), ['--check', '--log-level=warn', '.']);

const reportDir = join(root, 'test-results');
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, 'jest.json');
const maxWorkers = process.env.ORRERY_TEST_WORKERS ?? '2';
// Contract tests record the operations they checked; the coverage report reads them afterwards.
const coverageDir = join(reportDir, 'contract-coverage');
rmSync(coverageDir, { recursive: true, force: true });
// PGlite's CommonJS build loads Node built-ins with import(), which Jest's VM allows only with this flag.
const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`;
step(
  'jest',
  bin('jest'),
  ['--ci', `--maxWorkers=${maxWorkers}`, '--json', `--outputFile=${report}`, ...process.argv.slice(2)],
  { env: { NODE_OPTIONS: nodeOptions.trim(), ORRERY_CONTRACT_COVERAGE_DIR: coverageDir } },
);
if (existsSync(report)) {
  const jest = JSON.parse(readFileSync(report, 'utf8'));
  results.passed += jest.numPassedTests;
  results.failed += jest.numFailedTests;
  results.skipped += jest.numPendingTests + jest.numTodoTests;
  // A suite that fails to load (syntax error, failing beforeAll) has no failed tests of its own.
  const brokenSuites = jest.testResults.filter(
    (s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed'),
  );
  results.failed += brokenSuites.length;
  for (const s of jest.testResults.filter((s) => s.status === 'failed'))
    failures.push(s.name.replace(`${root}/`, ''));
} else {
  results.failed += 1;
  failures.push('jest (no report written)');
}

// Every contract operation must be exercised by a contract test or excluded with a reason
// (tools/contract-coverage.exclusions.json). A partial run (`npm test -- <paths>`) only reports.
const coverageArgs = [join(root, 'tools/contract-coverage.mjs'), `--records=${coverageDir}`, '--list'];
if (process.argv.length > 2)
  step('contract coverage (partial run: report only)', process.execPath, coverageArgs);
else check('contract coverage', process.execPath, [...coverageArgs, '--enforce']);

if (failures.length > 0) console.log(`\nfailed: ${failures.join(', ')}`);
const skipped = results.skipped > 0 ? `, ${results.skipped} skipped` : '';
console.log(`\n${results.passed} passed, ${results.failed} failed${skipped}`);
process.exit(results.failed === 0 ? 0 : 1);
