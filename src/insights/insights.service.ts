import { Injectable } from '@nestjs/common';
import { CsatService } from '../csat/csat.service.js';
import { SecurityAlertsService } from '../security-alerts/security-alerts.service.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { TicketsService } from '../tickets/tickets.service.js';
import { TimeEntriesService } from '../time-entries/time-entries.service.js';
import { summarize } from './kpis.js';
import { series } from './series.js';
import { TenantIndexes, newestInstant } from './tenant-indexes.js';
import type { SeriesQuery, SummaryQuery } from './summary-query.dto.js';
import type { TenantSeries, TenantSummary } from './summary.dto.js';
import { Window, buckets, iso, resolveWindow } from './window.js';

/**
 * KPIs from exactly the records the list routes serve, whichever sources are bound: the very
 * indexes the list routes query (same data version or live cache fill, same object), so their
 * parsed instants and sorted orders are built once for both.
 */
@Injectable()
export class InsightsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly timeEntries: TimeEntriesService,
    private readonly csat: CsatService,
    private readonly alerts: SecurityAlertsService,
  ) {}

  async summary(tenant: Tenant, query: SummaryQuery): Promise<TenantSummary> {
    const { records, window } = await this.load(tenant, query);
    return {
      tenant_id: tenant.id,
      window: shown(window),
      ...summarize(records, window),
      caveats: this.caveats(window, tenant),
    };
  }

  async series(tenant: Tenant, query: SeriesQuery): Promise<TenantSeries> {
    // An explicit window is checked (bucket count included) before any record is read.
    if (query.to !== undefined) buckets(resolveWindow(query, () => Date.now()), query.interval);
    const { records, window } = await this.load(tenant, query);
    return {
      tenant_id: tenant.id,
      interval: query.interval,
      window: shown(window),
      buckets: series(records, window, query.interval),
      caveats: this.caveats(window, tenant),
    };
  }

  private async load(tenant: Tenant, query: SummaryQuery): Promise<{ records: TenantIndexes; window: Window }> {
    if (query.to !== undefined) resolveWindow(query, () => Date.now());
    const [tickets, timeEntries, surveys, alerts] = await Promise.all([
      this.tickets.index(tenant),
      this.timeEntries.index(tenant),
      this.csat.index(tenant),
      this.alerts.index(tenant),
    ]);
    const records = { tickets, timeEntries, surveys, alerts };
    const window = resolveWindow(query, () => {
      const now = Date.now();
      const newest = newestInstant(records);
      return newest === null ? now : Math.min(newest + 1, now);
    });
    return { records, window };
  }

  /** A window inside the synced history (live: the replica) says nothing; one reaching before it, one caveat naming its start. */
  private caveats(window: Window, tenant: Tenant): string[] {
    const synced: Array<[string, Date | undefined]> = [
      ['tickets closed', this.tickets.syncedSince(tenant.id)],
      ['time entries', this.timeEntries.syncedSince(tenant.id)],
      ['surveys', this.csat.syncedSince(tenant.id)],
      ['security alerts', this.alerts.syncedSince(tenant.id)],
    ];
    const short = synced.filter((entry): entry is [string, Date] => entry[1] !== undefined && window.from < entry[1].getTime());
    if (short.length === 0) return [];
    const since = Math.max(...short.map(([, date]) => date.getTime()));
    const what = short.map(([name]) => name);
    const listed = what.length === 1 ? what[0] : `${what.slice(0, -1).join(', ')} and ${what[what.length - 1]}`;
    return [
      `The synced history starts on ${iso(since).slice(0, 10)} (SYNC_HISTORY_DAYS) plus every open ticket and alert: ` +
        `${listed} from before then are missing from this window, so its counts may be low.`,
    ];
  }
}

const shown = (window: Window) => ({ from: iso(window.from), to: iso(window.to) });
