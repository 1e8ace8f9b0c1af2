import { Injectable } from '@nestjs/common';
import type { ExpressionBuilder, OnConflictDatabase, OnConflictTables, Updateable } from 'kysely';
import { PlatformDb, PlatformExecutor } from '../platform/platform-db.js';
import type { PlatformDatabase, SyncStateTable } from '../platform/platform.schema.js';
import { contentHash } from './content-hash.js';
import type { ChangeCounts, ReplicaChange, StreamKey, SyncState, SyncStatePatch, SyncStateName } from './replica.types.js';
import type { KnownRecord, StreamName } from './stream.js';

/** Ids per query, and rows upserted per statement (12 values each): well under SQLite's and PostgreSQL's bound-parameter limits. */
const LOOKUP_CHUNK = 500;
const INSERT_CHUNK = 500;
/** Rows per read batch: a 100 000-row stream is read in 20 short queries, never held by one cursor. */
export const READ_BATCH = 5_000;

/** A `running` state with no write for this long is a run that died (a crash, a killed copy): read as idle. Several time slices and walk deadlines. */
export const STALE_RUN_MS = 10 * 60_000;

/** How a run's row counters move with the page it wrote (same transaction). */
export interface RunIncrement {
  runId: string;
  counts: ChangeCounts;
}

/** One stream's standing: what health and the boot-time metrics read. */
export interface StreamStanding {
  tenant_id: string;
  stream: string;
  state: string;
  last_success_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
}

/** The replica's records and sync state: every page is written with the state that follows it, in one transaction. */
@Injectable()
export class ReplicaRepository {
  constructor(private readonly platform: PlatformDb) {}

  /** The stream's state, created (idle, never synced) on first use. */
  async ensureState(key: StreamKey, now: string): Promise<SyncState> {
    await this.platform.db
      .insertInto('sync_state')
      .values({ tenant_id: key.tenantId, stream: key.stream, vendor: key.vendor, state: 'idle', updated_at: now, consecutive_failures: 0, data_version: 0 })
      .onConflict((oc) => oc.columns(['tenant_id', 'stream']).doNothing())
      .execute();
    return (await this.getState(key.tenantId, key.stream)) as SyncState;
  }

  async getState(tenantId: string, stream: StreamName, db: PlatformExecutor = this.platform.db): Promise<SyncState | undefined> {
    const row = await db.selectFrom('sync_state').selectAll().where('tenant_id', '=', tenantId).where('stream', '=', stream).executeTakeFirst();
    if (!row) return undefined;
    return {
      checkpoint: row.checkpoint,
      resume: row.resume ? (JSON.parse(row.resume) as SyncState['resume']) : {},
      historyFrom: row.history_from,
      backfillUntil: row.backfill_until,
      lastSuccessAt: row.last_success_at,
      lastReconcileAt: row.last_reconcile_at,
      lastOpenReconcileAt: row.last_open_reconcile_at,
      lastError: row.last_error,
      consecutiveFailures: Number(row.consecutive_failures),
      dataVersion: Number(row.data_version),
      state: staleRun(row.state, row.updated_at) ? (row.backfill_until ? 'backfilling' : 'idle') : (row.state as SyncStateName),
    };
  }

  async updateState(key: StreamKey, patch: SyncStatePatch, now: string, db: PlatformExecutor = this.platform.db): Promise<void> {
    await db
      .updateTable('sync_state')
      .set((eb) => ({ ...toColumns(patch), updated_at: now, ...(patch.consecutiveFailures === 'increment' ? { consecutive_failures: eb('consecutive_failures', '+', 1) } : {}) }))
      .where('tenant_id', '=', key.tenantId)
      .where('stream', '=', key.stream)
      .execute();
  }

