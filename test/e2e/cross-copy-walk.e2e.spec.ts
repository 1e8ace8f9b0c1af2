import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { WALK_LOCK_TIMING, WalkLockTiming } from '../../src/live/cross-copy-flight.js';
import { bootApp, TestApp } from '../support/app.js';
import {
  bulkReviews,
  bulkThreats,
  call,
  closeFakes,
  deleteRedisKeys,
  describeWithRedis,
  Fakes,
  LIVE_ENV,
  pingRedis,
  REDIS_URL,
  registerTenant,
  startFakes,
  VENDOR_PAGE_SIZE,
  withoutSync,
} from '../support/live-fixtures.js';

const pages = (n: number) => Math.ceil(n / VENDOR_PAGE_SIZE);
/** The threats of bulkThreats(2500) not yet resolved (every third is resolved): the second walk of a SentinelOne fill. */
const OPEN_THREATS = bulkThreats(2500, 1).filter((x) => x.threatInfo?.incidentStatus !== 'resolved').length;

describeWithRedis('two app copies sharing Redis make one vendor walk per key (cross-copy single flight)', () => {
  // Tenant ids and lock prefix of this run only: the machine's Redis is shared with other runs.
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const TENANT = `tenant_walk_${run}`;
  let dir: string;
  let fakes: Fakes;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    await pingRedis();
    dir = await mkdtemp(join(tmpdir(), 'cross-copy-'));
    fakes = await startFakes();
    fakes.sentinelone.threats = bulkThreats(2500, 1);
    fakes.smileback.reviews = bulkReviews(1500, 40_000_001);
    // A vendor slow enough that both copies are cold at once; generous timeouts for a busy machine.
    env = {
      ...LIVE_ENV,
      REDIS_URL,
      REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
      VENDOR_TIMEOUT_MS: '10000',
      DATABASE_URL: `sqlite:${join(dir, 'platform.db')}`,
    };
    a = await bootApp(env, withoutSync);
    await registerTenant(a.app, TENANT, { sentinelone: fakes.sentinelone, smileback: fakes.smileback });
    b = await bootApp(env, withoutSync);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await closeFakes(fakes);
    await deleteRedisKeys(REDIS_URL, [TENANT]).catch(() => 0);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('40 concurrent cold requests spread over both copies: each vendor walked once, every answer the same', async () => {
    fakes.sentinelone.hang(300, 1, '/web/api/v2.1/threats');
    const requests = Array.from({ length: 40 }, (_, i) => {
      const copy = i % 2 === 0 ? a! : b!;
      return call(copy.app).get(`/api/tenants/${TENANT}/${i % 4 < 2 ? 'security-alerts' : 'csat'}?page_size=5`);
    });
    const answers = await Promise.all(requests);
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(200));
    const alerts = answers.filter((_, i) => i % 4 < 2);
    const csat = answers.filter((_, i) => i % 4 >= 2);
    expect(new Set(alerts.map((r) => r.text)).size).toBe(1);
    expect(new Set(csat.map((r) => r.text)).size).toBe(1);
    expect(alerts[0].body.meta.total).toBe(2500);
    expect(csat[0].body.meta.total).toBe(1500);

    // One fill per vendor for both copies together, not one per copy (SentinelOne: the updated-since walk
    // and the walk over the threats not yet resolved).
    expect(fakes.sentinelone.calls('/web/api/v2.1/threats')).toBe(pages(2500) + pages(OPEN_THREATS));
    expect(fakes.smileback.calls('/api/v3/reviews/')).toBe(pages(1500));
  });

  it('a later request on either copy is served from the shared cache (no vendor call)', async () => {
    const before = fakes.sentinelone.calls() + fakes.smileback.calls();
    for (const copy of [a!, b!]) {
      expect((await call(copy.app).get(`/api/tenants/${TENANT}/security-alerts?page_size=1`)).status).toBe(200);
      expect((await call(copy.app).get(`/api/tenants/${TENANT}/csat?page_size=1`)).status).toBe(200);
    }
    expect(fakes.sentinelone.calls() + fakes.smileback.calls()).toBe(before);
  });

  it('a deployment with another REDIS_KEY_PREFIX on the same Redis never reads these entries: it walks the vendors itself', async () => {
    const other = await bootApp({ ...env, REDIS_KEY_PREFIX: `test-${randomUUID()}:` }, withoutSync);
    try {
      const before = fakes.sentinelone.calls('/web/api/v2.1/threats');
      expect((await call(other.app).get(`/api/tenants/${TENANT}/security-alerts?page_size=1`)).status).toBe(200);
      expect(fakes.sentinelone.calls('/web/api/v2.1/threats') - before).toBe(pages(2500) + pages(OPEN_THREATS));
    } finally {
      await other.close();
    }
  });
});

