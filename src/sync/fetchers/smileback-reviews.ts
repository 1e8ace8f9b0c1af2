import type { CsatSurvey } from '../../csat/csat-survey.record.js';
import type { SmileBackClient, SmileBackReview } from '../../integrations/smileback/smileback.client.js';
import { mapSmileBackReview } from '../../csat/sources/smileback.mappers.js';
import type { ChangesRequest, StreamChange, StreamFetcher, StreamPage } from '../stream.js';
import { decodeResume, encodeResume, lowerBound, vendorInstant } from './stream-resume.js';

// The resume phase of a keyset point; phase 0 was an offset link.
const KEYSET = 1;

/**
 * SmileBack reviews (Data Replication API: `modified_since`, `next` links, 1000 a page). Deleted
 * reviews come back with `status=deleted`: tombstones (`deleted: true`). Unrated reviews are asked
 * for too (`include_unrated=true`, so no tombstone is filtered out by its rating) but not handed on:
 * the API serves rated ones only, and one rated later comes back modified. SmileBack has no upper
 * bound, so `until` is applied here. `resume` is the last `last_modified` handed on (keyset). `map` answers null for what the
 * API does not serve (deleted, unrated).
 */
export class SmileBackReviewsFetcher implements StreamFetcher<CsatSurvey | null> {
  readonly stream = 'smileback.reviews' as const;
  readonly vendor = 'smileback';
  readonly domain = 'csat' as const;
  readonly orderedByChange = true;

  constructor(private readonly client: SmileBackClient) {}

  async *changes(request: ChangesRequest): AsyncIterable<StreamPage> {
    // An offset link saved before keyset paging restarts the walk (upserts make a repeat harmless).
    const point = decodeResume(this.stream, request.resume);
    const from = point?.phase === KEYSET ? point.at : (lowerBound(request) ?? null);
    const until = request.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(request.until);
    for await (const page of this.client.modifiedPages(from, request.stop)) {
      const changes: StreamChange[] = [];
      let past = false;
      for (const review of page.rows) {
        const change = this.change(review);
        if (Date.parse(String(review.last_modified)) >= until) past = true;
        else if (change) changes.push(change);
      }
      // Listed by `last_modified`: once past `until`, the rest of the walk is too.
      yield { changes, resume: page.next === null || past ? null : encodeResume(this.stream, KEYSET, page.next) };
      if (past) return;
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
