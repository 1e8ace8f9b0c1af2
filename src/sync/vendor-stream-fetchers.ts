import { Inject, Injectable } from '@nestjs/common';
import { domainsServed, SOURCE_MODES, type SourceModes } from '../config/source-modes.js';
import type { DomainName } from '../domains.js';
import { LiveClients } from '../platform/live-clients.js';
import { isVendor, type Vendor } from '../platform/integration-bodies.dto.js';
import { PlatformStore } from '../platform/platform.store.js';
import { streamFetchers } from './fetchers/stream-fetchers.js';
import type { StreamKey } from './replica.types.js';
import type { StreamFetcher, StreamName } from './stream.js';
import type { StreamFetchers } from './stream-fetchers.js';
import { meterObserver, type VendorMeter } from './sync-runs.repository.js';

/** Each stream's vendor and the domains it feeds (members: the owner emails of tickets and time entries). */
export const STREAMS: Record<StreamName, { vendor: Vendor; domain: DomainName | null; feeds: readonly DomainName[] }> = {
  'connectwise.tickets': { vendor: 'connectwise', domain: 'tickets', feeds: ['tickets'] },
  'connectwise.time_entries': { vendor: 'connectwise', domain: 'time_entries', feeds: ['time_entries'] },
  'connectwise.members': { vendor: 'connectwise', domain: null, feeds: ['tickets', 'time_entries'] },
  'smileback.reviews': { vendor: 'smileback', domain: 'csat', feeds: ['csat'] },
  'sentinelone.threats': { vendor: 'sentinelone', domain: 'security_alerts', feeds: ['security_alerts'] },
  'defender.alerts': { vendor: 'defender', domain: 'security_alerts', feeds: ['security_alerts'] },
};

/** The real streams: every active tenant's integrations × the vendor's streams whose domains are not all mocked. */
@Injectable()
export class VendorStreamFetchers implements StreamFetchers {
  private readonly mocked: ReadonlySet<DomainName>;

  constructor(
    private readonly store: PlatformStore,
    private readonly clients: LiveClients,
    @Inject(SOURCE_MODES) modes: SourceModes,
  ) {
    this.mocked = new Set(domainsServed(modes, 'mock'));
  }

  /** The vendor's streams that exist in this mode (mixed mode: a mocked domain's streams do not). */
  streamsOfVendor(vendor: Vendor): StreamName[] {
    return (Object.keys(STREAMS) as StreamName[]).filter((s) => STREAMS[s].vendor === vendor && STREAMS[s].feeds.some((d) => !this.mocked.has(d)));
  }

  async streams(): Promise<StreamKey[]> {
    const [tenants, configured] = await Promise.all([this.store.listTenants(), this.store.configuredVendors()]);
    const active = new Set(tenants.filter((t) => t.is_active).map((t) => t.id));
    return configured
      .filter((c): c is { tenant_id: string; vendor: Vendor } => active.has(c.tenant_id) && isVendor(c.vendor))
      .flatMap((c) => this.streamsOfVendor(c.vendor).map((stream) => ({ tenantId: c.tenant_id, stream, vendor: c.vendor })));
  }

  async fetcherFor(tenantId: string, stream: StreamName, meter: VendorMeter): Promise<StreamFetcher | undefined> {
    const spec = STREAMS[stream];
    if (!spec || !this.streamsOfVendor(spec.vendor).includes(stream)) return undefined;
    const tenant = (await this.store.listTenants()).find((t) => t.id === tenantId);
    if (!tenant?.is_active) return undefined;
    const client = await this.clients.fresh(tenantId, spec.vendor, meterObserver(meter));
    if (!client) return undefined;
    return streamFetchers({ [spec.vendor]: client }).find((f) => f.stream === stream);
  }
}
