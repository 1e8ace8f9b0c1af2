import { CORS_EXPOSED_HEADERS } from '../../src/app.setup.js';
import { ReplicaReads } from '../../src/replica-reads/replica-reads.js';
import { SyncScheduler } from '../../src/sync/sync-scheduler.js';
import { SEED_CSAT_SURVEY } from '../../src/cli/generate/seed-examples.js';
import type { TestApp } from '../support/app.js';
import { writeFolder } from '../support/seed-folder.js';
import {
  LIVE_ENV,
  MEMBERS,
  MEMBER_EMAILS,
  bulkGraphAlerts,
  bulkReviews,
  bulkThreats,
  bulkTickets,
  bulkTimeEntries,
  call,
  closeFakes,
  Fakes,
  listAll,
  mintTenantKey,
  registerTenant,
  startFakes,
} from '../support/live-fixtures.js';
import { bootReplicaApp, FakeTenantStreams, registerReplicaTenant, stateOf, syncTenant } from '../support/replica-app.js';

/*
 * Live reads from the replica, end to end: the real AppModule with the sync engine on, tenants
 * registered through the admin API, the real stream fetchers over loopback fakes. Reads wait for a
 * stream's first sync, then never call a vendor; headers say how old the data is.
 */

const REPLICA_ENV = { ...LIVE_ENV, SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '90', FIRST_SYNC_WAIT_MS: '10000' };

/** A tenant's vendor data: ids from `base`, so two tenants never share one. */
function seed(fakes: Fakes, base: number): void {
  const { tickets, notes } = bulkTickets(6, base);
  fakes.connectwise.tickets = tickets;
  fakes.connectwise.notes = notes;
  fakes.connectwise.members = MEMBERS;
  fakes.connectwise.timeEntries = bulkTimeEntries(4, base, tickets.map((t) => t.id as number));
  fakes.smileback.reviews = bulkReviews(3, base);
  fakes.sentinelone.threats = bulkThreats(2, base);
  fakes.defender.graphAlerts = bulkGraphAlerts(2, base);
}

const vendorCalls = (fakes: Fakes) => Object.values(fakes).reduce((sum, fake) => sum + fake.requests.length, 0);

