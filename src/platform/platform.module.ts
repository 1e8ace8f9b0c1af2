import { Global, Logger, Module } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { PlatformDatabase } from './platform.schema.js';
import type { ConfigType } from '@nestjs/config';
import { platformConfig } from '../config/platform.config.js';
import { describeDatabase, openDatabase } from './database.js';
import { migrateToLatest } from './migrations.js';
import { PlatformStore } from './platform.store.js';
import { SecretBox } from './secret-box.js';
import { StoreUnavailableError } from './platform.errors.js';

/** The platform's SQL store, opened and migrated once at boot (SQLite by default, PostgreSQL by URL). */
@Global()
@Module({
  providers: [
    {
      provide: PlatformStore,
      inject: [platformConfig.KEY],
      useFactory: async (config: ConfigType<typeof platformConfig>) => {
        const where = describeDatabase(config.databaseUrl);
        const { db, engine } = openDatabase(config.databaseUrl, {
          connectTimeoutMs: config.connectTimeoutMs,
          queryTimeoutMs: config.queryTimeoutMs,
        });
        const store = new PlatformStore(db, engine, new SecretBox(config.encryptionKey, config.previousEncryptionKeys), {
          cacheTtlMs: config.cacheTtlMs,
        });
        try {
          if (engine === 'sqlite') await migrate(db, where);
          else {
            // Migrations may wait on another copy's migration lock: their own pool, generous timeouts.
            const migrations = openDatabase(config.databaseUrl, MIGRATION_TIMEOUTS).db;
            await migrate(migrations, where).finally(() => migrations.destroy());
          }
          const secrets = await store.undecryptableSecrets();
          if (secrets.failed > 0) throw new EncryptionKeyMismatchError(secrets.failed, secrets.total, secrets.where);
        } catch (error) {
          await db.destroy();
          if (error instanceof EncryptionKeyMismatchError || error instanceof PlatformStoreUnavailableError) throw error;
          throw new PlatformStoreUnavailableError(where, error);
        }
        return store;
      },
    },
  ],
  exports: [PlatformStore],
})
export class PlatformModule {}

const MIGRATION_TIMEOUTS = { connectTimeoutMs: 10_000, queryTimeoutMs: 120_000 };

async function migrate(db: Kysely<PlatformDatabase>, where: string): Promise<void> {
  try {
    const applied = await migrateToLatest(db);
    new Logger('PlatformStore').log(`${where}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`);
  } catch (error) {
    throw new PlatformStoreUnavailableError(where, error);
  }
}

/** Stored secrets that the configured keys cannot open: the wrong ENCRYPTION_KEY, caught at boot rather than on every live call. */
export class EncryptionKeyMismatchError extends Error {
  constructor(failed: number, total: number, where: string[]) {
    const shown = where.slice(0, 5).join(', ') + (where.length > 5 ? `, and ${where.length - 5} more` : '');
    super(
      `${failed} of ${total} stored vendor secrets do not decrypt with ENCRYPTION_KEY ` +
        `(or any key in ENCRYPTION_KEYS_PREVIOUS), e.g. cannot decrypt ${shown}: set ENCRYPTION_KEY to the key they ` +
        'were stored under, or list that key in ENCRYPTION_KEYS_PREVIOUS and run `npm run cli -- secrets rotate`',
    );
    this.name = 'EncryptionKeyMismatchError';
  }
}

export class PlatformStoreUnavailableError extends Error {
  constructor(where: string, cause: unknown) {
    super(`the platform database (${where}) cannot be opened or migrated: ${causeOf(cause)}`);
    this.name = 'PlatformStoreUnavailableError';
  }
}

function causeOf(cause: unknown): string {
  if (cause instanceof StoreUnavailableError) return cause.causeMessage;
  return cause instanceof Error ? cause.message : String(cause);
}
