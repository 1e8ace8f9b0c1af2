import { Injectable, Logger } from '@nestjs/common';
import type { ReconcileScope, RunKind, SyncState } from './replica.types.js';
import type { StreamName } from './stream.js';
import { rateLimitWaitMs, RunInterruptedError, StreamGoneError } from './sync-failure.js';
import { SyncRunner } from './sync-runner.js';

/** The open records' ids are walked for deletions this often (TopLeft applies deletes every 30 min; ids-only walks are cheap, deletions rarely urgent). */
export const RECONCILE_OPEN_EVERY_MS = 60 * 60_000;
/** The recent window's ids (a longer list) are walked this often. */
export const RECONCILE_WINDOW_EVERY_MS = 24 * 60 * 60_000;

/** The reconcile owed after an incremental, if any: the recent window daily (it covers the open records), else the open records hourly. */
export function reconcileDue(state: Pick<SyncState, 'lastReconcileAt' | 'lastOpenReconcileAt'>, reconcilable: false | 'window' | 'open', now: number): ReconcileScope | null {
  const due = (last: string | null, every: number) => last === null || now - Date.parse(last) >= every;
  if (!reconcilable) return null;
  if (due(state.lastReconcileAt, RECONCILE_WINDOW_EVERY_MS)) return 'window';
  return reconcilable === 'open' && due(state.lastOpenReconcileAt, RECONCILE_OPEN_EVERY_MS) ? 'open' : null;
}

/** A backfill's or reconcile's longest wait after failures (it doubles from one interval): it keeps being tried, never in the incrementals' way. */
export const MAX_OWED_BACKOFF_MS = 6 * 60 * 60_000;

export interface SyncJobData {
  tenantId: string;
  stream: StreamName;
  kind?: RunKind;
  /** A reconcile's scope (`window` when absent). */
  reconcile?: ReconcileScope;
  /** Failures in a row of the stream's backfill/reconcile, and when it may be tried again (epoch ms). */
  backoff?: { failures: number; notBefore: number };
  /** The vendor's Retry-After runs until then (epoch ms): no request for the stream starts before. */
  rateLimitedUntil?: number;
  /** Queued by the planner for a stream it saw without a queued job: a run's own successor replaces it. */
  planned?: boolean;
}

/** A stream's next job as queued: its data and when it may start (epoch ms). */
export interface QueuedJob {
  data: SyncJobData;
  startAt: number;
}

const KIND_RANK: Record<RunKind, number> = { incremental: 0, reconcile: 1, backfill: 2, full: 3 };
const rank = (kind: RunKind | undefined) => KIND_RANK[kind ?? 'incremental'];

/** Two requests for one stream's next job as one: the stronger kind (a pending full or trigger survives), the sooner start, never inside a Retry-After. */
export function composeJobs(queued: QueuedJob | undefined, next: QueuedJob): QueuedJob {
  if (!queued || queued.data.planned) return next;
  const kind = rank(next.data.kind) >= rank(queued.data.kind) ? next.data.kind : queued.data.kind;
  const limitedUntil = Math.max(queued.data.rateLimitedUntil ?? 0, next.data.rateLimitedUntil ?? 0);
  const backoff = next.data.backoff ?? queued.data.backoff;
  // Of two reconciles, the wider scope (the window covers the open records).
  const scopes = [queued.data, next.data].filter((d) => d.kind === 'reconcile').map((d) => d.reconcile ?? 'window');
  const scope = scopes.includes('window') ? 'window' : scopes[0];
  const data: SyncJobData = {
    tenantId: next.data.tenantId,
    stream: next.data.stream,
    ...(kind ? { kind } : {}),
    ...(kind === 'reconcile' && scope ? { reconcile: scope } : {}),
    ...(backoff ? { backoff } : {}),
    ...(limitedUntil > 0 ? { rateLimitedUntil: limitedUntil } : {}),
  };
  return { data, startAt: Math.max(Math.min(queued.startAt, next.startAt), limitedUntil) };
}

/** The job that follows: its data and how long from now it is due. Null: the stream is gone, its chain ends. */
export type NextJob = { data: SyncJobData; inMs: number } | null;

export class SyncJobsConfig {
  constructor(readonly intervalMs: number) {}
}

export const streamKeyOf = (data: { tenantId: string; stream: string }) => `${data.tenantId}|${data.stream}`;

/** One scheduled job of a tenant×stream, whichever queue runs it: one run, then the next job's kind and delay. */
@Injectable()
export class SyncJobs {
  private readonly logger = new Logger('SyncJobs');

  constructor(
    private readonly runner: SyncRunner,
    private readonly config: SyncJobsConfig,
  ) {}

  get intervalMs(): number {
    return this.config.intervalMs;
  }

  /** Throws only RunInterruptedError (the queue gives the job to another worker, which resumes it). */
  async handle(job: SyncJobData, stop: AbortSignal): Promise<NextJob> {
    const { planned: _planned, ...data } = job;
    const base = { tenantId: data.tenantId, stream: data.stream };
    const owedWork = data.kind === 'backfill' || data.kind === 'reconcile';
    // Incrementals always run each interval; owed work waits out its backoff and never replaces them.
    const waiting = data.backoff && Date.now() < data.backoff.notBefore ? { backoff: data.backoff } : {};
    try {
      const outcome = await this.runner.run(data.tenantId, data.stream, data.kind ?? 'incremental', stop, data.reconcile);
      const { state } = outcome;
      // A run that used up its time slice goes on at once from its resume point.
      if (outcome.partial) return { data: { ...data, kind: outcome.kind }, inMs: 0 };
      const carried = outcome.kind === 'backfill' || outcome.kind === 'reconcile' ? {} : data.backoff ? { backoff: data.backoff } : {};
      const mayOwe = !('backoff' in waiting) || outcome.kind === 'backfill' || outcome.kind === 'reconcile';
      if (mayOwe && outcome.kind !== 'backfill' && state.backfillUntil) return { data: { ...base, ...carried, kind: 'backfill' }, inMs: 0 };
      const scope = outcome.kind === 'incremental' ? reconcileDue(state, outcome.reconcilable, Date.now()) : null;
      if (mayOwe && scope) return { data: { ...base, ...carried, kind: 'reconcile', reconcile: scope }, inMs: 0 };
      return { data: { ...base, ...carried }, inMs: this.config.intervalMs };
    } catch (error) {
      if (error instanceof RunInterruptedError) throw error;
      if (error instanceof StreamGoneError) {
        this.logger.log(error.message);
        return null;
      }
      const wait = rateLimitWaitMs(error);
      if (wait !== undefined) return { data: { ...data, rateLimitedUntil: Date.now() + wait }, inMs: wait };
      if (!owedWork) return { data, inMs: this.config.intervalMs };
      const failures = (data.backoff?.failures ?? 0) + 1;
      const notBefore = Date.now() + Math.min(this.config.intervalMs * 2 ** (failures - 1), MAX_OWED_BACKOFF_MS);
      this.logger.warn(`${data.tenantId} ${data.stream}: ${data.kind} failed ${failures} time(s) in a row; incrementals go on, it is tried again after ${new Date(notBefore).toISOString()}`);
      return { data: { ...base, backoff: { failures, notBefore } }, inMs: this.config.intervalMs };
    }
  }
}
