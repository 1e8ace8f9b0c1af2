import { Inject, Injectable } from '@nestjs/common';
import { hash } from 'node:crypto';
import type { MockableDomain } from '../config/env.validation.js';
import type { LiveCache } from '../live/live-cache.js';
import { fillKey } from '../live/fill-cache-key.js';
import { domainNamed } from '../domains.js';
import { servedFills } from '../live/request-context.js';
import type { Vendor } from '../platform/integration-bodies.dto.js';
import { liveSideFor, mockSideFor, SOURCE_SIDES, type SourceSides } from '../source-binding/source-binding.js';
import { kindOf, SOURCE_MODES, type SourceModes } from '../config/source-modes.js';
import type { Tenant } from '../tenants/tenant.record.js';

/** What one answer reads, looked at before it is built. */
export interface VersionProbe {
  /** The version of everything the answer would read now; undefined when it cannot be known without reading it (live: nothing fresh cached). */
  version?: string;
  /** Called after the answer was built, in its request: the version of what it actually read (live: the cache fills served, stale or not). */
  served(): string | undefined;
}

/** Where data versions come from: the mock folder's accepted load, or the live cache's fills. */
export interface DataVersion {
  probe(tenant: Tenant, domains: readonly string[]): Promise<VersionProbe>;
}

/**
 * Data versions: a mocked domain's is the mock folder's accepted load (any accepted change of the folder
 * changes it); a live domain's is the identity of each cache fill it reads (cache key, which carries the
 * integration's version, and when the fill was fetched; Redis shares fills, so copies agree).
 */
@Injectable()
export class SourceDataVersion implements DataVersion {
  constructor(
    @Inject(SOURCE_MODES) private readonly modes: SourceModes,
    @Inject(SOURCE_SIDES) private readonly sides: SourceSides,
  ) {}

  /** The tenant's part of every version, by the record the tenant source answered (the same object until it changes). */
  private readonly tenantVersions = new WeakMap<Tenant, string>();

  async probe(tenant: Tenant, domains: readonly string[]): Promise<VersionProbe> {
    const tenantId = tenant.id;
    // An admin change of the tenant (name, activity) is a new version too: cheap, and nothing to reason about.
    const known: string[] = [this.tenantVersion(tenant)];
    const entries: Array<{ vendor: Vendor; key?: string; cache: LiveCache }> = [];
    for (const domain of [...new Set(domains)].sort() as MockableDomain[]) {
      if (kindOf(this.modes, domain) === 'mock') {
        known.push(`${domain}=mock#${mockSideFor(this.sides, domain).dataVersion()}`);
        continue;
      }
      // The fills the domain's live sources read (ticket descriptions are cached per ticket and
      // `updated_at_remote`, so they follow the tickets' fill).
      const { clients, cache } = liveSideFor(this.sides, domain).deps;
      for (const vendor of new Set(domainNamed(domain).vendorCalls.map((c) => c.vendor))) {
        const live = await clients.for(tenantId, vendor);
        entries.push({ vendor, key: live ? fillKey(tenantId, domain, vendor, live.version) : undefined, cache });
      }
    }
    const describe = (fetchedAt: (key: string) => number | undefined, stale: readonly string[]): string | undefined => {
      const parts = [...known];
      for (const { vendor, key } of entries) {
        if (key === undefined) parts.push(`${vendor}=none`);
        else {
          const at = fetchedAt(key);
          if (at === undefined) return undefined;
          parts.push(`${key}@${at}`);
        }
      }
      if (stale.length > 0) parts.push(`stale=${stale.join(',')}`);
      return parts.join('|');
    };
    const fresh = new Map<string, number | undefined>();
    for (const { key, cache } of entries) if (key !== undefined) fresh.set(key, await cache.freshFetchedAt(key));
    return {
      version: describe((key) => fresh.get(key), []),
      served: () => {
        const state = servedFills();
        if (!state) return entries.length === 0 ? describe(() => undefined, []) : undefined;
        return describe((key) => state.fills.get(key), [...state.staleVendors].sort());
      },
    };
  }

  private tenantVersion(tenant: Tenant): string {
    let version = this.tenantVersions.get(tenant);
    if (version === undefined) this.tenantVersions.set(tenant, (version = `tenant=${hash('sha1', JSON.stringify(tenant), 'base64url')}`));
    return version;
  }
}
