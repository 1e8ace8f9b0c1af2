import type { Ticket } from '../ticket.record.js';

export const TICKET_SOURCE = Symbol('TICKET_SOURCE');

/** A tenant's tickets: mock files, or ConnectWise PSA in live mode. */
export interface TicketSource {
  list(tenantId: string): Promise<Ticket[]>;
}
