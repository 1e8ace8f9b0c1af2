import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from '../common/validation/recorded-rules.js';
import { RecordFields, sortValues } from '../common/query/field-kinds.js';
import { IsInstantParam, IsList, IsListOf, MatchFilter, RangeFilter, ToInteger } from '../common/query/filters.js';
import { PageQuery } from '../common/query/list-query.dto.js';
import type { RecordQueryDefinition } from '../common/query/query-engine.js';
import { queryDefinition } from '../common/domain/domain-descriptor.js';
import { CSAT } from './csat.domain.js';
import { CsatSurvey, SENTIMENTS } from './csat-survey.record.js';

export const CSAT_FIELDS: RecordFields<CsatSurvey> = {
  tenant_id: 'string',
  survey_id: 'string',
  ticket_id: 'string',
  score: 'number',
  sentiment: 'string',
  comment: 'string',
  submitted_at: 'instant',
};

/** Filters are exact and case-sensitive; a comma separates alternatives. */
export class ListCsatQuery extends PageQuery {
  /**
   * A survey field, `-` prefix for descending; nulls last; ties break on `survey_id`.
   * @example "-submitted_at"
   */
  @IsOptional()
  @IsIn(sortValues(CSAT_FIELDS))
  sort?: string = CSAT.defaultSort;

  /**
   * `ticket_id` equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `TKT-001`.
   */
  @IsOptional()
  @MatchFilter('ticket_id')
  @IsList()
  ticket_id?: string;

  /**
   * `positive`, `neutral` or `negative`; a comma separates alternatives.
   * Example: `negative,neutral`.
   */
  @IsOptional()
  @MatchFilter('sentiment', 'string', SENTIMENTS)
  @IsListOf(SENTIMENTS)
  sentiment?: string;

  /**
   * Lowest score, 1–5.
   * Example: `1`.
   */
  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @RangeFilter('score', 'from', 'number')
  @ToInteger()
  @Min(1)
  @Max(5)
  @IsInt({ message: 'score_min must be an integer' })
  score_min?: number;

  /**
   * Highest score, 1–5.
   * Example: `3`.
   */
  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @RangeFilter('score', 'to', 'number')
  @ToInteger()
  @Min(1)
  @Max(5)
  @IsInt({ message: 'score_max must be an integer' })
  score_max?: number;

  /**
   * Submitted at or after this instant (a bare day means its start, UTC).
   * Example: `2026-01-01T00:00:00Z`.
   */
  @IsOptional()
  @RangeFilter('submitted_at', 'from', 'instant')
  @IsInstantParam()
  submitted_from?: string;

  /**
   * Submitted at or before this instant (a bare day means its end, UTC).
   * Example: `2026-01-31T23:59:59Z`.
   */
  @IsOptional()
  @RangeFilter('submitted_at', 'to', 'instant')
  @IsInstantParam()
  submitted_to?: string;
}

/** The query engine's definition of the list: id fields and default sort from the domain descriptor. */
export const CSAT_QUERY: RecordQueryDefinition<CsatSurvey> = queryDefinition(CSAT, CSAT_FIELDS, ListCsatQuery);
