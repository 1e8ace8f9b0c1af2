import fc from 'fast-check';
import { instantMs } from '../../src/common/query/instants.js';
import { indexOf } from '../../src/common/record-index/index-cache.js';
import type { CsatSurvey } from '../../src/csat/csat-survey.record.js';
import { summarize } from '../../src/insights/kpis.js';
import { series } from '../../src/insights/series.js';
import { TenantRecords, newestInstant } from '../../src/insights/tenant-indexes.js';
import { INTERVALS, Window } from '../../src/insights/window.js';
import { SEED_CSAT_SURVEY, SEED_SENTINELONE_ALERT, SEED_TICKET, SEED_TIME_ENTRY } from '../../src/cli/generate/seed-examples.js';
import type { SecurityAlert } from '../../src/security-alerts/security-alert.record.js';
import { TICKET_QUERY } from '../../src/tickets/list-tickets-query.dto.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';
import type { TimeEntry } from '../../src/time-entries/time-entry.record.js';
import * as oracle from '../support/kpis-oracle.js';

/*
 * The KPIs over record indexes (range lookups on the sorted instants, posting lists, the id map)
 * against the linear pass they replaced (test/support/kpis-oracle.ts): for random records — duplicate
 * ids, nulls, tickets closed by status only, fractional minutes, offsets and fractions in instants —
 * and random windows, the summary, every series interval and the default window's end are identical.
 */

const D = 86_400_000;
const BASE = Date.parse('2026-03-01T00:00:00Z');

const instant = fc.tuple(fc.integer({ min: -60 * 24 * 40, max: 60 * 24 * 40 }), fc.constantFrom('ms', 'plain', 'offset', 'fraction')).map(([minutes, form]) => {
  const ms = BASE + minutes * 60_000;
  const iso = new Date(ms).toISOString();
  if (form === 'plain') return `${iso.slice(0, 19)}Z`;
  if (form === 'fraction') return `${iso.slice(0, 19)}.5Z`;
  if (form === 'offset') return `${new Date(ms + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00`;
  return iso;
});
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { freq: 3 });
const day = fc.integer({ min: -40, max: 40 }).map((d) => new Date(BASE + d * D).toISOString().slice(0, 10));
const ticketId = fc.constantFrom('T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6', 'T-7', 'T-8', 'T-10', 'T-11');

const ticket: fc.Arbitrary<Ticket> = fc
  .record({
    cw_ticket_id: ticketId,
    status: fc.constantFrom('New', 'Closed', 'In Progress', 'Waiting'),
    priority: fc.constantFrom('Low', 'High'),
    board: fc.constantFrom('Service', 'Project'),
    company: fc.constantFrom('Acme', 'Globex', 'Initech'),
    created_at_remote: instant,
    updated_at_remote: instant,
    closed_at_remote: fc.oneof(fc.constant(null), fc.constant(''), instant),
  })
  .map((t) => ({ ...SEED_TICKET, ...t }) as Ticket);

const entry: fc.Arbitrary<TimeEntry> = fc
  .record({
    cw_time_entry_id: fc.uuid(),
    cw_ticket_id: maybe(ticketId),
    member: fc.constantFrom('a@msp.com', 'b@msp.com', 'c@msp.com'),
    work_type: fc.constantFrom('Remote', 'Onsite'),
    billable: fc.boolean(),
    minutes: fc.constantFrom(0, 15, 30, 45.5, 19.8, 0.1, 0.2, 60, 7.3),
    date_worked: day,
  })
  .map((e) => ({ ...SEED_TIME_ENTRY, ...e }) as TimeEntry);

const survey: fc.Arbitrary<CsatSurvey> = fc
  .record({
    survey_id: fc.uuid(),
    ticket_id: maybe(fc.oneof(ticketId, fc.constant('T-unknown'))),
    score: fc.integer({ min: 1, max: 5 }),
    sentiment: fc.constantFrom('positive', 'neutral', 'negative' as const),
    submitted_at: instant,
  })
  .map((s) => ({ ...SEED_CSAT_SURVEY, ...s }) as CsatSurvey);