  /**
   * One page and the state after it, all or nothing, so a run resumes exactly after its last written page.
   * Rows are upserted a chunk per statement: a row is rewritten only when its content changed (or it was
   * deleted) and the stored change is not newer, so two writers of one stream never collide on a key
   * and a late page never overwrites a newer row. Counts come from what the statements returned.
   */
  async commitPage(key: StreamKey, changes: ReplicaChange[], patch: SyncStatePatch, now: string, run: { id: string }): Promise<ChangeCounts> {
    // One id listed twice in a page (a vendor paging while records change): the copy updated last, else the later one.
    const latest = new Map<string, ReplicaChange>();
    for (const change of changes) {
      const kept = latest.get(change.vendorId);
      if (!kept || !(instantMs(kept.vendorUpdatedAt) > instantMs(change.vendorUpdatedAt))) latest.set(change.vendorId, change);
    }
    return this.platform.transaction(async (trx) => {
      const counts: ChangeCounts = { seen: changes.length, inserted: 0, changed: 0, deleted: 0 };
      const rows = [];
      for (const change of latest.values()) {
        if (change.deleted) {
          counts.deleted += await this.tombstone(trx, key, change, now, run.id);
          continue;
        }
        rows.push({
          tenant_id: key.tenantId,
          stream: key.stream,
          vendor: key.vendor,
          vendor_id: change.vendorId,
          first_seen_at: now,
          raw: JSON.stringify(change.raw),
          mapped: change.mapped === null || change.mapped === undefined ? null : JSON.stringify(change.mapped),
          vendor_updated_at: change.vendorUpdatedAt,
          content_hash: contentHash(change.raw),
          changed_at: now,
          deleted_at: null,
          run_id: run.id,
        });
      }
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const written = await trx
          .insertInto('replica_records')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) =>
            oc
              .columns(['tenant_id', 'stream', 'vendor_id'])
              .doUpdateSet((eb) => ({
                raw: eb.ref('excluded.raw'),
                mapped: eb.ref('excluded.mapped'),
                vendor_updated_at: eb.ref('excluded.vendor_updated_at'),
                content_hash: eb.ref('excluded.content_hash'),
                changed_at: eb.ref('excluded.changed_at'),
                deleted_at: null,
                run_id: eb.ref('excluded.run_id'),
              }))
              .where((eb) =>
                eb.and([
                  eb.or([eb('replica_records.content_hash', '<>', eb.ref('excluded.content_hash')), eb('replica_records.deleted_at', 'is not', null)]),
                  notNewer(eb),
                ]),
              ),
          )
          .returning(['first_seen_at'])
          .execute();
        // A row first seen by this very statement was inserted; any other returned row was rewritten.
        for (const row of written) if (row.first_seen_at === now) counts.inserted += 1;
        counts.changed += written.filter((row) => row.first_seen_at !== now).length;
      }
      await this.afterWrite(trx, key, counts, patch, now, run.id);
      return counts;
    });
  }

  /**
   * Soft-deletes live rows in scope the vendor no longer lists, unless over `maxFraction` of at least `minLive` rows would go (a vendor glitch, not deletions).
   * In scope: every row when there is no `from`; else rows changed since `from` (or with no stamp) and, with `isOpen`, rows whose mapped record is open.
   * Only rows not listed are read for `isOpen`; a listed row is in scope by being listed.
   */
  async softDeleteMissing(
    key: StreamKey,
    present: ReadonlySet<string>,
    scope: { from?: string; isOpen?: (mapped: unknown) => boolean; maxFraction: number; minLive?: number },
    patch: SyncStatePatch,
    now: string,
    runId: string,
  ): Promise<{ deleted: number; live: number; vanished: number; refused: boolean }> {
    return this.platform.transaction(async (trx) => {
      const rows = await trx
        .selectFrom('replica_records')
        .select(['vendor_id', 'vendor_updated_at'])
        .where('tenant_id', '=', key.tenantId)
        .where('stream', '=', key.stream)
        .where('deleted_at', 'is', null)
        .execute();
      const from = scope.from;
      const recent = (at: string | null) => from === undefined || at === null || at >= from;
      const listed = rows.filter((r) => present.has(r.vendor_id));
      const unlisted = rows.filter((r) => !present.has(r.vendor_id));
      const vanished = unlisted.filter((r) => recent(r.vendor_updated_at)).map((r) => r.vendor_id);
      const older = unlisted.filter((r) => !recent(r.vendor_updated_at)).map((r) => r.vendor_id);
      if (scope.isOpen) vanished.push(...(await this.openAmong(trx, key, older, scope.isOpen)));
      const live = (from === undefined || scope.isOpen ? listed.length : listed.filter((r) => recent(r.vendor_updated_at)).length) + vanished.length;
      const refused = live > 0 && live >= (scope.minLive ?? 0) && vanished.length / live > scope.maxFraction;
      const counts: ChangeCounts = { seen: present.size, inserted: 0, changed: 0, deleted: refused ? 0 : vanished.length };
      if (!refused) {
        for (let i = 0; i < vanished.length; i += LOOKUP_CHUNK) {
          await trx
            .updateTable('replica_records')
            .set({ deleted_at: now, changed_at: now, run_id: runId })
            .where('tenant_id', '=', key.tenantId)
            .where('stream', '=', key.stream)
            .where('vendor_id', 'in', vanished.slice(i, i + LOOKUP_CHUNK))
            .execute();
        }
      }
      await this.afterWrite(trx, key, counts, patch, now, runId);
      return { deleted: counts.deleted, live, vanished: vanished.length, refused };
    });
  }

  /** Those of `vendorIds` whose stored mapped record `isOpen` says is open, a chunk per query. */
  private async openAmong(db: PlatformExecutor, key: StreamKey, vendorIds: string[], isOpen: (mapped: unknown) => boolean): Promise<string[]> {
    const open: string[] = [];
    for (let i = 0; i < vendorIds.length; i += LOOKUP_CHUNK) {
      const rows = await db
        .selectFrom('replica_records')
        .select(['vendor_id', 'mapped'])
        .where('tenant_id', '=', key.tenantId)
        .where('stream', '=', key.stream)
        .where('vendor_id', 'in', vendorIds.slice(i, i + LOOKUP_CHUNK))
        .execute();
      for (const row of rows) if (row.mapped !== null && isOpen(JSON.parse(row.mapped) as unknown)) open.push(row.vendor_id);
    }
    return open;
  }

  /** The mapped records (or, with `column: 'raw'`, the payloads as fetched) of a tenant×stream that are not deleted, in id order, a batch at a time. */
  async *readLive(
    tenantId: string,
    stream: StreamName,
    batchSize = READ_BATCH,
    { column = 'mapped', db = this.platform.db }: { column?: 'mapped' | 'raw'; db?: PlatformExecutor } = {},
  ): AsyncGenerator<unknown[]> {
    let after: string | undefined;
    for (;;) {
      let query = db
        .selectFrom('replica_records')
        .select(['vendor_id', column === 'raw' ? 'raw as mapped' : 'mapped'])
        .where('tenant_id', '=', tenantId)
        .where('stream', '=', stream)
        .where('deleted_at', 'is', null);
      if (after !== undefined) query = query.where('vendor_id', '>', after);
      const rows = await query.orderBy('vendor_id').limit(batchSize).execute();
      if (rows.length === 0) return;
      after = rows[rows.length - 1].vendor_id;
      const mapped = rows.filter((r) => r.mapped !== null).map((r) => JSON.parse(r.mapped as string) as unknown);
      if (mapped.length > 0) yield mapped;
      if (rows.length < batchSize) return;
    }
  }

  /** The integration's version (its `updated_at`, moved by every change of settings or secrets), or null when it is gone. */
  async integrationVersion(tenantId: string, vendor: string): Promise<string | null> {
    const row = await this.platform.db.selectFrom('integrations').select('updated_at').where('tenant_id', '=', tenantId).where('vendor', '=', vendor).executeTakeFirst();
    return row?.updated_at ?? null;
  }

  /** The stored change instant and raw payload of those of `vendorIds` that are live, a chunk per query. */
  async known(tenantId: string, stream: StreamName, vendorIds: readonly string[]): Promise<Map<string, KnownRecord>> {
    const found = new Map<string, KnownRecord>();
    for (let i = 0; i < vendorIds.length; i += LOOKUP_CHUNK) {
      const rows = await this.platform.db
        .selectFrom('replica_records')
        .select(['vendor_id', 'vendor_updated_at', 'raw'])
        .where('tenant_id', '=', tenantId)
        .where('stream', '=', stream)
        .where('deleted_at', 'is', null)
        .where('vendor_id', 'in', vendorIds.slice(i, i + LOOKUP_CHUNK))
        .execute();
      for (const row of rows) found.set(row.vendor_id, { vendorUpdatedAt: row.vendor_updated_at, raw: JSON.parse(row.raw) as unknown });
    }
    return found;
  }

  /**
   * The stream's data version and its live rows (mapped, or raw), read in one transaction: one snapshot however
   * many batches (PostgreSQL: repeatable read; SQLite: the one connection is held, no write comes between).
   */
  async readSnapshot(tenantId: string, stream: StreamName, column: 'mapped' | 'raw' = 'mapped'): Promise<{ version: number; records: unknown[] }> {
    const read = async (trx: PlatformExecutor) => {
      const version = (await this.getState(tenantId, stream, trx))?.dataVersion ?? 0;
      const records: unknown[] = [];
      for await (const batch of this.readLive(tenantId, stream, READ_BATCH, { column, db: trx })) for (const record of batch) records.push(record);
      return { version, records };
    };
    const transaction = this.platform.db.transaction();
    return (this.platform.engine === 'postgres' ? transaction.setIsolationLevel('repeatable read') : transaction).execute(read);
  }

  async countLive(tenantId: string, stream: StreamName): Promise<number> {
    const row = await this.platform.db
      .selectFrom('replica_records')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('stream', '=', stream)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * The tenant's streams of `vendor` start over (the integration now names another source): their rows and run
   * history are deleted and their state is back to never synced. The state row stays with its data version
   * bumped, so no cached load or ETag of the old rows matches what the new source's first sync writes.
   */
  async resetVendor(tenantId: string, vendor: string, now: string, db: PlatformExecutor = this.platform.db): Promise<void> {
    await db.deleteFrom('replica_records').where('tenant_id', '=', tenantId).where('vendor', '=', vendor).execute();
    await db.deleteFrom('sync_runs').where('tenant_id', '=', tenantId).where('vendor', '=', vendor).execute();
    await db
      .updateTable('sync_state')
      .set((eb) => ({
        checkpoint: null,
        resume: null,
        history_from: null,
        backfill_until: null,
        last_success_at: null,
        last_reconcile_at: null,
        last_error: null,
        consecutive_failures: 0,
        state: 'idle',
        updated_at: now,
        data_version: eb('data_version', '+', 1),
      }))
      .where('tenant_id', '=', tenantId)
      .where('vendor', '=', vendor)
      .execute();
  }

  /** Every stream's standing, for health and for the metrics a copy reports from boot. */
  async overview(): Promise<StreamStanding[]> {
    const rows = await this.platform.db.selectFrom('sync_state').select(['tenant_id', 'stream', 'state', 'last_success_at', 'last_error', 'consecutive_failures']).execute();
    return rows.map((r) => ({ ...r, consecutive_failures: Number(r.consecutive_failures) }));
  }

  /** Soft-deletes one live row, unless what is stored changed after the tombstone; 1 when it did. */
  private async tombstone(db: PlatformExecutor, key: StreamKey, change: ReplicaChange, now: string, runId: string): Promise<number> {
    let query = db
      .updateTable('replica_records')
      .set({ deleted_at: now, changed_at: now, run_id: runId })
      .where('tenant_id', '=', key.tenantId)
      .where('stream', '=', key.stream)
      .where('vendor_id', '=', change.vendorId)
      .where('deleted_at', 'is', null);
    if (change.vendorUpdatedAt !== null) query = query.where((eb) => eb.or([eb('vendor_updated_at', 'is', null), eb('vendor_updated_at', '<=', change.vendorUpdatedAt)]));
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The state after a write, the data version bumped when a row changed, and the run's counters moved: same transaction. */
  private async afterWrite(trx: PlatformExecutor, key: StreamKey, counts: ChangeCounts, patch: SyncStatePatch, now: string, runId: string): Promise<void> {
    const wrote = counts.inserted + counts.changed + counts.deleted > 0;
    await trx
      .updateTable('sync_state')
      .set((eb) => ({ ...toColumns(patch), updated_at: now, ...(wrote ? { data_version: eb('data_version', '+', 1) } : {}) }))
      .where('tenant_id', '=', key.tenantId)
      .where('stream', '=', key.stream)
      .execute();
    await trx
      .updateTable('sync_runs')
      .set((eb) => ({
        seen: eb('seen', '+', counts.seen),
        inserted: eb('inserted', '+', counts.inserted),
        changed: eb('changed', '+', counts.changed),
        deleted: eb('deleted', '+', counts.deleted),
      }))
      .where('id', '=', runId)
      .execute();
  }
}

/** The stored change is not newer than the incoming one (ISO 8601 UTC strings compare as times; unknown stamps do not block). */
function notNewer(eb: ExpressionBuilder<OnConflictDatabase<PlatformDatabase, 'replica_records'>, OnConflictTables<'replica_records'>>) {
  return eb.or([
    eb('replica_records.vendor_updated_at', 'is', null),
    eb('excluded.vendor_updated_at', 'is', null),
    eb('replica_records.vendor_updated_at', '<=', eb.ref('excluded.vendor_updated_at')),
  ]);
}

function staleRun(state: string, updatedAt: string): boolean {
  return state === 'running' && Date.now() - Date.parse(updatedAt) > STALE_RUN_MS;
}

function toColumns(patch: SyncStatePatch): Updateable<SyncStateTable> {
  const columns: Updateable<SyncStateTable> = {};
  if (patch.checkpoint !== undefined) columns.checkpoint = patch.checkpoint;
  if (patch.resume !== undefined) columns.resume = Object.keys(patch.resume).length > 0 ? JSON.stringify(patch.resume) : null;
  if (patch.historyFrom !== undefined) columns.history_from = patch.historyFrom;
  if (patch.backfillUntil !== undefined) columns.backfill_until = patch.backfillUntil;
  if (patch.lastSuccessAt !== undefined) columns.last_success_at = patch.lastSuccessAt;
  if (patch.lastReconcileAt !== undefined) columns.last_reconcile_at = patch.lastReconcileAt;
  if (patch.lastOpenReconcileAt !== undefined) columns.last_open_reconcile_at = patch.lastOpenReconcileAt;
  if (patch.lastError !== undefined) columns.last_error = patch.lastError;
  if (typeof patch.consecutiveFailures === 'number') columns.consecutive_failures = patch.consecutiveFailures;
  if (patch.state !== undefined) columns.state = patch.state;
  return columns;
}

/** A change instant as epoch ms; NaN when unknown, which compares as not newer (as `notNewer`: unknown stamps do not block). */
function instantMs(at: string | null): number {
  return at === null ? Number.NaN : Date.parse(at);
}
