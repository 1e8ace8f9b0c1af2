import { Logger } from '@nestjs/common';
import { fillKey } from '../../live/fill-cache-key.js';
import type { LiveDeps } from '../../live/live-deps.js';
import type { ConnectWiseClient } from '../../integrations/connectwise/connectwise.client.js';
import { memberEmailMap } from '../../integrations/connectwise/connectwise-members.js';
import { descriptionFromNotes, mapConnectWiseTicket } from './connectwise.mappers.js';
import { VendorHttpError } from '../../integrations/http/vendor-errors.js';
import { outsideRequest } from '../../live/request-context.js';
import { windowStart } from '../../live/live-window.js';
import type { Ticket } from '../ticket.record.js';
import type { TicketSource } from './ticket-source.js';

const VENDOR = 'connectwise';
const logger = new Logger('ConnectWiseTicketSource');

/** The ticket ids (`cw_ticket_id`, null for none) some other live records of a tenant point at. */
export type TicketReferences = (tenantId: string) => Promise<Iterable<string | null>>;

/** Member id → email, shared by the ticket and time-entry sources (one `/system/members` walk per TTL). */
export async function connectWiseMemberEmails(
  deps: LiveDeps,
  tenantId: string,
  client: ConnectWiseClient,
  version: string,
  reader: AbortSignal,
): Promise<Map<number, string>> {
  const pairs = await deps.cache.get(
    `${tenantId}:connectwise:members:${version}`,
    VENDOR,
    async (stop) => [...memberEmailMap(await client.listMembers(stop))],
    reader,
  );
  return new Map(pairs);
}

/**
 * Live tickets from ConnectWise PSA. The list carries no description (it lives in a note, one call
 * per ticket), so `complete` fetches descriptions only for the tickets a response needs, cached per
 * ticket until its `updated_at_remote` changes.
 */
export class ConnectWiseTicketSource implements TicketSource {
  /**
   * `references` name the tickets other live records point at (in-window time entries, surveys):
   * those not among the open or recently updated tickets are fetched by id, so every reference resolves.
   */
  constructor(
    private readonly deps: LiveDeps,
    private readonly references: TicketReferences[] = [],
  ) {}

  heldSince(): Date {
    return windowStart(this.deps.windowDays);
  }

  async list(tenantId: string): Promise<Ticket[]> {
    const live = await this.deps.clients.for(tenantId, 'connectwise');
    if (!live) return [];
    const { client, version } = live;
    return this.deps.cache.get(fillKey(tenantId, 'tickets', VENDOR, version), VENDOR, async (stop) => {
      const [listed, memberEmails] = await Promise.all([
        client.listTickets(windowStart(this.deps.windowDays), stop),
        connectWiseMemberEmails(this.deps, tenantId, client, version, stop),
      ]);
      const referenced = await this.referencedIds(tenantId, stop);
      const held = new Set(listed.map((item) => item.id));
      const missing = [...referenced].filter((id) => !held.has(id));
      const fetched = missing.length === 0 ? [] : (await client.listTicketsById(missing, stop)).filter((item) => !held.has(item.id));
      const tickets: Ticket[] = [];
      for (const item of listed) tickets.push(mapConnectWiseTicket(item, { tenantId, memberEmails, description: '' }));
      for (const item of fetched) tickets.push(mapConnectWiseTicket(item, { tenantId, memberEmails, description: '' }));
      return tickets;
    });
  }

  /**
   * ConnectWise ids other records point at; a reference source that fails, or answers with a stale
   * copy, leaves the tickets' response untouched (its own route reports that).
   */
  private async referencedIds(tenantId: string, stop: AbortSignal): Promise<Set<number>> {
    const ids = new Set<number>();
    // One after the other, after the ticket walk: ConnectWise asks for few requests in flight.
    for (const references of this.references) {
      try {
        // A stale copy of the referencing records must not mark the tickets, which are fresh, stale.
        for (const id of await outsideRequest(() => references(tenantId), stop)) if (id !== null && /^[1-9]\d{0,15}$/.test(id)) ids.add(Number(id));
      } catch (error) {
        logger.warn(`ticket references of tenant ${tenantId} left out: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return ids;
  }

  async complete(tenantId: string, tickets: Ticket[]): Promise<Ticket[]> {
    if (tickets.length === 0) return tickets;
    const client = (await this.deps.clients.for(tenantId, 'connectwise'))?.client;
    if (!client) return tickets;
    // Concurrency is bounded by the vendor bulkhead in VendorHttp.
    return Promise.all(
      tickets.map(async (ticket) => {
        const key = `${tenantId}:connectwise:description:${ticket.cw_ticket_id}:${ticket.updated_at_remote}`;
        const description = await this.deps.cache.get(key, VENDOR, async (stop) => {
          try {
            return descriptionFromNotes(await client.ticketNotes(ticket.cw_ticket_id, stop));
          } catch (error) {
            // Deleted in ConnectWise since the list was fetched: it leaves the list at the next refresh.
            if (error instanceof VendorHttpError && error.status === 404) return '';
            throw error;
          }
        });
        return { ...ticket, description };
      }),
    );
  }
}
