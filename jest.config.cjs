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
  testTimeout: 30000,
};
