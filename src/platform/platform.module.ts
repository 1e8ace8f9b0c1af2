import { Global, Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { platformConfig } from '../config/platform.config.js';
import { describeDatabase, openDatabase } from './database.js';
import { migrateToLatest } from './migrations.js';
import { PlatformStore } from './platform.store.js';
import { SecretBox } from './secret-box.js';

/** The platform's SQL store, opened and migrated once at boot (SQLite by default, PostgreSQL by URL). */
@Global()
@Module({
  providers: [
    {
      provide: PlatformStore,
      inject: [platformConfig.KEY],
      useFactory: async (config: ConfigType<typeof platformConfig>) => {
        const { db, engine } = openDatabase(config.databaseUrl);
        try {
          const applied = await migrateToLatest(db);
          new Logger('PlatformStore').log(
            `${describeDatabase(config.databaseUrl)}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`,
          );
        } catch (error) {
          await db.destroy();
          throw new PlatformStoreUnavailableError(describeDatabase(config.databaseUrl), error);
        }
        return new PlatformStore(db, engine, new SecretBox(config.encryptionKey, config.previousEncryptionKeys));
      },
    },
  ],
  exports: [PlatformStore],
})
export class PlatformModule {}

export class PlatformStoreUnavailableError extends Error {
  constructor(where: string, cause: unknown) {
    super(`the platform database (${where}) cannot be opened or migrated: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PlatformStoreUnavailableError';
  }
}
