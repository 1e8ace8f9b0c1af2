// Benchmarks run through Jest only to reuse the TypeScript setup and the fake vendor servers; they print figures.
const base = require('../../jest.config.cjs');
module.exports = { ...base, rootDir: '../..', testMatch: ['<rootDir>/test/bench/*.bench.ts'] };
