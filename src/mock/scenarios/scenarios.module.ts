import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../../config/live.config.js';
import { mockConfig } from '../../config/mock.config.js';
import type { DomainName } from '../../domains.js';
import { sourceModes } from '../../source-binding/source-modes.js';
import { MockFileStore } from '../mock-file.store.js';
import { MOCK_SCENARIOS, MockScenarios } from './mock-scenarios.js';
import { ScenarioRandom } from './scenario-random.js';

/** Where the data of each domain comes from is the source binding's answer, not a second reading of the config. */
const mockedDomains = (mock: ConfigType<typeof mockConfig>) =>
  Object.entries(sourceModes(mock).domains)
    .filter(([, kind]) => kind === 'mock')
    .map(([domain]) => domain as DomainName);

/**
 * Scenarios (Prefer, scenarios.json) are bound whenever a domain is mocked: in mock mode for every data
 * route, in mixed mode for the routes whose domains are all mocked. In live mode `Prefer` has no effect
 * and no per-request work is done. Global: the perimeter (DataResponseModule) applies them when they are there.
 */
@Global()
@Module({
  providers: [
    {
      provide: MOCK_SCENARIOS,
      inject: [mockConfig.KEY, liveConfig.KEY, MockFileStore],
      useFactory: (mock: ConfigType<typeof mockConfig>, live: ConfigType<typeof liveConfig>, store: MockFileStore | null): MockScenarios | null =>
        store
          ? new MockScenarios(
              store,
              new ScenarioRandom(mock.scenarioSeed),
              {
                timeoutMs: live.http.timeoutMs,
                retryAfterSeconds: Math.max(1, Math.ceil(live.http.halfOpenAfterMs / 1000)),
              },
              mockedDomains(mock),
            )
          : null,
    },
  ],
  exports: [MOCK_SCENARIOS],
})
export class ScenariosModule {}