describe('live reads from the replica', () => {
  let app: TestApp;
  let streams: FakeTenantStreams;
  const fakes: Record<string, Fakes> = {};

  beforeAll(async () => {
    streams = new FakeTenantStreams();
    app = await bootReplicaApp(REPLICA_ENV, streams);
    for (const [tenant, base] of [['tenant_one', 1000], ['tenant_two', 2000]] as const) {
      fakes[tenant] = await startFakes();
      seed(fakes[tenant], base);
      await registerReplicaTenant(app.app, streams, tenant, fakes[tenant]);
    }
  });
  afterAll(async () => {
    await app?.close();
    await streams?.http.onApplicationShutdown();
    for (const f of Object.values(fakes)) await closeFakes(f);
  });

  it('serves every route from the replica after the first sync, with X-Data-As-Of, and calls no vendor for reads', async () => {
    const first = await app.get('/api/tenants/tenant_one/tickets?page_size=100');
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(6);
    const ticket = first.body.data.find((t: { cw_ticket_id: string }) => t.cw_ticket_id === '1001');
    expect(ticket).toMatchObject({ tenant_id: 'tenant_one', description: 'Details for ticket 1001', owner: MEMBER_EMAILS[177] });
    const asOf = (await stateOf(app.app, 'tenant_one', 'connectwise.tickets'))?.lastSuccessAt;
    expect(first.headers['x-data-as-of']).toBe(asOf);
    expect(first.headers.warning).toBeUndefined();

    // Every stream synced once: reads from here on never reach a vendor.
    for (const path of ['time-entries', 'csat', 'security-alerts', 'summary']) expect((await app.get(`/api/tenants/tenant_one/${path}`)).status).toBe(200);
    const before = vendorCalls(fakes.tenant_one);
    const entries = await listAll<{ cw_time_entry_id: string; tenant_id: string }>(app.app, '/api/tenants/tenant_one/time-entries');
    expect(entries.map((e) => e.cw_time_entry_id).sort()).toEqual(['1000', '1001', '1002', '1003']);
    const surveys = await app.get('/api/tenants/tenant_one/csat');
    expect(surveys.body.data).toHaveLength(3);
    const alerts = await app.get('/api/tenants/tenant_one/security-alerts?page_size=100');
    expect(alerts.body.data.map((a: { source: string }) => a.source).sort()).toEqual(['defender', 'defender', 'sentinelone', 'sentinelone']);
    const summary = await app.get('/api/tenants/tenant_one/summary');
    expect(summary.status).toBe(200);
    expect(summary.body.tickets).toBeDefined();
    const states = await Promise.all(
      (['connectwise.tickets', 'connectwise.time_entries', 'smileback.reviews', 'sentinelone.threats', 'defender.alerts'] as const).map((s) => stateOf(app.app, 'tenant_one', s)),
    );
    expect(summary.headers['x-data-as-of']).toBe(states.map((s) => s?.lastSuccessAt as string).sort()[0]);
    expect(alerts.headers['x-data-as-of']).toBe([states[3], states[4]].map((s) => s?.lastSuccessAt as string).sort()[0]);
    expect(vendorCalls(fakes.tenant_one)).toBe(before);
  });

  it('keeps tenants apart: each key sees its own tenant replica, and no other', async () => {
    const key = await mintTenantKey(app.app, ['tenant_two']);
    const own = await call(app.app, key).get('/api/tenants/tenant_two/tickets?page_size=100');
    expect(own.status).toBe(200);
    expect(own.body.data.map((t: { cw_ticket_id: string }) => t.cw_ticket_id).sort()).toEqual(['2000', '2001', '2002', '2003', '2004', '2005']);
    expect(own.body.data.every((t: { tenant_id: string }) => t.tenant_id === 'tenant_two')).toBe(true);
    expect((await call(app.app, key).get('/api/tenants/tenant_one/tickets')).status).toBe(404);
    const one = await app.get('/api/tenants/tenant_one/tickets?page_size=100');
    expect(one.body.data.every((t: { tenant_id: string }) => t.tenant_id === 'tenant_one')).toBe(true);
  });

  it('keeps the ETag across a sync that changed nothing and changes it after an edit', async () => {
    const path = '/api/tenants/tenant_one/tickets?page_size=100';
    const before = await app.get(path);
    expect(before.headers.etag).toBeDefined();
    await syncTenant(app.app, streams, 'tenant_one');
    const quiet = await app.get(path);
    expect(quiet.headers.etag).toBe(before.headers.etag);
    const notModified = await app.get(path).set('if-none-match', before.headers.etag);
    expect(notModified.status).toBe(304);
    // A 304 is a data answer too: it says how old the data the client keeps is (the quiet sync succeeded since).
    expect(notModified.headers['x-data-as-of']).toBe(quiet.headers['x-data-as-of']);
    expect(notModified.headers['x-data-as-of'] > before.headers['x-data-as-of']).toBe(true);

    const cw = fakes.tenant_one.connectwise;
    cw.tickets[0] = { ...cw.tickets[0], summary: 'Edited in ConnectWise', _info: { ...cw.tickets[0]._info, lastUpdated: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } };
    await syncTenant(app.app, streams, 'tenant_one');
    const edited = await app.get(path);
    expect(edited.headers.etag).not.toBe(before.headers.etag);
    expect(edited.body.data.find((t: { cw_ticket_id: string }) => t.cw_ticket_id === '1000').summary).toBe('Edited in ConnectWise');
  });

  it('serves the last synced data with Warning 110 and X-Stale-Vendors once a run failed', async () => {
    const fresh = await app.get('/api/tenants/tenant_two/csat');
    expect(fresh.status).toBe(200);
    const synced = (await stateOf(app.app, 'tenant_two', 'smileback.reviews'))?.lastSuccessAt;
    fakes.tenant_two.smileback.failNext(20, { status: 500 });
    await syncTenant(app.app, streams, 'tenant_two');
    expect((await stateOf(app.app, 'tenant_two', 'smileback.reviews'))?.state).toBe('failed');
    const before = vendorCalls(fakes.tenant_two);
    const res = await app.get('/api/tenants/tenant_two/csat');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(3);
    expect(res.headers.warning).toBe(`110 - "stale: smileback last synced ${synced}"`);
    expect(res.headers['x-stale-vendors']).toBe('smileback');
    // Same data, but now stale: a client revalidating its fresh copy is answered in full, with the Warning.
    expect(res.headers.etag).not.toBe(fresh.headers.etag);
    expect((await app.get('/api/tenants/tenant_two/csat').set('if-none-match', fresh.headers.etag)).status).toBe(200);
    const notModified = await app.get('/api/tenants/tenant_two/csat').set('if-none-match', res.headers.etag);
    expect(notModified.status).toBe(304);
    expect(notModified.headers.warning).toBe(res.headers.warning);
    expect(notModified.headers['x-stale-vendors']).toBe('smileback');
    expect(notModified.headers['x-data-as-of']).toBe(synced);
    expect(vendorCalls(fakes.tenant_two)).toBe(before);
    // Tickets are not smileback's: no warning there.
    expect((await app.get('/api/tenants/tenant_two/tickets')).headers.warning).toBeUndefined();
    const summary = await app.get('/api/tenants/tenant_two/summary');
    expect(summary.headers['x-stale-vendors']).toBe('smileback');
  });

  it('serves the last completed data while a sync runs, without waiting for it', async () => {
    const path = '/api/tenants/tenant_two/tickets?page_size=100';
    const before = await app.get(path);
    const cw = fakes.tenant_two.connectwise;
    cw.tickets[1] = { ...cw.tickets[1], summary: 'Edited while syncing', _info: { ...cw.tickets[1]._info, lastUpdated: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } };
    // A page held: the read below must be answered while the run is still under way, not after it.
    cw.hang(1_500, 1, '/service/tickets');
    let finished = false;
    const running = syncTenant(app.app, streams, 'tenant_two').finally(() => (finished = true));
    for (const until = Date.now() + 4_000; (await stateOf(app.app, 'tenant_two', 'connectwise.tickets'))?.state !== 'running'; ) {
      if (Date.now() > until) throw new Error('the sync never reached state running');
      await new Promise((r) => setTimeout(r, 20));
    }
    const during = await app.get(path);
    expect(finished).toBe(false);
    expect(during.status).toBe(200);
    expect(during.body).toEqual(before.body);
    expect(during.headers.etag).toBe(before.headers.etag);
    expect(during.headers['x-data-as-of']).toBe(before.headers['x-data-as-of']);
    await running;
    const after = await app.get(path);
    expect(after.body.data.find((t: { cw_ticket_id: string }) => t.cw_ticket_id === '2001').summary).toBe('Edited while syncing');
    expect(after.headers['x-data-as-of'] > before.headers['x-data-as-of']).toBe(true);
  });

  it('serves the rows loaded before a run while it writes page by page: a read never mixes two runs', async () => {
    const three = await startFakes();
    fakes.tenant_three = three;
    const { tickets, notes } = bulkTickets(150, 3000);
    Object.assign(three.connectwise, { tickets, notes, members: MEMBERS });
    // The fetcher hands on (and the engine writes) a page per 100 tickets listed.
    streams.connectwisePageSize = 100;
    await registerReplicaTenant(app.app, streams, 'tenant_three', { connectwise: three.connectwise });
    const path = '/api/tenants/tenant_three/tickets?page_size=100';
    const before = await app.get(path);
    expect(before.status).toBe(200);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const [i, t] of tickets.entries()) tickets[i] = { ...t, summary: `run two ${i}`, _info: { ...t._info, lastUpdated: now } };
    // Each list page answers after 800 ms: the first page is written while the second is still awaited.
    three.connectwise.hang(800, 2, '/service/tickets');
    const version = (await stateOf(app.app, 'tenant_three', 'connectwise.tickets'))?.dataVersion as number;
    const running = syncTenant(app.app, streams, 'tenant_three');
    const deadline = Date.now() + 5_000;
    while (((await stateOf(app.app, 'tenant_three', 'connectwise.tickets'))?.dataVersion as number) === version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const mid = await stateOf(app.app, 'tenant_three', 'connectwise.tickets');
    expect(mid?.state).toBe('running');
    expect(mid?.dataVersion).toBeGreaterThan(version);
    const during = await app.get(path);
    expect(during.body).toEqual(before.body);
    await running;
    const after = await app.get(path);
    expect(after.body.meta.total).toBe(150);
    expect(after.body.data.every((t: { summary: string }) => t.summary.startsWith('run two '))).toBe(true);
  });

  it('insights: no caveat inside the synced history; one naming its start for a window reaching before it', async () => {
    const states = await Promise.all(
      (['connectwise.tickets', 'connectwise.time_entries', 'smileback.reviews', 'sentinelone.threats', 'defender.alerts'] as const).map((s) => stateOf(app.app, 'tenant_one', s)),
    );
    const start = states.map((s) => s?.historyFrom as string).sort().at(-1) as string;
    expect(start).toBeDefined();
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const inside = await app.get(`/api/tenants/tenant_one/summary?from=${day(Date.parse(start) + 2 * 86_400_000)}&to=${day(Date.now())}`);
    expect(inside.status).toBe(200);
    expect(inside.body.caveats).toEqual([]);
    const before = await app.get(`/api/tenants/tenant_one/summary?from=${day(Date.parse(start) - 30 * 86_400_000)}&to=${day(Date.now())}`);
    expect(before.body.caveats).toHaveLength(1);
    expect(before.body.caveats[0]).toContain(`The synced history starts on ${start.slice(0, 10)}`);
    expect(before.body.caveats[0]).toMatch(/tickets closed, time entries, surveys and security alerts/);
    expect(before.body.caveats[0]).not.toContain('LIVE_WINDOW_DAYS');
  });

  it('exposes X-Data-As-Of to browsers (cors.e2e checks the list is what CORS answers)', () => {
    expect(CORS_EXPOSED_HEADERS).toContain('X-Data-As-Of');
  });
});

