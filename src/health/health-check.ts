export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

export interface HealthCheckResult {
  status: 'ok' | 'error';
  [detail: string]: unknown;
}

/** One thing the service needs to answer requests, checked on every `GET /api/health`. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<HealthCheckResult>;
}
