import type { CsatSurvey } from '../../src/csat/csat-survey.record.js';
import type { SecurityAlert } from '../../src/security-alerts/security-alert.record.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';
import type { TimeEntry } from '../../src/time-entries/time-entry.record.js';
import { compareCodePoints } from '../../src/common/query/query-engine.js';
import { DAY_MS, HOUR_MS, Interval, Window, buckets, iso } from '../../src/insights/window.js';
/*
 * The insights KPIs as they were computed before they read the record indexes: one linear pass
 * over each record array, instants parsed per array. Kept, unchanged but for its imports, as the
 * oracle of the differential test (test/unit/insights-index.spec.ts).
 */

/*
 * Each record's instants as epoch ms (NaN for none), parsed once per record array: the sources serve
 * the same immutable array until their data changes (a mock reload, a live refill), so repeated KPI
 * requests over one data version skip the parsing that dominates their cost.
 */

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

/** A tenant's records, as the domain services serve them. */
export interface TenantRecords {
  tickets: Ticket[];
  timeEntries: TimeEntry[];
  surveys: CsatSurvey[];
  alerts: SecurityAlert[];
}

// ---------------------------------------------------------------------------------------------
// Rounding, ordering, the record facts every KPI shares

/** Half away from zero, on the decimal value (so 1.005 → 1.01); null stays null. */
export function round(value: number | null, decimals: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const abs = Math.abs(value);
  // Shifting the decimal text avoids binary artefacts (1.005 · 100 = 100.49999…); text already in
  // exponent form (below 1e-6 or from 1e21) is far from any half and rounds arithmetically.
  const magnitude = /e/i.test(String(abs))
    ? Math.round(abs * 10 ** decimals) / 10 ** decimals
    : Number(`${Math.round(Number(`${abs}e${decimals}`))}e-${decimals}`);
  return magnitude === 0 ? 0 : Math.sign(value) * magnitude;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
const mean = (sum: number, count: number): number | null => (count === 0 ? null : sum / count);
/**
 * `sum / count` in `unit`s as ONE division (`sum / (count · unit)`, both exact integers): correctly rounded,
 * so an exact half such as 0.275 h stays 0.275 for `round` — `(sum / unit) / count` gives 0.27499999999999997.
 */
const meanIn = (sum: number, count: number, unit: number): number | null => (count === 0 ? null : sum / (count * unit));

function sortedCounts(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts.keys()].sort(compareCodePoints).map((key) => [key, counts.get(key) as number]));
}

