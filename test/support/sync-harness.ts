import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../src/platform/database.js';
import { migrateToLatest } from '../../src/platform/migrations.js';
import { PlatformDb } from '../../src/platform/platform-db.js';
import type { StreamKey } from '../../src/sync/replica.types.js';
import type { StreamFetchers } from '../../src/sync/stream-fetchers.js';
import type { StreamFetcher, StreamName } from '../../src/sync/stream.js';
import { createPostgresDatabase } from './postgres.js';

/** A platform database for one suite: its URL and how to remove it. */
export interface SyncDatabase {
  url: string;
  teardown(): Promise<void>;
}

/** The engines the sync suites run on (`describe.each(SYNC_ENGINES)`): a SQLite file in a temp folder, a fresh PostgreSQL database. */
export const SYNC_ENGINES: { name: 'sqlite' | 'postgres'; setup(): Promise<SyncDatabase> }[] = [
  { name: 'sqlite', setup: () => sqliteDatabase('sync-') },
  {
    name: 'postgres',
    async setup() {
      const db = await createPostgresDatabase();
      return { url: db.url, teardown: () => db.drop() };
    },
  },
];

/** A SQLite file in a fresh temp folder (left for the OS to clean). */
export async function sqliteDatabase(prefix: string): Promise<SyncDatabase> {
  return { url: `sqlite:${join(await mkdtemp(join(tmpdir(), prefix)), 'platform.db')}`, teardown: async () => undefined };
}

/** The platform store at `url`, migrated. */
export async function openSyncStore(url: string, queryTimeoutMs = 10_000): Promise<PlatformDb> {
  const opened = openDatabase(url, { connectTimeoutMs: 5_000, queryTimeoutMs });
  await migrateToLatest(opened.db);
  return new PlatformDb(opened.db, opened.engine);
}

/** A migrated SQLite store in a fresh temp folder. */
export async function openSqliteStore(prefix: string): Promise<PlatformDb> {
  return openSyncStore((await sqliteDatabase(prefix)).url);
}

/** The engine's view of one tenant whose streams are these fetchers, as built (no meter: the fakes count the calls). */
export class FixedFetchers implements StreamFetchers {
  constructor(
    private readonly tenantId: string,
    private readonly fetchers: StreamFetcher[],
  ) {}

  streams(): Promise<StreamKey[]> {
    return Promise.resolve(this.fetchers.map((f) => ({ tenantId: this.tenantId, stream: f.stream, vendor: f.vendor })));
  }

  fetcherFor(tenantId: string, stream: StreamName): Promise<StreamFetcher | undefined> {
    return Promise.resolve(tenantId === this.tenantId ? this.fetchers.find((f) => f.stream === stream) : undefined);
  }
}

/** Polls `probe` every `everyMs` until it gives a value; fails naming `what` after `timeoutMs` (a bound on a hang, not a measurement). */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
