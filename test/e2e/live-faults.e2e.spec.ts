import type { CwTicket } from '../../src/integrations/connectwise/connectwise.client.js';
import type { SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import type { StreamName } from '../../src/sync/stream.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import request from 'supertest';
import { CapturingLogger, server, type TestApp } from '../support/app.js';
import {
  MEMBERS,
  VENDOR_PAGE_SIZE,
  at,
  bulkGraphAlerts,
  bulkReviews,
  bulkThreats,
  bulkTickets,
  call,
  Fakes,
  fakeSecrets,
  listAll,
  registerTenant,
} from '../support/live-fixtures.js';
import { SyncRunner } from '../../src/sync/sync-runner.js';
import { bootSyncedApp, REPLICA_ENV, runHistory, runStream, streamStatus } from '../support/replica-runs.js';

/*
 * Live mode when vendors misbehave, met by the sync runs that keep the replica (reads never call a
 * vendor): throttling, outages, hangs, open circuits, tokens dying mid-walk, a thundering herd of
 * reads on a tenant never synced, and data that does not map. A failing run is recorded (state,
 * last_error, run history) and the last good data stays served with Warning 110; a first sync that
 * fails is answered with its vendor error. Each test gets its own fake vendors and its own tenant
 * (breakers are per tenant), in one app booted with VENDOR_MAX_RETRIES=2 (3 requests per call) and
 * VENDOR_BREAKER_THRESHOLD=3.
 */

// First syncs of a few thousand records (and one description call per ticket) on a loaded machine: room to finish.
const FAULTS_ENV = { ...REPLICA_ENV, VENDOR_TIMEOUT_MS: '10000', FIRST_SYNC_WAIT_MS: '90000' };
/** For the tests whose first syncs fetch thousands of records. */
const LONG_MS = 180_000;
const THRESHOLD = 3;
const ATTEMPTS = 3; // VENDOR_MAX_RETRIES=2 → the first try and 2 retries
const PROBLEM_JSON = /^application\/problem\+json/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pages = (n: number) => Math.ceil(n / VENDOR_PAGE_SIZE);
/** Now as vendors stamp a change (whole seconds). */
const nowStamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

const STARTERS = {
  connectwise: FakeConnectWise.start,
  smileback: FakeSmileBack.start,
  sentinelone: FakeSentinelOne.start,
  defender: FakeDefender.start,
} as const;

const threat = (id: string, name: string): SentinelOneThreat => ({
  id,
  agentRealtimeInfo: { accountId: 'acc-1', siteId: 'site-1', agentComputerName: 'CD-FRONTDESK-01' },
  threatInfo: {
    threatName: name,
    classification: 'Trojan',
    confidenceLevel: 'malicious',
    mitigationStatus: 'mitigated',
    incidentStatus: 'unresolved',
    identifiedAt: at(1, '09:00:00'),
    createdAt: at(1, '09:00:00'),
    updatedAt: at(1, '09:05:00'),
  },
});

/** Fresh fakes per test and a fresh tenant registered against them, closed after each test. */
function harness(getApp: () => TestApp) {
  const opened: Array<{ close(): Promise<void> }> = [];
  let serial = 0;
  const prefix = `tenant_f${Date.now().toString(36)}`;
  return {
    async fakes<K extends keyof Fakes>(...vendors: K[]): Promise<Pick<Fakes, K>> {
      const out = {} as Pick<Fakes, K>;
      for (const vendor of vendors) {
        const fake = (await STARTERS[vendor]()) as Fakes[K];
        opened.push(fake);
        out[vendor] = fake;
      }
      return out;
    },
    async tenant(fakes: Partial<Fakes>): Promise<string> {
      const id = `${prefix}_${++serial}`;
      await registerTenant(getApp().app, id, fakes);
      return id;
    },
    async closeAll(): Promise<void> {
      await Promise.all(opened.splice(0).map((fake) => fake.close()));
    },
  };
}

function expectVendorProblem(
  res: { status: number; headers: Record<string, string>; body: Record<string, unknown>; text: string },
  status: number,
  type: string,
  secrets: string[],
): void {
  expect({ status: res.status, type: res.body.type }).toEqual({ status, type });
  expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
  expect(res.body).not.toHaveProperty('data');
  expect(res.body.instance).toMatch(/^\/api\/tenants\//);
  for (const secret of secrets) expect(res.text).not.toContain(secret);
  // No stack trace, file-system path or bearer credential in a 5xx.
  expect(res.text).not.toMatch(/\bat \S+ \(|\/work\/|node_modules|Bearer [A-Za-z0-9]|fake-access-/);
}

/** The stream's failed run as recorded: state, last_error (the vendor's secret-free words) and its run row agree. */
async function expectFailedRun(t: TestApp, tenant: string, stream: StreamName, error: RegExp, secrets: string[]): Promise<string> {
  const status = await streamStatus(t.app, tenant, stream);
  expect(status.state).toBe('failed');
  expect(status.last_error).toMatch(error);
  const [run] = await runHistory(t.app, tenant, stream);
  expect(run.error).toBe(status.last_error);
  for (const secret of secrets) expect(JSON.stringify(status)).not.toContain(secret);
  return status.last_error as string;
}

describe('live replica under vendor faults', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);
  const logger = new CapturingLogger();

  beforeAll(async () => {
    t = await bootSyncedApp({ ...FAULTS_ENV, VENDOR_BREAKER_THRESHOLD: String(THRESHOLD) }, logger);
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('meets a 429 with Retry-After by ending the run unfailed and running it again after the wait: the first sync completes, the read is served', async () => {
    const { smileback, connectwise } = await h.fakes('smileback', 'connectwise');
    smileback.reviews = bulkReviews(1500, 40_000_001);
    const bulk = bulkTickets(1200, 300_001);
    Object.assign(connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    smileback.failNext(2, { status: 429, retryAfter: 1 });
    connectwise.failNext(2, { status: 429, retryAfter: 1, path: '/service/tickets' });
    const id = await h.tenant({ smileback, connectwise });

    const [csat, tickets] = await Promise.all([get(`/api/tenants/${id}/csat?page_size=1`), get(`/api/tenants/${id}/tickets?page_size=1`)]);
    expect(csat.status).toBe(200);
    expect(csat.body.meta.total).toBe(1500);
    expect(tickets.status).toBe(200);
    expect(tickets.body.meta.total).toBe(1200);

    for (const stream of ['smileback.reviews', 'connectwise.tickets'] as const) {
      // Newest first: the run that completed, then two that met a 429 and waited, none of them a failure.
      const runs = await runHistory(t.app, id, stream);
      expect(runs.map((r) => ({ error: r.error, http_429: Number(r.http_429) }))).toEqual([
        { error: null, http_429: 0 },
        { error: null, http_429: 1 },
        { error: null, http_429: 1 },
      ]);
      for (const waited of runs.slice(1)) expect(waited.note).toMatch(/^waiting: .*rate limited \(429\): asked to retry after 1 s; the run resumes in 1 s$/);
      expect(await streamStatus(t.app, id, stream)).toMatchObject({ state: 'idle', last_error: null });
    }
    // The first page was asked for three times (two 429s, then the answer), the second once.
    const reviews = smileback.requests.filter((r) => r.path === '/api/v3/reviews/');
    expect(reviews).toHaveLength(3 + 1);
    // Each run asks from the first sync's window start (before every review), the fourth from the first page's last review.
    const oldest = Math.min(...smileback.reviews.map((r) => Date.parse(String(r.last_modified))));
    expect(reviews.slice(0, 3).every((r) => Date.parse(String(r.query.get('modified_since'))) < oldest)).toBe(true);
    expect(Date.parse(String(reviews[3].query.get('modified_since')))).toBeGreaterThanOrEqual(oldest);
    const walk = connectwise.requests.filter((r) => r.path.endsWith('/service/tickets'));
    expect(walk.map((r) => r.query.get('pageId'))).toEqual([null, null, null, '301000']);
  }, LONG_MS);

  it('fails the first sync of a vendor that stays down: the read answers 502 /problems/vendor-error naming it, after 1 + VENDOR_MAX_RETRIES calls', async () => {
    const { sentinelone, smileback } = await h.fakes('sentinelone', 'smileback');
    sentinelone.threats = [threat('1790000000000000001', 'locky.exe')];
    smileback.reviews = bulkReviews(10, 40_000_001);
    sentinelone.failNext(100, { status: 500 });
    smileback.failNext(100, { status: 503 });
    const id = await h.tenant({ sentinelone, smileback });
    const secrets = fakeSecrets({ sentinelone, smileback });

    const alerts = await get(`/api/tenants/${id}/security-alerts`);
    expectVendorProblem(alerts, 502, '/problems/vendor-error', secrets);
    expect(alerts.body).toMatchObject({ title: 'Bad Gateway', status: 502, instance: `/api/tenants/${id}/security-alerts` });
    expect(alerts.body.detail).toBe('sentinelone answered 500 to GET /web/api/v2.1/threats');
    expect(sentinelone.calls()).toBe(ATTEMPTS);
    await expectFailedRun(t, id, 'sentinelone.threats', /^sentinelone answered 500 to GET \/web\/api\/v2\.1\/threats/, secrets);

    const csat = await get(`/api/tenants/${id}/csat`);
    expectVendorProblem(csat, 502, '/problems/vendor-error', secrets);
    expect(csat.body.detail).toBe('smileback answered 503 to GET /api/v3/reviews/');
    expect(smileback.calls('/api/v3/reviews/')).toBe(ATTEMPTS);
    await expectFailedRun(t, id, 'smileback.reviews', /^smileback answered 503 to GET \/api\/v3\/reviews\//, secrets);

    // Until the stream's next run, a read repeats the recorded failure without calling the vendor.
    expect((await get(`/api/tenants/${id}/security-alerts`)).status).toBe(502);
    expect(sentinelone.calls()).toBe(ATTEMPTS);
  });

  it('fails the first sync like any vendor call when its extra walk or call fails: open alerts, ticket descriptions', async () => {
    const { sentinelone, defender, connectwise } = await h.fakes('sentinelone', 'defender', 'connectwise');
    sentinelone.threats = [threat('1790000000000000001', 'locky.exe')];
    defender.graphAlerts = bulkGraphAlerts(3, 800_001);
    // One ticket: one description call, tried 1 + VENDOR_MAX_RETRIES times (more in parallel would open the breaker first).
    const bulk = bulkTickets(1, 300_001);
    Object.assign(connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    // Only the second walk of each first sync fails (the updated-since walks answer), and ConnectWise's descriptions.
    sentinelone.failNext(100, { status: 500, query: { name: 'incidentStatuses' } });
    defender.failNext(100, { status: 400, path: '/v1.0/security/alerts_v2', query: { name: '$filter', startsWith: '(status eq' } });
    connectwise.failNext(100, { status: 503, path: '/notes' });
    const id = await h.tenant({ sentinelone, connectwise });
    const other = await h.tenant({ defender });
    const secrets = fakeSecrets({ sentinelone, defender, connectwise });

    const alerts = await get(`/api/tenants/${id}/security-alerts`);
    expectVendorProblem(alerts, 502, '/problems/vendor-error', secrets);
    expect(alerts.body.detail).toBe('sentinelone answered 500 to GET /web/api/v2.1/threats');
    // The updated-since walk once, then the open walk tried 1 + VENDOR_MAX_RETRIES times, as any call.
    expect(sentinelone.requests.map((r) => r.query.has('incidentStatuses'))).toEqual([false, ...Array(ATTEMPTS).fill(true)]);
    // What the first walk wrote is not served: the stream never completed a sync.
    expect((await streamStatus(t.app, id, 'sentinelone.threats')).last_success_at).toBeNull();

    const graph = await get(`/api/tenants/${other}/security-alerts`);
    expectVendorProblem(graph, 502, '/problems/vendor-error', secrets);
    expect(graph.body.detail).toBe('defender answered 400 to GET /v1.0/security/alerts_v2');

    const tickets = await get(`/api/tenants/${id}/tickets`);
    expectVendorProblem(tickets, 502, '/problems/vendor-error', secrets);
    expect(tickets.body.detail).toBe('connectwise answered 503 to GET /v4_6_release/apis/3.0/service/tickets/300001/notes');
    expect(connectwise.calls('/notes')).toBe(ATTEMPTS);
    await expectFailedRun(t, id, 'connectwise.tickets', /^connectwise answered 503 to GET \S+\/notes/, secrets);
  });

  it('fails the first sync with 503 /problems/vendor-unavailable when the vendor cannot be reached', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    const id = await h.tenant({ sentinelone });
    await sentinelone.close();

    const res = await get(`/api/tenants/${id}/security-alerts`);
    expectVendorProblem(res, 503, '/problems/vendor-unavailable', fakeSecrets({ sentinelone }));
    expect(res.body.detail).toMatch(/^sentinelone is unavailable: network error/);
    // Not before the next scheduled run (SYNC_INTERVAL_SECONDS=3600).
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3500);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3600);
    await expectFailedRun(t, id, 'sentinelone.threats', /^sentinelone is unavailable: network error/, []);
  });

  it('opens the breaker after VENDOR_BREAKER_THRESHOLD failures: the next run fails at once without a request, other tenants sync, and the trial call after the cooldown closes it', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('1790000000000000001', 'locky.exe')];
    sentinelone.failNext(THRESHOLD, { status: 500 });
    const id = await h.tenant({ sentinelone });
    const secrets = fakeSecrets({ sentinelone });

    const first = await get(`/api/tenants/${id}/security-alerts`);
    expectVendorProblem(first, 502, '/problems/vendor-error', secrets);
    expect(sentinelone.calls()).toBe(THRESHOLD);

    const health = await call(t.app).get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.checks.vendors.breakers[`sentinelone:${id}`]).toBe('open');
    expect(health.body.checks.vendors.open).toContain(`sentinelone:${id}`);

    for (let i = 0; i < 3; i++) {
      expect(await runStream(t.app, id, 'sentinelone.threats')).toBeInstanceOf(Error);
      await expectFailedRun(t, id, 'sentinelone.threats', /^sentinelone is unavailable: circuit sentinelone:\S+ is open/, secrets);
      const refused = await get(`/api/tenants/${id}/security-alerts`);
      expectVendorProblem(refused, 503, '/problems/vendor-unavailable', secrets);
      expect(refused.body.detail).toMatch(/^sentinelone is unavailable: circuit sentinelone:\S+ is open/);
      // The breaker's remaining cooldown (VENDOR_BREAKER_COOLDOWN_MS=1000), when the stream's retry is queued.
      expect(refused.headers['retry-after']).toBe('1');
    }
    expect(sentinelone.calls()).toBe(THRESHOLD);

    // The breaker is per tenant: another tenant on the same (now healthy) console syncs (the
    // updated-since walk, then the open one) and is served.
    const other = await h.tenant({ sentinelone });
    expect((await get(`/api/tenants/${other}/security-alerts`)).status).toBe(200);
    expect(sentinelone.calls()).toBe(THRESHOLD + 2);

    // After the cooldown one trial call goes through; it succeeds, the circuit closes, and the open walk follows.
    await sleep(1100);
    expect(await runStream(t.app, id, 'sentinelone.threats')).not.toBeInstanceOf(Error);
    const recovered = await get(`/api/tenants/${id}/security-alerts`);
    expect(recovered.status).toBe(200);
    expect(recovered.body.meta.total).toBe(1);
    expect(sentinelone.calls()).toBe(THRESHOLD + 4);
    expect(await streamStatus(t.app, id, 'sentinelone.threats')).toMatchObject({ state: 'idle', last_error: null });
    expect((await call(t.app).get('/api/health')).body.checks.vendors.breakers[`sentinelone:${id}`]).toBe('closed');
  });

  it('survives tokens expiring mid-walk (SmileBack and Defender): one refresh, every page synced', async () => {
    const { smileback, defender } = await h.fakes('smileback', 'defender');
    smileback.reviews = bulkReviews(2500, 40_000_001);
    defender.graphAlerts = bulkGraphAlerts(2500, 800_001);
    smileback.expireTokens(1);
    defender.expireTokens(1);
    const id = await h.tenant({ smileback, defender });

    const csat = await listAll<{ survey_id: string }>(t.app, `/api/tenants/${id}/csat`);
    expect(csat.map((s) => s.survey_id).sort()).toEqual(smileback.reviews.map((r) => String(r.id)).sort());
    const alerts = await listAll<{ alert_id: string }>(t.app, `/api/tenants/${id}/security-alerts`);
    expect(alerts.map((a) => a.alert_id).sort()).toEqual(defender.graphAlerts.map((a) => String(a.id)).sort());

    // Page 2 was refused once (401), a new token was fetched, and the walk went on.
    expect(smileback.tokensIssued).toBe(2);
    expect(smileback.calls('/api/token/')).toBe(2);
    expect(smileback.calls('/api/v3/reviews/')).toBe(pages(2500) + 1);
    expect(defender.tokensIssued).toBe(2);
    // The updated-since walk (one page refused), then the walk over the alerts not yet resolved.
    const open = defender.graphAlerts.filter((a) => a.status !== 'resolved').length;
    expect(defender.calls('/v1.0/security/alerts_v2')).toBe(pages(2500) + 1 + pages(open));
    for (const stream of ['smileback.reviews', 'defender.alerts'] as const) expect((await runHistory(t.app, id, stream)).map((r) => r.error)).toEqual([null]);
  }, LONG_MS);

  it('turns 100 concurrent reads of a tenant never synced into ONE first sync per stream, and no vendor call after it', async () => {
    const { sentinelone, defender, connectwise } = await h.fakes('sentinelone', 'defender', 'connectwise');
    sentinelone.threats = bulkThreats(1500, 1);
    defender.graphAlerts = bulkGraphAlerts(1500, 800_001);
    const bulk = bulkTickets(1500, 300_001);
    Object.assign(connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    const id = await h.tenant({ sentinelone, defender, connectwise });

    const alerts = await Promise.all(Array.from({ length: 100 }, () => get(`/api/tenants/${id}/security-alerts`)));
    expect(alerts.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(new Set(alerts.map((r) => r.text)).size).toBe(1);
    expect(alerts[0].body.meta.total).toBe(3000);
    // Per vendor, the updated-since walk and the walk over the alerts not yet resolved, once for all 100.
    const openThreats = sentinelone.threats.filter((x) => x.threatInfo?.incidentStatus !== 'resolved').length;
    const openAlerts = defender.graphAlerts.filter((a) => a.status !== 'resolved').length;
    expect(sentinelone.calls('/web/api/v2.1/threats')).toBe(pages(1500) + pages(openThreats));
    expect(defender.calls('/v1.0/security/alerts_v2')).toBe(pages(1500) + pages(openAlerts));
    expect(defender.calls('/oauth2/v2.0/token')).toBe(1);
    for (const stream of ['sentinelone.threats', 'defender.alerts'] as const) expect(await runHistory(t.app, id, stream)).toHaveLength(1);

    const tickets = await Promise.all(Array.from({ length: 100 }, () => get(`/api/tenants/${id}/tickets`)));
    expect(tickets.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(new Set(tickets.map((r) => r.text)).size).toBe(1);
    expect(tickets[0].body.meta.total).toBe(1500);
    expect(await runHistory(t.app, id, 'connectwise.tickets')).toHaveLength(1);
    expect(connectwise.calls('/service/tickets')).toBe(pages(1500));
    // The sync reads each ticket's description once (the read-through path read a page's on demand).
    expect(connectwise.calls('/notes')).toBe(1500);

    // Once synced, reads never call a vendor.
    const before = [sentinelone, defender, connectwise].map((f) => f.calls());
    await Promise.all([get(`/api/tenants/${id}/security-alerts`), get(`/api/tenants/${id}/tickets`), get(`/api/tenants/${id}/tickets/300001`)]);
    expect([sentinelone, defender, connectwise].map((f) => f.calls())).toEqual(before);
  }, LONG_MS);

  it('skips an unmappable item naming vendor, item and field in the log and the run note; the rest is served, and the item once fixed', async () => {
    const { connectwise, smileback } = await h.fakes('connectwise', 'smileback');
    const bulk = bulkTickets(1500, 300_001);
    const broken = bulk.tickets[1234] as CwTicket; // on the vendor's second page
    const brokenInfo = broken._info!;
    broken._info = { lastUpdated: brokenInfo.lastUpdated };
    Object.assign(connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    smileback.reviews = bulkReviews(1200, 40_000_001);
    smileback.reviews[777].rating = 7;
    const id = await h.tenant({ connectwise, smileback });
    const linesBefore = logger.lines.length;

    const tickets = await get(`/api/tenants/${id}/tickets?page_size=1`);
    expect(tickets.status).toBe(200);
    expect(tickets.body.meta.total).toBe(1499);
    expect((await get(`/api/tenants/${id}/tickets/${broken.id}`)).status).toBe(404);
    const csat = await get(`/api/tenants/${id}/csat?page_size=1`);
    expect(csat.body.meta.total).toBe(1199);
    const logged = logger.lines.slice(linesBefore).join('\n');
    expect(logged).toContain(`${id} connectwise.tickets: record ${broken.id} skipped, the mapper failed: connectwise item ${broken.id}: _info.dateEntered is missing or not a date-time`);
    expect(logged).toContain(`${id} smileback.reviews: record 40000778 skipped, the mapper failed: smileback item 40000778: rating is not 1, 0 or -1`);
    for (const stream of ['connectwise.tickets', 'smileback.reviews'] as const) {
      const [run] = await runHistory(t.app, id, stream);
      expect({ error: run.error, note: run.note }).toEqual({ error: null, note: '1 record(s) skipped: the mapper could not read them (see the service log)' });
    }

    // Nothing half-mapped was kept: once the vendor's data is fixed (and so changed), every record is served.
    broken._info = { ...brokenInfo, lastUpdated: nowStamp() };
    smileback.reviews[777] = { ...smileback.reviews[777], rating: 0, last_modified: nowStamp() };
    for (const stream of ['connectwise.tickets', 'smileback.reviews'] as const) expect(await runStream(t.app, id, stream)).not.toBeInstanceOf(Error);
    expect((await get(`/api/tenants/${id}/tickets?page_size=1`)).body.meta.total).toBe(1500);
    expect((await get(`/api/tenants/${id}/csat?page_size=1`)).body.meta.total).toBe(1200);
  }, LONG_MS);
});

describe('live replica when a vendor hangs (VENDOR_TIMEOUT_MS=500)', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    t = await bootSyncedApp({ ...REPLICA_ENV, VENDOR_TIMEOUT_MS: '500' });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('fails the first sync with 504 /problems/vendor-timeout when the vendor hangs beyond VENDOR_TIMEOUT_MS', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('1790000000000000001', 'locky.exe')];
    sentinelone.hang(5000);
    const id = await h.tenant({ sentinelone });

    const res = await get(`/api/tenants/${id}/security-alerts`);
    expectVendorProblem(res, 504, '/problems/vendor-timeout', fakeSecrets({ sentinelone }));
    expect(res.body.title).toBe('Gateway Timeout');
    expect(res.body.detail).toBe('sentinelone did not answer GET /web/api/v2.1/threats within 500 ms');
    expect(sentinelone.calls()).toBe(1);
    await expectFailedRun(t, id, 'sentinelone.threats', /^sentinelone did not answer GET \/web\/api\/v2\.1\/threats within 500 ms$/, []);
  });
});

describe('live replica serving its last good data when the vendor fails', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    // A high threshold keeps the breaker out of the way: every failure here is the vendor's 5xx.
    t = await bootSyncedApp({ ...FAULTS_ENV, VENDOR_BREAKER_THRESHOLD: '100' });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('serves the old data with `Warning: 110` once a run failed, and fresh data once the vendor is back', async () => {
    const { connectwise, sentinelone } = await h.fakes('connectwise', 'sentinelone');
    const bulk = bulkTickets(3, 300_001);
    Object.assign(connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    sentinelone.threats = [threat('1790000000000000001', 'locky.exe')];
    const id = await h.tenant({ connectwise, sentinelone });

    const freshTickets = await get(`/api/tenants/${id}/tickets`);
    const freshAlerts = await get(`/api/tenants/${id}/security-alerts`);
    expect(freshTickets.status).toBe(200);
    expect(freshTickets.headers.warning).toBeUndefined();
    expect(freshTickets.body.data.map((tk: { description: string }) => tk.description)).toEqual(
      expect.arrayContaining(['Details for ticket 300001', 'Details for ticket 300002', 'Details for ticket 300003']),
    );
    expect(freshAlerts.body.data[0].title).toBe('Trojan: locky.exe');
    const syncedTickets = (await streamStatus(t.app, id, 'connectwise.tickets')).last_success_at;
    const syncedAlerts = (await streamStatus(t.app, id, 'sentinelone.threats')).last_success_at;

    connectwise.failNext(1000, { status: 500 });
    sentinelone.failNext(ATTEMPTS, { status: 500 });
    // What the vendor says once it answers again.
    sentinelone.threats = [{ ...threat('1790000000000000001', 'locky-v2.exe'), threatInfo: { ...threat('1', 'locky-v2.exe').threatInfo, updatedAt: nowStamp() } }];
    const cwBefore = connectwise.calls();
    expect(await runStream(t.app, id, 'connectwise.tickets')).toBeInstanceOf(Error);
    expect(connectwise.calls()).toBe(cwBefore + ATTEMPTS); // the run did try the vendor
    expect(await runStream(t.app, id, 'sentinelone.threats')).toBeInstanceOf(Error);
    await expectFailedRun(t, id, 'connectwise.tickets', /^connectwise answered 500 to GET \S+\/service\/tickets/, fakeSecrets({ connectwise }));
    await expectFailedRun(t, id, 'sentinelone.threats', /^sentinelone answered 500 to GET /, fakeSecrets({ sentinelone }));
    const calls = [connectwise.calls(), sentinelone.calls()];

    const staleTickets = await get(`/api/tenants/${id}/tickets`);
    expect(staleTickets.status).toBe(200);
    expect(staleTickets.headers.warning).toBe(`110 - "stale: connectwise last synced ${syncedTickets}"`);
    expect(staleTickets.headers['x-stale-vendors']).toBe('connectwise');
    expect(staleTickets.body).toEqual(freshTickets.body);

    const staleAlerts = await get(`/api/tenants/${id}/security-alerts`);
    expect(staleAlerts.status).toBe(200);
    expect(staleAlerts.headers.warning).toBe(`110 - "stale: sentinelone last synced ${syncedAlerts}"`);
    expect(staleAlerts.headers['x-stale-vendors']).toBe('sentinelone');
    expect(staleAlerts.body).toEqual(freshAlerts.body);
    // Reads never call the vendor, failing or not.
    expect([connectwise.calls(), sentinelone.calls()]).toEqual(calls);

    // The vendor is back: the next run brings fresh data, no warning.
    expect(await runStream(t.app, id, 'sentinelone.threats')).not.toBeInstanceOf(Error);
    const back = await get(`/api/tenants/${id}/security-alerts`);
    expect(back.status).toBe(200);
    expect(back.headers.warning).toBeUndefined();
    expect(back.headers['x-stale-vendors']).toBeUndefined();
    expect(back.body.data[0].title).toBe('Trojan: locky-v2.exe');
  });

  it('keeps the tickets fresh (no Warning) when only the surveys failed to sync: only the CSAT route and the summary say so', async () => {
    const { connectwise, smileback } = await h.fakes('connectwise', 'smileback');
    const bulk = bulkTickets(3, 300_001);
    Object.assign(connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    smileback.reviews = bulkReviews(1, 300_001); // names ticket 300001
    const id = await h.tenant({ connectwise, smileback });

    const fresh = await get(`/api/tenants/${id}/tickets`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.warning).toBeUndefined();
    expect((await get(`/api/tenants/${id}/csat`)).status).toBe(200);

    smileback.failNext(1000, { status: 500 });
    expect(await runStream(t.app, id, 'smileback.reviews')).toBeInstanceOf(Error);
    expect(await runStream(t.app, id, 'connectwise.tickets')).not.toBeInstanceOf(Error);

    const tickets = await get(`/api/tenants/${id}/tickets`);
    expect(tickets.status).toBe(200);
    expect(tickets.headers.warning).toBeUndefined();
    expect(tickets.headers['x-stale-vendors']).toBeUndefined();
    expect(tickets.body).toEqual(fresh.body);

    // The surveys' own route says they are the last good copy, and so does the summary that reads them.
    const csat = await get(`/api/tenants/${id}/csat`);
    expect(csat.status).toBe(200);
    expect(csat.headers.warning).toMatch(/^110 - "stale: smileback last synced /);
    expect(csat.headers['x-stale-vendors']).toBe('smileback');
    expect((await get(`/api/tenants/${id}/summary`)).headers['x-stale-vendors']).toBe('smileback');
  });

  it('still answers 502 naming ConnectWise, with no credential in the body, when its first sync failed (no copy at all)', async () => {
    const { connectwise } = await h.fakes('connectwise');
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulkTickets(3, 300_001).tickets;
    connectwise.failNext(1000, { status: 500 });
    const id = await h.tenant({ connectwise });

    const res = await get(`/api/tenants/${id}/tickets`);
    expectVendorProblem(res, 502, '/problems/vendor-error', fakeSecrets({ connectwise }));
    expect(res.body.detail).toBe('connectwise answered 500 to GET /v4_6_release/apis/3.0/service/tickets');
    expect(res.headers.warning).toBeUndefined();
    // The ticket walk tried 1 + VENDOR_MAX_RETRIES times, no more.
    expect(connectwise.calls('/service/tickets')).toBe(ATTEMPTS);
    await expectFailedRun(t, id, 'connectwise.tickets', /^connectwise answered 500 to GET \S+\/service\/tickets/, fakeSecrets({ connectwise }));
  });
});

describe('live replica: fixes for what the fault review found', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    t = await bootSyncedApp(FAULTS_ENV);
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  // GAP (issue 19): PUT of an integration keeps the old console's replica rows and checkpoint, so the
  // old records stay served and the new console's older ones are never fetched (checked: 1001 served).
  it.todo('serves the new vendor at once when an integration is replaced, not the old replica');

  it('answers a q search over 1100 tickets from the replica, descriptions included, with no vendor call', async () => {
    const { connectwise } = await h.fakes('connectwise');
    const bulk = bulkTickets(1100, 700_000);
    Object.assign(connectwise, { members: MEMBERS, tickets: bulk.tickets, notes: bulk.notes });
    const tenant = await h.tenant({ connectwise });
    expect((await get(`/api/tenants/${tenant}/tickets?page_size=1`).expect(200)).body.meta.total).toBe(1100);
    const calls = connectwise.calls();
    const bySummary = await get(`/api/tenants/${tenant}/tickets?q=VPN&page_size=1`).expect(200);
    expect(bySummary.body.meta.total).toBe(bulk.tickets.filter((x) => String(x.summary).includes('VPN')).length);
    const byDescription = await get(`/api/tenants/${tenant}/tickets?q=${encodeURIComponent('Details for ticket 700123')}`).expect(200);
    expect(byDescription.body.data.map((x: { cw_ticket_id: string }) => x.cw_ticket_id)).toEqual(['700123']);
    expect(connectwise.calls()).toBe(calls);
  }, LONG_MS);

  it('serves a ticket deleted in ConnectWise with its synced description until a reconcile removes it, then 404', async () => {
    const { connectwise } = await h.fakes('connectwise');
    const bulk = bulkTickets(5, 800_000);
    Object.assign(connectwise, { members: MEMBERS, tickets: bulk.tickets, notes: bulk.notes });
    const tenant = await h.tenant({ connectwise });
    await get(`/api/tenants/${tenant}/tickets?page_size=1`).expect(200);
    connectwise.tickets = bulk.tickets.filter((x) => x.id !== 800_002);
    const held = await get(`/api/tenants/${tenant}/tickets/800002`).expect(200);
    expect(held.body.description).toBe('Details for ticket 800002');

    const reconcile = await t.app.get(SyncRunner).run(tenant, 'connectwise.tickets', 'reconcile');
    expect(reconcile).toMatchObject({ kind: 'reconcile', counts: { deleted: 1 } });
    await get(`/api/tenants/${tenant}/tickets/800002`).expect(404);
    expect((await get(`/api/tenants/${tenant}/tickets?page_size=1`).expect(200)).body.meta.total).toBe(4);
  });

  it('reports in health which tenant domains have no integration', async () => {
    const { smileback } = await h.fakes('smileback');
    const tenant = await h.tenant({ smileback });
    const health = await get('/api/health').expect(200);
    const mine = health.body.checks.integrations.not_configured.filter((x: { tenant_id: string }) => x.tenant_id === tenant);
    expect(mine.map((x: { domain: string }) => x.domain).sort()).toEqual(['security_alerts', 'tickets', 'time_entries']);
  });
});

describe('live replica with an unreachable Redis', () => {
  let t: TestApp;
  const h = harness(() => t);

  beforeAll(async () => {
    // With user information, which health must never show.
    t = await bootSyncedApp({ ...REPLICA_ENV, REDIS_URL: 'redis://msp:redis-pw-s3cret@127.0.0.1:6399' });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('still syncs and answers from the replica (no hang); health and readiness answer 200, not down', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('3001', 'Redisless.exe')];
    const tenant = await h.tenant({ sentinelone });
    const res = await call(t.app).get(`/api/tenants/${tenant}/security-alerts`).expect(200);
    expect(res.body.meta.total).toBe(1);
    expect(await streamStatus(t.app, tenant, 'sentinelone.threats')).toMatchObject({ state: 'idle', last_error: null, records: 1 });
    const health = await call(t.app).get('/api/health').expect(200);
    expect(health.body.status).not.toBe('down');
    const ready = await call(t.app).get('/api/health/ready').expect(200);
    expect(ready.body.checks.store).toMatchObject({ status: 'ok' });
  });

  it('health and readiness say degraded (200, still ready), naming Redis without its password', async () => {
    const health = await call(t.app).get('/api/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.checks.redis).toMatchObject({ status: 'degraded', address: 'redis://127.0.0.1:6399' });
    expect(health.body.checks.redis.error).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:6399 does not answer/);
    expect(JSON.stringify(health.body)).not.toMatch(/redis-pw-s3cret|msp:/);
    const ready = await request(server(t.app)).get('/api/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'degraded', checks: { redis: { status: 'degraded' } } });
    // Without an admin key: the status only.
    const anonymous = await request(server(t.app)).get('/api/health').expect(200);
    expect(anonymous.body.checks.redis).toEqual({ status: 'degraded' });
  });
});
