import type { CsatSurvey } from '../../csat/csat-survey.record.js';
import type { SmileBackClient, SmileBackReview } from '../../integrations/smileback/smileback.client.js';
import { mapSmileBackReview } from '../../csat/sources/smileback.mappers.js';
import type { ChangesRequest, StreamChange, StreamFetcher, StreamPage } from '../stream.js';
import { decodeResume, encodeResume, lowerBound, vendorInstant } from './stream-resume.js';

/**
 * SmileBack reviews (Data Replication API: `modified_since`, `next` links, 1000 a page). Deleted
 * reviews come back with `status=deleted`: tombstones (`deleted: true`). Unrated reviews are asked
 * for too (`include_unrated=true`, so no tombstone is filtered out by its rating) but not handed on:
 * the API serves rated ones only, and one rated later comes back modified. SmileBack has no upper
 * bound, so `until` is applied here. `resume` is the `next` link. `map` answers null for what the
 * API does not serve (deleted, unrated).
 */
export class SmileBackReviewsFetcher implements StreamFetcher<CsatSurvey | null> {
  readonly stream = 'smileback.reviews' as const;
  readonly vendor = 'smileback';
  readonly domain = 'csat' as const;

  constructor(private readonly client: SmileBackClient) {}

  async *changes(request: ChangesRequest): AsyncIterable<StreamPage> {
    const resumeUrl = decodeResume(this.stream, request.resume)?.at ?? null;
    const until = request.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(request.until);
    for await (const page of this.client.modifiedPages(lowerBound(request) ?? null, resumeUrl, request.stop)) {
      const changes: StreamChange[] = [];
      for (const review of page.rows) {
        const change = this.change(review);
        if (change && !(Date.parse(String(review.last_modified)) >= until)) changes.push(change);
      }
      yield { changes, resume: page.next === null ? null : encodeResume(this.stream, 0, page.next) };
    }
  }

  map(raw: unknown, tenantId: string): CsatSurvey | null {
    return mapSmileBackReview(raw as SmileBackReview, tenantId);
  }

  private change(review: SmileBackReview): StreamChange | undefined {
    const vendorUpdatedAt = vendorInstant(review.last_modified);
    if (review.status === 'deleted') return { vendorId: String(review.id), raw: review, vendorUpdatedAt, deleted: true };
    if (review.rating === undefined || review.rating === null || review.rating === '') return undefined;
    return { vendorId: String(review.id), raw: review, vendorUpdatedAt };
  }
}
