import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { VendorCallMetrics } from '../integrations/http/vendor-call-metrics.js';
import { PlatformDb } from '../platform/platform-db.js';
import type { SyncRunsTable } from '../platform/platform.schema.js';
import type { RunKind, StreamKey } from './replica.types.js';
import type { StreamName } from './stream.js';

/** What the vendor client counted during a run (calls, 429 answers, time spent waiting on Retry-After). */
export interface VendorMeter {
  calls: number;
  http429: number;
  waitedMs: number;
}

export const newMeter = (): VendorMeter => ({ calls: 0, http429: 0, waitedMs: 0 });

/** What a run's vendor client reports into its meter: every request (retries included), its 429s, its sleeps before retries and for a spent budget. */
export function meterObserver(meter: VendorMeter): VendorCallMetrics {
  return {
    vendorCall: (_vendor, outcome) => {
      meter.calls++;
      if (outcome === 'rate_limited') meter.http429++;
    },
    waited: (_vendor, ms) => {
      meter.waitedMs += ms;
    },    vendorBudgetWait: (_vendor, waitMs, outcome) => {
      if (outcome === 'waited') meter.waitedMs += waitMs;
    },
  };
}

export type SyncRun = SyncRunsTable;

/** The `sync_runs` table: one row per run, its counters moved with each page it wrote. */
@Injectable()
export class SyncRunsRepository {
  constructor(private readonly platform: PlatformDb) {}

  async start(key: StreamKey, kind: RunKind, now: string): Promise<string> {
    const id = randomUUID();
    await this.platform.db
      .insertInto('sync_runs')
      .values({ id, tenant_id: key.tenantId, stream: key.stream, vendor: key.vendor, kind, started_at: now, vendor_calls: 0, http_429: 0, waited_ms: 0, seen: 0, inserted: 0, changed: 0, deleted: 0 })
      .execute();
    return id;
  }

  async finish(id: string, outcome: { at: string; meter: VendorMeter; error?: string; note?: string }): Promise<void> {
    await this.platform.db
      .updateTable('sync_runs')
      .set({
        finished_at: outcome.at,
        vendor_calls: outcome.meter.calls,
        http_429: outcome.meter.http429,
        waited_ms: Math.round(outcome.meter.waitedMs),
        error: outcome.error ?? null,
        note: outcome.note ?? null,
      })
      .where('id', '=', id)
      .execute();
  }

  async get(id: string): Promise<SyncRun | undefined> {
    return this.platform.db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The stream's runs, newest first. */
  async recent(tenantId: string, stream: StreamName, limit = 20): Promise<SyncRun[]> {
    return this.platform.db
      .selectFrom('sync_runs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('stream', '=', stream)
      .orderBy('started_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
  }
}
