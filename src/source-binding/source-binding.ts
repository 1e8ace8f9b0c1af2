import { FactoryProvider } from '@nestjs/common';
import type { DomainName } from '../config/domains-and-vendors.js';
import type { MockFileStore } from '../mock/mock-file.store.js';
import { PlatformStore } from '../platform/platform.store.js';
import { kindOf, SOURCE_MODES, SourceBindingError, SourceModes } from '../config/source-modes.js';
import { REPLICA_RECORDS, type ReplicaRecords } from './replica-source.js';

/** How a domain's source is built on each side: from the mock folder, or (live) from the replica. */
export interface SourceChoices<T> {
  mock: (store: MockFileStore) => T;
  /** A live domain: its records as the sync engine keeps them (ReplicaReadsModule); a read never calls a vendor. */
  replica: (reads: ReplicaRecords) => T;
}

/** How the tenant list's source is built: from tenants.json, or (live) from the platform store. */
export interface TenantChoices<T> {
  mock: (store: MockFileStore) => T;
  platform: (store: PlatformStore) => T;
}

/**
 * The parts sources are built from. A side nothing is read from is not built at all (SourceBindingModule
 * leaves its module out), so here it is absent: never a null to trip over later.
 */
export interface SourceSides {
  /** The mock folder's store: only when some domain, or the tenant list, is mocked. */
  readonly mock?: MockFileStore;
}

export const SOURCE_SIDES = Symbol('SOURCE_SIDES');

/** The mock store `served` reads; a mocked domain without one is a bug to stop on, not a reason to read live. */
export function mockSideFor(sides: SourceSides, served: DomainName | 'tenants'): MockFileStore {
  if (!sides.mock) throw new SourceBindingError(`${served} is to be read from the mock folder, but no mock store was built`);
  return sides.mock;
}

/** The replica reads a live domain needs; a live domain without them is a bug to stop on, not a reason to serve the folder. */
export function replicaFor(replica: ReplicaRecords | undefined, domain: DomainName): ReplicaRecords {
  if (!replica) throw new SourceBindingError(`${domain} is to be read from the replica, but the replica reads (ReplicaReadsModule) were not registered`);
  return replica;
}

/**
 * Binds a domain's token once, at bootstrap, from where it comes from (SOURCE_MODES): only the chosen
 * implementation is constructed. This is the one place a domain branches on the mode, and it never
 * falls back: a mocked domain without a mock store, or a live one without the replica, is an error.
 */
export function bindSource<T>(token: symbol, domain: DomainName, choices: SourceChoices<T>): FactoryProvider<T> {
  return {
    provide: token,
    inject: [SOURCE_MODES, SOURCE_SIDES, { token: REPLICA_RECORDS, optional: true }],
    useFactory: (modes: SourceModes, sides: SourceSides, replica: ReplicaRecords | undefined) => {
      const kind = kindOf(modes, domain);
      switch (kind) {
        case 'mock':
          return choices.mock(mockSideFor(sides, domain));
        case 'live':
          return choices.replica(replicaFor(replica, domain));
        default:
          throw new SourceBindingError(`${domain}: unknown source kind '${String(kind)}'`);
      }
    },
  };
}

/** Binds a tenant-list token the same way: tenants.json when mocked, else the platform store. */
export function bindTenantSource<T>(token: symbol, choices: TenantChoices<T>): FactoryProvider<T> {
  return {
    provide: token,
    inject: [SOURCE_MODES, SOURCE_SIDES, PlatformStore],
    useFactory: (modes: SourceModes, sides: SourceSides, platform: PlatformStore) => {
      const kind = kindOf(modes, 'tenants');
      switch (kind) {
        case 'mock':
          return choices.mock(mockSideFor(sides, 'tenants'));
        case 'live':
          return choices.platform(platform);
        default:
          throw new SourceBindingError(`tenants: unknown source kind '${String(kind)}'`);
      }
    },
  };
}
