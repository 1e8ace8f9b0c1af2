import type { HealthCheck, HealthCheckResult } from '../common/health/health-check.js';
import type { ReplicaRepository } from './replica.repository.js';

/** A stream failing this many runs in a row degrades health (one failure is often a vendor's passing hiccup). */
export const SYNC_DEGRADED_FAILURES = 3;
/** A stream whose last success is older than this many intervals degrades health (the reads' staleness bound too). */
export const SYNC_DEGRADED_INTERVALS = 3;

/** Admin detail only: the worst sync lag, and the streams failing or lagging; public health keeps its shape. */
export class SyncHealthCheck implements HealthCheck {
  readonly name = 'sync';
  readonly critical = false;
  readonly adminOnly = true;

  constructor(
    private readonly replica: ReplicaRepository,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async check(): Promise<HealthCheckResult> {
    const now = this.now();
    const streams = await this.replica.overview();
    let worst: { tenant: string; stream: string; seconds: number } | null = null;
    const failing: { tenant: string; stream: string; consecutive_failures: number; last_error: string | null }[] = [];
    const lagging: { tenant: string; stream: string; seconds: number }[] = [];
    for (const s of streams) {
      if (s.consecutive_failures >= SYNC_DEGRADED_FAILURES) {
        failing.push({ tenant: s.tenant_id, stream: s.stream, consecutive_failures: s.consecutive_failures, last_error: s.last_error });
      }
      if (s.last_success_at === null) continue;
      const seconds = Math.max(0, Math.round((now - Date.parse(s.last_success_at)) / 1000));
      if (!worst || seconds > worst.seconds) worst = { tenant: s.tenant_id, stream: s.stream, seconds };
      if (seconds * 1000 > SYNC_DEGRADED_INTERVALS * this.intervalMs) lagging.push({ tenant: s.tenant_id, stream: s.stream, seconds });
    }
    return {
      status: failing.length > 0 || lagging.length > 0 ? 'degraded' : 'ok',
      streams: streams.length,
      never_synced: streams.filter((s) => s.last_success_at === null).length,
      worst_lag: worst,
      failing,
      lagging,
    };
  }
}
