import { fillKey } from '../../live/fill-cache-key.js';
import type { LiveDeps } from '../../live/live-deps.js';
import { mapSmileBackReview } from './smileback.mappers.js';
import { windowStart } from '../../live/live-window.js';
import type { CsatSurvey } from '../csat-survey.record.js';
import type { CsatSource } from './csat-source.js';

/** Live CSAT from SmileBack reviews: rated, not deleted; rating +1/0/−1 → score 5/3/1. */
export class SmileBackCsatSource implements CsatSource {
  constructor(private readonly deps: LiveDeps) {}

  heldSince(): Date {
    return windowStart(this.deps.windowDays);
  }

  async list(tenantId: string): Promise<CsatSurvey[]> {
    const live = await this.deps.clients.for(tenantId, 'smileback');
    if (!live) return [];
    const { client, version } = live;
    return this.deps.cache.get(fillKey(tenantId, 'csat', 'smileback', version), 'smileback', async (stop) =>
      (await client.listReviews(windowStart(this.deps.windowDays), stop))
        .map((review) => mapSmileBackReview(review, tenantId))
        .filter((survey): survey is CsatSurvey => survey !== null),
    );
  }
}
