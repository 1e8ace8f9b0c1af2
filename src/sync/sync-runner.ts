import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { VendorBudgetSpentError, VendorDataError, VendorDeadlineError, VendorError, VendorHttpError, VendorWalkTimeoutError } from '../integrations/http/vendor-errors.js';
import { Metrics } from '../metrics/metrics.js';
import { SecretUndecryptableError } from '../platform/secret-box.js';
import { ReplicaRepository } from './replica.repository.js';
import type { ChangeCounts, ReplicaChange, ResumePoint, RunKind, StreamKey, SyncState, SyncStatePatch } from './replica.types.js';
import { zeroCounts } from './replica.types.js';
import type { StreamFetcher, StreamName } from './stream.js';
import { STREAM_FETCHERS, type StreamFetchers } from './stream-fetchers.js';
import { failureText, isRateLimited, rateLimitWaitMs, RunInterruptedError, StreamGoneError } from './sync-failure.js';
import { newMeter, SyncRunsRepository, VendorMeter } from './sync-runs.repository.js';
import { STREAMS } from './vendor-stream-fetchers.js';

/** Vendors stamp a change when the write starts, and it may be visible only later: every incremental re-reads the last 5 minutes. */
export const SYNC_OVERLAP_MS = 5 * 60_000;
/** A reconcile that would soft-delete more than this share of a stream's rows refuses (django-connectwise's mass-delete guard). */
export const RECONCILE_MAX_VANISHED = 0.9;
/** The guard applies from this many live rows: on a small stream most rows going (a tenant closing its last tickets) is ordinary, not a vendor glitch. */
export const RECONCILE_GUARD_MIN_ROWS = 20;

/** A vendor stamp later than run start + this is a wrong clock or a bad import: the checkpoint stops there, or one such record would blind the stream. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** A run ends as a partial run (resume point saved, continued at once) after a page past this long: under VENDOR_WALK_TIMEOUT_MS's 120 s default, so the slice, not the walk deadline, usually ends it. */
export const SYNC_SLICE_MS = 90_000;

/** Runs that may fail in a row from one saved resume point before it is dropped and the walk starts over (a point the vendor keeps choking on). */
export const MAX_RESUME_FAILURES = 3;

const DAY_MS = 86_400_000;

export interface SyncRunnerOptions {
  /** LIVE_WINDOW_DAYS: what a first sync fetches before the stream is served. */
  windowDays: number;
  /** SYNC_HISTORY_DAYS: how far back the backfill reaches. */
  historyDays: number;
  /** How long one run walks before it ends as a partial run (SYNC_SLICE_MS). */
  sliceMs?: number;
  now?: () => number;
}

export class SyncRunnerConfig {
  constructor(readonly options: SyncRunnerOptions) {}
}

export interface RunOutcome {
  runId: string;
  kind: RunKind;
  key: StreamKey;
  counts: ChangeCounts;
  /** A reconcile refused by the mass-delete guard. */
  refused?: boolean;
  /** The run used up its time slice: its resume point is saved and it should continue at once. */
  partial?: boolean;
  /** The fetcher can list ids, so the stream can be reconciled. */
  reconcilable: boolean;
  state: SyncState;
}

interface Plan {
  kind: RunKind;
  resume: ResumePoint & { startedAt: string };
}

/** One run of one tenant×stream: state loaded, pages fetched and written with their resume point, the run recorded. */
@Injectable()
export class SyncRunner {
  private readonly logger = new Logger('SyncRunner');
  private readonly now: () => number;
  /** Streams whose record count this copy has reported: counted again only when a run changes it. */
  private readonly counted = new Set<string>();

  constructor(
    private readonly replica: ReplicaRepository,
    private readonly runs: SyncRunsRepository,
    @Inject(STREAM_FETCHERS) private readonly fetchers: StreamFetchers,
    private readonly config: SyncRunnerConfig,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.now = config.options.now ?? Date.now;
  }

