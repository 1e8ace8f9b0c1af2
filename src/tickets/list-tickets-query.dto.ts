import { IsIn, IsOptional, IsString, Length } from '../common/validation/recorded-rules.js';
import { RecordFields, sortValues } from '../common/query/field-kinds.js';
import { IsInstantParam, IsList, MatchFilter, RangeFilter, TextFilter } from '../common/query/filters.js';
import { PageQuery } from '../common/query/list-query.dto.js';
import type { RecordQueryDefinition } from '../common/query/query-engine.js';
import { queryDefinition } from '../common/domain/domain-descriptor.js';
import { TICKETS } from './tickets.domain.js';
import type { Ticket } from './ticket.record.js';

export const TICKET_FIELDS: RecordFields<Ticket> = {
  tenant_id: 'string',
  cw_ticket_id: 'string',
  board: 'string',
  status: 'string',
  priority: 'string',
  summary: 'string',
  description: 'string',
  company: 'string',
  owner: 'string',
  created_at_remote: 'instant',
  updated_at_remote: 'instant',
  sla_status: 'string',
  estimated_hours: 'number',
  closed_at_remote: 'instant',
};

/** Filters are exact and case-sensitive; a comma separates alternatives (`status=New,Waiting`). */
export class ListTicketsQuery extends PageQuery {
  /**
   * A ticket field, `-` prefix for descending; nulls last; ties break on `cw_ticket_id`.
   * @example "-updated_at_remote"
   */
  @IsOptional()
  @IsIn(sortValues(TICKET_FIELDS))
  sort?: string = TICKETS.defaultSort;

  /**
   * `status` equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `New,Waiting`.
   */
  @IsOptional()
  @MatchFilter('status')
  @IsList()
  status?: string;

  /**
   * `priority` equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `High,Critical`.
   */
  @IsOptional()
  @MatchFilter('priority')
  @IsList()
  priority?: string;

  /**
   * `board` equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `Service`.
   */
  @IsOptional()
  @MatchFilter('board')
  @IsList()
  board?: string;

  /**
   * `company` equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `Acme Corp`.
   */
  @IsOptional()
  @MatchFilter('company')
  @IsList()
  company?: string;

  /**
   * `owner` (an email) equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `tech1@msp.com`.
   */
  @IsOptional()
  @MatchFilter('owner')
  @IsList()
  owner?: string;

  /**
   * `sla_status` equals this (exact, case-sensitive); a comma separates alternatives (`\,` is a literal comma).
   * Example: `Resolved`.
   */
  @IsOptional()
  @MatchFilter('sla_status')
  @IsList()
  sla_status?: string;

  /**
   * Created at or after this instant (a bare day means its start, UTC).
   * Example: `2026-01-01T00:00:00Z`.
   */
  @IsOptional()
  @RangeFilter('created_at_remote', 'from', 'instant')
  @IsInstantParam()
  created_from?: string;

  /**
   * Created at or before this instant (a bare day means its end, UTC).
   * Example: `2026-01-31T23:59:59Z`.
   */
  @IsOptional()
  @RangeFilter('created_at_remote', 'to', 'instant')
  @IsInstantParam()
  created_to?: string;

  /**
   * Updated at or after this instant (a bare day means its start, UTC).
   * Example: `2026-01-15T00:00:00Z`.
   */
  @IsOptional()
  @RangeFilter('updated_at_remote', 'from', 'instant')
  @IsInstantParam()
  updated_from?: string;

  /**
   * Updated at or before this instant (a bare day means its end, UTC).
   * Example: `2026-01-31T23:59:59Z`.
   */
  @IsOptional()
  @RangeFilter('updated_at_remote', 'to', 'instant')
  @IsInstantParam()
  updated_to?: string;

  /**
   * Case-insensitive substring of `summary` or `description`.
   * Example: `outlook`.
   */
  @IsOptional()
  @TextFilter(['summary', 'description'])
  @IsString()
  @Length(1, 200)
  q?: string;
}

/** The query engine's definition of the list: id fields and default sort from the domain descriptor. */
export const TICKET_QUERY: RecordQueryDefinition<Ticket> = queryDefinition(TICKETS, TICKET_FIELDS, ListTicketsQuery);
