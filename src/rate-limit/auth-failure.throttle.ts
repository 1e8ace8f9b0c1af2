import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyInstance } from 'fastify';
import { LRUCache } from 'lru-cache';
import { PROBLEM_CONTENT_TYPE, problemFor } from '../common/problem/problem-details.filter.js';
import { rateLimitConfig } from '../config/rate-limit.config.js';
import { RateLimitedError } from './rate-limit.guard.js';
import { RATE_LIMIT_WINDOW_MS } from './rate-limit.window.js';

/** Addresses remembered as over their budget; beyond this the oldest are forgotten (they may guess again sooner). */
const BLOCKED_ADDRESSES = 100_000;

/**
 * Failed authentication (every 401) counts against the client address's budget, the one routes without
 * a key draw on (`ip:<address>`, shared through Redis when REDIS_URL is set). Once an address is over
 * it, requests from it that carry a key are answered 429 before the key is even looked at, until the
 * window ends: so a right guess is not told apart from a wrong one, and guessing keys is throttled.
 * Each copy learns of the block from its own next failure (the count is shared), so N copies let
 * through at most N guesses beyond the budget.
 */
@Injectable()
export class AuthFailureThrottle {
  private readonly blockedUntil = new LRUCache<string, number>({ max: BLOCKED_ADDRESSES });

  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(rateLimitConfig.KEY) private readonly config: ConfigType<typeof rateLimitConfig>,
  ) {}

  get limit(): number {
    return this.config.perMinute;
  }

  /** Seconds until `address` may try a key again; 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return 0;
    const seconds = Math.ceil((until - Date.now()) / 1000);
    if (seconds > 0) return seconds;
    this.blockedUntil.delete(address);
    return 0;
  }

  async failed(address: string): Promise<void> {
    if (this.config.perMinute === 0) return;
    const record = await this.storage.increment(`ip:${address}`, RATE_LIMIT_WINDOW_MS, this.config.perMinute, RATE_LIMIT_WINDOW_MS, 'default');
    if (record.isBlocked) this.blockedUntil.set(address, Date.now() + Math.max(1, record.timeToBlockExpire) * 1000);
  }
}

/**
 * The hooks of AuthFailureThrottle: the check runs before any authentication (the edge's, for write
 * requests, and the AuthGuard's), the count when a 401 is about to be sent.
 */
export function throttleFailedAuthentication(fastify: FastifyInstance, throttle: AuthFailureThrottle): void {
  if (throttle.limit === 0) return;
  // Callback hooks: requests that are not refused pass with no promise (async hooks cost every request one).
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.headers.authorization === undefined) return done();
    const wait = throttle.retryAfterSeconds(request.ip);
    if (wait === 0) return done();
    const { problem, headers } = problemFor(new RateLimitedError(throttle.limit, RATE_LIMIT_WINDOW_MS / 1000, wait), request.url.split('?')[0]);
    void reply.status(429).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode !== 401) return done(null, payload);
    throttle.failed(request.ip).then(() => done(null, payload), done);
  });
}
