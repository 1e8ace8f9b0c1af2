import type { HealthCheck, HealthCheckResult } from '../common/health/health-check.js';
import { redisAnswers, type SharedRedis } from './redis.module.js';

/** Where REDIS_URL points, without its user information (which may hold a password). */
export function describeRedis(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'redis (unparseable URL)';
  }
}

/** The shared Redis (rate-limit budgets): `degraded` while the client knows it is down. */
export class RedisHealthCheck implements HealthCheck {
  readonly name = 'redis';
  // Without Redis requests are let through unbudgeted: data is still served, so degraded, never down.
  readonly critical = false;

  constructor(
    private readonly redis: SharedRedis,
    private readonly url: string,
  ) {}

  // The client's own connection state (refused, or silent past its socket timeout): no command waits on a stalled Redis.
  check(): Promise<HealthCheckResult> {
    const address = describeRedis(this.url);
    if (redisAnswers(this.redis)) return Promise.resolve({ status: 'ok', address });
    return Promise.resolve({
      status: 'degraded',
      address,
      error: `Redis at ${address} does not answer; rate-limit budgets are not counted (requests are let through)`,
    });
  }
}
