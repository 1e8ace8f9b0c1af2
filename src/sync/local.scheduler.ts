import { Logger } from '@nestjs/common';
import PQueue from 'p-queue';
import type { RunKind } from './replica.types.js';
import type { StreamName } from './stream.js';
import type { StreamFetchers } from './stream-fetchers.js';
import { composeJobs, NextJob, QueuedJob, streamKeyOf, SyncJobData, SyncJobs } from './sync-jobs.js';
import { PLAN_EVERY_MS, SyncScheduler } from './sync-scheduler.js';

/** One copy on SQLite (pg-boss needs PostgreSQL): p-queue bounds runs, one timer or run per stream, no other copy to exclude. */
export class LocalSyncScheduler extends SyncScheduler {
  private readonly logger = new Logger('SyncScheduler');
  private readonly queue: PQueue;
  private readonly timers = new Map<string, QueuedJob & { timer: NodeJS.Timeout }>();
  private readonly running = new Map<string, QueuedJob | undefined>();
  private planner: NodeJS.Timeout | undefined;
  private stopping = new AbortController();

  constructor(
    private readonly jobs: SyncJobs,
    private readonly fetchers: StreamFetchers,
    concurrency: number,
  ) {
    super();
    this.queue = new PQueue({ concurrency });
  }

  async start(): Promise<void> {
    this.stopping = new AbortController();
    this.planner = setInterval(() => void this.plan().catch((e: Error) => this.logger.warn(`planning failed: ${e.message}`)), PLAN_EVERY_MS).unref();
    await this.plan();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.planner);
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.clear();
    await this.queue.onIdle();
  }

  async trigger(tenantId: string, stream: StreamName, kind?: RunKind): Promise<void> {
    this.arm({ data: { tenantId, stream, ...(kind ? { kind } : {}) }, inMs: 0 });
    return Promise.resolve();
  }

  async plan(): Promise<void> {
    for (const key of await this.fetchers.streams()) {
      const id = streamKeyOf(key);
      if (!this.timers.has(id) && !this.running.has(id)) this.arm({ data: { tenantId: key.tenantId, stream: key.stream }, inMs: 0 });
    }
  }

  /** The stream's next job, composed with the one armed (or asked during its run), which then waits for the run to end. */
  private arm(next: NonNullable<NextJob>): void {
    if (this.stopping.signal.aborted) return;
    const id = streamKeyOf(next.data);
    const asked = { data: next.data, startAt: Date.now() + next.inMs };
    if (this.running.has(id)) {
      this.running.set(id, composeJobs(this.running.get(id), asked));
      return;
    }
    const armed = this.timers.get(id);
    if (armed) clearTimeout(armed.timer);
    const job = composeJobs(armed, asked);
    const timer = setTimeout(() => this.launch(id, job.data), Math.max(0, job.startAt - Date.now())).unref();
    this.timers.set(id, { timer, ...job });
  }

  private launch(id: string, data: SyncJobData): void {
    this.timers.delete(id);
    this.running.set(id, undefined);
    void this.queue.add(async () => {
      let next: NextJob;
      try {
        next = await this.jobs.handle(data, this.stopping.signal);
      } catch (error) {
        this.logger.warn(`${id}: ${(error as Error).message}`);
        next = { data, inMs: this.jobs.intervalMs };
      }
      const asked = this.running.get(id);
      this.running.delete(id);
      // A trigger during the run is honoured after it, composed with what the run owes.
      const chosen = next ? composeJobs(asked, { data: next.data, startAt: Date.now() + next.inMs }) : asked;
      if (chosen) this.arm({ data: chosen.data, inMs: Math.max(0, chosen.startAt - Date.now()) });
    });
  }
}
