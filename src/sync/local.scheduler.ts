import { Logger } from '@nestjs/common';
import PQueue from 'p-queue';
import type { RunKind } from './replica.types.js';
import type { StreamName } from './stream.js';
import type { StreamFetchers } from './stream-fetchers.js';
import { NextJob, streamKeyOf, SyncJobData, SyncJobs } from './sync-jobs.js';
import { PLAN_EVERY_MS, SyncScheduler } from './sync-scheduler.js';

/** One copy on SQLite (pg-boss needs PostgreSQL): p-queue bounds runs, one timer or run per stream, no other copy to exclude. */
export class LocalSyncScheduler extends SyncScheduler {
  private readonly logger = new Logger('SyncScheduler');
  private readonly queue: PQueue;
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; data: SyncJobData }>();
  private readonly running = new Map<string, NonNullable<NextJob> | undefined>();
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

  /** The stream's next job: replaces its timer, or waits for its run to end when one is running. */
  private arm(next: NonNullable<NextJob>): void {
    if (this.stopping.signal.aborted) return;
    const id = streamKeyOf(next.data);
    if (this.running.has(id)) {
      this.running.set(id, next);
      return;
    }
    const armed = this.timers.get(id);
    if (armed) clearTimeout(armed.timer);
    const timer = setTimeout(() => this.launch(id, next.data), next.inMs).unref();
    this.timers.set(id, { timer, data: next.data });
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
      // A trigger during the run is honoured after it, unless the run owes something sooner.
      const chosen = asked && next ? (asked.inMs <= next.inMs ? asked : next) : (next ?? asked);
      if (chosen) this.arm(chosen);
    });
  }
}
