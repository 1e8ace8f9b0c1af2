import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../src/platform/database.js';
import { migrateToLatest } from '../../src/platform/migrations.js';
import { PlatformDb } from '../../src/platform/platform-db.js';
import { PgBossSyncScheduler } from '../../src/sync/pg-boss.scheduler.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import { SyncJobs, SyncJobsConfig } from '../../src/sync/sync-jobs.js';
import { SyncRunner, SyncRunnerConfig } from '../../src/sync/sync-runner.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { createPostgresDatabase } from '../support/postgres.js';
import { daysAgo, LoopbackVendor, seedTenant, streamId, TestStreams } from '../support/replica-fakes.js';

const TICKETS = 'connectwise.tickets' as const;

describe('pg-boss: requests for one stream compose', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let vendor: LoopbackVendor;
  let streams: TestStreams;
  let platform: PlatformDb;
  let scheduler: PgBossSyncScheduler;

  beforeEach(async () => {
    database = await createPostgresDatabase();
    vendor = new LoopbackVendor();
    await vendor.start();
    streams = new TestStreams(vendor);
    const opened = openDatabase(database.url, { connectTimeoutMs: 5_000, queryTimeoutMs: 10_000 });
    await migrateToLatest(opened.db);
    await seedTenant(opened.db, 'a');
    vendor.put('a', TICKETS, { id: '1', updatedAt: daysAgo(1), body: {} });
    streams.add('a', TICKETS);
    platform = new PlatformDb(opened.db, opened.engine);
    const runner = new SyncRunner(new ReplicaRepository(platform), new SyncRunsRepository(platform), streams, new SyncRunnerConfig({ windowDays: 30, historyDays: 30 }));
    scheduler = new PgBossSyncScheduler(new SyncJobs(runner, new SyncJobsConfig(600_000)), streams, {
      url: database.url,
      concurrency: 1,
      pollingIntervalSeconds: 0.5,
      boss: { schedule: false },
    });
  });
  afterEach(async () => {
    await scheduler.stop();
    await streams.close();
    await vendor.stop();
    await platform.onApplicationShutdown();
    await database.drop();
  });

  const queued = () =>
    platform.db
      .selectFrom('pgboss.job' as never)
      .select(['data', 'start_after'] as never[])
      .where('name' as never, '=', 'replica-sync' as never)
      .where('state' as never, '=', 'created' as never)
      .execute() as Promise<Array<{ data: { kind?: string }; start_after: Date }>>;

  it("an operator's full sync asked while the stream's run is active survives that run's own queueing of its successor", async () => {
    streams.hooks = { pageDelayMs: 2_000 };
    await scheduler.start();
    await sleep(1_200); // the first run is active (its page takes 2 s)
    await scheduler.trigger('a', TICKETS, 'full');
    await sleep(3_000); // the first run has completed and queued its successor
    // The full sync is queued (or already running) at once, not replaced by the 10-minute incremental.
    const jobs = await queued();
    const running = (await new SyncRunsRepository(platform).recent('a', TICKETS)).map((r) => r.kind);
    expect(jobs.some((j) => j.data.kind === 'full') || running.filter((k) => k === 'full').length >= 2).toBe(true);
    expect(jobs.every((j) => new Date(j.start_after).getTime() < Date.now() + 60_000)).toBe(true);
  }, 60_000);

  it("the planner's job queued during a run is replaced by the run's successor: the next run still waits the interval", async () => {
    streams.hooks = { pageDelayMs: 2_000 };
    await scheduler.start();
    await sleep(1_200); // the first run is active
    await scheduler.plan(); // the stately queue takes it: no job was queued behind the active one
    await sleep(3_000); // the first run has completed and queued its successor
    const jobs = await queued();
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0].start_after).getTime()).toBeGreaterThan(Date.now() + 500_000);
  }, 60_000);

  it('a trigger during a Retry-After wait queues after the wait, not now', async () => {
    vendor.rateLimited.set(streamId('a', TICKETS), 30);
    const asked = Date.now();
    await scheduler.start();
    await sleep(2_000); // the run met the 429 and queued its successor after 30 s
    await scheduler.trigger('a', TICKETS);
    const jobs = await queued();
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0].start_after).getTime()).toBeGreaterThanOrEqual(asked + 29_000);
  }, 60_000);
});
