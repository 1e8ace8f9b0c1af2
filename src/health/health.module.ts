import { Module } from '@nestjs/common';
import { MockDataHealthCheck } from '../mock/mock-data.health.js';
import { PlatformStore } from '../platform/platform.store.js';
import { PlatformDb } from '../platform/platform-db.js';
import { PlatformStoreHealthCheck } from '../platform/platform-store.health.js';
import { VendorHttp } from '../integrations/http/vendor-http.js';
import { VendorBreakersHealthCheck } from '../integrations/http/vendor-breakers.health.js';
import { LiveIntegrationsHealthCheck } from '../platform/integrations.health.js';
import { SOURCE_SIDES, SourceSides } from '../source-binding/source-binding.js';
import { domainsServed, servesAny, SOURCE_MODES, SourceModes } from '../config/source-modes.js';
import { REDIS_CLIENT, type SharedRedis } from '../redis/redis.module.js';
import { RedisHealthCheck } from '../redis/redis.health.js';
import { liveConfig } from '../config/live.config.js';
import type { ConfigType } from '@nestjs/config';
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
      inject: [SOURCE_MODES, SOURCE_SIDES, PlatformStore, PlatformDb, VendorHttp, REDIS_CLIENT, liveConfig.KEY, { token: SyncHealthCheck, optional: true }],
      useFactory: (
        modes: SourceModes,
        sides: SourceSides,
        platform: PlatformStore,
        db: PlatformDb,
        vendorHttp: VendorHttp,
        redis: SharedRedis,
        live: ConfigType<typeof liveConfig>,
        sync: SyncHealthCheck | undefined,
      ): HealthCheck[] => [
        new PlatformStoreHealthCheck(platform.integrations, db.engine),
        // Mixed mode (MOCK_DOMAINS) checks both sides, each for its own domains; a side not built is not checked.
        ...(sides.mock ? [new MockDataHealthCheck(sides.mock, modes.mode === 'mock' ? undefined : domainsServed(modes, 'mock'))] : []),
        ...(servesAny(modes, 'live') ? [new VendorBreakersHealthCheck(vendorHttp), new LiveIntegrationsHealthCheck(platform, domainsServed(modes, 'live'))] : []),
        // Any mode with REDIS_URL: the rate-limit budgets are shared through it.
        ...(live.redisUrl ? [new RedisHealthCheck(redis, live.redisUrl)] : []),
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
