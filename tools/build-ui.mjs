#!/usr/bin/env node
// Builds the web UI (apps/ui, Vite) into apps/ui/dist — only when its inputs changed since the last
// build, so `npm start` stays fast on a restart. The inputs' content hash is kept in
// apps/ui/dist/.build-stamp. `--force` rebuilds regardless.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ui = join(root, 'apps', 'ui');
const out = join(ui, 'dist');
const stampFile = join(out, '.build-stamp');

/** Every source file of the UI, plus the lockfile (which pins the UI libraries). */
function inputs() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  for (const dir of ['src', 'public']) if (existsSync(join(ui, dir))) walk(join(ui, dir));
  files.push(join(ui, 'index.html'), join(ui, 'vite.config.ts'), join(ui, 'package.json'));
  files.push(join(root, 'package-lock.json'));
  return files;
}

const hash = createHash('sha256');
for (const file of inputs()) {
  hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
}
const stamp = hash.digest('hex');

const upToDate =
  !process.argv.includes('--force') &&
  existsSync(join(out, 'index.html')) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp;
if (upToDate) {
  console.log('build: UI unchanged since its last build (apps/ui/dist)');
} else {
  const started = Date.now();
  execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: ui,
    stdio: 'inherit',
  });
  writeFileSync(stampFile, stamp);
  console.log(`build: built the UI to apps/ui/dist in ${Date.now() - started} ms`);
}
