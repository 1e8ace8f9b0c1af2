import type { Ticket } from '../ticket.record.js';

export const TICKET_SOURCE = Symbol('TICKET_SOURCE');

/** A tenant's tickets: mock files, or the ConnectWise replica in live mode (descriptions included). */
export interface TicketSource {
  list(tenantId: string): Promise<Ticket[]>;
  /** Replica sources: where the tenant's synced history starts (history_from), as of its last read; undefined when unknown. */
  syncedSince?(tenantId: string): Date | undefined;
  /** No source implements it any more (the replica holds descriptions); kept only while `mock:record` still asks for it. */
  complete?(tenantId: string, tickets: Ticket[]): Promise<Ticket[]>;
}