describe('live reads of a stream never synced', () => {
  let app: TestApp;
  let streams: FakeTenantStreams;
  let fakes: Fakes;

  beforeAll(async () => {
    streams = new FakeTenantStreams();
    app = await bootReplicaApp({ ...REPLICA_ENV, FIRST_SYNC_WAIT_MS: '300' }, streams);
    fakes = await startFakes();
    seed(fakes, 5000);
  });
  afterAll(async () => {
    await app?.close();
    await streams?.http.onApplicationShutdown();
    await closeFakes(fakes);
  });

  it('answers 503 sync-in-progress with Retry-After past FIRST_SYNC_WAIT_MS, then 200 once the first sync is done', async () => {
    await registerReplicaTenant(app.app, streams, 'tenant_slow', fakes);
    fakes.connectwise.hang(1_500, 1, '/service/tickets');
    const waiting = await app.get('/api/tenants/tenant_slow/tickets');
    expect(waiting.status).toBe(503);
    expect(waiting.body.type).toBe('/problems/sync-in-progress');
    expect(waiting.body.detail).toMatch(/connectwise\.tickets of tenant tenant_slow is being synced for the first time: \d+ records so far/);
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const deadline = Date.now() + 10_000;
    let res = waiting;
    while (res.status === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      res = await app.get('/api/tenants/tenant_slow/tickets');
    }
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(6);
  });

  it('waits for a first sync that ends within FIRST_SYNC_WAIT_MS and answers 200', async () => {
    // This app's 300 ms wait is for the 503 above; a second app with a wait no loaded machine exceeds.
    const waiting = await bootReplicaApp({ ...REPLICA_ENV, FIRST_SYNC_WAIT_MS: '60000' }, streams);
    try {
      await registerTenant(waiting.app, 'tenant_slow', fakes);
      fakes.smileback.hang(150, 1, '/reviews/');
      const started = Date.now();
      const read = await waiting.get('/api/tenants/tenant_slow/csat');
      expect(read.status).toBe(200);
      expect(read.body.data).toHaveLength(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(read.headers['x-data-as-of']).toBe((await stateOf(waiting.app, 'tenant_slow', 'smileback.reviews'))?.lastSuccessAt);
    } finally {
      await waiting.close();
    }
  }, 90_000);

  it('answers the vendor failure (502 vendor-error) when the first sync failed', async () => {
    const broken = await startFakes();
    try {
      seed(broken, 6000);
      await registerReplicaTenant(app.app, streams, 'tenant_broken', broken);
      broken.sentinelone.failNext(50, { status: 500 });
      const res = await app.get('/api/tenants/tenant_broken/security-alerts');
      expect(res.status).toBe(502);
      expect(res.body.type).toBe('/problems/vendor-error');
      expect(res.body.detail).toMatch(/^sentinelone answered 500 to /);
    } finally {
      await closeFakes(broken);
    }
  });
});

describe('a replica not synced for 3 intervals', () => {
  let app: TestApp;
  let streams: FakeTenantStreams;
  let fakes: Fakes;

  afterAll(async () => {
    await app?.close();
    await streams?.http.onApplicationShutdown();
    await closeFakes(fakes);
  });

  it('is served with Warning 110 naming its last sync once older than 3 × SYNC_INTERVAL_SECONDS', async () => {
    streams = new FakeTenantStreams();
    app = await bootReplicaApp({ ...REPLICA_ENV, SYNC_INTERVAL_SECONDS: '1' }, streams);
    fakes = await startFakes();
    seed(fakes, 8000);
    await registerReplicaTenant(app.app, streams, 'tenant_idle', { smileback: fakes.smileback });
    const fresh = await app.get('/api/tenants/tenant_idle/csat');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.warning).toBeUndefined();
    // No more runs: the replica only ages.
    await app.app.get(SyncScheduler).stop();
    const synced = (await stateOf(app.app, 'tenant_idle', 'smileback.reviews'))?.lastSuccessAt as string;
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(synced) + 3_100 - Date.now())));
    const aged = await app.get('/api/tenants/tenant_idle/csat');
    expect(aged.status).toBe(200);
    expect(aged.body.data).toHaveLength(3);
    expect(aged.headers.warning).toBe(`110 - "stale: smileback last synced ${synced}"`);
    expect(aged.headers['x-stale-vendors']).toBe('smileback');
    expect(aged.headers['x-data-as-of']).toBe(synced);
  });
});

