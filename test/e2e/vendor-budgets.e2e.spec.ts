import { setTimeout as sleep } from 'node:timers/promises';
import { VENDOR_BUDGET_LIMITS, VendorBudgetLimits } from '../../src/integrations/http/vendor-budgets.js';
import { PlatformDb } from '../../src/platform/platform-db.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { bootApp, TestApp } from '../support/app.js';
import { bulkReviews, call, LIVE_ENV, registerTenant } from '../support/live-fixtures.js';
import { createPostgresDatabase, TestDatabase } from '../support/postgres.js';

const REVIEWS_PATH = '/api/v3/reviews/';

interface StreamInfo {
  stream: string;
  state: string;
  records: number;
  last_success_at: string | null;
  last_error: string | null;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await sleep(100);
  }
}

async function reviewsStream(t: TestApp, tenant: string): Promise<StreamInfo | undefined> {
  const res = await call(t.app).get(`/api/admin/tenants/${tenant}/sync`).expect(200);
  return (res.body.streams as StreamInfo[]).find((s) => s.stream === 'smileback.reviews');
}

/** Registers the tenant's SmileBack and asks for its sync at once (the planner would within a minute). */
async function registerAndSync(t: TestApp, tenant: string, fake: FakeSmileBack): Promise<void> {
  await registerTenant(t.app, tenant, { smileback: fake });
  await call(t.app).post(`/api/admin/tenants/${tenant}/sync`).expect(202);
}

const apiCalls = (fake: FakeSmileBack) => fake.requests.filter((r) => r.path === REVIEWS_PATH);

/** One page of at most two reviews: a handful of reviews take more pages than the test's budget. */
async function smileBackWith(reviews: number, firstId: number): Promise<FakeSmileBack> {
  const fake = await FakeSmileBack.start();
  fake.reviews = bulkReviews(reviews, firstId);
  fake.pageCap = 2;
  return fake;
}

const withBudget = (limits: VendorBudgetLimits) => (b: Parameters<NonNullable<Parameters<typeof bootApp>[1]>>[0]) =>
  b.overrideProvider(VENDOR_BUDGET_LIMITS).useValue(limits);

