import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freePort, isCi, planServices, startRedisServer } from '../config/global-setup.js';
import { POSTGRES_ADMIN_URL, REDIS_SKIPPED, REDIS_URL } from '../support/services.js';
import { pingRedis } from '../support/live-fixtures.js';

describe("the test run's choice of PostgreSQL and Redis (global setup)", () => {
  let dir: string;
  let fakeRedisServer: string;
  let closedPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'test-services-'));
    await writeFile(join(dir, 'redis-server'), '#!/bin/sh\necho "fake redis-server: refusing to start" >&2\nexit 1\n');
    await chmod(join(dir, 'redis-server'), 0o755);
    fakeRedisServer = join(dir, 'redis-server');
    closedPort = await freePort();
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  const closed = () => ({ postgresUrl: `postgres://postgres@127.0.0.1:${closedPort}/postgres`, redisUrl: `redis://127.0.0.1:${closedPort}` });

  it('uses the PostgreSQL and Redis at the URLs when something answers there', async () => {
    const listening: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const { port } = listening.address() as AddressInfo;
    try {
      const plan = await planServices({ postgresUrl: `postgres://u:p@127.0.0.1:${port}/postgres`, redisUrl: `redis://127.0.0.1:${port}`, path: '', ci: true });
      expect(plan).toEqual({ postgres: { kind: 'use', url: `postgres://u:p@127.0.0.1:${port}/postgres` }, redis: { kind: 'use', url: `redis://127.0.0.1:${port}` } });
    } finally {
      listening.close();
    }
  });

  it('plans an embedded PostgreSQL and the redis-server found on PATH when nothing answers', async () => {
    const plan = await planServices({ ...closed(), path: ['/nonexistent', dir].join(delimiter), ci: true });
    expect(plan.postgres).toEqual({ kind: 'embedded', reason: `nothing answers at postgres://postgres@127.0.0.1:${closedPort}/postgres` });
    expect(plan.redis).toMatchObject({ kind: 'spawn', server: fakeRedisServer });
  });

  it('outside CI, skips the Redis suites with one line naming what to install when there is no redis-server', async () => {
    const plan = await planServices({ ...closed(), path: '/nonexistent', ci: false });
    expect(plan.redis).toEqual({
      kind: 'skip',
      line: `Redis suites skipped: no Redis at redis://127.0.0.1:${closedPort} and no redis-server on PATH (apt-get install redis-server, or set TEST_REDIS_URL)`,
    });
  });

  it('in CI, refuses to skip: the run fails naming what is missing', async () => {
    await expect(planServices({ ...closed(), path: '/nonexistent', ci: true })).rejects.toThrow(
      /^Redis suites cannot run: no Redis at redis:\/\/127\.0\.0\.1:\d+ and no redis-server on PATH .*with CI set every suite must run/,
    );
  });

  it('never names a password of the URLs it reports', async () => {
    const plan = await planServices({ postgresUrl: `postgres://postgres:s3cret@127.0.0.1:${closedPort}/postgres`, redisUrl: `redis://:s3cret@127.0.0.1:${closedPort}`, path: '', ci: false });
    expect(JSON.stringify([plan.postgres, plan.redis.kind === 'skip' && plan.redis.line])).not.toContain('s3cret');
  });

  it('reports at once, with its output, a redis-server that exits instead of answering', async () => {
    const started = Date.now();
    await expect(startRedisServer(fakeRedisServer)).rejects.toThrow(/did not start on 127\.0\.0\.1:\d+:\nfake redis-server: refusing to start/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('reads CI=%j as %j', (value, expected) => {
    expect(isCi(value)).toBe(expected);
  });

  it('hands the suites the PostgreSQL and Redis it chose, and they answer', async () => {
    expect(process.env.TEST_POSTGRES_URL).toBe(POSTGRES_ADMIN_URL);
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5_000 });
    await client.connect();
    await client.end();
    if (REDIS_SKIPPED) return expect(isCi(process.env.CI)).toBe(false);
    expect(process.env.TEST_REDIS_URL).toBe(REDIS_URL);
    await pingRedis();
  });
});