function bump(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

const inWindow = (ms: number, w: Window): boolean => w.from <= ms && ms < w.to;

/** The newest instant among the records (a day worked counts to its last ms), or null with none. */
export function newestInstant(records: TenantRecords): number | null {
  let newest = -Infinity;
  const see = (column: Float64Array, plus = 0) => {
    for (let i = 0; i < column.length; i++) if (column[i] + plus > newest) newest = column[i] + plus;
  };
  const tickets = ticketTimes(records.tickets);
  see(tickets.created);
  see(tickets.updated);
  see(tickets.closedAt);
  see(dayWorkedTimes(records.timeEntries), DAY_MS - 1);
  see(submittedTimes(records.surveys));
  const alerts = alertTimes(records.alerts);
  see(alerts.detected);
  see(alerts.resolvedAt);
  return newest === -Infinity ? null : newest;
}

// ---------------------------------------------------------------------------------------------
// Summary

export interface TicketKpis {
  open: number;
  open_by_status: Record<string, number>;
  open_by_priority: Record<string, number>;
  open_by_board: Record<string, number>;
  aging: { under_7d: number; '7_to_30d': number; '30_to_90d': number; over_90d: number };
  created: number;
  closed: number;
  kill_rate: number | null;
  same_day_close_rate: number | null;
  avg_resolution_hours: number | null;
  median_resolution_hours: number | null;
}

export interface MemberHours {
  member: string;
  hours: number;
  billable_hours: number;
}

export interface TimeKpis {
  total_hours: number;
  billable_hours: number;
  billable_ratio: number | null;
  by_member: MemberHours[];
  by_work_type: Record<string, number>;
  hours_per_closed_ticket: number | null;
  first_touch_resolution_rate: number | null;
  single_tech_rate: number | null;
}

export interface CompanyCsat {
  company: string;
  responses: number;
  net_csat: number;
}

export interface CsatKpis {
  responses: number;
  positive: number;
  neutral: number;
  negative: number;
  percent_positive: number | null;
  net_csat: number | null;
  average_score: number | null;
  worst_companies: CompanyCsat[];
}

export interface DeviceAlerts {
  device: string;
  alerts: number;
}

export interface SecurityKpis {
  open: number;
  open_by_severity: Record<string, number>;
  open_by_source: Record<string, number>;
  detected: number;
  resolved: number;
  mean_time_to_resolve_hours: number | null;
  top_devices: DeviceAlerts[];
}

export interface Kpis {
  tickets: TicketKpis;
  time: TimeKpis;
  csat: CsatKpis;
  security: SecurityKpis;
}

const TOP = 5;

/** Every summary KPI over `[from, to)`: one pass over each domain's records. */
export function summarize(records: TenantRecords, w: Window): Kpis {
  const { tickets, closedIds } = ticketKpis(records.tickets, w);
  return {
    tickets,
    time: timeKpis(records.timeEntries, closedIds, w),
    csat: csatKpis(records.surveys, records.tickets, w),
    security: securityKpis(records.alerts, w),
  };
}

function ticketKpis(records: Ticket[], w: Window): { tickets: TicketKpis; closedIds: Set<string> } {
  const byStatus = new Map<string, number>();
  const byPriority = new Map<string, number>();
  const byBoard = new Map<string, number>();
  const aging = { under_7d: 0, '7_to_30d': 0, '30_to_90d': 0, over_90d: 0 };
  const closedIds = new Set<string>();
  const resolutionMs: number[] = [];
  let open = 0;
  let created = 0;
  let sameDay = 0;
  const times = ticketTimes(records);
  for (let i = 0; i < records.length; i++) {
    const t = records[i];
    const createdAt = times.created[i];
    const closeTime = times.close[i]; // NaN while open: every comparison with it is false
    if (inWindow(createdAt, w)) created++;
    if (inWindow(closeTime, w)) {
      closedIds.add(t.cw_ticket_id);
      resolutionMs.push(closeTime - createdAt);
      if (Math.floor(closeTime / DAY_MS) === Math.floor(createdAt / DAY_MS)) sameDay++;
    }
    if (createdAt < w.to && !(closeTime < w.to)) {
      open++;
      bump(byStatus, t.status);
      bump(byPriority, t.priority);
      bump(byBoard, t.board);
      const age = w.to - createdAt;
      if (age < 7 * DAY_MS) aging.under_7d++;
      else if (age < 30 * DAY_MS) aging['7_to_30d']++;
      else if (age < 90 * DAY_MS) aging['30_to_90d']++;
      else aging.over_90d++;
    }
  }
  const closed = resolutionMs.length;
  return {
    closedIds,
    tickets: {
      open,
      open_by_status: sortedCounts(byStatus),
      open_by_priority: sortedCounts(byPriority),
      open_by_board: sortedCounts(byBoard),
      aging,
      created,
      closed,
      kill_rate: round(ratio(closed, created), 4),
      same_day_close_rate: round(ratio(sameDay, closed), 4),
      avg_resolution_hours: round(meanIn(resolutionMs.reduce((a, b) => a + b, 0), closed, HOUR_MS), 2),
      median_resolution_hours: round(median(resolutionMs), 2),
    },
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  const ms = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return ms / HOUR_MS;
}

function timeKpis(entries: TimeEntry[], closedIds: Set<string>, w: Window): TimeKpis {
  let totalMinutes = 0;
  let billableMinutes = 0;
  const byMember = new Map<string, { minutes: number; billable: number }>();
  const byWorkType = new Map<string, number>();
  // Per closed ticket: its entries, their minutes, its first member and whether another one appears.
  const effort = new Map<string, { entries: number; minutes: number; member: string; several: boolean }>();
  const days = dayWorkedTimes(entries);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.cw_ticket_id !== null && closedIds.has(e.cw_ticket_id)) {
      let onTicket = effort.get(e.cw_ticket_id);
      if (!onTicket) effort.set(e.cw_ticket_id, (onTicket = { entries: 0, minutes: 0, member: e.member, several: false }));
      onTicket.entries++;
      onTicket.minutes += e.minutes;
      if (onTicket.member !== e.member) onTicket.several = true;
    }
    if (!inWindow(days[i], w)) continue;
    const billable = e.billable ? e.minutes : 0;
    totalMinutes += e.minutes;
    billableMinutes += billable;
    let member = byMember.get(e.member);
    if (!member) byMember.set(e.member, (member = { minutes: 0, billable: 0 }));
    member.minutes += e.minutes;
    member.billable += billable;
    bump(byWorkType, e.work_type, e.minutes);
  }
  let effortMinutes = 0;
  let firstTouch = 0;
  let singleTech = 0;
  for (const onTicket of effort.values()) {
    effortMinutes += onTicket.minutes;
    if (onTicket.entries === 1) firstTouch++;
    if (!onTicket.several) singleTech++;
  }
  const hours = (minutes: number) => round(minutes / 60, 2) as number;
  return {
    total_hours: hours(totalMinutes),
    billable_hours: hours(billableMinutes),
    billable_ratio: round(ratio(billableMinutes, totalMinutes), 4),
    by_member: [...byMember.entries()]
      .sort(([ma, a], [mb, b]) => b.minutes - a.minutes || compareCodePoints(ma, mb))
      .map(([member, m]) => ({ member, hours: hours(m.minutes), billable_hours: hours(m.billable) })),
    by_work_type: Object.fromEntries(
      [...byWorkType.keys()].sort(compareCodePoints).map((type) => [type, hours(byWorkType.get(type) as number)]),
    ),
    hours_per_closed_ticket: round(meanIn(effortMinutes, effort.size, 60), 2),
    first_touch_resolution_rate: round(ratio(firstTouch, effort.size), 4),
    single_tech_rate: round(ratio(singleTech, effort.size), 4),
  };
}

