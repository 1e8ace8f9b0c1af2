import { BeforeApplicationShutdown, DynamicModule, Injectable, OnApplicationBootstrap, Optional, Provider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Metrics } from '../metrics/metrics.js';
import { syncConfig } from '../config/sync.config.js';
import { PlatformDb } from '../platform/platform-db.js';
import { LocalSyncScheduler } from './local.scheduler.js';
import { PgBossSyncScheduler } from './pg-boss.scheduler.js';
import { ReplicaRepository } from './replica.repository.js';
import { STREAM_FETCHERS, type StreamFetchers } from './stream-fetchers.js';
import { SyncJobs, SyncJobsConfig } from './sync-jobs.js';
import { SyncRunner, SyncRunnerConfig } from './sync-runner.js';
import { SyncRunsRepository } from './sync-runs.repository.js';
import { SyncScheduler } from './sync-scheduler.js';
import { SyncHealthCheck } from './sync.health.js';

/** Runs at once per copy: leaves most of the platform pool (10 connections) to reads while syncs write. */
export const SYNC_CONCURRENCY = 4;

/** Starts the scheduler once the app is up, stops it (runs interrupted, resumable) before the database closes. */
@Injectable()
class SyncLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly scheduler: SyncScheduler,
    private readonly replica: ReplicaRepository,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Lag counts from the last success stored, not from this copy's start.
    for (const s of this.metrics ? await this.replica.overview() : []) if (s.last_success_at) this.metrics?.syncSucceeded(s.tenant_id, s.stream, Date.parse(s.last_success_at));
    await this.scheduler.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.scheduler.stop();
  }
}

/** The live replica's engine; `fetchers` provides STREAM_FETCHERS (which streams exist, how each talks to its vendor). */
export class SyncModule {
  static register(fetchers: Provider): DynamicModule {
    return {
      module: SyncModule,
      // Global: the admin routes and health read the sync's state where it is registered.
      global: true,
      // syncConfig comes from the global configModule(), mapped from the boot's one validation of the environment.
      providers: [
        fetchers,
        ReplicaRepository,
        SyncRunsRepository,
        {
          provide: SyncRunnerConfig,
          inject: [syncConfig.KEY],
          useFactory: (config: ConfigType<typeof syncConfig>) => new SyncRunnerConfig({ windowDays: config.windowDays, historyDays: config.historyDays }),
        },
        SyncRunner,
        { provide: SyncJobsConfig, inject: [syncConfig.KEY], useFactory: (config: ConfigType<typeof syncConfig>) => new SyncJobsConfig(config.intervalMs) },
        SyncJobs,
        {
          provide: SyncScheduler,
          inject: [syncConfig.KEY, PlatformDb, SyncJobs, STREAM_FETCHERS],
          useFactory: (config: ConfigType<typeof syncConfig>, platform: PlatformDb, jobs: SyncJobs, streams: StreamFetchers) =>
            platform.engine === 'postgres'
              ? new PgBossSyncScheduler(jobs, streams, { url: config.databaseUrl, concurrency: SYNC_CONCURRENCY, heartbeatSeconds: 30 })
              : new LocalSyncScheduler(jobs, streams, SYNC_CONCURRENCY),
        },
        SyncLifecycle,
        {
          provide: SyncHealthCheck,
          inject: [ReplicaRepository, syncConfig.KEY],
          useFactory: (replica: ReplicaRepository, config: ConfigType<typeof syncConfig>) => new SyncHealthCheck(replica, config.intervalMs),
        },
      ],
      exports: [ReplicaRepository, SyncRunsRepository, SyncRunner, SyncScheduler, STREAM_FETCHERS, SyncHealthCheck],
    };
  }
}