describe('the replica read cache under a 1 MiB budget', () => {
  let app: TestApp;
  let streams: FakeTenantStreams;
  const all: Fakes[] = [];

  afterAll(async () => {
    await app?.close();
    await streams?.http.onApplicationShutdown();
    for (const f of all) await closeFakes(f);
  });

  it('evicts least recently used tenants and still serves every tenant its own data', async () => {
    streams = new FakeTenantStreams();
    // Four first syncs of 700 tickets, each with its notes: a loaded machine can take longer than the suite's 10 s wait.
    app = await bootReplicaApp({ ...REPLICA_ENV, SNAPSHOT_CACHE_MAX_MB: '1', FIRST_SYNC_WAIT_MS: '60000' }, streams);
    const tenants = ['mem_a', 'mem_b', 'mem_c', 'mem_d'];
    for (const [i, tenant] of tenants.entries()) {
      const fakes = await startFakes();
      all.push(fakes);
      const { tickets, notes } = bulkTickets(700, (i + 1) * 100_000);
      fakes.connectwise.tickets = tickets;
      fakes.connectwise.notes = notes;
      fakes.connectwise.members = MEMBERS;
      await registerReplicaTenant(app.app, streams, tenant, { connectwise: fakes.connectwise });
    }
    const reads = app.app.get(ReplicaReads);
    for (let round = 0; round < 2; round++) {
      for (const [i, tenant] of tenants.entries()) {
        const res = await app.get(`/api/tenants/${tenant}/tickets?page_size=5`);
        expect(res.status).toBe(200);
        expect(res.body.meta.total).toBe(700);
        expect(res.body.data).toHaveLength(5);
        for (const ticket of res.body.data as Array<{ tenant_id: string; cw_ticket_id: string }>) {
          expect(ticket.tenant_id).toBe(tenant);
          expect(Math.floor(Number(ticket.cw_ticket_id) / 100_000)).toBe(i + 1);
        }
        await new Promise((r) => setImmediate(r));
        const usage = reads.usage();
        expect(usage.bytes).toBeLessThanOrEqual(usage.maxBytes);
      }
    }
    expect(reads.usage().maxBytes).toBe(1024 * 1024);
    expect(reads.usage().entries).toBeLessThan(tenants.length);
  }, 120_000);
});

