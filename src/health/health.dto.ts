import { ApiProperty } from '@nestjs/swagger';

/** Service health; 503 with the failing check when the store or mock data cannot be read. */
export class HealthReport {
  /**
   * `degraded` (still 200) while a check serves from an older state, e.g. a rejected mock-data change.
   * @example "ok"
   */
  @ApiProperty({ enum: ['ok', 'degraded', 'error'] })
  status: 'ok' | 'degraded' | 'error';
  /**
   * Which sources serve the data: local mock files or the tenants' vendor APIs.
   * @example "mock"
   */
  @ApiProperty({ enum: ['mock', 'live'] })
  mode: 'mock' | 'live';
  /** @example "0.1.0" */
  version: string;
  /**
   * One entry per dependency, each with its own `status`. `mock_data.not_configured` lists the
   * (tenant, domain) pairs without a file, which serve empty lists.
   * @example {"mock_data":{"status":"ok","loaded_at":"2026-11-27T05:00:00.000Z","tenants":2,"files":9,"records":512,"not_configured":[],"watching":true}}
   */
  checks: Record<string, Record<string, unknown>>;
}
