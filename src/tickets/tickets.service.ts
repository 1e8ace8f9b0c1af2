import { Inject, Injectable } from '@nestjs/common';
import { RecordNotFoundError } from '../common/problem/problem.error.js';
import { Page } from '../common/query/query-engine.js';
import type { RecordIndex } from '../common/record-index/record-index.js';
import { indexOf } from '../common/record-index/index-cache.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { ListTicketsQuery, TICKET_QUERY } from './list-tickets-query.dto.js';
import { TICKET_SOURCE, TicketSource } from './sources/ticket-source.js';
import { Ticket } from './ticket.record.js';

@Injectable()
export class TicketsService {
  constructor(@Inject(TICKET_SOURCE) private readonly source: TicketSource) {}

  /** The index of the tenant's tickets. */
  async index(tenant: Tenant): Promise<RecordIndex<Ticket>> {
    return indexOf(await this.source.list(tenant.id), TICKET_QUERY);
  }

  async list(tenant: Tenant, query: ListTicketsQuery): Promise<Page<Ticket>> {
    return (await this.index(tenant)).query(query);
  }

  async get(tenant: Tenant, cwTicketId: string): Promise<Ticket> {
    const ticket = (await this.index(tenant)).byId(cwTicketId);
    if (!ticket) throw new RecordNotFoundError('ticket', cwTicketId, tenant.id);
    return ticket;
  }

  /** Where the tenant's synced history starts (live reads from the replica). */
  syncedSince(tenantId: string): Date | undefined {
    return this.source.syncedSince?.(tenantId);
  }
}
