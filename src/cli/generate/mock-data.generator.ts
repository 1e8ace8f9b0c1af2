import { Faker, base, en } from '@faker-js/faker';
import type { CsatSurvey, Sentiment } from '../../csat/csat-survey.record.js';
import { isInstant } from '../../common/validation/formats.js';
import {
  SEED_CSAT_SURVEY,
  SEED_DEFENDER_ALERT,
  SEED_SENTINELONE_ALERT,
  SEED_TENANTS,
  SEED_TICKET,
  SEED_TIME_ENTRY,
} from './seed-examples.js';
import type { AlertSeverity, AlertSource, AlertStatus, SecurityAlert } from '../../security-alerts/security-alert.record.js';
import type { Tenant } from '../../tenants/tenant.record.js';
import type { Ticket } from '../../tickets/ticket.record.js';
import type { TimeEntry } from '../../time-entries/time-entry.record.js';
import {
  APPS,
  CSAT_COMMENTS,
  DEFENDER_ALERTS,
  DEPARTMENTS,
  DEVICE_PATTERNS,
  FLOORS,
  ISPS,
  LAPTOP_MODELS,
  LEVEL_PRIORITIES,
  LICENSES,
  NETWORK_VENDORS,
  PRINTERS,
  SENTINELONE_THREATS,
  SERVER_ROLES,
  SHARED_MAILBOXES,
  SHARES,
  SITES,
  SLA_STAGES,
  TICKET_BOARDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TEMPLATES,
  TIME_ENTRY_NOTES,
  WEEKDAYS,
  WORK_NOTE_PREFIXES,
  WORK_TYPES,
  type TemplateSlot,
  type TicketBoard,
  type TicketPriority,
  type TicketStatus,
  type TicketTemplate,
  type WorkTypeKey,
} from './msp-vocabulary.js';

