import { fillKey } from '../../live/fill-key.js';
import type { LiveDeps } from '../../live/live-deps.js';
import { mapConnectWiseTimeEntry } from '../../integrations/connectwise/connectwise.mappers.js';
import { windowStart } from '../../live/live-window.js';
import { mergeById } from '../../live/merge-by-id.js';
import { connectWiseMemberEmails } from '../../tickets/sources/connectwise-ticket-source.js';
import type { TimeEntry } from '../time-entry.record.js';
import type { TimeEntrySource } from './time-entry-source.js';

/**
 * Live time entries from ConnectWise PSA: those updated in the live window, and every entry of the
 * tickets closed in it but opened before it (the effort KPIs read all of a closed ticket's entries,
 * whatever their date). `date_worked` is the day in the integration's time zone.
 */
export class ConnectWiseTimeEntrySource implements TimeEntrySource {
  constructor(private readonly deps: LiveDeps) {}

  heldSince(): Date {
    return windowStart(this.deps.windowDays);
  }

  async list(tenantId: string): Promise<TimeEntry[]> {
    const live = await this.deps.clients.for(tenantId, 'connectwise');
    if (!live) return [];
    const { client, version } = live;
    return this.deps.cache.get(fillKey(tenantId, 'time_entries', 'connectwise', version), 'connectwise', async () => {
      const since = windowStart(this.deps.windowDays);
      const [updated, memberEmails] = await Promise.all([client.listTimeEntries(since), connectWiseMemberEmails(this.deps, tenantId, client, version)]);
      // One after the other, after the walk: ConnectWise asks for few requests in flight.
      const older = await client.listClosedTicketIdsOpenedBefore(since);
      const ofOlder = older.length === 0 ? [] : await client.listTimeEntriesForTickets(older);
      const timeZone = client.timeZone;
      return mergeById(updated, ofOlder, (e) => e.id, (e) => e._info?.lastUpdated).map((item) =>
        mapConnectWiseTimeEntry(item, { tenantId, memberEmails, timeZone }),
      );
    });
  }
}
