// Lint rules: strict promise safety (a floating promise in a consumer loop is a lost message),
// exhaustive switches, and Nx module boundaries (apps are thin, domain imports nothing).
import js from '@eslint/js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Every Nx project's name (libs, nested service libs, migrations). */
const PROJECTS = ['libs', 'libs/services']
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name, 'project.json')))
  .concat('migrations/project.json')
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')).name);

/** Which kinds of project may import which; tests may also import the testing lib. */
function boundaries(extra) {
  const allow = (...tags) => [...tags, ...extra];
  return {
    allow: [],
    enforceBuildableLibDependency: false,
    // The testing lib builds databases and apps from the other libs, whose own tests use it. Product
    // code can never import the testing lib (the tag rules below), so every cycle through it exists
    // only between tests and their helpers.
    ignoredCircularDependencies: PROJECTS.map((name) => [name, 'testing']),
    depConstraints: [
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: allow(
          'type:composition',
          'type:http',
          'type:feature',
          'type:data',
          'type:util',
          'type:domain',
          'type:migrations',
        ),
      },
      // What a process runs (libs/server) wires the HTTP lib and the features together.
      {
        sourceTag: 'type:composition',
        onlyDependOnLibsWithTags: allow(
          'type:http',
          'type:feature',
          'type:data',
          'type:util',
          'type:domain',
          'type:migrations',
        ),
      },
      // The HTTP lib (controllers + DTOs) sits on the features; no feature may import it.
      {
        sourceTag: 'type:http',
        onlyDependOnLibsWithTags: allow('type:feature', 'type:data', 'type:util', 'type:domain'),
      },
      {
        sourceTag: 'type:feature',
        onlyDependOnLibsWithTags: allow('type:feature', 'type:data', 'type:util', 'type:domain'),
      },
      // Use-case libs (like libs/runs) work over repositories: no query builder, no HTTP types.
      { sourceTag: 'layer:use-case', bannedExternalImports: ['typeorm', 'fastify', '@fastify/*'] },
      {
        sourceTag: 'type:data',
        onlyDependOnLibsWithTags: allow('type:data', 'type:util', 'type:domain', 'type:migrations'),
      },
      { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: allow('type:domain') },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: allow('type:util', 'type:domain') },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: allow() },
      {
        sourceTag: 'type:testing',
        onlyDependOnLibsWithTags: [
          'type:testing',
          'type:composition',
          'type:http',
          'type:feature',
          'type:data',
          'type:util',
          'type:domain',
          'type:migrations',
        ],
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'apps/ui/**',
      '.nx/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
      '@nx/enforce-module-boundaries': ['error', boundaries([])],
    },
  },
  {
    // The command line and tools talk to a terminal.
    files: ['tools/**/*.ts', 'apps/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests print, and use the testing lib.
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/test/**/*.ts',
      '**/test-fixtures/**/*.ts',
      'libs/testing/**/*.ts',
      'tools/**/*.ts',
    ],
    rules: {
      'no-console': 'off',
      '@nx/enforce-module-boundaries': ['error', boundaries(['type:testing'])],
      // A committed focus or skip silently shrinks the suite: never. (A spec that needs something
      // absent is skipped by the harness, e.g. libs/testing/src/jest-contract-gate.ts, and counted.)
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].flatMap((object) =>
          ['only', 'skip'].map((property) => ({
            object,
            property,
            message: `${object}.${property} must not be committed: it hides tests from the summary`,
          })),
        ),
      ],
      'no-restricted-globals': [
        'error',
        ...['fit', 'fdescribe', 'xit', 'xdescribe', 'xtest'].map((name) => ({
          name,
          message: `${name} must not be committed: it hides tests from the summary`,
        })),
      ],
    },
  },
  prettier,
);