  /** Runs `kind`, resuming an interrupted one; a never-synced stream's incremental is its first sync; failures are recorded, then thrown. */
  async run(tenantId: string, stream: StreamName, kind: RunKind, stop: AbortSignal = new AbortController().signal): Promise<RunOutcome> {
    const meter = newMeter();
    const fetcher = await this.fetchers.fetcherFor(tenantId, stream, meter).catch(async (error: unknown) => {
      // No fetcher without the integration's secrets: a run that failed like any other, so the state says why.
      throw error instanceof SecretUndecryptableError ? await this.unusable(tenantId, stream, kind, meter, error, stop) : error;
    });
    if (!fetcher) throw new StreamGoneError(tenantId, stream);
    const key: StreamKey = { tenantId, stream, vendor: fetcher.vendor };
    const startedAt = this.iso();
    const state = await this.replica.ensureState(key, startedAt);
    const plan = this.plan(kind, state, fetcher, startedAt);
    const runId = await this.runs.start(key, plan.kind, startedAt);
    await this.replica.updateState(key, { state: 'running' }, startedAt);
    const began = performance.now();
    try {
      const result =
        plan.kind === 'reconcile' ? await this.reconcile(key, fetcher, state, runId, stop) : await this.walk(key, fetcher, state, plan, runId, stop);
      await this.runs.finish(runId, { at: this.iso(), meter, note: result.note });
      const after = (await this.replica.getState(tenantId, stream)) as SyncState;
      await this.measured(key, plan.kind, began, result.counts, after);
      return { runId, kind: plan.kind, key, counts: result.counts, refused: result.refused, partial: result.partial, reconcilable: fetcher.ids !== undefined, state: after };
    } catch (error) {
      this.metrics?.syncRunFinished(stream, plan.kind, 'failure', (performance.now() - began) / 1000);
      throw await this.failed(key, state, plan.kind, runId, meter, error, stop);
    }
  }

  /** A successful run's duration, the stream's last success (lag counts from it) and, when it moved, its record count. */
  private async measured(key: StreamKey, kind: RunKind, began: number, counts: ChangeCounts, after: SyncState): Promise<void> {
    if (!this.metrics) return;
    this.metrics.syncRunFinished(key.stream, kind, 'success', (performance.now() - began) / 1000);
    if (after.lastSuccessAt) this.metrics.syncSucceeded(key.tenantId, key.stream, Date.parse(after.lastSuccessAt));
    const id = `${key.tenantId}|${key.stream}`;
    if (counts.inserted + counts.deleted > 0 || !this.counted.has(id)) {
      this.metrics.replicaRecords(key.tenantId, key.stream, await this.replica.countLive(key.tenantId, key.stream));
      this.counted.add(id);
    }
  }

  /** Drops a stream (or a tenant's every stream) from the metrics, when it is no longer synced. */
  forget(tenantId: string, stream?: StreamName): void {
    this.metrics?.forget(tenantId, stream);
    for (const id of this.counted) if (id === `${tenantId}|${stream}` || (stream === undefined && id.startsWith(`${tenantId}|`))) this.counted.delete(id);
  }

  /** The records served for a tenant×stream now. */
  readLive(tenantId: string, stream: StreamName): AsyncGenerator<unknown[]> {
    return this.replica.readLive(tenantId, stream);
  }

