import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { indexBytes } from '../common/record-index/index-cache.js';
import { liveConfig } from '../config/live.config.js';
import { syncConfig } from '../config/sync.config.js';
import { DOMAIN_NAMES, type DomainName } from '../config/domains-and-vendors.js';
import type { ReplicaRecords } from '../source-binding/replica-source.js';
import { estimateBytes } from './entry-bytes.js';
import { noteReplicaRead, oncePerRequest } from './replica-request.js';
import { PlatformDb } from '../platform/platform-db.js';
import { PlatformStore } from '../platform/platform.store.js';
import { ReplicaRepository } from '../sync/replica.repository.js';
import type { SyncState } from '../sync/replica.types.js';
import { STREAM_NAMES, type StreamName } from '../sync/stream.js';
import { streamKeyOf } from '../sync/sync-jobs.js';
import { SYNC_DEGRADED_INTERVALS } from '../sync/sync.health.js';
import { STREAMS } from '../sync/vendor-stream-fetchers.js';
import { SyncScheduler } from '../sync/sync-scheduler.js';
import { firstSyncFailure, retryAfterFailure, SyncInProgressError } from './replica-errors.js';

/** The streams each domain is read from, with their vendor, from the sync's one table (members feed none: their emails are in the records). */
const DOMAIN_STREAMS = {} as Record<DomainName, ReadonlyArray<{ stream: StreamName; vendor: string }>>;
for (const domain of DOMAIN_NAMES) {
  DOMAIN_STREAMS[domain] = STREAM_NAMES.filter((s) => STREAMS[s].domain === domain).map((stream) => ({ stream, vendor: STREAMS[stream].vendor }));
}

const NO_RECORDS: readonly unknown[] = [];

/** How often a read waiting for a first sync looks at the stream's state. */
const FIRST_SYNC_POLL_MS = 50;
/** Loads retried when a sync wrote between a load's first and last batch, before one is read in a single transaction. */
const CONSISTENT_LOAD_TRIES = 3;
/** What an entry costs besides its records: the key, the entry and the LRU's bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 256;

interface Entry {
  version: number;
  records: readonly unknown[];
}

/** A stream the tenant has, in the state a read found it. */
export interface StreamRead {
  stream: StreamName;
  vendor: string;
  state: SyncState;
}

/**
 * Reads a tenant's replica (docs/live-replica.md): each tenant×stream's mapped rows, parsed once per
 * data version and kept in a byte-bounded LRU (SNAPSHOT_CACHE_MAX_MB, records and their indexes); a sync
 * that changed nothing keeps the entry (and the ETag). A stream never synced is synced first (the read
 * waits up to FIRST_SYNC_WAIT_MS, or until this copy shuts down and stops its syncs); a read never calls a vendor.
 */
