// One Jest configuration for the whole workspace: unit tests sit beside the code in libs/ and
// services/ (x.spec.ts); cross-process and end-to-end tests live in tests/ (x.test.ts).
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = `<rootDir>/${target}`;
}

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const base = {
  testEnvironment: 'node',
  // Dependencies that ship only ES modules are compiled to CommonJS (see the transformer).
  transform: { '^.+\\.ts$': swc, '/node_modules/.+\\.m?js$': '<rootDir>/tests/support/esm-dependencies-as-commonjs.js' },
  transformIgnorePatterns: ['\\.pnp\\.[^\\/]+$'],
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/services/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/tests/**/*.test.ts'], setupFilesAfterEnv: ['<rootDir>/tests/support/integration-timeout.ts'] },
  ],
};
