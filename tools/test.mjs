#!/usr/bin/env node
// `npm test`: everything CI checks, in order, from a fresh clone. Makes sure PostgreSQL and Redis
// answer (starting or installing them if needed), builds, typechecks, lints, runs the three Jest
// tiers and the contract coverage report. Tool checks and tests are counted apart, then summed into
// the last line, `N passed, N failed[, N skipped]`. The Jest report is deleted before Jest runs and
// a non-zero Jest exit is a failure even when the report shows none, so a crash, a failing global
// set-up or a typo'd path can never print a stale or empty "0 failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const checks = { passed: 0, failed: 0, skipped: 0 };
const tests = { passed: 0, failed: 0, skipped: 0 };
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
    checks.passed += 1;
  } else {
    checks.failed += 1;
    failures.push(name);
  }
}

const line = ({ passed, failed, skipped }) =>
  `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;

const bin = (name) => join(root, 'node_modules', '.bin', name);
const contractFile = join(
  process.env.ORRERY_CONTRACT_DIR ?? join(root, '..', 'shared', 'contract'),
  'prefect-openapi.json',
);
const contractAvailable = existsSync(contractFile);

if (!step('services', 'bash', [join(root, 'tools/dev/ensure-services.sh')])) {
  checks.failed += 1;
  failures.push('services (PostgreSQL/Redis unavailable)');
}
// The UI's browser tests skip (saying why) when Chromium cannot be installed; nothing else needs it.
step('chromium', 'bash', [join(root, 'tools/dev/ensure-chromium.sh')]);
if (!step('build', process.execPath, [join(root, 'tools/build.mjs')])) {
  console.log('\nbuild failed; nothing else can run');
  console.log(`${checks.passed} passed, ${checks.failed + 1} failed`);
  process.exit(1);
}
checks.passed += 1;
check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
check('lint', 'npm', ['run', '--silent', 'lint']);
check('format', bin('prettier'), ['--check', '--log-level=warn', '.']);

const reportDir = join(root, 'test-results');
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, 'jest.json');
// A report left by an earlier run must never be read as this run's.
rmSync(report, { force: true });
const maxWorkers = process.env.ORRERY_TEST_WORKERS ?? '2';
// Contract tests record the operations they checked; the coverage report reads them afterwards.
const coverageDir = join(reportDir, 'contract-coverage');
rmSync(coverageDir, { recursive: true, force: true });
// PGlite's CommonJS build loads Node built-ins with import(), which Jest's VM allows only with this flag.
const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`;
const jestOk = step(
  'jest',
  bin('jest'),
  ['--ci', `--maxWorkers=${maxWorkers}`, '--json', `--outputFile=${report}`, ...process.argv.slice(2)],
  { env: { NODE_OPTIONS: nodeOptions.trim(), ORRERY_CONTRACT_COVERAGE_DIR: coverageDir } },
);
if (existsSync(report)) {
  const jest = JSON.parse(readFileSync(report, 'utf8'));
  tests.passed += jest.numPassedTests;
  tests.failed += jest.numFailedTests;
  tests.skipped += jest.numPendingTests + jest.numTodoTests;
  // A suite that fails to load (syntax error, failing beforeAll) has no failed tests of its own.
  const brokenSuites = jest.testResults.filter(
    (s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed'),
  );
  tests.failed += brokenSuites.length;
  for (const s of jest.testResults.filter((s) => s.status === 'failed'))
    failures.push(s.name.replace(`${root}/`, ''));
  if (!jestOk && tests.failed === 0) {
    // Jest failed for a reason its report does not count (no tests matched, a global set-up or
    // tear-down failed, an open handle forced the exit, …).
    tests.failed += 1;
    failures.push('jest (non-zero exit, see its output above)');
  }
} else {
  tests.failed += 1;
  failures.push('jest (no report written)');
}
const contractSkips =
  !contractAvailable && existsSync(report)
    ? JSON.parse(readFileSync(report, 'utf8')).numPendingTestSuites
    : 0;
if (contractSkips > 0) {
  const suites = contractSkips;
  console.log(
    `\nskipped: ${suites} suite(s) that need the wire contract — ${contractFile} is missing ` +
      `(put ../shared beside the checkout or set ORRERY_CONTRACT_DIR)`,
  );
}

// Every contract operation must be exercised by a contract test or excluded with a reason
// (tools/contract-coverage.exclusions.json). A partial run (`npm test -- <paths>`) only reports.
const coverageArgs = [join(root, 'tools/contract-coverage.mjs'), `--records=${coverageDir}`, '--list'];
if (!contractAvailable) checks.skipped += 1;
else if (process.argv.length > 2)
  step('contract coverage (partial run: report only)', process.execPath, coverageArgs);
else check('contract coverage', process.execPath, [...coverageArgs, '--enforce']);

if (failures.length > 0) console.log(`\nfailed: ${failures.join(', ')}`);
console.log(`\ntool checks (build, typecheck, lint, format, contract coverage): ${line(checks)}`);
console.log(`tests: ${line(tests)}`);
const total = {
  passed: checks.passed + tests.passed,
  failed: checks.failed + tests.failed,
  skipped: checks.skipped + tests.skipped,
};
console.log(`\n${line(total)}`);
process.exit(total.failed === 0 ? 0 : 1);