const netCsat = (positive: number, negative: number, responses: number): number | null =>
  responses === 0 ? null : (100 * (positive - negative)) / responses;

function csatKpis(surveys: CsatSurvey[], tickets: Ticket[], w: Window): CsatKpis {
  const counts = { positive: 0, neutral: 0, negative: 0 };
  let scoreSum = 0;
  const inRange: CsatSurvey[] = [];
  const submitted = submittedTimes(surveys);
  for (let i = 0; i < surveys.length; i++) {
    const s = surveys[i];
    if (!inWindow(submitted[i], w)) continue;
    inRange.push(s);
    counts[s.sentiment]++;
    scoreSum += s.score;
  }
  const responses = inRange.length;
  const companyOf = new Map<string, string | undefined>();
  for (const s of inRange) if (s.ticket_id !== null) companyOf.set(s.ticket_id, undefined);
  if (companyOf.size > 0) for (const t of tickets) if (companyOf.has(t.cw_ticket_id)) companyOf.set(t.cw_ticket_id, t.company);
  const byCompany = new Map<string, { responses: number; positive: number; negative: number }>();
  for (const s of inRange) {
    const company = s.ticket_id === null ? undefined : companyOf.get(s.ticket_id);
    if (company === undefined) continue;
    const c = byCompany.get(company) ?? { responses: 0, positive: 0, negative: 0 };
    c.responses++;
    if (s.sentiment === 'positive') c.positive++;
    if (s.sentiment === 'negative') c.negative++;
    byCompany.set(company, c);
  }
  const worst = [...byCompany.entries()]
    .map(([company, c]) => ({ company, responses: c.responses, score: netCsat(c.positive, c.negative, c.responses) as number }))
    .sort((a, b) => a.score - b.score || compareCodePoints(a.company, b.company))
    .slice(0, TOP);
  return {
    responses,
    ...counts,
    percent_positive: round(ratio(counts.positive, responses), 4),
    net_csat: round(netCsat(counts.positive, counts.negative, responses), 2),
    average_score: round(mean(scoreSum, responses), 2),
    worst_companies: worst.map(({ company, responses: r, score }) => ({ company, responses: r, net_csat: round(score, 2) as number })),
  };
}