export interface GenerateOptions {
  seed: number;
  /** Reference time (ISO instant ending in Z): nothing generated is later. */
  now: string;
  tenants: number;
  /** Tickets per tenant; undefined gives each tenant a seeded count in 50..100. */
  tickets?: number;
  timeEntries: number;
  csat: number;
  alerts: number;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_GENERATE_OPTIONS: Readonly<GenerateOptions> = Object.freeze({
  seed: 42,
  now: '2026-01-31T00:00:00Z',
  tenants: 2,
  timeEntries: 100,
  csat: 30,
  alerts: 40,
});

/** Largest accepted per-tenant count of any record kind. */
export const MAX_RECORDS_PER_TENANT = 1_000_000;
export const MAX_TENANTS = 1000;

/** Records by tenant id, in tenant order. */
export interface GeneratedDataset {
  tenants: Tenant[];
  tickets: Record<string, Ticket[]>;
  time_entries: Record<string, TimeEntry[]>;
  csat: Record<string, CsatSurvey[]>;
  security_alerts: Record<string, SecurityAlert[]>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICKET_HISTORY_DAYS = 120;
const ALERT_HISTORY_DAYS = 90;
const SEED_TENANT_DOMAIN = 'msp.com';
const SEED_COMPANY = SEED_TICKET.company;

/** Notes for further time on the seed ticket (TKT-001: Outlook prompting for a password after an MFA change). */
export const SEED_TICKET_NOTES: readonly string[] = [
  'Cleared cached credentials in Credential Manager and rebuilt the Outlook profile.',
  'Checked the sign-in logs: Outlook was trying legacy auth since MFA was enforced; enabled modern auth.',
  'Followed up with the user: no more Outlook password prompts since the MFA fix.',
];

/** Independent random streams per tenant, so e.g. changing --alerts leaves tickets unchanged. */
const Stream = { Context: 1, Tickets: 2, TimeEntries: 3, Csat: 4, Alerts: 5, TenantList: 6 } as const;
type Stream = (typeof Stream)[keyof typeof Stream];

export function generateDataset(options: GenerateOptions): GeneratedDataset {
  assertValidOptions(options);
  const nowCap = floorToMinute(Date.parse(options.now));
  const rng = new Rng(new Faker({ locale: [en, base] }), options.seed);

  const tenants = buildTenants(rng, options.tenants);
  const contexts = tenants.map((tenant, index) => buildTenantContext(rng, tenant, index, options));
  const total = contexts.reduce((sum, c) => sum + c.ticketCount + options.timeEntries + options.csat + options.alerts, 0);
  const progress = new Progress(total, options.onProgress);

  const dataset: GeneratedDataset = { tenants, tickets: {}, time_entries: {}, csat: {}, security_alerts: {} };
  for (const ctx of contexts) {
    const id = ctx.tenant.id;
    const tickets = generateTickets(rng.reseed(ctx.index, Stream.Tickets), ctx, nowCap, options.csat > 0, progress);
    dataset.tickets[id] = tickets.records;
    dataset.time_entries[id] = generateTimeEntries(rng.reseed(ctx.index, Stream.TimeEntries), ctx, tickets, options.timeEntries, nowCap, progress);
    dataset.csat[id] = generateSurveys(rng.reseed(ctx.index, Stream.Csat), ctx, tickets, options.csat, nowCap, progress);
    dataset.security_alerts[id] = generateAlerts(rng.reseed(ctx.index, Stream.Alerts), ctx, options.alerts, nowCap, progress);
  }
  progress.finish();
  return dataset;
}

function assertValidOptions(o: GenerateOptions): void {
  const count = (name: string, value: number | undefined, min: number, max: number): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
    }
  };
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be a safe integer, got ${o.seed}`);
  if (!isInstant(o.now)) throw new RangeError(`now must be an ISO instant like 2026-01-31T00:00:00Z, got ${o.now}`);
  count('tenants', o.tenants, 1, MAX_TENANTS);
  count('tickets', o.tickets, 0, MAX_RECORDS_PER_TENANT);
  count('timeEntries', o.timeEntries, 0, MAX_RECORDS_PER_TENANT);
  count('csat', o.csat, 0, MAX_RECORDS_PER_TENANT);
  count('alerts', o.alerts, 0, MAX_RECORDS_PER_TENANT);
}

// ---------------------------------------------------------------------------
// Randomness, time and ids

class Rng {
  private readonly seedWords: [number, number];

  constructor(
    readonly faker: Faker,
    seed: number,
  ) {
    // Two 32-bit words so every safe integer seeds a distinct stream.
    const high = Math.floor(seed / 2 ** 32);
    this.seedWords = [seed - high * 2 ** 32, high >>> 0];
  }

  reseed(tenantIndex: number, stream: Stream): this {
    this.faker.seed([...this.seedWords, tenantIndex, stream]);
    return this;
  }

  float(): number {
    return this.faker.number.float();
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  weighted<T>(table: readonly (readonly [T, number])[]): T {
    const sum = table.reduce((s, [, w]) => s + w, 0);
    let r = this.float() * sum;
    for (const [value, weight] of table) {
      r -= weight;
      if (r < 0) return value;
    }
    return table[table.length - 1][0];
  }

  /** A whole number of minutes in [minMinutes, maxMinutes], as milliseconds. */
  minutes(minMinutes: number, maxMinutes: number): number {
    return this.int(minMinutes, maxMinutes) * MINUTE;
  }
}

class Progress {
  private done = 0;
  private reported = 0;
  private readonly step: number;

  constructor(
    private readonly total: number,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {
    this.step = Math.max(1000, Math.ceil(total / 100));
  }

  add(count: number): void {
    this.done += count;
    if (this.onProgress && this.done - this.reported >= this.step) {
      this.reported = this.done;
      this.onProgress(this.done, this.total);
    }
  }

  finish(): void {
    if (this.onProgress && this.reported !== this.total) this.onProgress(this.total, this.total);
  }
}

function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}

function toInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function toDay(dayNumber: number): string {
  return new Date(dayNumber * DAY).toISOString().slice(0, 10);
}

function dayNumber(ms: number): number {
  return Math.floor(ms / DAY);
}

/** Formats sequence numbers so that ids of one kind sort by code point in numeric order. */
function idFormatter(prefix: string, count: number): (n: number) => string {
  const width = Math.max(3, String(count).length);
  return (n) => `${prefix}-${String(n).padStart(width, '0')}`;
}

/** Ids in the records' (sorted) order, after the seed record when the tenant starts with one. */
function numberAfterSeed<T, K extends keyof T & string>(
  records: T[],
  prefix: string,
  idField: K,
  count: number,
  seed: T | undefined,
  progress: Progress,
): T[] {
  const nextId = idFormatter(prefix, count);
  const numbered = records.map((r, i) => ({ ...r, [idField]: nextId(i + (seed ? 2 : 1)) }));
  if (seed) {
    numbered.unshift({ ...seed });
    progress.add(1);
  }
  return numbered;
}

// ---------------------------------------------------------------------------
// Tenants and their small fixed worlds (staff, client companies, devices)

interface StaffMember {
  email: string;
  /** Null for role accounts such as the seed's tech1@msp.com. */
  firstName: string | null;
}

interface ClientUser {
  first: string;
  full: string;
}

interface TenantContext {
  tenant: Tenant;
  index: number;
  withSeeds: boolean;
  ticketCount: number;
  staff: StaffMember[];
  staffFirstName: Map<string, string | null>;
  companies: string[];
  clientUsers: ClientUser[];
  workstations: string[];
  servers: string[];
  /** Every device, the busiest (most alerts) first. */
  devices: string[];
}

function buildTenants(rng: Rng, count: number): Tenant[] {
  const tenants = SEED_TENANTS.slice(0, count).map((t) => ({ ...t }));
  rng.reseed(0, Stream.TenantList);
  const names = new Set(tenants.map((t) => t.name));
  for (let i = tenants.length; i < count; i++) {
    const name = uniqueValue(names, () => rng.faker.company.name(), (n, attempt) => `${n} ${attempt + 1}`);
    tenants.push({ id: `tenant_demo_client${i + 1}`, name, is_active: true, llm_enabled: rng.chance(0.5) });
  }
  return tenants;
}

function buildTenantContext(rng: Rng, tenant: Tenant, index: number, options: GenerateOptions): TenantContext {
  rng.reseed(index, Stream.Context);
  const { faker } = rng;
  const withSeeds = index === 0;
  const ticketCount = options.tickets ?? rng.int(50, 100);

  const domain = withSeeds ? SEED_TENANT_DOMAIN : `${slug(tenant.name) || 'msp'}.com`;
  const staff: StaffMember[] = withSeeds ? [{ email: SEED_TICKET.owner as string, firstName: null }] : [];
  const emails = new Set(staff.map((s) => s.email));
  const staffSize = rng.int(4, 6);
  while (staff.length < staffSize) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const email = `${slug(firstName)}.${slug(lastName)}@${domain}`;
    if (slug(firstName) && slug(lastName) && !emails.has(email)) {
      emails.add(email);
      staff.push({ email, firstName });
    }
  }

  const companies = new Set<string>(withSeeds ? [SEED_COMPANY] : []);
  const companyCount = rng.int(6, 10);
  while (companies.size < companyCount) companies.add(faker.company.name());

  const clientUsers = Array.from({ length: 40 }, () => {
    const first = faker.person.firstName();
    return { first, full: `${first} ${faker.person.lastName()}` };
  });

  const devices = buildDevices(rng, withSeeds);
  return {
    tenant,
    index,
    withSeeds,
    ticketCount,
    staff,
    staffFirstName: new Map(staff.map((s) => [s.email, s.firstName])),
    companies: [...companies],
    clientUsers,
    workstations: devices.filter((d) => !d.startsWith('SRV-')),
    servers: devices.filter((d) => d.startsWith('SRV-')),
    devices,
  };
}

function buildDevices(rng: Rng, withSeeds: boolean): string[] {
  const devices = new Set<string>(withSeeds ? [SEED_SENTINELONE_ALERT.device, SEED_DEFENDER_ALERT.device] : []);
  devices.add(`SRV-${rng.pick(SERVER_ROLES)}01`);
  devices.add(`LAPTOP-${pad(rng.int(1, 60), 3)}`);
  const size = rng.int(20, 40);
  while (devices.size < size) {
    const name = rng
      .pick(DEVICE_PATTERNS)
      .replace('{nnn}', () => pad(rng.int(1, 150), 3))
      .replace('{nn}', () => pad(rng.int(1, 20), 2))
      .replace('{dept}', () => rng.pick(DEPARTMENTS))
      .replace('{role}', () => rng.pick(SERVER_ROLES));
    devices.add(name);
  }
  return [...devices];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function uniqueValue(taken: Set<string>, make: () => string, disambiguate: (value: string, attempt: number) => string): string {
  const first = make();
  let value = first;
  for (let attempt = 1; taken.has(value); attempt++) value = attempt < 5 ? make() : disambiguate(first, attempt);
  taken.add(value);
  return value;
}

// ---------------------------------------------------------------------------
// Text templates

const SLOT_PATTERN = /\{(\w+)\}/g;

/** Fills `{slot}`s; one record's slots share values, so `{user}` names the same person twice. */
/** Slots filled by one pick from a fixed vocabulary list. */
const SLOT_POOLS: Partial<Record<TemplateSlot, readonly string[]>> = {
  app: APPS,
  floor: FLOORS,
  site: SITES,
  weekday: WEEKDAYS,
  isp: ISPS,
  share: SHARES,
  printer: PRINTERS,
  model: LAPTOP_MODELS,
  license: LICENSES,
  vendor: NETWORK_VENDORS,
  mailbox: SHARED_MAILBOXES,
};

class SlotFiller {
  private readonly values = new Map<string, string>();
  private person: ClientUser | undefined;

  constructor(
    private readonly rng: Rng,
    private readonly ctx: TenantContext,
    private readonly tech?: string,
  ) {}

  fill(template: string): string {
    return template.replace(SLOT_PATTERN, (_, slot: string) => {
      let value = this.values.get(slot);
      if (value === undefined) {
        value = this.valueFor(slot as TemplateSlot);
        this.values.set(slot, value);
      }
      return value;
    });
  }

  /** The values filled so far; `{first}` comes with `{user}` (and the reverse), as they name one person. */
  filled(): SlotValues {
    const values: Record<string, string> = Object.fromEntries(this.values);
    if (this.person) {
      values.user = this.person.full;
      values.first = this.person.first;
    }
    return values;
  }

  private valueFor(slot: TemplateSlot): string {
    const { rng, ctx } = this;
    switch (slot) {
      case 'user':
        return this.clientUser().full;
      case 'first':
        return this.clientUser().first;
      case 'device':
        return rng.pick(ctx.workstations.length ? ctx.workstations : ctx.devices);
      case 'server':
        return rng.pick(ctx.servers.length ? ctx.servers : ctx.devices);
      case 'n':
        return String(rng.int(2, 12));
      case 'tech':
        return this.tech ?? 'the technician';
      default: {
        const pool = SLOT_POOLS[slot];
        if (!pool) throw new Error(`Unknown template slot {${slot as string}}`);
        return rng.pick(pool);
      }
    }
  }

  private clientUser(): ClientUser {
    this.person ??= this.rng.pick(this.ctx.clientUsers);
    return this.person;
  }
}

type SlotValues = Readonly<Record<string, string>>;

/** Fills `{slot}`s with fixed values, e.g. a time entry's note with its ticket's values. */
function fillWith(template: string, values: SlotValues): string {
  return template.replace(SLOT_PATTERN, (_, slot: string) => {
    const value = values[slot];
    if (value === undefined) throw new Error(`No value for {${slot}} in "${template}"`);
    return value;
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Product names keep their capital after a work type prefix ("Onsite: Outlook …"). */
const PROPER_FIRST_WORDS = new Set(['Outlook', 'Teams', 'OneDrive', 'SentinelOne', 'SharePoint', 'Windows', 'Intune', 'Office']);

function afterPrefix(note: string): string {
  const firstWord = /^[A-Z][a-z]+\b/.exec(note)?.[0];
  return firstWord && !PROPER_FIRST_WORDS.has(firstWord) ? note.charAt(0).toLowerCase() + note.slice(1) : note;
}

/** A ticket's note templates by work type: "Onsite: replaced …" for onsite work, the plain note for remote work. */
type WorkNotes = Readonly<Record<WorkTypeKey, readonly string[]>>;

function workNotes(notes: readonly string[]): WorkNotes {
  const byKind = {} as Record<WorkTypeKey, readonly string[]>;
  for (const kind of Object.keys(WORK_TYPES) as WorkTypeKey[]) {
    const prefix = WORK_NOTE_PREFIXES[kind];
    byKind[kind] = prefix ? notes.map((n) => prefix + afterPrefix(n)) : notes;
  }
  return byKind;
}

const TEMPLATE_WORK_NOTES: ReadonlyMap<TicketTemplate, WorkNotes> = new Map(TICKET_TEMPLATES.map((t) => [t, workNotes(t.notes)]));
const SEED_WORK_NOTES = workNotes(SEED_TICKET_NOTES);

const TEMPLATES_BY_BOARD_AND_PRIORITY: ReadonlyMap<string, readonly TicketTemplate[]> = (() => {
  const map = new Map<string, TicketTemplate[]>();
  for (const board of TICKET_BOARDS) {
    for (const priority of TICKET_PRIORITIES) {
      const fitting = TICKET_TEMPLATES.filter((t) => t.board === board && LEVEL_PRIORITIES[t.level].includes(priority));
      map.set(`${board}/${priority}`, fitting.length ? fitting : TICKET_TEMPLATES.filter((t) => t.board === board));
    }
  }
  return map;
})();

// ---------------------------------------------------------------------------
// Tickets

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
interface TicketFacts {
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

interface GeneratedTickets {
  /** Whether records[0] is SEED_TICKET. */
  seeded: boolean;
  records: Ticket[];
  facts: TicketFacts[];
}

function generateTickets(rng: Rng, ctx: TenantContext, nowCap: number, needClosed: boolean, progress: Progress): GeneratedTickets {
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

/** Makes every required value occur, by changing plans whose current value occurs more than once. */
function ensureCoverage<P extends Record<K, string>, K extends keyof P>(
  rng: Rng,
  plans: P[],
  key: K,
  required: readonly P[K][],
  fixedValues: readonly string[],
): void {
  const counts = new Map<string, number>();
  for (const v of [...fixedValues, ...plans.map((p) => p[key])]) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const value of required) {
    if (counts.has(value)) continue;
    const candidates = plans.filter((p) => (counts.get(p[key]) ?? 0) > 1);
    if (candidates.length === 0) return;
    const plan = rng.pick(candidates);
    counts.set(plan[key], (counts.get(plan[key]) ?? 0) - 1);
    counts.set(value, 1);
    plan[key] = value;
  }
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

// ---------------------------------------------------------------------------
// Time entries

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

function generateTimeEntries(
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

/**
 * Time on a ticket, noted with one of its template's notes in the ticket's own words (its device, user, printer…).
 * `nextNote` walks each ticket's notes from a random start, so a ticket's entries differ until its notes run out.
 */
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

// ---------------------------------------------------------------------------
// CSAT surveys

const SCORE_WEIGHTS: readonly (readonly [number, number])[] = [
  [5, 68],
  [4, 17],
  [3, 8],
  [2, 3],
  [1, 4],
];
const EMPTY_COMMENT_SHARE: Record<Sentiment, number> = { positive: 0.35, neutral: 0.2, negative: 0.1 };

function sentimentFor(score: number): Sentiment {
  return score >= 4 ? 'positive' : score === 3 ? 'neutral' : 'negative';
}

function generateSurveys(
  rng: Rng,
  ctx: TenantContext,
  tickets: GeneratedTickets,
  count: number,
  nowCap: number,
  progress: Progress,
): CsatSurvey[] {
  const withSeed = tickets.seeded && count > 0;
  const closed = tickets.facts.filter((t) => t.closedMs !== null);
  // The seed ticket already has its survey; rate the others first.
  const candidates = withSeed && closed.length > 1 ? closed.filter((t) => t.id !== SEED_CSAT_SURVEY.ticket_id) : closed;
  const generatedCount = count - (withSeed ? 1 : 0);
  const rated = pickTickets(rng, candidates, generatedCount);

  const surveys: CsatSurvey[] = rated.map((ticket) => {
    const survey = ticket ? ticketSurvey(rng, ctx, ticket, nowCap) : untiedSurvey(rng, ctx, nowCap);
    progress.add(1);
    return survey;
  });
  surveys.sort((a, b) => (a.submitted_at < b.submitted_at ? -1 : a.submitted_at > b.submitted_at ? 1 : 0));
  return numberAfterSeed(surveys, 'SRV', 'survey_id', count, withSeed ? SEED_CSAT_SURVEY : undefined, progress);
}

/** Distinct tickets while they last (one review per ticket), then repeats; null when there are none. */
function pickTickets(rng: Rng, tickets: readonly TicketFacts[], count: number): (TicketFacts | null)[] {
  if (tickets.length === 0) return new Array<null>(count).fill(null);
  const pool = tickets.slice();
  const picked: TicketFacts[] = [];
  for (let i = 0; i < count; i++) {
    if (i < pool.length) {
      const j = rng.int(i, pool.length - 1);
      [pool[i], pool[j]] = [pool[j], pool[i]];
      picked.push(pool[i]);
    } else {
      picked.push(rng.pick(pool));
    }
  }
  return picked;
}

function ticketSurvey(rng: Rng, ctx: TenantContext, ticket: TicketFacts, nowCap: number): CsatSurvey {
  const closedMs = ticket.closedMs as number;
  // Most customers answer within hours of the closing email, some days later.
  const delay = rng.chance(0.7) ? rng.minutes(5, 8 * 60) : rng.minutes(8 * 60, 4 * 24 * 60);
  const tech = ticket.owner !== null ? (ctx.staffFirstName.get(ticket.owner) ?? undefined) : undefined;
  return survey(rng, ctx, ticket.id, Math.min(closedMs + delay, nowCap), tech);
}

function untiedSurvey(rng: Rng, ctx: TenantContext, nowCap: number): CsatSurvey {
  return survey(rng, ctx, null, nowCap - rng.minutes(0, TICKET_HISTORY_DAYS * 24 * 60 - 1), undefined);
}

/** Templates naming the technician only when there is one to name ("Thanks the technician" reads wrong). */
function commentTemplates(sentiment: Sentiment, tech: string | undefined): readonly string[] {
  return tech ? CSAT_COMMENTS[sentiment] : CSAT_COMMENTS[sentiment].filter((t) => !t.includes('{tech}'));
}

function survey(rng: Rng, ctx: TenantContext, ticketId: string | null, submittedMs: number, tech: string | undefined): CsatSurvey {
  const score = rng.weighted(SCORE_WEIGHTS);
  const sentiment = sentimentFor(score);
  const comment = rng.chance(EMPTY_COMMENT_SHARE[sentiment])
    ? ''
    : capitalize(new SlotFiller(rng, ctx, tech).fill(rng.pick(commentTemplates(sentiment, tech))));
  return {
    tenant_id: ctx.tenant.id,
    survey_id: '',
    ticket_id: ticketId,
    score,
    sentiment,
    comment,
    submitted_at: toInstant(submittedMs),
  };
}

// ---------------------------------------------------------------------------
// Security alerts

const ALERT_ID_PREFIX: Record<AlertSource, string> = { sentinelone: 'S1', defender: 'DEF' };

interface AlertPlan {
  source: AlertSource;
  status: AlertStatus;
  detectedMs: number;
}

function generateAlerts(rng: Rng, ctx: TenantContext, count: number, nowCap: number, progress: Progress): SecurityAlert[] {
  const seeds = ctx.withSeeds ? [SEED_SENTINELONE_ALERT, SEED_DEFENDER_ALERT].slice(0, count) : [];
  const plans: AlertPlan[] = [];
  for (let i = seeds.length; i < count; i++) {
    const ageMs = alertAge(rng);
    plans.push({
      source: rng.chance(0.5) ? 'sentinelone' : 'defender',
      status: statusForAlertAge(rng, ageMs / DAY),
      detectedMs: floorToMinute(nowCap - ageMs),
    });
  }
  ensureCoverage(rng, plans, 'source', ['sentinelone', 'defender'], seeds.map((s) => s.source));
  ensureCoverage(rng, plans, 'status', ['new', 'investigating', 'resolved'], seeds.map((s) => s.status));
  plans.sort((a, b) => a.detectedMs - b.detectedMs);

  const counts = { sentinelone: 0, defender: 0 };
  for (const s of [...seeds, ...plans]) counts[s.source]++;
  const formatters = {
    sentinelone: idFormatter(ALERT_ID_PREFIX.sentinelone, counts.sentinelone),
    defender: idFormatter(ALERT_ID_PREFIX.defender, counts.defender),
  };
  const used = { sentinelone: 0, defender: 0 };
  const alerts: SecurityAlert[] = seeds.map((seed) => {
    used[seed.source]++;
    return { ...seed };
  });
  progress.add(alerts.length);
  for (const plan of plans) {
    const id = formatters[plan.source](++used[plan.source]);
    alerts.push(buildAlert(rng, ctx, plan, id, nowCap));
    progress.add(1);
  }
  return alerts;
}

/** A third in the last three days, the rest spread over the last ALERT_HISTORY_DAYS days. */
function alertAge(rng: Rng): number {
  const r = rng.float();
  if (r < 0.35) return rng.minutes(0, 3 * 24 * 60);
  if (r < 0.7) return rng.minutes(3 * 24 * 60, 30 * 24 * 60);
  return rng.minutes(30 * 24 * 60, ALERT_HISTORY_DAYS * 24 * 60);
}

/** Older alerts have had time to be resolved. */
function statusForAlertAge(rng: Rng, ageDays: number): AlertStatus {
  const resolvedShare = ageDays < 1 ? 0.15 : ageDays < 3 ? 0.4 : ageDays < 14 ? 0.7 : ageDays < 30 ? 0.85 : 0.95;
  if (rng.chance(resolvedShare)) return 'resolved';
  return rng.chance(0.55) ? 'new' : 'investigating';
}

function buildAlert(rng: Rng, ctx: TenantContext, plan: AlertPlan, id: string, nowCap: number): SecurityAlert {
  const { title, severity } = plan.source === 'sentinelone' ? sentinelOneThreat(rng) : defenderAlert(rng);
  const alert: SecurityAlert = {
    tenant_id: ctx.tenant.id,
    source: plan.source,
    alert_id: id,
    severity,
    title,
    // A few devices raise most alerts, as in real fleets.
    device: ctx.devices[Math.floor(rng.float() ** 2 * ctx.devices.length)],
    status: plan.status,
    detected_at: toInstant(plan.detectedMs),
  };
  if (plan.status === 'resolved') alert.resolved_at = toInstant(Math.min(plan.detectedMs + timeToResolve(rng), nowCap));
  return alert;
}

/** Severity as the live mapping derives it: ransomware or unmitigated malicious → critical. */
function sentinelOneThreat(rng: Rng): { title: string; severity: AlertSeverity } {
  const threat = rng.pick(SENTINELONE_THREATS);
  const title = `${threat.classification}: ${threat.threatName}`;
  if (threat.confidence === 'suspicious') return { title, severity: 'medium' };
  const critical = threat.classification === 'Ransomware' || rng.chance(0.15);
  return { title, severity: critical ? 'critical' : 'high' };
}

function defenderAlert(rng: Rng): { title: string; severity: AlertSeverity } {
  return rng.pick(DEFENDER_ALERTS);
}

function timeToResolve(rng: Rng): number {
  const r = rng.float();
  if (r < 0.5) return rng.minutes(15, 8 * 60);
  if (r < 0.85) return rng.minutes(8 * 60, 3 * 24 * 60);
  return rng.minutes(3 * 24 * 60, 10 * 24 * 60);
}
