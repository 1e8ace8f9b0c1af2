import type { SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import type { FakeReply, RecordedRequest } from '../fakes/fake-server.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { bootApp, TestApp } from '../support/app.js';
import {
  LIVE_ENV,
  MEMBERS,
  at,
  bulkGraphAlerts,
  bulkReviews,
  bulkThreats,
  bulkTickets,
  call,
  Fakes,
  fakeSecrets,
  registerTenant,
  VendorName,
} from '../support/live-fixtures.js';

/*
 * Vendor walks that would never end, or end badly: pages for ever, next links and cursors that go
 * round, a walk slower than its deadline, a client that hangs up mid-walk, items that are not
 * objects, one huge page, one id many times. Each test has its own fakes and tenant.
 */

const MAX_RECORDS = 25_000;
const WALK_TIMEOUT_MS = 3_000;
const CW_TICKETS = '/v4_6_release/apis/3.0/service/tickets';
const S1_THREATS = '/web/api/v2.1/threats';
const SB_REVIEWS = '/api/v3/reviews/';
const GRAPH_ALERTS = '/v1.0/security/alerts_v2';
const ENDPOINT_ALERTS = '/api/alerts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** The request's own URL as the vendor would print it in a next link. */
const selfUrl = (baseUrl: string, req: RecordedRequest) => `${baseUrl}${req.path}?${req.query.toString()}`;

/** A threat with this id, not yet resolved. */
const threat = (id: string): SentinelOneThreat => ({ ...bulkThreats(2, 1)[1], id });

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

describe('live vendor walks: budgets, deadlines, cursors, items', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    t = await bootApp({
      ...LIVE_ENV,
      VENDOR_TIMEOUT_MS: '5000',
      VENDOR_WALK_MAX_RECORDS: String(MAX_RECORDS),
      VENDOR_WALK_TIMEOUT_MS: String(WALK_TIMEOUT_MS),
    });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('answers 502 naming VENDOR_WALK_MAX_RECORDS when ConnectWise pages for ever, with memory bounded', async () => {
    const { connectwise } = await h.fakes('connectwise');
    connectwise.members = [...MEMBERS];
    connectwise.misbehave = (reply, req) => {
      if (!req.path.endsWith('/service/tickets')) return reply;
      const page = Number(req.query.get('page'));
      const rows = Array.from({ length: 1000 }, (_, i) => ({ id: page * 1000 + i, _info: { lastUpdated: at(1) } }));
      const next = new URL(selfUrl(connectwise.baseUrl, req));
      next.searchParams.set('page', String(page + 1));
      return { status: 200, body: rows, headers: { Link: `<${next.toString()}>; rel="next"` } };
    };
    const id = await h.tenant({ connectwise });
    const rssBefore = process.memoryUsage().rss;

    const res = await get(`/api/tenants/${id}/tickets`);
    expectProblem(res, 502, '/problems/vendor-data', fakeSecrets({ connectwise }));
    expect(res.body.detail).toBe(`connectwise response: the walk of GET ${CW_TICKETS} passed VENDOR_WALK_MAX_RECORDS (${MAX_RECORDS} records) at page 26`);
    expect(connectwise.calls('/service/tickets')).toBe(26);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 2 ** 20);
  });

  it('answers 502 naming VENDOR_WALK_MAX_RECORDS when Defender endpoint pages of 10 000 never end', async () => {
    const { defender } = await h.fakes('defender');
    defender.misbehave = (reply, req) => {
      if (!req.path.endsWith(ENDPOINT_ALERTS)) return reply;
      const skip = Number(req.query.get('$skip') ?? 0);
      return { status: 200, body: { value: Array.from({ length: 10_000 }, (_, i) => ({ id: `e${skip + i}`, lastUpdateTime: at(1) })) } };
    };
    const id = await h.tenant({ defender }, { defender: { api: 'endpoint' } });

    const res = await get(`/api/tenants/${id}/security-alerts`);
    expectProblem(res, 502, '/problems/vendor-data', fakeSecrets({ defender }));
    expect(res.body.detail).toBe(`defender response: the walk of GET ${ENDPOINT_ALERTS} passed VENDOR_WALK_MAX_RECORDS (${MAX_RECORDS} records) at page 3`);
    expect(defender.calls(ENDPOINT_ALERTS)).toBe(3);
  });

  it('refuses a next link to the page itself at once: ConnectWise, SmileBack, Defender (≤ 2 calls)', async () => {
    const { connectwise, smileback, defender } = await h.fakes('connectwise', 'smileback', 'defender');
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulkTickets(3, 300_001).tickets;
    smileback.reviews = bulkReviews(3, 40_000_001);
    defender.graphAlerts = bulkGraphAlerts(3, 800_001);
    connectwise.misbehave = (reply, req) =>
      req.path.endsWith('/service/tickets') ? { ...reply, headers: { Link: `<${selfUrl(connectwise.baseUrl, req)}>; rel="next"` } } : reply;
    smileback.misbehave = (reply, req) => ({ ...reply, body: { ...(reply.body as object), next: selfUrl(smileback.baseUrl, req) } });
    defender.misbehave = (reply, req) => ({ ...reply, body: { ...(reply.body as object), '@odata.nextLink': selfUrl(defender.baseUrl, req) } });
    const id = await h.tenant({ connectwise, smileback, defender });
    const secrets = fakeSecrets({ connectwise, smileback, defender });

    const tickets = await get(`/api/tenants/${id}/tickets`);
    expectProblem(tickets, 502, '/problems/vendor-data', secrets);
    expect(tickets.body.detail).toBe(`connectwise response: Link rel="next" points back at page 1 from page 1 of GET ${CW_TICKETS}`);
    expect(connectwise.calls('/service/tickets')).toBe(1);

    const csat = await get(`/api/tenants/${id}/csat`);
    expectProblem(csat, 502, '/problems/vendor-data', secrets);
    expect(csat.body.detail).toBe('smileback response: next repeats one already followed (page 2)');
    expect(smileback.calls(SB_REVIEWS)).toBe(2);

    const alerts = await get(`/api/tenants/${id}/security-alerts`);
    expectProblem(alerts, 502, '/problems/vendor-data', secrets);
    expect(alerts.body.detail).toBe('defender response: @odata.nextLink repeats one already followed (page 2)');
    expect(defender.calls(GRAPH_ALERTS)).toBe(2);
  });

  it('refuses a SentinelOne cursor that is an object at once, and one that repeats on the page where it does', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('1790000000000000001')];
    sentinelone.misbehave = (reply) => ({ ...reply, body: { ...(reply.body as object), pagination: { nextCursor: { offset: 2 } } } });
    const id = await h.tenant({ sentinelone });

    const object = await get(`/api/tenants/${id}/security-alerts`);
    expectProblem(object, 502, '/problems/vendor-data', fakeSecrets({ sentinelone }));
    expect(object.body.detail).toBe('sentinelone response: pagination.nextCursor is not a non-empty string');
    expect(sentinelone.calls(S1_THREATS)).toBe(1);

    sentinelone.misbehave = (reply) => ({ ...reply, body: { ...(reply.body as object), pagination: { nextCursor: 'dGhyZWF0X29mZnNldDox' } } });
    const repeated = await get(`/api/tenants/${id}/security-alerts`);
    expectProblem(repeated, 502, '/problems/vendor-data', fakeSecrets({ sentinelone }));
    expect(repeated.body.detail).toBe('sentinelone response: pagination.nextCursor repeats one already followed (page 2)');
    expect(sentinelone.calls(S1_THREATS)).toBe(1 + 2);
  });

  it('answers 504 at VENDOR_WALK_TIMEOUT_MS when a slow walk never ends, and the vendor is called no more', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.misbehave = endlessThreats;
    sentinelone.hang(300, 1000, S1_THREATS);
    const id = await h.tenant({ sentinelone });

    const started = Date.now();
    const res = await get(`/api/tenants/${id}/security-alerts`);
    const tookMs = Date.now() - started;
    expectProblem(res, 504, '/problems/vendor-timeout', fakeSecrets({ sentinelone }));
    // The walk's timer and the page call's own deadline fire together; whichever wins names the setting.
    expect(res.body.detail).toMatch(/^sentinelone (walk did not end within its deadline|did not answer GET \/web\/api\/v2\.1\/threats before the walk's deadline).*VENDOR_WALK_TIMEOUT_MS/);
    expect(tookMs).toBeGreaterThanOrEqual(WALK_TIMEOUT_MS - 50);
    expect(tookMs).toBeLessThan(WALK_TIMEOUT_MS + 2000);
    const calls = sentinelone.calls(S1_THREATS);
    await sleep(1000);
    expect(sentinelone.calls(S1_THREATS)).toBe(calls);
  });

  it('stops the walk when its only client hangs up mid-walk', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.misbehave = endlessThreats;
    sentinelone.hang(100, 1000, S1_THREATS);
    const id = await h.tenant({ sentinelone });

    await expect(get(`/api/tenants/${id}/security-alerts`).timeout(500)).rejects.toThrow(/timeout/i);
    await sleep(300);
    const calls = sentinelone.calls(S1_THREATS);
    expect(calls).toBeGreaterThan(1);
    // Long before the walk's deadline: without the stop, a page would be asked for every ~100 ms.
    await sleep(800);
    expect(sentinelone.calls(S1_THREATS)).toBe(calls);
  });

  it('keeps a shared walk going while one of its clients still waits, and stops it when the last leaves', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.misbehave = endlessThreats;
    sentinelone.hang(100, 1000, S1_THREATS);
    const id = await h.tenant({ sentinelone });

    // Sent at once (a supertest request leaves when awaited), each hanging up at its own timeout.
    const [first, second] = [300, 1200].map((ms) => get(`/api/tenants/${id}/security-alerts`).timeout(ms).then(() => 'answered', (e: Error) => e.message));
    expect(await first).toMatch(/timeout/i);
    const afterFirst = sentinelone.calls(S1_THREATS);
    await sleep(500);
    expect(sentinelone.calls(S1_THREATS)).toBeGreaterThan(afterFirst + 1);
    expect(await second).toMatch(/timeout/i);
    await sleep(300);
    const afterSecond = sentinelone.calls(S1_THREATS);
    await sleep(700);
    expect(sentinelone.calls(S1_THREATS)).toBe(afterSecond);
  });

  it.each([
    [null, 'null'],
    [42, 'a number'],
    ['text', 'a string'],
  ])('answers 502 vendor-data naming the item when a vendor list holds %p, on every route and /summary', async (bad, what) => {
    const { connectwise, smileback, sentinelone, defender } = await h.fakes('connectwise', 'smileback', 'sentinelone', 'defender');
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulkTickets(3, 300_001).tickets;
    smileback.reviews = bulkReviews(3, 40_000_001);
    sentinelone.threats = bulkThreats(3, 1);
    defender.graphAlerts = bulkGraphAlerts(3, 800_001);
    for (const fake of [connectwise, smileback, sentinelone, defender]) fake.misbehave = withItem(bad);
    const id = await h.tenant({ connectwise, smileback, sentinelone });
    const other = await h.tenant({ defender });
    const secrets = fakeSecrets({ connectwise, smileback, sentinelone, defender });
    const item = `item 1 on page 1 of GET`;

    const cases: Array<[string, string]> = [
      [`/api/tenants/${id}/tickets`, `connectwise response: ${item} ${CW_TICKETS} is ${what}, not an object`],
      [`/api/tenants/${id}/csat`, `smileback response: ${item} ${SB_REVIEWS} is ${what}, not an object`],
      [`/api/tenants/${id}/security-alerts`, `sentinelone response: ${item} ${S1_THREATS} is ${what}, not an object`],
      [`/api/tenants/${other}/security-alerts`, `defender response: ${item} ${GRAPH_ALERTS} is ${what}, not an object`],
    ];
    for (const [path, detail] of cases) {
      const res = await get(path);
      expectProblem(res, 502, '/problems/vendor-data', secrets);
      expect(res.body.detail).toBe(detail);
    }
    const summary = await get(`/api/tenants/${other}/summary`);
    expectProblem(summary, 502, '/problems/vendor-data', secrets);
    expect(summary.body.detail).toBe(cases[3][1]);
  });

  it('serves an id the vendor lists three times once, and counts it once in the summary', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('1790000000000000001')];
    sentinelone.misbehave = (reply) => {
      const body = reply.body as { data: unknown[] };
      return { ...reply, body: { ...body, data: [body.data[0], body.data[0], body.data[0]] } };
    };
    const id = await h.tenant({ sentinelone });

    const alerts = await get(`/api/tenants/${id}/security-alerts`);
    expect(alerts.status).toBe(200);
    expect(alerts.body.data.map((a: { alert_id: string }) => a.alert_id)).toEqual(['1790000000000000001']);
    const summary = await get(`/api/tenants/${id}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body.security.open).toBe(1);
  });
});

describe('live vendor walks within the default budget (CACHE_TTL_SECONDS=1)', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    t = await bootApp({ ...LIVE_ENV, CACHE_TTL_SECONDS: '1', VENDOR_TIMEOUT_MS: '5000' });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('serves a page of 150 000 items (no call-stack overflow)', async () => {
    const { smileback } = await h.fakes('smileback');
    const results = Array.from({ length: 150_000 }, (_, i) => ({ id: i + 1, rating: 1, status: 'closed', rated_on: at(1), last_modified: at(1) }));
    smileback.misbehave = (reply, req) => (req.path.endsWith(SB_REVIEWS) ? { status: 200, body: { count: results.length, next: null, results } } : reply);
    const id = await h.tenant({ smileback });

    const res = await get(`/api/tenants/${id}/csat?page_size=1`);
    expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 200, detail: undefined });
    expect(res.body.meta.total).toBe(150_000);
  });

  it('serves the stale copy with a Warning when an item is null or does not map', async () => {
    const { connectwise, sentinelone } = await h.fakes('connectwise', 'sentinelone');
    const bulk = bulkTickets(3, 300_001);
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulk.tickets;
    connectwise.notes = bulk.notes;
    sentinelone.threats = bulkThreats(3, 1);
    const id = await h.tenant({ connectwise, sentinelone });

    const freshAlerts = await get(`/api/tenants/${id}/security-alerts`);
    const freshTickets = await get(`/api/tenants/${id}/tickets`);
    expect([freshAlerts.status, freshTickets.status]).toEqual([200, 200]);

    await sleep(1200); // past CACHE_TTL_SECONDS
    sentinelone.misbehave = withItem(null);
    connectwise.misbehave = (reply, req) => {
      if (!req.path.endsWith('/service/tickets') || !Array.isArray(reply.body)) return reply;
      const [first, ...rest] = reply.body as Array<Record<string, unknown>>;
      return { ...reply, body: [{ ...first, summary: undefined }, ...rest] };
    };
    const s1Before = sentinelone.calls();
    const cwBefore = connectwise.calls('/service/tickets');

    const alerts = await get(`/api/tenants/${id}/security-alerts`);
    expect(alerts.status).toBe(200);
    expect(alerts.headers.warning).toBe('110 - "stale"');
    expect(alerts.headers['x-stale-vendors']).toBe('sentinelone');
    expect(alerts.body).toEqual(freshAlerts.body);
    expect(sentinelone.calls()).toBeGreaterThan(s1Before);

    const tickets = await get(`/api/tenants/${id}/tickets`);
    expect(tickets.status).toBe(200);
    expect(tickets.headers.warning).toBe('110 - "stale"');
    expect(tickets.headers['x-stale-vendors']).toBe('connectwise');
    expect(tickets.body).toEqual(freshTickets.body);
    expect(connectwise.calls('/service/tickets')).toBeGreaterThan(cwBefore);
  });
});