describeWithRedis('the cross-copy walk lock: renewed during a long walk, and a failed walk answers the copies that waited on it', () => {
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const LONG = `tenant_long_${run}`;
  const FAILING = `tenant_fail_${run}`;
  const ABANDONED = `tenant_gone_${run}`;
  // A lock that would expire three times over during the walk below, were it not renewed.
  const timing: WalkLockTiming = { lockMs: 600, renewMs: 150, pollMs: 50, maxWaitMs: 30_000, failureMs: 5_000 };
  let dir: string;
  let fakes: Fakes;
  let a: TestApp | undefined;
  let b: TestApp | undefined;

  /** Until the fake has received `count` requests on `path` (the walker has started). */
  async function untilCalled(count: () => number, atLeast: number): Promise<void> {
    for (let i = 0; i < 500 && count() < atLeast; i++) await new Promise((r) => setTimeout(r, 10));
    expect(count()).toBeGreaterThanOrEqual(atLeast);
  }

  beforeAll(async () => {
    await pingRedis();
    dir = await mkdtemp(join(tmpdir(), 'cross-copy-lock-'));
    fakes = await startFakes();
    fakes.smileback.reviews = bulkReviews(20, 1);
    fakes.sentinelone.threats = bulkThreats(20, 1);
    const env = {
      ...LIVE_ENV,
      REDIS_URL,
      REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
      VENDOR_TIMEOUT_MS: '10000',
      VENDOR_BREAKER_THRESHOLD: '100',
      DATABASE_URL: `sqlite:${join(dir, 'platform.db')}`,
    };
    const fast = (builder: TestingModuleBuilder) => withoutSync(builder.overrideProvider(WALK_LOCK_TIMING).useValue(timing));
    a = await bootApp(env, fast);
    await registerTenant(a.app, LONG, { smileback: fakes.smileback });
    await registerTenant(a.app, FAILING, { sentinelone: fakes.sentinelone });
    await registerTenant(a.app, ABANDONED, { smileback: fakes.smileback });
    b = await bootApp(env, fast);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await closeFakes(fakes);
    await deleteRedisKeys(REDIS_URL, [LONG, FAILING, ABANDONED]).catch(() => 0);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a walk lasting several lock lifetimes stays the only one: the other copy waits for its result', async () => {
    const reviews = () => fakes.smileback.calls('/api/v3/reviews/');
    fakes.smileback.hang(2_000, 1, '/api/v3/reviews/');
    const first = call(a!.app).get(`/api/tenants/${LONG}/csat`).then((r) => r);
    await untilCalled(reviews, 1);
    const second = await call(b!.app).get(`/api/tenants/${LONG}/csat`);
    expect(second.status).toBe(200);
    expect(second.text).toBe((await first).text);
    expect(reviews()).toBe(1);
  });

  it("the walker's vendor failure is the waiting copy's answer at once: it does not walk into it again", async () => {
    const threats = () => fakes.sentinelone.calls('/web/api/v2.1/threats');
    // The first call hangs (so the other copy is waiting), then it and both retries fail: VENDOR_MAX_RETRIES=2.
    fakes.sentinelone.hang(1_000, 1, '/web/api/v2.1/threats');
    fakes.sentinelone.failNext(3, { status: 500, path: '/web/api/v2.1/threats' });
    const first = call(a!.app).get(`/api/tenants/${FAILING}/security-alerts`).then((r) => r);
    await untilCalled(threats, 1);
    const second = await call(b!.app).get(`/api/tenants/${FAILING}/security-alerts`);
    expect((await first).status).toBe(502);
    expect(second.status).toBe(502);
    expect(second.body).toMatchObject({ type: '/problems/vendor-error', status: 502 });
    expect(second.body.detail).toMatch(/^sentinelone answered 500 to GET \/web\/api\/v2\.1\/threats/);
    expect(threats()).toBe(3);
    // A request after the failure is not answered with it: it walks (and the vendor is back): both walks.
    const later = await call(b!.app).get(`/api/tenants/${FAILING}/security-alerts`);
    expect(later.status).toBe(200);
    expect(threats()).toBe(5);
  });

  it('a walk whose only client hung up leaves no failure behind: the copy that waited on it walks itself', async () => {
    const reviews = () => fakes.smileback.calls('/api/v3/reviews/');
    const before = reviews();
    fakes.smileback.hang(1_500, 1, '/api/v3/reviews/');
    const first = call(a!.app).get(`/api/tenants/${ABANDONED}/csat`).timeout(400).then(() => 'answered', (e: Error) => e.message);
    await untilCalled(reviews, before + 1);
    const second = call(b!.app).get(`/api/tenants/${ABANDONED}/csat`).then((r) => r);
    expect(await first).toMatch(/timeout/i);
    const res = await second;
    expect({ status: res.status, total: res.body.meta?.total }).toEqual({ status: 200, total: 20 });
    // The abandoned walk's one page, then the waiting copy's own walk (not the abandoned walk's result).
    expect(reviews()).toBe(before + 2);
  });
});
