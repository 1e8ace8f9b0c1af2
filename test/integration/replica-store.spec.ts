import type { PlatformDb } from '../../src/platform/platform-db.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import type { ReplicaChange, StreamKey } from '../../src/sync/replica.types.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { seedTenant } from '../support/replica-fakes.js';
import { openSyncStore, SYNC_ENGINES } from '../support/sync-harness.js';

const change = (id: string, body: Record<string, unknown>, over: Partial<ReplicaChange> = {}): ReplicaChange => ({
  vendorId: id,
  raw: { id, ...body },
  mapped: { id, ...body, mapped: true },
  vendorUpdatedAt: '2026-12-01T00:00:00Z',
  deleted: false,
  ...over,
});

describe.each(SYNC_ENGINES)('replica store on $name', (engine) => {
  let platform: PlatformDb;
  let replica: ReplicaRepository;
  let runs: SyncRunsRepository;
  let teardown: () => Promise<void>;
  let n = 0;

  beforeAll(async () => {
    const setup = await engine.setup();
    teardown = setup.teardown;
    platform = await openSyncStore(setup.url);
    replica = new ReplicaRepository(platform);
    runs = new SyncRunsRepository(platform);
  });
  afterAll(async () => {
    await platform.onApplicationShutdown();
    await teardown();
  });

  async function stream(): Promise<{ key: StreamKey; runId: string }> {
    const tenantId = `t${++n}`;
    await seedTenant(platform.db, tenantId);
    const key: StreamKey = { tenantId, stream: 'connectwise.tickets', vendor: 'connectwise' };
    await replica.ensureState(key, new Date().toISOString());
    return { key, runId: await runs.start(key, 'incremental', new Date().toISOString()) };
  }

  const rows = (key: StreamKey) =>
    platform.db.selectFrom('replica_records').selectAll().where('tenant_id', '=', key.tenantId).orderBy('vendor_id').execute();

  it('a repeated page changes nothing: no row rewritten, no version bump, even with the fields in another order', async () => {
    const { key, runId } = await stream();
    const page = [change('1', { a: 1, b: { x: 1, y: 2 } }), change('2', { a: 2 })];
    expect(await replica.commitPage(key, page, {}, '2026-12-07T10:00:00.000Z', { id: runId })).toEqual({ seen: 2, inserted: 2, changed: 0, deleted: 0 });
    const version = (await replica.getState(key.tenantId, key.stream))!.dataVersion;
    const before = await rows(key);

    const reordered = [change('1', { b: { y: 2, x: 1 }, a: 1 }), change('2', { a: 2 })];
    expect(await replica.commitPage(key, reordered, {}, '2026-12-07T11:00:00.000Z', { id: runId })).toEqual({ seen: 2, inserted: 0, changed: 0, deleted: 0 });
    expect((await replica.getState(key.tenantId, key.stream))!.dataVersion).toBe(version);
    expect(await rows(key)).toEqual(before);
    expect(version).toBe(1);
  });

  it('an edit, a new record and a tombstone: counted, one version bump, the deleted row kept but no longer read', async () => {
    const { key, runId } = await stream();
    await replica.commitPage(key, [change('1', { a: 1 }), change('2', { a: 2 }), change('3', { a: 3 })], {}, '2026-12-07T10:00:00.000Z', { id: runId });
    const counts = await replica.commitPage(
      key,
      [change('1', { a: 10 }), change('4', { a: 4 }), change('3', {}, { deleted: true, mapped: null }), change('9', {}, { deleted: true, mapped: null })],
      {},
      '2026-12-07T11:00:00.000Z',
      { id: runId },
    );
    expect(counts).toEqual({ seen: 4, inserted: 1, changed: 1, deleted: 1 });
    const state = (await replica.getState(key.tenantId, key.stream))!;
    expect(state.dataVersion).toBe(2);
    const stored = await rows(key);
    expect(stored.map((r) => [r.vendor_id, r.deleted_at])).toEqual([
      ['1', null],
      ['2', null],
      ['3', '2026-12-07T11:00:00.000Z'],
      ['4', null],
    ]);
    expect(stored[0]).toMatchObject({ first_seen_at: '2026-12-07T10:00:00.000Z', changed_at: '2026-12-07T11:00:00.000Z', raw: JSON.stringify({ id: '1', a: 10 }) });
    expect(stored[1].changed_at).toBe('2026-12-07T10:00:00.000Z');
    const live = [];
    for await (const batch of replica.readLive(key.tenantId, key.stream)) live.push(...batch);
    expect(live).toEqual([
      { id: '1', a: 10, mapped: true },
      { id: '2', a: 2, mapped: true },
      { id: '4', a: 4, mapped: true },
    ]);
    const run = await runs.get(runId);
    expect(run).toMatchObject({ seen: 7, inserted: 4, changed: 1, deleted: 1 });
  });

  it('the state given with a page is written with it, and not when the page fails', async () => {
    const { key, runId } = await stream();
    await replica.commitPage(key, [change('1', { a: 1 })], { resume: { full: { point: '50', since: null, maxSeen: null } } }, '2026-12-07T10:00:00.000Z', { id: runId });
    expect((await replica.getState(key.tenantId, key.stream))!.resume).toEqual({ full: { point: '50', since: null, maxSeen: null } });
    // A raw payload that cannot be JSON fails the page: neither its rows nor its resume point are kept.
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(
      replica.commitPage(key, [change('2', { a: 2 }), { ...change('3', {}), raw: circular }], { resume: { full: { point: '100', since: null, maxSeen: null } } }, '2026-12-07T11:00:00.000Z', { id: runId }),
    ).rejects.toThrow();
    expect((await replica.getState(key.tenantId, key.stream))!.resume.full?.point).toBe('50');
    expect((await rows(key)).map((r) => r.vendor_id)).toEqual(['1']);
  });

  it('reads 12 000 live rows in id-ordered batches of at most the batch size', async () => {
    const { key, runId } = await stream();
    const ids = Array.from({ length: 12_000 }, (_, i) => String(100_000 + i));
    for (let i = 0; i < ids.length; i += 1_000) {
      await replica.commitPage(key, ids.slice(i, i + 1_000).map((id) => change(id, { n: Number(id) })), {}, '2026-12-07T10:00:00.000Z', { id: runId });
    }
    await replica.commitPage(key, [change('100005', {}, { deleted: true })], {}, '2026-12-07T11:00:00.000Z', { id: runId });
    const sizes: number[] = [];
    const seen: string[] = [];
    for await (const batch of replica.readLive(key.tenantId, key.stream, 5_000)) {
      sizes.push(batch.length);
      seen.push(...batch.map((r) => (r as { id: string }).id));
    }
    expect(sizes.every((s) => s <= 5_000)).toBe(true);
    expect(sizes.length).toBe(3);
    expect(seen).toEqual(ids.filter((id) => id !== '100005'));
    expect(await replica.countLive(key.tenantId, key.stream)).toBe(11_999);
  });

  it("deleting an integration deletes its replica rows, state and runs; deleting a tenant deletes all of the tenant's", async () => {
    const { key, runId } = await stream();
    await platform.db.insertInto('integrations').values({ tenant_id: key.tenantId, vendor: 'smileback', settings: '{}', secrets: '{}', updated_at: 'x' }).execute();
    const reviews: StreamKey = { tenantId: key.tenantId, stream: 'smileback.reviews', vendor: 'smileback' };
    await replica.ensureState(reviews, 'x');
    const reviewRun = await runs.start(reviews, 'incremental', 'x');
    await replica.commitPage(key, [change('1', { a: 1 })], {}, 'x', { id: runId });
    await replica.commitPage(reviews, [change('r1', { a: 1 })], {}, 'x', { id: reviewRun });
    const count = async (table: 'replica_records' | 'sync_state' | 'sync_runs', stream?: string) => {
      let query = platform.db.selectFrom(table).select('tenant_id').where('tenant_id', '=', key.tenantId);
      if (stream) query = query.where('stream', '=', stream);
      return (await query.execute()).length;
    };

    await platform.db.deleteFrom('integrations').where('tenant_id', '=', key.tenantId).where('vendor', '=', 'connectwise').execute();
    expect([await count('replica_records', key.stream), await count('sync_state', key.stream), await count('sync_runs', key.stream)]).toEqual([0, 0, 0]);
    expect([await count('replica_records'), await count('sync_state'), await count('sync_runs')]).toEqual([1, 1, 1]);

    await platform.db.deleteFrom('tenants').where('id', '=', key.tenantId).execute();
    expect([await count('replica_records'), await count('sync_state'), await count('sync_runs')]).toEqual([0, 0, 0]);
  });
});
