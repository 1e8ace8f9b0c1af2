import { ApiProperty } from '@nestjs/swagger';
import { DOMAINS } from '../domains.js';

/**
 * Per domain: `mock` (the mock-data folder) or `live` (the tenant's vendor). One property per domain of
 * the list (src/domains.ts), declared here for the OpenAPI document: `Record<DomainName, 'mock' | 'live'>`.
 */
export class HealthSources {}
for (const { name } of DOMAINS) ApiProperty({ enum: ['mock', 'live'] })(HealthSources.prototype, name);

/** Service health; 503 with the failing check when the store or mock data cannot be read. */
export class HealthReport {
  /**
   * `degraded` (still 200) while a check serves from an older state, e.g. a rejected mock-data change.
   * @example "ok"
   */
  @ApiProperty({ enum: ['ok', 'degraded', 'error'] })
  status: 'ok' | 'degraded' | 'error';
  /**
   * Which sources serve the data: local mock files (`mock`), the tenants' vendor APIs (`live`), or
   * some domains from mock files and the others from vendors (`mixed`, see `sources`).
   * @example "mock"
   */
  @ApiProperty({ enum: ['mock', 'live', 'mixed'] })
  mode: 'mock' | 'live' | 'mixed';
  /**
   * Per domain, whether its records come from the mock files or the vendor.
   * @example {"tickets":"mock","time_entries":"mock","csat":"mock","security_alerts":"mock"}
   */
  sources: HealthSources;
  /** @example "0.1.0" */
  version: string;
  /**
   * One entry per dependency, each with its own `status`. Only an admin key sees the details, such as
   * `mock_data.not_configured`: the (tenant, domain) pairs without a file, which serve empty lists, and
   * `mock_data.watching`: true only while a watcher is armed on the folder in service (with
   * MOCK_WATCH=true, `watch` says since when, how often and why it re-armed, what it watches, and any
   * `problem`, which makes the check `degraded`).
   * @example {"mock_data":{"status":"ok","loaded_at":"2026-11-27T05:00:00.000Z","tenants":2,"files":9,"records":512,"not_configured":[],"watching":true,"watch":{"armed_at":"2026-11-27T05:10:00.000Z","rearms":1,"last_rearm":{"at":"2026-11-27T05:10:00.000Z","reason":"the folder was replaced"},"watched":[".","csat","security_alerts","tickets","time_entries"]}}}
   */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true } })
  checks: Record<string, Record<string, unknown>>;
}

export class LivenessReport {
  /** @example "ok" */
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class ReadinessReport {
  /**
   * `ok` or `degraded` (200): send traffic; `error` or `draining` (503): do not.
   * @example "ok"
   */
  @ApiProperty({ enum: ['ok', 'degraded', 'error', 'draining'] })
  status: 'ok' | 'degraded' | 'error' | 'draining';
  /**
   * Each check's status only.
   * @example {"store":{"status":"ok"},"mock_data":{"status":"ok"}}
   */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['ok', 'degraded', 'error'] } } },
  })
  checks: Record<string, { status: string }>;
}
