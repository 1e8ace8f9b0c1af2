import { DefenderClient, DefenderEndpointAlert, DefenderGraphAlert } from '../../integrations/defender/defender.client.js';
import { mapDefenderEndpointAlert, mapDefenderGraphAlert } from '../../security-alerts/sources/defender.mappers.js';
import type { SecurityAlert } from '../../security-alerts/security-alert.record.js';
import type { ChangesRequest, StreamFetcher, StreamPage } from '../stream.js';
import { WALK_START, decodeResume, encodeResume, lowerBound, upperBound, vendorInstant, wantsOpenRecords } from './stream-resume.js';

/**
 * Defender alerts, from the API the integration names (`api`): Graph `alerts_v2` with
 * `$filter=lastUpdateDateTime ge …` (plus its service sources) and `@odata.nextLink`, or Defender for
 * Endpoint `/api/alerts` with `$filter=lastUpdateTime ge …` and `$skip` (or a nextLink if it sends
 * one). A first sync walks the open alerts too, as live mode does. No deletion feed: alerts age out
 * of the vendor's retention, the replica keeps them. `resume` is the walk and the URL of its next page.
 */
export class DefenderAlertsFetcher implements StreamFetcher<SecurityAlert> {
  readonly stream = 'defender.alerts' as const;
  readonly vendor = 'defender';
  readonly domain = 'security_alerts' as const;

  constructor(private readonly client: DefenderClient) {}

  async *changes(request: ChangesRequest): AsyncIterable<StreamPage> {
    const field = this.client.updatedField;
    const lower = lowerBound(request);
    // Graph and the endpoint API want the instant unquoted and zoned; a quoted one is a 400.
    const upper = upperBound(request);
    const bounds = [lower && `${field} ge ${lower}`, upper && `${field} lt ${upper}`];
    const phases: Array<string | null> = [bounds.filter(Boolean).join(' and ') || null];
    // Without a lower bound the first walk already has every alert.
    if (wantsOpenRecords(request) && lower !== undefined) phases.push(this.client.openCondition);
    const point = decodeResume(this.stream, request.resume);
    const start = point && point.phase < phases.length ? point.phase : 0;
    for (let phase = start; phase < phases.length; phase++) {
      const resumeUrl = phase === start && point && point.at !== WALK_START ? point.at : null;
      for await (const page of this.client.alertPages(phases[phase], resumeUrl, request.stop)) {
        const last = page.next === null && phase === phases.length - 1;
        const items: Array<DefenderGraphAlert & DefenderEndpointAlert> = page.items;
        yield {
          changes: items.map((alert) => ({ vendorId: String(alert.id), raw: alert, vendorUpdatedAt: vendorInstant(alert.lastUpdateDateTime ?? alert.lastUpdateTime) })),
          resume: last ? null : encodeResume(this.stream, page.next === null ? phase + 1 : phase, page.next ?? WALK_START),
        };
      }
    }
  }

  map(raw: unknown, tenantId: string): SecurityAlert {
    return this.client.apiName === 'graph' ? mapDefenderGraphAlert(raw as DefenderGraphAlert, tenantId) : mapDefenderEndpointAlert(raw as DefenderEndpointAlert, tenantId);
  }
}
