import { fillKey } from '../../live/fill-key.js';
import type { LiveDeps } from '../../live/live-deps.js';
import { mapSentinelOneThreat } from '../../integrations/sentinelone/sentinelone.mappers.js';
import { windowStart } from '../../live/live-window.js';
import type { SecurityAlert } from '../security-alert.record.js';
import type { SecurityAlertSource } from './security-alert-source.js';

/** Live alerts from SentinelOne `/threats`. */
export class SentinelOneAlertSource implements SecurityAlertSource {
  constructor(private readonly deps: LiveDeps) {}

  heldSince(): Date {
    return windowStart(this.deps.windowDays);
  }

  async list(tenantId: string): Promise<SecurityAlert[]> {
    const live = await this.deps.clients.for(tenantId, 'sentinelone');
    if (!live) return [];
    const { client, version } = live;
    return this.deps.cache.get(fillKey(tenantId, 'security_alerts', 'sentinelone', version), 'sentinelone', async () =>
      (await client.listThreats(windowStart(this.deps.windowDays))).map((threat) => mapSentinelOneThreat(threat, tenantId)),
    );
  }
}
