import type { Cache } from 'cache-manager';
import type { HealthCheck, HealthCheckResult } from '../health/health-check.js';
import type { LiveClients } from './live-clients.js';

/** Per vendor and tenant, the circuit breaker's state (`open` means calls are being refused). */
export class VendorBreakersHealthCheck implements HealthCheck {
  readonly name = 'vendors';

  constructor(private readonly clients: LiveClients) {}

  async check(): Promise<HealthCheckResult> {
    const breakers = this.clients.http.breakerStates();
    const open = Object.entries(breakers).filter(([, state]) => state === 'open').map(([key]) => key);
    // An open breaker is a vendor's trouble, not ours: the service is still up and says which.
    return { status: 'ok', breakers, open };
  }
}

/** The cache backend answers. */
export class CacheHealthCheck implements HealthCheck {
  readonly name = 'cache';

  constructor(
    private readonly cache: Cache,
    private readonly backend: 'memory' | 'redis',
  ) {}

  async check(): Promise<HealthCheckResult> {
    try {
      await this.cache.get('health-probe');
      return { status: 'ok', backend: this.backend };
    } catch {
      return { status: 'error', backend: this.backend, error: 'the cache does not answer' };
    }
  }
}
