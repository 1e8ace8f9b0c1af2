import { EnvironmentError, validateEnvironment } from '../../src/config/env.validation.js';
import { envFilesFor } from '../../src/config/env-files.js';

function problemsFor(env: Record<string, string>): string[] {
  try {
    validateEnvironment(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return (error as EnvironmentError).problems;
  }
}

describe('environment validation', () => {
  it('accepts the local defaults and fills in the rest', () => {
    const env = validateEnvironment({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data' });
    expect(env).toMatchObject({ MOCK_MODE: true, PORT: 3000, HOST: '0.0.0.0', MOCK_WATCH: true, LOG_FORMAT: 'auto', DOCS_ENABLED: true, RATE_LIMIT_PER_MINUTE: 1200, REDIS_KEY_PREFIX: 'msp-data:' });
  });

  it('names every bad variable at once, with its value and what was expected', () => {
    const problems = problemsFor({ MOCK_MODE: 'yes', PORT: '80a', LOG_FORMAT: 'xml', MOCK_WATCH: 'on' });
    expect(problems).toEqual([
      expect.stringMatching(/^PORT="80a": must be an integer port number/),
      expect.stringMatching(/^MOCK_MODE="yes": must be "true" or "false"/),
      expect.stringMatching(/^MOCK_WATCH="on": must be "true" or "false"/),
      expect.stringMatching(/^LOG_FORMAT="xml": /),
    ]);
  });

  it('requires MOCK_MODE, and MOCK_DATA_PATH when it is true', () => {
    expect(problemsFor({})).toEqual([expect.stringMatching(/^MOCK_MODE=\(not set\)/)]);
    expect(problemsFor({ MOCK_MODE: 'true' })).toEqual([expect.stringMatching(/^MOCK_DATA_PATH=\(not set\): is required when MOCK_MODE=true/)]);
    expect(problemsFor({ MOCK_MODE: 'false' })).toEqual([]);
  });

  it('refuses mock data in production unless explicitly allowed', () => {
    const prod = { NODE_ENV: 'production', MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data' };
    expect(problemsFor(prod)).toEqual([expect.stringContaining('ALLOW_MOCK_IN_PRODUCTION=true')]);
    expect(problemsFor({ ...prod, ALLOW_MOCK_IN_PRODUCTION: 'true' })).toEqual([]);
  });

  it('rejects a port out of range', () => {
    expect(problemsFor({ MOCK_MODE: 'false', PORT: '70000' })).toEqual([expect.stringMatching(/^PORT="70000"/)]);
  });

  it('reads .env.local by default, .env.production and .env.test by NODE_ENV', () => {
    expect(envFilesFor(undefined)).toEqual(['.env.local']);
    expect(envFilesFor('development')).toEqual(['.env.local']);
    expect(envFilesFor('production')).toEqual(['.env.production']);
    expect(envFilesFor('test')).toEqual(['.env.test']);
  });
});
