import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  DEFAULT_GENERATE_OPTIONS,
  generateDataset,
  SEED_TICKET_NOTES,
  type GenerateOptions,
  type GeneratedDataset,
} from '../../src/cli/generate/mock-data.generator.js';
import {
  CSAT_COMMENTS,
  DEFENDER_ALERTS,
  SENTINELONE_THREATS,
  TICKET_BOARDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TEMPLATES,
  TIME_ENTRY_NOTES,
  WORK_NOTE_PREFIXES,
  WORK_TYPES,
  type TicketTemplate,
} from '../../src/cli/generate/msp-vocabulary.js';
import { CsatSurvey } from '../../src/csat/csat-survey.record.js';
import {
  SEED_CSAT_SURVEY,
  SEED_DEFENDER_ALERT,
  SEED_SENTINELONE_ALERT,
  SEED_TENANTS,
  SEED_TICKET,
  SEED_TIME_ENTRY,
} from '../../src/cli/generate/seed-examples.js';
import { ALERT_SEVERITIES, SecurityAlert } from '../../src/security-alerts/security-alert.record.js';
import { Tenant } from '../../src/tenants/tenant.record.js';
import { Ticket } from '../../src/tickets/ticket.record.js';
import { TimeEntry } from '../../src/time-entries/time-entry.record.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse(DEFAULT_GENERATE_OPTIONS.now);

const generate = (overrides: Partial<GenerateOptions> = {}): GeneratedDataset =>
  generateDataset({ ...DEFAULT_GENERATE_OPTIONS, ...overrides });

const FIELD_ORDER = {
  ticket: [
    'tenant_id',
    'cw_ticket_id',
    'board',
    'status',
    'priority',
    'summary',
    'description',
    'company',
    'owner',
    'created_at_remote',
    'updated_at_remote',
    'sla_status',
    'estimated_hours',
    'closed_at_remote',
  ],
  timeEntry: ['tenant_id', 'cw_time_entry_id', 'cw_ticket_id', 'member', 'work_type', 'billable', 'minutes', 'notes', 'date_worked'],
  survey: ['tenant_id', 'survey_id', 'ticket_id', 'score', 'sentiment', 'comment', 'submitted_at'],
  alert: ['tenant_id', 'source', 'alert_id', 'severity', 'title', 'device', 'status', 'detected_at', 'resolved_at'],
};

