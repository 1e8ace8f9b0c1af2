import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { mockConfig } from '../config/mock.config.js';
import { LiveCache } from './live-cache.js';
import { LiveClients } from './live-clients.js';

/**
 * The vendor clients and the cache behind live sources. Redis (REDIS_URL) is connected only in live
 * mode, where something is cached; otherwise the cache is in memory.
 */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [liveConfig.KEY, mockConfig.KEY],
      useFactory: (live: ConfigType<typeof liveConfig>, mock: ConfigType<typeof mockConfig>) => ({
        stores: [
          live.redisUrl && !mock.enabled
            ? new Keyv({ store: new KeyvRedis(live.redisUrl), namespace: 'msp-data' })
            : new Keyv({ namespace: 'msp-data' }),
        ],
      }),
    }),
  ],
  providers: [LiveClients, LiveCache],
  exports: [LiveClients, LiveCache, CacheModule],
})
export class LiveModule {}
