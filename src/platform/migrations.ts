import { CreateTableBuilder, Kysely, sql } from 'kysely';
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
  // The live replica (docs/live-replica.md); its rows go with their tenant or integration (ON DELETE CASCADE).
  '2026-12-07-001-replica': {
    async up(db: Kysely<unknown>) {
      const owned = <T extends string, C extends string>(table: CreateTableBuilder<T, C | 'tenant_id' | 'vendor'>, name: string) =>
        table
          .addForeignKeyConstraint(`${name}_tenant_fk`, ['tenant_id'], 'tenants', ['id'], (c) => c.onDelete('cascade'))
          .addForeignKeyConstraint(`${name}_integration_fk`, ['tenant_id', 'vendor'], 'integrations', ['tenant_id', 'vendor'], (c) => c.onDelete('cascade'));
      await owned(
        db.schema
          .createTable('replica_records')
          .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('stream', 'varchar(64)', (c) => c.notNull())
          .addColumn('vendor_id', 'varchar(128)', (c) => c.notNull())
          .addColumn('vendor', 'varchar(32)', (c) => c.notNull())
          .addColumn('raw', 'text', (c) => c.notNull())
          .addColumn('mapped', 'text')
          .addColumn('vendor_updated_at', 'varchar(32)')
          .addColumn('content_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('first_seen_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('changed_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('deleted_at', 'varchar(32)')
          .addColumn('run_id', 'varchar(36)', (c) => c.notNull())
          .addPrimaryKeyConstraint('replica_records_pk', ['tenant_id', 'stream', 'vendor_id']),
        'replica_records',
      ).execute();
      // Reads walk a tenant×stream's live rows in id order, batch by batch.
      await db.schema
        .createIndex('replica_records_live')
        .on('replica_records')
        .columns(['tenant_id', 'stream', 'vendor_id'])
        .where(sql.ref('deleted_at'), 'is', null)
        .execute();
      await owned(
        db.schema
          .createTable('sync_state')
          .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('stream', 'varchar(64)', (c) => c.notNull())
          .addColumn('vendor', 'varchar(32)', (c) => c.notNull())
          .addColumn('checkpoint', 'varchar(32)')
          .addColumn('resume', 'text')
          .addColumn('history_from', 'varchar(32)')
          .addColumn('backfill_until', 'varchar(32)')
          .addColumn('last_success_at', 'varchar(32)')
          .addColumn('last_reconcile_at', 'varchar(32)')
          .addColumn('last_error', 'text')
          .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('data_version', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('state', 'varchar(16)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
          .addPrimaryKeyConstraint('sync_state_pk', ['tenant_id', 'stream']),
        'sync_state',
      ).execute();
      await owned(
        db.schema
          .createTable('sync_runs')
          .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
          .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('stream', 'varchar(64)', (c) => c.notNull())
          .addColumn('vendor', 'varchar(32)', (c) => c.notNull())
          .addColumn('kind', 'varchar(16)', (c) => c.notNull())
          .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('finished_at', 'varchar(32)')
          .addColumn('vendor_calls', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('http_429', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('waited_ms', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('seen', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('inserted', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('error', 'text')
          .addColumn('note', 'text'),
        'sync_runs',
      ).execute();
      await db.schema.createIndex('sync_runs_by_stream').on('sync_runs').columns(['tenant_id', 'stream', 'started_at']).execute();
    },
  },
  // Reconcile in two cadences (docs/live-replica.md): open records hourly, the recent window daily (last_reconcile_at).
  '2026-12-08-001-replica-open-reconcile': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sync_state').addColumn('last_open_reconcile_at', 'varchar(32)').execute();
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
