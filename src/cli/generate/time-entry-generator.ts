// Time entries: mostly on assigned tickets, noted in the ticket's own words; a few internal.
import { SEED_TIME_ENTRY } from './seed-examples.js';
import type { TimeEntry } from '../../time-entries/time-entry.record.js';
import { TIME_ENTRY_NOTES, WORK_TYPES, type WorkTypeKey } from './msp-vocabulary.js';
import type { Rng } from './seeded-random.js';
import type { TenantContext } from './tenant-world.js';
import { fillWith } from './text-templates.js';
import type { GeneratedTickets, TicketFacts } from './ticket-generator.js';
import { Progress, TICKET_HISTORY_DAYS, dayNumber, numberAfterSeed, toDay } from './time-and-ids.js';

const INTERNAL_TIME_SHARE = 0.05;
const WORK_TYPE_WEIGHTS: Record<string, readonly (readonly [WorkTypeKey, number])[]> = {
  Service: [
    ['remote', 62],
    ['onsite', 20],
    ['afterHours', 8],
    ['admin', 10],
  ],
  Project: [
    ['project', 85],
    ['onsite', 10],
    ['admin', 5],
  ],
  Sales: [
    ['admin', 80],
    ['remote', 20],
  ],
};
const MINUTE_RANGES: Record<WorkTypeKey, readonly [number, number]> = {
  remote: [15, 120],
  onsite: [60, 240],
  afterHours: [30, 180],
  project: [60, 480],
  admin: [15, 60],
  internal: [15, 120],
};

export function generateTimeEntries(
  rng: Rng,
  ctx: TenantContext,
  tickets: GeneratedTickets,
  count: number,
  nowCap: number,
  progress: Progress,
): TimeEntry[] {
  const withSeed = tickets.seeded && count > 0;
  const pickTicket = ticketPicker(rng, tickets.facts);
  const nextNote = new Map<string, number>();

  const entries: TimeEntry[] = [];
  for (let i = withSeed ? 1 : 0; i < count; i++) {
    const ticket = pickTicket && !rng.chance(INTERNAL_TIME_SHARE) ? pickTicket() : null;
    entries.push(ticket ? ticketTimeEntry(rng, ctx, ticket, nextNote) : internalTimeEntry(rng, ctx, nowCap));
    progress.add(1);
  }
  entries.sort((a, b) => (a.date_worked < b.date_worked ? -1 : a.date_worked > b.date_worked ? 1 : 0));
  return numberAfterSeed(entries, 'TE', 'cw_time_entry_id', count, withSeed ? SEED_TIME_ENTRY : undefined, progress);
}

/** Picks tickets to log time on: projects take more entries; unassigned tickets have not been worked on. */
function ticketPicker(rng: Rng, tickets: readonly TicketFacts[]): (() => TicketFacts) | undefined {
  const assigned = tickets.filter((t) => t.owner !== null);
  const workable = assigned.length ? assigned : tickets;
  if (workable.length === 0) return undefined;
  const cumulative = new Float64Array(workable.length);
  let sum = 0;
  workable.forEach((t, i) => (cumulative[i] = sum += t.board === 'Project' ? 3 : 1));
  return () => {
    const r = rng.float() * sum;
    let lo = 0;
    let hi = workable.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return workable[lo];
  };
}

/** Time on a ticket, noted in its own words; `nextNote` walks its notes from a random start so its entries differ until they run out. */
function ticketTimeEntry(rng: Rng, ctx: TenantContext, ticket: TicketFacts, nextNote: Map<string, number>): TimeEntry {
  const kind = rng.weighted(WORK_TYPE_WEIGHTS[ticket.board] ?? WORK_TYPE_WEIGHTS.Service);
  const firstDay = dayNumber(ticket.createdMs);
  const lastDay = dayNumber(ticket.lastWorkMs);
  const member = ticket.owner !== null && rng.chance(0.8) ? ticket.owner : rng.pick(ctx.staff).email;
  const choices = ticket.notes[kind];
  const index = (nextNote.get(ticket.id) ?? rng.int(0, choices.length - 1)) % choices.length;
  nextNote.set(ticket.id, index + 1);
  const notes = fillWith(choices[index], ticket.slots);
  return timeEntry(rng, ctx, kind, ticket.id, member, toDay(rng.int(firstDay, lastDay)), notes);
}

function internalTimeEntry(rng: Rng, ctx: TenantContext, nowCap: number): TimeEntry {
  const kind: 'internal' | 'admin' = rng.chance(0.7) ? 'internal' : 'admin';
  const day = dayNumber(nowCap) - rng.int(0, TICKET_HISTORY_DAYS - 1);
  return timeEntry(rng, ctx, kind, null, rng.pick(ctx.staff).email, toDay(day), rng.pick(TIME_ENTRY_NOTES[kind]));
}

function timeEntry(
  rng: Rng,
  ctx: TenantContext,
  kind: WorkTypeKey,
  ticketId: string | null,
  member: string,
  day: string,
  notes: string,
): TimeEntry {
  const workType = WORK_TYPES[kind];
  const [min, max] = MINUTE_RANGES[kind];
  // Short entries are far more common than long ones.
  const quarters = Math.round(min / 15 + (max / 15 - min / 15) * rng.float() ** 2);
  return {
    tenant_id: ctx.tenant.id,
    cw_time_entry_id: '',
    cw_ticket_id: ticketId,
    member,
    work_type: workType.name,
    // A few billable-type entries are written off as goodwill.
    billable: workType.billable && !rng.chance(0.04),
    minutes: quarters * 15,
    notes,
    date_worked: day,
  };
}
