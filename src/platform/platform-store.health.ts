import type { HealthCheck, HealthCheckResult } from '../common/health/health-check.js';
import type { Engine } from './database.js';
import type { IntegrationsService } from './integrations.service.js';

/**
 * The platform database answers a query, and every stored integration's secrets are under a key
 * this copy holds: `degraded` naming the (tenant, vendor) pairs that are not (their routes answer 503).
 */
export class PlatformStoreHealthCheck implements HealthCheck {
  readonly name = 'store';
  readonly critical = true;

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly engine: Engine,
  ) {}

  async check(): Promise<HealthCheckResult> {
    let undecryptable: { tenant_id: string; vendor: string }[];
    try {
      undecryptable = await this.integrations.withUnknownKeys();
    } catch {
      return { status: 'error', engine: this.engine, error: 'the platform database does not answer' };
    }
    if (undecryptable.length === 0) return { status: 'ok', engine: this.engine };
    return {
      status: 'degraded',
      engine: this.engine,
      undecryptable,
      error: 'these integrations were stored under an encryption key this server does not have: add it to ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS',
    };
  }
}
