import { PgBoss } from 'pg-boss';
import { openDatabase } from '../../src/platform/database.js';
import { PlatformDb } from '../../src/platform/platform-db.js';
import { LocalSyncScheduler } from '../../src/sync/local.scheduler.js';
import { PgBossSchedulerOptions, PgBossSyncScheduler, SYNC_QUEUE } from '../../src/sync/pg-boss.scheduler.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import { SyncJobs, SyncJobsConfig } from '../../src/sync/sync-jobs.js';
import { SyncRunner, SyncRunnerConfig } from '../../src/sync/sync-runner.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import type { SyncScheduler } from '../../src/sync/sync-scheduler.js';
import { createPostgresDatabase, TestDatabase } from '../support/postgres.js';
import { daysAgo, LoopbackVendor, seedTenant, streamId, TestStreams } from '../support/replica-fakes.js';
import { openSyncStore, sqliteDatabase, until } from '../support/sync-harness.js';

const TICKETS = 'connectwise.tickets' as const;
const INTERVAL_MS = 2_000;

interface Copy {
  platform: PlatformDb;
  scheduler: SyncScheduler;
}

/** One app copy's engine: its own connection and scheduler, the shared streams (so runs are counted across copies). */
function engineOn(url: string, streams: TestStreams, kind: 'pg-boss' | 'local', concurrency: number, pgBoss: Partial<PgBossSchedulerOptions> = {}): Copy {
  const opened = openDatabase(url, { connectTimeoutMs: 5_000, queryTimeoutMs: 10_000 });
  const platform = new PlatformDb(opened.db, opened.engine);
  const runner = new SyncRunner(new ReplicaRepository(platform), new SyncRunsRepository(platform), streams, new SyncRunnerConfig({ windowDays: 30, historyDays: 30 }));
  const jobs = new SyncJobs(runner, new SyncJobsConfig(INTERVAL_MS));
  const scheduler =
    kind === 'pg-boss'
      ? new PgBossSyncScheduler(jobs, streams, { url, concurrency, pollingIntervalSeconds: 0.5, boss: { schedule: false }, ...pgBoss })
      : new LocalSyncScheduler(jobs, streams, concurrency);
  return { platform, scheduler };
}

async function seed(url: string, vendor: LoopbackVendor, streams: TestStreams, tenants: string[]): Promise<void> {
  const platform = await openSyncStore(url);
  for (const tenantId of tenants) {
    await seedTenant(platform.db, tenantId);
    vendor.put(tenantId, TICKETS, { id: '1', updatedAt: daysAgo(1), body: { summary: 'one' } });
    streams.add(tenantId, TICKETS);
  }
  await platform.onApplicationShutdown();
}

/** The stream's finished runs that succeeded, once there are `count` of them. */
const succeeded = (platform: PlatformDb, tenantId: string, count: number) => async () => {
  const done = (await runRows(platform, tenantId)).filter((r) => r.finished_at !== null && r.error === null);
  return done.length >= count ? done : undefined;
};

async function runRows(platform: PlatformDb, tenantId: string) {
  return platform.db.selectFrom('sync_runs').selectAll().where('tenant_id', '=', tenantId).orderBy('started_at').execute();
}

