import { SEED_TICKET } from '../../src/cli/generate/seed-examples.js';
import { closedTicketIdsOpenedBefore } from '../../src/time-entries/sources/connectwise-time-entry-source.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';

const SINCE = new Date('2026-09-01T00:00:00.000Z');
const t = (id: string, over: Partial<Ticket>): Ticket => ({ ...SEED_TICKET, cw_ticket_id: id, ...over });

describe('closedTicketIdsOpenedBefore (a mocked tickets domain naming the tickets whose every entry is fetched)', () => {
  it('keeps the ConnectWise ids of tickets closed at or after the window start and created before it', () => {
    const tickets = [
      t('101', { created_at_remote: '2026-05-01T00:00:00Z', updated_at_remote: '2026-09-02T00:00:00Z', closed_at_remote: '2026-09-02T00:00:00Z' }),
      t('102', { created_at_remote: '2026-05-01T00:00:00Z', updated_at_remote: '2026-09-01T00:00:00Z', closed_at_remote: '2026-09-01T00:00:00Z' }), // closed exactly at the start
      t('103', { created_at_remote: '2026-09-01T00:00:00Z', updated_at_remote: '2026-09-02T00:00:00Z', closed_at_remote: '2026-09-02T00:00:00Z' }), // opened at the start
      t('104', { created_at_remote: '2026-05-01T00:00:00Z', updated_at_remote: '2026-08-31T23:59:59Z', closed_at_remote: '2026-08-31T23:59:59Z' }), // closed before
      t('105', { status: 'New', created_at_remote: '2026-05-01T00:00:00Z', updated_at_remote: '2026-09-02T00:00:00Z', closed_at_remote: null }), // open
      // Named Closed without a close time: closed when last updated, as the KPIs count it.
      t('106', { status: 'Closed', created_at_remote: '2026-05-01T00:00:00Z', updated_at_remote: '2026-09-03T00:00:00Z', closed_at_remote: null }),
      t('MOCK-7', { created_at_remote: '2026-05-01T00:00:00Z', updated_at_remote: '2026-09-02T00:00:00Z', closed_at_remote: '2026-09-02T00:00:00Z' }), // no ConnectWise id
    ];
    expect(closedTicketIdsOpenedBefore(tickets, SINCE)).toEqual([101, 102, 106]);
  });
});
