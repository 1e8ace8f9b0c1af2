import { IsIn, IsOptional } from '../common/validation/recorded-rules.js';
import { IsDay } from '../common/validation/formats.js';
import { RecordFields, sortValues } from '../common/query/field-kinds.js';
import { IsList, IsListOf, MatchFilter, RangeFilter } from '../common/query/filters.js';
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

  /**
   * `cw_ticket_id` equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `TKT-001`.
   */
  @IsOptional()
  @MatchFilter('cw_ticket_id')
  @IsList()
  cw_ticket_id?: string;

  /**
   * `member` (an email) equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `tech1@msp.com`.
   */
  @IsOptional()
  @MatchFilter('member')
  @IsList()
  member?: string;

  /**
   * `work_type` equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `Remote Support`.
   */
  @IsOptional()
  @MatchFilter('work_type')
  @IsList()
  work_type?: string;

  /**
   * `true` or `false` (`true,false` matches both).
   * Example: `true`.
   */
  @IsOptional()
  @MatchFilter('billable', 'boolean', ['true', 'false'])
  @IsListOf(['true', 'false'])
  billable?: string;

  /**
   * Worked on or after this day.
   * Example: `2026-01-01`.
   */
  @IsOptional()
  @RangeFilter('date_worked', 'from', 'day')
  @IsDay()
  date_from?: string;

  /**
   * Worked on or before this day.
   * Example: `2026-01-31`.
   */
  @IsOptional()
  @RangeFilter('date_worked', 'to', 'day')
  @IsDay()
  date_to?: string;
}

/** The query engine's definition of the list: id fields and default sort from the domain descriptor. */
export const TIME_ENTRY_QUERY: RecordQueryDefinition<TimeEntry> = queryDefinition(TIME_ENTRIES, TIME_ENTRY_FIELDS, ListTimeEntriesQuery);
