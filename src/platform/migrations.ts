import { Kysely } from 'kysely';
import { Migration, MigrationProvider, Migrator } from 'kysely/migration';
import type { PlatformDatabase } from './platform.schema.js';
import { StoreUnavailableError } from './platform.errors.js';

/** In code, in order; a migration once shipped is never edited, only followed by a new one. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-27-001-platform': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_active', 'integer', (c) => c.notNull())
        .addColumn('llm_enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('integrations')
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('vendor', 'varchar(32)', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('secrets', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('integrations_pk', ['tenant_id', 'vendor'])
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('last_used_at', 'varchar(32)')
        .addColumn('revoked_at', 'varchar(32)')
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Brings the schema up to date; idempotent. App copies starting together are safe: Kysely's migrator
 * creates its tables race-tolerantly and holds a row lock (PostgreSQL) or the write lock (SQLite)
 * while it migrates — test/integration/postgres-app.spec.ts boots three copies at once on one database.
 */
export async function migrateToLatest(db: Kysely<PlatformDatabase>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  // The database was not reached: that, not a migration, is what failed.
  if (error instanceof StoreUnavailableError) throw error;
  if (error) throw new Error(`database migration failed: ${error instanceof Error ? error.message : String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