function validationErrors<T extends object>(cls: new () => T, records: readonly object[]): string[] {
  return records.flatMap((record) =>
    validateSync(plainToInstance(cls, record), { whitelist: true, forbidNonWhitelisted: true }).map(
      (e) => `${JSON.stringify(record)} ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    ),
  );
}

function isOrderedSubsequence(keys: string[], order: string[]): boolean {
  const positions = keys.map((k) => order.indexOf(k));
  return positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]));
}

function idNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf('-') + 1));
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A comment template as a regex: `{tech}` matches a name or "the technician". */
function commentPattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{tech\}/g, '[A-Za-z\' -]+');
  return new RegExp(`^${escaped}$`, 'i');
}

const byTenant = <T>(records: Record<string, T[]>): [string, T[]][] => Object.entries(records);

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const slotsOf = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** A template as a regex source: a slot's first use captures its value, later uses must repeat it. */
function captureSlots(template: string, seen: Set<string>): string {
  return template
    .split(/(\{\w+\})/)
    .map((part) => {
      const slot = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!slot) return escapeRegex(part);
      if (seen.has(slot)) return `\\k<${slot}>`;
      seen.add(slot);
      return `(?<${slot}>.+?)`;
    })
    .join('');
}

const TICKET_TEXT_PATTERNS = TICKET_TEMPLATES.map((template) => {
  const seen = new Set<string>();
  return { template, pattern: new RegExp(`^${captureSlots(template.summary, seen)}\\n${captureSlots(template.description, seen)}$`) };
});

/** The templates a generated ticket's summary and description were made from, with the values filled in. */
function ticketTemplates(ticket: Ticket): { template: TicketTemplate; values: Record<string, string> }[] {
  return TICKET_TEXT_PATTERNS.flatMap(({ template, pattern }) => {
    const match = pattern.exec(`${ticket.summary}\n${ticket.description}`);
    return match ? [{ template, values: { ...match.groups } }] : [];
  });
}

/**
 * Whether a time entry's notes are `note` written for this ticket: its slots filled with the ticket's own
 * values (`{first}` being the first name of its `{user}`), after the entry's work type prefix ("Onsite: …").
 */
function isNoteFor(entry: TimeEntry, note: string, values: Record<string, string>): boolean {
  const kind = (Object.keys(WORK_TYPES) as (keyof typeof WORK_TYPES)[]).find((k) => WORK_TYPES[k].name === entry.work_type);
  const prefix = (kind && WORK_NOTE_PREFIXES[kind]) ?? '';
  const firstNames = (values.user ?? '').split(' ').map((_, i, words) => words.slice(0, i + 1).join(' '));
  const body = note
    .split(/(\{\w+\})/)
    .map((part) => {
      const slot = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!slot) return escapeRegex(part);
      if (slot === 'first') return `(?:${firstNames.map(escapeRegex).join('|')})`;
      return values[slot] === undefined ? '(?!)' : escapeRegex(values[slot]);
    })
    .join('');
  // After a prefix the note's first letter may be lower case ("Onsite: replaced …").
  const first = body.charAt(0);
  const start = prefix && /[A-Za-z]/.test(first) ? `[${first.toUpperCase()}${first.toLowerCase()}]${body.slice(1)}` : body;
  return new RegExp(`^${escapeRegex(prefix)}${start}$`).test(entry.notes);
}

const withoutPrefix = (notes: string): string => {
  const prefix = Object.values(WORK_NOTE_PREFIXES).find((p) => notes.startsWith(p));
  return prefix ? notes.slice(prefix.length) : notes;
};

/** Words that say what a text is about (a name, device, product, problem), not how it is phrased. */
const COMMON_WORDS = new Set(
  ('the and for all not off was are its now out new one two any via but has had can our you per day set ran got put run use see yet too did ' +
    'about after again also back before been cannot does every from have into more needs next over please since still than that their ' +
    'them then they this were what when with work works working user users staff team client customer onsite project hours').split(' '),
);
const topicWords = (text: string): Set<string> =>
  new Set((text.toLowerCase().match(/[a-z0-9][a-z0-9-]{2,}/g) ?? []).filter((w) => !COMMON_WORDS.has(w)));

interface Variant {
  name: string;
  now: number;
  data: GeneratedDataset;
}

const variant = (name: string, overrides: Partial<GenerateOptions>): Variant => ({
  name,
  now: Date.parse(overrides.now ?? DEFAULT_GENERATE_OPTIONS.now),
  data: generate(overrides),
});

const SEED_RECORDS = new Set(
  [SEED_TICKET, SEED_TIME_ENTRY, SEED_CSAT_SURVEY, SEED_SENTINELONE_ALERT, SEED_DEFENDER_ALERT].map((r) => JSON.stringify(r)),
);
const isSeed = (record: object): boolean => SEED_RECORDS.has(JSON.stringify(record));

describe('generateDataset', () => {
  const ds = generate();
  const variants: Variant[] = [
    { name: 'default', now: NOW, data: ds },
    variant('5 tenants, seed 7, later now', { seed: 7, tenants: 5, now: '2026-06-30T12:34:56Z' }),
    variant('seed 1234, 300 tickets', { seed: 1234, tenants: 3, tickets: 300, timeEntries: 400, csat: 60, alerts: 90 }),
  ];

  describe('determinism', () => {
    it('gives byte-identical output for the same options', () => {
      expect(JSON.stringify(generate())).toBe(JSON.stringify(generate()));
      const big = { seed: 99, tenants: 4, tickets: 120 };
      expect(JSON.stringify(generate(big))).toBe(JSON.stringify(generate(big)));
    });

    it('gives different data for a different seed', () => {
      const other = generate({ seed: 43 });
      expect(JSON.stringify(other)).not.toBe(JSON.stringify(ds));
      expect(other.tickets.tenant_demo_client2[0]).not.toEqual(ds.tickets.tenant_demo_client2[0]);
    });

    it('keeps a tenant\'s tickets unchanged when only other counts change', () => {
      const moreAlerts = generate({ alerts: 7, csat: 3 });
      expect(moreAlerts.tickets).toEqual(ds.tickets);
    });
  });

  describe('counts and tenants', () => {
    it('generates the default data set: 2 tenants, 50–100 tickets, 100 time entries, 30 surveys, 40 alerts each', () => {
      expect(ds.tenants).toEqual(SEED_TENANTS);
      for (const { id } of ds.tenants) {
        expect(ds.tickets[id].length).toBeGreaterThanOrEqual(50);
        expect(ds.tickets[id].length).toBeLessThanOrEqual(100);
        expect(ds.time_entries[id]).toHaveLength(100);
        expect(ds.csat[id]).toHaveLength(30);
        expect(ds.security_alerts[id]).toHaveLength(40);
      }
    });

    it('gives only tenant_demo_cca for --tenants 1', () => {
      const one = generate({ tenants: 1 });
      expect(one.tenants).toEqual([SEED_TENANTS[0]]);
      expect(Object.keys(one.tickets)).toEqual(['tenant_demo_cca']);
    });

    it('adds active tenants with company names and ids tenant_demo_client3… beyond the seed tenants', () => {
      const five = generate({ tenants: 5 });
      expect(five.tenants.slice(0, 2)).toEqual(SEED_TENANTS);
      expect(five.tenants.slice(2).map((t) => t.id)).toEqual(['tenant_demo_client3', 'tenant_demo_client4', 'tenant_demo_client5']);
      for (const t of five.tenants) expect(t.is_active).toBe(true);
      expect(new Set(five.tenants.map((t) => t.name)).size).toBe(5);
      for (const key of ['tickets', 'time_entries', 'csat', 'security_alerts'] as const) {
        expect(Object.keys(five[key])).toEqual(five.tenants.map((t) => t.id));
      }
    });

    it('uses an explicit ticket count for every tenant', () => {
      const fixed = generate({ tenants: 3, tickets: 12 });
      for (const list of Object.values(fixed.tickets)) expect(list).toHaveLength(12);
    });
  });

  describe('seed examples', () => {
    it('starts tenant_demo_cca with the seed document records', () => {
      const cca = 'tenant_demo_cca';
      expect(ds.tickets[cca][0]).toEqual(SEED_TICKET);
      expect(ds.time_entries[cca][0]).toEqual(SEED_TIME_ENTRY);
      expect(ds.csat[cca][0]).toEqual(SEED_CSAT_SURVEY);
      expect(ds.security_alerts[cca].slice(0, 2)).toEqual([SEED_SENTINELONE_ALERT, SEED_DEFENDER_ALERT]);
      expect(Object.keys(ds.tickets[cca][0])).toEqual(Object.keys(SEED_TICKET));
    });

    it('continues the seed id formats, and other tenants start at 001 with generated records', () => {
      const cca = 'tenant_demo_cca';
      expect(ds.tickets[cca][1].cw_ticket_id).toBe('TKT-002');
      expect(ds.time_entries[cca][1].cw_time_entry_id).toBe('TE-002');
      expect(ds.csat[cca][1].survey_id).toBe('SRV-002');
      const client2 = ds.tickets.tenant_demo_client2[0];
      expect(client2.cw_ticket_id).toBe('TKT-001');
      expect(client2.tenant_id).toBe('tenant_demo_client2');
      expect(client2.summary).not.toBe(SEED_TICKET.summary);
      expect(ds.time_entries.tenant_demo_client2[0].cw_time_entry_id).toBe('TE-001');
      expect(ds.csat.tenant_demo_client2[0].survey_id).toBe('SRV-001');
    });
  });

  describe.each(variants)('every record is valid ($name)', ({ data, now }) => {
    it('passes class-validator for its record class, with the tenant of its file', () => {
      expect(validationErrors(Tenant, data.tenants)).toEqual([]);
      for (const [tenantId, list] of byTenant(data.tickets)) {
        expect(validationErrors(Ticket, list)).toEqual([]);
        expect(list.every((r) => r.tenant_id === tenantId)).toBe(true);
      }
      for (const [tenantId, list] of byTenant(data.time_entries)) {
        expect(validationErrors(TimeEntry, list)).toEqual([]);
        expect(list.every((r) => r.tenant_id === tenantId)).toBe(true);
      }
      for (const [tenantId, list] of byTenant(data.csat)) {
        expect(validationErrors(CsatSurvey, list)).toEqual([]);
        expect(list.every((r) => r.tenant_id === tenantId)).toBe(true);
      }
      for (const [tenantId, list] of byTenant(data.security_alerts)) {
        expect(validationErrors(SecurityAlert, list)).toEqual([]);
        expect(list.every((r) => r.tenant_id === tenantId)).toBe(true);
      }
    });

    it('orders keys like the record classes and omits optional keys instead of writing null', () => {
      const check = (records: object[], order: string[]): void => {
        for (const r of records) {
          expect(isOrderedSubsequence(Object.keys(r), order)).toBe(true);
          for (const [key, value] of Object.entries(r)) {
            if (value === null) expect(['owner', 'cw_ticket_id', 'ticket_id']).toContain(key);
          }
        }
      };
      for (const list of Object.values(data.tickets)) check(list, FIELD_ORDER.ticket);
      for (const list of Object.values(data.time_entries)) check(list, FIELD_ORDER.timeEntry);
      for (const list of Object.values(data.csat)) check(list, FIELD_ORDER.survey);
      for (const list of Object.values(data.security_alerts)) check(list, FIELD_ORDER.alert);
    });

    it('fills every text template slot', () => {
      const texts = [
        ...Object.values(data.tickets).flatMap((l) => l.flatMap((t) => [t.summary, t.description])),
        ...Object.values(data.time_entries).flatMap((l) => l.map((e) => e.notes)),
        ...Object.values(data.csat).flatMap((l) => l.map((s) => s.comment)),
      ];
      expect(texts.filter((t) => /[{}]/.test(t))).toEqual([]);
    });

    it('never dates anything after now (apart from the fixed seed records)', () => {
      const notSeed = <T extends object>(list: T[]): T[] => list.filter((r) => !isSeed(r));
      const instants = [
        ...Object.values(data.tickets).flatMap((l) => notSeed(l).flatMap((t) => [t.created_at_remote, t.updated_at_remote, t.closed_at_remote])),
        ...Object.values(data.csat).flatMap((l) => notSeed(l).map((s) => s.submitted_at)),
        ...Object.values(data.security_alerts).flatMap((l) => notSeed(l).flatMap((a) => [a.detected_at, a.resolved_at])),
      ].filter((v): v is string => typeof v === 'string');
      expect(instants.length).toBeGreaterThan(0);
      expect(instants.filter((v) => Date.parse(v) > now)).toEqual([]);
      const days = Object.values(data.time_entries).flatMap((l) => notSeed(l).map((e) => e.date_worked));
      expect(days.filter((d) => d > day(now))).toEqual([]);
    });
  });

  describe.each(variants)('tickets ($name)', ({ data, now }) => {
    it('mix every status, priority and board in every tenant', () => {
      for (const list of Object.values(data.tickets)) {
        expect(new Set(list.map((t) => t.status))).toEqual(new Set(TICKET_STATUSES));
        expect(new Set(list.map((t) => t.priority))).toEqual(new Set(TICKET_PRIORITIES));
        expect(new Set(list.map((t) => t.board))).toEqual(new Set(TICKET_BOARDS));
      }
    });

    it('are created within ~120 days before now and updated between creation and now', () => {
      for (const list of Object.values(data.tickets)) {
        for (const t of list.filter((x) => !isSeed(x))) {
          const created = Date.parse(t.created_at_remote);
          expect(created).toBeGreaterThanOrEqual(now - 121 * DAY);
          expect(Date.parse(t.updated_at_remote)).toBeGreaterThanOrEqual(created);
          expect(Date.parse(t.updated_at_remote)).toBeLessThanOrEqual(now);
        }
      }
    });

    it('close with closed_at_remote and sla "Resolved"; open tickets have no closed_at_remote key', () => {
      for (const list of Object.values(data.tickets)) {
        const closed = list.filter((t) => t.status === 'Closed');
        for (const t of closed) {
          expect(t.sla_status).toBe('Resolved');
          expect(Date.parse(t.closed_at_remote as string)).toBeGreaterThanOrEqual(Date.parse(t.created_at_remote));
          expect(Date.parse(t.closed_at_remote as string)).toBeLessThanOrEqual(Date.parse(t.updated_at_remote));
        }
        expect(closed.filter((t) => t.closed_at_remote === t.updated_at_remote).length).toBeGreaterThan(closed.length / 2);
        for (const t of list.filter((x) => x.status !== 'Closed')) {
          expect('closed_at_remote' in t).toBe(false);
          expect(t.sla_status).not.toBe('Resolved');
        }
      }
    });

    it('leave only some New tickets unassigned, with owner null', () => {
      const all = Object.values(data.tickets).flat();
      const unassigned = all.filter((t) => t.owner === null);
      expect(unassigned.length).toBeGreaterThan(0);
      expect(unassigned.every((t) => t.status === 'New')).toBe(true);
      expect(all.every((t) => 'owner' in t)).toBe(true);
    });

    it('sometimes budget hours, in half-hour steps', () => {
      const all = Object.values(data.tickets).flat();
      const estimated = all.filter((t) => 'estimated_hours' in t);
      expect(estimated.length).toBeGreaterThan(0);
      expect(estimated.length).toBeLessThan(all.length);
      for (const t of estimated) expect(((t.estimated_hours as number) * 2) % 1).toBe(0);
    });

    it('draw companies, owners and time entry members from small per-tenant lists', () => {
      for (const tenant of data.tenants) {
        const tickets = data.tickets[tenant.id];
        const companies = new Set(tickets.map((t) => t.company));
        expect(companies.size).toBeGreaterThanOrEqual(6);
        expect(companies.size).toBeLessThanOrEqual(10);
        const staff = new Set([
          ...tickets.map((t) => t.owner).filter((o): o is string => o !== null),
          ...data.time_entries[tenant.id].map((e) => e.member),
        ]);
        expect(staff.size).toBeGreaterThanOrEqual(4);
        expect(staff.size).toBeLessThanOrEqual(6);
        expect(new Set([...staff].map((e) => e.split('@')[1])).size).toBe(1);
        if (tenant.id === 'tenant_demo_cca') expect(staff).toContain('tech1@msp.com');
      }
    });

    it('read like real MSP tickets', () => {
      for (const list of Object.values(data.tickets)) {
        expect(new Set(list.map((t) => t.summary)).size).toBeGreaterThan(Math.min(20, list.length / 2));
        expect(list.some((t) => /sample|lorem/i.test(t.summary + t.description))).toBe(false);
      }
    });
  });

  describe.each(variants)('ids ($name)', ({ data }) => {
    const kinds: [string, (d: GeneratedDataset) => Record<string, string[]>][] = [
      ['tickets', (d) => mapValues(d.tickets, (l) => l.map((t) => t.cw_ticket_id))],
      ['time entries', (d) => mapValues(d.time_entries, (l) => l.map((e) => e.cw_time_entry_id))],
      ['surveys', (d) => mapValues(d.csat, (l) => l.map((s) => s.survey_id))],
      ['sentinelone alerts', (d) => mapValues(d.security_alerts, (l) => l.filter((a) => a.source === 'sentinelone').map((a) => a.alert_id))],
      ['defender alerts', (d) => mapValues(d.security_alerts, (l) => l.filter((a) => a.source === 'defender').map((a) => a.alert_id))],
    ];

    it.each(kinds)('%s are unique per tenant, numbered 1..n and sort by code point in numeric order', (_kind, ids) => {
      for (const list of Object.values(ids(data))) {
        expect(new Set(list).size).toBe(list.length);
        expect([...list].map(idNumber).sort((a, b) => a - b)).toEqual(list.map((_, i) => i + 1));
        const byCodePoint = [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(byCodePoint).toEqual([...list].sort((a, b) => idNumber(a) - idNumber(b)));
      }
    });

    it('use the seed formats TKT-, TE-, SRV-, S1- and DEF-', () => {
      for (const [tenantId, list] of byTenant(data.tickets)) {
        expect(list.every((t) => /^TKT-\d{3,}$/.test(t.cw_ticket_id))).toBe(true);
        expect(data.time_entries[tenantId].every((e) => /^TE-\d{3,}$/.test(e.cw_time_entry_id))).toBe(true);
        expect(data.csat[tenantId].every((s) => /^SRV-\d{3,}$/.test(s.survey_id))).toBe(true);
        for (const a of data.security_alerts[tenantId]) {
          expect(a.alert_id).toMatch(a.source === 'sentinelone' ? /^S1-\d{3,}$/ : /^DEF-\d{3,}$/);
        }
      }
    });
  });

  describe('ticket vocabulary', () => {
    it('gives every ticket template 2–5 notes that use only the slots of its summary and description', () => {
      for (const t of TICKET_TEMPLATES) {
        expect({ summary: t.summary, notes: t.notes.length }).toEqual({ summary: t.summary, notes: expect.any(Number) });
        expect(t.notes.length).toBeGreaterThanOrEqual(2);
        expect(t.notes.length).toBeLessThanOrEqual(5);
        const ticketSlots = new Set(slotsOf(t.summary + t.description));
        if (ticketSlots.has('user')) ticketSlots.add('first');
        const foreign = t.notes.flatMap((n) => slotsOf(n).filter((slot) => !ticketSlots.has(slot)).map((slot) => `${n}: {${slot}}`));
        expect(foreign).toEqual([]);
      }
    });

    it('makes every generated ticket recognisable as its template', () => {
      for (const t of Object.values(ds.tickets).flat().filter((x) => !isSeed(x))) {
        expect({ ticket: t.summary, templates: ticketTemplates(t).length }).toEqual({ ticket: t.summary, templates: expect.any(Number) });
        expect(ticketTemplates(t).length).toBeGreaterThan(0);
      }
    });
  });

  describe.each(variants)('time entries ($name)', ({ data }) => {
    it('note work on their own ticket, naming its device, user, printer… (one of its template\'s notes)', () => {
      const mismatched: string[] = [];
      let checked = 0;
      for (const [tenantId, entries] of byTenant(data.time_entries)) {
        const tickets = new Map(data.tickets[tenantId].map((t) => [t.cw_ticket_id, t]));
        for (const e of entries.filter((x) => x.cw_ticket_id !== null && !isSeed(x))) {
          const ticket = tickets.get(e.cw_ticket_id as string) as Ticket;
          const fits = isSeed(ticket)
            ? SEED_TICKET_NOTES.some((note) => isNoteFor(e, note, {}))
            : ticketTemplates(ticket).some(({ template, values }) => template.notes.some((note) => isNoteFor(e, note, values)));
          checked++;
          if (!fits) mismatched.push(`${e.cw_time_entry_id} "${e.notes}" on ${ticket.cw_ticket_id} "${ticket.summary}"`);
        }
      }
      expect(checked).toBeGreaterThan(50);
      expect(mismatched).toEqual([]);
    });

    it('share a topic word with their ticket (its device, user, printer or subject)', () => {
      const unrelated: string[] = [];
      for (const [tenantId, entries] of byTenant(data.time_entries)) {
        const tickets = new Map(data.tickets[tenantId].map((t) => [t.cw_ticket_id, t]));
        for (const e of entries.filter((x) => x.cw_ticket_id !== null)) {
          const ticket = tickets.get(e.cw_ticket_id as string) as Ticket;
          const ticketWords = topicWords(`${ticket.summary} ${ticket.description}`);
          if (![...topicWords(e.notes)].some((w) => ticketWords.has(w))) unrelated.push(`"${e.notes}" on "${ticket.summary}"`);
        }
      }
      expect(unrelated).toEqual([]);
    });

    it('vary the notes of a ticket\'s entries while it has notes left', () => {
      for (const [tenantId, entries] of byTenant(data.time_entries)) {
        const byTicket = new Map<string, string[]>();
        for (const e of entries.filter((x) => x.cw_ticket_id !== null)) {
          byTicket.set(e.cw_ticket_id as string, [...(byTicket.get(e.cw_ticket_id as string) ?? []), withoutPrefix(e.notes)]);
        }
        for (const [ticketId, notes] of byTicket) {
          const ticket = data.tickets[tenantId].find((t) => t.cw_ticket_id === ticketId) as Ticket;
          const available = isSeed(ticket) ? SEED_TICKET_NOTES.length + 1 : ticketTemplates(ticket)[0].template.notes.length;
          expect(new Set(notes.map((n) => n.toLowerCase())).size).toBe(Math.min(notes.length, available));
        }
      }
    });

    it('note time charged to no ticket with the generic internal and administrative notes', () => {
      const unticketed = Object.values(data.time_entries).flat().filter((e) => e.cw_ticket_id === null);
      expect(unticketed.length).toBeGreaterThan(0);
      for (const e of unticketed) {
        expect([WORK_TYPES.internal.name, WORK_TYPES.admin.name]).toContain(e.work_type);
        const kind = e.work_type === WORK_TYPES.internal.name ? 'internal' : 'admin';
        expect(TIME_ENTRY_NOTES[kind]).toContain(e.notes);
      }
    });

    it('point at tickets of the same tenant, a few at no ticket (internal time)', () => {
      let nullCount = 0;
      let total = 0;
      for (const [tenantId, entries] of byTenant(data.time_entries)) {
        const ids = new Set(data.tickets[tenantId].map((t) => t.cw_ticket_id));
        for (const e of entries) {
          total++;
          if (e.cw_ticket_id === null) nullCount++;
          else expect(ids.has(e.cw_ticket_id)).toBe(true);
        }
      }
      expect(nullCount).toBeGreaterThan(0);
      expect(nullCount / total).toBeLessThan(0.12);
    });

    it('are worked on or after the ticket\'s creation day and not after its close day or last update', () => {
      for (const [tenantId, entries] of byTenant(data.time_entries)) {
        const tickets = new Map(data.tickets[tenantId].map((t) => [t.cw_ticket_id, t]));
        for (const e of entries.filter((x) => x.cw_ticket_id !== null)) {
          const t = tickets.get(e.cw_ticket_id as string) as Ticket;
          expect(e.date_worked >= t.created_at_remote.slice(0, 10)).toBe(true);
          expect(e.date_worked <= (t.closed_at_remote ?? t.updated_at_remote).slice(0, 10)).toBe(true);
        }
      }
    });

    it('log 15–480 minutes in quarter hours', () => {
      for (const e of Object.values(data.time_entries).flat()) {
        expect(e.minutes % 15).toBe(0);
        expect(e.minutes).toBeGreaterThanOrEqual(15);
        expect(e.minutes).toBeLessThanOrEqual(480);
      }
    });

    it('are mostly billable, never for administrative or internal work', () => {
      const all = Object.values(data.time_entries).flat();
      expect(all.filter((e) => e.billable).length / all.length).toBeGreaterThan(0.6);
      for (const e of all.filter((x) => x.work_type === 'Administrative' || x.work_type === 'Internal')) {
        expect(e.billable).toBe(false);
      }
      for (const e of all.filter((x) => x.cw_ticket_id === null)) expect(e.billable).toBe(false);
    });

    it('are mostly logged by the ticket owner', () => {
      let own = 0;
      let owned = 0;
      for (const [tenantId, entries] of byTenant(data.time_entries)) {
        const owners = new Map(data.tickets[tenantId].map((t) => [t.cw_ticket_id, t.owner]));
        for (const e of entries.filter((x) => x.cw_ticket_id !== null && owners.get(x.cw_ticket_id))) {
          owned++;
          if (owners.get(e.cw_ticket_id as string) === e.member) own++;
        }
      }
      expect(own / owned).toBeGreaterThan(0.6);
    });
  });

  describe.each(variants)('CSAT surveys ($name)', ({ data }) => {
    it('follow closed tickets of the same tenant, within a few days of closing', () => {
      for (const [tenantId, surveys] of byTenant(data.csat)) {
        const tickets = new Map(data.tickets[tenantId].map((t) => [t.cw_ticket_id, t]));
        for (const s of surveys) {
          const t = tickets.get(s.ticket_id as string);
          expect(t?.status).toBe('Closed');
          const closed = Date.parse(t?.closed_at_remote as string);
          expect(Date.parse(s.submitted_at)).toBeGreaterThanOrEqual(closed);
          expect(Date.parse(s.submitted_at)).toBeLessThanOrEqual(closed + 5 * DAY);
        }
      }
    });

    it('rate each ticket once while there are enough closed tickets', () => {
      for (const surveys of Object.values(data.csat)) {
        expect(new Set(surveys.map((s) => s.ticket_id)).size).toBe(surveys.length);
      }
    });

    it('have a sentiment that agrees with the score', () => {
      for (const s of Object.values(data.csat).flat()) {
        expect(s.sentiment).toBe(s.score >= 4 ? 'positive' : s.score === 3 ? 'neutral' : 'negative');
      }
    });

    it('score like MSP customers: mostly 4–5, some 3, few 1–2', () => {
      const all = Object.values(data.csat).flat();
      const share = (pred: (score: number) => boolean): number => all.filter((s) => pred(s.score)).length / all.length;
      expect(share((s) => s >= 4)).toBeGreaterThan(0.7);
      expect(share((s) => s <= 2)).toBeLessThan(0.15);
      expect(share((s) => s <= 3)).toBeGreaterThan(0);
    });

    it('name the technician only when there is a first name to use (not for role accounts like tech1@msp.com)', () => {
      expect(Object.values(data.csat).flat().filter((s) => /the technician/i.test(s.comment))).toEqual([]);
    });

    it('comment in keeping with the sentiment, sometimes not at all', () => {
      const all = Object.values(data.csat).flat();
      expect(all.some((s) => s.comment === '')).toBe(true);
      for (const s of all.filter((x) => x.comment !== '')) {
        expect(CSAT_COMMENTS[s.sentiment].some((template) => commentPattern(template).test(s.comment))).toBe(true);
      }
    });
  });

  describe.each(variants)('security alerts ($name)', ({ data }) => {
    it('mix SentinelOne and Defender roughly half and half', () => {
      const all = Object.values(data.security_alerts).flat();
      const s1 = all.filter((a) => a.source === 'sentinelone').length / all.length;
      expect(s1).toBeGreaterThan(0.3);
      expect(s1).toBeLessThan(0.7);
      for (const list of Object.values(data.security_alerts)) expect(new Set(list.map((a) => a.source)).size).toBe(2);
    });

    it('use vendor titles and allowed severities, and every status', () => {
      const s1Titles = new Set(SENTINELONE_THREATS.map((t) => `${t.classification}: ${t.threatName}`));
      const defenderTitles = new Set(DEFENDER_ALERTS.map((t) => t.title));
      for (const list of Object.values(data.security_alerts)) {
        expect(new Set(list.map((a) => a.status))).toEqual(new Set(['new', 'investigating', 'resolved']));
        for (const a of list) {
          expect(ALERT_SEVERITIES).toContain(a.severity);
          expect((a.source === 'sentinelone' ? s1Titles : defenderTitles).has(a.title)).toBe(true);
        }
      }
    });

    it('have resolved_at only when resolved, between detection and now', () => {
      for (const a of Object.values(data.security_alerts).flat()) {
        if (a.status === 'resolved') {
          expect(Date.parse(a.resolved_at as string)).toBeGreaterThanOrEqual(Date.parse(a.detected_at));
        } else {
          expect('resolved_at' in a).toBe(false);
        }
      }
    });

    it('resolved alerts are older on average than new ones', () => {
      for (const list of Object.values(data.security_alerts)) {
        const meanDetected = (status: string): number => {
          const picked = list.filter((a) => a.status === status);
          return picked.reduce((sum, a) => sum + Date.parse(a.detected_at), 0) / picked.length;
        };
        expect(meanDetected('resolved')).toBeLessThan(meanDetected('new'));
      }
    });

    it('come from a small per-tenant device list', () => {
      for (const list of Object.values(data.security_alerts)) {
        const devices = new Set(list.map((a) => a.device));
        expect(devices.size).toBeLessThanOrEqual(40);
        for (const d of devices) expect(d).toMatch(/^(LAPTOP|DESKTOP|WS|SRV|[A-Z]+)-[A-Z]*\d+$/);
      }
    });
  });

  describe('counts that make a rule impossible', () => {
    it('closes the only ticket when surveys are requested, and every survey follows it', () => {
      const data = generate({ tickets: 1, csat: 5 });
      const [ticket] = data.tickets.tenant_demo_client2;
      expect(ticket.status).toBe('Closed');
      expect(data.csat.tenant_demo_client2.map((s) => s.ticket_id)).toEqual(Array(5).fill(ticket.cw_ticket_id));
      expect(data.tickets.tenant_demo_cca).toEqual([SEED_TICKET]);
      expect(data.csat.tenant_demo_cca.every((s) => s.ticket_id === SEED_TICKET.cw_ticket_id)).toBe(true);
      expect(validationErrors(CsatSurvey, Object.values(data.csat).flat())).toEqual([]);
    });

    it('charges time to no ticket and ties surveys to none when there are no tickets', () => {
      const data = generate({ tickets: 0, timeEntries: 5, csat: 3 });
      for (const tenant of data.tenants) {
        expect(data.tickets[tenant.id]).toEqual([]);
        expect(data.time_entries[tenant.id]).toHaveLength(5);
        expect(data.time_entries[tenant.id].every((e) => e.cw_ticket_id === null && !e.billable)).toBe(true);
        expect(data.csat[tenant.id].every((s) => s.ticket_id === null)).toBe(true);
      }
      expect(data.time_entries.tenant_demo_cca[0]).not.toEqual(SEED_TIME_ENTRY);
      expect(data.time_entries.tenant_demo_cca[0].cw_time_entry_id).toBe('TE-001');
      expect(validationErrors(TimeEntry, Object.values(data.time_entries).flat())).toEqual([]);
      expect(validationErrors(CsatSurvey, Object.values(data.csat).flat())).toEqual([]);
    });

    it('handles zero and tiny counts', () => {
      const none = generate({ tickets: 0, timeEntries: 0, csat: 0, alerts: 0 });
      for (const tenant of none.tenants) {
        expect(none.tickets[tenant.id]).toEqual([]);
        expect(none.time_entries[tenant.id]).toEqual([]);
        expect(none.csat[tenant.id]).toEqual([]);
        expect(none.security_alerts[tenant.id]).toEqual([]);
      }
      const one = generate({ alerts: 1, tickets: 2, csat: 0 });
      expect(one.security_alerts.tenant_demo_cca).toEqual([SEED_SENTINELONE_ALERT]);
      expect(one.security_alerts.tenant_demo_client2).toHaveLength(1);
      expect(validationErrors(Ticket, Object.values(one.tickets).flat())).toEqual([]);
    });

    it('rejects invalid options', () => {
      expect(() => generate({ tenants: 0 })).toThrow(RangeError);
      expect(() => generate({ tickets: -1 })).toThrow(RangeError);
      expect(() => generate({ csat: 1.5 })).toThrow(RangeError);
      expect(() => generate({ now: '2026-01-31' })).toThrow(RangeError);
    });
  });

  describe('scale', () => {
    it('generates 100 000 tickets for one tenant, reporting progress now and then', () => {
      const calls: [number, number][] = [];
      const big = generate({ tenants: 1, tickets: 100_000, onProgress: (done, total) => calls.push([done, total]) });
      const tickets = big.tickets.tenant_demo_cca;
      expect(tickets).toHaveLength(100_000);
      expect(new Set(tickets.map((t) => t.cw_ticket_id)).size).toBe(100_000);
      expect(tickets[0]).toEqual(SEED_TICKET);
      expect(tickets[1].cw_ticket_id).toBe('TKT-000002');
      expect(calls.length).toBeGreaterThan(10);
      expect(calls.length).toBeLessThan(1000);
      const total = 100_000 + 100 + 30 + 40;
      expect(calls[calls.length - 1]).toEqual([total, total]);
      expect(calls.every(([done], i) => i === 0 || done >= calls[i - 1][0])).toBe(true);
    });
  });
});

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}
