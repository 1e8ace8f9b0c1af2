import { EnvironmentError, LOG_LEVELS, MOCKABLE_DOMAINS, parseCorsOrigins, validateEnvironment } from '../../src/config/env.validation.js';
import { envFilesFor } from '../../src/config/env-files.js';
import { DOMAINS } from '../../src/domains.js';

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
  it('reads the live replica settings, with their defaults and ranges', () => {
    expect(validateEnvironment({ MOCK_MODE: 'false' })).toMatchObject({ SYNC_INTERVAL_SECONDS: 300, SYNC_HISTORY_DAYS: 400, FIRST_SYNC_WAIT_MS: 30_000 });
    expect(validateEnvironment({ MOCK_MODE: 'false', SYNC_INTERVAL_SECONDS: '2', SYNC_HISTORY_DAYS: '3650', FIRST_SYNC_WAIT_MS: '0' })).toMatchObject({
      SYNC_INTERVAL_SECONDS: 2,
      SYNC_HISTORY_DAYS: 3650,
      FIRST_SYNC_WAIT_MS: 0,
    });
    const problems = problemsFor({ MOCK_MODE: 'false', SYNC_INTERVAL_SECONDS: '0', SYNC_HISTORY_DAYS: '3651', FIRST_SYNC_WAIT_MS: '120001' });
    expect(problems).toEqual([
      expect.stringMatching(/^SYNC_INTERVAL_SECONDS="0": /),
      expect.stringMatching(/^SYNC_HISTORY_DAYS="3651": /),
      expect.stringMatching(/^FIRST_SYNC_WAIT_MS="120001": /),
    ]);
  });

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

  it('never prints a secret in a boot error: keys hidden, URL passwords removed, other values shown', () => {
    const problems = problemsFor({
      MOCK_MODE: 'true',
      MOCK_DATA_PATH: './mock-data',
      ADMIN_API_KEY: 'short-s3cret',
      ENCRYPTION_KEY: 'not-base64-s3cret',
      REDIS_URL: 'http://user:pa55word@cache.internal:6379',
    });
    const text = problems.join('\n');
    expect(text).toMatch(/ADMIN_API_KEY=\(hidden, 12 characters\)/);
    expect(text).toMatch(/ENCRYPTION_KEY=\(hidden, 17 characters\)/);
    expect(text).toMatch(/REDIS_URL="http:\/\/\*\*\*@cache\.internal:6379"/);
    expect(text).not.toMatch(/s3cret|pa55word/);
  });

  it('refuses AUTH_DISABLED when serving with NODE_ENV=production, even with mock data allowed there', () => {
    const env = {
      NODE_ENV: 'production',
      MOCK_MODE: 'true',
      MOCK_DATA_PATH: './mock-data',
      ALLOW_MOCK_IN_PRODUCTION: 'true',
      AUTH_DISABLED: 'true',
      ADMIN_API_KEY: 'an-own-admin-key-0123456789abcdef0123',
      ENCRYPTION_KEY: 'q0P1Yp8bW3m5n7JcX2a9vL4kT6sR8uE0hG1iD3fB5zA=',
    };
    let problems: string[] = [];
    try {
      validateEnvironment(env, { serving: true });
    } catch (error) {
      problems = (error as EnvironmentError).problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^AUTH_DISABLED="true": never with NODE_ENV=production/)]);
    expect(() => validateEnvironment({ ...env, AUTH_DISABLED: 'false' }, { serving: true })).not.toThrow();
  });

  it('requires MOCK_MODE, and MOCK_DATA_PATH when it is true', () => {
    expect(problemsFor({})).toEqual([expect.stringMatching(/^MOCK_MODE=\(not set\)/)]);
    expect(problemsFor({ MOCK_MODE: 'true' })).toEqual([expect.stringMatching(/^MOCK_DATA_PATH=\(not set\): is required when MOCK_MODE=true/)]);
    expect(problemsFor({ MOCK_MODE: 'false' })).toEqual([]);
  });

  it('accepts MOCK_DOMAINS with MOCK_MODE=false and a MOCK_DATA_PATH (mixed mode), as a trimmed list', () => {
    const env = validateEnvironment({ MOCK_MODE: 'false', MOCK_DOMAINS: ' csat, tickets ', MOCK_DATA_PATH: './mock-data' });
    expect(env.MOCK_DOMAINS).toEqual(['csat', 'tickets']);
    expect(validateEnvironment({ MOCK_MODE: 'false', MOCK_DOMAINS: '' }).MOCK_DOMAINS).toEqual([]);
    expect(validateEnvironment({ MOCK_MODE: 'false' }).MOCK_DOMAINS).toEqual([]);
  });

  it('stops on MOCK_DOMAINS with MOCK_MODE=true, without MOCK_DATA_PATH, or naming an unknown or repeated domain', () => {
    expect(problemsFor({ MOCK_MODE: 'true', MOCK_DATA_PATH: './m', MOCK_DOMAINS: 'csat' })).toEqual([
      expect.stringMatching(/^MOCK_DOMAINS="csat" with MOCK_MODE="true": .*valid only with MOCK_MODE=false/),
    ]);
    expect(problemsFor({ MOCK_MODE: 'false', MOCK_DOMAINS: 'csat' })).toEqual([
      expect.stringMatching(/^MOCK_DATA_PATH=\(not set\): is required when MOCK_DOMAINS is set/),
    ]);
    expect(problemsFor({ MOCK_MODE: 'false', MOCK_DATA_PATH: './m', MOCK_DOMAINS: 'tickets,alerts' })).toEqual([
      expect.stringMatching(/^MOCK_DOMAINS="tickets,alerts": must be a comma-separated list of tickets, time_entries, csat, security_alerts \(unknown 'alerts'\)/),
    ]);
    expect(problemsFor({ MOCK_MODE: 'false', MOCK_DATA_PATH: './m', MOCK_DOMAINS: 'csat,csat' })).toEqual([
      expect.stringMatching(/^MOCK_DOMAINS="csat,csat": .*\('csat' listed twice\)/),
    ]);
  });

  it('refuses mixed mode in production unless mock data is explicitly allowed there', () => {
    const prod = { NODE_ENV: 'production', MOCK_MODE: 'false', MOCK_DOMAINS: 'csat', MOCK_DATA_PATH: './m' };
    expect(problemsFor(prod)).toEqual([expect.stringMatching(/^MOCK_DOMAINS="csat" with NODE_ENV="production": .*ALLOW_MOCK_IN_PRODUCTION=true/)]);
    expect(problemsFor({ ...prod, ALLOW_MOCK_IN_PRODUCTION: 'true' })).toEqual([]);
  });

  it('lets MOCK_DOMAINS name exactly the mock folder\'s domains', () => {
    expect([...MOCKABLE_DOMAINS].sort()).toEqual(DOMAINS.map((d) => d.name).sort());
  });

  it('refuses mock data in production unless explicitly allowed', () => {
    const prod = { NODE_ENV: 'production', MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data' };
    expect(problemsFor(prod)).toEqual([expect.stringContaining('ALLOW_MOCK_IN_PRODUCTION=true')]);
    expect(problemsFor({ ...prod, ALLOW_MOCK_IN_PRODUCTION: 'true' })).toEqual([]);
  });

  it('rejects a port out of range', () => {
    expect(problemsFor({ MOCK_MODE: 'false', PORT: '70000' })).toEqual([expect.stringMatching(/^PORT="70000"/)]);
  });

  it("accepts LOG_LEVEL in pino's names and Nest's, in any case, each meaning one pino level", () => {
    const levelOf = (value: string) => LOG_LEVELS[validateEnvironment({ MOCK_MODE: 'false', LOG_LEVEL: value }).LOG_LEVEL];
    expect(LOG_LEVELS[validateEnvironment({ MOCK_MODE: 'false' }).LOG_LEVEL]).toBe('info');
    for (const pinoName of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']) expect(levelOf(pinoName)).toBe(pinoName);
    expect(levelOf('log')).toBe('info');
    expect(levelOf('verbose')).toBe('trace');
    expect(levelOf(' INFO ')).toBe('info');
    expect(problemsFor({ MOCK_MODE: 'false', LOG_LEVEL: 'loud' })).toEqual([
      expect.stringMatching(/^LOG_LEVEL="loud": must be one of pino's level names \(trace, debug, info, warn, error, fatal, silent\) or Nest's \(verbose, debug, log/),
    ]);
  });

  it('defaults HEADERS_TIMEOUT_MS to the smaller of 10 s and REQUEST_TIMEOUT_MS, and refuses one set above REQUEST_TIMEOUT_MS', () => {
    const headersTimeout = (env: Record<string, string>) => validateEnvironment({ MOCK_MODE: 'false', ...env }).HEADERS_TIMEOUT_MS;
    expect(headersTimeout({})).toBe(10_000);
    expect(headersTimeout({ REQUEST_TIMEOUT_MS: '3000' })).toBe(3_000);
    expect(headersTimeout({ REQUEST_TIMEOUT_MS: '60000' })).toBe(10_000);
    expect(headersTimeout({ REQUEST_TIMEOUT_MS: '60000', HEADERS_TIMEOUT_MS: '20000' })).toBe(20_000);
    expect(problemsFor({ MOCK_MODE: 'false', REQUEST_TIMEOUT_MS: '3000', HEADERS_TIMEOUT_MS: '5000' })).toEqual([
      'HEADERS_TIMEOUT_MS=5000: must not exceed REQUEST_TIMEOUT_MS (3000), which bounds the whole request; lower it, or leave it unset to use min(10000, REQUEST_TIMEOUT_MS)',
    ]);
  });

  it('accepts CORS_ORIGINS as * or a list of origins, and names what is wrong otherwise', () => {
    const base = { MOCK_MODE: 'false' };
    expect(problemsFor({ ...base, CORS_ORIGINS: '*' })).toEqual([]);
    expect(problemsFor({ ...base, CORS_ORIGINS: '' })).toEqual([]);
    expect(problemsFor({ ...base, CORS_ORIGINS: 'http://localhost:5173, https://dash.example.com:8443' })).toEqual([]);
    expect(parseCorsOrigins('http://localhost:5173, https://Dash.example.com')).toEqual(['http://localhost:5173', 'https://dash.example.com']);
    expect(parseCorsOrigins('*')).toBe('*');
    expect(parseCorsOrigins('')).toEqual([]);
    for (const bad of ['http://localhost:5173/', 'localhost:5173', '*,http://a.example', 'ftp://files.example', 'https://a.example/app']) {
      const problems = problemsFor({ ...base, CORS_ORIGINS: bad });
      expect(problems).toHaveLength(1);
      expect(problems[0].startsWith(`CORS_ORIGINS=${JSON.stringify(bad)}: must be * (any origin) or a comma-separated list of origins`)).toBe(true);
    }
  });

  it('accepts MOCK_SCENARIO_SEED as a non-negative integer only', () => {
    expect(validateEnvironment({ MOCK_MODE: 'false', MOCK_SCENARIO_SEED: '42' }).MOCK_SCENARIO_SEED).toBe(42);
    expect(problemsFor({ MOCK_MODE: 'false', MOCK_SCENARIO_SEED: 'abc' })).toEqual([expect.stringMatching(/^MOCK_SCENARIO_SEED="abc": must be an integer/)]);
    expect(problemsFor({ MOCK_MODE: 'false', MOCK_SCENARIO_SEED: '-1' })).toEqual([expect.stringMatching(/^MOCK_SCENARIO_SEED="-1"/)]);
  });

  it('accepts VENDOR_MAX_RESPONSE_MB as a whole number of MiB from 1 to 512 (the longest string V8 holds), defaulting to 64', () => {
    expect(validateEnvironment({ MOCK_MODE: 'false' }).VENDOR_MAX_RESPONSE_MB).toBe(64);
    expect(validateEnvironment({ MOCK_MODE: 'false', VENDOR_MAX_RESPONSE_MB: '8' }).VENDOR_MAX_RESPONSE_MB).toBe(8);
    for (const bad of ['0', '513', '1.5', '64MB']) {
      expect(problemsFor({ MOCK_MODE: 'false', VENDOR_MAX_RESPONSE_MB: bad })).toEqual([expect.stringMatching(new RegExp(`^VENDOR_MAX_RESPONSE_MB="${bad}": `))]);
    }
  });

  it('accepts SNAPSHOT_CACHE_MAX_MB as a whole number of MiB from 1, defaulting to 512', () => {
    expect(validateEnvironment({ MOCK_MODE: 'false' }).SNAPSHOT_CACHE_MAX_MB).toBe(512);
    expect(validateEnvironment({ MOCK_MODE: 'false', SNAPSHOT_CACHE_MAX_MB: '64' }).SNAPSHOT_CACHE_MAX_MB).toBe(64);
    for (const bad of ['0', '1.5', '64MB', '-1']) {
      expect(problemsFor({ MOCK_MODE: 'false', SNAPSHOT_CACHE_MAX_MB: bad })).toEqual([expect.stringMatching(new RegExp(`^SNAPSHOT_CACHE_MAX_MB="${bad}": `))]);
    }
  });

  it('bounds every vendor walk by VENDOR_WALK_MAX_RECORDS (default 200 000) and VENDOR_WALK_TIMEOUT_MS (default 120 000)', () => {
    expect(validateEnvironment({ MOCK_MODE: 'false' })).toMatchObject({ VENDOR_WALK_MAX_RECORDS: 200_000, VENDOR_WALK_MAX_MB: 256, VENDOR_WALK_TIMEOUT_MS: 120_000 });
    expect(validateEnvironment({ MOCK_MODE: 'false', VENDOR_WALK_MAX_RECORDS: '1000', VENDOR_WALK_TIMEOUT_MS: '500' })).toMatchObject({
      VENDOR_WALK_MAX_RECORDS: 1000,
      VENDOR_WALK_TIMEOUT_MS: 500,
    });
    expect(problemsFor({ MOCK_MODE: 'false', VENDOR_WALK_MAX_RECORDS: '0', VENDOR_WALK_TIMEOUT_MS: '2m' })).toEqual([
      expect.stringMatching(/^VENDOR_WALK_MAX_RECORDS="0": /),
      expect.stringMatching(/^VENDOR_WALK_TIMEOUT_MS="2m": /),
    ]);
  });

  it('reads .env.local by default, .env.production and .env.test by NODE_ENV', () => {
    expect(envFilesFor(undefined)).toEqual(['.env.local']);
    expect(envFilesFor('development')).toEqual(['.env.local']);
    expect(envFilesFor('production')).toEqual(['.env.production']);
    expect(envFilesFor('test')).toEqual(['.env.test']);
  });
});
