import type { PlatformDb } from '../../src/platform/platform-db.js';
import { ReplicaRepository, STALE_RUN_MS } from '../../src/sync/replica.repository.js';
import { VendorRateLimitedError } from '../../src/integrations/http/vendor-errors.js';
import { MAX_RATE_LIMIT_WAIT_MS, rateLimitWaitMs, RunInterruptedError } from '../../src/sync/sync-failure.js';
import { SyncJobs, SyncJobsConfig } from '../../src/sync/sync-jobs.js';
import { MAX_RESUME_FAILURES, RECONCILE_GUARD_MIN_ROWS, SYNC_OVERLAP_MS, SyncRunner, SyncRunnerConfig } from '../../src/sync/sync-runner.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { daysAgo, LoopbackVendor, SourceRecord, seedTenant, TestStreams } from '../support/replica-fakes.js';
import { openSyncStore, SYNC_ENGINES } from '../support/sync-harness.js';

const TICKETS = 'connectwise.tickets' as const;
const record = (id: number, updatedAt: string, body: Record<string, unknown> = {}): SourceRecord => ({ id: String(id), updatedAt, body: { summary: `ticket ${id}`, ...body } });

describe.each(SYNC_ENGINES)('sync runner on $name', (engine) => {
  let platform: PlatformDb;
  let replica: ReplicaRepository;
  let runs: SyncRunsRepository;
  let vendor: LoopbackVendor;
  let streams: TestStreams;
  let runner: SyncRunner;
  let teardown: () => Promise<void>;
  let n = 0;

  beforeAll(async () => {
    const setup = await engine.setup();
    teardown = setup.teardown;
    platform = await openSyncStore(setup.url);
    replica = new ReplicaRepository(platform);
    runs = new SyncRunsRepository(platform);
    vendor = new LoopbackVendor();
    await vendor.start();
  });
  beforeEach(() => {
    streams = new TestStreams(vendor);
    streams.pageSize = 10;
    runner = new SyncRunner(replica, runs, streams, new SyncRunnerConfig({ windowDays: 30, historyDays: 400 }));
  });
  afterEach(() => streams.close());
  afterAll(async () => {
    await vendor.stop();
    await platform.onApplicationShutdown();
    await teardown();
  });

  async function tenant(options: { ids?: boolean } = {}): Promise<string> {
    const tenantId = `t${++n}`;
    await seedTenant(platform.db, tenantId);
    streams.add(tenantId, TICKETS, options);
    return tenantId;
  }

  async function liveIds(tenantId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const batch of replica.readLive(tenantId, TICKETS)) ids.push(...batch.map((r) => (r as { id: string }).id));
    return ids.sort();
  }
  const sourceIds = (tenantId: string) => vendor.live(tenantId, TICKETS).map((r) => r.id).sort();

  it('first sync: the recent window is served first, then the backfill reaches the history; the checkpoint is the newest change', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, record(1, daysAgo(2)), record(2, daysAgo(10)), record(3, daysAgo(100)), record(4, daysAgo(300)), record(5, daysAgo(500)));

    const first = await runner.run(tenantId, TICKETS, 'incremental');
    expect(first.kind).toBe('full');
    expect(first.counts).toMatchObject({ inserted: 2 });
    expect(first.state).toMatchObject({ state: 'backfilling', checkpoint: new Date(Date.parse(vendor.live(tenantId, TICKETS)[0].updatedAt)).toISOString() });
    expect(first.state.lastSuccessAt).not.toBeNull();
    expect(Date.parse(first.state.historyFrom!)).toBeCloseTo(Date.parse(daysAgo(30)), -4);
    expect(first.state.backfillUntil).toBe(first.state.historyFrom);
    expect(await liveIds(tenantId)).toEqual(['1', '2']);

    const backfill = await runner.run(tenantId, TICKETS, 'backfill');
    expect(backfill.kind).toBe('backfill');
    expect(backfill.counts).toMatchObject({ inserted: 2 });
    expect(backfill.state).toMatchObject({ state: 'idle', backfillUntil: null, checkpoint: first.state.checkpoint });
    expect(Date.parse(backfill.state.historyFrom!)).toBeCloseTo(Date.parse(daysAgo(400)), -4);
    expect(await liveIds(tenantId)).toEqual(['1', '2', '3', '4']);
    const backfillCall = vendor.requests.filter((r) => r.key === `${tenantId}|${TICKETS}`).at(-1)!;
    expect(backfillCall.query.get('until')).toBe(first.state.historyFrom);
  });

  it('an incremental asks from the checkpoint minus the overlap, and writes only what changed', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, record(1, daysAgo(1)), record(2, daysAgo(0.5)));
    const first = await runner.run(tenantId, TICKETS, 'incremental');
    const edited = daysAgo(0.01);
    vendor.put(tenantId, TICKETS, record(2, edited, { summary: 'edited' }), record(3, edited), { ...record(1, edited), deleted: true });

    const next = await runner.run(tenantId, TICKETS, 'incremental');
    expect(next.kind).toBe('incremental');
    const call = vendor.requests.filter((r) => r.key === `${tenantId}|${TICKETS}`).at(-1)!;
    expect(call.query.get('since')).toBe(new Date(Date.parse(first.state.checkpoint!) - SYNC_OVERLAP_MS).toISOString());
    expect(next.counts).toEqual({ seen: 3, inserted: 1, changed: 1, deleted: 1 });
    expect(next.state.dataVersion).toBe(first.state.dataVersion + 1);
    expect(next.state.checkpoint).toBe(new Date(Date.parse(edited)).toISOString());
    expect(await liveIds(tenantId)).toEqual(['2', '3']);

    const quiet = await runner.run(tenantId, TICKETS, 'incremental');
    expect(quiet.counts).toMatchObject({ inserted: 0, changed: 0, deleted: 0 });
    expect(quiet.state.dataVersion).toBe(next.state.dataVersion);
    expect(await runs.get(quiet.runId)).toMatchObject({ kind: 'incremental', vendor_calls: 1, error: null, finished_at: expect.any(String) });
  });

  it('a run stopped after page 3 resumes from its saved point and ends equal to the source, nothing lost or doubled', async () => {
    const tenantId = await tenant();
    const now = Date.now();
    vendor.put(tenantId, TICKETS, ...Array.from({ length: 95 }, (_, i) => record(i + 1, new Date(now - (95 - i) * 60_000).toISOString())));
    const stop = new AbortController();
    streams.hooks.afterPage = (_key, index) => index === 2 && stop.abort();

    const killed = runner.run(tenantId, TICKETS, 'incremental', stop.signal);
    await expect(killed).rejects.toBeInstanceOf(RunInterruptedError);
    const halfway = (await replica.getState(tenantId, TICKETS))!;
    expect(halfway.resume.full).toMatchObject({ point: '30', first: true });
    expect(halfway.lastSuccessAt).toBeNull();
    expect(halfway.lastError).toBeNull();
    expect(await replica.countLive(tenantId, TICKETS)).toBe(30);
    const [interrupted] = await runs.recent(tenantId, TICKETS);
    expect(interrupted).toMatchObject({ kind: 'full', inserted: 30, error: expect.stringContaining('interrupted') });

    streams.hooks = {};
    const before = vendor.requests.length;
    const resumed = await runner.run(tenantId, TICKETS, 'incremental');
    expect(vendor.requests[before].query.get('offset')).toBe('30');
    expect(resumed.kind).toBe('full');
    expect(resumed.counts).toMatchObject({ inserted: 65, changed: 0 });
    expect(resumed.state.resume).toEqual({});
    expect(resumed.state.checkpoint).toBe(new Date(now - 60_000).toISOString());
    expect(await liveIds(tenantId)).toEqual(sourceIds(tenantId));
    const rows = await platform.db.selectFrom('replica_records').select('vendor_id').where('tenant_id', '=', tenantId).execute();
    expect(rows).toHaveLength(95);
  });

  it('reconcile soft-deletes what the vendor no longer lists, but refuses when over 90 % would vanish', async () => {
    const tenantId = await tenant({ ids: true });
    vendor.put(tenantId, TICKETS, ...Array.from({ length: 22 }, (_, i) => record(i + 1, daysAgo(1))));
    await runner.run(tenantId, TICKETS, 'incremental');
    vendor.remove(tenantId, TICKETS, '1', '2');

    const pruned = await runner.run(tenantId, TICKETS, 'reconcile');
    expect(pruned).toMatchObject({ kind: 'reconcile', refused: false, counts: { deleted: 2 } });
    expect(await liveIds(tenantId)).toEqual(sourceIds(tenantId));
    expect(pruned.state.lastReconcileAt).not.toBeNull();

    vendor.remove(tenantId, TICKETS, ...Array.from({ length: 19 }, (_, i) => String(i + 3)));
    const refused = await runner.run(tenantId, TICKETS, 'reconcile');
    expect(refused).toMatchObject({ refused: true, counts: { deleted: 0 } });
    expect(await replica.countLive(tenantId, TICKETS)).toBe(20);
    expect(refused.state.dataVersion).toBe(pruned.state.dataVersion);
    expect((await runs.get(refused.runId))!.note).toMatch(/refused: 19 of 20 live records/);
  });

  it(`the mass-delete guard applies from ${RECONCILE_GUARD_MIN_ROWS} live rows: a small stream may lose most of its rows`, async () => {
    const tenantId = await tenant({ ids: true });
    vendor.put(tenantId, TICKETS, ...Array.from({ length: RECONCILE_GUARD_MIN_ROWS - 1 }, (_, i) => record(i + 1, daysAgo(1))));
    await runner.run(tenantId, TICKETS, 'incremental');
    vendor.remove(tenantId, TICKETS, ...Array.from({ length: RECONCILE_GUARD_MIN_ROWS - 2 }, (_, i) => String(i + 1)));
    const pruned = await runner.run(tenantId, TICKETS, 'reconcile');
    expect(pruned).toMatchObject({ refused: false, counts: { deleted: RECONCILE_GUARD_MIN_ROWS - 2 } });
    expect(await replica.countLive(tenantId, TICKETS)).toBe(1);
  });

  it('a vendor failure is recorded (its own secret-free words, failures counted) and the next success clears it', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, record(1, daysAgo(1)));
    await runner.run(tenantId, TICKETS, 'incremental');
    vendor.failing.set(`${tenantId}|${TICKETS}`, 400);
    for (let i = 0; i < 2; i++) await expect(runner.run(tenantId, TICKETS, 'incremental')).rejects.toThrow(/400/);
    const failed = (await replica.getState(tenantId, TICKETS))!;
    expect(failed).toMatchObject({ state: 'failed', consecutiveFailures: 2, lastError: expect.stringMatching(/400/) });
    const [run] = await runs.recent(tenantId, TICKETS);
    expect(run).toMatchObject({ http_429: 0, error: failed.lastError });

    vendor.failing.clear();
    const ok = await runner.run(tenantId, TICKETS, 'incremental');
    // The first sync left a backfill owed: the stream goes back to that, not to failed.
    expect(ok.state).toMatchObject({ state: 'backfilling', consecutiveFailures: 0, lastError: null });
  });

  it('a failing backfill never starves the incrementals: they run each interval, the backfill backs off and is tried again', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, record(1, daysAgo(1)), record(2, daysAgo(200)));
    const jobs = new SyncJobs(runner, new SyncJobsConfig(300_000));
    const stop = new AbortController().signal;
    const first = await jobs.handle({ tenantId, stream: TICKETS }, stop);
    expect(first).toEqual({ data: { tenantId, stream: TICKETS, kind: 'backfill' }, inMs: 0 });
    vendor.failWhen = (query) => (query.has('until') ? 400 : undefined);
    try {
      const failed = await jobs.handle(first!.data, stop);
      // The next job is an incremental after the interval, the backfill put off by one interval.
      expect(failed).toMatchObject({ data: { tenantId, stream: TICKETS, backoff: { failures: 1 } }, inMs: 300_000 });
      expect(failed!.data.kind).toBeUndefined();
      vendor.put(tenantId, TICKETS, record(3, new Date().toISOString()));
      const next = await jobs.handle(failed!.data, stop);
      expect(next).toMatchObject({ data: { backoff: { failures: 1 } }, inMs: 300_000 });
      expect(next!.data.kind).toBeUndefined();
      expect(await replica.countLive(tenantId, TICKETS)).toBe(2);
      // Its backoff over, the backfill is tried again after an incremental; failing again doubles the wait.
      const due = await jobs.handle({ ...next!.data, backoff: { failures: 1, notBefore: 0 } }, stop);
      expect(due).toMatchObject({ data: { kind: 'backfill', backoff: { failures: 1 } }, inMs: 0 });
      const again = await jobs.handle(due!.data, stop);
      expect(again!.data.backoff!.failures).toBe(2);
      expect(again!.data.backoff!.notBefore).toBeGreaterThanOrEqual(Date.now() + 599_000);
      vendor.failWhen = undefined;
      const done = await jobs.handle({ ...due!.data, backoff: { failures: 2, notBefore: 0 } }, stop);
      expect(done!.data.backoff).toBeUndefined();
      expect(await replica.countLive(tenantId, TICKETS)).toBe(3);
    } finally {
      vendor.failWhen = undefined;
    }
  });

  it('a run that uses up its time slice ends as a partial run (resume saved, not failed) and its job continues at once', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, ...Array.from({ length: 25 }, (_, i) => record(i + 1, daysAgo(1))));
    const sliced = new SyncRunner(replica, runs, streams, new SyncRunnerConfig({ windowDays: 30, historyDays: 30, sliceMs: 0 }));
    const jobs = new SyncJobs(sliced, new SyncJobsConfig(300_000));
    const stop = new AbortController().signal;
    const first = await jobs.handle({ tenantId, stream: TICKETS }, stop);
    // One page of 10 written, then the slice is over: the same kind again, at once.
    expect(first).toEqual({ data: { tenantId, stream: TICKETS, kind: 'full' }, inMs: 0 });
    expect(await replica.countLive(tenantId, TICKETS)).toBe(10);
    expect(await replica.getState(tenantId, TICKETS)).toMatchObject({ state: 'running', consecutiveFailures: 0, lastError: null, checkpoint: null });
    const [run] = await runs.recent(tenantId, TICKETS);
    expect(run).toMatchObject({ error: null, note: expect.stringMatching(/^partial: its time slice is used up/) });
    let next = first;
    for (let i = 0; i < 5 && next?.inMs === 0; i++) next = await jobs.handle(next.data, stop);
    expect(await replica.countLive(tenantId, TICKETS)).toBe(25);
    expect(next).toEqual({ data: { tenantId, stream: TICKETS }, inMs: 300_000 });
    expect((await replica.getState(tenantId, TICKETS))!.checkpoint).not.toBeNull();
  });

  it('a crash after the last page but before the final state write does not walk again', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, ...Array.from({ length: 5 }, (_, i) => record(i + 1, daysAgo(1))));
    const stop = new AbortController();
    streams.hooks = { afterPage: () => stop.abort() };
    await expect(runner.run(tenantId, TICKETS, 'incremental', stop.signal)).rejects.toBeInstanceOf(RunInterruptedError);
    streams.hooks = {};
    expect((await replica.getState(tenantId, TICKETS))!.resume.full).toMatchObject({ done: true, point: null });
    const calls = vendor.requests.length;
    const resumed = await runner.run(tenantId, TICKETS, 'incremental');
    expect(resumed.kind).toBe('full');
    expect(vendor.requests.length).toBe(calls);
    expect(resumed.state).toMatchObject({ resume: {}, lastError: null });
    expect(resumed.state.lastSuccessAt).not.toBeNull();
  });

  it('a resume point the vendor refuses (a 4xx) is dropped; so is one that failed MAX_RESUME_FAILURES runs in a row', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, ...Array.from({ length: 25 }, (_, i) => record(i + 1, daysAgo(1))));
    const stopAfterFirst = async () => {
      const stop = new AbortController();
      streams.hooks = { afterPage: () => stop.abort() };
      await expect(runner.run(tenantId, TICKETS, 'incremental', stop.signal)).rejects.toBeInstanceOf(RunInterruptedError);
      streams.hooks = {};
    };
    await stopAfterFirst();
    vendor.failWhen = (query) => (query.get('offset') === '10' ? 400 : undefined);
    await expect(runner.run(tenantId, TICKETS, 'incremental')).rejects.toThrow(/400/);
    vendor.failWhen = undefined;
    expect((await replica.getState(tenantId, TICKETS))!.resume.full).toBeUndefined();

    await stopAfterFirst();
    vendor.failing.set(`${tenantId}|${TICKETS}`, 500);
    for (let i = 1; i <= MAX_RESUME_FAILURES; i++) {
      await expect(runner.run(tenantId, TICKETS, 'incremental')).rejects.toThrow();
      const resume = (await replica.getState(tenantId, TICKETS))!.resume.full;
      if (i < MAX_RESUME_FAILURES) expect(resume).toMatchObject({ failures: i });
      else expect(resume).toBeUndefined();
    }
    vendor.failing.clear();
  });

  it('a record the mapper cannot read is skipped, logged and counted; the stream goes on', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, record(1, daysAgo(1)), record(2, daysAgo(1)), record(3, daysAgo(1)));
    streams.hooks = { unreadable: (id) => id === '2' };
    const outcome = await runner.run(tenantId, TICKETS, 'incremental');
    streams.hooks = {};
    expect(outcome.state).toMatchObject({ lastError: null, consecutiveFailures: 0 });
    expect(await replica.countLive(tenantId, TICKETS)).toBe(2);
    expect((await runs.get(outcome.runId))!.note).toMatch(/^1 record\(s\) skipped: the mapper could not read them/);
  });

  it('a state left running by a run that died (no write for STALE_RUN_MS) reads as idle', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, record(1, daysAgo(1)));
    await runner.run(tenantId, TICKETS, 'incremental');
    await runner.run(tenantId, TICKETS, 'backfill');
    const key = { tenantId, stream: TICKETS, vendor: 'connectwise' };
    await replica.updateState(key, { state: 'running' }, new Date().toISOString());
    expect((await replica.getState(tenantId, TICKETS))!.state).toBe('running');
    await replica.updateState(key, { state: 'running' }, new Date(Date.now() - STALE_RUN_MS - 1_000).toISOString());
    expect((await replica.getState(tenantId, TICKETS))!.state).toBe('idle');
  });

  it('a 429 is a wait, not a failure: raised at once with its Retry-After, the stream not marked failed, the run row counts it', async () => {
    const tenantId = await tenant();
    vendor.put(tenantId, TICKETS, record(1, daysAgo(1)));
    await runner.run(tenantId, TICKETS, 'incremental');
    const before = (await replica.getState(tenantId, TICKETS))!;
    vendor.rateLimited.set(`${tenantId}|${TICKETS}`, 30);
    const calls = vendor.requests.length;
    await expect(runner.run(tenantId, TICKETS, 'incremental')).rejects.toMatchObject({ retryAfterSeconds: 30 });
    // Raised on the first 429: no retry inside the walk.
    expect(vendor.requests.length - calls).toBe(1);
    expect(await replica.getState(tenantId, TICKETS)).toMatchObject({ state: before.state, consecutiveFailures: 0, lastError: null });
    const [run] = await runs.recent(tenantId, TICKETS);
    expect(run).toMatchObject({ http_429: 1, error: null, note: expect.stringMatching(/^waiting: .*retry after 30 s.*resumes in 30 s/) });
    // The job comes back after exactly the Retry-After, never sooner, and never later than MAX_RATE_LIMIT_WAIT_MS.
    const next = await new SyncJobs(runner, new SyncJobsConfig(600_000)).handle({ tenantId, stream: TICKETS }, new AbortController().signal);
    expect(next).toMatchObject({ data: { tenantId, stream: TICKETS }, inMs: 30_000 });
    expect(next!.data.rateLimitedUntil).toBeGreaterThanOrEqual(Date.now() + 29_000);
    expect(rateLimitWaitMs(new VendorRateLimitedError('connectwise', 86_400))).toBe(MAX_RATE_LIMIT_WAIT_MS);
    vendor.rateLimited.clear();
  });

});
