import { withTimeout } from '../common/async/with-timeout.js';
import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisClientType } from '@redis/client';
import { REDIS_COMMAND_TIMEOUT_MS } from '../redis/redis.module.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One fixed window per key: the first hit starts it, every hit counts, atomically across copies. */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { hits, ttl }`;

/**
 * @nestjs/throttler storage in Redis, so every app copy draws on one budget per key. When Redis does
 * not answer within REDIS_COMMAND_TIMEOUT_MS the request is let through (logged): an outage of the
 * shared store must not take the API down with it.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    private readonly redis: RedisClientType,
    private readonly prefix = 'msp-data:ratelimit:',
  ) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, ttlMs] = (await withTimeout(
        this.redis.eval(INCREMENT, { keys: [`${this.prefix}${name}:${key}`], arguments: [String(ttl)] }),
        REDIS_COMMAND_TIMEOUT_MS,
        'Redis',
      )) as [number, number];
      const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
      return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: hits > limit ? seconds : 0 };
    } catch (error) {
      if (Date.now() - this.lastWarning > 10_000) {
        this.logger.warn(`rate limit not enforced: Redis did not answer (${(error as Error).message})`);
        this.lastWarning = Date.now();
      }
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}

