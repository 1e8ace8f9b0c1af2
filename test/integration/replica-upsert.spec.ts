import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/platform/database.js';
import { migrateToLatest } from '../../src/platform/migrations.js';
import { PlatformDb } from '../../src/platform/platform-db.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import type { ReplicaChange, StreamKey } from '../../src/sync/replica.types.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { createPostgresDatabase } from '../support/postgres.js';
import { seedTenant } from '../support/replica-fakes.js';

const ENGINES = [
  { name: 'sqlite', setup: async () => ({ url: `sqlite:${join(await mkdtemp(join(tmpdir(), 'replica-upsert-')), 'platform.db')}`, drop: async () => undefined }) },
  { name: 'postgres', setup: async () => createPostgresDatabase() },
];

const change = (id: number, version: number, stamp: string | null): ReplicaChange => ({
  vendorId: String(id),
  raw: { id, version },
  mapped: { id, version },
  vendorUpdatedAt: stamp,
  deleted: false,
});

describe.each(ENGINES)('replica upserts ($name)', (engine) => {
  let platform: PlatformDb;
  let replica: ReplicaRepository;
  let runs: SyncRunsRepository;
  let drop: () => Promise<void>;
  const key: StreamKey = { tenantId: 'u', stream: 'connectwise.tickets', vendor: 'connectwise' };

  beforeAll(async () => {
    const database = await engine.setup();
    drop = database.drop;
    const opened = openDatabase(database.url, { connectTimeoutMs: 5_000, queryTimeoutMs: 60_000 });
    await migrateToLatest(opened.db);
    platform = new PlatformDb(opened.db, opened.engine);
    replica = new ReplicaRepository(platform);
    runs = new SyncRunsRepository(platform);
    await seedTenant(opened.db, 'u');
    await replica.ensureState(key, new Date().toISOString());
  });
  afterAll(async () => {
    await platform.onApplicationShutdown();
    await drop();
  });

  const live = async () => {
    const rows: Array<{ id: number; version: number }> = [];
    for await (const batch of replica.readLive('u', 'connectwise.tickets')) rows.push(...(batch as typeof rows));
    return rows;
  };

  it('two writers of one stream (a superseded copy finishing its page, and the copy that took over) commit the same new ids', async () => {
    const [a, b] = [await runs.start(key, 'full', new Date().toISOString()), await runs.start(key, 'full', new Date().toISOString())];
    const page = Array.from({ length: 200 }, (_, i) => change(1000 + i, 0, null));
    const results = await Promise.allSettled([
      replica.commitPage(key, page, {}, new Date().toISOString(), { id: a }),
      replica.commitPage(key, page, {}, new Date().toISOString(), { id: b }),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await live()).filter((r) => r.id >= 1000)).toHaveLength(200);
  }, 60_000);

  it('counts inserted, changed and unchanged rows from what was written; a late (older) page never overwrites a newer row', async () => {
    const run = await runs.start(key, 'incremental', new Date().toISOString());
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    const first = await replica.commitPage(key, [change(1, 1, at(1)), change(2, 1, at(1))], {}, new Date(Date.now() - 1000).toISOString(), { id: run });
    expect(first).toEqual({ seen: 2, inserted: 2, changed: 0, deleted: 0 });
    const second = await replica.commitPage(key, [change(1, 1, at(1)), change(2, 2, at(5)), change(3, 1, at(5))], {}, new Date().toISOString(), { id: run });
    expect(second).toEqual({ seen: 3, inserted: 1, changed: 1, deleted: 0 });
    // A page fetched before the change to 2 lands after it: it is not written.
    const late = await replica.commitPage(key, [change(2, 1, at(1))], {}, new Date(Date.now() + 1000).toISOString(), { id: run });
    expect(late).toEqual({ seen: 1, inserted: 0, changed: 0, deleted: 0 });
    expect((await live()).find((r) => r.id === 2)?.version).toBe(2);
    const state = await replica.getState('u', 'connectwise.tickets');
    const again = await replica.commitPage(key, [change(3, 1, at(5))], {}, new Date(Date.now() + 2000).toISOString(), { id: run });
    expect(again.changed + again.inserted).toBe(0);
    // Nothing written: the data version does not move.
    expect((await replica.getState('u', 'connectwise.tickets'))?.dataVersion).toBe(state?.dataVersion);
  });
});
