import { Inject, Injectable } from '@nestjs/common';
import { ProblemError, RecordNotFoundError } from '../common/problem/problem.error.js';
import { Page } from '../common/query/query-engine.js';
import { RecordIndex } from '../common/record-index/record-index.js';
import { indexOf } from '../common/record-index/index-cache.js';
import type { Tenant } from '../tenants/tenant.record.js';
import { ListTicketsQuery, TICKET_QUERY } from './list-tickets-query.dto.js';
import { TICKET_SOURCE, TicketSource } from './sources/ticket-source.js';
import { Ticket } from './ticket.record.js';

/** At most this many ticket descriptions are read (one vendor call each, the first time) to answer `q`. */
export const Q_SCAN_LIMIT = 1_000;

export class QueryTooBroadError extends ProblemError {
  constructor(candidates: number) {
    super(
      400,
      '/problems/query-too-broad',
      `q reads ticket descriptions, which cost one vendor call per ticket: ${candidates} tickets match the other filters, ` +
        `at most ${Q_SCAN_LIMIT} can be searched; narrow it with status, board, company, owner, created_from/created_to or updated_from/updated_to`,
      { errors: [{ field: 'q', message: `searches at most ${Q_SCAN_LIMIT} tickets; ${candidates} match the other filters` }] },
    );
  }
}

@Injectable()
export class TicketsService {
  constructor(@Inject(TICKET_SOURCE) private readonly source: TicketSource) {}

  /** The index of the tenant's tickets (live mode: without descriptions, see `complete`). */
  async index(tenant: Tenant): Promise<RecordIndex<Ticket>> {
    return indexOf(await this.source.list(tenant.id), TICKET_QUERY);
  }

  async list(tenant: Tenant, query: ListTicketsQuery): Promise<Page<Ticket>> {
    const tickets = await this.index(tenant);
    if (!this.source.complete) return tickets.query(query);
    if (query.q === undefined) {
      const page = tickets.query(query);
      return { data: await this.source.complete(tenant.id, page.data), meta: page.meta };
    }
    // `q` reads descriptions: complete only the tickets every other filter lets through.
    const withoutQ: ListTicketsQuery = { ...query, q: undefined, page: 1, page_size: Number.MAX_SAFE_INTEGER };
    const candidates = tickets.query(withoutQ).data;
    if (candidates.length > Q_SCAN_LIMIT) throw new QueryTooBroadError(candidates.length);
    return new RecordIndex(await this.source.complete(tenant.id, candidates), TICKET_QUERY).query(query);
  }

  async get(tenant: Tenant, cwTicketId: string): Promise<Ticket> {
    const ticket = (await this.index(tenant)).byId(cwTicketId);
    if (!ticket) throw new RecordNotFoundError('ticket', cwTicketId, tenant.id);
    return this.source.complete ? (await this.source.complete(tenant.id, [ticket]))[0] : ticket;
  }

  /** Where the source holds only recent records (live mode), the instant they start from. */
  heldSince(): Date | undefined {
    return this.source.heldSince?.();
  }

  /** Where the tenant's synced history starts (live reads from the replica). */
  syncedSince(tenantId: string): Date | undefined {
    return this.source.syncedSince?.(tenantId);
  }
}
