import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { mockConfig } from '../config/mock.config.js';
import { IntegrationsModule } from '../integrations/integrations.module.js';
import { LiveCache } from './live-cache.js';
import { LiveClients } from './live-clients.js';
import { CrossCopyFlight, DEFAULT_WALK_LOCK_TIMING, WALK_LOCK_TIMING } from './cross-copy-flight.js';
import { REDIS_CLIENT, RedisModule, SharedRedis } from '../redis/redis.module.js';

/**
 * The vendor clients and the cache behind live sources. Redis (REDIS_URL) is connected only in live
 * mode, where something is cached; otherwise the store is in memory and only the health probe uses
 * it (LiveCache keeps its entries in its own bounded LRU, see live-cache.ts).
 */
@Global()
@Module({
  imports: [
    IntegrationsModule,
    RedisModule,
    CacheModule.registerAsync({
      imports: [RedisModule],
      inject: [liveConfig.KEY, mockConfig.KEY, REDIS_CLIENT],
      useFactory: async (live: ConfigType<typeof liveConfig>, mock: ConfigType<typeof mockConfig>, client: SharedRedis) => {
        if (!client || mock.enabled) return { stores: [new Keyv({ namespace: 'msp-data' })] };
        // Imported only when the cache lives in Redis.
        const { default: KeyvRedis } = await import('@keyv/redis');
        // The shared connection: the cache is refused at once while it is down, like the locks and budgets.
        // RedisModule closes it: a QUIT from here at shutdown waits for ever on a stalled Redis.
        const redis = new (class extends KeyvRedis<unknown> {
          override async disconnect(): Promise<void> {}
        })(client, { throwOnErrors: true });
        // Under REDIS_KEY_PREFIX like the walk locks and rate budgets, so deployments sharing a Redis never
        // read each other's vendor data; `cache` keeps tenant ids apart from the locks' and budgets' keys.
        const store = new Keyv({ store: redis, namespace: `${live.redisKeyPrefix}cache` });
        // Heard, not logged: RedisModule reports the connection, LiveCache each failed call (unheard, an 'error' event ends the process).
        redis.on('error', () => undefined);
        store.on('error', () => undefined);
        return { stores: [store] };
      },
    }),
  ],
  providers: [
    LiveClients,
    LiveCache,
    CrossCopyFlight,
    { provide: WALK_LOCK_TIMING, useValue: DEFAULT_WALK_LOCK_TIMING },
  ],
  exports: [IntegrationsModule, LiveClients, LiveCache, CacheModule],
})
export class LiveModule {}
