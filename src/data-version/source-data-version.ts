import { Inject, Injectable, Optional } from '@nestjs/common';
import { hash } from 'node:crypto';
import type { DomainName } from '../config/domains-and-vendors.js';
import { replicaReads } from '../replica-reads/replica-request.js';
import { ReplicaReads } from '../replica-reads/replica-reads.js';
import { mockSideFor, SOURCE_SIDES, type SourceSides } from '../source-binding/source-binding.js';
import { kindOf, SOURCE_MODES, SourceBindingError, type SourceModes } from '../config/source-modes.js';
import type { Tenant } from '../tenants/tenant.record.js';

/** What one answer reads, looked at before it is built. */
export interface VersionProbe {
  /** The version of everything the answer would read now; undefined when it cannot be known without reading it (a stream not synced yet). */
  version?: string;
  /** Called after the answer was built, in its request: the version of what it actually read (the replica streams' versions it was served). */
  served(): string | undefined;
}

/** Where data versions come from: the mock folder's accepted load, or the replica streams' data versions. */
export interface DataVersion {
  probe(tenant: Tenant, domains: readonly string[]): Promise<VersionProbe>;
}

/**
 * Data versions: a mocked domain's is the mock folder's accepted load (any accepted change of the folder
 * changes it); a live domain's is each of its replica streams' data version (a sync that changed nothing
 * keeps it; every copy reads the same table, so copies agree).
 */
@Injectable()
export class SourceDataVersion implements DataVersion {
  constructor(
    @Inject(SOURCE_MODES) private readonly modes: SourceModes,
    @Inject(SOURCE_SIDES) private readonly sides: SourceSides,
    @Optional() private readonly replica?: ReplicaReads,
  ) {}

  /** The tenant's part of every version, by the record the tenant source answered (the same object until it changes). */
  private readonly tenantVersions = new WeakMap<Tenant, string>();

  async probe(tenant: Tenant, domains: readonly string[]): Promise<VersionProbe> {
    // An admin change of the tenant (name, activity) is a new version too: cheap, and nothing to reason about.
    const fixed: string[] = [this.tenantVersion(tenant)];
    const known: string[] = [];
    const streams: string[] = [];
    let unsynced = false;
    for (const domain of [...new Set(domains)].sort() as DomainName[]) {
      if (kindOf(this.modes, domain) === 'mock') {
        fixed.push(`${domain}=mock#${mockSideFor(this.sides, domain).dataVersion()}`);
        continue;
      }
      if (!this.replica) throw new SourceBindingError(`${domain} is read from the replica, but the replica reads (ReplicaReadsModule) were not registered`);
      for (const { stream, state } of await this.replica.streamsOf(tenant.id, domain)) {
        streams.push(stream);
        // A stream turning stale is a new version too: a revalidating client then sees the Warning.
        if (state?.lastSuccessAt) known.push(`${stream}=v${state.dataVersion}${this.replica.isStale(state) ? '~stale' : ''}`);
        else unsynced = true;
      }
    }
    const version = unsynced ? undefined : [...fixed, ...known].join('|');
    if (streams.length === 0) return { version, served: () => version };
    return {
      version,
      served: () => {
        const reads = replicaReads();
        if (!reads) return undefined;
        const parts = [...fixed];
        for (const stream of streams) {
          const read = reads.get(stream);
          if (!read) return undefined;
          parts.push(`${stream}=v${read.dataVersion}${read.stale ? '~stale' : ''}`);
        }
        return parts.join('|');
      },
    };
  }

  private tenantVersion(tenant: Tenant): string {
    let version = this.tenantVersions.get(tenant);
    if (version === undefined) this.tenantVersions.set(tenant, (version = `tenant=${hash('sha1', JSON.stringify(tenant), 'base64url')}`));
    return version;
  }
}