describe('vendor request budgets: two app copies on one PostgreSQL take from one budget per credential', () => {
  const BUDGET = 4;
  let database: TestDatabase;
  let acme: FakeSmileBack;
  let globex: FakeSmileBack;
  const copies: TestApp[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    acme = await smileBackWith(20, 1);
    globex = await smileBackWith(3, 500);
    // A window far longer than the test: whatever reaches the fake in it is all the budget allows.
    const customize = withBudget({ smileback: [{ requests: BUDGET, seconds: 600 }] });
    const env = { ...LIVE_ENV, DATABASE_URL: database.url, SYNC_INTERVAL_SECONDS: '1', SYNC_HISTORY_DAYS: '90', LIVE_WINDOW_DAYS: '90' };
    copies.push(await bootApp(env, customize));
    copies.push(await bootApp(env, customize));
  });

  afterAll(async () => {
    await Promise.all(copies.map((c) => c.close()));
    await Promise.all([acme?.close(), globex?.close()]);
    await database?.drop();
  });

  it('a first sync with more pages than the budget sends the budget, then is rescheduled rather than held', async () => {
    await registerAndSync(copies[0], 'acme', acme);
    const db = copies[0].app.get(PlatformDb).db;
    const waiting = await until('a run of acme ends waiting for its budget', async () => {
      const runs = await db.selectFrom('sync_runs').selectAll().where('tenant_id', '=', 'acme').where('stream', '=', 'smileback.reviews').execute();
      return runs.find((r) => r.finished_at !== null && /request budget/.test(r.note ?? ''));
    });
    expect(waiting.note).toMatch(/^waiting: smileback is unavailable: its request budget for this credential \(4 requests per 600 s\) is spent: retry after \d+ s; the run resumes in \d+ s$/);
    // Our own budget is no vendor 429, and no failure.
    expect(waiting.http_429).toBe(0);
    expect(waiting.error).toBeNull();
    expect(apiCalls(acme)).toHaveLength(BUDGET);
    const stream = (await reviewsStream(copies[0], 'acme')) as StreamInfo;
    expect(stream.last_error).toBeNull();
    expect(stream.state).not.toBe('failed');
    // Some pages were written; the rest waits for the window.
    expect(stream.records).toBeGreaterThan(0);
    expect(stream.records).toBeLessThan(20);

    // Each copy finds the budget spent, whichever copy spent it: nothing more is sent.
    for (const copy of copies) {
      // A copy may take a moment (PLATFORM_CACHE_TTL_MS) to know a tenant another registered.
      const test = await until('the copy knows acme', async () => {
        const res = await call(copy.app).post('/api/admin/tenants/acme/integrations/smileback/test');
        return res.status === 404 ? undefined : res;
      });
      expect(test.status).toBe(200);
      expect(test.body).toEqual({ ok: false, error: expect.stringMatching(/^SmileBack: smileback is unavailable: its request budget .* is spent: retry after \d+ s$/) });
    }
    await sleep(2_000);
    expect(apiCalls(acme)).toHaveLength(BUDGET);

    const deferred = await Promise.all(
      copies.map(async (copy) => {
        const text = (await copy.get('/metrics').expect(200)).text;
        return Number(/^vendor_budget_waits_total\{vendor="smileback",outcome="deferred"\} (\d+)$/m.exec(text)?.[1] ?? 0);
      }),
    );
    expect(deferred[0] + deferred[1]).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it("another tenant's budget is its own: it syncs while acme's is spent", async () => {
    await registerAndSync(copies[1], 'globex', globex);
    const synced = await until('globex reviews synced', async () => {
      const stream = await reviewsStream(copies[1], 'globex');
      return stream?.last_success_at ? stream : undefined;
    });
    expect(synced.records).toBe(3);
    expect(apiCalls(globex).length).toBeLessThanOrEqual(BUDGET);
    expect(apiCalls(acme)).toHaveLength(BUDGET);
  }, 90_000);
});

describe('vendor request budgets: a short spent window is waited out within the run (SQLite, in process)', () => {
  const BUDGET = 3;
  const WINDOW_MS = 2_000;
  let app: TestApp;
  let acme: FakeSmileBack;

  beforeAll(async () => {
    acme = await smileBackWith(8, 1);
    app = await bootApp({ ...LIVE_ENV, SYNC_HISTORY_DAYS: '90', LIVE_WINDOW_DAYS: '90' }, withBudget({ smileback: [{ requests: BUDGET, seconds: WINDOW_MS / 1000 }] }));
  });

  afterAll(async () => {
    await app?.close();
    await acme?.close();
  });

  it('the sync completes, never faster than the budget allows', async () => {
    await registerAndSync(app, 'acme', acme);
    const synced = await until('acme reviews synced', async () => {
      const stream = await reviewsStream(app, 'acme');
      return stream?.last_success_at ? stream : undefined;
    });
    expect(synced.records).toBe(8);
    const times = apiCalls(acme).map((r) => r.at);
    expect(times.length).toBeGreaterThan(BUDGET * 2);
    // Request j cannot start before window ⌊j / budget⌋ does (the first request's own latency aside).
    for (let j = 0; j < times.length; j++) expect(times[j] - times[0]).toBeGreaterThanOrEqual(Math.floor(j / BUDGET) * WINDOW_MS - 500);
    const runs = await app.app.get(PlatformDb).db.selectFrom('sync_runs').selectAll().where('tenant_id', '=', 'acme').execute();
    // Waited in place: no run was put off, and the wait is in the run history.
    expect(runs.some((r) => /request budget/.test(r.note ?? ''))).toBe(false);
    expect(runs.reduce((sum, r) => sum + Number(r.waited_ms), 0)).toBeGreaterThan(0);
  }, 90_000);
});
