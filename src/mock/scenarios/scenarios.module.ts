import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../../config/live.config.js';
import { mockConfig } from '../../config/mock.config.js';
import { domainsServed, SOURCE_MODES, SourceModes } from '../../config/source-modes.js';
import { MockFileStore } from '../mock-file.store.js';
import { MOCK_SCENARIOS, MockScenarios } from './mock-scenarios.js';
import { ScenarioRandom } from './scenario-random.js';

/**
 * Scenarios (Prefer, scenarios.json), imported by AppModule only when a domain is mocked: in mock mode
 * for every data route, in mixed mode for the routes whose domains are all mocked. In live mode it is
 * not part of the application: `Prefer` has no effect and no per-request work is done. Global: the
 * perimeter (DataResponseModule) applies them when they are there.
 */
@Global()
@Module({
  providers: [
    {
      provide: MOCK_SCENARIOS,
      // Where each domain's data comes from is the source binding's answer, not a second reading of the config.
      inject: [mockConfig.KEY, liveConfig.KEY, MockFileStore, SOURCE_MODES],
      useFactory: (mock: ConfigType<typeof mockConfig>, live: ConfigType<typeof liveConfig>, store: MockFileStore, modes: SourceModes) =>
        new MockScenarios(
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
  exports: [MOCK_SCENARIOS],
})
export class ScenariosModule {}
