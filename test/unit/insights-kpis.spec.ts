import { SEED_CSAT_SURVEY, SEED_SENTINELONE_ALERT, SEED_TICKET, SEED_TIME_ENTRY } from '../../src/cli/generate/seed-examples.js';
import { round } from '../../src/insights/formulas.js';
import { summarize } from '../../src/insights/kpis.js';
import { series } from '../../src/insights/series.js';
import { TenantRecords, newestInstant } from '../../src/insights/tenant-indexes.js';
import { Window, buckets, parseWindowInstant, resolveWindow } from '../../src/insights/window.js';
import type { CsatSurvey } from '../../src/csat/csat-survey.record.js';
import type { SecurityAlert } from '../../src/security-alerts/security-alert.record.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';
import type { TimeEntry } from '../../src/time-entries/time-entry.record.js';
import { ValidationProblemError } from '../../src/common/problem/problem.error.js';
import { instantMs, ticketTimes } from '../../src/insights/record-times.js';

const H = 3_600_000;
const D = 24 * H;
const ms = (instant: string) => Date.parse(instant);
const at = (epoch: number) => new Date(epoch).toISOString();

// The window every test uses unless it says otherwise: one week of March 2026.
const FROM = ms('2026-03-01T00:00:00Z');
const TO = ms('2026-03-08T00:00:00Z');
const W: Window = { from: FROM, to: TO };

let seq = 0;
const id = (prefix: string) => `${prefix}-${++seq}`;

/** An open ticket created at `created`; pass `closed_at_remote` / `status` to close it. */
const aTicket = (created: number, over: Partial<Ticket> = {}): Ticket => ({
  ...SEED_TICKET,
  cw_ticket_id: id('T'),
  status: 'New',
  created_at_remote: at(created),
  updated_at_remote: at(created),
  closed_at_remote: null,
  ...over,
});
const closedAt = (created: number, closed: number, over: Partial<Ticket> = {}): Ticket =>
  aTicket(created, { status: 'Closed', closed_at_remote: at(closed), updated_at_remote: at(closed), ...over });
const anEntry = (over: Partial<TimeEntry> = {}): TimeEntry => ({ ...SEED_TIME_ENTRY, cw_time_entry_id: id('TE'), ...over });
const aSurvey = (submitted: number, over: Partial<CsatSurvey> = {}): CsatSurvey => ({
  ...SEED_CSAT_SURVEY,
  survey_id: id('S'),
  ticket_id: null,
  submitted_at: at(submitted),
  ...over,
});
const anAlert = (detected: number, over: Partial<SecurityAlert> = {}): SecurityAlert => ({
  ...SEED_SENTINELONE_ALERT,
  alert_id: id('A'),
  status: 'new',
  detected_at: at(detected),
  resolved_at: null,
  ...over,
});
const records = (over: Partial<TenantRecords>): TenantRecords => ({ tickets: [], timeEntries: [], surveys: [], alerts: [], ...over });

