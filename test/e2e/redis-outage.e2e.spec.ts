import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootApp, TestApp } from '../support/app.js';
import {
  bulkReviews,
  bulkThreats,
  call,
  closeFakes,
  deleteRedisKeys,
  Fakes,
  LIVE_ENV,
  pingRedis,
  REDIS_URL,
  describeWithRedis,
  registerTenant,
  startFakes,
  withoutSync,
} from '../support/live-fixtures.js';
import { REDIS_ADDRESS } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const runId = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

describe('Redis refusing connections: a cache miss goes straight to the vendor', () => {
  let fakes: Fakes;
  let t: TestApp | undefined;

  beforeAll(async () => {
    fakes = await startFakes();
    fakes.smileback.reviews = bulkReviews(20, 1);
    fakes.sentinelone.threats = bulkThreats(20, 1);
    t = await bootApp({ ...LIVE_ENV, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
  });

  afterAll(async () => {
    await t?.close();
    await closeFakes(fakes);
  });

  it('costs no Redis timeout: every cold request answers well within a second', async () => {
    const tenants = [`tenant_redis_a_${runId()}`, `tenant_redis_b_${runId()}`];
    for (const id of tenants) await registerTenant(t!.app, id, { smileback: fakes.smileback, sentinelone: fakes.sentinelone });
    // The first request warms the routes up; each later one is a cache miss of its own (tenant, domain).
    expect((await call(t!.app).get(`/api/tenants/${tenants[0]}/csat`)).status).toBe(200);
    const took: number[] = [];
    for (const path of [`${tenants[0]}/security-alerts`, `${tenants[1]}/csat`, `${tenants[1]}/security-alerts`]) {
      const started = performance.now();
      const res = await call(t!.app).get(`/api/tenants/${path}`);
      took.push(performance.now() - started);
      expect(res.status).toBe(200);
    }
    // Each miss used to wait for three 1 s timeouts (cache read, walk lock, cache write).
    for (const ms of took) expect(ms).toBeLessThan(800);
  });
});

describeWithRedis('Redis stalled under the walking copy: another copy takes the walk over within about two seconds', () => {
  const TENANT = `tenant_stall_${runId()}`;
  let dir: string;
  let fakes: Fakes;
  let proxy: TcpProxy;
  let walker: TestApp | undefined;
  let other: TestApp | undefined;

  beforeAll(async () => {
    await pingRedis();
    dir = await mkdtemp(join(tmpdir(), 'redis-stall-'));
    fakes = await startFakes();
    fakes.smileback.reviews = bulkReviews(20, 1);
    proxy = await new TcpProxy(REDIS_ADDRESS.host, REDIS_ADDRESS.port).listen();
    const env = {
      ...LIVE_ENV,
      REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
      VENDOR_TIMEOUT_MS: '20000',
      DATABASE_URL: `sqlite:${join(dir, 'platform.db')}`,
    };
    // The default lock timing: what is under test.
    walker = await bootApp({ ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` }, withoutSync);
    await registerTenant(walker.app, TENANT, { smileback: fakes.smileback });
    other = await bootApp({ ...env, REDIS_URL }, withoutSync);
  });

  afterAll(async () => {
    await other?.close();
    // Shut down while its Redis is still stalled: closing must not wait on it.
    await walker?.close();
    await proxy?.close();
    await closeFakes(fakes);
    await deleteRedisKeys(REDIS_URL, [TENANT]).catch(() => 0);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the lock of a walker that can no longer reach Redis expires, and the waiting copy walks and answers', async () => {
    const reviews = () => fakes.smileback.calls('/api/v3/reviews/');
    fakes.smileback.hang(8_000, 1, '/api/v3/reviews/');
    const first = call(walker!.app).get(`/api/tenants/${TENANT}/csat`).then((r) => r);
    for (let i = 0; i < 500 && reviews() < 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(reviews()).toBe(1);
    const waiting = call(other!.app).get(`/api/tenants/${TENANT}/csat`).then((r) => r);
    // The other copy is waiting on the lock; then the walker's Redis stops answering.
    await new Promise((r) => setTimeout(r, 300));
    expect(reviews()).toBe(1);
    const stalledAt = performance.now();
    proxy.blackhole();
    const second = await waiting;
    const tookOver = performance.now() - stalledAt;
    expect(second.status).toBe(200);
    expect(second.body.meta.total).toBe(20);
    expect(reviews()).toBe(2);
    // It used to wait out a 15 s lock.
    expect(tookOver).toBeLessThan(3_500);
    expect((await first).status).toBe(200);
  }, 20_000);
});

describeWithRedis('Redis that stops answering (idle, or under steady traffic): known down within about two seconds, then misses go straight to the vendor until it answers again', () => {
  let dir: string;
  let fakes: Fakes;
  let proxy: TcpProxy;
  let t: TestApp | undefined;

  beforeAll(async () => {
    await pingRedis();
    dir = await mkdtemp(join(tmpdir(), 'redis-idle-stall-'));
    fakes = await startFakes();
    fakes.smileback.reviews = bulkReviews(20, 1);
    proxy = await new TcpProxy(REDIS_ADDRESS.host, REDIS_ADDRESS.port).listen();
    t = await bootApp({
      ...LIVE_ENV,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
      DATABASE_URL: `sqlite:${join(dir, 'platform.db')}`,
    });
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await closeFakes(fakes);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a cold request after the stall is detected costs no Redis timeout, and health says the cache is degraded', async () => {
    const tenant = `tenant_idle_${runId()}`;
    await registerTenant(t!.app, tenant, { smileback: fakes.smileback });
    proxy.blackhole();
    await new Promise((r) => setTimeout(r, 2_000));
    const started = performance.now();
    const res = await call(t!.app).get(`/api/tenants/${tenant}/csat`);
    const took = performance.now() - started;
    expect(res.status).toBe(200);
    expect(took).toBeLessThan(800);
    const health = await call(t!.app).get('/api/health');
    expect(health.body.checks.cache.status).toBe('degraded');
  });

  it('cold requests sent back to back stop paying Redis timeouts within about two seconds, and the cache is healthy again once Redis answers', async () => {
    const cacheStatus = async () => (await call(t!.app).get('/api/health')).body.checks.cache.status as string;
    const untilCache = async (want: string) => {
      const deadline = Date.now() + 10_000;
      let status = await cacheStatus();
      while (status !== want && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        status = await cacheStatus();
      }
      return status;
    };
    proxy.restore();
    expect(await untilCache('ok')).toBe('ok');
    const tenants = Array.from({ length: 120 }, () => `tenant_busy_${runId()}`);
    for (const tenant of tenants) await registerTenant(t!.app, tenant, { smileback: fakes.smileback });
    proxy.blackhole();
    const stalledAt = performance.now();
    const late: number[] = [];
    for (const tenant of tenants) {
      const started = performance.now();
      const res = await call(t!.app).get(`/api/tenants/${tenant}/csat`);
      expect(res.status).toBe(200);
      if (started - stalledAt > 2_500) late.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(late.length).toBeGreaterThan(5);
    expect(Math.max(...late)).toBeLessThan(800);
    expect(await cacheStatus()).toBe('degraded');

    proxy.restore();
    expect(await untilCache('ok')).toBe('ok');
  });
});
