// Three test tiers (see docs/testing.md): unit (*.spec.ts, no I/O), integration (*.int-spec.ts, real
// PostgreSQL + Redis + migrations) and end-to-end (*.e2e-spec.ts, real processes from dist/).
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = `<rootDir>/${target}`;
}
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    },
  ],
};
// Dependencies that ship only ES modules. Node ≥ 20.19 loads them from CommonJS at run time, but
// Jest's module runtime cannot, so Jest compiles them to CommonJS.
const ESM_ONLY_DEPENDENCIES = ['cookie'];
transform[`^.+/node_modules/(${ESM_ONLY_DEPENDENCIES.join('|')})/.+\\.js$`] = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_DEPENDENCIES.join('|')})/)`],
  setupFiles: ['reflect-metadata'],
  // Skips the tests of a spec that needs the wire contract when ../shared/contract is absent.
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-contract-gate.ts'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,migrations,tools}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      setupFilesAfterEnv: [...common.setupFilesAfterEnv, '<rootDir>/libs/testing/src/jest-timeout-int.js'],
      testMatch: ['<rootDir>/{apps,libs,migrations,tools}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.js',
    },
    {
      ...common,
      displayName: 'e2e',
      setupFilesAfterEnv: [...common.setupFilesAfterEnv, '<rootDir>/libs/testing/src/jest-timeout-e2e.js'],
      testMatch: ['<rootDir>/{apps,libs,tools,test}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.js',
    },
  ],
};
