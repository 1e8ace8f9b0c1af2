import type { HealthCheck, HealthCheckResult } from '../health/health-check.js';
import type { PlatformStore } from './platform.store.js';

/** The platform database answers a query. */
export class PlatformStoreHealthCheck implements HealthCheck {
  readonly name = 'store';
  readonly critical = true;

  constructor(private readonly store: PlatformStore) {}

  async check(): Promise<HealthCheckResult> {
    try {
      await this.store.ping();
      return { status: 'ok', engine: this.store.engine };
    } catch {
      return { status: 'error', engine: this.store.engine, error: 'the platform database does not answer' };
    }
  }
}
