import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { REDIS_CLIENT, type SharedRedis } from '../../src/redis/redis.module.js';
import type { TestApp } from '../support/app.js';
import { bulkReviews, bulkThreats, call, closeFakes, describeWithRedis, Fakes, LIVE_ENV, mintTenantKey, pingRedis, startFakes } from '../support/live-fixtures.js';
import { bootReplicaApp, FakeTenantStreams, registerReplicaTenant, stateOf } from '../support/replica-app.js';
import { REDIS_ADDRESS } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';

/*
 * What Redis is for once live reads come from the replica: the shared rate-limit budget only (the
 * replica is in the platform database; reads and syncs never touch Redis). An outage of Redis must
 * cost neither: reads are served, syncs run, requests are let through rather than failed, and the
 * shared budget counts again once Redis answers.
 */

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const REPLICA_ENV = { ...LIVE_ENV, VENDOR_TIMEOUT_MS: '5000', SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '90', FIRST_SYNC_WAIT_MS: '20000' };

describe('Redis refusing connections: live reads from the replica and the sync do not need it', () => {
  let fakes: Fakes;
  let streams: FakeTenantStreams;
  let t: TestApp | undefined;

  beforeAll(async () => {
    fakes = await startFakes();
    fakes.smileback.reviews = bulkReviews(20, 1);
    fakes.sentinelone.threats = bulkThreats(20, 1);
    streams = new FakeTenantStreams();
    // A budget small enough to be spent below: with its store unreachable it must let requests through.
    t = await bootReplicaApp({ ...REPLICA_ENV, REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, RATE_LIMIT_PER_MINUTE: '3' }, streams);
  });

  afterAll(async () => {
    await t?.close();
    await streams?.http.onApplicationShutdown();
    await closeFakes(fakes);
  });

  it('syncs and serves every tenant its data, never a 429 or a 5xx', async () => {
    const tenants = ['tenant_redis_a', 'tenant_redis_b'];
    for (const id of tenants) await registerReplicaTenant(t!.app, streams, id, { smileback: fakes.smileback, sentinelone: fakes.sentinelone });
    for (const id of tenants) {
      for (const [path, total] of [['csat', 20], ['security-alerts', 20], ['csat?page_size=5', 20]] as const) {
        const res = await call(t!.app).get(`/api/tenants/${id}/${path}`);
        expect({ id, path, status: res.status, total: res.body.meta?.total }).toEqual({ id, path, status: 200, total });
        expect(res.headers.warning).toBeUndefined();
      }
      expect((await stateOf(t!.app, id, 'smileback.reviews'))?.state).toBe('idle');
      expect((await stateOf(t!.app, id, 'sentinelone.threats'))?.state).toBe('idle');
    }
  }, 60_000);
});

describeWithRedis('Redis that stops answering under a live copy: requests let through while it is down, the shared budget counts again once it answers', () => {
  const LIMIT = 8;
  const TENANT = 'tenant_redis_stall';
  let fakes: Fakes;
  let streams: FakeTenantStreams;
  let proxy: TcpProxy;
  let t: TestApp | undefined;

  beforeAll(async () => {
    await pingRedis();
    fakes = await startFakes();
    fakes.smileback.reviews = bulkReviews(20, 1);
    proxy = await new TcpProxy(REDIS_ADDRESS.host, REDIS_ADDRESS.port).listen();
    streams = new FakeTenantStreams();
    t = await bootReplicaApp(
      // A prefix of our own: the machine's Redis is shared with other test runs.
      { ...REPLICA_ENV, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: `test-${randomUUID()}:`, RATE_LIMIT_PER_MINUTE: String(LIMIT) },
      streams,
    );
    await registerReplicaTenant(t.app, streams, TENANT, { smileback: fakes.smileback });
  });

  afterAll(async () => {
    // Shut down while its Redis may still be stalled: closing must not wait on it.
    await t?.close();
    await proxy?.close();
    await streams?.http.onApplicationShutdown();
    await closeFakes(fakes);
  });

  const redisReady = () => (t!.app.get<SharedRedis>(REDIS_CLIENT) as NonNullable<SharedRedis>).isReady;
  const until = async (what: string, ok: () => boolean) => {
    for (const deadline = Date.now() + 15_000; !ok(); await sleep(50)) if (Date.now() > deadline) throw new Error(`${what} never came`);
  };
  /** LIMIT reads with one key answered 200 with the data; then, when Redis keeps the count, a 429. */
  const spend = async (key: string) => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await call(t!.app, key).get(`/api/tenants/${TENANT}/csat?page_size=5`);
      statuses.push(res.status);
      if (res.status === 200) expect(res.body.meta.total).toBe(20);
    }
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    return call(t!.app, key).get(`/api/tenants/${TENANT}/csat?page_size=5`);
  };

  it('counts one budget per key in Redis while it answers', async () => {
    const key = await mintTenantKey(t!.app, [TENANT]);
    const over = await spend(key);
    expect(over.status).toBe(429);
    expect(over.body.type).toBe('/problems/rate-limited');
  }, 60_000);

  it('once Redis is known down, serves every request (no 429, no 5xx) and health says degraded; once it answers again, the budget counts again and health is ok', async () => {
    const [during, after] = [await mintTenantKey(t!.app, [TENANT]), await mintTenantKey(t!.app, [TENANT])];
    const redisHealth = async () => (await call(t!.app).get('/api/health').expect(200)).body.checks.redis.status;
    expect(await redisHealth()).toBe('ok');
    proxy.blackhole();
    await until('Redis known down', () => !redisReady());
    expect(await redisHealth()).toBe('degraded');
    const beyond = await spend(during);
    expect(beyond.status).toBe(200);
    expect(beyond.body.meta.total).toBe(20);

    proxy.restore();
    await until('Redis answering again', () => redisReady());
    expect(await redisHealth()).toBe('ok');
    const over = await spend(after);
    expect(over.status).toBe(429);
  }, 60_000);
});
