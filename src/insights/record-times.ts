import type { CsatSurvey } from '../csat/csat-survey.record.js';
import type { SecurityAlert } from '../security-alerts/security-alert.record.js';
import type { Ticket } from '../tickets/ticket.record.js';
import type { TimeEntry } from '../time-entries/time-entry.record.js';

/*
 * Each record's instants as epoch ms (NaN for none), parsed once per record array: the sources serve
 * the same immutable array until their data changes (a mock reload, a live refill), so repeated KPI
 * requests over one data version skip the parsing that dominates their cost.
 */

const DAY_MS = 86_400_000;
const ZERO = 48;

/** Epoch ms of an ISO 8601 instant; the records' `YYYY-MM-DDTHH:mm:ss[.sss]Z` form without Date.parse. */
export function instantMs(value: string | null | undefined): number {
  if (!value) return Number.NaN;
  const n = value.length;
  if (
    (n === 20 || (n === 24 && value.charCodeAt(19) === 46)) /* . */ &&
    value.charCodeAt(n - 1) === 90 /* Z */ &&
    value.charCodeAt(10) === 84 /* T */ &&
    value.charCodeAt(4) === 45 /* - */ &&
    value.charCodeAt(7) === 45 &&
    value.charCodeAt(13) === 58 /* : */ &&
    value.charCodeAt(16) === 58
  ) {
    const d = (i: number) => value.charCodeAt(i) - ZERO;
    const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
    const month = d(5) * 10 + d(6);
    const day = d(8) * 10 + d(9);
    const ms = n === 24 ? d(20) * 100 + d(21) * 10 + d(22) : 0;
    const time = ((d(11) * 10 + d(12)) * 60 + d(14) * 10 + d(15)) * 60 + d(17) * 10 + d(18);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) return daysFromCivil(year, month, day) * DAY_MS + time * 1000 + ms;
  }
  return Date.parse(value);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export const isTicketClosed = (t: Ticket): boolean => !!t.closed_at_remote || t.status === 'Closed';

export interface TicketTimes {
  created: Float64Array;
  updated: Float64Array;
  closedAt: Float64Array;
  /** `closed_at_remote`, else `updated_at_remote`, for a closed ticket; NaN while open. */
  close: Float64Array;
}

export interface AlertTimes {
  detected: Float64Array;
  resolvedAt: Float64Array;
  /** `resolved_at` of an alert whose status is `resolved`; NaN otherwise. */
  resolve: Float64Array;
}

function cached<R extends object, T>(cache: WeakMap<readonly R[], T>, records: readonly R[], build: () => T): T {
  let times = cache.get(records);
  if (!times) cache.set(records, (times = build()));
  return times;
}

const ticketCache = new WeakMap<readonly Ticket[], TicketTimes>();
const entryCache = new WeakMap<readonly TimeEntry[], Float64Array>();
const surveyCache = new WeakMap<readonly CsatSurvey[], Float64Array>();
const alertCache = new WeakMap<readonly SecurityAlert[], AlertTimes>();

export function ticketTimes(tickets: readonly Ticket[]): TicketTimes {
  return cached(ticketCache, tickets, () => {
    const n = tickets.length;
    const times = { created: new Float64Array(n), updated: new Float64Array(n), closedAt: new Float64Array(n), close: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      const t = tickets[i];
      times.created[i] = instantMs(t.created_at_remote);
      times.updated[i] = instantMs(t.updated_at_remote);
      times.closedAt[i] = instantMs(t.closed_at_remote);
      times.close[i] = isTicketClosed(t) ? (t.closed_at_remote ? times.closedAt[i] : times.updated[i]) : Number.NaN;
    }
    return times;
  });
}

/** The UTC midnight of each entry's `date_worked`. */
export function dayWorkedTimes(entries: readonly TimeEntry[]): Float64Array {
  return cached(entryCache, entries, () => {
    const days = new Map<string, number>();
    const times = new Float64Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const date = entries[i].date_worked;
      let ms = days.get(date);
      if (ms === undefined) days.set(date, (ms = instantMs(`${date}T00:00:00Z`)));
      times[i] = ms;
    }
    return times;
  });
}

export function submittedTimes(surveys: readonly CsatSurvey[]): Float64Array {
  return cached(surveyCache, surveys, () => Float64Array.from(surveys, (s) => instantMs(s.submitted_at)));
}

export function alertTimes(alerts: readonly SecurityAlert[]): AlertTimes {
  return cached(alertCache, alerts, () => {
    const n = alerts.length;
    const times = { detected: new Float64Array(n), resolvedAt: new Float64Array(n), resolve: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      times.detected[i] = instantMs(alerts[i].detected_at);
      times.resolvedAt[i] = instantMs(alerts[i].resolved_at);
      times.resolve[i] = alerts[i].status === 'resolved' ? times.resolvedAt[i] : Number.NaN;
    }
    return times;
  });
}
