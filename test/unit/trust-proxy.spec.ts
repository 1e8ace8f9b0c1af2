import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trustProxySetting } from '../../src/config/app.config.js';
import { EnvironmentError, parseTrustProxy, validateEnvironment } from '../../src/config/env.validation.js';
import { runNode } from '../cli/run.js';

describe('TRUST_PROXY', () => {
  it('is off by default', () => {
    expect(parseTrustProxy(validateEnvironment({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data' }).TRUST_PROXY)).toBe(false);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['1', 1],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.10,::1,fd00::/8,uniquelocal', ['10.0.0.0/8', '192.168.1.10', '::1', 'fd00::/8', 'uniquelocal']],
  ])('takes %j as Fastify trustProxy %j', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
  });

  it.each(['yes', '10.0.0.0/33', '10.0.0', 'loopback,proxy.internal', '::1/129', '10.0.0.0/8/1', '-1'])('refuses %j at boot, naming the variable', (value) => {
    expect(() => validateEnvironment({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', TRUST_PROXY: value })).toThrow(EnvironmentError);
    try {
      validateEnvironment({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', TRUST_PROXY: value });
    } catch (error) {
      expect((error as EnvironmentError).problems).toEqual([expect.stringMatching(new RegExp(`^TRUST_PROXY=${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: must be false, true`))]);
    }
  });

  describe('read when the HTTP adapter is created, before the Nest container loads the env file', () => {
    const saved = process.env.TRUST_PROXY;
    const cwd = process.cwd();
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'trust-proxy-'));
      delete process.env.TRUST_PROXY;
    });
    afterEach(async () => {
      process.chdir(cwd);
      if (saved === undefined) delete process.env.TRUST_PROXY;
      else process.env.TRUST_PROXY = saved;
      await rm(dir, { recursive: true, force: true });
    });

    it('from the env file of NODE_ENV, the environment winning over it', async () => {
      await writeFile(join(dir, '.env.test'), 'MOCK_MODE=true\nTRUST_PROXY=10.0.0.0/8\n');
      process.chdir(dir);
      expect(trustProxySetting()).toEqual(['10.0.0.0/8']);
      process.env.TRUST_PROXY = '1';
      expect(trustProxySetting()).toBe(1);
    });

    it('off when set nowhere', () => {
      process.chdir(dir);
      expect(trustProxySetting()).toBe(false);
    });
  });

  it('a bad value stops dist/main.js with one message naming it (and nothing else is blamed)', async () => {
    const { code, stderr } = await runNode(['dist/main.js'], { MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:', TRUST_PROXY: 'everyone' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Startup failed\.\nEnvironmentError: Invalid environment:\n {2}- TRUST_PROXY="everyone": must be false, true/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
