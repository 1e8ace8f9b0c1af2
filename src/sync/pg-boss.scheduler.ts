import { Logger } from '@nestjs/common';
import { PgBoss, type ConstructorOptions, type Job } from 'pg-boss';
import type { RunKind } from './replica.types.js';
import type { StreamName } from './stream.js';
import type { StreamFetchers } from './stream-fetchers.js';
import { composeJobs, NextJob, streamKeyOf, SyncJobData, SyncJobs } from './sync-jobs.js';
import { SyncScheduler } from './sync-scheduler.js';

export const SYNC_QUEUE = 'replica-sync';
export const PLAN_QUEUE = 'replica-plan';

export interface PgBossSchedulerOptions {
  url: string;
  /** Runs at once in this copy. */
  concurrency: number;
  /** How long an active job may go without a heartbeat before another copy takes it (a crashed copy). */
  heartbeatSeconds?: number;
  /** Upper bound of one run, after which pg-boss gives it to another copy. */
  expireInSeconds?: number;
  pollingIntervalSeconds?: number;
  /** Wait before a failed or expired job is given to a worker again. */
  retryDelaySeconds?: number;
  /** pg-boss's own settings (tests shorten its monitor intervals). */
  boss?: Partial<ConstructorOptions>;
}

/** N copies on one PostgreSQL: a `stately` queue keyed by tenant×stream runs each stream in one copy at a time (docs/live-replica.md). */
export class PgBossSyncScheduler extends SyncScheduler {
  private readonly logger = new Logger('SyncScheduler');
  private boss: PgBoss | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly jobs: SyncJobs,
    private readonly fetchers: StreamFetchers,
    private readonly options: PgBossSchedulerOptions,
  ) {
    super();
  }

  async start(): Promise<void> {
    const boss = new PgBoss({ connectionString: this.options.url, max: Math.max(2, this.options.concurrency + 1), application_name: 'msp-replica', ...this.options.boss });
    boss.on('error', (error: Error) => this.logger.warn(`pg-boss: ${error.message}`));
    await boss.start();
    this.boss = boss;
    await boss.createQueue(SYNC_QUEUE, {
      policy: 'stately',
      retryLimit: 5,
      retryDelay: this.options.retryDelaySeconds ?? 5,
      expireInSeconds: this.options.expireInSeconds ?? 4 * 3600,
      ...(this.options.heartbeatSeconds ? { heartbeatSeconds: this.options.heartbeatSeconds } : {}),
    });
    await boss.createQueue(PLAN_QUEUE, { policy: 'exclusive', retryLimit: 0 });
    await boss.schedule(PLAN_QUEUE, '* * * * *');
    await boss.work(PLAN_QUEUE, async () => this.plan());
    const polling = { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 };
    await boss.work<SyncJobData>(SYNC_QUEUE, { ...polling, localConcurrency: this.options.concurrency }, async ([job]) => this.run(job));
    await this.plan();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.boss?.stop({ graceful: true, timeout: 10_000 });
    this.boss = undefined;
  }

  async trigger(tenantId: string, stream: StreamName, kind?: RunKind): Promise<void> {
    await this.queue({ data: { tenantId, stream, ...(kind ? { kind } : {}) }, inMs: 0 });
  }

  /** One job per stream that has none queued; the stately queue ignores a send for a stream that has one. */
  async plan(): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    for (const key of await this.fetchers.streams()) {
      await boss.send(SYNC_QUEUE, { tenantId: key.tenantId, stream: key.stream, planned: true }, { singletonKey: streamKeyOf(key) });
    }
  }

  private async run(job: Job<SyncJobData>): Promise<void> {
    const next = await this.jobs.handle(job.data, AbortSignal.any([job.signal, this.stopping.signal]));
    // Queued while this job is still active, so the stream's next run cannot start before it is delayed.
    if (next) await this.queue(next);
  }

  /** Composed with the stream's queued job (a trigger made during the run, a Retry-After wait), never overwriting it. */
  private async queue(next: NonNullable<NextJob>): Promise<void> {
    if (!this.boss) return;
    const key = streamKeyOf(next.data);
    const [found] = await this.boss.findJobs<SyncJobData>(SYNC_QUEUE, { key, queued: true });
    const queued = found ? { data: found.data, startAt: found.startAfter.getTime() } : undefined;
    const job = composeJobs(queued, { data: next.data, startAt: Date.now() + next.inMs });
    await this.boss.upsert(SYNC_QUEUE, job.data, { singletonKey: key, startAfter: new Date(job.startAt) });
  }
}
