import { fillKey } from '../../live/fill-key.js';
import type { LiveDeps } from '../../live/live-deps.js';
import { mapConnectWiseTimeEntry } from '../../integrations/connectwise/connectwise.mappers.js';
import { windowStart } from '../../live/live-window.js';
import { connectWiseMemberEmails } from '../../tickets/sources/connectwise-ticket-source.js';
import type { TimeEntry } from '../time-entry.record.js';
import type { TimeEntrySource } from './time-entry-source.js';

/** Live time entries from ConnectWise PSA; `date_worked` is the day in the integration's time zone. */
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
      const [raw, memberEmails] = await Promise.all([
        client.listTimeEntries(windowStart(this.deps.windowDays)),
        connectWiseMemberEmails(this.deps, tenantId, client, version),
      ]);
      const timeZone = client.timeZone;
      return raw.map((item) => mapConnectWiseTimeEntry(item, { tenantId, memberEmails, timeZone }));
    });
  }
}
