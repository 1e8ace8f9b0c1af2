// Benchmarks run through Jest only to reuse the TypeScript setup and the fake vendor servers; they print figures.
const base = require('../../jest.config.cjs');
// They use neither PostgreSQL nor Redis, so none is looked for or started.
module.exports = { ...base, rootDir: '../..', testMatch: ['<rootDir>/test/bench/*.bench.ts'], globalSetup: undefined, globalTeardown: undefined };
