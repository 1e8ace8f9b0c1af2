import type { HealthCheck, HealthCheckResult } from '../common/health/health-check.js';
import type { MockFileStore } from './mock-file.store.js';

/**
 * The mock-data folder: readable, what is loaded, which (tenant, domain) pairs have no file, last reload,
 * whether it is really watched. `degraded` while a rejected change leaves an older version in service,
 * and while MOCK_WATCH=true but the watcher does not cover the folder in service (error, failed re-arm).
 */
export class MockDataHealthCheck implements HealthCheck {
  readonly name = 'mock_data';
  readonly critical = true;

  constructor(
    private readonly store: MockFileStore,
    /** The domains served from the folder (mixed mode serves the others live). */
    private readonly domains?: readonly string[],
  ) {}

  async check(): Promise<HealthCheckResult> {
    const [readable] = await Promise.all([this.store.readable(), this.store.verifyWatching()]);
    const status = this.store.status();
    const warnings = [
      ...(status.rejected_reload
        ? [`a change to ${status.rejected_reload.files.join(', ')} was rejected; serving the version loaded before`]
        : []),
      ...(status.watch?.problem ? [`changes are not being watched: ${status.watch.problem}`] : []),
    ];
    return {
      status: !readable ? 'error' : warnings.length > 0 ? 'degraded' : 'ok',
      ...(readable ? {} : { error: 'the mock data folder cannot be read; serving the data loaded before' }),
      ...(readable && warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
      ...status,
      ...(this.domains && { not_configured: status.not_configured.filter((p) => this.domains?.includes(p.domain)) }),
    };
  }
}
