import { Injectable, Logger } from '@nestjs/common';
import type { RunKind } from './replica.types.js';
import type { StreamName } from './stream.js';
import { rateLimitWaitMs, RunInterruptedError, StreamGoneError } from './sync-failure.js';
import { SyncRunner } from './sync-runner.js';

/** A stream's ids are walked for deletions at most this often (TopLeft applies deletes every 30 min; ids-only walks are cheap, deletions rarely urgent). */
export const RECONCILE_EVERY_MS = 60 * 60_000;

export interface SyncJobData {
  tenantId: string;
  stream: StreamName;
  kind?: RunKind;
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
  async handle(data: SyncJobData, stop: AbortSignal): Promise<NextJob> {
    const base = { tenantId: data.tenantId, stream: data.stream };
    try {
      const outcome = await this.runner.run(data.tenantId, data.stream, data.kind ?? 'incremental', stop);
      const { state } = outcome;
      if (outcome.kind !== 'backfill' && state.backfillUntil) return { data: { ...base, kind: 'backfill' }, inMs: 0 };
      const reconcileDue = state.lastReconcileAt === null || Date.now() - Date.parse(state.lastReconcileAt) >= RECONCILE_EVERY_MS;
      if (outcome.kind === 'incremental' && outcome.reconcilable && reconcileDue) return { data: { ...base, kind: 'reconcile' }, inMs: 0 };
      return { data: base, inMs: this.config.intervalMs };
    } catch (error) {
      if (error instanceof RunInterruptedError) throw error;
      if (error instanceof StreamGoneError) {
        this.logger.log(error.message);
        return null;
      }
      const wait = rateLimitWaitMs(error);
      return { data, inMs: wait ?? this.config.intervalMs };
    }
  }
}
