import type { Ticket } from '../ticket.record.js';

export const TICKET_SOURCE = Symbol('TICKET_SOURCE');

/** A tenant's tickets: mock files, or ConnectWise PSA in live mode. */
export interface TicketSource {
  list(tenantId: string): Promise<Ticket[]>;
  /**
   * Live sources hold only the records updated since this instant (LIVE_WINDOW_DAYS back from now);
   * sources that hold every record (mock files) do not implement it.
   */
  heldSince?(): Date;
  /** Replica sources: where the tenant's synced history starts (history_from), as of its last read; undefined when unknown. */
  syncedSince?(tenantId: string): Date | undefined;
  /**
   * Fills what `list` leaves out because it costs a call per ticket (ConnectWise descriptions), for
   * just the tickets a response needs. Sources whose list is complete do not implement it.
   */
  complete?(tenantId: string, tickets: Ticket[]): Promise<Ticket[]>;
}
