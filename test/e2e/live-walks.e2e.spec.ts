import type { SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import type { StreamName } from '../../src/sync/stream.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import type { FakeReply, RecordedRequest } from '../fakes/fake-server.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { CapturingLogger, type TestApp } from '../support/app.js';
import { MEMBERS, at, bulkGraphAlerts, bulkReviews, bulkThreats, bulkTickets, call, Fakes, fakeSecrets, registerTenant, VendorName } from '../support/live-fixtures.js';
import { bootSyncedApp, REPLICA_ENV, runHistory, runStream, streamStatus } from '../support/replica-runs.js';

/*
 * Vendor walks that would never end, or end badly, met by the sync runs that keep the replica: pages
 * for ever, next links and cursors that go round, a walk slower than its deadline, items that are not
 * objects, one huge page, one id many times. A run over such a vendor ends failed (or partial) with
 * last_error naming the vendor and the cause, the replica keeps its last good data (served with
 * Warning 110), a first sync that fails is answered with that error, and a read never calls a vendor.
 * Each test has its own fakes and tenant.
 */

const MAX_RECORDS = 25_000;
const WALK_TIMEOUT_MS = 3_000;
const CW_TICKETS = '/v4_6_release/apis/3.0/service/tickets';
const CW_ENTRIES = '/v4_6_release/apis/3.0/time/entries';
const S1_THREATS = '/web/api/v2.1/threats';
const SB_REVIEWS = '/api/v3/reviews/';
const GRAPH_ALERTS = '/v1.0/security/alerts_v2';
const ENDPOINT_ALERTS = '/api/alerts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls (bounded) until `probe` answers something. */
async function until<T>(probe: () => Promise<T | undefined>, withinMs: number): Promise<T> {
  for (const end = Date.now() + withinMs; ; await sleep(100)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`nothing within ${withinMs} ms`);
  }
}

const STARTERS = {
  connectwise: FakeConnectWise.start,
  smileback: FakeSmileBack.start,
  sentinelone: FakeSentinelOne.start,
  defender: FakeDefender.start,
} as const;

function harness(getApp: () => TestApp) {
  const opened: Array<{ close(): Promise<void> }> = [];
  let serial = 0;
  const prefix = `tenant_w${Date.now().toString(36)}`;
  return {
    async fakes<K extends VendorName>(...vendors: K[]): Promise<Pick<Fakes, K>> {
      const out = {} as Pick<Fakes, K>;
      for (const vendor of vendors) {
        const fake = (await STARTERS[vendor]()) as Fakes[K];
        opened.push(fake);
        out[vendor] = fake;
      }
      return out;
    },
    async tenant(fakes: Partial<Fakes>, overrides: Partial<Record<VendorName, Record<string, unknown>>> = {}): Promise<string> {
      const id = `${prefix}_${++serial}`;
      await registerTenant(getApp().app, id, fakes, overrides);
      return id;
    },
    async closeAll(): Promise<void> {
      await Promise.all(opened.splice(0).map((fake) => fake.close()));
    },
  };
}

