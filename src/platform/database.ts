import Database from 'better-sqlite3';
import { Kysely, LogEvent, PostgresDialect, PostgresPool, PostgresPoolClient, SqliteDialect } from 'kysely';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { PlatformDatabase } from './platform.schema.js';
import { StoreUnavailableError, isConnectionFailure } from './platform.errors.js';

export type Engine = 'sqlite' | 'postgres';

export interface PlatformDb {
  db: Kysely<PlatformDatabase>;
  engine: Engine;
}

export interface DatabaseOptions {
  /** How long to wait for a new PostgreSQL connection. */
  connectTimeoutMs: number;
  /** Client-side read timeout and server-side `statement_timeout` of every PostgreSQL query. */
  queryTimeoutMs: number;
  /** Sees every query (tests count them; debug logging). */
  onQuery?: (event: LogEvent) => void;
}

export const DEFAULT_DATABASE_OPTIONS: DatabaseOptions = { connectTimeoutMs: 1_500, queryTimeoutMs: 1_500 };

const logger = new Logger('PlatformStore');

/** `sqlite:./data/platform.db` (folder created, file 0600), `sqlite::memory:`, or `postgres://…`. */
export function openDatabase(url: string, options: DatabaseOptions = DEFAULT_DATABASE_OPTIONS): PlatformDb {
  const log = options.onQuery;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: options.connectTimeoutMs,
      query_timeout: options.queryTimeoutMs,
      statement_timeout: options.queryTimeoutMs,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    });
    // A reset connection emits 'error' on its client, idle or checked out; unheard, that event ends the process.
    const report = (error: Error) => logger.warn(`PostgreSQL connection lost: ${error.message}`);
    pool.on('error', report);
    pool.on('connect', (client) => client.on('error', report));
    return { db: new Kysely<PlatformDatabase>({ dialect: new PostgresDialect({ pool: new GuardedPool(pool) }), log }), engine: 'postgres' };
  }
  const path = url.slice('sqlite:'.length);
  if (path !== ':memory:') createPrivately(resolve(path));
  const sqlite = new Database(path === ':memory:' ? ':memory:' : resolve(path));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  // Off by default in SQLite: the replica's rows cascade with their tenant and integration.
  sqlite.pragma('foreign_keys = ON');
  return { db: new Kysely<PlatformDatabase>({ dialect: new SqliteDialect({ database: sqlite }), log }), engine: 'sqlite' };
}

/**
 * The database holds key hashes and encrypted secrets: only its owner may read it. SQLite gives
 * its -wal and -shm files the mode of the database file, so creating that one 0600 is enough.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  if ((statSync(path).mode & 0o077) !== 0) {
    chmodSync(path, 0o600);
    logger.warn(`${path} was readable by others: its mode is now 0600`);
  }
}

/**
 * Between Kysely and pg's pool: a connection failure (refused, reset, timed out, server shutting
 * down) becomes StoreUnavailableError (503 with Retry-After), and the client it happened on is
 * destroyed rather than returned to the pool, so the pool heals by itself once the database is back.
 */
class GuardedPool implements PostgresPool {
  private readonly clients = new WeakMap<pg.PoolClient, { client: PostgresPoolClient; broken: boolean }>();

  constructor(private readonly pool: pg.Pool) {}

  /** Kysely 0.29 reads the pool's options (e.g. for its own connection handling). */
  get options(): object {
    return this.pool.options;
  }

  async connect(): Promise<PostgresPoolClient> {
    let raw: pg.PoolClient;
    try {
      raw = await this.pool.connect();
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    let guarded = this.clients.get(raw);
    if (!guarded) {
      const state = { broken: false } as { client: PostgresPoolClient; broken: boolean };
      state.client = {
        query: ((...args: unknown[]) => {
          const result = (raw.query as (...a: unknown[]) => unknown)(...args);
          if (!(result instanceof Promise)) return result; // a cursor
          return result.catch((error: unknown) => {
            if (!isConnectionFailure(error)) throw error;
            state.broken = true;
            throw new StoreUnavailableError(error);
          });
        }) as PostgresPoolClient['query'],
        release: () => raw.release(state.broken),
      };
      guarded = state;
      this.clients.set(raw, guarded);
    }
    guarded.broken = false;
    return guarded.client;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
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
