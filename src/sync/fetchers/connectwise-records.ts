import { ConnectWiseClient, CwMember, CwServiceNote, CwTicket, CwTimeEntry, cwDateTime } from '../../integrations/connectwise/connectwise.client.js';
import { memberEmailMap } from '../../integrations/connectwise/connectwise-members.js';
import { descriptionFromNotes, mapConnectWiseTicket } from '../../tickets/sources/connectwise.mappers.js';
import { mapConnectWiseTimeEntry } from '../../time-entries/sources/connectwise-time-entry.mappers.js';
import { isTicketClosed, type Ticket } from '../../tickets/ticket.record.js';
import type { TimeEntry } from '../../time-entries/time-entry.record.js';
import type { ChangesRequest, KnownRecord, StreamFetcher, StreamPage } from '../stream.js';
import { RunMembers, forwardIds, forwardStream, updatedWindow } from './connectwise-members.js';
import { vendorInstant, wantsOpenRecords } from './stream-resume.js';

/** A ticket as fetched: the ticket, its description note (null: none) and its owner's member row (null: none or unknown). */
export interface CwTicketRaw {
  ticket: CwTicket;
  description: CwServiceNote | null;
  owner: CwMember | null;
}

/** A time entry as fetched, with its member's row (null: unknown). */
export interface CwTimeEntryRaw {
  entry: CwTimeEntry;
  member: CwMember | null;
}

// Descriptions cost one call per ticket: a page is handed on 100 tickets at a time, so a run that dies repeats at most 100 of them.
const DESCRIPTION_BATCH = 100;

/**
 * The stored payload of a ticket whose `_info.lastUpdated` is what the replica holds (the vendor's sign
 * that nothing on it changed, its description note included: docs/stream-fetchers.md), else undefined.
 */
function unchangedTicket(known: KnownRecord | undefined, vendorUpdatedAt: string | null): CwTicketRaw | undefined {
  if (!known || vendorUpdatedAt === null || known.vendorUpdatedAt !== vendorUpdatedAt) return undefined;
  const raw = known.raw as Partial<CwTicketRaw> | null;
  return raw && typeof raw === 'object' && 'description' in raw && raw.ticket ? (raw as CwTicketRaw) : undefined;
}

/**
 * ConnectWise tickets (`/service/tickets`, forward-only by id, `lastUpdated>=[since]`; a first sync
 * adds every open ticket: `closedFlag=false or lastUpdated>=[from]`). Each changed ticket costs one
 * more call for its description note; a run with changes one more for the members (once). A ticket
 * listed again with the `lastUpdated` the replica holds (the overlap, a resumed run) reuses its stored
 * note and owner row (`request.known`): no call.
 * Raw = CwTicketRaw: the owner's member row travels with the ticket, so `map` needs no members
 * stream; a member's new email reaches a ticket when the ticket next changes or on a full sync.
 */
export class ConnectWiseTicketsFetcher implements StreamFetcher<Ticket> {
  readonly stream = 'connectwise.tickets' as const;
  readonly vendor = 'connectwise';
  readonly domain = 'tickets' as const;

  constructor(private readonly client: ConnectWiseClient) {}

  changes(request: ChangesRequest): AsyncIterable<StreamPage> {
    const window = updatedWindow(request);
    // Open tickets count whatever their age; with no bound at all, every ticket is walked anyway.
    const conditions = wantsOpenRecords(request) && window !== undefined ? `closedFlag=false or (${window})` : window;
    return this.client.streamWalk(request.stop, (walk) => {
      const members = new RunMembers(this.client, walk);
      return forwardStream<CwTicket>(
        this.client,
        walk,
        this.stream,
        '/service/tickets',
        { conditions },
        request.resume,
        async (tickets) => {
          const stored = request.known ? await request.known(tickets.map((ticket) => String(ticket.id))) : new Map<string, KnownRecord>();
          // In flight at most as the vendor bulkhead allows (VendorHttp), queued beyond.
          return Promise.all(
            tickets.map(async (ticket) => {
              const vendorUpdatedAt = vendorInstant(ticket._info?.lastUpdated);
              const before = unchangedTicket(stored.get(String(ticket.id)), vendorUpdatedAt);
              const description = before ? before.description : await this.client.descriptionNote(walk, ticket.id as number);
              const owner = !ticket.owner ? null : before?.owner && before.owner.id === ticket.owner.id ? before.owner : await members.byId(ticket.owner.id);
              return { vendorId: String(ticket.id), raw: { ticket, description, owner } satisfies CwTicketRaw, vendorUpdatedAt };
            }),
          );
        },
        DESCRIPTION_BATCH,
      );
    });
  }

  /** Open tickets (`open`) and those updated since `from`: what a reconcile compares the replica with. */
  ids(scope: { open: boolean; from?: string }, stop: AbortSignal): Promise<string[]> {
    const parts = [scope.open ? 'closedFlag=false' : undefined, scope.from ? `lastUpdated>=[${cwDateTime(new Date(scope.from))}]` : undefined];
    return forwardIds(this.client, '/service/tickets', parts.filter(Boolean).join(' or ') || undefined, stop);
  }

  isOpen(mapped: unknown): boolean {
    return !isTicketClosed(mapped as Ticket);
  }

  map(raw: unknown, tenantId: string): Ticket {
    const { ticket, description, owner } = raw as CwTicketRaw;
    return mapConnectWiseTicket(ticket, {
      tenantId,
      memberEmails: memberEmailMap(owner ? [owner] : []),
      description: descriptionFromNotes(description ? [description] : []),
    });
  }
}

/**
 * ConnectWise time entries (`/time/entries`, forward-only by id, `lastUpdated>=[since]`; a first
 * sync `lastUpdated>=[from]`). Raw = CwTimeEntryRaw (the member's row travels with the entry, as for
 * tickets); `date_worked` is the day in the integration's time zone, which `map` takes from the
 * client this fetcher was built with, so a changed zone re-maps from the stored raw payloads.
 */
export class ConnectWiseTimeEntriesFetcher implements StreamFetcher<TimeEntry> {
  readonly stream = 'connectwise.time_entries' as const;
  readonly vendor = 'connectwise';
  readonly domain = 'time_entries' as const;

  constructor(private readonly client: ConnectWiseClient) {}

  changes(request: ChangesRequest): AsyncIterable<StreamPage> {
    return this.client.streamWalk(request.stop, (walk) => {
      const members = new RunMembers(this.client, walk);
      return forwardStream<CwTimeEntry>(this.client, walk, this.stream, '/time/entries', { conditions: updatedWindow(request) }, request.resume, (entries) =>
        Promise.all(
          entries.map(async (entry) => ({
            vendorId: String(entry.id),
            raw: { entry, member: entry.member ? await members.byId(entry.member.id) : null } satisfies CwTimeEntryRaw,
            vendorUpdatedAt: vendorInstant(entry._info?.lastUpdated),
          })),
        ),
      );
    });
  }

  /** The entries updated since `from` (all without it); `open` has no meaning for time entries. */
  ids(scope: { open: boolean; from?: string }, stop: AbortSignal): Promise<string[]> {
    return forwardIds(this.client, '/time/entries', updatedWindow({ since: null, from: scope.from }), stop);
  }

  map(raw: unknown, tenantId: string): TimeEntry {
    const { entry, member } = raw as CwTimeEntryRaw;
    return mapConnectWiseTimeEntry(entry, { tenantId, memberEmails: memberEmailMap(member ? [member] : []), timeZone: this.client.timeZone });
  }
}
