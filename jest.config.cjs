const ESM_REQUIRED_FROM_CJS = ['content-disposition'];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Jest on Node 20 cannot require() an ES module; a few CommonJS dependencies do (e.g. @fastify/static
  // requires content-disposition, which serves Swagger UI), so those few are compiled to CommonJS here.
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_REQUIRED_FROM_CJS.join('|')})/)`],
  transform: {
    [`/node_modules/(${ESM_REQUIRED_FROM_CJS.join('|')})/.+\\.js$`]: [
      'babel-jest',
      { plugins: ['@babel/plugin-transform-modules-commonjs'], babelrc: false, configFile: false },
    ],
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
  testTimeout: 30000,
};
