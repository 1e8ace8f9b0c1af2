import type { HealthCheck, HealthCheckResult } from '../health/health-check.js';
import type { MockFileStore } from './mock-file.store.js';

/**
 * The mock-data folder: readable, what is loaded, which (tenant, domain) pairs have no file, last reload.
 * `degraded` while a rejected change leaves an older version in service.
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
    const readable = await this.store.readable();
    const status = this.store.status();
    return {
      status: !readable ? 'error' : status.rejected_reload ? 'degraded' : 'ok',
      ...(readable ? {} : { error: 'the mock data folder cannot be read; serving the data loaded before' }),
      ...(readable && status.rejected_reload
        ? { warning: `a change to ${status.rejected_reload.files.join(', ')} was rejected; serving the version loaded before` }
        : {}),
      ...status,
      ...(this.domains && { not_configured: status.not_configured.filter((p) => this.domains?.includes(p.domain)) }),
    };
  }
}
