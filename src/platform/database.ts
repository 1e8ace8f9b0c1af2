import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import type { PlatformDatabase } from './platform.schema.js';

export type Engine = 'sqlite' | 'postgres';

export interface PlatformDb {
  db: Kysely<PlatformDatabase>;
  engine: Engine;
}

/** `sqlite:./data/platform.db` (folder created), `sqlite::memory:`, or `postgres://…`. */
export function openDatabase(url: string): PlatformDb {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
    // An idle client's network error must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    return { db: new Kysely<PlatformDatabase>({ dialect: new PostgresDialect({ pool }) }), engine: 'postgres' };
  }
  const path = url.slice('sqlite:'.length);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path === ':memory:' ? ':memory:' : resolve(path));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  return { db: new Kysely<PlatformDatabase>({ dialect: new SqliteDialect({ database: sqlite }) }), engine: 'sqlite' };
}

/** What the database URL names, with any password masked: for logs and health. */
export function describeDatabase(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres (unparseable URL)';
  }
}
