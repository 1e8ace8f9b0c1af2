import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
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
  registerTenant,
  startFakes,
  VENDOR_PAGE_SIZE,
} from '../support/live-fixtures.js';

const pages = (n: number) => Math.ceil(n / VENDOR_PAGE_SIZE);

describe('two app copies sharing Redis make one vendor walk per key (cross-copy single flight)', () => {
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
    a = await bootApp(env);
    await registerTenant(a.app, TENANT, { sentinelone: fakes.sentinelone, smileback: fakes.smileback });
    b = await bootApp(env);
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

    // One paged walk per vendor for both copies together, not one per copy.
    expect(fakes.sentinelone.calls('/web/api/v2.1/threats')).toBe(pages(2500));
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
    const other = await bootApp({ ...env, REDIS_KEY_PREFIX: `test-${randomUUID()}:` });
    try {
      const before = fakes.sentinelone.calls('/web/api/v2.1/threats');
      expect((await call(other.app).get(`/api/tenants/${TENANT}/security-alerts?page_size=1`)).status).toBe(200);
      expect(fakes.sentinelone.calls('/web/api/v2.1/threats') - before).toBe(pages(2500));
    } finally {
      await other.close();
    }
  });
});
