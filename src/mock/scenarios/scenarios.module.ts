import { Module, NestInterceptor } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import { liveConfig } from '../../config/live.config.js';
import { mockConfig } from '../../config/mock.config.js';
import { MockFileStore } from '../mock-file.store.js';
import { MockScenarioInterceptor } from './mock-scenario.interceptor.js';
import { ScenarioRandom } from './scenario-random.js';

/**
 * Scenarios (Prefer, scenarios.json) are bound only in mock mode: in live mode `Prefer` has no effect
 * and no per-request work is done.
 */
@Module({
  providers: [
    {
      provide: APP_INTERCEPTOR,
      inject: [mockConfig.KEY, liveConfig.KEY, Reflector, MockFileStore],
      useFactory: (
        mock: ConfigType<typeof mockConfig>,
        live: ConfigType<typeof liveConfig>,
        reflector: Reflector,
        store: MockFileStore | null,
      ): NestInterceptor =>
        mock.enabled && store
          ? new MockScenarioInterceptor(reflector, store, new ScenarioRandom(mock.scenarioSeed), {
              timeoutMs: live.http.timeoutMs,
              retryAfterSeconds: Math.max(1, Math.ceil(live.http.halfOpenAfterMs / 1000)),
            })
          : { intercept: (_context, next) => next.handle() },
    },
  ],
})
export class ScenariosModule {}
