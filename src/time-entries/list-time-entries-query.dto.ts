import { IsIn, IsOptional } from '../common/validation/recorded-rules.js';
import { RecordFields, sortValues } from '../common/query/field-kinds.js';
import { BooleanMatchParam, DayRangeParam, MatchParam } from '../common/query/filter-params.js';
import { PageQuery } from '../common/query/list-query.dto.js';
import type { RecordQueryDefinition } from '../common/query/query-engine.js';
import { queryDefinition } from '../common/domain/domain-descriptor.js';
import { TIME_ENTRIES } from './time-entries.domain.js';
import type { TimeEntry } from './time-entry.record.js';

export const TIME_ENTRY_FIELDS: RecordFields<TimeEntry> = {
  tenant_id: 'string',
  cw_time_entry_id: 'string',
  cw_ticket_id: 'string',
  member: 'string',
  work_type: 'string',
  billable: 'boolean',
  minutes: 'number',
  notes: 'string',
  date_worked: 'day',
};

/** Filters are exact and case-sensitive; a comma separates alternatives. */
export class ListTimeEntriesQuery extends PageQuery {
  /**
   * A time entry field, `-` prefix for descending; nulls last; ties break on `cw_time_entry_id`.
   * @example "-date_worked"
   */
  @IsOptional()
  @IsIn(sortValues(TIME_ENTRY_FIELDS))
  sort?: string = TIME_ENTRIES.defaultSort;

  @MatchParam('cw_ticket_id', { example: 'TKT-001' })
  cw_ticket_id?: string;

  @MatchParam('member', { note: 'an email', example: 'tech1@msp.com' })
  member?: string;

  @MatchParam('work_type', { example: 'Remote Support' })
  work_type?: string;

  @BooleanMatchParam('billable', { example: 'true' })
  billable?: string;

  @DayRangeParam('date_worked', 'from', { event: 'Worked', example: '2026-01-01' })
  date_from?: string;

  @DayRangeParam('date_worked', 'to', { event: 'Worked', example: '2026-01-31' })
  date_to?: string;
}

/** The query engine's definition of the list: id fields and default sort from the domain descriptor. */
export const TIME_ENTRY_QUERY: RecordQueryDefinition<TimeEntry> = queryDefinition(TIME_ENTRIES, TIME_ENTRY_FIELDS, ListTimeEntriesQuery);
