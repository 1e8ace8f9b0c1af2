import { Injectable } from '@nestjs/common';
import type { Updateable } from 'kysely';
import { PlatformDb, PlatformExecutor } from '../platform/platform-db.js';
import type { SyncStateTable } from '../platform/platform.schema.js';
import { contentHash } from './content-hash.js';
import type { ChangeCounts, ReplicaChange, StreamKey, SyncState, SyncStatePatch, SyncStateName } from './replica.types.js';
import type { StreamName } from './stream.js';

/** Ids looked up per query, and rows inserted per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const LOOKUP_CHUNK = 500;
const INSERT_CHUNK = 100;
/** Rows per read batch: a 100 000-row stream is read in 20 short queries, never held by one cursor. */
export const READ_BATCH = 5_000;

/** How a run's row counters move with the page it wrote (same transaction). */
export interface RunIncrement {
  runId: string;
  counts: ChangeCounts;
}

interface Existing {
  vendor_id: string;
  content_hash: string;
  deleted_at: string | null;
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
      lastError: row.last_error,
      consecutiveFailures: Number(row.consecutive_failures),
      dataVersion: Number(row.data_version),
      state: row.state as SyncStateName,
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

  /** One page and the state after it, all or nothing, so a run resumes exactly after its last written page. */
  async commitPage(key: StreamKey, changes: ReplicaChange[], patch: SyncStatePatch, now: string, run: { id: string }): Promise<ChangeCounts> {
    const latest = new Map<string, ReplicaChange>();
    for (const change of changes) latest.set(change.vendorId, change);
    return this.platform.transaction(async (trx) => {
      const existing = await this.existing(trx, key, [...latest.keys()]);
      const counts: ChangeCounts = { seen: changes.length, inserted: 0, changed: 0, deleted: 0 };
      const inserts = [];
      for (const change of latest.values()) {
        const stored = existing.get(change.vendorId);
        if (change.deleted) {
          if (!stored || stored.deleted_at !== null) continue;
          await this.rowUpdate(trx, key, change.vendorId, { deleted_at: now, changed_at: now, run_id: run.id });
          counts.deleted += 1;
          continue;
        }
        const hash = contentHash(change.raw);
        if (stored && stored.content_hash === hash && stored.deleted_at === null) continue;
        const values = {
          raw: JSON.stringify(change.raw),
          mapped: change.mapped === null || change.mapped === undefined ? null : JSON.stringify(change.mapped),
          vendor_updated_at: change.vendorUpdatedAt,
          content_hash: hash,
          changed_at: now,
          deleted_at: null,
          run_id: run.id,
        };
        if (stored) {
          await this.rowUpdate(trx, key, change.vendorId, values);
          counts.changed += 1;
        } else {
          inserts.push({ tenant_id: key.tenantId, stream: key.stream, vendor: key.vendor, vendor_id: change.vendorId, first_seen_at: now, ...values });
          counts.inserted += 1;
        }
      }
      for (let i = 0; i < inserts.length; i += INSERT_CHUNK) await trx.insertInto('replica_records').values(inserts.slice(i, i + INSERT_CHUNK)).execute();
      await this.afterWrite(trx, key, counts, patch, now, run.id);
      return counts;
    });
  }

  /** Soft-deletes live rows in scope the vendor no longer lists, unless over `maxFraction` would go (a vendor glitch, not deletions). */
  async softDeleteMissing(
    key: StreamKey,
    present: ReadonlySet<string>,
    scope: { from?: string; maxFraction: number },
    patch: SyncStatePatch,
    now: string,
    runId: string,
  ): Promise<{ deleted: number; live: number; vanished: number; refused: boolean }> {
    return this.platform.transaction(async (trx) => {
      let query = trx
        .selectFrom('replica_records')
        .select('vendor_id')
        .where('tenant_id', '=', key.tenantId)
        .where('stream', '=', key.stream)
        .where('deleted_at', 'is', null);
      if (scope.from) query = query.where((eb) => eb.or([eb('vendor_updated_at', '>=', scope.from!), eb('vendor_updated_at', 'is', null)]));
      const live = (await query.execute()).map((r) => r.vendor_id);
      const vanished = live.filter((id) => !present.has(id));
      const refused = live.length > 0 && vanished.length / live.length > scope.maxFraction;
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
      return { deleted: counts.deleted, live: live.length, vanished: vanished.length, refused };
    });
  }

  /** The mapped records of a tenant×stream that are not deleted, in id order, a batch at a time. */
  async *readLive(tenantId: string, stream: StreamName, batchSize = READ_BATCH): AsyncGenerator<unknown[]> {
    let after: string | undefined;
    for (;;) {
      let query = this.platform.db
        .selectFrom('replica_records')
        .select(['vendor_id', 'mapped'])
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

  private async existing(db: PlatformExecutor, key: StreamKey, ids: string[]): Promise<Map<string, Existing>> {
    const found = new Map<string, Existing>();
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      const rows = await db
        .selectFrom('replica_records')
        .select(['vendor_id', 'content_hash', 'deleted_at'])
        .where('tenant_id', '=', key.tenantId)
        .where('stream', '=', key.stream)
        .where('vendor_id', 'in', ids.slice(i, i + LOOKUP_CHUNK))
        .execute();
      for (const row of rows) found.set(row.vendor_id, row);
    }
    return found;
  }

  private async rowUpdate(db: PlatformExecutor, key: StreamKey, vendorId: string, values: Record<string, string | null>): Promise<void> {
    await db
      .updateTable('replica_records')
      .set(values)
      .where('tenant_id', '=', key.tenantId)
      .where('stream', '=', key.stream)
      .where('vendor_id', '=', vendorId)
      .execute();
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

function toColumns(patch: SyncStatePatch): Updateable<SyncStateTable> {
  const columns: Updateable<SyncStateTable> = {};
  if (patch.checkpoint !== undefined) columns.checkpoint = patch.checkpoint;
  if (patch.resume !== undefined) columns.resume = Object.keys(patch.resume).length > 0 ? JSON.stringify(patch.resume) : null;
  if (patch.historyFrom !== undefined) columns.history_from = patch.historyFrom;
  if (patch.backfillUntil !== undefined) columns.backfill_until = patch.backfillUntil;
  if (patch.lastSuccessAt !== undefined) columns.last_success_at = patch.lastSuccessAt;
  if (patch.lastReconcileAt !== undefined) columns.last_reconcile_at = patch.lastReconcileAt;
  if (patch.lastError !== undefined) columns.last_error = patch.lastError;
  if (typeof patch.consecutiveFailures === 'number') columns.consecutive_failures = patch.consecutiveFailures;
  if (patch.state !== undefined) columns.state = patch.state;
  return columns;
}
