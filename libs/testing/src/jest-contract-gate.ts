// Set up before every spec (jest.config.js, all three tiers). A spec that needs the wire contract
// (`../shared/contract`, see contract.ts) cannot run on a clone without it: then each of its tests is
// declared skipped instead, so the suite loads, runs nothing and is counted as skipped; `npm test`
// prints the reason once. A spec needs the contract when it, or a module it imports with a relative
// path, names ContractValidator, contractDirectory or contractCall.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { contractAvailable } from './contract';

const NEEDS_CONTRACT = /\b(ContractValidator|contractDirectory|contractCall)\b/;

/** The spec's source and that of the modules it imports relatively (one level deep). */
function sources(specPath: string): string[] {
  const spec = readFileSync(specPath, 'utf8');
  const imported = [...spec.matchAll(/from '(\.\.?\/[^']+)'/g)]
    .map((m) => resolve(dirname(specPath), `${m[1]}.ts`))
    .filter((file) => existsSync(file));
  return [spec, ...imported.map((file) => readFileSync(file, 'utf8'))];
}

/** `it`/`test` with every way of declaring a test turned into a skipped one. */
function skipping(original: jest.It): jest.It {
  const declare = (name: string, fn?: jest.ProvidesCallback, timeout?: number): void =>
    original.skip(name, fn, timeout);
  return Object.assign(declare, original, {
    only: original.skip,
    concurrent: original.skip,
    failing: original.skip,
    each: original.skip.each,
  }) as unknown as jest.It;
}

const specPath = expect.getState().testPath;
if (specPath !== undefined && !contractAvailable() && sources(specPath).some((s) => NEEDS_CONTRACT.test(s))) {
  const globals = globalThis as unknown as { it: jest.It; test: jest.It };
  globals.it = skipping(globals.it);
  globals.test = skipping(globals.test);
}
