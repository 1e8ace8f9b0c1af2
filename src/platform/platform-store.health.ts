import type { HealthCheck, HealthCheckResult } from '../health/health-check.js';
import type { PlatformStore } from './platform.store.js';

/**
 * The platform database answers a query, and every stored integration's secrets are under a key
 * this copy holds: `degraded` naming the (tenant, vendor) pairs that are not (their routes answer 503).
 */
export class PlatformStoreHealthCheck implements HealthCheck {
  readonly name = 'store';
  readonly critical = true;

  constructor(private readonly store: PlatformStore) {}

  async check(): Promise<HealthCheckResult> {
    let undecryptable: { tenant_id: string; vendor: string }[];
    try {
      undecryptable = await this.store.integrationsWithUnknownKeys();
    } catch {
      return { status: 'error', engine: this.store.engine, error: 'the platform database does not answer' };
    }
    if (undecryptable.length === 0) return { status: 'ok', engine: this.store.engine };
    return {
      status: 'degraded',
      engine: this.store.engine,
      undecryptable,
      error: 'these integrations were stored under an encryption key this server does not have: add it to ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS',
    };
  }
}