@Injectable()
export class ReplicaReads implements ReplicaRecords, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReplicaReads.name);
  private readonly cache: LRUCache<string, Entry>;
  private readonly loading = new Map<string, Promise<Entry>>();
  private readonly firstSyncs = new Map<string, Promise<SyncState>>();
  /** Bytes of each entry's records, estimated once per load. */
  private readonly recordBytes = new WeakMap<readonly unknown[], number>();
  private readonly touched = new Set<string>();
  /** Tenant×stream → history_from as its last read found it (bounded by the streams that exist). */
  private readonly historyFrom = new Map<string, string | null>();
  /** A domain's streams concatenated, keyed by the first stream's records: one array (so one index) while none of them changes. */
  private readonly joined = new WeakMap<readonly unknown[], { parts: ReadonlyArray<readonly unknown[]>; all: unknown[] }>();
  private remeasureScheduled = false;
  private readonly staleAfterMs: number;
  private readonly waitMs: number;
  /** The vendor calls' settings: the breaker's cooldown says when a run refused by an open circuit is tried again. */
  private readonly vendorHttp: ConfigType<typeof liveConfig>['http'];
  private readonly intervalMs: number;
  /** Set at shutdown: this copy's syncs are stopped, so a first-sync wait has nothing left to wait for. */
  private stopping = false;

  constructor(
    private readonly replica: ReplicaRepository,
    private readonly scheduler: SyncScheduler,
    private readonly platform: PlatformStore,
    @Inject(liveConfig.KEY) live: ConfigType<typeof liveConfig>,
    @Inject(syncConfig.KEY) sync: ConfigType<typeof syncConfig>,
    /** Only to read when a failed first sync was recorded. */
    private readonly platformDb: PlatformDb,
  ) {
    this.staleAfterMs = SYNC_DEGRADED_INTERVALS * sync.intervalMs;
    this.waitMs = sync.firstSyncWaitMs;
    this.vendorHttp = live.http;
    this.intervalMs = sync.intervalMs;
    this.cache = new LRUCache({ maxSize: live.localMaxBytes, sizeCalculation: (entry, key) => this.bytesOf(key, entry) });
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  /** What the cache holds, as estimated, against its budget. */
  usage(): { entries: number; bytes: number; maxBytes: number } {
    return { entries: this.cache.size, bytes: this.cache.calculatedSize, maxBytes: this.cache.maxSize };
  }

  /**
   * The streams of `domain` the tenant has an integration for (the platform's cached integrations), in
   * their current state (undefined: never synced). Those synced are noted in the request, so an answer
   * decided before reading (a 304) carries their headers too; a read then notes what it served.
   */
  async streamsOf(tenantId: string, domain: DomainName): Promise<Array<{ stream: StreamName; vendor: string; state: SyncState | undefined }>> {
    const vendors = await this.platform.integrationVendors(tenantId);
    const held = DOMAIN_STREAMS[domain].filter((s) => vendors.has(s.vendor));
    return Promise.all(
      held.map(async (s) => {
        const state = await this.replica.getState(tenantId, s.stream);
        if (state?.lastSuccessAt) noteReplicaRead(s.stream, { vendor: s.vendor, lastSuccessAt: state.lastSuccessAt, dataVersion: state.dataVersion, stale: this.isStale(state) });
        return { ...s, state };
      }),
    );
  }

  /** The domain's records for the tenant, every stream it has concatenated; noted in the request for its headers. */
  async records<T>(tenantId: string, domain: DomainName): Promise<T[]> {
    const streams = await this.streamsOf(tenantId, domain);
    const lists = await Promise.all(
      streams.map(async ({ stream, vendor, state }) => {
        const synced = state?.lastSuccessAt ? state : await this.firstSync(tenantId, stream, vendor, state);
        // One answer reads a stream once: a later read of it (a reference lookup, another domain of a summary) gets the same rows, whatever a sync finished meanwhile.
        const entry = await oncePerRequest(`rows:${streamKeyOf({ tenantId, stream })}`, () => this.load(tenantId, stream, synced));
        this.historyFrom.set(streamKeyOf({ tenantId, stream }), synced.historyFrom);
        noteReplicaRead(stream, { vendor, lastSuccessAt: synced.lastSuccessAt as string, dataVersion: entry.version, stale: this.isStale(synced) });
        return entry.records as T[];
      }),
    );
    return lists.length <= 1 ? ((lists[0] ?? NO_RECORDS) as T[]) : (this.join(lists) as T[]);
  }

  private join(lists: ReadonlyArray<readonly unknown[]>): unknown[] {
    const last = this.joined.get(lists[0]);
    if (last && last.parts.length === lists.length && lists.every((list, i) => list === last.parts[i])) return last.all;
    const all = lists.flat();
    this.joined.set(lists[0], { parts: lists, all });
    return all;
  }

  /** Where the domain's synced history starts for the tenant (the latest of its streams'), as last read; undefined when unknown. */
  syncedSince(tenantId: string, domain: DomainName): Date | undefined {
    const starts = DOMAIN_STREAMS[domain].flatMap(({ stream }) => this.historyFrom.get(streamKeyOf({ tenantId, stream })) ?? []).map((at) => Date.parse(at));
    return starts.length === 0 ? undefined : new Date(Math.max(...starts));
  }

  isStale(state: SyncState): boolean {
    return state.state === 'failed' || state.lastSuccessAt === null || Date.now() - Date.parse(state.lastSuccessAt) > this.staleAfterMs;
  }

  /** Starts the stream's first sync (once per process) and waits for it: its state once served, or the failure to answer. */
  private async firstSync(tenantId: string, stream: StreamName, vendor: string, found: SyncState | undefined): Promise<SyncState> {
    // Failed and never served: the vendor's failure is the answer until a scheduled retry succeeds.
    if (found?.state === 'failed' && found.lastError) throw await this.firstSyncFailed(tenantId, stream, vendor, found.lastError);
    const key = streamKeyOf({ tenantId, stream });
    let waiting = this.firstSyncs.get(key);
    if (!waiting) {
      waiting = this.awaitFirstSync(tenantId, stream, vendor, found?.consecutiveFailures ?? 0).finally(() => this.firstSyncs.delete(key));
      this.firstSyncs.set(key, waiting);
    }
    return waiting;
  }

  private async awaitFirstSync(tenantId: string, stream: StreamName, vendor: string, failuresBefore: number): Promise<SyncState> {
    await this.scheduler.trigger(tenantId, stream);
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const state = await this.replica.getState(tenantId, stream);
      if (state?.lastSuccessAt) return state;
      if (state?.state === 'failed' && state.consecutiveFailures > failuresBefore && state.lastError) throw await this.firstSyncFailed(tenantId, stream, vendor, state.lastError);
      const left = deadline - Date.now();
      // Draining: the run is interrupted (another copy resumes it), so answer 503 now rather than hold the drain.
      if (left <= 0 || this.stopping) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(FIRST_SYNC_POLL_MS, left)));
    }
    const records = await this.replica.countLive(tenantId, stream);
    throw new SyncInProgressError(tenantId, stream, records, Math.max(1, Math.ceil(this.waitMs / 1000)));
  }

  /** The recorded failure as the read's answer: secrets this copy cannot decrypt, or the vendor's failure with Retry-After counted from when it was recorded (the state's last write). */
  private async firstSyncFailed(tenantId: string, stream: StreamName, vendor: string, lastError: string): Promise<Error> {
    const row = await this.platformDb.db
      .selectFrom('sync_state')
      .select('updated_at')
      .where('tenant_id', '=', tenantId)
      .where('stream', '=', stream)
      .executeTakeFirst();
    const failedAt = row ? Date.parse(row.updated_at) : Date.now();
    return firstSyncFailure(tenantId, vendor, lastError, retryAfterFailure(lastError, failedAt, { cooldownMs: this.vendorHttp.halfOpenAfterMs, intervalMs: this.intervalMs }));
  }

  /**
   * The stream's records at the version of `state` or newer: cached, or loaded once (concurrent readers
   * share the load). A running sync moves the version page by page: the rows loaded before it (any
   * cached version) are served until it ends.
   */
  private async load(tenantId: string, stream: StreamName, state: SyncState): Promise<Entry> {
    const key = streamKeyOf({ tenantId, stream });
    const cached = this.cache.get(key);
    if (cached && (state.state === 'running' || cached.version >= state.dataVersion)) return this.touch(key, cached);
    let flight = this.loading.get(key);
    if (!flight) {
      flight = this.loadConsistent(tenantId, stream, state.dataVersion)
        .then((entry) => {
          this.cache.set(key, entry);
          if (!this.cache.has(key)) this.logger.warn(`${key} alone is larger than SNAPSHOT_CACHE_MAX_MB: served, not kept`);
          return entry;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, flight);
    }
    return this.touch(key, await flight);
  }

  /**
   * All live rows at one data version, never two: batches read between two reads of the version (the
   * first is the state the read already has), again if a sync wrote between them; after
   * CONSISTENT_LOAD_TRIES, in one transaction (which holds a connection, so only when syncs keep writing).
   */
  private async loadConsistent(tenantId: string, stream: StreamName, known: number): Promise<Entry> {
    let before = known;
    for (let tries = 1; tries <= CONSISTENT_LOAD_TRIES; tries++) {
      const records: unknown[] = [];
      for await (const batch of this.replica.readLive(tenantId, stream)) for (const record of batch) records.push(record);
      const after = (await this.replica.getState(tenantId, stream))?.dataVersion ?? 0;
      if (after === before) return { version: before, records };
      before = after;
    }
    return this.replica.readSnapshot(tenantId, stream);
  }

  private bytesOf(key: string, entry: Entry): number {
    let records = this.recordBytes.get(entry.records);
    if (records === undefined) this.recordBytes.set(entry.records, (records = estimateBytes(entry.records)));
    return Math.ceil(ENTRY_OVERHEAD_BYTES + 2 * key.length + records + indexBytes(entry.records));
  }

  /** Once this turn's queries have built their indexes, the entry is measured again so they count against the budget. */
  private touch(key: string, entry: Entry): Entry {
    this.touched.add(key);
    if (!this.remeasureScheduled) {
      this.remeasureScheduled = true;
      setImmediate(() => this.remeasure());
    }
    return entry;
  }

  private remeasure(): void {
    this.remeasureScheduled = false;
    for (const key of this.touched) {
      const entry = this.cache.peek(key);
      const before = this.cache.info(key)?.size;
      if (!entry || before === undefined) continue;
      const size = this.bytesOf(key, entry);
      // A copy, as the LRU keeps the size of a value set again unchanged.
      if (size !== before) this.cache.set(key, { ...entry }, { size });
    }
    this.touched.clear();
  }
}