function expectProblem(res: { status: number; body: Record<string, unknown>; text: string }, status: number, type: string, secrets: string[]): void {
  expect({ status: res.status, type: res.body.type }).toEqual({ status, type });
  for (const secret of secrets) expect(res.text).not.toContain(secret);
  expect(res.text).not.toMatch(/\bat \S+ \(|\/work\/|node_modules|TypeError/);
}

/** The run failed and recorded why: the stream's state, its last error (no secret in it) and the run's row say the same. */
async function expectFailedRun(t: TestApp, tenant: string, stream: StreamName, detail: string, secrets: string[]): Promise<void> {
  const status = await streamStatus(t.app, tenant, stream);
  expect({ state: status.state, last_error: status.last_error }).toEqual({ state: 'failed', last_error: detail });
  expect(status.last_run?.finished_at).toEqual(expect.any(String));
  const [run] = await runHistory(t.app, tenant, stream);
  expect(run.error).toBe(detail);
  for (const secret of secrets) expect(JSON.stringify(status)).not.toContain(secret);
}

/** The request's own URL as the vendor would print it in a next link. */
const selfUrl = (baseUrl: string, req: RecordedRequest) => `${baseUrl}${req.path}?${req.query.toString()}`;

/** A threat with this id, not yet resolved. */
const threat = (id: string, updatedAt = at(1)): SentinelOneThreat => {
  const base = bulkThreats(2, 1)[1];
  return { ...base, id, threatInfo: { ...base.threatInfo, updatedAt } };
};

/** SentinelOne pages for ever: one threat a page, each with the next cursor. */
function endlessThreats(reply: FakeReply, req: RecordedRequest): FakeReply {
  if (!req.path.endsWith(S1_THREATS)) return reply;
  const n = Number(req.query.get('cursor')?.slice(1) ?? 0);
  return { status: 200, body: { data: [threat(String(9_000_000 + n))], pagination: { nextCursor: `c${n + 1}` } } };
}

/** `bad` as the second item of the first page of each vendor's list. */
function withItem(bad: unknown) {
  const insert = (rows: unknown[]) => [rows[0], bad, ...rows.slice(1)];
  return (reply: FakeReply, req: RecordedRequest): FakeReply => {
    const body = reply.body as Record<string, unknown[]> | unknown[];
    if (req.path.endsWith('/service/tickets') && Array.isArray(body)) return { ...reply, body: insert(body) };
    if (Array.isArray(body)) return reply;
    if (req.path.endsWith(SB_REVIEWS)) return { ...reply, body: { ...body, results: insert(body.results) } };
    if (req.path.endsWith(S1_THREATS)) return { ...reply, body: { ...body, data: insert(body.data) } };
    if (req.path.endsWith(GRAPH_ALERTS)) return { ...reply, body: { ...body, value: insert(body.value) } };
    return reply;
  };
}

describe('sync runs over vendor walks that never end or end badly: budgets, cursors, items', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    // The walk deadline stays at its default here: on a loaded machine a budget walk must meet its budget, not the clock.
    t = await bootSyncedApp({ ...REPLICA_ENV, VENDOR_TIMEOUT_MS: '5000', VENDOR_WALK_MAX_RECORDS: String(MAX_RECORDS) });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('fails the first sync at VENDOR_WALK_MAX_RECORDS when ConnectWise pages for ever: 502 vendor-data naming it, nothing half-synced served', async () => {
    const { connectwise } = await h.fakes('connectwise');
    connectwise.members = [...MEMBERS];
    connectwise.misbehave = (reply, req) => {
      if (!req.path.endsWith('/time/entries')) return reply;
      // Forward-only: always a full page of ids above the one asked after.
      const after = Number(req.query.get('pageId') ?? 0);
      return { status: 200, body: Array.from({ length: 1000 }, (_, i) => ({ id: after + 1 + i, _info: { lastUpdated: at(1) } })) };
    };
    const id = await h.tenant({ connectwise });
    const healthy = await h.fakes('sentinelone');
    healthy.sentinelone.threats = [threat('1790000000000000001')];
    const other = await h.tenant(healthy);
    const detail = `connectwise response: the walk of GET ${CW_ENTRIES} passed VENDOR_WALK_MAX_RECORDS (${MAX_RECORDS} records) at page 26`;

    const res = await get(`/api/tenants/${id}/time-entries`);
    expectProblem(res, 502, '/problems/vendor-data', fakeSecrets({ connectwise }));
    expect(res.body.detail).toBe(detail);
    expect(connectwise.calls('/time/entries')).toBe(26);
    await expectFailedRun(t, id, 'connectwise.time_entries', detail, fakeSecrets({ connectwise }));
    expect((await streamStatus(t.app, id, 'connectwise.time_entries')).records).toBe(0);

    // The refused walk is not retried before the stream's next interval: a read repeats the recorded failure.
    const again = await get(`/api/tenants/${id}/time-entries`);
    expect({ status: again.status, detail: again.body.detail }).toEqual({ status: 502, detail });
    expect(connectwise.calls('/time/entries')).toBe(26);
    // Another tenant's sync and reads go on.
    expect((await get(`/api/tenants/${other}/security-alerts`)).status).toBe(200);
    expect((await get('/api/health')).status).toBe(200);
  });

  it('fails the first sync at VENDOR_WALK_MAX_RECORDS when Defender endpoint pages of 10 000 never end', async () => {
    const { defender } = await h.fakes('defender');
    defender.misbehave = (reply, req) => {
      if (!req.path.endsWith(ENDPOINT_ALERTS)) return reply;
      const skip = Number(req.query.get('$skip') ?? 0);
      return { status: 200, body: { value: Array.from({ length: 10_000 }, (_, i) => ({ id: `e${skip + i}`, lastUpdateTime: at(1) })) } };
    };
    const id = await h.tenant({ defender }, { defender: { api: 'endpoint' } });
    const detail = `defender response: the walk of GET ${ENDPOINT_ALERTS} passed VENDOR_WALK_MAX_RECORDS (${MAX_RECORDS} records) at page 3`;

    const res = await get(`/api/tenants/${id}/security-alerts`);
    expectProblem(res, 502, '/problems/vendor-data', fakeSecrets({ defender }));
    expect(res.body.detail).toBe(detail);
    expect(defender.calls(ENDPOINT_ALERTS)).toBe(3);
    await expectFailedRun(t, id, 'defender.alerts', detail, fakeSecrets({ defender }));
  });

  it('refuses at once a ConnectWise page that repeats, a SmileBack next and a Defender @odata.nextLink to the page itself (≤ 2 calls)', async () => {
    const { connectwise, smileback, defender } = await h.fakes('connectwise', 'smileback', 'defender');
    connectwise.members = [...MEMBERS];
    smileback.reviews = bulkReviews(3, 40_000_001);
    defender.graphAlerts = bulkGraphAlerts(3, 800_001);
    // Forward-only paging by id: the same full page whatever pageId asks for.
    const page = Array.from({ length: 1000 }, (_, i) => ({ id: 1 + i, _info: { lastUpdated: at(1) } }));
    connectwise.misbehave = (reply, req) => (req.path.endsWith('/time/entries') ? { status: 200, body: page } : reply);
    smileback.misbehave = (reply, req) => ({ ...reply, body: { ...(reply.body as object), next: selfUrl(smileback.baseUrl, req) } });
    defender.misbehave = (reply, req) => ({ ...reply, body: { ...(reply.body as object), '@odata.nextLink': selfUrl(defender.baseUrl, req) } });
    const id = await h.tenant({ connectwise, smileback, defender });
    const secrets = fakeSecrets({ connectwise, smileback, defender });

    const entries = await get(`/api/tenants/${id}/time-entries`);
    expectProblem(entries, 502, '/problems/vendor-data', secrets);
    expect(entries.body.detail).toBe(`connectwise response: pageId page after 1000 of GET ${CW_ENTRIES} is not in ascending id order above it`);
    expect(connectwise.calls('/time/entries')).toBe(2);
    await expectFailedRun(t, id, 'connectwise.time_entries', entries.body.detail as string, secrets);

    const csat = await get(`/api/tenants/${id}/csat`);
    expectProblem(csat, 502, '/problems/vendor-data', secrets);
    expect(csat.body.detail).toBe('smileback response: next repeats one already followed (page 2)');
    expect(smileback.calls(SB_REVIEWS)).toBe(2);
    await expectFailedRun(t, id, 'smileback.reviews', csat.body.detail as string, secrets);

    const alerts = await get(`/api/tenants/${id}/security-alerts`);
    expectProblem(alerts, 502, '/problems/vendor-data', secrets);
    expect(alerts.body.detail).toBe('defender response: @odata.nextLink repeats one already followed (page 2)');
    expect(defender.calls(GRAPH_ALERTS)).toBe(2);
    await expectFailedRun(t, id, 'defender.alerts', alerts.body.detail as string, secrets);
  });

  it('never follows a ConnectWise Link rel="next" that points back at the page: the sync pages by id and ends', async () => {
    const { connectwise } = await h.fakes('connectwise');
    const bulk = bulkTickets(3, 300_001);
    Object.assign(connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    connectwise.misbehave = (reply, req) =>
      req.path.endsWith('/service/tickets') ? { ...reply, headers: { Link: `<${selfUrl(connectwise.baseUrl, req)}>; rel="next"` } } : reply;
    const id = await h.tenant({ connectwise });

    const tickets = await get(`/api/tenants/${id}/tickets`);
    expect(tickets.status).toBe(200);
    expect(tickets.body.meta.total).toBe(3);
    expect(connectwise.calls('/service/tickets')).toBe(1);
  });

  it('refuses a SentinelOne cursor that is an object at once, and one that repeats on the page where it does', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('1790000000000000001')];
    sentinelone.misbehave = (reply) => ({ ...reply, body: { ...(reply.body as object), pagination: { nextCursor: { offset: 2 } } } });
    const id = await h.tenant({ sentinelone });
    const secrets = fakeSecrets({ sentinelone });

    const object = await get(`/api/tenants/${id}/security-alerts`);
    expectProblem(object, 502, '/problems/vendor-data', secrets);
    expect(object.body.detail).toBe('sentinelone response: pagination.nextCursor is not a non-empty string');
    expect(sentinelone.calls(S1_THREATS)).toBe(1);
    await expectFailedRun(t, id, 'sentinelone.threats', object.body.detail as string, secrets);

    sentinelone.misbehave = (reply) => ({ ...reply, body: { ...(reply.body as object), pagination: { nextCursor: 'dGhyZWF0X29mZnNldDox' } } });
    expect(await runStream(t.app, id, 'sentinelone.threats')).toBeInstanceOf(Error);
    const detail = 'sentinelone response: pagination.nextCursor repeats one already followed (page 2)';
    expect(sentinelone.calls(S1_THREATS)).toBe(1 + 2);
    await expectFailedRun(t, id, 'sentinelone.threats', detail, secrets);
    const repeated = await get(`/api/tenants/${id}/security-alerts`);
    expectProblem(repeated, 502, '/problems/vendor-data', secrets);
    expect(repeated.body.detail).toBe(detail);
    expect((await streamStatus(t.app, id, 'sentinelone.threats')).last_run?.finished_at).toEqual(expect.any(String));
  });

  it.each([
    [null, 'null'],
    [42, 'a number'],
    ['text', 'a string'],
  ])('fails the first sync naming the item when a vendor list holds %p: 502 vendor-data on every route and /summary', async (bad, what) => {
    const { connectwise, smileback, sentinelone, defender } = await h.fakes('connectwise', 'smileback', 'sentinelone', 'defender');
    const bulk = bulkTickets(3, 300_001);
    Object.assign(connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    smileback.reviews = bulkReviews(3, 40_000_001);
    sentinelone.threats = bulkThreats(3, 1);
    defender.graphAlerts = bulkGraphAlerts(3, 800_001);
    for (const fake of [connectwise, smileback, sentinelone, defender]) fake.misbehave = withItem(bad);
    const id = await h.tenant({ connectwise, smileback, sentinelone });
    const other = await h.tenant({ defender });
    const secrets = fakeSecrets({ connectwise, smileback, sentinelone, defender });
    const item = `item 1 on page 1 of GET`;

    const cases: Array<[string, string, StreamName, string]> = [
      [id, 'tickets', 'connectwise.tickets', `connectwise response: ${item} ${CW_TICKETS} is ${what}, not an object`],
      [id, 'csat', 'smileback.reviews', `smileback response: ${item} ${SB_REVIEWS} is ${what}, not an object`],
      [id, 'security-alerts', 'sentinelone.threats', `sentinelone response: ${item} ${S1_THREATS} is ${what}, not an object`],
      [other, 'security-alerts', 'defender.alerts', `defender response: ${item} ${GRAPH_ALERTS} is ${what}, not an object`],
    ];
    for (const [tenant, route, stream, detail] of cases) {
      const res = await get(`/api/tenants/${tenant}/${route}`);
      expectProblem(res, 502, '/problems/vendor-data', secrets);
      expect(res.body.detail).toBe(detail);
      await expectFailedRun(t, tenant, stream, detail, secrets);
      expect((await streamStatus(t.app, tenant, stream)).records).toBe(0);
    }
    const summary = await get(`/api/tenants/${other}/summary`);
    expectProblem(summary, 502, '/problems/vendor-data', secrets);
    expect(summary.body.detail).toBe(cases[3][3]);
  });

  it('serves an id the vendor lists three times once (the copy updated last), and counts it once in the summary', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    const newest = threat('1790000000000000001', at(1, '10:00:00'));
    const older = { ...threat('1790000000000000001', at(1, '09:00:00')), threatInfo: { ...newest.threatInfo, updatedAt: at(1, '09:00:00'), threatName: 'older.exe' } };
    sentinelone.threats = [newest];
    // The newest copy first on the page, two older ones after it.
    sentinelone.misbehave = (reply) => {
      const body = reply.body as { data: unknown[] };
      return body.data.length === 0 ? reply : { ...reply, body: { ...body, data: [body.data[0], older, older] } };
    };
    const id = await h.tenant({ sentinelone });

    const alerts = await get(`/api/tenants/${id}/security-alerts`);
    expect(alerts.status).toBe(200);
    expect(alerts.body.data.map((a: { alert_id: string }) => a.alert_id)).toEqual(['1790000000000000001']);
    expect(alerts.body.data[0].title).toBe(`${newest.threatInfo?.classification}: ${newest.threatInfo?.threatName}`);
    const summary = await get(`/api/tenants/${id}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body.security.open).toBe(1);
    expect((await streamStatus(t.app, id, 'sentinelone.threats')).records).toBe(1);
  });
});

describe('sync runs over vendor walks slower than VENDOR_WALK_TIMEOUT_MS', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    t = await bootSyncedApp({ ...REPLICA_ENV, VENDOR_TIMEOUT_MS: '5000', VENDOR_WALK_TIMEOUT_MS: String(WALK_TIMEOUT_MS) });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('fails a first sync whose first page is not answered within VENDOR_WALK_TIMEOUT_MS: 504 naming the setting, the vendor called no more', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('1790000000000000001')];
    sentinelone.hang(WALK_TIMEOUT_MS + 1500, 1, S1_THREATS);
    const id = await h.tenant({ sentinelone });

    const res = await get(`/api/tenants/${id}/security-alerts`);
    expectProblem(res, 504, '/problems/vendor-timeout', fakeSecrets({ sentinelone }));
    // The walk's timer and the page call's own deadline fire together; whichever wins names the setting.
    expect(res.body.detail).toMatch(/^sentinelone (walk did not end within its deadline|did not answer GET \/web\/api\/v2\.1\/threats before the walk's deadline).*VENDOR_WALK_TIMEOUT_MS/);
    const status = await streamStatus(t.app, id, 'sentinelone.threats');
    expect(status.state).toBe('failed');
    expect(status.last_error).toMatch(/VENDOR_WALK_TIMEOUT_MS/);
    const calls = sentinelone.calls(S1_THREATS);
    await sleep(1000);
    expect(sentinelone.calls(S1_THREATS)).toBe(calls);
  });

  it('ends a run whose slow walk never ends at VENDOR_WALK_TIMEOUT_MS as a partial run: its pages kept, the vendor called no more by it', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('1790000000000000001')];
    const id = await h.tenant({ sentinelone });
    const fresh = await get(`/api/tenants/${id}/security-alerts`);
    expect(fresh.status).toBe(200);

    sentinelone.misbehave = endlessThreats;
    sentinelone.hang(300, 1000, S1_THREATS);
    const outcome = await runStream(t.app, id, 'sentinelone.threats');
    expect(outcome).not.toBeInstanceOf(Error);
    expect(outcome).toMatchObject({ partial: true });
    const [run] = await runHistory(t.app, id, 'sentinelone.threats');
    expect(run.error).toBeNull();
    // The walk's timer and the page call's own deadline fire together; whichever wins names the setting.
    expect(run.note).toMatch(/^partial: sentinelone (walk did not end within its deadline|did not answer GET \/web\/api\/v2\.1\/threats before the walk's deadline).*VENDOR_WALK_TIMEOUT_MS/);
    expect(Number(run.seen)).toBeGreaterThan(0);
    const calls = sentinelone.calls(S1_THREATS);
    await sleep(1000);
    expect(sentinelone.calls(S1_THREATS)).toBe(calls);
    // What was served before the run is still served, no vendor called for it.
    const during = await get(`/api/tenants/${id}/security-alerts`);
    expect(during.status).toBe(200);
    expect(during.body.data.map((a: { alert_id: string }) => a.alert_id)).toContain('1790000000000000001');
    expect(sentinelone.calls(S1_THREATS)).toBe(calls);
  });

  it('keeps a first sync going when the client waiting for it hangs up, and serves its next read from it', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = bulkThreats(3, 1);
    sentinelone.hang(800, 1, S1_THREATS);
    const id = await h.tenant({ sentinelone });

    // Sent at once, the first hanging up at its own timeout, the second waiting for the same first sync.
    const [first, second] = [300, undefined].map((ms) => {
      const req = get(`/api/tenants/${id}/security-alerts`);
      return (ms === undefined ? req : req.timeout(ms)).then((r) => r.status, (e: Error) => e.message);
    });
    expect(await first).toMatch(/timeout/i);
    expect(await second).toBe(200);
    expect(await runHistory(t.app, id, 'sentinelone.threats')).toHaveLength(1);
    const calls = sentinelone.calls(S1_THREATS);
    const after = await get(`/api/tenants/${id}/security-alerts`);
    expect(after.status).toBe(200);
    expect(after.body.meta.total).toBe(3);
    expect(sentinelone.calls(S1_THREATS)).toBe(calls);
  });

});

describe('sync runs over vendor walks within the default budget', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);
  const logger = new CapturingLogger();

  beforeAll(async () => {
    t = await bootSyncedApp({ ...REPLICA_ENV, VENDOR_TIMEOUT_MS: '10000' }, logger);
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('syncs and serves a page of 150 000 items (no call-stack overflow)', async () => {
    const { smileback } = await h.fakes('smileback');
    const results = Array.from({ length: 150_000 }, (_, i) => ({ id: i + 1, rating: 1, status: 'closed', rated_on: at(1), last_modified: at(1) }));
    smileback.misbehave = (reply, req) => (req.path.endsWith(SB_REVIEWS) ? { status: 200, body: { count: results.length, next: null, results } } : reply);
    const id = await h.tenant({ smileback });

    // Queued through the admin API and waited for (its 150 000 rows may take longer than a read waits).
    await call(t.app).post(`/api/admin/tenants/${id}/sync`).expect(202);
    const synced = await until(async () => {
      const status = await streamStatus(t.app, id, 'smileback.reviews');
      return status.last_success_at !== null || status.state === 'failed' ? status : undefined;
    }, 240_000);
    expect({ state: synced.state, last_error: synced.last_error, records: synced.records }).toEqual({ state: 'idle', last_error: null, records: 150_000 });
    const res = await get(`/api/tenants/${id}/csat?page_size=1`);
    expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 200, detail: undefined });
    expect(res.body.meta.total).toBe(150_000);
  }, 300_000);

  it('serves the last good data with a Warning when a later run meets a null item', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = bulkThreats(3, 1);
    const id = await h.tenant({ sentinelone });

    const fresh = await get(`/api/tenants/${id}/security-alerts`);
    expect(fresh.status).toBe(200);
    const synced = (await streamStatus(t.app, id, 'sentinelone.threats')).last_success_at;

    sentinelone.misbehave = withItem(null);
    expect(await runStream(t.app, id, 'sentinelone.threats')).toBeInstanceOf(Error);
    const detail = `sentinelone response: item 1 on page 1 of GET ${S1_THREATS} is null, not an object`;
    await expectFailedRun(t, id, 'sentinelone.threats', detail, fakeSecrets({ sentinelone }));
    const s1Calls = sentinelone.calls();

    const alerts = await get(`/api/tenants/${id}/security-alerts`);
    expect(alerts.status).toBe(200);
    expect(alerts.headers.warning).toBe(`110 - "stale: sentinelone last synced ${synced}"`);
    expect(alerts.headers['x-stale-vendors']).toBe('sentinelone');
    expect(alerts.body).toEqual(fresh.body);
    expect(sentinelone.calls()).toBe(s1Calls);
  });

  it('skips (and logs, and notes) a record that does not map, and keeps the stream and its other records fresh', async () => {
    const { connectwise } = await h.fakes('connectwise');
    const bulk = bulkTickets(3, 300_001);
    Object.assign(connectwise, { members: [...MEMBERS], tickets: bulk.tickets, notes: bulk.notes });
    const id = await h.tenant({ connectwise });
    const fresh = await get(`/api/tenants/${id}/tickets`);
    expect(fresh.status).toBe(200);

    // The first ticket loses its summary, the second is edited: both changed since the checkpoint.
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const [first, second] = connectwise.tickets;
    connectwise.tickets[0] = { ...first, summary: undefined, _info: { ...first._info, lastUpdated: now } };
    connectwise.tickets[1] = { ...second, summary: 'Edited in ConnectWise', _info: { ...second._info, lastUpdated: now } };
    const outcome = await runStream(t.app, id, 'connectwise.tickets');
    expect(outcome).not.toBeInstanceOf(Error);
    const [run] = await runHistory(t.app, id, 'connectwise.tickets');
    expect(run.note).toBe('1 record(s) skipped: the mapper could not read them (see the service log)');
    expect(logger.lines.join('\n')).toMatch(new RegExp(`^error \\[SyncRunner\\] ${id} connectwise.tickets: record ${first.id} skipped, the mapper failed: connectwise item ${first.id}: summary `, 'm'));
    const status = await streamStatus(t.app, id, 'connectwise.tickets');
    expect({ state: status.state, last_error: status.last_error, records: status.records }).toEqual({ state: 'idle', last_error: null, records: 3 });

    const tickets = await get(`/api/tenants/${id}/tickets`);
    expect(tickets.status).toBe(200);
    expect(tickets.headers.warning).toBeUndefined();
    const byId = (res: typeof tickets, ticket: number) => res.body.data.find((x: { cw_ticket_id: string }) => x.cw_ticket_id === String(ticket));
    // The unreadable change is not written: the last good copy of that ticket is served.
    expect(byId(tickets, first.id as number)).toEqual(byId(fresh, first.id as number));
    expect(byId(tickets, second.id as number).summary).toBe('Edited in ConnectWise');
  });
});
