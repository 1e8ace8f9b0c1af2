import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { access } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mockConfig } from '../config/mock.config.js';
import { Tenant } from '../platform/tenant.record.js';
import { OffThreadLoadResult, loadMockDataOffThread } from './load-worker-host.js';
import { MockDataProblem, MockDataSnapshot, formatProblem } from './mock-data.loader.js';
import type { DomainName, DomainsModule } from './mock-domains.js';
import { CreateWatcher, MockFolderWatcher, MockWatchStatus } from './mock-folder.watcher.js';
import type { ScenarioRule } from './scenarios/scenario-rules.js';

export class MockDataInvalidError extends Error {
  constructor(
    readonly problems: MockDataProblem[],
    folder: string,
  ) {
    const shown = /^[\w./-]+$/.test(folder) ? folder : JSON.stringify(folder);
    super(
      `The mock data folder MOCK_DATA_PATH=${shown} has ${problems.length} problem(s); run \`npm run mock:validate -- ${shown}\` for the same report:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'MockDataInvalidError';
  }
}

export interface MockDataStatus {
  loaded_at: string;
  tenants: number;
  files: number;
  records: number;
  not_configured: MockDataSnapshot['missing'];
  /** True only while the watcher is armed, without error, on the folder MOCK_DATA_PATH leads to now; false with MOCK_WATCH=false. */
  watching: boolean;
  /** The watcher (absent with MOCK_WATCH=false). */
  watch?: MockWatchStatus;
  last_reload?: { at: string; ok: boolean; problems: number };
  /** While a rejected change leaves an older version in service: when, which files, how many problems. */
  rejected_reload?: { at: string; files: string[]; problems: number; serving_version_loaded_at: string };
}

/** How a load went, for the log line (the benchmark reads these figures). */
function timing(result: OffThreadLoadResult & { eventLoopMaxMs: number }): string {
  const { totalMs, longestStepMs, longestStepCpuMs, offThread, early } = result.stats;
  return (
    `in ${Math.round(totalMs)} ms (${offThread ? 'worker thread' : 'main thread'}${early ? ', started before the application' : ''}; ` +
    `longest main-thread step ${longestStepMs.toFixed(1)} ms, ${longestStepCpuMs.toFixed(1)} ms of CPU; ` +
    `event loop delay max ${result.eventLoopMaxMs.toFixed(1)} ms)`
  );
}

/**
 * The mock-data folder, parsed and validated once and kept in memory. When a file changes the
 * whole folder is re-checked; a change that breaks it is logged and the last good snapshot stays.
 */
@Injectable()
export class MockFileStore implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MockFileStore.name);
  private snapshot: MockDataSnapshot;
  private loadedAt: Date;
  private loads = 0;
  private lastReload?: MockDataStatus['last_reload'];
  private rejected?: MockDataStatus['rejected_reload'];
  private watcher?: MockFolderWatcher;
  private reloading?: Promise<void>;
  private reloadAgain = false;

  /** The first load, started as the store is created so that it overlaps the rest of the application's start. */
  private readonly initialLoad: Promise<OffThreadLoadResult & { eventLoopMaxMs: number }>;

  constructor(
    @Inject(mockConfig.KEY) private readonly config: ConfigType<typeof mockConfig>,
    private readonly domains: DomainsModule,
    private readonly createWatcher?: CreateWatcher,
  ) {
    this.initialLoad = this.load();
    this.initialLoad.catch(() => undefined); // awaited (and its error thrown) in onModuleInit
  }

  async onModuleInit(): Promise<void> {
    const result = await this.initialLoad;
    if (!result.ok) throw new MockDataInvalidError(result.problems, this.config.dataPath);
    this.accept(result.snapshot);
    this.logger.log(
      `Loaded ${result.snapshot.recordCount} records from ${result.snapshot.files} files for ${result.snapshot.tenants.length} tenants ${timing(result)}`,
    );
    if (this.config.watch) await this.startWatching();
  }

  /**
   * Parses and checks the folder in a worker thread (the main thread keeps serving), measuring how
   * long the event loop was held meanwhile (by anything: at boot, the application's own start too).
   */
  private async load(reload = false): Promise<OffThreadLoadResult & { eventLoopMaxMs: number }> {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    try {
      const result = await loadMockDataOffThread(this.domains, this.config.dataPath, {
        maxFileMb: this.config.maxFileMb,
        // A reload yields the cores to the requests being served; the first load has nothing to yield to.
        background: reload,
        // Mixed mode with tickets live: the folder's entries and surveys name the vendor's tickets.
        checkTicketRefs: this.config.domains.includes('tickets'),
      });
      return { ...result, eventLoopMaxMs: delay.max / 1e6 };
    } finally {
      delay.disable();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // A context closed before init (tests, a refused boot) must not leave the first load running past it.
    await this.initialLoad.catch(() => undefined);
    await this.watcher?.close();
    await this.reloading;
  }

  tenants(): readonly Tenant[] {
    return this.snapshot.tenants;
  }

  records(domain: DomainName, tenantId: string): readonly object[] {
    return this.snapshot.records[domain].get(tenantId) ?? [];
  }

  /** Which accepted load is in service: 1 after boot, +1 per accepted reload (ETags derive from it). */
  dataVersion(): number {
    return this.loads;
  }

  /** The scenarios.json rules in service (a new array after each accepted load). */
  scenarioRules(): readonly ScenarioRule[] {
    return this.snapshot.scenarios;
  }

  status(): MockDataStatus {
    return {
      loaded_at: this.loadedAt.toISOString(),
      tenants: this.snapshot.tenants.length,
      files: this.snapshot.files,
      records: this.snapshot.recordCount,
      not_configured: this.snapshot.missing,
      watching: this.watcher?.watching ?? false,
      ...(this.watcher ? { watch: this.watcher.status() } : {}),
      ...(this.lastReload ? { last_reload: this.lastReload } : {}),
      ...(this.rejected ? { rejected_reload: this.rejected } : {}),
    };
  }

  /** Checks now that the watcher covers the folder in service, so status() tells the truth (health). */
  async verifyWatching(): Promise<void> {
    await this.watcher?.verify();
  }

  /** Whether the folder can still be read (health). */
  async readable(): Promise<boolean> {
    try {
      await access(this.config.dataPath);
      return true;
    } catch {
      return false;
    }
  }

  /** Re-reads the folder now; resolves when this and any reload it joined are done. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.reloadAgain = false;
        await this.reloadOnce();
      } while (this.reloadAgain);
    })().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async reloadOnce(): Promise<void> {
    const at = new Date().toISOString();
    const result = await this.load(true).catch((error: Error) => ({
      ok: false as const,
      problems: [{ file: '.', reason: `reload failed: ${error.message}` }],
    }));
    if (result.ok) {
      this.accept(result.snapshot);
      this.lastReload = { at, ok: true, problems: 0 };
      this.logger.log(`Reloaded mock data: ${result.snapshot.recordCount} records from ${result.snapshot.files} files ${timing(result)}`);
      return;
    }
    this.lastReload = { at, ok: false, problems: result.problems.length };
    this.rejected = {
      at,
      files: [...new Set(result.problems.map((p) => p.file))].sort(),
      problems: result.problems.length,
      serving_version_loaded_at: this.loadedAt.toISOString(),
    };
    this.logger.error(
      `Mock data change rejected (${result.problems.length} problem(s)); still serving the version loaded at ${this.loadedAt.toISOString()}`,
    );
    for (const problem of result.problems) this.logger.error(formatProblem(problem));
  }

  private accept(snapshot: MockDataSnapshot): void {
    this.snapshot = snapshot;
    this.loadedAt = new Date();
    this.loads += 1;
    this.rejected = undefined;
  }

  /** Reloads on every change; re-arms when the folder (or a symlink or folder on its path) is replaced. */
  private async startWatching(): Promise<void> {
    this.watcher = new MockFolderWatcher(this.config.dataPath, () => this.reload(), this.createWatcher);
    await this.watcher.start();
  }
}