function securityKpis(alerts: SecurityAlert[], w: Window): SecurityKpis {
  const bySeverity = new Map<string, number>();
  const bySource = new Map<string, number>();
  const byDevice = new Map<string, number>();
  let open = 0;
  let detected = 0;
  let resolved = 0;
  let resolveMs = 0;
  const times = alertTimes(alerts);
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i];
    const detectedAt = times.detected[i];
    const resolvedAt = times.resolve[i]; // NaN unless resolved with a resolved_at
    if (inWindow(detectedAt, w)) {
      detected++;
      bump(byDevice, a.device);
    }
    if (inWindow(resolvedAt, w)) {
      resolved++;
      resolveMs += resolvedAt - detectedAt;
    }
    const closedBeforeTo = a.status === 'resolved' && (Number.isNaN(resolvedAt) || resolvedAt < w.to);
    if (detectedAt < w.to && !closedBeforeTo) {
      open++;
      bump(bySeverity, a.severity);
      bump(bySource, a.source);
    }
  }
  return {
    open,
    open_by_severity: sortedCounts(bySeverity),
    open_by_source: sortedCounts(bySource),
    detected,
    resolved,
    mean_time_to_resolve_hours: round(meanIn(resolveMs, resolved, HOUR_MS), 2),
    top_devices: [...byDevice.entries()]
      .sort(([da, a], [db, b]) => b - a || compareCodePoints(da, db))
      .slice(0, TOP)
      .map(([device, count]) => ({ device, alerts: count })),
  };
}

// ---------------------------------------------------------------------------------------------
// Series

export interface SeriesBucket {
  start: string;
  end: string;
  tickets_created: number;
  tickets_closed: number;
  hours: number;
  billable_hours: number;
  csat_responses: number;
  net_csat: number | null;
  alerts_detected: number;
  alerts_resolved: number;
}

/** The summary's counts per calendar bucket; each record is placed with a binary search over the buckets. */
export function series(records: TenantRecords, w: Window, interval: Interval): SeriesBucket[] {
  const spans = buckets(w, interval);
  const acc = spans.map(() => ({
    created: 0,
    closed: 0,
    minutes: 0,
    billable: 0,
    responses: 0,
    positive: 0,
    negative: 0,
    detected: 0,
    resolved: 0,
  }));
  const starts = spans.map((s) => s.from);
  const slot = (ms: number) => (inWindow(ms, w) ? acc[lastAtOrBefore(starts, ms)] : undefined);
  const tickets = ticketTimes(records.tickets);
  for (let i = 0; i < records.tickets.length; i++) {
    const created = slot(tickets.created[i]);
    if (created) created.created++;
    const closed = slot(tickets.close[i]);
    if (closed) closed.closed++;
  }
  const days = dayWorkedTimes(records.timeEntries);
  for (let i = 0; i < records.timeEntries.length; i++) {
    const b = slot(days[i]);
    if (!b) continue;
    const e = records.timeEntries[i];
    b.minutes += e.minutes;
    if (e.billable) b.billable += e.minutes;
  }
  const submitted = submittedTimes(records.surveys);
  for (let i = 0; i < records.surveys.length; i++) {
    const b = slot(submitted[i]);
    if (!b) continue;
    const s = records.surveys[i];
    b.responses++;
    if (s.sentiment === 'positive') b.positive++;
    if (s.sentiment === 'negative') b.negative++;
  }
  const alerts = alertTimes(records.alerts);
  for (let i = 0; i < records.alerts.length; i++) {
    const detected = slot(alerts.detected[i]);
    if (detected) detected.detected++;
    const resolved = slot(alerts.resolve[i]);
    if (resolved) resolved.resolved++;
  }
  return spans.map((span, i) => {
    const b = acc[i];
    return {
      start: iso(span.from),
      end: iso(span.to),
      tickets_created: b.created,
      tickets_closed: b.closed,
      hours: round(b.minutes / 60, 2) as number,
      billable_hours: round(b.billable / 60, 2) as number,
      csat_responses: b.responses,
      net_csat: round(netCsat(b.positive, b.negative, b.responses), 2),
      alerts_detected: b.detected,
      alerts_resolved: b.resolved,
    };
  });
}

/** Index of the last element ≤ value in an ascending array whose first element is ≤ value. */
function lastAtOrBefore(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
