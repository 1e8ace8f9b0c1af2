import type { CwTicket } from '../../src/integrations/connectwise/connectwise.client.js';
import type { SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { bootApp, TestApp } from '../support/app.js';
import {
  LIVE_ENV,
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

/*
 * Live mode when vendors misbehave: throttling, outages, hangs, open circuits, tokens dying
 * mid-walk, a thundering herd on a cold cache, and data that does not map. Each test gets its own
 * fake vendors and its own tenant (breakers and cache entries are per tenant), in one app booted
 * with VENDOR_MAX_RETRIES=2 (3 requests per call) and VENDOR_BREAKER_THRESHOLD=3.
 */

const THRESHOLD = 3;
const ATTEMPTS = 3; // VENDOR_MAX_RETRIES=2 → the first try and 2 retries
const PROBLEM_JSON = /^application\/problem\+json/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls (bounded) until `done()` holds: work a failed request started may still be finishing its retries. */
async function eventually(done: () => boolean, withinMs = 3000): Promise<void> {
  for (const end = Date.now() + withinMs; !done() && Date.now() < end; ) await sleep(10);
}
const pages = (n: number) => Math.ceil(n / VENDOR_PAGE_SIZE);

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

describe('live mode under vendor faults', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    t = await bootApp({ ...LIVE_ENV, VENDOR_BREAKER_THRESHOLD: String(THRESHOLD) });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('absorbs a 429 storm with Retry-After: the request succeeds and the vendor saw the retries', async () => {
    const { smileback, connectwise } = await h.fakes('smileback', 'connectwise');
    smileback.reviews = bulkReviews(1500, 40_000_001);
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulkTickets(1200, 300_001).tickets;
    smileback.failNext(2, { status: 429, retryAfter: 1 });
    connectwise.failNext(2, { status: 429, retryAfter: 1, path: '/service/tickets' });
    const id = await h.tenant({ smileback, connectwise });

    const [csat, tickets] = await Promise.all([get(`/api/tenants/${id}/csat?page_size=1`), get(`/api/tenants/${id}/tickets?page_size=1`)]);
    expect(csat.status).toBe(200);
    expect(csat.body.meta.total).toBe(1500);
    expect(tickets.status).toBe(200);
    expect(tickets.body.meta.total).toBe(1200);

    // The first page was asked for three times (two 429s, then the answer), the second once.
    const offsets = smileback.requests.filter((r) => r.path === '/api/v3/reviews/').map((r) => r.query.get('offset'));
    expect(offsets).toEqual(['0', '0', '0', '1000']);
    expect(smileback.calls('/api/token/')).toBe(1);
    const walk = connectwise.requests.filter((r) => r.path.endsWith('/service/tickets') && r.query.get('conditions')?.startsWith('closedFlag=false or'));
    expect(walk.map((r) => r.query.get('page'))).toEqual(['1', '1', '1', '2']);
    // Then the time entries' query for the closed tickets opened before the window (their references), and
    // the 300 tickets the surveys name that the walk lacks (300000, 301201–301499), 100 ids a lookup.
    expect(connectwise.calls('/service/tickets') - walk.length).toBe(1 + 3);
  });

  it('answers 502 /problems/vendor-error naming the vendor when it stays down and nothing is cached', async () => {
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
    expect(alerts.body.detail).toMatch(/^sentinelone answered 500 to GET \/web\/api\/v2\.1\/threats/);
    expect(sentinelone.calls()).toBe(ATTEMPTS);

    const csat = await get(`/api/tenants/${id}/csat`);
    expectVendorProblem(csat, 502, '/problems/vendor-error', secrets);
    expect(csat.body.detail).toMatch(/^smileback answered 503 to GET \/api\/v3\/reviews\//);
    expect(smileback.calls('/api/v3/reviews/')).toBe(ATTEMPTS);
  });

  it('fails the request like any vendor call when an extra walk fails: open alerts, older time entries', async () => {
    const { sentinelone, defender, connectwise } = await h.fakes('sentinelone', 'defender', 'connectwise');
    sentinelone.threats = [threat('1790000000000000001', 'locky.exe')];
    defender.graphAlerts = bulkGraphAlerts(3, 800_001);
    connectwise.members = [...MEMBERS];
    // Only the second walk of each fill fails; the updated-since walks answer.
    sentinelone.failNext(100, { status: 500, query: { name: 'incidentStatuses' } });
    defender.failNext(100, { status: 400, path: '/v1.0/security/alerts_v2', query: { name: '$filter', startsWith: '(status eq' } });
    connectwise.failNext(100, { status: 503, path: '/service/tickets', query: { name: 'conditions', startsWith: '(closedFlag=true' } });
    const id = await h.tenant({ sentinelone, connectwise });
    const other = await h.tenant({ defender });
    const secrets = fakeSecrets({ sentinelone, defender, connectwise });

    const alerts = await get(`/api/tenants/${id}/security-alerts`);
    expectVendorProblem(alerts, 502, '/problems/vendor-error', secrets);
    expect(alerts.body.detail).toMatch(/^sentinelone answered 500 to GET \/web\/api\/v2\.1\/threats/);
    // The updated-since walk once, then the open walk tried 1 + VENDOR_MAX_RETRIES times, as any call.
    expect(sentinelone.requests.map((r) => r.query.has('incidentStatuses'))).toEqual([false, ...Array(ATTEMPTS).fill(true)]);

    const graph = await get(`/api/tenants/${other}/security-alerts`);
    expectVendorProblem(graph, 502, '/problems/vendor-error', secrets);
    expect(graph.body.detail).toMatch(/^defender answered 400 to GET \/v1\.0\/security\/alerts_v2/);

    const entries = await get(`/api/tenants/${id}/time-entries`);
    expectVendorProblem(entries, 502, '/problems/vendor-error', secrets);
    expect(entries.body.detail).toMatch(/^connectwise answered 503 to GET \S*\/service\/tickets/);
    expect(connectwise.calls('/service/tickets')).toBe(ATTEMPTS);
  });

  it('answers 504 /problems/vendor-timeout when the vendor hangs beyond VENDOR_TIMEOUT_MS', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('1790000000000000001', 'locky.exe')];
    sentinelone.hang(5000);
    const id = await h.tenant({ sentinelone });

    const res = await get(`/api/tenants/${id}/security-alerts`);
    expectVendorProblem(res, 504, '/problems/vendor-timeout', fakeSecrets({ sentinelone }));
    expect(res.body.title).toBe('Gateway Timeout');
    expect(res.body.detail).toBe('sentinelone did not answer GET /web/api/v2.1/threats within 500 ms');
    expect(sentinelone.calls()).toBe(1);
  });

  it('answers 503 /problems/vendor-unavailable when the vendor cannot be reached', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    const id = await h.tenant({ sentinelone });
    await sentinelone.close();

    const res = await get(`/api/tenants/${id}/security-alerts`);
    expectVendorProblem(res, 503, '/problems/vendor-unavailable', fakeSecrets({ sentinelone }));
    expect(res.body.detail).toMatch(/^sentinelone is unavailable: network error/);
  });

  it('opens the breaker after VENDOR_BREAKER_THRESHOLD failures: 503 with Retry-After, no request reaches the vendor', async () => {
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
      const refused = await get(`/api/tenants/${id}/security-alerts`);
      expectVendorProblem(refused, 503, '/problems/vendor-unavailable', secrets);
      expect(refused.headers['retry-after']).toBe('1'); // VENDOR_BREAKER_COOLDOWN_MS=1000
      expect(refused.body.detail).toMatch(/^sentinelone is unavailable: circuit sentinelone:\S+ is open/);
    }
    expect(sentinelone.calls()).toBe(THRESHOLD);

    // The breaker is per tenant: another tenant on the same (now healthy) console is served (the
    // updated-since walk, then the open one).
    const other = await h.tenant({ sentinelone });
    expect((await get(`/api/tenants/${other}/security-alerts`)).status).toBe(200);
    expect(sentinelone.calls()).toBe(THRESHOLD + 2);

    // After the cooldown one trial call goes through; it succeeds, the circuit closes, and the open walk follows.
    await sleep(1100);
    const recovered = await get(`/api/tenants/${id}/security-alerts`);
    expect(recovered.status).toBe(200);
    expect(recovered.body.meta.total).toBe(1);
    expect(sentinelone.calls()).toBe(THRESHOLD + 4);
    expect((await call(t.app).get('/api/health')).body.checks.vendors.breakers[`sentinelone:${id}`]).toBe('closed');
  });

  it('survives tokens expiring mid-walk (SmileBack and Defender): one refresh, every page', async () => {
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
  });

  it('turns 100 concurrent requests on a cold cache into ONE paged walk per vendor', async () => {
    const { sentinelone, defender, connectwise } = await h.fakes('sentinelone', 'defender', 'connectwise');
    sentinelone.threats = bulkThreats(1500, 1);
    defender.graphAlerts = bulkGraphAlerts(1500, 800_001);
    const bulk = bulkTickets(1500, 300_001);
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulk.tickets;
    connectwise.notes = bulk.notes;
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

    const tickets = await Promise.all(Array.from({ length: 100 }, () => get(`/api/tenants/${id}/tickets`)));
    expect(tickets.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(new Set(tickets.map((r) => r.text)).size).toBe(1);
    expect(tickets[0].body.meta.total).toBe(1500);
    // The walk, and once the time entries' query for closed tickets opened before the window (none here).
    expect(connectwise.calls('/service/tickets')).toBe(pages(1500) + 1);
    expect(connectwise.calls('/time/entries')).toBe(1);
    expect(connectwise.calls('/system/members')).toBe(1);
    // Descriptions: one call per ticket of the (shared) page of 50, not one per request.
    expect(connectwise.calls('/notes')).toBe(50);
  });

  it('answers 502 /problems/vendor-data naming vendor, item and field for an unmappable item, never a partial list', async () => {
    const { connectwise, smileback } = await h.fakes('connectwise', 'smileback');
    const bulk = bulkTickets(1500, 300_001);
    const broken = bulk.tickets[1234] as CwTicket; // on the vendor's second page
    const brokenInfo = broken._info!;
    broken._info = { lastUpdated: brokenInfo.lastUpdated };
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulk.tickets;
    connectwise.notes = bulk.notes;
    smileback.reviews = bulkReviews(1200, 40_000_001);
    smileback.reviews[777].rating = 7;
    const id = await h.tenant({ connectwise, smileback });
    const secrets = fakeSecrets({ connectwise, smileback });

    for (const path of ['tickets', `tickets/${bulk.tickets[0].id}`]) {
      const res = await get(`/api/tenants/${id}/${path}`);
      expectVendorProblem(res, 502, '/problems/vendor-data', secrets);
      expect(res.body.detail).toBe(`connectwise item ${broken.id}: _info.dateEntered is missing or not a date-time`);
    }
    expect(connectwise.calls('/notes')).toBe(0);

    const csat = await get(`/api/tenants/${id}/csat`);
    expectVendorProblem(csat, 502, '/problems/vendor-data', secrets);
    expect(csat.body.detail).toBe('smileback item 40000778: rating is not 1, 0 or -1');

    // Nothing half-mapped was cached: once the vendor's data is fixed, every record is served.
    broken._info = brokenInfo;
    smileback.reviews[777].rating = 0;
    const fixed = await get(`/api/tenants/${id}/tickets?page_size=1`);
    expect(fixed.status).toBe(200);
    expect(fixed.body.meta.total).toBe(1500);
    expect((await get(`/api/tenants/${id}/csat?page_size=1`)).body.meta.total).toBe(1200);
  });
});

