import type { FakeConnectWise } from '../fakes/fake-connectwise.js';

/** An instant `msAgo` before now, as ConnectWise writes them (no milliseconds). */
export const isoAgo = (msAgo: number): string => new Date(Date.now() - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The benches' ConnectWise tenant: 20 members, `count` tickets (a quarter closed) with a description
 * note each. `distinctSummaries` makes every summary its own string, as a real tenant's are (what the
 * memory bench needs); otherwise a handful of texts repeat.
 */
export function seedConnectWiseTickets(cw: FakeConnectWise, count: number, { distinctSummaries = false } = {}): void {
  const suffix = (i: number) => (distinctSummaries ? ` (${i})` : '');
  cw.members = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, identifier: `tech${i}`, officeEmail: `tech${i}@msp.example` }));
  cw.tickets = Array.from({ length: count }, (_, i) => ({
    id: 10_000 + i,
    summary: (i % 10 === 0 ? `VPN drops every ${i % 60} minutes` : `Printer offline on floor ${i % 7}`) + suffix(i),
    board: { id: 1, name: 'Service Board' },
    status: { id: 1, name: i % 4 === 0 ? 'Closed (resolved)' : 'New' },
    priority: { id: 1, name: 'Priority 3 - Normal Response' },
    company: { id: 1, name: `Client ${i % 40}` },
    owner: { id: (i % 20) + 1 },
    closedFlag: i % 4 === 0,
    closedDate: i % 4 === 0 ? isoAgo(3_600_000) : null,
    _info: { dateEntered: isoAgo(86_400_000 * 5 + i * 1000), lastUpdated: isoAgo(3_600_000 + i * 1000) },
  }));
  cw.notes = cw.tickets.map((t, i) => ({ id: i + 1, ticketId: t.id, text: `Initial description for ticket ${t.id}`, detailDescriptionFlag: true }));
}
