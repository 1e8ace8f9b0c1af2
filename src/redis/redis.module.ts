import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { once } from 'node:events';
import type { RedisClientType } from '@redis/client';
import { liveConfig } from '../config/live.config.js';

/** The shared Redis connection (REDIS_URL), or null when unset: what app copies coordinate through. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
export type SharedRedis = RedisClientType | null;

/** Every command is bounded by the client itself (its `timeout` command option). */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** A PING this often keeps the socket busy, so a Redis that stops answering is noticed by the socket timeout. */
export const REDIS_PING_INTERVAL_MS = 500;
/** Under the PING's timeout plus its interval, so an unanswered PING drops the socket before the next one counts as activity. */
export const REDIS_SOCKET_TIMEOUT_MS = 1_250;

/**
 * Whether Redis can be asked now. While the client is reconnecting (refused, reset, stalled) this is
 * false and callers go straight to what they do without Redis, instead of each waiting for a timeout.
 */
export function redisAnswers(redis: SharedRedis): redis is RedisClientType {
  return redis !== null && redis.isReady;
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: SharedRedis) {}

  onApplicationShutdown(): void {
    // Dropped, not QUIT: by now no request is waiting on it, and a QUIT to a stalled Redis would never return.
    if (this.redis?.isOpen) this.redis.destroy();
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
          // Refused at once while reconnecting, rather than queued until Redis is back.
          disableOfflineQueue: true,
          pingInterval: REDIS_PING_INTERVAL_MS,
          commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
          socket: {
            connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
            socketTimeout: REDIS_SOCKET_TIMEOUT_MS,
            reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000),
          },
        }) as RedisClientType;
        const logger = new Logger('Redis');
        let reported = 0;
        client.on('error', (error: Error) => {
          // Reported at most every 10 s while it stays down.
          if (Date.now() - reported > 10_000) logger.warn(`shared Redis: ${error.message}`);
          reported = Date.now();
        });
        client.on('ready', () => {
          if (reported > 0) logger.log('shared Redis answers again');
          reported = 0;
        });
        // The first attempt's outcome (ready, or refused / timed out after connectTimeout) is awaited, so a
        // copy does not start by walking without the lock; then it keeps connecting in the background.
        const firstOutcome = Promise.race([once(client, 'ready'), once(client, 'error').catch(() => undefined)]);
        client.connect().catch(() => undefined);
        await firstOutcome.catch(() => undefined);
        return client;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
