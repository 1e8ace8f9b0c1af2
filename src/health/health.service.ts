import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { appConfig } from '../config/app.config.js';
import { HEALTH_CHECKS, HealthCheck, HealthCheckResult, HealthStatus } from '../common/health/health-check.js';

export interface HealthRun {
  status: HealthStatus;
  /** A critical check failed: not ready. */
  down: boolean;
  checks: Record<string, HealthCheckResult>;
}

/** Runs the checks side by side, each bounded by HEALTH_CHECK_TIMEOUT_MS, so one stuck dependency cannot hang health. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  async run(which: (check: HealthCheck) => boolean): Promise<HealthRun> {
    const chosen = this.checks.filter(which);
    const results = await Promise.all(chosen.map((c) => this.bounded(c)));
    const down = chosen.some((c, i) => c.critical && results[i].status === 'error');
    const status: HealthStatus = down ? 'error' : results.every((r) => r.status === 'ok') ? 'ok' : 'degraded';
    return { status, down, checks: Object.fromEntries(chosen.map((c, i) => [c.name, results[i]])) };
  }

  private async bounded(check: HealthCheck): Promise<HealthCheckResult> {
    const ms = this.app.healthCheckTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<HealthCheckResult>((resolve) => {
      timer = setTimeout(() => resolve({ status: check.critical ? 'error' : 'degraded', error: `no answer within ${ms} ms` }), ms);
    });
    try {
      return await Promise.race([
        check.check().catch((): HealthCheckResult => ({ status: check.critical ? 'error' : 'degraded', error: 'the check failed' })),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