  private plan(asked: RunKind, state: SyncState, fetcher: StreamFetcher, startedAt: string): Plan {
    const now = Date.parse(startedAt);
    const fresh = (base: ResumePoint) => ({ startedAt, ...base });
    const saved = (kind: RunKind) => state.resume[kind] as (ResumePoint & { startedAt: string }) | undefined;
    let kind = asked;
    if (kind === 'reconcile' && (!fetcher.ids || state.lastSuccessAt === null)) kind = 'incremental';
    if (kind === 'backfill' && state.backfillUntil === null) kind = 'incremental';
    if (kind === 'incremental' && state.checkpoint === null && state.lastSuccessAt === null) {
      const from = new Date(now - this.config.options.windowDays * DAY_MS).toISOString();
      return { kind: 'full', resume: saved('full') ?? fresh({ point: null, since: null, from, maxSeen: null, first: true }) };
    }
    const resumed = saved(kind);
    if (resumed) return { kind, resume: resumed };
    const historyFrom = new Date(now - this.config.options.historyDays * DAY_MS).toISOString();
    switch (kind) {
      case 'incremental': {
        const since = state.checkpoint === null ? null : new Date(Date.parse(state.checkpoint) - SYNC_OVERLAP_MS).toISOString();
        return { kind, resume: fresh({ point: null, since, maxSeen: null }) };
      }
      case 'backfill':
        return { kind, resume: fresh({ point: null, since: null, from: historyFrom, until: state.backfillUntil ?? undefined, maxSeen: null }) };
      default:
        return { kind, resume: fresh({ point: null, since: null, from: historyFrom, maxSeen: null }) };
    }
  }

  /** Pages of changes, each written with the point to resume after it; the checkpoint moves only once the walk ends. */
  private async walk(key: StreamKey, fetcher: StreamFetcher, state: SyncState, plan: Plan, runId: string, stop: AbortSignal) {
    const { kind } = plan;
    let resume = { ...plan.resume };
    let resumeMap = { ...state.resume };
    const counts = zeroCounts();
    const sliceEnds = this.now() + (this.config.options.sliceMs ?? SYNC_SLICE_MS);
    const partial = async (why: string) => {
      await this.replica.updateState(key, { state: 'running' }, this.iso());
      return { counts, refused: false, partial: true, note: `partial: ${why}; the run continues from its resume point` };
    };
    let unreadable = 0;
    // A resumed run whose every page was written goes straight to its final state write.
    const pages = resume.done ? [] : fetcher.changes({ since: resume.since, from: resume.from, until: resume.until, resume: resume.point, stop });
    try {
      for await (const page of pages) {
        const changes: ReplicaChange[] = [];
        for (const c of page.changes) {
          const mapped = c.deleted ? null : this.mapped(key, fetcher, c.vendorId, c.raw);
          if (mapped === UNREADABLE) unreadable += 1;
          else changes.push({ vendorId: c.vendorId, raw: c.raw, mapped, vendorUpdatedAt: c.vendorUpdatedAt, deleted: c.deleted === true });
        }
        // Folded, not spread: a page may hold more changes than a call takes arguments.
        const seen = page.changes.reduce<string | null>((max, c) => latest(max, c.vendorUpdatedAt), resume.maxSeen);
        resume = { ...resume, point: page.resume, maxSeen: seen, done: page.resume === null, failures: 0 };
        resumeMap = { ...resumeMap, [kind]: resume };
        add(counts, await this.replica.commitPage(key, changes, { resume: resumeMap }, this.iso(), { id: runId }));
        if (stop.aborted) throw new RunInterruptedError(runId);
        if (page.resume !== null && this.now() >= sliceEnds) return await partial('its time slice is used up');
      }
    } catch (error) {
      // The vendor walk's own deadline after some progress (its timer, or a page call it cut short): as a used-up slice, not a failure.
      if ((error instanceof VendorWalkTimeoutError || error instanceof VendorDeadlineError) && counts.seen > 0 && !stop.aborted) return await partial(error.message);
      throw error;
    }
    if (stop.aborted) throw new RunInterruptedError(runId);
    const at = this.iso();
    const rest = { ...resumeMap };
    delete rest[kind];
    const patch: SyncStatePatch = { resume: rest, lastSuccessAt: at, lastError: null, consecutiveFailures: 0 };
    let backfillUntil = state.backfillUntil;
    if (kind !== 'backfill') patch.checkpoint = this.checkpoint(key, fetcher, kind, state.checkpoint, resume);
    if (kind === 'full' || kind === 'backfill') {
      patch.historyFrom = resume.from ?? null;
      const owed = resume.first === true && this.config.options.historyDays > this.config.options.windowDays;
      backfillUntil = owed ? (resume.from ?? null) : null;
      patch.backfillUntil = backfillUntil;
    }
    patch.state = backfillUntil ? 'backfilling' : 'idle';
    await this.replica.updateState(key, patch, at);
    const note = unreadable > 0 ? `${unreadable} record(s) skipped: the mapper could not read them (see the service log)` : undefined;
    return { counts, refused: false, partial: false, note };
  }

