import { fillKey } from '../../live/fill-cache-key.js';
import type { LiveDeps } from '../../live/live-deps.js';
import { mapSentinelOneThreat } from './sentinelone.mappers.js';
import { windowStart } from '../../live/live-window.js';
import { mergeById } from '../../live/merge-by-id.js';
import type { SecurityAlert } from '../security-alert.record.js';
import type { SecurityAlertSource } from './security-alert-source.js';

/** Live alerts from SentinelOne `/threats`: those updated in the live window and every one not yet resolved. */
export class SentinelOneAlertSource implements SecurityAlertSource {
  constructor(private readonly deps: LiveDeps) {}

  heldSince(): Date {
    return windowStart(this.deps.windowDays);
  }

  async list(tenantId: string): Promise<SecurityAlert[]> {
    const live = await this.deps.clients.for(tenantId, 'sentinelone');
    if (!live) return [];
    const { client, version } = live;
    return this.deps.cache.get(fillKey(tenantId, 'security_alerts', 'sentinelone', version), 'sentinelone', async (stop) => {
      // Updated in the live window, and every threat still open however old (security.open counts those).
      const updated = await client.listThreats(windowStart(this.deps.windowDays), stop);
      const open = await client.listOpenThreats(stop);
      return mergeById(updated, open, (t) => t.id, (t) => t.threatInfo?.updatedAt).map((threat) => mapSentinelOneThreat(threat, tenantId));
    });
  }
}
