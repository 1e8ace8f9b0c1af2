import { Page, RecordQueryDefinition, compareCodePoints, runQuery as linear } from '../../src/common/query/query-engine.js';
import { RecordIndex } from '../../src/common/record-index/record-index.js';
import { TICKET_QUERY } from '../../src/tickets/list-tickets-query.dto.js';
import { SECURITY_ALERT_QUERY } from '../../src/security-alerts/list-security-alerts-query.dto.js';
import { TIME_ENTRY_QUERY } from '../../src/time-entries/list-time-entries-query.dto.js';
import { CSAT_QUERY } from '../../src/csat/list-csat-query.dto.js';
import { SEED_CSAT_SURVEY, SEED_SENTINELONE_ALERT, SEED_TICKET, SEED_TIME_ENTRY } from '../../src/cli/generate/seed-examples.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';
import type { SecurityAlert } from '../../src/security-alerts/security-alert.record.js';
import type { TimeEntry } from '../../src/time-entries/time-entry.record.js';
import type { CsatSurvey } from '../../src/csat/csat-survey.record.js';

const aTicket = (over: Partial<Ticket>): Ticket => ({ ...SEED_TICKET, ...over });
const anEntry = (over: Partial<TimeEntry>): TimeEntry => ({ ...SEED_TIME_ENTRY, ...over });
const aSurvey = (over: Partial<CsatSurvey>): CsatSurvey => ({ ...SEED_CSAT_SURVEY, ...over });
const anAlert = (over: Partial<SecurityAlert>): SecurityAlert => ({ ...SEED_SENTINELONE_ALERT, ...over });
const ids = (page: { data: Ticket[] }) => page.data.map((t) => t.cw_ticket_id);

/** Each case holds for the linear oracle and for the record index the routes answer from, record for record. */
function runQuery<T>(records: readonly T[], query: object, def: RecordQueryDefinition<T>): Page<T> {
  const expected = linear(records, query, def);
  const page = new RecordIndex(records, def).query(query);
  expect(page.meta).toEqual(expected.meta);
  expect(page.data.length).toBe(expected.data.length);
  page.data.forEach((record, k) => expect(record).toBe(expected.data[k]));
  return expected;
}