  /** The record as served, or UNREADABLE when the mapper throws: that record is skipped and logged, the stream goes on. */
  private mapped(key: StreamKey, fetcher: StreamFetcher, vendorId: string, raw: unknown): unknown {
    try {
      return fetcher.map(raw, key.tenantId);
    } catch (error) {
      this.logger.error(`${key.tenantId} ${key.stream}: record ${vendorId} skipped, the mapper failed: ${error instanceof Error ? error.message : String(error)}`);
      return UNREADABLE;
    }
  }

  /** The next incremental's lower bound: a walk not in change-time order may have passed a record edited after the run began, so never past its start. */
  private checkpoint(key: StreamKey, fetcher: StreamFetcher, kind: RunKind, before: string | null, resume: Plan['resume']): string {
    const ordered = fetcher.orderedByChange === true && kind === 'incremental';
    const seen = ordered || resume.maxSeen === null ? resume.maxSeen : earliest(resume.maxSeen, resume.startedAt);
    const next = latest(before, seen) ?? resume.startedAt;
    const cap = new Date(Date.parse(resume.startedAt) + MAX_CLOCK_SKEW_MS).toISOString();
    if (Date.parse(next) <= Date.parse(cap)) return next;
    this.logger.warn(`${key.tenantId} ${key.stream}: a change stamped ${next} is in the future; the checkpoint stops at ${cap}`);
    return cap;
  }

  /** Soft-deletes what the vendor no longer lists, only after a complete id walk, never a mass delete. */
  private async reconcile(key: StreamKey, fetcher: StreamFetcher, state: SyncState, runId: string, stop: AbortSignal) {
    const from = state.historyFrom ?? undefined;
    const ids = await (fetcher.ids as NonNullable<StreamFetcher['ids']>)({ open: false, from }, stop);
    if (stop.aborted) throw new RunInterruptedError(runId);
    const at = this.iso();
    const idle = state.backfillUntil ? 'backfilling' : 'idle';
    const result = await this.replica.softDeleteMissing(
      key,
      new Set(ids),
      { from, maxFraction: RECONCILE_MAX_VANISHED, minLive: RECONCILE_GUARD_MIN_ROWS },
      { lastReconcileAt: at, lastSuccessAt: at, lastError: null, consecutiveFailures: 0, state: idle },
      at,
      runId,
    );
    let note: string | undefined;
    if (result.refused) {
      note = `reconcile refused: ${result.vanished} of ${result.live} live records are no longer listed by ${key.vendor} (over ${RECONCILE_MAX_VANISHED * 100} %); nothing was deleted`;
      this.logger.warn(`${key.tenantId} ${key.stream}: ${note}`);
    }
    return { counts: { seen: ids.length, inserted: 0, changed: 0, deleted: result.deleted }, refused: result.refused, partial: false, note };
  }

  /** A run that could not start (the integration's secrets cannot be decrypted), recorded as failed. */
  private async unusable(tenantId: string, stream: StreamName, kind: RunKind, meter: VendorMeter, error: unknown, stop: AbortSignal): Promise<unknown> {
    const key: StreamKey = { tenantId, stream, vendor: STREAMS[stream].vendor };
    const at = this.iso();
    const state = await this.replica.ensureState(key, at);
    const runId = await this.runs.start(key, kind, at);
    return this.failed(key, state, kind, runId, meter, error, stop);
  }

