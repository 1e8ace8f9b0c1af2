import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { RedisClientType } from '@redis/client';
import { liveConfig } from '../config/live.config.js';
import { rateLimitConfig } from '../config/rate-limit.config.js';
import { REDIS_CLIENT, SharedRedis } from '../redis/redis.module.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';
import { AuthFailureThrottle } from './auth-failure.throttle.js';
import { RATE_LIMIT_WINDOW_MS } from './rate-limit.window.js';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [rateLimitConfig.KEY, liveConfig.KEY, REDIS_CLIENT],
      useFactory: (config: ConfigType<typeof rateLimitConfig>, live: ConfigType<typeof liveConfig>, redis: SharedRedis) => ({
        throttlers: [{ name: 'default', ttl: RATE_LIMIT_WINDOW_MS, limit: config.perMinute }],
        skipIf: () => config.perMinute === 0,
        // In memory (this copy only) without REDIS_URL; in Redis, one budget for every copy.
        storage: redis ? new RedisThrottlerStorage(redis as RedisClientType, `${live.redisKeyPrefix}ratelimit:`) : undefined,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }, AuthFailureThrottle],
  exports: [AuthFailureThrottle],
})
export class RateLimitModule {}