const alert: fc.Arbitrary<SecurityAlert> = fc
  .record({
    alert_id: fc.constantFrom('A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6'),
    source: fc.constantFrom('sentinelone', 'defender' as const),
    severity: fc.constantFrom('low', 'high', 'critical' as const),
    device: fc.constantFrom('LAPTOP-1', 'LAPTOP-2', 'SRV-1'),
    status: fc.constantFrom('new', 'in_progress', 'resolved' as const),
    detected_at: instant,
    resolved_at: maybe(instant),
  })
  .map((a) => ({ ...SEED_SENTINELONE_ALERT, ...a }) as SecurityAlert);

const records: fc.Arbitrary<TenantRecords> = fc.record({
  tickets: fc.array(ticket, { maxLength: 40 }),
  timeEntries: fc.array(entry, { maxLength: 40 }),
  surveys: fc.array(survey, { maxLength: 25 }),
  alerts: fc.array(alert, { maxLength: 25 }),
});

const window: fc.Arbitrary<Window> = fc
  .tuple(fc.integer({ min: -45 * 24, max: 45 * 24 }), fc.integer({ min: 1, max: 60 * 24 }), fc.constantFrom(1, 0, 1_800_000, 59_999))
  .map(([hours, lengthHours, extraMs]) => {
    const from = BASE + hours * 3_600_000 + extraMs;
    return { from, to: from + lengthHours * 3_600_000 - (extraMs > 1 ? 1 : 0) };
  });

describe('insights over record indexes', () => {
  it('gives the same summary, series and default window end as the linear pass', () => {
    fc.assert(
      fc.property(records, window, fc.constantFrom(...INTERVALS), (r, w, interval) => {
        expect(summarize(r, w)).toEqual(oracle.summarize(r, w));
        expect(series(r, w, interval)).toEqual(oracle.series(r, w, interval));
        expect(newestInstant(r)).toEqual(oracle.newestInstant(r));
      }),
      { numRuns: 500 },
    );
  });

  it('reads instants exactly as Date.parse does, whatever the text', () => {
    const near = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 999 }), fc.boolean())
      .map(([y, mo, d, h, mi, s, ms, frac]) => {
        const p = (n: number, w: number) => String(n).padStart(w, '0');
        return `${p(y, 4)}-${p(mo, 2)}-${p(d, 2)}T${p(h, 2)}:${p(mi, 2)}:${p(s, 2)}${frac ? `.${p(ms, 3)}` : ''}Z`;
      });
    const mangled = fc.tuple(near, fc.nat(23), fc.string({ minLength: 1, maxLength: 1 })).map(([text, at, c]) => text.slice(0, at) + c + text.slice(at + 1));
    fc.assert(
      fc.property(fc.oneof(near, mangled, fc.string()), (text) => {
        expect(instantMs(text)).toEqual(Date.parse(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('finds records in a window by range lookup in time order, and the last of duplicate ids', () => {
    const tickets = [
      { ...SEED_TICKET, cw_ticket_id: 'T-1', company: 'First', created_at_remote: '2026-03-02T00:00:00Z' },
      { ...SEED_TICKET, cw_ticket_id: 'T-2', created_at_remote: '2026-03-01T00:00:00Z' },
      { ...SEED_TICKET, cw_ticket_id: 'T-1', company: 'Last', created_at_remote: '2026-03-03T00:00:00Z' },
    ] as Ticket[];
    const index = indexOf(tickets, TICKET_QUERY);
    expect([...index.between('created_at_remote', Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-03-03T00:00:00Z'))]).toEqual([1, 0]);
    expect(index.byId('T-1')?.company).toBe('First');
    expect(index.records[index.columns.lastPositionOf('T-1')].company).toBe('Last');
    expect(index.columns.lastPositionOf('T-9')).toBe(-1);
    expect(index.columns.newest('created_at_remote')).toBe(Date.parse('2026-03-03T00:00:00Z'));
  });
});
