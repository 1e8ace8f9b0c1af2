import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { resolve } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { CliModule } from '../../src/cli/cli.module.js';
import { appConfig, httpConfig } from '../../src/config/app.config.js';
import { EnvironmentError, environmentValidations } from '../../src/config/env.validation.js';
import { liveConfig } from '../../src/config/live.config.js';
import { mockConfig } from '../../src/config/mock.config.js';
import { authConfig, platformConfig } from '../../src/config/platform.config.js';
import { rateLimitConfig } from '../../src/config/rate-limit.config.js';
import { syncConfig } from '../../src/config/sync.config.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';

type Validation = { serving: boolean; problems: number };

/** Builds and compiles `root` with `env` set, counting the environment validations published meanwhile. */
async function compileCounting(env: Record<string, string>, root: () => Promise<DynamicModule>) {
  const seen: Validation[] = [];
  const listener = (message: unknown) => seen.push(message as Validation);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  subscribe(environmentValidations.name, listener);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [root()] }).compile();
    return { moduleRef, seen };
  } finally {
    unsubscribe(environmentValidations.name, listener);
    process.env = saved;
  }
}

describe('the environment is validated once per boot', () => {
  it('once for the server in mock mode, every namespace mapped from that one validation', async () => {
    const dir = await writeFolder(seedContents());
    const { moduleRef, seen } = await compileCounting(
      { MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false', PORT: '4123', REQUEST_TIMEOUT_MS: '5000', VENDOR_TIMEOUT_MS: '7000', RATE_LIMIT_PER_MINUTE: '17', SYNC_INTERVAL_SECONDS: '60' },
      () => AppModule.forRoot(),
    );
    try {
      // Started: the mock store's load is awaited, so nothing is left running after the test.
      await moduleRef.init();
      expect(seen).toEqual([{ serving: true, problems: 0 }]);
      expect(moduleRef.get(appConfig.KEY, { strict: false })).toMatchObject({ port: 4123 });
      // Derived from another variable by the validation: min(10 s, REQUEST_TIMEOUT_MS).
      expect(moduleRef.get(httpConfig.KEY, { strict: false })).toMatchObject({ requestTimeoutMs: 5000, headersTimeoutMs: 5000 });
      expect(moduleRef.get(mockConfig.KEY, { strict: false })).toMatchObject({ enabled: true, dataPath: resolve(dir), watch: false });
      expect(moduleRef.get(liveConfig.KEY, { strict: false }).http.timeoutMs).toBe(7000);
      expect(moduleRef.get(rateLimitConfig.KEY, { strict: false })).toEqual({ perMinute: 17 });
      expect(moduleRef.get(platformConfig.KEY, { strict: false }).databaseUrl).toBe('sqlite::memory:');
      expect(moduleRef.get(authConfig.KEY, { strict: false }).adminApiKey).toBe('test-admin-key-0123456789abcdef');
      expect(moduleRef.get(syncConfig.KEY, { strict: false }).intervalMs).toBe(60_000);
      expect(seen).toHaveLength(1);
    } finally {
      await moduleRef.close();
    }
  });

  it('once for the server in live mode', async () => {
    const { moduleRef, seen } = await compileCounting({ MOCK_MODE: 'false', DATABASE_URL: 'sqlite::memory:' }, () => AppModule.forRoot());
    await moduleRef.close();
    expect(seen).toEqual([{ serving: true, problems: 0 }]);
  });

  it('once for the platform CLI, without the server-only production checks', async () => {
    const { moduleRef, seen } = await compileCounting({ MOCK_MODE: 'false', DATABASE_URL: 'sqlite::memory:' }, () => CliModule.forRoot());
    await moduleRef.close();
    expect(seen).toEqual([{ serving: false, problems: 0 }]);
  });

  it('once for a refused environment, which stops the boot before any module is built', async () => {
    const seen: Validation[] = [];
    const listener = (message: unknown) => seen.push(message as Validation);
    const saved = { ...process.env };
    Object.assign(process.env, { MOCK_MODE: 'false', PORT: 'eighty' });
    subscribe(environmentValidations.name, listener);
    try {
      const boot = AppModule.forRoot();
      await expect(boot).rejects.toThrow(EnvironmentError);
      await expect(boot).rejects.toThrow(/PORT="eighty": must be an integer port number/);
    } finally {
      unsubscribe(environmentValidations.name, listener);
      process.env = saved;
    }
    expect(seen).toEqual([{ serving: true, problems: 1 }]);
  });

  it('never maps a namespace from process.env on its own: only configModule() builds its values', () => {
    expect(() => mockConfig()).toThrow(/'mock' configuration is built by configModule\(\)/);
  });
});
