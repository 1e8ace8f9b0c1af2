import { withTimeout } from '../common/async/with-timeout.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveConfig } from '../config/live.config.js';
import { REDIS_CLIENT, REDIS_COMMAND_TIMEOUT_MS, SharedRedis } from '../redis/redis.module.js';

/** How long one copy may hold a walk before another may start one (a walk is a few vendor pages). */
export const WALK_LOCK_MS = 30_000;
/** How often a waiting copy looks for the walker's result in the shared cache. */
const POLL_MS = 100;


/** Deletes the lock only if it is still ours (it may have expired and been taken by another copy). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Single flight across app copies (REDIS_URL): for one cache key (tenant, domain, integration version)
 * one copy takes a short Redis lock and walks the vendor; the others poll the shared cache until the
 * walker's entry appears, or the lock is gone (then they try to take it). Without Redis, or when Redis
 * does not answer, each copy just walks (per-process single flight still applies).
 */
@Injectable()
export class CrossCopyFlight {
  private readonly logger = new Logger('LiveCache');

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: SharedRedis,
    @Inject(liveConfig.KEY) private readonly config: ConfigType<typeof liveConfig>,
  ) {}

  /**
   * `walk()` in one copy at a time for `key`; elsewhere `shared()` (a fresh shared-cache entry, or
   * undefined) until it answers.
   */
  async run<T>(key: string, shared: () => Promise<T | undefined>, walk: () => Promise<T>): Promise<T> {
    if (!this.redis) return walk();
    const lock = `${this.config.redisKeyPrefix}walk-lock:${key}`;
    const token = randomUUID();
    const giveUpAt = Date.now() + WALK_LOCK_MS + POLL_MS;
    while (Date.now() < giveUpAt) {
      let acquired: boolean;
      try {
        acquired = (await withTimeout(this.redis.set(lock, token, { condition: 'NX', expiration: { type: 'PX', value: WALK_LOCK_MS } }), REDIS_COMMAND_TIMEOUT_MS, 'Redis')) === 'OK';
      } catch (error) {
        this.logger.warn(`walk lock unavailable for ${key} (${(error as Error).message}): walking without it`);
        return walk();
      }
      if (acquired) {
        try {
          // Another copy may have finished between our cache read and the lock.
          return (await shared()) ?? (await walk());
        } finally {
          await withTimeout(this.redis.eval(RELEASE, { keys: [lock], arguments: [token] }), REDIS_COMMAND_TIMEOUT_MS, 'Redis').catch(() => undefined);
        }
      }
      await sleep(POLL_MS);
      const found = await shared();
      if (found !== undefined) return found;
    }
    return walk();
  }
}
