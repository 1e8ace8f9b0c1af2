import { FactoryProvider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mockConfig } from '../config/mock.config.js';
import { MockFileStore } from '../mock/mock-file.store.js';

export class LiveSourceUnavailableError extends Error {
  constructor(what: string, vendor: string) {
    super(
      `MOCK_MODE=false needs a live source for ${what} (${vendor}), which this build does not have yet. ` +
        'Set MOCK_MODE=true (with MOCK_DATA_PATH) to serve local mock data.',
    );
    this.name = 'LiveSourceUnavailableError';
  }
}

export interface SourceChoices<T> {
  mock: (store: MockFileStore) => T;
  /** What live mode would need; until a live source exists, asking for it stops the boot. */
  live: { what: string; vendor: string };
}

/**
 * Binds a domain's source token once, at bootstrap, from `mock.enabled`; only the chosen
 * implementation is constructed. This is the one place a domain branches on the mode.
 */
export function bindSource<T>(token: symbol, choices: SourceChoices<T>): FactoryProvider<T> {
  return {
    provide: token,
    inject: [mockConfig.KEY, MockFileStore],
    useFactory: (config: ConfigType<typeof mockConfig>, store: MockFileStore | null) => {
      if (config.enabled && store) return choices.mock(store);
      throw new LiveSourceUnavailableError(choices.live.what, choices.live.vendor);
    },
  };
}
