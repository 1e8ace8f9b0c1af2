import type { INestApplicationContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../../config/live.config.js';
import { CSAT_SOURCE, type CsatSource } from '../../csat/sources/csat-source.js';
import { DOMAINS_BY_VENDOR } from '../../config/domains-and-vendors.js';
import { MOCKABLE_DOMAINS, type MockableDomain as DomainName } from '../../config/env.validation.js';
import { IntegrationsService } from '../../platform/integrations.service.js';
import { PlatformTenantsService } from '../../platform/platform-tenants.service.js';
import { SECURITY_ALERT_SOURCES, type SecurityAlertSource } from '../../security-alerts/sources/security-alert-source.js';
import type { Tenant } from '../../tenants/tenant.record.js';
import { TICKET_SOURCE, type TicketSource } from '../../tickets/sources/ticket-source.js';
import { TIME_ENTRY_SOURCE, type TimeEntrySource } from '../../time-entries/sources/time-entry-source.js';
import { LiveClients } from '../../platform/live-clients.js';
import type { KnownPerson, RecordedData } from './redactor.js';

/** Every domain of the mock-data folder, in its order. */
export const RECORDED_DOMAINS: readonly DomainName[] = MOCKABLE_DOMAINS;

/** Descriptions cost a vendor call per ticket: fetched in slices so progress can be shown. */
const DESCRIPTION_SLICE = 100;

export interface RecordProgress {
  /** `total` is unknown (undefined) until the domain's list has arrived. */
  update(domain: DomainName, done: number, total: number | undefined, task: string): void;
  finish(domain: DomainName, records: number): void;
}

/**
 * Reads one tenant's data through the server's own live sources (same vendor clients, window and
 * mappers, descriptions included), from the tenant's integrations in the platform store.
 */
export class TenantRecorder {
  constructor(private readonly app: INestApplicationContext) {}

  get windowDays(): number {
    return this.app.get<ConfigType<typeof liveConfig>>(liveConfig.KEY).windowDays;
  }

  async tenant(id: string): Promise<Tenant | undefined> {
    const tenant = (await this.app.get(PlatformTenantsService).list()).find((t) => t.id === id);
    return tenant && { id: tenant.id, name: tenant.name, is_active: tenant.is_active, llm_enabled: tenant.llm_enabled };
  }

  /** The domains some integration of the tenant serves; the others have no file, as live mode serves them nothing. */
  async configuredDomains(tenantId: string): Promise<DomainName[]> {
    const integrations = await this.app.get(IntegrationsService).list(tenantId);
    const served = new Set(integrations.filter((i) => i.configured).flatMap((i) => DOMAINS_BY_VENDOR[i.vendor] ?? []));
    return RECORDED_DOMAINS.filter((d) => served.has(d));
  }

  /**
   * The tenant's ConnectWise members with their names and addresses, for redaction: the records hold
   * only one email per member, while free text calls them "John", "John Doe" or "jdoe".
   */
  async people(tenantId: string, domains: readonly DomainName[]): Promise<KnownPerson[]> {
    if (!domains.some((d) => DOMAINS_BY_VENDOR.connectwise?.includes(d))) return [];
    const cw = await this.app.get(LiveClients).for(tenantId, 'connectwise');
    if (!cw) return [];
    return (await cw.client.listMemberNames()).map((m) => ({
      names: [m.firstName, m.lastName].filter((n): n is string => typeof n === 'string' && n.trim() !== ''),
      identifier: typeof m.identifier === 'string' ? m.identifier : undefined,
      emails: [m.officeEmail, m.primaryEmail].filter((e): e is string => typeof e === 'string' && e.includes('@')),
    }));
  }

  async record(tenant: Tenant, domains: readonly DomainName[], progress: RecordProgress): Promise<RecordedData> {
    const data: RecordedData = { tenant };
    const fetchers: Record<DomainName, () => Promise<void>> = {
      tickets: async () => {
        data.tickets = await this.tickets(tenant.id, progress);
      },
      time_entries: async () => {
        progress.update('time_entries', 0, undefined, 'fetching');
        data.time_entries = await this.source<TimeEntrySource>(TIME_ENTRY_SOURCE).list(tenant.id);
      },
      csat: async () => {
        progress.update('csat', 0, undefined, 'fetching');
        data.csat = await this.source<CsatSource>(CSAT_SOURCE).list(tenant.id);
      },
      security_alerts: async () => {
        progress.update('security_alerts', 0, undefined, 'fetching');
        const sources = this.source<SecurityAlertSource[]>(SECURITY_ALERT_SOURCES);
        // In the order the service merges them, so mock mode sorts ties exactly as live mode does.
        data.security_alerts = (await Promise.all(sources.map((s) => s.list(tenant.id)))).flat();
      },
    };
    await Promise.all(
      domains.map(async (domain) => {
        await fetchers[domain]();
        progress.finish(domain, data[domain]?.length ?? 0);
      }),
    );
    return data;
  }

  private async tickets(tenantId: string, progress: RecordProgress): Promise<RecordedData['tickets']> {
    progress.update('tickets', 0, undefined, 'fetching');
    const source = this.source<TicketSource>(TICKET_SOURCE);
    const listed = await source.list(tenantId);
    if (!source.complete) return listed;
    const complete: NonNullable<RecordedData['tickets']> = [];
    progress.update('tickets', 0, listed.length, 'descriptions');
    for (let start = 0; start < listed.length; start += DESCRIPTION_SLICE) {
      complete.push(...(await source.complete(tenantId, listed.slice(start, start + DESCRIPTION_SLICE))));
      progress.update('tickets', complete.length, listed.length, 'descriptions');
    }
    return complete;
  }

  private source<T>(token: symbol): T {
    return this.app.get<T>(token, { strict: false });
  }
}
