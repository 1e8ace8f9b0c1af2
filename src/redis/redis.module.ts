import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { RedisClientType } from '@redis/client';
import { liveConfig } from '../config/live.config.js';

/** The shared Redis connection (REDIS_URL), or null when unset: what app copies coordinate through. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
export type SharedRedis = RedisClientType | null;

/** Every command is bounded: with Redis away, callers get an error at once instead of a queued wait. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: SharedRedis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis?.isOpen) await this.redis.close().catch(() => undefined);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [liveConfig.KEY],
      useFactory: async (config: ConfigType<typeof liveConfig>): Promise<SharedRedis> => {
        if (!config.redisUrl) return null;
        // Imported only when there is a Redis to talk to (about a third of a second of the start otherwise).
        const { createClient } = await import('@redis/client');
        const client = createClient({
          url: config.redisUrl,
          disableOfflineQueue: true,
          socket: { connectTimeout: REDIS_COMMAND_TIMEOUT_MS, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) },
        }) as RedisClientType;
        const logger = new Logger('Redis');
        let reported = 0;
        client.on('error', (error: Error) => {
          // Reported at most every 10 s while it stays down.
          if (Date.now() - reported > 10_000) logger.warn(`shared Redis: ${error.message}`);
          reported = Date.now();
        });
        // Connects in the background: the service starts (and reports the outage) when Redis is down.
        client.connect().catch(() => undefined);
        return client;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