describe('mixed mode with the replica', () => {
  let app: TestApp;
  let streams: FakeTenantStreams;
  let fakes: Fakes;

  afterAll(async () => {
    await app?.close();
    await streams?.http.onApplicationShutdown();
    await closeFakes(fakes);
  });

  it('reads mocked domains from the folder and never syncs their streams; live domains come from the replica', async () => {
    fakes = await startFakes();
    seed(fakes, 7000);
    const survey = { ...SEED_CSAT_SURVEY, tenant_id: 'tenant_mixed', survey_id: 'MOCK-S1' };
    const folder = await writeFolder({
      'tenants.json': [{ id: 'tenant_mixed', name: 'Mixed', is_active: true, llm_enabled: false }],
      'csat/tenant_mixed.json': [survey],
    });
    streams = new FakeTenantStreams(['csat']);
    app = await bootReplicaApp({ ...REPLICA_ENV, MOCK_DOMAINS: 'csat', MOCK_DATA_PATH: folder }, streams);
    await registerReplicaTenant(app.app, streams, 'tenant_mixed', fakes);
    const csat = await app.get('/api/tenants/tenant_mixed/csat');
    expect(csat.status).toBe(200);
    expect(csat.body.data).toEqual([survey]);
    const tickets = await app.get('/api/tenants/tenant_mixed/tickets?page_size=100');
    expect(tickets.body.data).toHaveLength(6);
    expect(tickets.headers['x-data-as-of']).toBe((await stateOf(app.app, 'tenant_mixed', 'connectwise.tickets'))?.lastSuccessAt);
    expect((await app.get('/api/tenants/tenant_mixed/summary')).status).toBe(200);
    expect(fakes.smileback.calls()).toBe(0);
    expect(await stateOf(app.app, 'tenant_mixed', 'smileback.reviews')).toBeUndefined();
  });
});
