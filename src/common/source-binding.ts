import { FactoryProvider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { mockConfig } from '../config/mock.config.js';
import { LiveCache } from '../live/live-cache.js';
import { LiveClients } from '../live/live-clients.js';
import { MockFileStore } from '../mock/mock-file.store.js';
import { PlatformStore } from '../platform/platform.store.js';

/** What a live source is built from. */
export interface LiveDeps {
  platform: PlatformStore;
  clients: LiveClients;
  cache: LiveCache;
  /** Records updated in the last LIVE_WINDOW_DAYS days are fetched. */
  windowDays: number;
}

export interface SourceChoices<T> {
  mock: (store: MockFileStore) => T;
  live: (deps: LiveDeps) => T;
}

/**
 * Binds a token once, at bootstrap, from `mock.enabled`; only the chosen implementation is
 * constructed. This is the one place a domain branches on the mode.
 */
export function bindSource<T>(token: symbol, choices: SourceChoices<T>): FactoryProvider<T> {
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
    ) => (config.enabled && store ? choices.mock(store) : choices.live({ platform, clients, cache, windowDays: live.windowDays })),
  };
}
