#!/usr/bin/env node
// Contract coverage: every (method, path) of ../shared/contract/prefect-openapi.json, and whether a
// contract test exercised it (tests record what ContractValidator.assert checked) or it is on the
// justified exclusion list (tools/contract-coverage.exclusions.json). An operation counts as covered
// only when some test got an answer other than 404 from it: a 404 may just mean the route is not
// there. Prints the uncovered operations and a summary; with --enforce it exits non-zero when any
// operation is neither covered nor excluded.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const contractFile = join(
  process.env.ORRERY_CONTRACT_DIR ?? join(root, '..', 'shared', 'contract'),
  'prefect-openapi.json',
);
const recordsDir =
  process.argv.find((a) => a.startsWith('--records='))?.slice('--records='.length) ??
  join(root, 'test-results', 'contract-coverage');
const enforce = process.argv.includes('--enforce');

const contract = JSON.parse(readFileSync(contractFile, 'utf8'));
const exclusions = JSON.parse(readFileSync(join(root, 'tools', 'contract-coverage.exclusions.json'), 'utf8'));
const operations = [];
for (const [path, methods] of Object.entries(contract.paths)) {
  for (const method of Object.keys(methods)) {
    if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
      operations.push(`${method.toUpperCase()} ${path}`);
  }
}

const covered = new Map();
if (existsSync(recordsDir)) {
  for (const file of readdirSync(recordsDir)) {
    for (const line of readFileSync(join(recordsDir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const { method, path, status } = JSON.parse(line);
      const key = `${method} ${path}`;
      if (!covered.has(key)) covered.set(key, new Set());
      covered.get(key).add(status);
    }
  }
}

const excluded = new Map(exclusions.map((e) => [`${e.method} ${e.path}`, e.reason]));
const answered = (op) => [...(covered.get(op) ?? [])].some((status) => status !== 404);
const only404 = operations.filter((op) => covered.has(op) && !answered(op) && !excluded.has(op)).sort();
const uncovered = operations.filter((op) => !answered(op) && !excluded.has(op)).sort();
const unknown = [...covered.keys()].filter((op) => !operations.includes(op));
console.log(`contract coverage: ${operations.length} operations in the contract`);
console.log(`  covered by contract tests: ${operations.filter(answered).length} (an answer other than 404)`);
console.log(
  `  excluded with a reason:    ${operations.filter((op) => excluded.has(op) && !answered(op)).length}`,
);
console.log(
  `  not covered yet:           ${uncovered.length} (${only404.length} of them only ever answered 404)`,
);
if (uncovered.length > 0 && process.argv.includes('--list'))
  for (const op of uncovered) console.log(`    ${op}${only404.includes(op) ? ' (only 404)' : ''}`);
if (unknown.length > 0) console.log(`  recorded but not in the contract: ${unknown.join(', ')}`);
if (enforce && uncovered.length > 0) {
  console.error(`${uncovered.length} contract operation(s) are neither covered nor excluded`);
  process.exit(1);
}
