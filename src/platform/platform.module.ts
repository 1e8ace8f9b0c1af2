import { Global, Logger, Module } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { PlatformDatabase } from './platform.schema.js';
import type { ConfigType } from '@nestjs/config';
import { platformConfig } from '../config/platform.config.js';
import { describeDatabase, openDatabase } from './database.js';
import { migrateToLatest } from './migrations.js';
import { PlatformStore } from './platform.store.js';
import { ApiKeysService } from './api-keys.service.js';
import { IntegrationsService } from './integrations.service.js';
import { PlatformCacheOptions, PlatformDb } from './platform-db.js';
import { PlatformTenantsService } from './platform-tenants.service.js';
import { ApiKeyRepository } from './repositories/api-key.repository.js';
import { IntegrationRepository } from './repositories/integration.repository.js';
import { TenantRepository } from './repositories/tenant.repository.js';
import { TenantImportService } from './tenant-import.service.js';
import { SecretBox } from './secret-box.js';
import { StoreUnavailableError } from './platform.errors.js';

const REPOSITORIES = [TenantRepository, IntegrationRepository, ApiKeyRepository];
const SERVICES = [PlatformTenantsService, IntegrationsService, ApiKeysService, TenantImportService, PlatformStore];

/** The platform's SQL store, opened and migrated once at boot (SQLite by default, PostgreSQL by URL). */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [platformConfig.KEY],
      useFactory: (config: ConfigType<typeof platformConfig>) => new SecretBox(config.encryptionKey, config.previousEncryptionKeys),
    },
    {
      provide: PlatformCacheOptions,
      inject: [platformConfig.KEY],
      useFactory: (config: ConfigType<typeof platformConfig>) => new PlatformCacheOptions(config.cacheTtlMs),
    },
    {
      provide: PlatformDb,
      inject: [platformConfig.KEY, SecretBox],
      useFactory: (config: ConfigType<typeof platformConfig>, box: SecretBox) => openPlatform(config, box),
    },
    ...REPOSITORIES,
    ...SERVICES,
  ],
  exports: [PlatformDb, ...SERVICES],
})
export class PlatformModule {}

/** Opens and migrates the database, then refuses to start if a stored secret does not decrypt. */
async function openPlatform(config: ConfigType<typeof platformConfig>, box: SecretBox): Promise<PlatformDb> {
  const where = describeDatabase(config.databaseUrl);
  const { db, engine } = openDatabase(config.databaseUrl, {
    connectTimeoutMs: config.connectTimeoutMs,
    queryTimeoutMs: config.queryTimeoutMs,
  });
  const platform = new PlatformDb(db, engine);
  try {
    if (engine === 'sqlite') await migrate(db, where);
    else {
      // Migrations may wait on another copy's migration lock: their own pool, generous timeouts.
      const migrations = openDatabase(config.databaseUrl, MIGRATION_TIMEOUTS).db;
      await migrate(migrations, where).finally(() => migrations.destroy());
    }
    const integrations = new IntegrationsService(new IntegrationRepository(platform, box), platform, new PlatformCacheOptions());
    const secrets = await integrations.undecryptableSecrets();
    if (secrets.failed > 0) throw new EncryptionKeyMismatchError(secrets.failed, secrets.total, secrets.where);
  } catch (error) {
    await db.destroy();
    if (error instanceof EncryptionKeyMismatchError || error instanceof PlatformStoreUnavailableError) throw error;
    throw new PlatformStoreUnavailableError(where, error);
  }
  return platform;
}

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
