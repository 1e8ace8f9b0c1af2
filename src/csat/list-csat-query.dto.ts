import { IsIn, IsOptional } from '../common/validation/recorded-rules.js';
import { RecordFields, sortValues } from '../common/query/field-kinds.js';
import { InstantRangeParam, IntegerRangeParam, MatchParam } from '../common/query/filter-params.js';
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

  @MatchParam('ticket_id', { example: 'TKT-001' })
  ticket_id?: string;

  @MatchParam('sentiment', { values: SENTIMENTS, example: 'negative,neutral' })
  sentiment?: string;

  @IntegerRangeParam('score', 'from', { min: 1, max: 5, example: '1' })
  score_min?: number;

  @IntegerRangeParam('score', 'to', { min: 1, max: 5, example: '3' })
  score_max?: number;

  @InstantRangeParam('submitted_at', 'from', { event: 'Submitted', example: '2026-01-01T00:00:00Z' })
  submitted_from?: string;

  @InstantRangeParam('submitted_at', 'to', { event: 'Submitted', example: '2026-01-31T23:59:59Z' })
  submitted_to?: string;
}

/** The query engine's definition of the list: id fields and default sort from the domain descriptor. */
export const CSAT_QUERY: RecordQueryDefinition<CsatSurvey> = queryDefinition(CSAT, CSAT_FIELDS, ListCsatQuery);