describe('live mode serving a stale copy when the vendor fails (CACHE_TTL_SECONDS=1)', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    // A high threshold keeps the breaker out of the way: every failure here is the vendor's 5xx.
    t = await bootApp({ ...LIVE_ENV, CACHE_TTL_SECONDS: '1', VENDOR_BREAKER_THRESHOLD: '100' });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('serves the old data with `Warning: 110 - "stale"` after the TTL, and fresh data once the vendor is back', async () => {
    const { connectwise, sentinelone } = await h.fakes('connectwise', 'sentinelone');
    const bulk = bulkTickets(3, 300_001);
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulk.tickets;
    connectwise.notes = bulk.notes;
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

    await sleep(1200); // past CACHE_TTL_SECONDS
    connectwise.failNext(1000, { status: 500 });
    sentinelone.failNext(ATTEMPTS, { status: 500 });
    // What the vendor would say now, if it answered.
    sentinelone.threats = [threat('1790000000000000001', 'locky-v2.exe')];
    const cwBefore = connectwise.calls();

    const staleTickets = await get(`/api/tenants/${id}/tickets`);
    expect(staleTickets.status).toBe(200);
    expect(staleTickets.headers.warning).toBe('110 - "stale"');
    expect(staleTickets.headers['x-stale-vendors']).toBe('connectwise');
    expect(staleTickets.body).toEqual(freshTickets.body);
    expect(connectwise.calls()).toBeGreaterThan(cwBefore); // it did try the vendor

    const staleAlerts = await get(`/api/tenants/${id}/security-alerts`);
    expect(staleAlerts.status).toBe(200);
    expect(staleAlerts.headers.warning).toBe('110 - "stale"');
    expect(staleAlerts.headers['x-stale-vendors']).toBe('sentinelone');
    expect(staleAlerts.body).toEqual(freshAlerts.body);
    // The fresh fill's two walks, then the failing first walk of the refresh (the open walk never starts).
    expect(sentinelone.calls()).toBe(2 + ATTEMPTS);

    // The vendor is back: fresh data, no warning.
    const back = await get(`/api/tenants/${id}/security-alerts`);
    expect(back.status).toBe(200);
    expect(back.headers.warning).toBeUndefined();
    expect(back.body.data[0].title).toBe('Trojan: locky-v2.exe');
  });

  it('keeps the tickets fresh (no Warning) when a reference lookup is served stale: only the CSAT route says so', async () => {
    const { connectwise, smileback } = await h.fakes('connectwise', 'smileback');
    const bulk = bulkTickets(3, 300_001);
    // Closed 150 days ago, outside the live window: held only because a survey names it.
    const old = bulkTickets(1, 300_000).tickets[0];
    connectwise.members = [...MEMBERS];
    connectwise.tickets = [
      ...bulk.tickets,
      { ...old, status: { id: 9, name: 'Closed' }, closedFlag: true, closedDate: at(150), _info: { dateEntered: at(151), lastUpdated: at(150) } },
    ];
    connectwise.notes = bulk.notes;
    smileback.reviews = bulkReviews(1, 1); // names ticket 300000
    const id = await h.tenant({ connectwise, smileback });

    const fresh = await get(`/api/tenants/${id}/tickets`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.warning).toBeUndefined();
    expect(fresh.body.data.map((tk: { cw_ticket_id: string }) => tk.cw_ticket_id)).toContain('300000');

    await sleep(1200); // past CACHE_TTL_SECONDS: the ticket walk and its survey lookup both go to the vendors
    smileback.failNext(1000, { status: 500 });
    const sbBefore = smileback.calls();

    const tickets = await get(`/api/tenants/${id}/tickets`);
    expect(tickets.status).toBe(200);
    expect(smileback.calls()).toBeGreaterThan(sbBefore); // the survey lookup did fail, and its copy was used
    expect(tickets.headers.warning).toBeUndefined();
    expect(tickets.headers['x-stale-vendors']).toBeUndefined();
    expect(tickets.body).toEqual(fresh.body);

    // The surveys' own route still says they are a stale copy.
    const csat = await get(`/api/tenants/${id}/csat`);
    expect(csat.status).toBe(200);
    expect(csat.headers.warning).toBe('110 - "stale"');
    expect(csat.headers['x-stale-vendors']).toBe('smileback');
  });

  it('still answers 502 naming ConnectWise, with no credential in the body, when there is no copy at all', async () => {
    const { connectwise } = await h.fakes('connectwise');
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulkTickets(3, 300_001).tickets;
    connectwise.failNext(1000, { status: 500 });
    const id = await h.tenant({ connectwise });

    const res = await get(`/api/tenants/${id}/tickets`);
    expectVendorProblem(res, 502, '/problems/vendor-error', fakeSecrets({ connectwise }));
    expect(res.body.detail).toMatch(/^connectwise answered 500 to GET \/v4_6_release\/apis\/3\.0\/(service\/tickets|system\/members)/);
    expect(res.headers.warning).toBeUndefined();
    // Tickets and members are fetched side by side: the response leaves when the first fails, the
    // other may still be retrying. Each is tried 1 + VENDOR_MAX_RETRIES times, no more.
    await eventually(() => connectwise.calls('/service/tickets') >= ATTEMPTS && connectwise.calls('/system/members') >= ATTEMPTS);
    await sleep(100);
    expect(connectwise.calls('/service/tickets')).toBe(ATTEMPTS);
    expect(connectwise.calls('/system/members')).toBe(ATTEMPTS);
  });
});

