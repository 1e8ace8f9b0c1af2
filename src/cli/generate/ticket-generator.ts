// Tickets, and the facts about them that time entries and surveys are built on.
import { SEED_TICKET } from './seed-examples.js';
import type { Ticket } from '../../tickets/ticket.record.js';
import {
  SLA_STAGES,
  TICKET_BOARDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketBoard,
  type TicketPriority,
  type TicketStatus,
  type TicketTemplate,
} from './msp-vocabulary.js';
import { ensureCoverage, type Rng } from './seeded-random.js';
import type { TenantContext } from './tenant-world.js';
import { SEED_WORK_NOTES, SlotFiller, TEMPLATE_WORK_NOTES, TEMPLATES_BY_BOARD_AND_PRIORITY, type SlotValues, type WorkNotes } from './text-templates.js';
import { DAY, MINUTE, Progress, TICKET_HISTORY_DAYS, dayNumber, floorToMinute, idFormatter, toInstant } from './time-and-ids.js';

const BOARD_WEIGHTS: readonly (readonly [TicketBoard, number])[] = [
  ['Service', 76],
  ['Project', 14],
  ['Sales', 10],
];
const PRIORITY_WEIGHTS: readonly (readonly [TicketPriority, number])[] = [
  ['Low', 24],
  ['Medium', 46],
  ['High', 22],
  ['Critical', 8],
];

interface TicketPlan {
  createdMs: number;
  board: TicketBoard;
  priority: TicketPriority;
  status: TicketStatus;
}

/** What later record kinds need to know about a ticket, without re-parsing its instants. */
export interface TicketFacts {
  id: string;
  board: string;
  owner: string | null;
  createdMs: number;
  closedMs: number | null;
  /** The last day work can be logged on: the close day, else the last update. */
  lastWorkMs: number;
  /** Note templates for work on this ticket, and the slot values its summary and description used. */
  notes: WorkNotes;
  slots: SlotValues;
}

export interface GeneratedTickets {
  /** Whether records[0] is SEED_TICKET. */
  seeded: boolean;
  records: Ticket[];
  facts: TicketFacts[];
}

export function generateTickets(rng: Rng, ctx: TenantContext, nowCap: number, needClosed: boolean, progress: Progress): GeneratedTickets {
  const records: Ticket[] = [];
  const facts: TicketFacts[] = [];
  const withSeed = ctx.withSeeds && ctx.ticketCount > 0;
  if (withSeed) {
    records.push({ ...SEED_TICKET });
    facts.push(ticketFacts(SEED_TICKET, SEED_WORK_NOTES));
  }

  const plans = planTickets(rng, ctx.ticketCount - records.length, nowCap);
  const fixed = withSeed ? [SEED_TICKET] : [];
  if (needClosed && plans.length > 0 && !fixed.some((t) => t.status === 'Closed') && !plans.some((p) => p.status === 'Closed')) {
    rng.pick(plans).status = 'Closed';
  }
  ensureCoverage(rng, plans, 'status', TICKET_STATUSES, fixed.map((t) => t.status));
  ensureCoverage(rng, plans, 'priority', TICKET_PRIORITIES, fixed.map((t) => t.priority));
  ensureCoverage(rng, plans, 'board', TICKET_BOARDS, fixed.map((t) => t.board));
  progress.add(records.length);

  const nextId = idFormatter('TKT', ctx.ticketCount);
  for (const plan of plans) {
    const ticket = buildTicket(rng, ctx, plan, nextId(records.length + 1), nowCap);
    records.push(ticket.record);
    facts.push(ticket.facts);
    progress.add(1);
  }
  return { seeded: withSeed, records, facts };
}

function planTickets(rng: Rng, count: number, nowCap: number): TicketPlan[] {
  const created = new Float64Array(count);
  for (let i = 0; i < count; i++) created[i] = randomTicketCreation(rng, nowCap);
  created.sort();
  return Array.from(created, (createdMs) => ({
    createdMs,
    board: rng.weighted(BOARD_WEIGHTS),
    priority: rng.weighted(PRIORITY_WEIGHTS),
    status: statusForAge(rng, (nowCap - createdMs) / DAY),
  }));
}

/** Mostly weekday business hours (13:00–23:00 UTC, a US working day), within the last TICKET_HISTORY_DAYS days. */
function randomTicketCreation(rng: Rng, nowCap: number): number {
  let day = dayNumber(nowCap) - rng.int(0, TICKET_HISTORY_DAYS - 1);
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  if ((weekday === 0 || weekday === 6) && rng.chance(0.8)) day -= weekday === 6 ? 1 : 2;
  const minuteOfDay = rng.chance(0.9) ? rng.int(13 * 60, 23 * 60) : rng.int(0, 24 * 60 - 1);
  const ms = day * DAY + minuteOfDay * MINUTE;
  if (ms <= nowCap && ms >= nowCap - TICKET_HISTORY_DAYS * DAY) return ms;
  return nowCap - rng.minutes(1, 12 * 60);
}

