import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { FSWatcher, watch } from 'chokidar';
import { access } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { mockConfig } from '../config/mock.config.js';
import { Tenant } from '../tenants/tenant.record.js';
import { MockDataProblem, MockDataSnapshot, formatProblem, loadMockData } from './mock-data.loader.js';
import { DomainName } from './mock-domains.js';
import type { ScenarioRule } from './scenarios/scenario-rules.js';

export class MockDataInvalidError extends Error {
  constructor(readonly problems: MockDataProblem[]) {
    super(
      `The mock data folder (MOCK_DATA_PATH) has ${problems.length} problem(s); run \`npm run mock:validate\` for the same report:\n` +
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
  watching: boolean;
  last_reload?: { at: string; ok: boolean; problems: number };
  /** While a rejected change leaves an older version in service: when, which files, how many problems. */
  rejected_reload?: { at: string; files: string[]; problems: number; serving_version_loaded_at: string };
}

const RELOAD_DEBOUNCE_MS = 150;

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
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private reloading?: Promise<void>;
  private reloadAgain = false;

  constructor(@Inject(mockConfig.KEY) private readonly config: ConfigType<typeof mockConfig>) {}

  async onModuleInit(): Promise<void> {
    const result = await loadMockData(this.config.dataPath, { maxFileMb: this.config.maxFileMb });
    if (!result.ok) throw new MockDataInvalidError(result.problems);
    this.accept(result.snapshot);
    this.logger.log(
      `Loaded ${result.snapshot.recordCount} records from ${result.snapshot.files} files for ${result.snapshot.tenants.length} tenants`,
    );
    if (this.config.watch) await this.startWatching();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
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
      watching: this.watcher !== undefined,
      ...(this.lastReload ? { last_reload: this.lastReload } : {}),
      ...(this.rejected ? { rejected_reload: this.rejected } : {}),
    };
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
    const result = await loadMockData(this.config.dataPath, { maxFileMb: this.config.maxFileMb }).catch((error: Error) => ({
      ok: false as const,
      problems: [{ file: '.', reason: `reload failed: ${error.message}` }],
    }));
    if (result.ok) {
      this.accept(result.snapshot);
      this.lastReload = { at, ok: true, problems: 0 };
      this.logger.log(`Reloaded mock data: ${result.snapshot.recordCount} records from ${result.snapshot.files} files`);
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

  /**
   * Watches the folder through its parent, so that replacing the whole folder (regenerating it,
   * `mv`) is seen too; nothing outside the folder is looked at.
   */
  private async startWatching(): Promise<void> {
    const root = this.config.dataPath;
    const parent = dirname(root);
    const watcher = watch(parent, {
      ignoreInitial: true,
      ignored: (path: string) => path !== parent && path !== root && !path.startsWith(`${root}${sep}`),
      awaitWriteFinish: { stabilityThreshold: 80, pollInterval: 20 },
    });
    watcher.on('all', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
    });
    watcher.on('error', (error) => this.logger.warn(`Watching the mock data folder failed: ${String(error)}`));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    this.watcher = watcher;
  }
}
