export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

export type HealthStatus = 'ok' | 'degraded' | 'error';

export interface HealthCheckResult {
  /** `degraded`: data is still served, with less (e.g. no shared cache, or an older mock-data version). */
  status: HealthStatus;
  [detail: string]: unknown;
}

/** One thing the service needs to answer requests. */
export interface HealthCheck {
  readonly name: string;
  /** Readiness depends on it: `error` makes `/api/health/ready` answer 503. Otherwise an error only degrades. */
  readonly critical: boolean;
  /** Run only for admin callers of `/api/health` (per-tenant details, more queries). */
  readonly adminOnly?: boolean;
  check(): Promise<HealthCheckResult>;
}