describe('sync scheduling with pg-boss on one PostgreSQL', () => {
  let database: TestDatabase;
  let vendor: LoopbackVendor;
  let streams: TestStreams;
  const copies: Copy[] = [];

  beforeEach(async () => {
    database = await createPostgresDatabase();
    vendor = new LoopbackVendor();
    await vendor.start();
    streams = new TestStreams(vendor);
  });
  afterEach(async () => {
    for (const copy of copies.splice(0)) {
      await copy.scheduler.stop();
      await copy.platform.onApplicationShutdown();
    }
    await streams.close();
    await vendor.stop();
    await database.drop();
  });

  it('two copies run each tenant×stream once per interval, never two runs of one stream at once', async () => {
    await seed(database.url, vendor, streams, ['a', 'b']);
    // Each page takes a while, so two runs of one stream would overlap if both copies took it.
    streams.hooks = { pageDelayMs: 300 };
    copies.push(engineOn(database.url, streams, 'pg-boss', 2), engineOn(database.url, streams, 'pg-boss', 2));
    const started = Date.now();
    await Promise.all(copies.map((c) => c.scheduler.start()));
    // Three runs of each stream, however long a loaded machine takes over them.
    for (const tenantId of ['a', 'b']) await until(`3 runs of ${tenantId}`, succeeded(copies[0].platform, tenantId, 3), 60_000);
    for (const copy of copies) await copy.scheduler.stop();
    const elapsed = Date.now() - started;

    for (const tenantId of ['a', 'b']) {
      const key = streamId(tenantId, TICKETS);
      expect(streams.maxActive.get(key)).toBe(1);
      const runs = streams.runs.get(key) ?? 0;
      // Never more than one run per interval (plus the first, at start): load can only make fewer.
      expect(runs).toBeLessThanOrEqual(Math.floor(elapsed / INTERVAL_MS) + 1);
      const rows = await runRows(copies[0].platform, tenantId);
      // Every run is recorded (the last may be one the stop interrupted, to resume on the next start).
      expect(rows).toHaveLength(runs);
      expect(rows.slice(0, -1).every((r) => r.error === null)).toBe(true);
      for (let i = 1; i < rows.length; i++) {
        expect(Date.parse(rows[i].started_at) - Date.parse(rows[i - 1].finished_at!)).toBeGreaterThanOrEqual(INTERVAL_MS - 50);
      }
    }
  }, 90_000);

  it("a copy that hangs mid-run loses the job when it expires: another copy takes it and resumes from the hung run's last page", async () => {
    await seed(database.url, vendor, streams, []);
    const store = await openSyncStore(database.url);
    await seedTenant(store.db, 'big');
    await store.onApplicationShutdown();
    const now = Date.now();
    vendor.put('big', TICKETS, ...Array.from({ length: 25 }, (_, i) => ({ id: String(i + 1), updatedAt: new Date(now - (25 - i) * 60_000).toISOString(), body: {} })));
    const release = new AbortController();
    const hung = new TestStreams(vendor);
    hung.pageSize = 10;
    hung.add('big', TICKETS);
    // The first copy writes page 0, then hangs before asking for page 1 (until the test ends).
    hung.hooks = { gate: (_key, index) => (index === 0 ? Promise.resolve() : new Promise<void>((done) => release.signal.addEventListener('abort', () => done()))) };
    const fast = { expireInSeconds: 2, retryDelaySeconds: 1, boss: { schedule: false, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 } };
    copies.push(engineOn(database.url, hung, 'pg-boss', 1, fast));
    await copies[0].scheduler.start();
    const replica = new ReplicaRepository(copies[0].platform);
    await until('the hung copy to write its first page', async () => ((await replica.countLive('big', TICKETS)) >= 10 ? true : undefined), 20_000);
    expect(await replica.countLive('big', TICKETS)).toBe(10);

    streams.pageSize = 10;
    streams.add('big', TICKETS);
    copies.push(engineOn(database.url, streams, 'pg-boss', 1, fast));
    const before = vendor.requests.length;
    await copies[1].scheduler.start();
    await until('the other copy to finish the run', async () => ((await replica.getState('big', TICKETS))?.lastSuccessAt ? true : undefined), 30_000).finally(() => release.abort());

    const state = (await replica.getState('big', TICKETS))!;
    expect(state.lastSuccessAt).not.toBeNull();
    expect(await replica.countLive('big', TICKETS)).toBe(25);
    const taken = vendor.requests.slice(before).find((r) => r.path === '/changes');
    expect(taken?.query.get('offset')).toBe('10');
    expect(streams.runs.get(streamId('big', TICKETS))).toBeGreaterThanOrEqual(1);
    await hung.close();
  }, 60_000);

  it('a 429 reschedules its stream after Retry-After and frees the worker: another tenant keeps syncing meanwhile', async () => {
    await seed(database.url, vendor, streams, ['limited', 'other']);
    vendor.rateLimited.set(streamId('limited', TICKETS), 30);
    // One worker: if the limited job held it for its Retry-After, the other tenant would wait 30 s.
    copies.push(engineOn(database.url, streams, 'pg-boss', 1));
    const asked = Date.now();
    await copies[0].scheduler.start();
    // Two runs of the other tenant before the limited one's 30 s are over: the worker was not held.
    await until('two runs of the other tenant', succeeded(copies[0].platform, 'other', 2), 25_000);
    const limited = await runRows(copies[0].platform, 'limited');
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ http_429: 1, error: null, note: expect.stringMatching(/retry after 30 s/) });

    const reader = new PgBoss({ connectionString: database.url, schedule: false, supervise: false, migrate: false, registerInstance: false });
    await reader.start();
    try {
      const queued = (await reader.findJobs(SYNC_QUEUE, { key: streamId('limited', TICKETS), queued: true })) as { startAfter: Date }[];
      expect(queued).toHaveLength(1);
      expect(queued[0].startAfter.getTime()).toBeGreaterThanOrEqual(asked + 29_000);
    } finally {
      await reader.stop();
    }
  }, 30_000);
});

describe('sync scheduling in process (SQLite, one copy)', () => {
  let vendor: LoopbackVendor;
  let streams: TestStreams;
  let copy: Copy;
  let url: string;

  beforeEach(async () => {
    url = (await sqliteDatabase('sync-local-')).url;
    vendor = new LoopbackVendor();
    await vendor.start();
    streams = new TestStreams(vendor);
  });
  afterEach(async () => {
    await copy.scheduler.stop();
    await copy.platform.onApplicationShutdown();
    await streams.close();
    await vendor.stop();
  });

  it('runs each stream once per interval, one run at a time, and a 429 waits its Retry-After without holding the one worker', async () => {
    await seed(url, vendor, streams, ['limited', 'other']);
    vendor.rateLimited.set(streamId('limited', TICKETS), 30);
    streams.hooks = { pageDelayMs: 200 };
    copy = engineOn(url, streams, 'local', 1);
    const started = Date.now();
    await copy.scheduler.start();
    await copy.scheduler.trigger('other', TICKETS);
    // Two runs of the other stream while the limited one waits out its 30 s: the one worker was not held.
    const other = await until('two runs of the other tenant', succeeded(copy.platform, 'other', 2), 25_000);
    const elapsed = Date.now() - started;

    const key = streamId('other', TICKETS);
    expect(streams.maxActive.get(key)).toBe(1);
    expect(streams.runs.get(key)).toBeLessThanOrEqual(Math.floor(elapsed / INTERVAL_MS) + 1);
    for (let i = 1; i < other.length; i++) expect(Date.parse(other[i].started_at)).toBeGreaterThanOrEqual(Date.parse(other[i - 1].finished_at!));
    const limited = await runRows(copy.platform, 'limited');
    expect(limited).toHaveLength(1);
    expect(limited[0].http_429).toBe(1);
  }, 30_000);
});
