import { OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Engine } from './database.js';
import type { PlatformDatabase } from './platform.schema.js';

/** The platform's open SQL connection (SQLite or PostgreSQL), closed at shutdown. */
export class PlatformDb implements OnApplicationShutdown {
  constructor(
    readonly db: Kysely<PlatformDatabase>,
    readonly engine: Engine,
  ) {}

  transaction<T>(work: (trx: PlatformExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}

/** A query runner: the connection or a transaction on it. */
export type PlatformExecutor = Kysely<PlatformDatabase>;

/** How long key, tenant and integration reads are reused in process (≤ 1 s; 0: never). */
export class PlatformCacheOptions {
  constructor(readonly cacheTtlMs: number = 0) {}
}

export const nowIso = () => new Date().toISOString();

/** While the database is unreachable, tenant and integration reads this old are still served (never API keys). */
export const STALE_ON_UNAVAILABLE_MS = 30_000;

export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