describe('list queries (linear oracle and record index)', () => {
  const tickets = [
    aTicket({ cw_ticket_id: 'T-3', status: 'New', updated_at_remote: '2026-01-22T00:00:00Z', estimated_hours: 5 }),
    aTicket({ cw_ticket_id: 'T-1', status: 'Waiting', updated_at_remote: '2026-01-21T00:00:00Z', estimated_hours: null }),
    aTicket({ cw_ticket_id: 'T-2', status: 'Closed', updated_at_remote: '2026-01-22T00:00:00Z', estimated_hours: 10 }),
    aTicket({ cw_ticket_id: 'T-4', status: 'new', updated_at_remote: '2026-01-20T12:00:00.500Z', estimated_hours: 2 }),
  ];

  it('sorts by the default sort, breaking ties on the id ascending', () => {
    expect(ids(runQuery(tickets, {}, TICKET_QUERY))).toEqual(['T-2', 'T-3', 'T-1', 'T-4']);
  });

  it('matches exactly and case-sensitively, with comma alternatives', () => {
    expect(ids(runQuery(tickets, { status: 'New' } as object, TICKET_QUERY))).toEqual(['T-3']);
    expect(ids(runQuery(tickets, { status: 'New,Waiting', sort: 'cw_ticket_id' } as object, TICKET_QUERY))).toEqual([
      'T-1',
      'T-3',
    ]);
  });

  it('sorts numbers numerically with nulls last in both directions', () => {
    expect(ids(runQuery(tickets, { sort: 'estimated_hours' }, TICKET_QUERY))).toEqual(['T-4', 'T-3', 'T-2', 'T-1']);
    expect(ids(runQuery(tickets, { sort: '-estimated_hours' }, TICKET_QUERY))).toEqual(['T-2', 'T-3', 'T-4', 'T-1']);
  });

  it('treats an absent optional field like null', () => {
    const { estimated_hours: _dropped, ...withoutHours } = aTicket({ cw_ticket_id: 'T-0' });
    const page = runQuery([...tickets, withoutHours as Ticket], { sort: '-estimated_hours' }, TICKET_QUERY);
    expect(ids(page).slice(-2)).toEqual(['T-0', 'T-1']);
  });

  it('orders instants chronologically, not as text', () => {
    const a = aTicket({ cw_ticket_id: 'A', updated_at_remote: '2026-01-20T09:00:00.5Z' });
    const b = aTicket({ cw_ticket_id: 'B', updated_at_remote: '2026-01-20T09:00:00Z' });
    expect(ids(runQuery([a, b], { sort: 'updated_at_remote' }, TICKET_QUERY))).toEqual(['B', 'A']);
  });

  it('orders strings by code point, not locale', () => {
    const page = runQuery(
      [aTicket({ cw_ticket_id: 'a', company: 'acme' }), aTicket({ cw_ticket_id: 'b', company: 'Zeta' }), aTicket({ cw_ticket_id: 'c', company: 'Émile' })],
      { sort: 'company' },
      TICKET_QUERY,
    );
    expect(page.data.map((t) => t.company)).toEqual(['Zeta', 'acme', 'Émile']);
  });

  it('compares astral characters after the rest of the BMP', () => {
    expect(compareCodePoints('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('b', 'abc')).toBeGreaterThan(0);
  });

  it('applies inclusive instant ranges, a bare day covering the whole UTC day', () => {
    const byCreated = [
      aTicket({ cw_ticket_id: 'x1', created_at_remote: '2026-01-10T00:00:00Z', updated_at_remote: '2026-01-10T00:00:00Z' }),
      aTicket({ cw_ticket_id: 'x2', created_at_remote: '2026-01-11T23:59:59Z', updated_at_remote: '2026-01-12T00:00:00Z' }),
      aTicket({ cw_ticket_id: 'x3', created_at_remote: '2026-01-12T00:00:00Z', updated_at_remote: '2026-01-12T00:00:00Z' }),
    ];
    const q = (query: object) => ids(runQuery(byCreated, { sort: 'cw_ticket_id', ...query }, TICKET_QUERY));
    expect(q({ created_from: '2026-01-10T00:00:00Z', created_to: '2026-01-11T23:59:59Z' })).toEqual(['x1', 'x2']);
    expect(q({ created_to: '2026-01-11' })).toEqual(['x1', 'x2']);
    expect(q({ created_from: '2026-01-11' })).toEqual(['x2', 'x3']);
    expect(q({ created_from: '2026-01-12T01:00:00+01:00' })).toEqual(['x3']);
  });

  it('finds q case-insensitively in summary or description', () => {
    const found = runQuery(
      [
        aTicket({ cw_ticket_id: 's', summary: 'VPN drops', description: '' }),
        aTicket({ cw_ticket_id: 'd', summary: 'Other', description: 'the vpn client' }),
        aTicket({ cw_ticket_id: 'n', summary: 'Printer', description: 'toner' }),
      ],
      { q: 'Vpn', sort: 'cw_ticket_id' } as object,
      TICKET_QUERY,
    );
    expect(ids(found)).toEqual(['d', 's']);
  });

  it('filters booleans and day ranges on time entries', () => {
    const entries = [
      anEntry({ cw_time_entry_id: 'e1', billable: true, date_worked: '2026-01-01' }),
      anEntry({ cw_time_entry_id: 'e2', billable: false, date_worked: '2026-01-02' }),
      anEntry({ cw_time_entry_id: 'e3', billable: true, date_worked: '2026-01-03' }),
    ];
    const page = runQuery(entries, { billable: 'true', date_from: '2026-01-02', date_to: '2026-01-03' } as object, TIME_ENTRY_QUERY);
    expect(page.data.map((e) => e.cw_time_entry_id)).toEqual(['e3']);
  });

  it('filters scores as numbers', () => {
    const surveys = [1, 3, 5].map((score) => aSurvey({ survey_id: `s${score}`, score }));
    const page = runQuery(surveys, { score_min: 2, score_max: 5, sort: 'score' } as object, CSAT_QUERY);
    expect(page.data.map((s) => s.score)).toEqual([3, 5]);
  });

  it('breaks alert ties on source, then alert_id (the id is unique per tenant and source)', () => {
    const alerts = [
      anAlert({ alert_id: 'A-1', source: 'sentinelone' }),
      anAlert({ alert_id: 'A-1', source: 'defender' }),
      anAlert({ alert_id: 'A-0', source: 'sentinelone' }),
      anAlert({ alert_id: 'A-2', source: 'defender' }),
    ];
    const page = runQuery(alerts, {}, SECURITY_ALERT_QUERY);
    expect(page.data.map((a) => `${a.source}/${a.alert_id}`)).toEqual(['defender/A-1', 'defender/A-2', 'sentinelone/A-0', 'sentinelone/A-1']);
  });

  it('pages after filtering and sorting, and counts every match', () => {
    const many = Array.from({ length: 7 }, (_, i) => aTicket({ cw_ticket_id: `P-${i}`, status: i % 2 ? 'New' : 'Closed' }));
    const page = runQuery(many, { status: 'Closed', sort: 'cw_ticket_id', page: 2, page_size: 3 } as object, TICKET_QUERY);
    expect(page.meta).toEqual({ total: 4, page: 2, page_size: 3 });
    expect(ids(page)).toEqual(['P-6']);
    expect(runQuery(many, { page: 9, page_size: 3 }, TICKET_QUERY).data).toEqual([]);
  });

  it('returns the very record objects it was given', () => {
    const page = runQuery(tickets, { sort: 'cw_ticket_id' }, TICKET_QUERY);
    expect(page.data[0]).toBe(tickets[1]);
  });
});

describe('comma alternatives', () => {
  it('split on unescaped commas; \\, is a literal comma and \\\\ a literal backslash', async () => {
    const { splitAlternatives } = await import('../../src/common/query/filters.js');
    expect(splitAlternatives('New,Waiting')).toEqual(['New', 'Waiting']);
    expect(splitAlternatives('Huel\\, Ward and Schoen,Acme')).toEqual(['Huel, Ward and Schoen', 'Acme']);
    expect(splitAlternatives('a\\\\,b')).toEqual(['a\\', 'b']);
    expect(splitAlternatives('a\\b')).toEqual(['a\\b']);
    expect(splitAlternatives('')).toEqual(['']);
    expect(splitAlternatives('a,,b')).toEqual(['a', '', 'b']);
  });
});
