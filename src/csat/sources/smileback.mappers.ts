import type { CsatSurvey, Sentiment } from '../csat-survey.record.js';
import { VendorPayload } from '../../integrations/http/vendor-errors.js';
import { SMILEBACK_VENDOR, SmileBackReview } from '../../integrations/smileback/smileback.client.js';

// Our convention, not SmileBack's: its 3-point rating spread over the 1–5 score.
const RATINGS: Record<number, { score: number; sentiment: Sentiment }> = {
  1: { score: 5, sentiment: 'positive' },
  0: { score: 3, sentiment: 'neutral' },
  [-1]: { score: 1, sentiment: 'negative' },
};

export function mapSmileBackReview(raw: SmileBackReview, tenantId: string): CsatSurvey | null {
  const p = VendorPayload.item(SMILEBACK_VENDOR, raw);
  if (p.optionalString('status') === 'deleted') return null;
  const rating = p.get('rating');
  if (rating === undefined || rating === null || rating === '') return null;
  // SB {rating:1} or {rating:"1"} -> score 5 positive; 0 -> 3 neutral; -1 -> 1 negative
  const mapped =
    (typeof rating === 'number' || typeof rating === 'string' ? RATINGS[Number(rating)] : undefined) ??
    p.fail('rating', 'is not 1, 0 or -1');
  const ticketId = p.get('ticket.id');
  return {
    tenant_id: tenantId,
    // SB {id:35929235} -> survey_id "35929235"
    survey_id: p.id('id'),
    // SB {ticket:{id:"184233"}} -> ticket_id "184233"; no ticket -> null
    ticket_id: ticketId === undefined || ticketId === null || ticketId === '' ? null : p.id('ticket.id'),
    score: mapped.score,
    sentiment: mapped.sentiment,
    comment: p.optionalString('comment') ?? '',
    // SB {rated_on:"2026-01-13T17:41:09.512301Z"} -> submitted_at "2026-01-13T17:41:09.512Z"
    submitted_at: p.instant('rated_on'),
  };
}
