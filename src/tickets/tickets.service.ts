import { Inject, Injectable } from '@nestjs/common';
import { RecordNotFoundError } from '../common/problem/problem.error.js';
import { Page, runQuery } from '../common/query/query-engine.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { ListTicketsQuery, TICKET_QUERY } from './list-tickets-query.dto.js';
import { TICKET_SOURCE, TicketSource } from './sources/ticket-source.js';
import { Ticket } from './ticket.record.js';

@Injectable()
export class TicketsService {
  constructor(@Inject(TICKET_SOURCE) private readonly source: TicketSource) {}

  async list(tenant: Tenant, query: ListTicketsQuery): Promise<Page<Ticket>> {
    return runQuery(await this.source.list(tenant.id), query, TICKET_QUERY);
  }

  async get(tenant: Tenant, cwTicketId: string): Promise<Ticket> {
    const ticket = (await this.source.list(tenant.id)).find((t) => t.cw_ticket_id === cwTicketId);
    if (!ticket) throw new RecordNotFoundError('ticket', cwTicketId, tenant.id);
    return ticket;
  }
}