describe('insights KPIs', () => {
  describe('rounding', () => {
    it('rounds half away from zero on the decimal value', () => {
      expect(round(1.005, 2)).toBe(1.01);
      expect(round(-1.005, 2)).toBe(-1.01);
      expect(round(0.12345, 4)).toBe(0.1235);
      expect(round(2 / 3, 4)).toBe(0.6667);
      expect(round(-0.001, 2)).toBe(0);
      expect(round(null, 2)).toBeNull();
      expect(round(5e-7, 4)).toBe(0); // exponent-form text
      expect(round(0.00005, 4)).toBe(0.0001);
    });
  });

  describe('rounding of the means', () => {
    // Six durations of 15, 15, 15, 15, 15 and 24 minutes: a mean of exactly 16.5 min = 0.275 h → 0.28
    // (half away from zero). Dividing by the hour first and then by the count gives 0.27499999999999997 → 0.27.
    const minutes = [15, 15, 15, 15, 15, 24];
    const M = 60_000;

    it('rounds the mean resolution hours once, on the exact mean', () => {
      const r = records({ tickets: minutes.map((m) => closedAt(FROM, FROM + m * M)) });
      expect(summarize(r, W).tickets.avg_resolution_hours).toBe(0.28);
      expect(summarize(r, W).tickets.median_resolution_hours).toBe(0.25);
    });

    it('rounds the mean time to resolve once, on the exact mean', () => {
      const r = records({ alerts: minutes.map((m) => anAlert(FROM, { status: 'resolved', resolved_at: at(FROM + m * M) })) });
      expect(summarize(r, W).security.mean_time_to_resolve_hours).toBe(0.28);
    });

    it('rounds the hours per closed ticket once, on the exact mean', () => {
      const r = records({
        tickets: minutes.map((_, i) => closedAt(FROM, FROM + H, { cw_ticket_id: `R-${i}` })),
        timeEntries: minutes.map((m, i) => anEntry({ cw_ticket_id: `R-${i}`, minutes: m, date_worked: '2026-03-01' })),
      });
      expect(summarize(r, W).time.hours_per_closed_ticket).toBe(0.28);
    });
  });

  describe('tickets', () => {
    it('counts created tickets in [from, to): at from yes, at to no, just before from no', () => {
      const r = records({ tickets: [aTicket(FROM), aTicket(TO - 1), aTicket(TO), aTicket(FROM - 1)] });
      expect(summarize(r, W).tickets.created).toBe(2);
    });

    it('closes on closed_at_remote, else on updated_at_remote for a Closed status, with the close time in the window', () => {
      const r = records({
        tickets: [
          closedAt(FROM - 5 * D, FROM), // in: close time at from
          closedAt(FROM - 5 * D, TO), // out: close time at to
          closedAt(FROM - 5 * D, FROM - 1), // out: just before from
          // Closed without closed_at_remote: updated_at_remote is its close time.
          aTicket(FROM - 5 * D, { status: 'Closed', updated_at_remote: at(TO - 1) }), // in
          aTicket(FROM - 5 * D, { status: 'Closed', updated_at_remote: at(TO) }), // out
          // closed_at_remote set while the status says otherwise: closed all the same.
          aTicket(FROM - 5 * D, { status: 'In Progress', closed_at_remote: at(FROM + H), updated_at_remote: at(FROM + 2 * H) }), // in
        ],
      });
      const t = summarize(r, W).tickets;
      expect(t.closed).toBe(3);
      // only the three in the window: 5 d, 12 d − 1 ms and 5 d + 1 h
      const hours = [5 * 24, (12 * D - 1) / H, 5 * 24 + 1];
      expect(t.avg_resolution_hours).toBe(round(hours.reduce((a, b) => a + b) / 3, 2));
      expect(t.median_resolution_hours).toBe(121);
    });

    it('counts as open as of `to` what was created before `to` and not closed before `to`', () => {
      const r = records({
        tickets: [
          aTicket(TO - 1, { status: 'New' }), // open
          aTicket(TO, { status: 'New' }), // not yet created
          closedAt(FROM, TO - 1), // closed before to
          closedAt(FROM, TO, { status: 'Waiting' }), // closes exactly at to: still open as of to
          aTicket(FROM - 100 * D, { status: 'Closed', updated_at_remote: at(TO + D) }), // closed after to: open as of to
          aTicket(FROM - 200 * D, { status: 'In Progress', board: 'Project', priority: 'Low' }), // open, old
        ],
      });
      const t = summarize(r, W).tickets;
      expect(t.open).toBe(4);
      expect(t.open_by_status).toEqual({ Closed: 1, 'In Progress': 1, New: 1, Waiting: 1 });
      expect(Object.keys(t.open_by_status)).toEqual(['Closed', 'In Progress', 'New', 'Waiting']);
      expect(t.open_by_priority).toEqual({ High: 3, Low: 1 });
      expect(t.open_by_board).toEqual({ Project: 1, Service: 3 });
    });

    it('buckets open tickets by age at every boundary (7, 30 and 90 days exactly go up a bucket)', () => {
      const ages = [0, 7 * D - 1, 7 * D, 30 * D - 1, 30 * D, 90 * D - 1, 90 * D, 400 * D];
      const r = records({ tickets: ages.map((age) => aTicket(TO - age - (age === 0 ? 1 : 0))) });
      expect(summarize(r, W).tickets.aging).toEqual({ under_7d: 2, '7_to_30d': 2, '30_to_90d': 2, over_90d: 2 });
    });

    it('computes kill rate, same-day close rate and resolution hours over the closed tickets', () => {
      const day2 = ms('2026-03-02T00:00:00Z');
      const r = records({
        tickets: [
          closedAt(day2, day2 + D - 1), // same UTC day (to its last ms), 24h − 1ms
          closedAt(day2 + D - 1, day2 + D), // next UTC day after 1 ms
          closedAt(day2 - 2 * D, day2 + H), // created before the window, 49 h
          closedAt(day2, day2 + 3 * H), // same day, 3 h
          aTicket(day2), // created, open
          aTicket(day2 + H), // created, open
          aTicket(TO), // created at to: not counted
        ],
      });
      const t = summarize(r, W).tickets;
      expect(t.created).toBe(5); // all but the one created before the window and the one at to
      expect(t.closed).toBe(4);
      expect(t.kill_rate).toBe(0.8);
      expect(t.same_day_close_rate).toBe(0.5);
      const hours = [(D - 1) / H, 1 / H, 49, 3];
      expect(t.avg_resolution_hours).toBe(round(hours.reduce((a, b) => a + b) / 4, 2));
      // even count: the mean of the middle two (3 h and 24 h − 1 ms)
      expect(t.median_resolution_hours).toBe(round((3 + (D - 1) / H) / 2, 2));
    });

    it('takes the same-day close rate over the closes in [from, to) only, each with its own creation day', () => {
      const r = records({
        tickets: [
          closedAt(FROM, FROM), // in, same day
          closedAt(TO - 1 - H, TO - 1), // in, same day
          closedAt(FROM - 2 * D, FROM + H), // in, not same day
          closedAt(TO - H, TO), // same day but closes at to: out
          closedAt(FROM - 1 - H, FROM - 1), // same day but closes 1 ms before from: out
        ],
      });
      const t = summarize(r, W).tickets;
      expect(t.closed).toBe(3);
      expect(t.same_day_close_rate).toBe(0.6667);
      // resolution times of the three in the window only: 0, 1 h and 2 d + 1 h
      expect(t.avg_resolution_hours).toBe(round((0 + 1 + 49) / 3, 2));
      expect(t.median_resolution_hours).toBe(1);
    });

    it('takes the middle value as the median of an odd count', () => {
      const r = records({ tickets: [closedAt(FROM, FROM + H), closedAt(FROM, FROM + 5 * H), closedAt(FROM, FROM + 50 * H)] });
      expect(summarize(r, W).tickets.median_resolution_hours).toBe(5);
      expect(summarize(r, W).tickets.avg_resolution_hours).toBe(round(56 / 3, 2));
    });

    it('gives null rates and means, not zeros, when nothing was created or closed', () => {
      const t = summarize(records({}), W).tickets;
      expect(t).toEqual({
        open: 0,
        open_by_status: {},
        open_by_priority: {},
        open_by_board: {},
        aging: { under_7d: 0, '7_to_30d': 0, '30_to_90d': 0, over_90d: 0 },
        created: 0,
        closed: 0,
        kill_rate: null,
        same_day_close_rate: null,
        avg_resolution_hours: null,
        median_resolution_hours: null,
      });
      // closed without created: the kill rate has no denominator
      const onlyClosed = summarize(records({ tickets: [closedAt(FROM - D, FROM)] }), W).tickets;
      expect(onlyClosed.kill_rate).toBeNull();
      expect(onlyClosed.same_day_close_rate).toBe(0);
    });
  });

  describe('time', () => {
    it('takes entries whose day worked starts in the window: the from day yes, the to day no', () => {
      const r = records({
        timeEntries: [
          anEntry({ date_worked: '2026-03-01', minutes: 60, member: 'a@msp.com', work_type: 'Onsite' }), // midnight = from
          anEntry({ date_worked: '2026-03-07', minutes: 30, member: 'b@msp.com', billable: false }), // last day
          anEntry({ date_worked: '2026-03-08', minutes: 600, member: 'c@msp.com', work_type: 'Admin' }), // midnight = to
          anEntry({ date_worked: '2026-02-28', minutes: 600, member: 'd@msp.com', work_type: 'Admin' }), // before
        ],
      });
      const t = summarize(r, W).time;
      expect(t.total_hours).toBe(1.5);
      expect(t.billable_hours).toBe(1);
      expect(t.by_member.map((m) => m.member)).toEqual(['a@msp.com', 'b@msp.com']);
      expect(t.by_work_type).toEqual({ Onsite: 1, 'Remote Support': 0.5 });
      expect(t.billable_ratio).toBe(round(60 / 90, 4));
      // a window starting one ms after midnight leaves that day out; one ending after midnight takes it in
      expect(summarize(r, { from: FROM + 1, to: TO }).time.total_hours).toBe(0.5);
      expect(summarize(r, { from: FROM + 1, to: TO }).time.billable_ratio).toBe(0);
      expect(summarize(r, { from: FROM, to: TO + 1 }).time.total_hours).toBe(11.5);
      expect(summarize(r, { from: FROM, to: TO + 1 }).time.billable_ratio).toBe(round(660 / 690, 4));
      // 1 ms before from is still after the previous day's midnight: that day stays out
      expect(summarize(r, { from: FROM - 1, to: TO }).time.by_member.map((m) => m.member)).toEqual(['a@msp.com', 'b@msp.com']);
      expect(summarize(r, { from: FROM - D, to: TO }).time.by_member.map((m) => m.member)).toEqual(['d@msp.com', 'a@msp.com', 'b@msp.com']);
    });

    it('splits hours by billable, member (most first, ties by member) and work type', () => {
      const day = '2026-03-03';
      const r = records({
        timeEntries: [
          anEntry({ date_worked: day, member: 'b@msp.com', minutes: 20, billable: true, work_type: 'Remote Support' }),
          anEntry({ date_worked: day, member: 'a@msp.com', minutes: 10, billable: false, work_type: 'Onsite' }),
          anEntry({ date_worked: day, member: 'a@msp.com', minutes: 10, billable: true, work_type: 'Remote Support' }),
          anEntry({ date_worked: day, member: 'c@msp.com', minutes: 5, billable: false, work_type: 'Admin' }),
        ],
      });
      const t = summarize(r, W).time;
      expect(t.total_hours).toBe(0.75);
      expect(t.billable_hours).toBe(0.5);
      expect(t.billable_ratio).toBe(round(30 / 45, 4));
      expect(t.by_member).toEqual([
        { member: 'a@msp.com', hours: 0.33, billable_hours: 0.17 },
        { member: 'b@msp.com', hours: 0.33, billable_hours: 0.33 },
        { member: 'c@msp.com', hours: 0.08, billable_hours: 0 },
      ]);
      expect(t.by_work_type).toEqual({ Admin: 0.08, Onsite: 0.17, 'Remote Support': 0.5 });
      expect(Object.keys(t.by_work_type)).toEqual(['Admin', 'Onsite', 'Remote Support']);
    });

    it('measures effort on the closed tickets from all their entries, over those with at least one', () => {
      const A = closedAt(FROM - 10 * D, FROM, { cw_ticket_id: 'A' }); // closed at from: counted
      const B = closedAt(FROM, TO - 1, { cw_ticket_id: 'B' }); // closed at to − 1 ms: counted
      const C = closedAt(FROM, FROM + H, { cw_ticket_id: 'C' }); // closed, no entries: left out
      const E = closedAt(FROM, TO, { cw_ticket_id: 'E' }); // closed at to: not closed in the window
      const P = closedAt(FROM - 10 * D, FROM - 1, { cw_ticket_id: 'P' }); // closed 1 ms before from: not in the window
      const O = aTicket(FROM, { cw_ticket_id: 'O' }); // open
      const r = records({
        tickets: [A, B, C, E, P, O],
        timeEntries: [
          anEntry({ cw_ticket_id: 'A', member: 'x@msp.com', minutes: 60, date_worked: '2026-01-10' }), // long before the window
          anEntry({ cw_ticket_id: 'A', member: 'y@msp.com', minutes: 30, date_worked: '2026-03-01' }),
          anEntry({ cw_ticket_id: 'B', member: 'x@msp.com', minutes: 120, date_worked: '2026-03-02' }),
          anEntry({ cw_ticket_id: 'P', member: 'x@msp.com', minutes: 600, date_worked: '2026-02-20' }),
          anEntry({ cw_ticket_id: 'E', member: 'x@msp.com', minutes: 600, date_worked: '2026-03-02' }),
          anEntry({ cw_ticket_id: 'O', member: 'x@msp.com', minutes: 600, date_worked: '2026-03-02' }),
          anEntry({ cw_ticket_id: null, member: 'x@msp.com', minutes: 600, date_worked: '2026-03-02' }),
          anEntry({ cw_ticket_id: 'GONE', member: 'x@msp.com', minutes: 600, date_worked: '2026-03-02' }),
        ],
      });
      const t = summarize(r, W).time;
      expect(t.hours_per_closed_ticket).toBe(1.75); // (1.5 h + 2 h) / 2 tickets
      expect(t.first_touch_resolution_rate).toBe(0.5); // B only
      expect(t.single_tech_rate).toBe(0.5); // B only (A had x and y)
      expect(t.total_hours).toBe(round((30 + 120 + 600 * 4) / 60, 2));
    });

    it('counts a single member across several entries as single-tech but not first-touch', () => {
      const r = records({
        tickets: [closedAt(FROM, FROM + H, { cw_ticket_id: 'K' })],
        timeEntries: [anEntry({ cw_ticket_id: 'K', member: 'x@msp.com' }), anEntry({ cw_ticket_id: 'K', member: 'x@msp.com' })],
      });
      const t = summarize(r, W).time;
      expect(t.first_touch_resolution_rate).toBe(0);
      expect(t.single_tech_rate).toBe(1);
    });

    it('gives null ratios, not zeros, with no hours and no closed tickets', () => {
      expect(summarize(records({}), W).time).toEqual({
        total_hours: 0,
        billable_hours: 0,
        billable_ratio: null,
        by_member: [],
        by_work_type: {},
        hours_per_closed_ticket: null,
        first_touch_resolution_rate: null,
        single_tech_rate: null,
      });
      const zeroMinutes = records({ timeEntries: [anEntry({ date_worked: '2026-03-02', minutes: 0 })] });
      expect(summarize(zeroMinutes, W).time.billable_ratio).toBeNull();
    });
  });

  describe('csat', () => {
    it('counts surveys submitted in [from, to) and scores them the SmileBack way', () => {
      const r = records({
        surveys: [
          aSurvey(FROM, { sentiment: 'positive', score: 5 }),
          aSurvey(FROM + H, { sentiment: 'positive', score: 4 }),
          aSurvey(TO - 1, { sentiment: 'neutral', score: 3 }),
          aSurvey(TO - 2, { sentiment: 'negative', score: 1 }),
          aSurvey(FROM + 2 * H, { sentiment: 'positive', score: 5 }),
          aSurvey(TO, { sentiment: 'negative', score: 1 }), // at to: out
          aSurvey(FROM - 1, { sentiment: 'negative', score: 1 }), // before: out
        ],
      });
      const c = summarize(r, W).csat;
      expect(c).toMatchObject({ responses: 5, positive: 3, neutral: 1, negative: 1 });
      expect(c.percent_positive).toBe(0.6);
      expect(c.net_csat).toBe(40); // 100 · (3 − 1) / 5
      expect(c.average_score).toBe(3.6);
    });

    it('rounds Net CSAT to 2 decimals and can go negative', () => {
      const r = records({
        surveys: [aSurvey(FROM, { sentiment: 'negative', score: 1 }), aSurvey(FROM, { sentiment: 'negative', score: 2 }), aSurvey(FROM, { sentiment: 'neutral', score: 3 })],
      });
      const c = summarize(r, W).csat;
      expect(c.net_csat).toBe(-66.67);
      expect(c.average_score).toBe(2);
      expect(c.percent_positive).toBe(0);
    });

    it("ranks the 5 worst companies by Net CSAT (ties by company) through the survey's ticket, leaving unknown tickets out of that list only", () => {
      const companies = ['Fig', 'Elm', 'Dew', 'Cod', 'Bay', 'Ash'];
      const tickets = companies.map((company) => aTicket(FROM - 30 * D, { cw_ticket_id: `T-${company}`, company }));
      const s = (company: string, sentiment: CsatSurvey['sentiment'], when = FROM) => aSurvey(when, { ticket_id: `T-${company}`, sentiment, score: 3 });
      const r = records({
        tickets,
        surveys: [
          s('Fig', 'negative'),
          s('Fig', 'positive'), // Fig 0
          s('Elm', 'negative'), // Elm −100
          s('Dew', 'neutral'), // Dew 0 (ties Fig and Cod: by company)
          s('Cod', 'neutral'), // Cod 0
          s('Bay', 'positive'), // Bay 100
          s('Ash', 'positive'),
          s('Ash', 'positive'),
          s('Ash', 'negative'), // Ash 33.33
          s('Elm', 'positive', TO), // at to: out
          s('Bay', 'negative', FROM - 1), // 1 ms before from: out (in, Bay would tie at 0 and lead that tie)
          aSurvey(FROM, { ticket_id: null, sentiment: 'negative' }), // no ticket
          aSurvey(FROM, { ticket_id: 'T-UNKNOWN', sentiment: 'negative' }), // unknown ticket
        ],
      });
      const c = summarize(r, W).csat;
      expect(c.responses).toBe(11);
      expect(c.worst_companies).toEqual([
        { company: 'Elm', responses: 1, net_csat: -100 },
        { company: 'Cod', responses: 1, net_csat: 0 },
        { company: 'Dew', responses: 1, net_csat: 0 },
        { company: 'Fig', responses: 2, net_csat: 0 },
        { company: 'Ash', responses: 3, net_csat: 33.33 },
      ]);
    });

    it('gives nulls, not zeros, with no responses', () => {
      expect(summarize(records({}), W).csat).toEqual({
        responses: 0,
        positive: 0,
        neutral: 0,
        negative: 0,
        percent_positive: null,
        net_csat: null,
        average_score: null,
        worst_companies: [],
      });
    });
  });

  describe('security', () => {
    it('counts as open as of `to` what was detected before `to` and not resolved before `to`', () => {
      const r = records({
        alerts: [
          anAlert(TO - 1, { severity: 'high', source: 'sentinelone' }), // open
          anAlert(TO, { severity: 'high' }), // detected at to: not yet
          anAlert(FROM - 400 * D, { status: 'investigating', severity: 'critical', source: 'defender' }), // open, old
          anAlert(FROM, { status: 'resolved', resolved_at: at(TO - 1) }), // resolved before to
          anAlert(FROM, { status: 'resolved', resolved_at: at(TO), severity: 'low' }), // resolved at to: open as of to
          anAlert(FROM, { status: 'resolved', resolved_at: null }), // resolved, no time: not open
          anAlert(FROM, { status: 'new', resolved_at: at(FROM + H), severity: 'low', source: 'defender' }), // not resolved by status: open
        ],
      });
      const s = summarize(r, W).security;
      expect(s.open).toBe(4);
      expect(s.open_by_severity).toEqual({ critical: 1, high: 1, low: 2 });
      expect(Object.keys(s.open_by_severity)).toEqual(['critical', 'high', 'low']);
      expect(s.open_by_source).toEqual({ defender: 2, sentinelone: 2 });
    });

    it('counts detected and resolved in [from, to) and the mean time to resolve over the resolved', () => {
      const r = records({
        alerts: [
          anAlert(FROM, { status: 'resolved', resolved_at: at(FROM + 2 * H) }), // detected in, resolved in (2 h)
          anAlert(FROM - 10 * H, { status: 'resolved', resolved_at: at(FROM) }), // resolved at from (10 h)
          anAlert(FROM + H, { status: 'resolved', resolved_at: at(TO) }), // resolved at to: not resolved in window
          anAlert(TO - 1, { status: 'resolved', resolved_at: null }), // resolved without a time: never in `resolved`
          anAlert(TO), // detected at to: out
          anAlert(FROM - 1), // detected before from: out
        ],
      });
      const s = summarize(r, W).security;
      expect(s.detected).toBe(3);
      expect(s.resolved).toBe(2);
      expect(s.mean_time_to_resolve_hours).toBe(6);
    });

    it('lists the 5 devices with most alerts detected in the window, ties by device', () => {
      const on = (device: string, n: number, when = FROM) => Array.from({ length: n }, () => anAlert(when, { device }));
      const r = records({
        alerts: [...on('PC-F', 1), ...on('PC-E', 1), ...on('PC-D', 2), ...on('PC-C', 1), ...on('PC-B', 3), ...on('PC-A', 1), ...on('PC-Z', 9, TO), ...on('PC-Y', 9, FROM - 1)],
      });
      expect(summarize(r, W).security.top_devices).toEqual([
        { device: 'PC-B', alerts: 3 },
        { device: 'PC-D', alerts: 2 },
        { device: 'PC-A', alerts: 1 },
        { device: 'PC-C', alerts: 1 },
        { device: 'PC-E', alerts: 1 },
      ]);
    });

    it('gives a null mean time to resolve, not zero, with nothing resolved', () => {
      expect(summarize(records({}), W).security).toEqual({
        open: 0,
        open_by_severity: {},
        open_by_source: {},
        detected: 0,
        resolved: 0,
        mean_time_to_resolve_hours: null,
        top_devices: [],
      });
    });
  });

  describe('parsed instants', () => {
    it('reads the records\' instant forms exactly as Date.parse does', () => {
      const samples = [
        '2026-01-20T09:00:00Z',
        '2026-01-20T09:00:00.123Z',
        '2024-02-29T23:59:59.999Z',
        '2000-03-01T00:00:00Z',
        '1969-12-31T23:59:59Z',
        '2100-12-31T12:34:56.789Z',
        '2026-01-20T09:00:00.5Z',
        '2026-01-20T10:00:00+01:00',
      ];
      for (const sample of samples) expect({ sample, ms: instantMs(sample) }).toEqual({ sample, ms: Date.parse(sample) });
      expect(instantMs(null)).toBeNaN();
    });

    it('parses a record array once and reuses it while the array is the same', () => {
      const tickets = [aTicket(FROM)];
      expect(ticketTimes(tickets)).toBe(ticketTimes(tickets));
      expect(ticketTimes([...tickets])).not.toBe(ticketTimes(tickets));
    });
  });

  describe('the window', () => {
    it('parses instants with Z or an offset, and a bare day as its UTC midnight', () => {
      expect(parseWindowInstant('2026-01-20')).toBe(ms('2026-01-20T00:00:00Z'));
      expect(parseWindowInstant('2026-01-20T10:00:00+01:00')).toBe(ms('2026-01-20T09:00:00Z'));
      expect(parseWindowInstant('2026-01-20T10:00:00 01:00')).toBe(ms('2026-01-20T09:00:00Z')); // an unencoded + in a URL
      expect(parseWindowInstant('2026-01-20T04:30-0500')).toBe(ms('2026-01-20T09:30:00Z'));
      expect(parseWindowInstant('2026-01-20T09:00:00.1234Z')).toBe(ms('2026-01-20T09:00:00.123Z'));
      expect(parseWindowInstant('0099-12-31T23:59:59Z')).toBe(ms('0099-12-31T23:59:59Z')); // not 1999
      expect(parseWindowInstant('0000-01-01')).toBe(ms('0000-01-01T00:00:00Z'));
      for (const bad of ['2026-02-30', '2026-01-20T09:00:00', '2026-01-20T24:00:00Z', '20260120', 'yesterday', '2026-1-2', '']) {
        expect({ bad, parsed: parseWindowInstant(bad) }).toEqual({ bad, parsed: undefined });
      }
    });

    it('defaults to the 30 days before `to`, and `to` to what the caller supplies', () => {
      expect(resolveWindow({}, () => TO)).toEqual({ from: TO - 30 * D, to: TO });
      expect(resolveWindow({ to: '2026-03-08' }, () => 0)).toEqual({ from: TO - 30 * D, to: TO });
      expect(resolveWindow({ from: '2026-03-01' }, () => TO)).toEqual(W);
    });

    it('refuses from ≥ to and windows over 366 days, naming the field', () => {
      const fieldOf = (run: () => unknown) => {
        try {
          run();
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationProblemError);
          return (error as ValidationProblemError).extensions.errors?.map((e) => e.field);
        }
        return 'no error';
      };
      expect(fieldOf(() => resolveWindow({ from: '2026-03-08', to: '2026-03-08' }, () => 0))).toEqual(['from']);
      expect(fieldOf(() => resolveWindow({ from: '2026-03-09' }, () => TO))).toEqual(['from']);
      expect(resolveWindow({ from: at(TO - 366 * D), to: at(TO) }, () => 0).from).toBe(TO - 366 * D);
      expect(fieldOf(() => resolveWindow({ from: at(TO - 366 * D - 1), to: at(TO) }, () => 0))).toEqual(['from']);
      expect(fieldOf(() => buckets({ from: 0, to: 401 * D }, 'day'))).toEqual(['interval']);
      expect(buckets({ from: 0, to: 400 * D }, 'day')).toHaveLength(400);
    });

    it("ends by default 1 ms after the tenant's newest instant, a day worked counting to its last ms", () => {
      expect(newestInstant(records({}))).toBeNull();
      const r = records({
        tickets: [aTicket(FROM, { updated_at_remote: at(FROM + H), closed_at_remote: at(FROM + 2 * H), status: 'Closed' })],
        alerts: [anAlert(FROM, { status: 'resolved', resolved_at: at(FROM + 3 * H) })],
        surveys: [aSurvey(FROM + 4 * H)],
      });
      expect(newestInstant(r)).toBe(FROM + 4 * H);
      expect(newestInstant({ ...r, timeEntries: [anEntry({ date_worked: '2026-03-01' })] })).toBe(FROM + D - 1);
    });
  });

  describe('series', () => {
    it('splits the window into ISO weeks from Monday, clipped to the window', () => {
      // Wednesday 2026-03-04 to Wednesday 2026-03-18: three buckets
      const w = { from: ms('2026-03-04T00:00:00Z'), to: ms('2026-03-18T00:00:00Z') };
      expect(buckets(w, 'week').map((b) => [at(b.from), at(b.to)])).toEqual([
        ['2026-03-04T00:00:00.000Z', '2026-03-09T00:00:00.000Z'],
        ['2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z'],
        ['2026-03-16T00:00:00.000Z', '2026-03-18T00:00:00.000Z'],
      ]);
    });

    it('splits into UTC months and days, clipped to the window', () => {
      const w = { from: ms('2026-01-31T12:00:00Z'), to: ms('2026-03-01T00:00:01Z') };
      expect(buckets(w, 'month').map((b) => [at(b.from), at(b.to)])).toEqual([
        ['2026-01-31T12:00:00.000Z', '2026-02-01T00:00:00.000Z'],
        ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
        ['2026-03-01T00:00:00.000Z', '2026-03-01T00:00:01.000Z'],
      ]);
      expect(buckets(w, 'day')).toHaveLength(1 + 28 + 1); // Jan 31 (half), 28 February days, Mar 1 (1 s)
    });

    it('counts every series figure at the window edges: at from in the first bucket, 1 ms before to in the last, at to and 1 ms before from in none', () => {
      const w = { from: ms('2026-03-04T00:00:00Z'), to: ms('2026-03-18T00:00:00Z') }; // weeks: 4–9, 9–16, 16–18 March
      const long = w.from - 10 * D;
      const r = records({
        tickets: [
          aTicket(w.from),
          aTicket(w.to - 1),
          aTicket(w.to),
          aTicket(w.from - 1),
          closedAt(long, w.from),
          closedAt(long, w.to - 1),
          closedAt(long, w.to),
          closedAt(long, w.from - 1),
        ],
        timeEntries: [
          anEntry({ date_worked: '2026-03-04', minutes: 60, billable: true }),
          anEntry({ date_worked: '2026-03-17', minutes: 30, billable: false }),
          anEntry({ date_worked: '2026-03-18', minutes: 600 }),
          anEntry({ date_worked: '2026-03-03', minutes: 600 }),
        ],
        surveys: [
          aSurvey(w.from, { sentiment: 'positive' }),
          aSurvey(w.to - 1, { sentiment: 'negative' }),
          aSurvey(w.to, { sentiment: 'negative' }),
          aSurvey(w.from - 1, { sentiment: 'negative' }),
        ],
        alerts: [
          anAlert(w.from),
          anAlert(w.to - 1),
          anAlert(w.to),
          anAlert(w.from - 1),
          anAlert(long, { status: 'resolved', resolved_at: at(w.from) }),
          anAlert(long, { status: 'resolved', resolved_at: at(w.to - 1) }),
          anAlert(long, { status: 'resolved', resolved_at: at(w.to) }),
          anAlert(long, { status: 'resolved', resolved_at: at(w.from - 1) }),
        ],
      });
      const b = series(r, w, 'week');
      expect(b.map((x) => x.tickets_created)).toEqual([1, 0, 1]);
      expect(b.map((x) => x.tickets_closed)).toEqual([1, 0, 1]);
      expect(b.map((x) => x.hours)).toEqual([1, 0, 0.5]);
      expect(b.map((x) => x.billable_hours)).toEqual([1, 0, 0]);
      expect(b.map((x) => x.csat_responses)).toEqual([1, 0, 1]);
      expect(b.map((x) => x.net_csat)).toEqual([100, null, -100]);
      expect(b.map((x) => x.alerts_detected)).toEqual([1, 0, 1]);
      expect(b.map((x) => x.alerts_resolved)).toEqual([1, 0, 1]);
      const s = summarize(r, w);
      expect([s.tickets.created, s.tickets.closed, s.time.total_hours, s.csat.responses, s.security.detected, s.security.resolved]).toEqual([2, 2, 1.5, 2, 2, 2]);
    });

    it('puts an event at a bucket boundary in the later bucket, and sums to the summary counts', () => {
      const w = { from: ms('2026-03-04T00:00:00Z'), to: ms('2026-03-18T00:00:00Z') };
      const monday = ms('2026-03-09T00:00:00Z');
      const r = records({
        tickets: [
          aTicket(monday - 1),
          aTicket(monday),
          closedAt(w.from, monday),
          closedAt(w.from - D, w.to - 1),
          aTicket(w.to),
          aTicket(w.from - 1),
        ],
        timeEntries: [
          anEntry({ date_worked: '2026-03-08', minutes: 60, billable: true }),
          anEntry({ date_worked: '2026-03-09', minutes: 30, billable: false }),
          anEntry({ date_worked: '2026-03-18', minutes: 999 }),
        ],
        surveys: [aSurvey(monday - 1, { sentiment: 'negative' }), aSurvey(monday, { sentiment: 'positive' }), aSurvey(monday, { sentiment: 'neutral' })],
        alerts: [anAlert(monday, { status: 'resolved', resolved_at: at(w.to - 1) }), anAlert(w.from), anAlert(w.to)],
      });
      const b = series(r, w, 'week');
      expect(b.map((x) => x.tickets_created)).toEqual([2, 1, 0]); // w.from (closed one), monday − 1 | monday
      expect(b.map((x) => x.tickets_closed)).toEqual([0, 1, 1]);
      expect(b.map((x) => x.hours)).toEqual([1, 0.5, 0]);
      expect(b.map((x) => x.billable_hours)).toEqual([1, 0, 0]);
      expect(b.map((x) => x.csat_responses)).toEqual([1, 2, 0]);
      expect(b.map((x) => x.net_csat)).toEqual([-100, 50, null]);
      expect(b.map((x) => x.alerts_detected)).toEqual([1, 1, 0]);
      expect(b.map((x) => x.alerts_resolved)).toEqual([0, 0, 1]);

      const s = summarize(r, w);
      const sum = (key: keyof (typeof b)[number]) => b.reduce((acc, x) => acc + (x[key] as number), 0);
      expect(sum('tickets_created')).toBe(s.tickets.created);
      expect(sum('tickets_closed')).toBe(s.tickets.closed);
      expect(sum('csat_responses')).toBe(s.csat.responses);
      expect(sum('alerts_detected')).toBe(s.security.detected);
      expect(sum('alerts_resolved')).toBe(s.security.resolved);
      expect(sum('hours')).toBe(s.time.total_hours);
    });
  });
});
