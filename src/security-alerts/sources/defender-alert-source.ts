import { fillKey } from '../../live/fill-cache-key.js';
import type { LiveDeps } from '../../live/live-deps.js';
import { mapDefenderEndpointAlert, mapDefenderGraphAlert } from './defender.mappers.js';
import { windowStart } from '../../live/live-window.js';
import { mergeById } from '../../live/merge-by-id.js';
import type { SecurityAlert } from '../security-alert.record.js';
import type { SecurityAlertSource } from './security-alert-source.js';

/**
 * Live alerts from Microsoft Defender (Graph `alerts_v2`, or the Defender for Endpoint API): those updated
 * in the live window and every one not yet resolved.
 */
export class DefenderAlertSource implements SecurityAlertSource {
  constructor(private readonly deps: LiveDeps) {}

  heldSince(): Date {
    return windowStart(this.deps.windowDays);
  }

  async list(tenantId: string): Promise<SecurityAlert[]> {
    const live = await this.deps.clients.for(tenantId, 'defender');
    if (!live) return [];
    const { client, version } = live;
    return this.deps.cache.get(fillKey(tenantId, 'security_alerts', 'defender', version), 'defender', async (stop) => {
      // Updated in the live window, and every alert still open however old (security.open counts those).
      const updated = await client.listAlerts(windowStart(this.deps.windowDays), stop);
      const open = await client.listOpenAlerts(stop);
      if (updated.api === 'graph' && open.api === 'graph') {
        return mergeById(updated.items, open.items, (a) => a.id, (a) => a.lastUpdateDateTime).map((alert) => mapDefenderGraphAlert(alert, tenantId));
      }
      if (updated.api === 'endpoint' && open.api === 'endpoint') {
        return mergeById(updated.items, open.items, (a) => a.id, (a) => a.lastUpdateTime).map((alert) => mapDefenderEndpointAlert(alert, tenantId));
      }
      throw new Error('Defender client answered from two different APIs');
    });
  }
}
