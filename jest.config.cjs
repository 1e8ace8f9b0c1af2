/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        diagnostics: { ignoreCodes: [151002] },
        tsconfig: '<rootDir>/test/tsconfig.json',
        astTransformers: { before: ['<rootDir>/test/config/swagger-plugin-transformer.cjs'] },
      },
    ],
  },
  setupFiles: ['<rootDir>/test/config/preload-nest.cjs'],
  // PostgreSQL and Redis for the run: the machine's when they answer, otherwise started here (README, Tests).
  globalSetup: '<rootDir>/test/config/global-setup.ts',
  globalTeardown: '<rootDir>/test/config/global-teardown.ts',
  testTimeout: 30000,
};
