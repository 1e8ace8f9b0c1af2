export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

export interface HealthCheckResult {
  /** `degraded`: still serving, from an older state (the answer stays 200). */
  status: 'ok' | 'degraded' | 'error';
  [detail: string]: unknown;
}

/** One thing the service needs to answer requests, checked on every `GET /api/health`. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<HealthCheckResult>;
}
