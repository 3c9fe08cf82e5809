// One Jest configuration for the whole workspace: unit tests sit beside the code in libs/ and
// services/ (x.spec.ts); cross-process and end-to-end tests live in tests/ (x.test.ts). Each lib
// and service also has a jest.config.js of its own (its unit tests only) for `nx test <project>`.
const preset = require('./jest.preset.js');

module.exports = {
  projects: [
    { ...preset, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/services/**/*.spec.ts'] },
    { ...preset, displayName: 'integration', testMatch: ['<rootDir>/tests/**/*.test.ts'], setupFilesAfterEnv: ['<rootDir>/tests/support/integration-timeout.ts'] },
  ],
};
