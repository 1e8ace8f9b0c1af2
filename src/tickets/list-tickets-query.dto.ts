import { IsIn, IsOptional } from '../common/validation/recorded-rules.js';
import { RecordFields, sortValues } from '../common/query/field-kinds.js';
import { InstantRangeParam, MatchParam, TextParam } from '../common/query/filter-params.js';
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

  @MatchParam('status', { example: 'New,Waiting' })
  status?: string;

  @MatchParam('priority', { example: 'High,Critical' })
  priority?: string;

  @MatchParam('board', { example: 'Service' })
  board?: string;

  @MatchParam('company', { example: 'Acme Corp' })
  company?: string;

  @MatchParam('owner', { note: 'an email', example: 'tech1@msp.com' })
  owner?: string;

  @MatchParam('sla_status', { example: 'Resolved' })
  sla_status?: string;

  @InstantRangeParam('created_at_remote', 'from', { event: 'Created', example: '2026-01-01T00:00:00Z' })
  created_from?: string;

  @InstantRangeParam('created_at_remote', 'to', { event: 'Created', example: '2026-01-31T23:59:59Z' })
  created_to?: string;

  @InstantRangeParam('updated_at_remote', 'from', { event: 'Updated', example: '2026-01-15T00:00:00Z' })
  updated_from?: string;

  @InstantRangeParam('updated_at_remote', 'to', { event: 'Updated', example: '2026-01-31T23:59:59Z' })
  updated_to?: string;

  @TextParam(['summary', 'description'], { maxLength: 200, example: 'outlook' })
  q?: string;
}

/** The query engine's definition of the list: id fields and default sort from the domain descriptor. */
export const TICKET_QUERY: RecordQueryDefinition<Ticket> = queryDefinition(TICKETS, TICKET_FIELDS, ListTicketsQuery);
