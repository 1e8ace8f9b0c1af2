import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { VendorBudgetWaitOutcome, VendorCallMetrics, VendorCallOutcome } from '../integrations/http/vendor-call-metrics.js';

/** How a sync run was asked for (api-contract v1.2, `last_run.kind`). */
export type SyncRunKind = 'incremental' | 'backfill' | 'reconcile' | 'full';
/** How a sync run ended: every page stored, or stopped by a failure (the vendor's, the store's, or a shutdown). */
export type SyncRunOutcome = 'success' | 'failure';

/** The `route` of a request no route matched (404, 405): the raw URL would make the label unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

const SYNC_RUN_BUCKETS = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

let processRegistry: Registry | undefined;

// prom-client's default metrics, once per process: their collectors (event-loop delay monitor, GC observer) are never stopped.
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The service's Prometheus instruments, in a registry of this app's own (never prom-client's global
 * one: several apps may run in one process, e.g. in tests). `GET /metrics` exposes them with the
 * process's default metrics. Labels stay bounded: route patterns, vendors, stream names, tenants;
 * never a raw URL or a record id.
 *
 * For the sync engine (src/sync/), per (tenant, stream) and per run:
 * - `syncSucceeded(tenant, stream, at)` after each successful run, with its instant (or, at boot, the
 *   last success read from the store): `sync_lag_seconds` is the time since then, computed at each scrape,
 *   so it keeps growing while syncs fail or stop;
 * - `syncRunFinished(stream, kind, outcome, seconds)` once per run, whatever its outcome;
 * - `replicaRecords(tenant, stream, count)` whenever a run changed the stream's live record count;
 * - `forget(tenant, stream?)` when a tenant, or one stream of it, is no longer synced, so its series go.
 */
@Injectable()
export class Metrics implements VendorCallMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly vendorRequests: Counter<'vendor' | 'outcome'>;
  private readonly vendorRateLimited: Counter<'vendor'>;
  private readonly vendorBudgetWaits: Counter<'vendor' | 'outcome'>;
  private readonly syncLag: Gauge<'tenant' | 'stream'>;
  private readonly syncRunDuration: Histogram<'stream' | 'kind' | 'outcome'>;
  private readonly replicaRecordCount: Gauge<'tenant' | 'stream'>;
  /** Last successful sync (epoch ms), by tenant then stream. */
  private readonly lastSuccess = new Map<string, Map<string, number>>();
  /** Streams with a record count, by tenant. */
  private readonly counted = new Map<string, Set<string>>();

  constructor() {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.vendorRequests = new Counter({
      name: 'vendor_requests_total',
      help: 'Requests sent to a vendor (each retry counts), by how they ended.',
      labelNames: ['vendor', 'outcome'],
      registers,
    });
    this.vendorRateLimited = new Counter({
      name: 'vendor_rate_limited_total',
      help: 'Vendor answers 429 (rate limited).',
      labelNames: ['vendor'],
      registers,
    });
    this.vendorBudgetWaits = new Counter({
      name: 'vendor_budget_waits_total',
      help: "Requests that found their credential's request budget spent: waited out briefly, or deferred (nothing sent; a sync run is rescheduled).",
      labelNames: ['vendor', 'outcome'],
      registers,
    });
    const lastSuccess = this.lastSuccess;
    this.syncLag = new Gauge({
      name: 'sync_lag_seconds',
      help: "Seconds since a tenant's stream last synced successfully.",
      labelNames: ['tenant', 'stream'],
      registers,
      collect() {
        const now = Date.now();
        for (const [tenant, streams] of lastSuccess) {
          for (const [stream, at] of streams) this.set({ tenant, stream }, Math.max(0, (now - at) / 1000));
        }
      },
    });
    this.syncRunDuration = new Histogram({
      name: 'sync_run_duration_seconds',
      help: 'Duration of sync runs, by stream, kind and outcome.',
      labelNames: ['stream', 'kind', 'outcome'],
      buckets: SYNC_RUN_BUCKETS,
      registers,
    });
    this.replicaRecordCount = new Gauge({
      name: 'replica_records',
      help: "Records a tenant's stream holds in the replica (deleted ones excluded).",
      labelNames: ['tenant', 'stream'],
      registers,
    });
    processMetrics();
  }

  /** Prometheus text format 0.0.4, as `GET /metrics` declares it. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of this app's metrics and the process's default metrics. */
  async exposition(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${process}`;
  }

  /** One answered HTTP request; `route` is the matched route pattern (undefined when none matched). */
  httpRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route: route ?? UNMATCHED_ROUTE, status }, seconds);
  }

  vendorCall(vendor: string, outcome: VendorCallOutcome): void {
    this.vendorRequests.inc({ vendor, outcome });
    if (outcome === 'rate_limited') this.vendorRateLimited.inc({ vendor });
  }

  vendorBudgetWait(vendor: string, _waitMs: number, outcome: VendorBudgetWaitOutcome): void {
    this.vendorBudgetWaits.inc({ vendor, outcome });
  }

  /** The stream's last successful sync, at `at` (Date or epoch ms): `sync_lag_seconds` counts from it. */
  syncSucceeded(tenant: string, stream: string, at: Date | number = Date.now()): void {
    let streams = this.lastSuccess.get(tenant);
    if (streams === undefined) this.lastSuccess.set(tenant, (streams = new Map()));
    streams.set(stream, typeof at === 'number' ? at : at.getTime());
  }

  /** One sync run of `stream` ended after `seconds`. */
  syncRunFinished(stream: string, kind: SyncRunKind, outcome: SyncRunOutcome, seconds: number): void {
    this.syncRunDuration.observe({ stream, kind, outcome }, seconds);
  }

  /** The records the replica holds for the tenant's stream now. */
  replicaRecords(tenant: string, stream: string, count: number): void {
    let streams = this.counted.get(tenant);
    if (streams === undefined) this.counted.set(tenant, (streams = new Set()));
    streams.add(stream);
    this.replicaRecordCount.set({ tenant, stream }, count);
  }

  /** Drops the per-tenant series of a tenant (or of one of its streams) that is no longer synced. */
  forget(tenant: string, stream?: string): void {
    const synced = this.lastSuccess.get(tenant);
    for (const name of stream === undefined ? [...(synced?.keys() ?? [])] : [stream]) {
      synced?.delete(name);
      this.syncLag.remove({ tenant, stream: name });
    }
    if (synced?.size === 0) this.lastSuccess.delete(tenant);
    const counted = this.counted.get(tenant);
    for (const name of stream === undefined ? [...(counted ?? [])] : [stream]) {
      counted?.delete(name);
      this.replicaRecordCount.remove({ tenant, stream: name });
    }
    if (counted?.size === 0) this.counted.delete(tenant);
  }
}
