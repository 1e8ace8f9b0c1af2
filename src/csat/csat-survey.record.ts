import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, Max, Min, ValidateIf } from '../common/validation/recorded-rules.js';
import { IsInstant, RECORD_ID_PATTERN, TENANT_ID_PATTERN } from '../common/validation/formats.js';

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

/** A customer satisfaction survey answer (SmileBack reviews in live mode). */
export class CsatSurvey {
  /** @example "tenant_demo_cca" */
  @Matches(TENANT_ID_PATTERN, { message: 'tenant_id must match ^[a-z0-9][a-z0-9_-]{0,63}$' })
  tenant_id: string;

  /**
   * Survey id, unique per tenant.
   * @example "SRV-001"
   */
  @Matches(RECORD_ID_PATTERN, { message: 'survey_id must be a non-empty id of letters, digits, ".", "_", ":" or "-"' })
  survey_id: string;

  /**
   * The ticket the survey answers; null when it answers none (the field is still present).
   * @example "TKT-001"
   */
  @ValidateIf((o: CsatSurvey) => o.ticket_id !== null)
  @Matches(RECORD_ID_PATTERN, { message: 'ticket_id must be a ticket id or null' })
  ticket_id: string | null;

  /**
   * 1–5; SmileBack's positive/neutral/negative rating maps to 5/3/1.
   * @example 5
   */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  @Min(1)
  @Max(5)
  @IsInt()
  score: number;

  /**
   * Agrees with the score: 4–5 positive, 3 neutral, 1–2 negative.
   * @example "positive"
   */
  @IsIn(SENTIMENTS)
  sentiment: Sentiment;

  /**
   * The customer's comment; may be empty.
   * @example "Quick and friendly fix, thanks!"
   */
  @IsString()
  comment: string;

  /** @example "2026-01-21T10:15:00Z" */
  @IsInstant()
  submitted_at: string;
}
