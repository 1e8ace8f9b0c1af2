import { setTimeout as sleep } from 'node:timers/promises';
import { PlatformDb } from '../../src/platform/platform-db.js';
import { bootApp, TestApp } from '../support/app.js';
import { at, bulkReviews, bulkTickets, bulkTimeEntries, call, closeFakes, Fakes, LIVE_ENV, MEMBERS, registerTenant, startFakes } from '../support/live-fixtures.js';
import { createPostgresDatabase, TestDatabase } from '../support/postgres.js';

const INTERVAL_S = 2;

describe('two app copies on one PostgreSQL: pg-boss runs each stream in one copy at a time, once per interval', () => {
  let database: TestDatabase;
  let fakes: Fakes;
  const copies: TestApp[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    fakes = await startFakes();
    const tickets = bulkTickets(5, 1);
    fakes.connectwise.tickets = tickets.tickets;
    fakes.connectwise.notes = tickets.notes;
    fakes.connectwise.timeEntries = bulkTimeEntries(5, 100, [1, 2]);
    fakes.connectwise.members = MEMBERS.map((m) => ({ ...m, _info: { lastUpdated: at(30) } }));
    fakes.smileback.reviews = bulkReviews(3, 1);
    const env = { ...LIVE_ENV, DATABASE_URL: database.url, SYNC_INTERVAL_SECONDS: String(INTERVAL_S), SYNC_HISTORY_DAYS: '90', LIVE_WINDOW_DAYS: '90' };
    copies.push(await bootApp(env));
    await registerTenant(copies[0].app, 'acme', { connectwise: fakes.connectwise, smileback: fakes.smileback });
    // The second copy plans the new streams as it starts; the first would within a minute.
    copies.push(await bootApp(env));
  });

  afterAll(async () => {
    await Promise.all(copies.map((c) => c.close()));
    await closeFakes(fakes);
    await database?.drop();
  });

  it('every stream syncs, its runs never overlap, and it runs no more often than the interval allows', async () => {
    const db = copies[0].app.get(PlatformDb).db;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await call(copies[1].app).get('/api/admin/tenants/acme/sync').expect(200);
      const streams = res.body.streams as Array<{ state: string; last_success_at: string | null }>;
      if (streams.length === 4 && streams.every((s) => s.state === 'idle' && s.last_success_at !== null)) break;
      if (Date.now() > deadline) throw new Error(`streams never all synced: ${JSON.stringify(streams)}`);
      await sleep(200);
    }
    const from = new Date().toISOString();
    const windowS = 5 * INTERVAL_S;
    await sleep(windowS * 1000);
    const runs = await db.selectFrom('sync_runs').selectAll().where('tenant_id', '=', 'acme').orderBy('started_at').execute();
    for (const stream of ['connectwise.tickets', 'connectwise.time_entries', 'connectwise.members', 'smileback.reviews']) {
      const own = runs.filter((r) => r.stream === stream);
      for (let i = 1; i < own.length; i++) {
        // One copy at a time: a run starts only after the stream's previous one finished.
        expect(own[i - 1].finished_at).not.toBeNull();
        expect(own[i].started_at >= (own[i - 1].finished_at as string)).toBe(true);
      }
      const recent = own.filter((r) => r.kind === 'incremental' && r.started_at >= from);
      expect(recent.length).toBeGreaterThanOrEqual(1);
      // Once per interval across both copies (each copy alone would be as many again).
      expect(recent.length).toBeLessThanOrEqual(windowS / INTERVAL_S + 1);
    }
    // Both copies read the same state.
    const a = (await call(copies[0].app).get('/api/admin/tenants/acme/sync').expect(200)).body.streams.map((s: { records: number }) => s.records);
    expect(a).toEqual([5, 5, MEMBERS.length, 3]);
  });
});
