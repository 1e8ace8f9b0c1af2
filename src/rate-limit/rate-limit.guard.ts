import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { PRINCIPAL, WithPrincipal } from '../auth/principal.js';
import { ProblemError } from '../common/problem/problem.error.js';

export class RateLimitedError extends ProblemError {
  constructor(limit: number, windowSeconds: number, retryAfterSeconds: number) {
    super(429, '/problems/rate-limited', `more than ${limit} requests in ${windowSeconds} s: retry after ${retryAfterSeconds} s`, {}, {
      'retry-after': String(retryAfterSeconds),
      'ratelimit-limit': String(limit),
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(retryAfterSeconds),
      'ratelimit-policy': `${limit};w=${windowSeconds}`,
    });
  }
}

const ADMITTED = Promise.resolve(true);

/**
 * @nestjs/throttler with one budget per API key across every route (per client address where no key
 * is needed), IETF `RateLimit-*` headers, and a 429 problem+json. Runs after the AuthGuard, so the
 * key is known (RateLimitModule is imported after AuthModule).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** With rate limiting off (RATE_LIMIT_PER_MINUTE=0) a request costs no promise chain or metadata reads here. */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    return this.commonOptions.skipIf?.(context) ? ADMITTED : super.canActivate(context);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = (request as WithPrincipal)[PRINCIPAL];
    return principal ? `key:${principal.keyId}` : `ip:${(request as unknown as FastifyRequest).ip}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.headerPrefix = 'RateLimit';
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedError(detail.limit, Math.round(detail.ttl / 1000), Math.max(1, detail.timeToBlockExpire));
  }
}
