import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Vendor } from '../platform/integration-bodies.dto.js';
import type { PlatformExecutor } from '../platform/platform-db.js';
import { ReplicaRepository } from '../sync/replica.repository.js';
import type { StreamKey } from '../sync/replica.types.js';
import { STREAM_NAMES } from '../sync/stream.js';
import { STREAM_FETCHERS, type StreamFetchers } from '../sync/stream-fetchers.js';
import { SyncRunner } from '../sync/sync-runner.js';
import { SyncRunsRepository } from '../sync/sync-runs.repository.js';
import { SyncScheduler } from '../sync/sync-scheduler.js';
import { STREAMS } from '../sync/vendor-stream-fetchers.js';
import type { Tenant } from '../tenants/tenant.record.js';
import type { SyncQueued, SyncStreamInfo, TenantSyncStatus } from './admin-sync.dto.js';

/** The sync, when registered (anything live); in full mock mode nothing syncs, so every tenant has no stream. */
@Injectable()
export class AdminSyncService {
  constructor(
    @Optional() @Inject(STREAM_FETCHERS) private readonly fetchers?: StreamFetchers,
    @Optional() private readonly replica?: ReplicaRepository,
    @Optional() private readonly runs?: SyncRunsRepository,
    @Optional() private readonly scheduler?: SyncScheduler,
    @Optional() private readonly runner?: SyncRunner,
  ) {}

  async status(tenant: Tenant): Promise<TenantSyncStatus> {
    const now = Date.now();
    const streams = await Promise.all((await this.streamsOf(tenant.id)).map((key) => this.streamInfo(key, now)));
    return { streams };
  }

  /** Queues a run of each of the tenant's streams now (a full re-sync when asked); a stream already queued keeps its one job. */
  async trigger(tenant: Tenant, full: boolean): Promise<SyncQueued> {
    const keys = await this.streamsOf(tenant.id);
    for (const key of keys) await this.scheduler?.trigger(key.tenantId, key.stream, full ? 'full' : undefined);
    return { queued: keys.map((k) => k.stream) };
  }

  /** The vendor's integration now names another source: its streams start over, inside the caller's transaction. */
  async resetVendor(tenantId: string, vendor: Vendor, db: PlatformExecutor): Promise<void> {
    await this.replica?.resetVendor(tenantId, vendor, new Date().toISOString(), db);
  }

  /** The vendor's integration is gone (its replica rows with it): its streams' metrics series go too. */
  forgetVendor(tenantId: string, vendor: Vendor): void {
    for (const stream of STREAM_NAMES) if (STREAMS[stream].vendor === vendor) this.runner?.forget(tenantId, stream);
  }

  private async streamsOf(tenantId: string): Promise<StreamKey[]> {
    if (!this.fetchers || !this.scheduler) return [];
    const keys = (await this.fetchers.streams()).filter((k) => k.tenantId === tenantId);
    return keys.sort((a, b) => STREAM_NAMES.indexOf(a.stream) - STREAM_NAMES.indexOf(b.stream));
  }

  private async streamInfo(key: StreamKey, now: number): Promise<SyncStreamInfo> {
    const replica = this.replica as ReplicaRepository;
    const [state, records, [run]] = await Promise.all([
      replica.getState(key.tenantId, key.stream),
      replica.countLive(key.tenantId, key.stream),
      (this.runs as SyncRunsRepository).recent(key.tenantId, key.stream, 1),
    ]);
    const lastSuccess = state?.lastSuccessAt ?? null;
    return {
      stream: key.stream,
      vendor: key.vendor,
      domain: STREAMS[key.stream]?.domain ?? null,
      state: state?.state ?? 'idle',
      last_success_at: lastSuccess,
      lag_seconds: lastSuccess === null ? null : Math.max(0, Math.round((now - Date.parse(lastSuccess)) / 1000)),
      records,
      history_from: state?.historyFrom ?? null,
      last_error: state?.lastError ?? null,
      last_run: run
        ? {
            kind: run.kind,
            started_at: run.started_at,
            finished_at: run.finished_at ?? null,
            vendor_calls: Number(run.vendor_calls),
            http_429: Number(run.http_429),
            waited_ms: Number(run.waited_ms),
            seen: Number(run.seen),
            inserted: Number(run.inserted),
            changed: Number(run.changed),
            deleted: Number(run.deleted),
          }
        : null,
    };
  }
}
