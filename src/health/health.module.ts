import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mockConfig } from '../config/mock.config.js';
import { MockDataHealthCheck } from '../mock/mock-data.health.js';
import { MockFileStore } from '../mock/mock-file.store.js';
import { PlatformStore } from '../platform/platform.store.js';
import { PlatformStoreHealthCheck } from '../platform/platform-store.health.js';
import { HEALTH_CHECKS, HealthCheck } from './health-check.js';
import { HealthController } from './health.controller.js';

@Module({
  controllers: [HealthController],
  providers: [
    {
      provide: HEALTH_CHECKS,
      inject: [mockConfig.KEY, MockFileStore, PlatformStore],
      useFactory: (config: ConfigType<typeof mockConfig>, store: MockFileStore | null, platform: PlatformStore): HealthCheck[] => [
        new PlatformStoreHealthCheck(platform),
        ...(config.enabled && store ? [new MockDataHealthCheck(store)] : []),
      ],
    },
  ],
})
export class HealthModule {}