/** Old tickets are mostly closed; new ones are mostly still open. */
function statusForAge(rng: Rng, ageDays: number): TicketStatus {
  const closedShare = ageDays < 1 ? 0.1 : ageDays < 7 ? 0.4 : ageDays < 30 ? 0.7 : ageDays < 60 ? 0.86 : 0.95;
  if (rng.chance(closedShare)) return 'Closed';
  const r = rng.float();
  if (ageDays < 2) return r < 0.55 ? 'New' : r < 0.9 ? 'In Progress' : 'Waiting';
  return r < 0.15 ? 'New' : r < 0.6 ? 'In Progress' : 'Waiting';
}


function buildTicket(rng: Rng, ctx: TenantContext, plan: TicketPlan, id: string, nowCap: number): { record: Ticket; facts: TicketFacts } {
  const { board, priority, status, createdMs } = plan;
  const template = rng.pick(TEMPLATES_BY_BOARD_AND_PRIORITY.get(`${board}/${priority}`) as readonly TicketTemplate[]);
  const slots = new SlotFiller(rng, ctx);
  const owner = status === 'New' && rng.chance(0.4) ? null : rng.pick(ctx.staff).email;

  let closedMs: number | null = null;
  let updatedMs: number;
  if (status === 'Closed') {
    closedMs = Math.min(createdMs + resolutionTime(rng, board, priority), nowCap);
    updatedMs = rng.chance(0.85) ? closedMs : Math.min(closedMs + rng.minutes(5, 2 * 24 * 60), nowCap);
  } else if (status === 'New') {
    updatedMs = rng.chance(0.6) ? createdMs : Math.min(createdMs + rng.minutes(1, 4 * 60), nowCap);
  } else {
    updatedMs = floorToMinute(createdMs + rng.float() * (nowCap - createdMs));
  }

  const record: Ticket = {
    tenant_id: ctx.tenant.id,
    cw_ticket_id: id,
    board,
    status,
    priority,
    summary: slots.fill(template.summary),
    description: slots.fill(template.description),
    company: rng.pick(ctx.companies),
    owner,
    created_at_remote: toInstant(createdMs),
    updated_at_remote: toInstant(updatedMs),
    sla_status: rng.pick(SLA_STAGES[status]),
  };
  const estimate = estimatedHours(rng, board);
  if (estimate !== undefined) record.estimated_hours = estimate;
  if (closedMs !== null) record.closed_at_remote = toInstant(closedMs);

  return {
    record,
    facts: {
      id,
      board,
      owner,
      createdMs,
      closedMs,
      lastWorkMs: closedMs ?? updatedMs,
      notes: TEMPLATE_WORK_NOTES.get(template) as WorkNotes,
      slots: slots.filled(),
    },
  };
}

function ticketFacts(ticket: Ticket, notes: WorkNotes): TicketFacts {
  const createdMs = Date.parse(ticket.created_at_remote);
  const closedMs = ticket.closed_at_remote ? Date.parse(ticket.closed_at_remote) : null;
  return {
    id: ticket.cw_ticket_id,
    board: ticket.board,
    owner: ticket.owner,
    createdMs,
    closedMs,
    lastWorkMs: closedMs ?? Date.parse(ticket.updated_at_remote),
    notes,
    slots: {},
  };
}

/** About a third closed the same day, most within a few days, projects over weeks. */
function resolutionTime(rng: Rng, board: TicketBoard, priority: TicketPriority): number {
  if (board === 'Project') return rng.minutes(2 * 24 * 60, 30 * 24 * 60);
  const urgent = priority === 'Critical' || priority === 'High';
  const r = rng.float();
  if (r < (urgent ? 0.55 : 0.3)) return rng.minutes(15, 6 * 60);
  if (r < 0.8) return rng.minutes(6 * 60, 3 * 24 * 60);
  return rng.minutes(3 * 24 * 60, 14 * 24 * 60);
}

/** ConnectWise budget hours, in half-hour steps; often left empty on service tickets. */
function estimatedHours(rng: Rng, board: TicketBoard): number | undefined {
  switch (board) {
    case 'Project':
      return rng.chance(0.9) ? rng.int(8, 80) / 2 : undefined;
    case 'Sales':
      return rng.chance(0.3) ? rng.int(1, 4) / 2 : undefined;
    default:
      return rng.chance(0.5) ? rng.int(1, 8) / 2 : undefined;
  }
}
