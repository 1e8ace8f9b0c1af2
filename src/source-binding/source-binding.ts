import { FactoryProvider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { mockConfig } from '../config/mock.config.js';
import { LiveCache } from '../live/live-cache.js';
import { LiveClients } from '../live/live-clients.js';
import type { LiveDeps } from '../live/live-deps.js';
import { MockFileStore } from '../mock/mock-file.store.js';
import { PlatformStore } from '../platform/platform.store.js';
import { ReplicaReads } from '../replica-reads/replica-reads.js';
import { kindOf, Served, SourceBindingError, sourceModes } from './source-modes.js';

export interface SourceChoices<T> {
  mock: (store: MockFileStore) => T;
  /** `bound` builds another domain's source as the configuration binds it (a live source's references). */
  live: (deps: LiveDeps, bound: BoundSources) => T;
  /** A live domain read from the replica, when the sync engine runs (ReplicaReadsModule); else `live` reads through. */
  replica?: (reads: ReplicaReads) => T;
}

/** What a live source may read of other domains: their sources as bound, mock or live, never both. */
export interface BoundSources {
  sourceOf<U>(served: Served, choices: SourceChoices<U>): U;
}

/**
 * Binds a token once, at bootstrap, from where `served` comes from (MOCK_MODE, MOCK_DOMAINS): only the
 * chosen implementation is constructed. This is the one place a domain branches on the mode, and it
 * never falls back: a mocked domain without a mock store is an error, not a quiet switch to the vendor.
 * A live source that reads another domain (the tickets' references) gets that domain's source through
 * the same decision, so a mocked domain is read from the folder there too and never calls its vendor.
 */
export function bindSource<T>(token: symbol, served: Served, choices: SourceChoices<T>): FactoryProvider<T> {
  return {
    provide: token,
    inject: [mockConfig.KEY, liveConfig.KEY, MockFileStore, PlatformStore, LiveClients, LiveCache, { token: ReplicaReads, optional: true }],
    useFactory: (
      config: ConfigType<typeof mockConfig>,
      live: ConfigType<typeof liveConfig>,
      store: MockFileStore | null,
      platform: PlatformStore,
      clients: LiveClients,
      cache: LiveCache,
      replica: ReplicaReads | undefined,
    ) => {
      const modes = sourceModes(config);
      const deps: LiveDeps = { platform, clients, cache, windowDays: live.windowDays };
      const bound: BoundSources = {
        sourceOf<U>(domain: Served, its: SourceChoices<U>): U {
          const kind = kindOf(modes, domain);
          switch (kind) {
            case 'mock':
              if (!store) throw new SourceBindingError(`${domain} is to be read from the mock folder, but no mock store was built`);
              return its.mock(store);
            case 'live':
              return replica && its.replica ? its.replica(replica) : its.live(deps, bound);
            default:
              throw new SourceBindingError(`${domain}: unknown source kind '${String(kind)}'`);
          }
        },
      };
      return bound.sourceOf(served, choices);
    },
  };
}
