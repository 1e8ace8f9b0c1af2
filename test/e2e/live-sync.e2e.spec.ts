import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { PlatformDb } from '../../src/platform/platform-db.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import { bootApp, server, TestApp } from '../support/app.js';
import { until } from '../support/sync-harness.js';
import {
  bulkReviews,
  bulkTickets,
  bulkTimeEntries,
  call,
  closeFakes,
  Fakes,
  LIVE_ENV,
  at,
  MEMBERS,
  mintTenantKey,
  registerTenant,
  startFakes,
} from '../support/live-fixtures.js';

const INTERVAL_S = 2;
const ENV = { ...LIVE_ENV, SYNC_INTERVAL_SECONDS: String(INTERVAL_S), SYNC_HISTORY_DAYS: '90', LIVE_WINDOW_DAYS: '90' };

interface StreamInfo {
  stream: string;
  vendor: string;
  domain: string | null;
  state: string;
  last_success_at: string | null;
  lag_seconds: number | null;
  records: number;
  history_from: string | null;
  last_error: string | null;
  last_run: Record<string, unknown> | null;
}

async function streamsOf(t: TestApp, tenant: string): Promise<StreamInfo[]> {
  const res = await call(t.app).get(`/api/admin/tenants/${tenant}/sync`);
  if (res.status !== 200) throw new Error(`GET sync: ${res.status} ${res.text}`);
  return res.body.streams as StreamInfo[];
}

async function liveRecords(t: TestApp, tenant: string, stream: 'connectwise.tickets'): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const batch of t.app.get(ReplicaRepository).readLive(tenant, stream)) out.push(...(batch as Array<Record<string, unknown>>));
  return out;
}