  /** Records the failure (an interruption or a 429 is not one: its resume point stays, nothing is counted) and returns what to throw. */
  private async failed(key: StreamKey, before: SyncState, kind: RunKind, runId: string, meter: VendorMeter, error: unknown, stop: AbortSignal): Promise<unknown> {
    const at = this.iso();
    const interrupted = error instanceof RunInterruptedError || stop.aborted;
    const thrown = interrupted && !(error instanceof RunInterruptedError) ? new RunInterruptedError(runId) : error;
    const limited = !interrupted && isRateLimited(error);
    // Our own spent budget is no vendor 429: the run's note names it.
    if (limited && !(error instanceof VendorBudgetSpentError)) meter.http429 = Math.max(meter.http429, 1);
    const text = interrupted ? (thrown as Error).message : failureText(error);
    if (!interrupted && !(error instanceof VendorError) && !(error instanceof SecretUndecryptableError)) this.logger.error(`${key.tenantId} ${key.stream} run ${runId} failed`, error instanceof Error ? error.stack : String(error));
    try {
      const idle = before.backfillUntil ? 'backfilling' : 'idle';
      if (interrupted || limited) {
        await this.replica.updateState(key, { state: idle }, at);
        await this.runs.finish(runId, limited ? { at, meter, note: `waiting: ${text}; the run resumes in ${Math.ceil((rateLimitWaitMs(error) ?? 0) / 1000)} s` } : { at, meter, error: text });
        return thrown;
      }
      // A vendor failure is written secret-free; logged so that an operator sees a failing stream, not only the admin status.
      if (error instanceof VendorError || error instanceof SecretUndecryptableError) this.logger.warn(`${key.tenantId} ${key.stream} ${kind} run failed: ${text}`);
      const resume = await this.resumeAfterFailure(key, kind, error);
      await this.replica.updateState(key, { state: 'failed', lastError: text, consecutiveFailures: 'increment', ...(resume ? { resume } : {}) }, at);
      await this.runs.finish(runId, { at, meter, error: text });
    } catch (recording) {
      this.logger.warn(`${key.tenantId} ${key.stream}: could not record the run's failure: ${(recording as Error).message}`);
    }
    return thrown;
  }

  /** The resume points after a failed run: its own dropped when the vendor refused it (a 4xx, a link it will not follow) or after MAX_RESUME_FAILURES runs from it. */
  private async resumeAfterFailure(key: StreamKey, kind: RunKind, error: unknown): Promise<SyncState['resume'] | undefined> {
    const current = await this.replica.getState(key.tenantId, key.stream);
    const point = current?.resume[kind];
    if (!current || !point) return undefined;
    const failures = (point.failures ?? 0) + 1;
    const refused = point.point !== null && (error instanceof VendorDataError || (error instanceof VendorHttpError && (error.status ?? 0) >= 400 && (error.status ?? 0) < 500));
    if (!refused && failures < MAX_RESUME_FAILURES) return { ...current.resume, [kind]: { ...point, failures } };
    const rest = { ...current.resume };
    delete rest[kind];
    this.logger.warn(`${key.tenantId} ${key.stream}: the ${kind} resume point is dropped (${refused ? 'the vendor refused it' : `${failures} failed runs from it`}); the walk starts over`);
    return rest;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

const UNREADABLE = Symbol('unreadable');

function add(total: ChangeCounts, page: ChangeCounts): void {
  total.seen += page.seen;
  total.inserted += page.inserted;
  total.changed += page.changed;
  total.deleted += page.deleted;
}

/** The earlier of two instants as ISO 8601 UTC; an unreadable first one gives the second. */
function earliest(a: string, b: string): string {
  const ms = Date.parse(a);
  return Number.isNaN(ms) || ms > Date.parse(b) ? new Date(Date.parse(b)).toISOString() : new Date(ms).toISOString();
}

/** The latest of some instants (vendor spellings vary: compared as times), as ISO 8601 UTC; null when none is a time. */
function latest(...instants: (string | null | undefined)[]): string | null {
  let best: number | undefined;
  for (const instant of instants) {
    const ms = instant ? Date.parse(instant) : Number.NaN;
    if (!Number.isNaN(ms) && (best === undefined || ms > best)) best = ms;
  }
  return best === undefined ? null : new Date(best).toISOString();
}
