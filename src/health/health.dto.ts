/** Service health; 503 with the failing check when the store or mock data cannot be read. */
export class HealthReport {
  /**
   * `ok`; `degraded` (still 200: data is served, with less, e.g. without the shared cache); `error` (503).
   * @example "ok"
   */
  status: 'ok' | 'degraded' | 'error';
  /**
   * Which sources serve the data: local mock files or the tenants' vendor APIs.
   * @example "mock"
   */
  mode: 'mock' | 'live';
  /** @example "0.1.0" */
  version: string;
  /**
   * One entry per dependency, each with its own `status`. Only an admin key sees the details, such as
   * `mock_data.not_configured`: the (tenant, domain) pairs without a file, which serve empty lists.
   * @example {"mock_data":{"status":"ok","loaded_at":"2026-11-27T05:00:00.000Z","tenants":2,"files":9,"records":512,"not_configured":[],"watching":true}}
   */
  checks: Record<string, Record<string, unknown>>;
}

export class LivenessReport {
  /** @example "ok" */
  status: 'ok';
}

export class ReadinessReport {
  /**
   * `ok` or `degraded` (200): send traffic; `error` or `draining` (503): do not.
   * @example "ok"
   */
  status: 'ok' | 'degraded' | 'error' | 'draining';
  /**
   * Each check's status only.
   * @example {"store":{"status":"ok"},"mock_data":{"status":"ok"}}
   */
  checks: Record<string, { status: string }>;
}
