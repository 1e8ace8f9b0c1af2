import { CacheModule } from '@nestjs/cache-manager';
import { DynamicModule, Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { IntegrationsModule } from '../integrations/integrations.module.js';
import { LiveCache } from './live-cache.js';
import { LiveClients } from './live-clients.js';
import { CrossCopyFlight, DEFAULT_WALK_LOCK_TIMING, WALK_LOCK_TIMING } from './cross-copy-flight.js';
import { REDIS_CLIENT, RedisModule, SharedRedis } from '../redis/redis.module.js';

/** The cache behind live sources: in Redis (REDIS_URL) for every copy, else in memory for the health probe only (LiveCache keeps its entries in its own bounded LRU, see live-cache.ts). */
const sharedCache = CacheModule.registerAsync({
  imports: [RedisModule],
  inject: [liveConfig.KEY, REDIS_CLIENT],
  useFactory: async (live: ConfigType<typeof liveConfig>, client: SharedRedis) => {
    if (!client) return { stores: [new Keyv({ namespace: 'msp-data' })] };
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
});

/**
 * The vendor clients, always (the admin API tests an integration in every mode), and, only with
 * `liveData` (some domain or the tenant list is read live), what live sources serve from: the cache,
 * the cross-copy walk locks. In mock mode none of those is built.
 */
@Module({})
export class LiveModule {
  static forRoot({ liveData }: { liveData: boolean }): DynamicModule {
    if (!liveData) {
      return { module: LiveModule, global: true, imports: [IntegrationsModule], providers: [LiveClients], exports: [IntegrationsModule, LiveClients] };
    }
    return {
      module: LiveModule,
      global: true,
      imports: [IntegrationsModule, RedisModule, sharedCache],
      providers: [
        LiveClients,
        LiveCache,
        CrossCopyFlight,
        { provide: WALK_LOCK_TIMING, useValue: DEFAULT_WALK_LOCK_TIMING },
      ],
      exports: [IntegrationsModule, LiveClients, LiveCache, CacheModule],
    };
  }
}
