import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { MockDataHealthCheck } from '../mock/mock-data.health.js';
import { PlatformStore } from '../platform/platform.store.js';
import { PlatformDb } from '../platform/platform-db.js';
import { PlatformStoreHealthCheck } from '../platform/platform-store.health.js';
import { liveConfig } from '../config/live.config.js';
import { VendorHttp } from '../integrations/http/vendor-http.js';
import { CacheHealthCheck, LiveIntegrationsHealthCheck, VendorBreakersHealthCheck } from '../live/live.health.js';
import { SOURCE_SIDES, SourceSides } from '../source-binding/source-binding.js';
import { domainsServed, SOURCE_MODES, SourceModes } from '../config/source-modes.js';
import { SyncHealthCheck } from '../sync/sync.health.js';
import { HEALTH_CHECKS, HealthCheck } from '../common/health/health-check.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { Lifecycle } from './lifecycle.js';

@Module({
  controllers: [HealthController],
  providers: [
    {
      provide: HEALTH_CHECKS,
      inject: [SOURCE_MODES, SOURCE_SIDES, liveConfig.KEY, PlatformStore, PlatformDb, VendorHttp, { token: SyncHealthCheck, optional: true }],
      useFactory: (
        modes: SourceModes,
        sides: SourceSides,
        live: ConfigType<typeof liveConfig>,
        platform: PlatformStore,
        db: PlatformDb,
        vendorHttp: VendorHttp,
        sync: SyncHealthCheck | undefined,
      ): HealthCheck[] => [
        new PlatformStoreHealthCheck(platform.integrations, db.engine),
        // Mixed mode (MOCK_DOMAINS) checks both sides, each for its own domains; a side not built is not checked.
        ...(sides.mock ? [new MockDataHealthCheck(sides.mock, modes.mode === 'mock' ? undefined : domainsServed(modes, 'mock'))] : []),
        ...(sides.live
          ? [
              new VendorBreakersHealthCheck(vendorHttp),
              new CacheHealthCheck(sides.live.sharedCache, live.redisUrl ? 'redis' : 'memory'),
              new LiveIntegrationsHealthCheck(platform, domainsServed(modes, 'live')),
            ]
          : []),
        // Registered with the sync (anything live); admin detail only.
        ...(sync ? [sync] : []),
      ],
    },
    HealthService,
    Lifecycle,
  ],
  exports: [Lifecycle],
})
export class HealthModule {}
