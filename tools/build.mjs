#!/usr/bin/env node
// Compiles every TypeScript source of the workspace to dist/ with swc (decorator metadata included)
// and rewrites the @orrery/* path aliases to relative requires, so `node dist/...` runs without a loader.
// Type checking is a separate step (`npm run typecheck`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const out = join(root, 'dist');
const started = Date.now();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const swcrc = join(out, '.swcrc.json');
writeFileSync(
  swcrc,
  JSON.stringify({
    sourceMaps: true,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs', strictMode: true },
  }),
);

const swcBin = join(root, 'node_modules', '.bin', 'swc');
execFileSync(
  swcBin,
  [
    'apps',
    'libs',
    'migrations',
    'tools',
    '-d',
    'dist',
    '--config-file',
    swcrc,
    '--ignore',
    '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts,**/*.mjs,apps/ui/**',
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);
console.log(`build: compiled the workspace to dist/ in ${Date.now() - started} ms`);

// The web UI, when its sources changed (a content-hash stamp makes an unchanged UI free).
execFileSync(process.execPath, [join(root, 'tools', 'build-ui.mjs')], { cwd: root, stdio: 'inherit' });
