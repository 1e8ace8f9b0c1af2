import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import { liveConfig } from '../../config/live.config.js';
import { mockConfig } from '../../config/mock.config.js';
import { domainsServed, SOURCE_MODES, SourceModes } from '../../config/source-modes.js';
import { MockFileStore } from '../mock-file.store.js';
import { MockScenarioInterceptor } from './mock-scenario.interceptor.js';
import { ScenarioRandom } from './scenario-random.js';

/**
 * Scenarios (Prefer, scenarios.json), imported by AppModule only when a domain is mocked: in mock mode
 * for every data route, in mixed mode for the routes whose domains are all mocked. In live mode it is
 * not part of the application: `Prefer` has no effect and no per-request work is done.
 */
@Module({
  providers: [
    {
      provide: APP_INTERCEPTOR,
      // Where each domain's data comes from is the source binding's answer, not a second reading of the config.
      inject: [mockConfig.KEY, liveConfig.KEY, Reflector, MockFileStore, SOURCE_MODES],
      useFactory: (
        mock: ConfigType<typeof mockConfig>,
        live: ConfigType<typeof liveConfig>,
        reflector: Reflector,
        store: MockFileStore,
        modes: SourceModes,
      ) =>
        new MockScenarioInterceptor(
          reflector,
          store,
          new ScenarioRandom(mock.scenarioSeed),
          {
            timeoutMs: live.http.timeoutMs,
            retryAfterSeconds: Math.max(1, Math.ceil(live.http.halfOpenAfterMs / 1000)),
          },
          domainsServed(modes, 'mock'),
        ),
    },
  ],
})
export class ScenariosModule {}
