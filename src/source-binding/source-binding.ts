import { FactoryProvider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { mockConfig } from '../config/mock.config.js';
import { LiveCache } from '../live/live-cache.js';
import { LiveClients } from '../live/live-clients.js';
import type { LiveDeps } from '../live/live-deps.js';
import { MockFileStore } from '../mock/mock-file.store.js';
import { PlatformStore } from '../platform/platform.store.js';
import { kindOf, Served, SourceBindingError, sourceModes } from './source-modes.js';

export interface SourceChoices<T> {
  mock: (store: MockFileStore) => T;
  live: (deps: LiveDeps) => T;
}

/**
 * Binds a token once, at bootstrap, from where `served` comes from (MOCK_MODE, MOCK_DOMAINS): only the
 * chosen implementation is constructed. This is the one place a domain branches on the mode, and it
 * never falls back: a mocked domain without a mock store is an error, not a quiet switch to the vendor.
 */
export function bindSource<T>(token: symbol, served: Served, choices: SourceChoices<T>): FactoryProvider<T> {
  return {
    provide: token,
    inject: [mockConfig.KEY, liveConfig.KEY, MockFileStore, PlatformStore, LiveClients, LiveCache],
    useFactory: (
      config: ConfigType<typeof mockConfig>,
      live: ConfigType<typeof liveConfig>,
      store: MockFileStore | null,
      platform: PlatformStore,
      clients: LiveClients,
      cache: LiveCache,
    ) => {
      const kind = kindOf(sourceModes(config), served);
      switch (kind) {
        case 'mock':
          if (!store) throw new SourceBindingError(`${served} is to be read from the mock folder, but no mock store was built`);
          return choices.mock(store);
        case 'live':
          return choices.live({ platform, clients, cache, windowDays: live.windowDays });
        default:
          throw new SourceBindingError(`${served}: unknown source kind '${String(kind)}'`);
      }
    },
  };
}