describe('live replica wired into the app (SQLite, in-process scheduler)', () => {
  let fakes: Fakes;
  let dir: string;
  let t: TestApp;
  const tickets = bulkTickets(6, 1);

  beforeAll(async () => {
    fakes = await startFakes();
    fakes.connectwise.tickets = tickets.tickets;
    fakes.connectwise.notes = tickets.notes;
    fakes.connectwise.timeEntries = bulkTimeEntries(8, 100, [1, 2, 3]);
    // ConnectWise stamps every member with its last change; the shared fixture leaves it out.
    fakes.connectwise.members = MEMBERS.map((m) => ({ ...m, _info: { lastUpdated: at(30) } }));
    fakes.smileback.reviews = bulkReviews(4, 1);
    dir = await mkdtemp(join(tmpdir(), 'live-sync-'));
    const env = { ...ENV, DATABASE_URL: `sqlite:${join(dir, 'platform.db')}` };
    // Registered by one boot, synced by the next: the scheduler plans every configured stream as the app starts.
    const first = await bootApp(env);
    await registerTenant(first.app, 'acme', { connectwise: fakes.connectwise, smileback: fakes.smileback });
    await registerTenant(first.app, 'empty', {});
    await first.close();
    t = await bootApp(env);
  });

  afterAll(async () => {
    await t?.close();
    await closeFakes(fakes);
    await rm(dir, { recursive: true, force: true });
  });

  it("after boot, every configured stream syncs: idle, last success, records equal to the vendor's", async () => {
    const streams = await until(
      'every stream idle after a success',
      async () => {
        const s = await streamsOf(t, 'acme');
        return s.length === 4 && s.every((x) => x.state === 'idle' && x.last_success_at !== null) ? s : undefined;
      },
      30_000,
    );
    expect(streams.map((s) => [s.stream, s.vendor, s.domain, s.records])).toEqual([
      ['connectwise.tickets', 'connectwise', 'tickets', 6],
      ['connectwise.time_entries', 'connectwise', 'time_entries', 8],
      ['connectwise.members', 'connectwise', null, MEMBERS.length],
      ['smileback.reviews', 'smileback', 'csat', 4],
    ]);
    for (const s of streams) {
      expect(s.last_error).toBeNull();
      expect(s.lag_seconds).toBeGreaterThanOrEqual(0);
      expect(s.lag_seconds).toBeLessThan(30);
      expect(s.history_from).toEqual(expect.any(String));
      expect(s.last_run).toEqual({
        kind: expect.stringMatching(/^(incremental|full|backfill|reconcile)$/),
        started_at: expect.any(String),
        finished_at: expect.any(String),
        vendor_calls: expect.any(Number),
        http_429: 0,
        waited_ms: expect.any(Number),
        seen: expect.any(Number),
        inserted: expect.any(Number),
        changed: expect.any(Number),
        deleted: expect.any(Number),
      });
    }
    // The runs counted their calls: the members stream asks /system/members at least once.
    const runs = await t.app.get(PlatformDb).db.selectFrom('sync_runs').select(['stream', 'vendor_calls']).where('tenant_id', '=', 'acme').execute();
    expect(runs.filter((r) => r.stream === 'connectwise.members').some((r) => Number(r.vendor_calls) >= 1)).toBe(true);
    expect(await streamsOf(t, 'empty')).toEqual([]);
  });

  it('an edit and a new record at the vendor reach the replica within two intervals', async () => {
    const now = new Date().toISOString();
    const edited = fakes.connectwise.tickets[0];
    fakes.connectwise.tickets[0] = { ...edited, summary: 'Edited at the vendor', _info: { ...(edited._info as object), lastUpdated: now } };
    fakes.connectwise.tickets.push({ ...edited, id: 99, summary: 'Brand new', _info: { ...(edited._info as object), lastUpdated: now } });
    fakes.connectwise.notes.push({ id: 20_000_000, ticketId: 99, text: 'New one', detailDescriptionFlag: true, internalAnalysisFlag: false });
    const records = await until(
      'the edit and the new ticket in the replica',
      async () => {
        const live = await liveRecords(t, 'acme', 'connectwise.tickets');
        const byId = new Map(live.map((r) => [String(r.cw_ticket_id), r]));
        return byId.get('99')?.summary === 'Brand new' && byId.get(String(edited.id))?.summary === 'Edited at the vendor' ? live : undefined;
      },
      // Two intervals, and a few seconds' slack for a loaded machine.
      2 * INTERVAL_S * 1000 + 5_000,
    );
    expect(records).toHaveLength(7);
    const tickets = (await streamsOf(t, 'acme')).find((s) => s.stream === 'connectwise.tickets');
    expect(tickets?.records).toBe(7);
  });

  it('POST sync answers 202 with the queued streams, and a full re-sync runs', async () => {
    const since = new Date().toISOString();
    const res = await call(t.app).post('/api/admin/tenants/acme/sync', { full: true }).expect(202);
    expect(res.body).toEqual({ queued: ['connectwise.tickets', 'connectwise.time_entries', 'connectwise.members', 'smileback.reviews'] });
    await until(
      'a full run of every stream',
      async () => {
        const runs = await t.app.get(PlatformDb).db.selectFrom('sync_runs').select(['stream']).where('tenant_id', '=', 'acme').where('kind', '=', 'full').where('started_at', '>=', since).where('finished_at', 'is not', null).execute();
        return new Set(runs.map((r) => r.stream)).size === 4 ? true : undefined;
      },
      20_000,
    );
    // No body at all is an incremental request.
    const bare = await request(server(t.app)).post('/api/admin/tenants/acme/sync').set('authorization', 'Bearer test-admin-key-0123456789abcdef').expect(202);
    expect(bare.body.queued).toHaveLength(4);
  });

  it('POST sync validates its body like every other: 400 for a bad field or an unknown one, 415 for a body that is not JSON', async () => {
    const bad = await call(t.app).post('/api/admin/tenants/acme/sync', { full: 'yes' }).expect(400);
    expect(bad.body.type).toMatch(/validation/);
    await call(t.app).post('/api/admin/tenants/acme/sync', { fast: true }).expect(400);
    await request(server(t.app))
      .post('/api/admin/tenants/acme/sync')
      .set('authorization', 'Bearer test-admin-key-0123456789abcdef')
      .set('content-type', 'text/plain')
      .send('full')
      .expect(415);
  });

  it('admin keys only: 401 without a key, 403 for a tenant key, 404 for an unknown tenant', async () => {
    const key = await mintTenantKey(t.app, ['acme']);
    await request(server(t.app)).get('/api/admin/tenants/acme/sync').expect(401);
    await request(server(t.app)).post('/api/admin/tenants/acme/sync').send({}).expect(401);
    await call(t.app, key).get('/api/admin/tenants/acme/sync').expect(403);
    await call(t.app, key).post('/api/admin/tenants/acme/sync', {}).expect(403);
    const missing = await call(t.app).get('/api/admin/tenants/nobody/sync').expect(404);
    expect(missing.body.type).toMatch(/not-found/);
    await call(t.app).post('/api/admin/tenants/nobody/sync', {}).expect(404);
  });

  it('admin health names the worst sync lag and is ok while every stream keeps up', async () => {
    const check = (await call(t.app).get('/api/health').expect(200)).body.checks.sync;
    expect(check).toEqual({
      status: 'ok',
      streams: 4,
      never_synced: 0,
      worst_lag: { tenant: 'acme', stream: expect.any(String), seconds: expect.any(Number) },
      failing: [],
      lagging: [],
    });
    expect(check.worst_lag.seconds).toBeLessThanOrEqual(3 * INTERVAL_S);
  });

  it('GET /metrics shows the sync lag, run durations and records per stream', async () => {
    const text = (await call(t.app).get('/metrics').expect(200)).text;
    for (const stream of ['connectwise.tickets', 'connectwise.time_entries', 'connectwise.members', 'smileback.reviews']) {
      expect(text).toMatch(new RegExp(`^sync_lag_seconds\\{tenant="acme",stream="${stream.replace('.', '\\.')}"\\} \\d`, 'm'));
    }
    expect(text).toMatch(/^replica_records\{tenant="acme",stream="connectwise\.tickets"\} 7$/m);
    expect(text).toMatch(/^sync_run_duration_seconds_count\{stream="smileback\.reviews",kind="[a-z]+",outcome="success"\} [1-9]/m);
  });

  it("a failing run's last_error is the vendor's words with the secret scrubbed", async () => {
    const password = fakes.smileback.credentials.password;
    fakes.smileback.misbehave = () => ({ status: 400, body: { detail: `rejected ${password} here` } });
    try {
      const failed = await until(
        'the reviews stream failed',
        async () => (await streamsOf(t, 'acme')).find((s) => s.stream === 'smileback.reviews' && s.state === 'failed'),
        20_000,
      );
      expect(failed.last_error).toMatch(/400/);
      expect(failed.last_error).toContain('[redacted]');
      expect(failed.last_error).not.toContain(password);
      // Three failures in a row degrade health, for an admin; the public answer keeps its shape.
      const sync = await until(
        'health degraded by the failing stream',
        async () => {
          const check = (await call(t.app).get('/api/health')).body.checks.sync as { status: string; failing: Array<Record<string, unknown>> };
          return check.status === 'degraded' ? check : undefined;
        },
        20_000,
      );
      expect(sync.failing).toEqual([{ tenant: 'acme', stream: 'smileback.reviews', consecutive_failures: expect.any(Number), last_error: expect.stringContaining('[redacted]') }]);
      expect(JSON.stringify(sync)).not.toContain(password);
      const anonymous = await request(server(t.app)).get('/api/health');
      expect(anonymous.body.checks.sync).toBeUndefined();
    } finally {
      fakes.smileback.misbehave = undefined;
    }
  });

  it("deleting an integration removes its replica rows and sync state, its streams and their metrics series", async () => {
    const db = t.app.get(PlatformDb).db;
    const count = async (table: 'replica_records' | 'sync_state' | 'sync_runs') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', 'acme').where('vendor', '=', 'connectwise').executeTakeFirstOrThrow()).n);
    expect(await count('replica_records')).toBeGreaterThan(0);
    await request(server(t.app)).delete('/api/admin/tenants/acme/integrations/connectwise').set('authorization', 'Bearer test-admin-key-0123456789abcdef').expect(204);
    expect(await count('replica_records')).toBe(0);
    expect(await count('sync_state')).toBe(0);
    expect((await streamsOf(t, 'acme')).map((s) => s.stream)).toEqual(['smileback.reviews']);
    const text = (await call(t.app).get('/metrics').expect(200)).text;
    expect(text).not.toMatch(/tenant="acme",stream="connectwise\./);
    expect(text).toMatch(/tenant="acme",stream="smileback\.reviews"/);
    // A run of the removed stream already queued finds it gone and writes nothing back.
    await sleep(2 * INTERVAL_S * 1000);
    expect(await count('replica_records')).toBe(0);
  });
});
