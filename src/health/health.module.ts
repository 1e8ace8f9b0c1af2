import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mockConfig } from '../config/mock.config.js';
import { MockDataHealthCheck } from '../mock/mock-data.health.js';
import { MockFileStore } from '../mock/mock-file.store.js';
import { PlatformStore } from '../platform/platform.store.js';
import { PlatformDb } from '../platform/platform-db.js';
import { PlatformStoreHealthCheck } from '../platform/platform-store.health.js';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { liveConfig } from '../config/live.config.js';
import { VendorHttp } from '../integrations/http/vendor-http.js';
import { CacheHealthCheck, LiveIntegrationsHealthCheck, VendorBreakersHealthCheck } from '../live/live.health.js';
import { sourceModes } from '../config/source-modes.js';
import { HEALTH_CHECKS, HealthCheck } from '../common/health/health-check.js';

const liveDomains = (config: ConfigType<typeof mockConfig>) =>
  Object.entries(sourceModes(config).domains)
    .filter(([, kind]) => kind === 'live')
    .map(([domain]) => domain);
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { Lifecycle } from './lifecycle.js';

@Module({
  controllers: [HealthController],
  providers: [
    {
      provide: HEALTH_CHECKS,
      inject: [mockConfig.KEY, liveConfig.KEY, MockFileStore, PlatformStore, PlatformDb, VendorHttp, CACHE_MANAGER],
      useFactory: (
        config: ConfigType<typeof mockConfig>,
        live: ConfigType<typeof liveConfig>,
        store: MockFileStore | null,
        platform: PlatformStore,
        db: PlatformDb,
        vendorHttp: VendorHttp,
        cache: Cache,
      ): HealthCheck[] => [
        new PlatformStoreHealthCheck(platform.integrations, db.engine),
        // Mixed mode (MOCK_DOMAINS) checks both sides, each for its own domains.
        ...(store ? [new MockDataHealthCheck(store, config.enabled ? undefined : config.domains)] : []),
        ...(config.enabled
          ? []
          : [
              new VendorBreakersHealthCheck(vendorHttp),
              new CacheHealthCheck(cache, live.redisUrl ? 'redis' : 'memory'),
              new LiveIntegrationsHealthCheck(platform, liveDomains(config)),
            ]),
      ],
    },
    HealthService,
    Lifecycle,
  ],
  exports: [Lifecycle],
})
export class HealthModule {}
