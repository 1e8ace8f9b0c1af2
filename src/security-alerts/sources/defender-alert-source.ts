import { fillKey } from '../../live/fill-key.js';
import type { LiveDeps } from '../../live/live-deps.js';
import { mapDefenderEndpointAlert, mapDefenderGraphAlert } from '../../integrations/defender/defender.mappers.js';
import { windowStart } from '../../live/live-window.js';
import type { SecurityAlert } from '../security-alert.record.js';
import type { SecurityAlertSource } from './security-alert-source.js';

/** Live alerts from Microsoft Defender: Graph `alerts_v2`, or the Defender for Endpoint API. */
export class DefenderAlertSource implements SecurityAlertSource {
  constructor(private readonly deps: LiveDeps) {}

  heldSince(): Date {
    return windowStart(this.deps.windowDays);
  }

  async list(tenantId: string): Promise<SecurityAlert[]> {
    const live = await this.deps.clients.for(tenantId, 'defender');
    if (!live) return [];
    const { client, version } = live;
    return this.deps.cache.get(fillKey(tenantId, 'security_alerts', 'defender', version), 'defender', async () => {
      const batch = await client.listAlerts(windowStart(this.deps.windowDays));
      return batch.api === 'graph'
        ? batch.items.map((alert) => mapDefenderGraphAlert(alert, tenantId))
        : batch.items.map((alert) => mapDefenderEndpointAlert(alert, tenantId));
    });
  }
}
