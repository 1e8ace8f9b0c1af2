import type { HealthCheck, HealthCheckResult } from '../health/health-check.js';
import type { MockFileStore } from './mock-file.store.js';

/** The mock-data folder: readable, what is loaded, which (tenant, domain) pairs have no file, last reload. */
export class MockDataHealthCheck implements HealthCheck {
  readonly name = 'mock_data';
  readonly critical = true;

  constructor(private readonly store: MockFileStore) {}

  async check(): Promise<HealthCheckResult> {
    const readable = await this.store.readable();
    return {
      status: readable ? 'ok' : 'error',
      ...(readable ? {} : { error: 'the mock data folder cannot be read; serving the data loaded before' }),
      ...this.store.status(),
    };
  }
}
