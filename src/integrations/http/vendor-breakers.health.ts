import type { HealthCheck, HealthCheckResult } from '../../common/health/health-check.js';
import type { VendorHttp } from './vendor-http.js';

/** Per vendor and tenant, the circuit breaker's state (`open` means calls are being refused). */
export class VendorBreakersHealthCheck implements HealthCheck {
  readonly name = 'vendors';
  readonly critical = false;

  constructor(private readonly http: VendorHttp) {}

  async check(): Promise<HealthCheckResult> {
    const breakers = this.http.breakerStates();
    const open = Object.entries(breakers).filter(([, state]) => state === 'open').map(([key]) => key);
    // An open breaker is a vendor's trouble, not ours: the service is still up and says which.
    return { status: 'ok', breakers, open };
  }
}
