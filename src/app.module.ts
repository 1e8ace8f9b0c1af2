import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ReplicaReadsModule } from './replica-reads/replica-reads.module.js';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { PlatformModule } from './platform/platform.module.js';
import { configModule } from './config/config.module.js';
import { CsatModule } from './csat/csat.module.js';
import { HealthModule } from './health/health.module.js';
import { InsightsModule } from './insights/insights.module.js';
import { HomeModule } from './home/home.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RedisModule } from './redis/redis.module.js';
import { LoggingModule } from './common/logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ScenariosModule } from './mock/scenarios/scenarios.module.js';
import { sourceModules } from './source-binding/source-binding.module.js';
import { servesAny, sourceModes } from './config/source-modes.js';
import { DataResponseModule } from './data-response/data-response.module.js';
import { STREAM_FETCHERS } from './sync/stream-fetchers.js';
import { VendorStreamFetchers } from './sync/vendor-stream-fetchers.js';
import { SecurityAlertsModule } from './security-alerts/security-alerts.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { TicketsModule } from './tickets/tickets.module.js';
import { TimeEntriesModule } from './time-entries/time-entries.module.js';
import { DOMAINS_MODULE } from './domains.js';

// RateLimitModule after AuthModule: its guard runs second and budgets by the authenticated key.
const FEATURE_MODULES = [
  AuthModule,
  RateLimitModule,
  AdminModule,
  TenantsModule,
  TicketsModule,
  TimeEntriesModule,
  CsatModule,
  SecurityAlertsModule,
  InsightsModule,
  HealthModule,
  HomeModule,
];

@Module({})
export class AppModule {
  /**
   * Built when called, so the environment (and env file) is read at boot, not at import: validated once,
   * and the modes it sets choose the modules (mock side, live side, scenarios only with mocked data).
   */
  static async forRoot(options: { streamFetchers?: Provider } = {}): Promise<DynamicModule> {
    const config = await configModule({ serving: true });
    const modes = sourceModes(config.mock);
    return {
      module: AppModule,
      imports: [
        config.module,
        LoggingModule,
        MetricsModule,
        RedisModule,
        ...sourceModules(modes, DOMAINS_MODULE),
        PlatformModule,
        // Anything live is read from the replica, which the sync keeps (a test may hand in its own fetchers).
        ...(servesAny(modes, 'live')
          ? [ReplicaReadsModule.register(options.streamFetchers ?? { provide: STREAM_FETCHERS, useClass: VendorStreamFetchers })]
          : []),
        ...(servesAny(modes, 'mock') ? [ScenariosModule] : []),
        DataResponseModule,
        ...FEATURE_MODULES,
      ],
    };
  }
}
