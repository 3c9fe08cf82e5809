// What every Jest run here shares: TypeScript through swc (decorator metadata for Nest), and the
// @monitor/* aliases of tsconfig.base.json. Used by each project's own jest.config.js (the unit
// tests beside its code, run by `nx test <project>`) and by the root jest.config.js (everything).
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
    // Dependencies that ship only ES modules (NestJS 12, normalize-url) are compiled to CommonJS.
    '/node_modules/.+\\.m?js$': require('node:path').join(__dirname, 'tests/support/esm-dependencies-as-commonjs.js'),
  },
  transformIgnorePatterns: ['\\.pnp\\.[^\\/]+$'],
  // Nx's resolver follows the aliases through TypeScript's own module resolution (the nearest
  // tsconfig.json). A moduleNameMapper would do too, but @nx/jest/plugin lists every file it maps
  // to as an input of every test target, so a change to any lib's index.ts would mark every
  // project affected.
  resolver: '@nx/jest/plugins/resolver',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // A project's unit tests: the specs beside its code.
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
