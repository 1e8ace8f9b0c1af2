import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/platform/database.js';
import { migrateToLatest } from '../../src/platform/migrations.js';
import { PlatformDb } from '../../src/platform/platform-db.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { ReplicaReads } from '../../src/replica-reads/replica-reads.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import type { ReplicaChange, StreamKey } from '../../src/sync/replica.types.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { SyncScheduler } from '../../src/sync/sync-scheduler.js';
import { platformOn } from '../support/platform.js';
import { createPostgresDatabase } from '../support/postgres.js';
import { seedTenant } from '../support/replica-fakes.js';

// Replica writes and reads at the size the brief names (100 000 records in one tenant×stream): first
// write, the same pages again (all unchanged: hashed, not rewritten), one full read of the live rows,
// then what a live read costs through ReplicaReads: a miss (load and parse) and warm reads, with the
// statements each makes.
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const PAGE = 1_000;

const ticket = (i: number, version = 0) => ({
  id: i,
  summary: `Printer on floor ${i % 9} does not print ${i}${version ? ` (v${version})` : ''}`,
  board: { id: 1, name: 'Service' },
  status: { id: 5, name: i % 3 === 0 ? 'Closed' : 'New' },
  company: { id: 250 + (i % 40), identifier: `client${i % 40}`, name: `Client ${i % 40}` },
  contactEmailAddress: `user${i}@client${i % 40}.example`,
  _info: { lastUpdated: new Date(Date.UTC(2026, 0, 1) + i * 60_000 + version).toISOString(), dateEntered: '2025-12-01T00:00:00Z' },
  notes: 'x'.repeat(400),
});

/** The stream has synced: no read here asks for a first sync. */
class Synced extends SyncScheduler {
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  trigger(): Promise<void> {
    return Promise.reject(new Error('no first sync in this bench'));
  }
}

const WARM_READS = 1_000;

async function measure(name: string, url: string): Promise<void> {
  let statements = 0;
  const opened = openDatabase(url, { connectTimeoutMs: 5_000, queryTimeoutMs: 60_000, onQuery: () => statements++ });
  await migrateToLatest(opened.db);
  const platform = new PlatformDb(opened.db, opened.engine);
  const replica = new ReplicaRepository(platform);
  await seedTenant(opened.db, 'bench');
  const key: StreamKey = { tenantId: 'bench', stream: 'connectwise.tickets', vendor: 'connectwise' };
  await replica.ensureState(key, new Date().toISOString());
  const runId = await new SyncRunsRepository(platform).start(key, 'full', new Date().toISOString());
  const pagesOf = (version: number) => {
    const pages: ReplicaChange[][] = [];
    for (let i = 0; i < RECORDS; i += PAGE) {
      pages.push(
        Array.from({ length: Math.min(PAGE, RECORDS - i) }, (_, j) => {
          const raw = ticket(i + j, version);
          return { vendorId: String(raw.id), raw, mapped: { id: raw.id, summary: raw.summary }, vendorUpdatedAt: raw._info.lastUpdated, deleted: false };
        }),
      );
    }
    return pages;
  };
  const pages = pagesOf(0);
  const edited = pagesOf(1);
  const timed = async (what: string, work: () => Promise<unknown>) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await work();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    console.log(`${name}: ${what}: ${Math.round(ms)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU (this process)${result === undefined ? '' : `, ${String(result)}`}`);
  };
  await timed(`write ${RECORDS} new records in pages of ${PAGE}`, async () => {
    for (const page of pages) await replica.commitPage(key, page, {}, new Date().toISOString(), { id: runId });
  });
  await timed('the same pages again (unchanged)', async () => {
    let changed = 0;
    for (const page of pages) changed += (await replica.commitPage(key, page, {}, new Date().toISOString(), { id: runId })).changed;
    return `${changed} changed`;
  });
  await timed('every record changed (newer stamp, new content)', async () => {
    let changed = 0;
    for (const page of edited) changed += (await replica.commitPage(key, page, {}, new Date().toISOString(), { id: runId })).changed;
    return `${changed} changed`;
  });
  await timed('read every live row (batches of 5 000)', async () => {
    let rows = 0;
    for await (const batch of replica.readLive('bench', 'connectwise.tickets')) rows += batch.length;
    return `${rows} rows`;
  });
  await replica.updateState(key, { lastSuccessAt: new Date().toISOString() }, new Date().toISOString());
  const store = platformOn(opened.db, opened.engine, new SecretBox(randomBytes(32)), 1_000).store;
  const reads = new ReplicaReads(replica, new Synced(), store, { localMaxBytes: 512 * 2 ** 20 } as never, { intervalMs: 3_600_000, firstSyncWaitMs: 1_000 } as never, platform);
  statements = 0;
  await timed('ReplicaReads: first read (a miss: every row loaded and parsed)', async () => `${(await reads.records('bench', 'tickets')).length} records, ${statements} statements`);
  statements = 0;
  await timed(`ReplicaReads: ${WARM_READS} warm reads, one after another`, async () => {
    for (let i = 0; i < WARM_READS; i++) await reads.records('bench', 'tickets');
    return `${(statements / WARM_READS).toFixed(2)} statements per read`;
  });
  await platform.onApplicationShutdown();
}

describe('replica store at 100 000 records', () => {
  it('SQLite', async () => {
    await measure('SQLite', `sqlite:${join(await mkdtemp(join(tmpdir(), 'replica-bench-')), 'platform.db')}`);
  }, 600_000);

  it('PostgreSQL', async () => {
    const database = await createPostgresDatabase();
    try {
      await measure('PostgreSQL', database.url);
    } finally {
      await database.drop();
    }
  }, 600_000);
});
