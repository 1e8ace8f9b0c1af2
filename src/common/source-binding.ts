import { FactoryProvider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mockConfig } from '../config/mock.config.js';
import { MockFileStore } from '../mock/mock-file.store.js';
import { PlatformStore } from '../platform/platform.store.js';

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
  live: (platform: PlatformStore) => T;
}

/** For a domain whose live source does not exist yet: asking for it stops the boot, naming it. */
export const notYetLive =
  (what: string, vendor: string) =>
  (): never => {
    throw new LiveSourceUnavailableError(what, vendor);
  };

/**
 * Binds a token once, at bootstrap, from `mock.enabled`; only the chosen implementation is
 * constructed. This is the one place a domain branches on the mode.
 */
export function bindSource<T>(token: symbol, choices: SourceChoices<T>): FactoryProvider<T> {
  return {
    provide: token,
    inject: [mockConfig.KEY, MockFileStore, PlatformStore],
    useFactory: (config: ConfigType<typeof mockConfig>, store: MockFileStore | null, platform: PlatformStore) =>
      config.enabled && store ? choices.mock(store) : choices.live(platform),
  };
}
