import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LogEvent } from 'kysely';
import { openDatabase } from '../../src/platform/database.js';
import { migrateToLatest } from '../../src/platform/migrations.js';
import { PlatformDb } from '../../src/platform/platform-db.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { ReplicaReads } from '../../src/replica-reads/replica-reads.js';
import { inLiveRequest } from '../../src/replica-reads/replica-request.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import type { ReplicaChange, StreamKey } from '../../src/sync/replica.types.js';
import type { StreamName } from '../../src/sync/stream.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { SyncScheduler } from '../../src/sync/sync-scheduler.js';
import { platformOn, type PlatformUnderTest } from '../support/platform.js';

/*
 * ReplicaReads over a real SQLite platform store, every statement seen: which queries a read makes,
 * and that an answer never holds two runs' rows, whatever a sync writes while it reads.
 */

/** Every stream here has synced: a read asking for a first sync is a failure of the test. */
class NoFirstSync extends SyncScheduler {
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  trigger(tenantId: string, stream: StreamName): Promise<void> {
    return Promise.reject(new Error(`a first sync of ${tenantId} ${stream} was asked for`));
  }
}

const ROWS = 6_000; // more than one read batch (READ_BATCH = 5 000)

describe('replica reads on the platform store', () => {
  let dir: string;
  let statements: string[] = [];
  /** Called after each statement with its SQL: a test's hook to write between a read's batches. */
  let afterStatement: ((sql: string) => void) | undefined;
  let platform: PlatformUnderTest;
  let replica: ReplicaRepository;
  let platformDb: PlatformDb;
  let runs: SyncRunsRepository;
  let n = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replica-reads-'));
    const onQuery = (event: LogEvent) => {
      statements.push(event.query.sql);
      afterStatement?.(event.query.sql);
    };
    const { db, engine } = openDatabase(`sqlite:${join(dir, 'platform.db')}`, { connectTimeoutMs: 5_000, queryTimeoutMs: 10_000, onQuery });
    await migrateToLatest(db);
    platform = platformOn(db, engine, new SecretBox(randomBytes(32)), 60_000);
    platformDb = new PlatformDb(db, engine);
    replica = new ReplicaRepository(platformDb);
    runs = new SyncRunsRepository(new PlatformDb(db, engine));
  });
  beforeEach(() => {
    statements = [];
    afterStatement = undefined;
  });
  afterAll(async () => {
    await platform.close();
    await rm(dir, { recursive: true, force: true });
  });

  const readsOf = () =>
    new ReplicaReads(replica, new NoFirstSync(), platform.store, { localMaxBytes: 256 * 2 ** 20 } as never, { intervalMs: 3_600_000, firstSyncWaitMs: 1_000 } as never, platformDb);

  /** A tenant with a ConnectWise integration (through the service, as the admin API writes it) and a synced ticket stream of `ROWS` rows marked `run`. */
  async function syncedTenant(): Promise<StreamKey> {
    const tenantId = `t${++n}`;
    await platform.tenants.create({ id: tenantId, name: tenantId, is_active: true, llm_enabled: false });
    await platform.integrations.put(tenantId, 'connectwise', {
      base_url: 'https://cw.example.com',
      company_id: 'acme',
      public_key: 'pub',
      private_key: 'priv',
      client_id: 'client',
    });
    const key: StreamKey = { tenantId, stream: 'connectwise.tickets', vendor: 'connectwise' };
    await replica.ensureState(key, new Date().toISOString());
    await write(key, 0);
    await replica.updateState(key, { lastSuccessAt: new Date().toISOString(), historyFrom: new Date().toISOString() }, new Date().toISOString());
    return key;
  }

  /** One run's page: every row rewritten with the run's number (its run row made beforehand: the page is the write's first statement). */
  async function write(key: StreamKey, run: number, runId?: string): Promise<void> {
    const at = new Date(Date.now() + run * 1000).toISOString();
    const changes: ReplicaChange[] = Array.from({ length: ROWS }, (_, i) => {
      const id = String(100_000 + i);
      return { vendorId: id, raw: { id, run }, mapped: { id, run }, vendorUpdatedAt: at, deleted: false };
    });
    await replica.commitPage(key, changes, {}, at, { id: runId ?? (await runs.start(key, 'incremental', at)) });
  }

  const integrationQueries = () => statements.filter((sql) => /from "integrations"/.test(sql)).length;
  const stateQueries = () => statements.filter((sql) => /from "sync_state"/.test(sql)).length;

  it('reads the stream state once on a miss, and a warm read makes no integrations query', async () => {
    const key = await syncedTenant();
    const reads = readsOf();
    statements = [];
    expect(await reads.records(key.tenantId, 'tickets')).toHaveLength(ROWS);
    // A miss: the tenant's vendors once (then cached), the state once, then the version after the batches.
    expect(integrationQueries()).toBe(1);
    expect(stateQueries()).toBe(2);
    statements = [];
    expect(await reads.records(key.tenantId, 'tickets')).toHaveLength(ROWS);
    expect(integrationQueries()).toBe(0);
    expect(stateQueries()).toBe(1);
    expect(statements.filter((sql) => /from "replica_records"/.test(sql))).toHaveLength(0);
  });

  it('asks the store which vendors a tenant has once per cache period, and again after an integration changes', async () => {
    const key = await syncedTenant();
    platform.integrations.invalidate();
    const reads = readsOf();
    statements = [];
    await Promise.all(Array.from({ length: 20 }, () => reads.records(key.tenantId, 'tickets')));
    expect(integrationQueries()).toBe(1);
    await platform.integrations.delete(key.tenantId, 'connectwise');
    statements = [];
    // The integration is gone (and its rows with it): the tenant has no ticket stream.
    expect(await reads.records(key.tenantId, 'tickets')).toEqual([]);
    expect(integrationQueries()).toBe(1);
  });

  it('never answers with two runs: a load a sync keeps writing into ends as one snapshot', async () => {
    const key = await syncedTenant();
    const reads = readsOf();
    const runIds = await Promise.all(Array.from({ length: 10 }, () => runs.start(key, 'incremental', new Date().toISOString())));
    let run = 0;
    // After every first batch of a read (the connection still held), a run's page is queued: SQLite's one connection runs it before the next batch.
    afterStatement = (sql) => {
      if (/from "replica_records"/.test(sql) && !/"vendor_id" >/.test(sql) && run < runIds.length) void write(key, run + 1, runIds[run++]);
    };
    const records = (await reads.records<{ run: number }>(key.tenantId, 'tickets')).map((r) => r.run);
    afterStatement = undefined;
    expect(run).toBeGreaterThanOrEqual(3); // a sync wrote between the batches of every optimistic try
    expect(records).toHaveLength(ROWS);
    expect(new Set(records).size).toBe(1);
  });

  it('gives one answer one snapshot of a stream: a second read in the same request gets the rows of the first, whatever synced between', async () => {
    const key = await syncedTenant();
    const reads = readsOf();
    const [first, second] = await inLiveRequest(async () => {
      const a = await reads.records<{ run: number }>(key.tenantId, 'tickets');
      await write(key, 1);
      const b = await reads.records<{ run: number }>(key.tenantId, 'tickets');
      return [a, b];
    });
    expect(second).toBe(first);
    expect(new Set(second.map((r) => r.run))).toEqual(new Set([0]));
    // The next answer reads the new run.
    expect(new Set((await reads.records<{ run: number }>(key.tenantId, 'tickets')).map((r) => r.run))).toEqual(new Set([1]));
  });
});
