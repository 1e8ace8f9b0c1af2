import { OPEN_INCIDENT_STATUSES, SentinelOneClient, SentinelOneThreat } from '../../integrations/sentinelone/sentinelone.client.js';
import { mapSentinelOneThreat } from '../../security-alerts/sources/sentinelone.mappers.js';
import type { SecurityAlert } from '../../security-alerts/security-alert.record.js';
import type { ChangesRequest, StreamFetcher, StreamPage } from '../stream.js';
import { WALK_START, decodeResume, encodeResume, lowerBound, upperBound, vendorInstant, wantsOpenRecords } from './stream-resume.js';


/**
 * SentinelOne threats (`/threats?updatedAt__gte=…&sortBy=updatedAt&sortOrder=asc`, `cursor` paging,
 * `updatedAt__lt` for a backfill slice). A first sync walks the unresolved threats too (a second
 * walk, `incidentStatuses`), as live mode does: an open threat counts whatever its age. Threats are
 * resolved, not deleted: no tombstones. `resume` is the walk and its cursor.
 */
export class SentinelOneThreatsFetcher implements StreamFetcher<SecurityAlert> {
  readonly stream = 'sentinelone.threats' as const;
  readonly vendor = 'sentinelone';
  readonly domain = 'security_alerts' as const;
  readonly orderedByChange = true;

  constructor(private readonly client: SentinelOneClient) {}

  changes(request: ChangesRequest): AsyncIterable<StreamPage> {
    const point = decodeResume(this.stream, request.resume);
    const lower = lowerBound(request);
    const phases: Array<Record<string, string | undefined>> = [
      { updatedAt__gte: lower, updatedAt__lt: upperBound(request), sortBy: 'updatedAt', sortOrder: 'asc' },
    ];
    // Without a lower bound the first walk already has every threat.
    if (wantsOpenRecords(request) && lower !== undefined) phases.push({ incidentStatuses: OPEN_INCIDENT_STATUSES.join(','), sortBy: 'id', sortOrder: 'asc' });
    const start = point && point.phase < phases.length ? point.phase : 0;
    const stream = this.stream;
    const client = this.client;
    return client.streamWalk(request.stop, async function* (walk) {
      for (let phase = start; phase < phases.length; phase++) {
        const cursor = phase === start && point && point.at !== WALK_START ? point.at : null;
        for await (const page of client.threatPages(walk, phases[phase], cursor)) {
          const last = page.next === null && phase === phases.length - 1;
          yield {
            changes: page.rows.map((threat) => ({ vendorId: String(threat.id), raw: threat, vendorUpdatedAt: vendorInstant(threat.threatInfo?.updatedAt) })),
            resume: last ? null : page.next === null ? encodeResume(stream, phase + 1, WALK_START) : encodeResume(stream, phase, page.next),
          } satisfies StreamPage;
        }
      }
    });
  }

  map(raw: unknown, tenantId: string): SecurityAlert {
    return mapSentinelOneThreat(raw as SentinelOneThreat, tenantId);
  }
}