describe('live mode: fixes for what the fault review found', () => {
  let t: TestApp;
  const h = harness(() => t);
  const get = (path: string) => call(t.app).get(path);

  beforeAll(async () => {
    t = await bootApp({ ...LIVE_ENV });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('serves the new vendor at once when an integration is replaced, not the old cache', async () => {
    const { sentinelone: a } = await h.fakes('sentinelone');
    const { sentinelone: b } = await h.fakes('sentinelone');
    a.threats = [threat('1001', 'Old.exe')];
    b.threats = [threat('2001', 'New.exe'), threat('2002', 'Newer.exe')];
    const tenant = await h.tenant({ sentinelone: a });
    expect((await get(`/api/tenants/${tenant}/security-alerts`).expect(200)).body.meta.total).toBe(1);
    await call(t.app).put(`/api/admin/tenants/${tenant}/integrations/sentinelone`, b.integration()).expect(200);
    const after = await get(`/api/tenants/${tenant}/security-alerts`).expect(200);
    expect(after.body.data.map((x: { alert_id: string }) => x.alert_id).sort()).toEqual(['2001', '2002']);
  });

  it('refuses a q search that would read more than 1000 descriptions, naming how to narrow it', async () => {
    const { connectwise } = await h.fakes('connectwise');
    const bulk = bulkTickets(1100, 700_000);
    connectwise.members = MEMBERS;
    connectwise.tickets = bulk.tickets;
    connectwise.notes = bulk.notes;
    const tenant = await h.tenant({ connectwise });
    const res = await get(`/api/tenants/${tenant}/tickets?q=printer`).expect(400);
    expect(res.body.type).toBe('/problems/query-too-broad');
    expect(res.body.detail).toMatch(/1100 tickets match the other filters, at most 1000/);
    expect(connectwise.calls('/notes')).toBe(0);
  });

  it('answers with an empty description for a ticket deleted in ConnectWise since the list was cached', async () => {
    const { connectwise } = await h.fakes('connectwise');
    const bulk = bulkTickets(5, 800_000);
    connectwise.members = MEMBERS;
    connectwise.tickets = bulk.tickets;
    connectwise.notes = bulk.notes.filter((n) => n.ticketId !== 800_002);
    const tenant = await h.tenant({ connectwise });
    await get(`/api/tenants/${tenant}/tickets?page_size=1`).expect(200);
    connectwise.tickets = bulk.tickets.filter((x) => x.id !== 800_002);
    const one = await get(`/api/tenants/${tenant}/tickets/800002`).expect(200);
    expect(one.body.description).toBe('');
  });

  it('reports in health which tenant domains have no integration', async () => {
    const { smileback } = await h.fakes('smileback');
    const tenant = await h.tenant({ smileback });
    const health = await get('/api/health').expect(200);
    const mine = health.body.checks.integrations.not_configured.filter((x: { tenant_id: string }) => x.tenant_id === tenant);
    expect(mine.map((x: { domain: string }) => x.domain).sort()).toEqual(['security_alerts', 'tickets', 'time_entries']);
  });
});

describe('live mode with an unreachable Redis', () => {
  let t: TestApp;
  const h = harness(() => t);

  beforeAll(async () => {
    t = await bootApp({ ...LIVE_ENV, REDIS_URL: 'redis://127.0.0.1:6399' });
  });
  afterEach(() => h.closeAll());
  afterAll(() => t?.close());

  it('still answers from the vendor (no hang); health and readiness say degraded, not down', async () => {
    const { sentinelone } = await h.fakes('sentinelone');
    sentinelone.threats = [threat('3001', 'Redisless.exe')];
    const tenant = await h.tenant({ sentinelone });
    const res = await call(t.app).get(`/api/tenants/${tenant}/security-alerts`).expect(200);
    expect(res.body.meta.total).toBe(1);
    const health = await call(t.app).get('/api/health').expect(200);
    expect(health.body.status).toBe('degraded');
    // Either the probe failed or HEALTH_CHECK_TIMEOUT_MS cut it short: degraded both ways.
    expect(health.body.checks.cache).toMatchObject({ status: 'degraded', error: expect.any(String) });
    const ready = await call(t.app).get('/api/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'degraded', checks: { cache: { status: 'degraded' }, store: { status: 'ok' } } });
  });
});
