import { fillKey } from '../../live/fill-cache-key.js';
import type { LiveDeps } from '../../live/live-deps.js';
import { mapConnectWiseTimeEntry } from './connectwise-time-entry.mappers.js';
import { windowStart } from '../../live/live-window.js';
import { mergeById } from '../../live/merge-by-id.js';
import { connectWiseMemberEmails } from '../../tickets/sources/connectwise-ticket-source.js';
import type { TimeEntry } from '../time-entry.record.js';
import { isTicketClosed, type Ticket } from '../../tickets/ticket.record.js';
import type { TimeEntrySource } from './time-entry-source.js';

/** The ConnectWise ids of a tenant's tickets closed since `since` but opened before it. */
export type ClosedTicketIds = (tenantId: string, since: Date) => Promise<number[]>;

/** Those of `tickets` (e.g. a mock folder's): closed at or after `since` (as the KPIs date a close), created before it, with a ConnectWise id. */
export function closedTicketIdsOpenedBefore(tickets: readonly Ticket[], since: Date): number[] {
  const at = since.getTime();
  return tickets
    .filter((t) => isTicketClosed(t) && Date.parse(t.created_at_remote) < at && Date.parse(t.closed_at_remote ?? t.updated_at_remote) >= at)
    .map((t) => t.cw_ticket_id)
    .filter((id) => /^[1-9]\d{0,15}$/.test(id))
    .map(Number);
}

/**
 * Live time entries from ConnectWise PSA: those updated in the live window, and every entry of the
 * tickets closed in it but opened before it (the effort KPIs read all of a closed ticket's entries,
 * whatever their date). `date_worked` is the day in the integration's time zone.
 */
export class ConnectWiseTimeEntrySource implements TimeEntrySource {
  /**
   * `closedTickets` names those tickets where the tickets domain is served from a mock folder (mixed
   * mode: the folder's closed tickets are the ones the KPIs read, and the mocked domain's vendor
   * endpoint is never called); without it, ConnectWise is asked for their ids.
   */
  constructor(
    private readonly deps: LiveDeps,
    private readonly closedTickets?: ClosedTicketIds,
  ) {}

  heldSince(): Date {
    return windowStart(this.deps.windowDays);
  }

  async list(tenantId: string): Promise<TimeEntry[]> {
    const live = await this.deps.clients.for(tenantId, 'connectwise');
    if (!live) return [];
    const { client, version } = live;
    return this.deps.cache.get(fillKey(tenantId, 'time_entries', 'connectwise', version), 'connectwise', async (stop) => {
      const since = windowStart(this.deps.windowDays);
      const [updated, memberEmails] = await Promise.all([
        client.listTimeEntries(since, stop),
        connectWiseMemberEmails(this.deps, tenantId, client, version, stop),
      ]);
      // One after the other, after the walk: ConnectWise asks for few requests in flight.
      const older = this.closedTickets ? await this.closedTickets(tenantId, since) : await client.listClosedTicketIdsOpenedBefore(since, stop);
      const ofOlder = older.length === 0 ? [] : await client.listTimeEntriesForTickets(older, stop);
      const timeZone = client.timeZone;
      return mergeById(updated, ofOlder, (e) => e.id, (e) => e._info?.lastUpdated).map((item) =>
        mapConnectWiseTimeEntry(item, { tenantId, memberEmails, timeZone }),
      );
    });
  }
}
