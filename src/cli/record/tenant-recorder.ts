import type { INestApplicationContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { syncConfig } from '../../config/sync.config.js';
import { MOCKABLE_DOMAINS, type MockableDomain as DomainName } from '../../config/env.validation.js';
import type { CwMember } from '../../integrations/connectwise/connectwise.client.js';
import { IntegrationsService } from '../../platform/integrations.service.js';
import { PlatformTenantsService } from '../../platform/platform-tenants.service.js';
import { LiveClients } from '../../platform/live-clients.js';
import { ReplicaRepository } from '../../sync/replica.repository.js';
import { STREAM_NAMES, type StreamName } from '../../sync/stream.js';
import { STREAMS } from '../../sync/vendor-stream-fetchers.js';
import type { Tenant } from '../../tenants/tenant.record.js';
import type { KnownPerson, RecordedData } from './redactor.js';
import { StreamReader, type StreamOrigin } from './stream-reader.js';

/** Every domain of the mock-data folder, in its order. */
export const RECORDED_DOMAINS: readonly DomainName[] = MOCKABLE_DOMAINS;

const MEMBERS_STREAM: StreamName = 'connectwise.members';

export interface RecordProgress {
  /** `total` is unknown (undefined) until the domain's list has arrived. */
  update(domain: DomainName, done: number, total: number | undefined, task: string): void;
  finish(domain: DomainName, records: number): void;
}

/** What a recording read from where: each stream's origin, and records the mapper could not read. */
export interface RecordOutcome {
  data: RecordedData;
  origins: Partial<Record<StreamName, StreamOrigin>>;
  unreadable: number;
}

/**
 * Reads one tenant's data as live mode serves it from the replica: each stream the sync has completed
 * is copied from the replica (no vendor call), any other is walked through the sync's own fetcher
 * (same vendor clients, window and mappers, descriptions included), from the tenant's integrations
 * in the platform store.
 */
export class TenantRecorder {
  private readonly streams: StreamReader;

  constructor(private readonly app: INestApplicationContext) {
    this.streams = new StreamReader(app.get(ReplicaRepository), app.get(LiveClients), this.windowDays);
  }

  get windowDays(): number {
    return this.app.get<ConfigType<typeof syncConfig>>(syncConfig.KEY).windowDays;
  }

  async tenant(id: string): Promise<Tenant | undefined> {
    const tenant = (await this.app.get(PlatformTenantsService).list()).find((t) => t.id === id);
    return tenant && { id: tenant.id, name: tenant.name, is_active: tenant.is_active, llm_enabled: tenant.llm_enabled };
  }

  /** The domains some integration of the tenant serves; the others have no file, as live mode serves them nothing. */
  async configuredDomains(tenantId: string): Promise<DomainName[]> {
    const vendors = new Set((await this.app.get(IntegrationsService).list(tenantId)).filter((i) => i.configured).map((i) => i.vendor as string));
    return RECORDED_DOMAINS.filter((d) => this.streamsOf(d, vendors).length > 0);
  }

  /**
   * The tenant's ConnectWise members with their names and addresses, for redaction: the records hold
   * only one email per member, while free text calls them "John", "John Doe" or "jdoe".
   */
  async people(tenantId: string, domains: readonly DomainName[]): Promise<KnownPerson[]> {
    if (!domains.some((d) => STREAMS[MEMBERS_STREAM].feeds.includes(d))) return [];
    return ((await this.streams.raw(tenantId, MEMBERS_STREAM)) as CwMember[]).map((m) => ({
      names: [m.firstName, m.lastName].filter((n): n is string => typeof n === 'string' && n.trim() !== ''),
      identifier: typeof m.identifier === 'string' ? m.identifier : undefined,
      emails: [m.officeEmail, m.primaryEmail].filter((e): e is string => typeof e === 'string' && e.includes('@')),
    }));
  }

  async record(tenant: Tenant, domains: readonly DomainName[], progress: RecordProgress): Promise<RecordOutcome> {
    const outcome: RecordOutcome = { data: { tenant }, origins: {}, unreadable: 0 };
    const vendors = new Set((await this.app.get(IntegrationsService).list(tenant.id)).filter((i) => i.configured).map((i) => i.vendor as string));
    await Promise.all(
      domains.map(async (domain) => {
        // In the order the replica reads concatenate them (STREAM_NAMES), so mock mode sorts ties as live mode does.
        const reads = await Promise.all(
          this.streamsOf(domain, vendors).map((stream) =>
            this.streams.mapped(tenant.id, stream, (origin, n) =>
              progress.update(domain, n, undefined, origin === 'replica' ? `${stream} from the replica` : `${stream} from the vendor`),
            ),
          ),
        );
        this.streamsOf(domain, vendors).forEach((stream, i) => (outcome.origins[stream] = reads[i].origin));
        outcome.unreadable += reads.reduce((n, r) => n + r.unreadable, 0);
        const records = reads.flatMap((r) => r.records);
        (outcome.data as unknown as Record<DomainName, unknown[]>)[domain] = records;
        progress.finish(domain, records.length);
      }),
    );
    return outcome;
  }

  /** The streams feeding `domain` that the tenant has an integration for, in the replica reads' order. */
  private streamsOf(domain: DomainName, vendors: ReadonlySet<string>): StreamName[] {
    return STREAM_NAMES.filter((s) => STREAMS[s].domain === domain && vendors.has(STREAMS[s].vendor));
  }
}
