import { join } from 'node:path';
import request from 'supertest';
import { Metrics } from '../../src/metrics/metrics.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { bootApp, server, TestApp } from '../support/app.js';
import { bulkTickets, LIVE_ENV, MEMBERS, mintTenantKey, registerTenant } from '../support/live-fixtures.js';
import { bootVendorReplicaApp } from '../support/vendor-replica-app.js';
import { untilHistorySynced } from '../support/replica-sync.js';

/*
 * GET /metrics on the real app: Prometheus text for admin keys only, HTTP durations by route pattern,
 * vendor requests and 429s counted in the one vendor client (live mode: the sync's runs, reads come
 * from the replica), the sync engine's instruments, and one registry per app (a mock-mode and a
 * live-mode app run side by side in this process).
 */

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const TENANT = '/api/tenants/tenant_demo_cca';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(?:,|$)/y;

/** A sample value as Prometheus reads it (Go's ParseFloat: NaN and Inf in any case; prom-client writes `Nan`). */
function parseValue(text: string): number | undefined {
  if (/^nan$/i.test(text)) return Number.NaN;
  const infinite = /^([+-]?)inf(inity)?$/i.exec(text);
  if (infinite) return infinite[1] === '-' ? -Infinity : Infinity;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : undefined;
}

/** Prometheus text format 0.0.4, strictly: every line a HELP, a TYPE (once per family) or a sample of a typed family. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || new RegExp(`^# HELP ${NAME} `).test(line)) continue;
    const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (type) {
      if (types.has(type[1])) throw new Error(`family ${type[1]} typed twice`);
      types.set(type[1], type[2]);
      continue;
    }
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) throw new Error(`not a Prometheus text line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const body = sample[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const label = LABEL.exec(body);
      if (!label) throw new Error(`bad labels in ${JSON.stringify(line)}`);
      labels[label[1]] = label[2];
    }
    const value = parseValue(sample[3]);
    if (value === undefined) throw new Error(`bad value in ${JSON.stringify(line)}`);
    const family = [sample[1], sample[1].replace(/_(bucket|sum|count)$/, '')].find((name) => types.has(name));
    if (family === undefined) throw new Error(`sample of an untyped family: ${JSON.stringify(line)}`);
    samples.push({ name: sample[1], labels, value });
  }
  return { samples, types };
}

/** The sum of the samples named `name` whose labels include `labels`. */
function total(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /metrics', () => {
  let mock: TestApp;
  let live: TestApp;
  let connectwise: FakeConnectWise;

  async function scrape(t: TestApp): Promise<Exposition> {
    const res = await t.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(CONTENT_TYPE);
    // Text, not JSON: never an entity tag (a scrape must always read the current values).
    expect(res.headers.etag).toBeUndefined();
    return parseExposition(res.text);
  }

  beforeAll(async () => {
    connectwise = await FakeConnectWise.start();
    mock = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: join(process.cwd(), 'mock-data'), MOCK_WATCH: 'false', DATABASE_URL: 'sqlite::memory:' });
    // History = the recent window: one run per stream (no backfill), then none for an hour.
    live = await bootVendorReplicaApp({ ...LIVE_ENV, VENDOR_TIMEOUT_MS: '5000', VENDOR_RETRY_BASE_MS: '1', SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '90', LIVE_WINDOW_DAYS: '90' });
  });
  afterAll(async () => {
    await mock?.close();
    await live?.close();
    await connectwise?.close();
  });

  it('answers admin keys only: 401 without a key, 403 with a tenant key, Prometheus text with the admin key', async () => {
    const anonymous = await request(server(mock.app)).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    const tenantKey = await mintTenantKey(mock.app, ['tenant_demo_cca']);
    const scoped = await request(server(mock.app)).get('/metrics').set('authorization', `Bearer ${tenantKey}`);
    expect({ status: scoped.status, type: scoped.body.type }).toEqual({ status: 403, type: '/problems/forbidden' });
    // Not under /api, where the data routes live.
    expect((await mock.get('/api/metrics')).status).toBe(404);

    const exposition = await scrape(mock);
    expect(Object.fromEntries([...exposition.types].filter(([name]) => !/^(process|nodejs)_/.test(name)))).toEqual({
      http_request_duration_seconds: 'histogram',
      vendor_requests_total: 'counter',
      vendor_rate_limited_total: 'counter',
      vendor_budget_waits_total: 'counter',
      sync_lag_seconds: 'gauge',
      sync_run_duration_seconds: 'histogram',
      replica_records: 'gauge',
    });
    // The process's default metrics, once.
    expect(exposition.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(exposition.types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    expect(total(exposition, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('records HTTP durations by method, route pattern and status, never the raw URL', async () => {
    const before = await scrape(mock);
    const count = (e: Exposition, route: string, status: string) => total(e, 'http_request_duration_seconds_count', { method: 'GET', route, status });
    await mock.get(`${TENANT}/tickets?status=New`).expect(200);
    await mock.get(`${TENANT}/tickets?page=2`).expect(200);
    await mock.get(`${TENANT}/tickets/TKT-001`).expect(200);
    await mock.get(`${TENANT}/tickets/TKT-999999`).expect(404);
    await mock.get('/api/nowhere/at-all').expect(404);
    const after = await scrape(mock);

    expect(count(after, '/api/tenants/:tenantId/tickets', '200') - count(before, '/api/tenants/:tenantId/tickets', '200')).toBe(2);
    expect(count(after, '/api/tenants/:tenantId/tickets/:cwTicketId', '200') - count(before, '/api/tenants/:tenantId/tickets/:cwTicketId', '200')).toBe(1);
    expect(count(after, '/api/tenants/:tenantId/tickets/:cwTicketId', '404') - count(before, '/api/tenants/:tenantId/tickets/:cwTicketId', '404')).toBe(1);
    expect(count(after, 'unmatched', '404') - count(before, 'unmatched', '404')).toBe(1);
    // The scrape before this one is counted too, under its own path.
    expect(count(after, '/metrics', '200')).toBeGreaterThanOrEqual(1);

    const routes = new Set(after.samples.filter((s) => s.name.startsWith('http_request_duration_seconds')).map((s) => s.labels.route));
    for (const route of routes) expect(route).not.toMatch(/tenant_demo_cca|TKT-|\?|nowhere/);
    const tickets = { method: 'GET', route: '/api/tenants/:tenantId/tickets', status: '200' };
    expect(total(after, 'http_request_duration_seconds_bucket', { ...tickets, le: '+Inf' })).toBe(total(after, 'http_request_duration_seconds_count', tickets));
    expect(total(after, 'http_request_duration_seconds_sum', tickets)).toBeGreaterThan(0);
  });

  it("counts every request the sync sends to a vendor by outcome, and its 429s, in the vendor client; reads send none", async () => {
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulkTickets(3, 500_001).tickets;
    // The tickets stream's first run meets a 429 (it ends and resumes after Retry-After), the next a 503 (retried in the run).
    connectwise.failNext(1, { status: 429, retryAfter: 1, path: '/service/tickets' });
    connectwise.failNext(1, { status: 503, path: '/service/tickets' });
    await registerTenant(live.app, 'tenant_metrics', { connectwise });
    const synced = await untilHistorySynced(live.app, 'tenant_metrics');
    expect(synced.find((s) => s.stream === 'connectwise.tickets')?.records).toBe(3);

    const sent = connectwise.requests.length;
    const res = await live.get('/api/tenants/tenant_metrics/tickets').expect(200);
    expect(res.body.meta.total).toBe(3);
    expect(connectwise.requests.length).toBe(sent);

    let exposition = await scrape(live);
    for (const end = Date.now() + 3000; total(exposition, 'vendor_requests_total', { vendor: 'connectwise' }) < sent && Date.now() < end; ) {
      await sleep(20);
      exposition = await scrape(live);
    }
    const byOutcome = Object.fromEntries(
      exposition.samples.filter((s) => s.name === 'vendor_requests_total' && s.labels.vendor === 'connectwise').map((s) => [s.labels.outcome, s.value]),
    );
    expect(byOutcome).toEqual({ ok: sent - 2, rate_limited: 1, server_error: 1 });
    expect(total(exposition, 'vendor_rate_limited_total', { vendor: 'connectwise' })).toBe(1);
    // The runs behind them, in the sync engine's instruments.
    const tickets = { tenant: 'tenant_metrics', stream: 'connectwise.tickets' };
    expect(total(exposition, 'replica_records', tickets)).toBe(3);
    expect(exposition.samples.some((s) => s.name === 'sync_lag_seconds' && s.labels.tenant === 'tenant_metrics' && s.labels.stream === 'connectwise.tickets')).toBe(true);
    expect(total(exposition, 'sync_run_duration_seconds_count', { stream: 'connectwise.tickets', outcome: 'success' })).toBeGreaterThanOrEqual(1);
  });

  it('keeps a registry per app: what one app serves and calls never shows in the other', async () => {
    expect(mock.app.get(Metrics)).not.toBe(live.app.get(Metrics));
    const home = (e: Exposition) => total(e, 'http_request_duration_seconds_count', { route: '/' });
    const [mockBefore, liveBefore] = [await scrape(mock), await scrape(live)];
    for (let i = 0; i < 3; i++) await live.get('/').expect(200);
    const [mockAfter, liveAfter] = [await scrape(mock), await scrape(live)];

    expect(home(liveAfter) - home(liveBefore)).toBe(3);
    expect(home(mockAfter) - home(mockBefore)).toBe(0);
    // Only the live app called a vendor; only the mock app answered a ticket by id.
    expect(total(mockAfter, 'vendor_requests_total')).toBe(0);
    expect(total(liveAfter, 'vendor_requests_total', { vendor: 'connectwise' })).toBeGreaterThan(0);
    expect(total(liveAfter, 'http_request_duration_seconds_count', { route: '/api/tenants/:tenantId/tickets/:cwTicketId' })).toBe(0);
  });

  it("exposes the sync engine's lag (growing from the last success), run durations and record counts, and forgets a tenant", async () => {
    const metrics = mock.app.get(Metrics);
    const stream = { tenant: 'tenant_sync', stream: 'connectwise.tickets' };
    metrics.syncSucceeded('tenant_sync', 'connectwise.tickets', Date.now() - 90_000);
    metrics.syncSucceeded('tenant_sync', 'smileback.reviews', new Date());
    metrics.syncRunFinished('connectwise.tickets', 'incremental', 'success', 2.5);
    metrics.syncRunFinished('connectwise.tickets', 'incremental', 'failure', 40);
    metrics.replicaRecords('tenant_sync', 'connectwise.tickets', 20_000);

    const first = await scrape(mock);
    const lag = total(first, 'sync_lag_seconds', stream);
    expect(lag).toBeGreaterThanOrEqual(90);
    expect(lag).toBeLessThan(120);
    expect(total(first, 'sync_lag_seconds', { tenant: 'tenant_sync', stream: 'smileback.reviews' })).toBeLessThan(30);
    const run = { stream: 'connectwise.tickets', kind: 'incremental' };
    expect(total(first, 'sync_run_duration_seconds_count', { ...run, outcome: 'success' })).toBe(1);
    expect(total(first, 'sync_run_duration_seconds_sum', { ...run, outcome: 'success' })).toBe(2.5);
    expect(total(first, 'sync_run_duration_seconds_bucket', { ...run, outcome: 'failure', le: '30' })).toBe(0);
    expect(total(first, 'sync_run_duration_seconds_bucket', { ...run, outcome: 'failure', le: '60' })).toBe(1);
    expect(total(first, 'replica_records', stream)).toBe(20_000);

    await sleep(1100);
    expect(total(await scrape(mock), 'sync_lag_seconds', stream)).toBeGreaterThanOrEqual(lag + 1);

    metrics.forget('tenant_sync', 'smileback.reviews');
    const one = await scrape(mock);
    expect(one.samples.filter((s) => s.labels.tenant === 'tenant_sync').map((s) => `${s.name} ${s.labels.stream}`).sort()).toEqual([
      'replica_records connectwise.tickets',
      'sync_lag_seconds connectwise.tickets',
    ]);
    metrics.forget('tenant_sync');
    expect((await scrape(mock)).samples.filter((s) => s.labels.tenant === 'tenant_sync')).toEqual([]);
  });
});
