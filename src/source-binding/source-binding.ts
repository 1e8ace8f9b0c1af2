import { FactoryProvider } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import type { LiveDeps } from '../live/live-deps.js';
import type { MockFileStore } from '../mock/mock-file.store.js';
import { kindOf, Served, SOURCE_MODES, SourceBindingError, SourceModes } from '../config/source-modes.js';
import { REPLICA_RECORDS, type ReplicaRecords } from './replica-source.js';

export interface SourceChoices<T> {
  mock: (store: MockFileStore) => T;
  /** `bound` builds another domain's source as the configuration binds it (a live source's references). */
  live: (deps: LiveDeps, bound: BoundSources) => T;
  /** A live domain read from the replica, when the sync engine runs (ReplicaReadsModule); else `live` reads through. */
  replica?: (reads: ReplicaRecords) => T;
}

/** What a live source may read of other domains: their sources as bound, mock or live, never both. */
export interface BoundSources {
  sourceOf<U>(served: Served, choices: SourceChoices<U>): U;
}

/** The live side: what live sources are built from, and the cache store behind them (its health probe). */
export interface LiveSide {
  readonly deps: LiveDeps;
  readonly sharedCache: Cache;
}

/**
 * The parts sources are built from, one per side. A side nothing is read from is not built at all
 * (SourceBindingModule leaves its module out), so here it is absent: never a null to trip over later.
 */
export interface SourceSides {
  /** The mock folder's store: only when some domain, or the tenant list, is mocked. */
  readonly mock?: MockFileStore;
  /** Only when some domain, or the tenant list, is read live. */
  readonly live?: LiveSide;
}

export const SOURCE_SIDES = Symbol('SOURCE_SIDES');

/** The mock store `served` reads; a mocked domain without one is a bug to stop on, not a reason to call its vendor. */
export function mockSideFor(sides: SourceSides, served: Served): MockFileStore {
  if (!sides.mock) throw new SourceBindingError(`${served} is to be read from the mock folder, but no mock store was built`);
  return sides.mock;
}

/** The live side `served` reads; a live domain without one is a bug to stop on, not a reason to serve the folder. */
export function liveSideFor(sides: SourceSides, served: Served): LiveSide {
  if (!sides.live) throw new SourceBindingError(`${served} is to be read live, but no live cache and clients were built`);
  return sides.live;
}

/**
 * Binds a token once, at bootstrap, from where `served` comes from (SOURCE_MODES): only the chosen
 * implementation is constructed. This is the one place a domain branches on the mode, and it never
 * falls back: a mocked domain without a mock store is an error, not a quiet switch to the vendor.
 * A live source that reads another domain (the tickets' references) gets that domain's source through
 * the same decision, so a mocked domain is read from the folder there too and never calls its vendor.
 */
export function bindSource<T>(token: symbol, served: Served, choices: SourceChoices<T>): FactoryProvider<T> {
  return {
    provide: token,
    inject: [SOURCE_MODES, SOURCE_SIDES, { token: REPLICA_RECORDS, optional: true }],
    useFactory: (modes: SourceModes, sides: SourceSides, replica: ReplicaRecords | undefined) => {
      const bound: BoundSources = {
        sourceOf<U>(domain: Served, its: SourceChoices<U>): U {
          const kind = kindOf(modes, domain);
          switch (kind) {
            case 'mock':
              return its.mock(mockSideFor(sides, domain));
            case 'live':
              return replica && its.replica ? its.replica(replica) : its.live(liveSideFor(sides, domain).deps, bound);
            default:
              throw new SourceBindingError(`${domain}: unknown source kind '${String(kind)}'`);
          }
        },
      };
      return bound.sourceOf(served, choices);
    },
  };
}
