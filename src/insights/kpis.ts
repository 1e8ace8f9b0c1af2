import { compareCodePoints } from '../common/query/query-engine.js';
import { RecordIndex } from '../common/record-index/record-index.js';
import type { CsatSurvey } from '../csat/csat-survey.record.js';
import type { SecurityAlert } from '../security-alerts/security-alert.record.js';
import type { Ticket } from '../tickets/ticket.record.js';
import type { TimeEntry } from '../time-entries/time-entry.record.js';
import { mean, meanIn, netCsat, ratio, round, sortedCounts } from './formulas.js';
import { alertTimes, alertsResolvedBetween, inRecordOrder, ticketTimes, ticketsClosedBetween } from './record-times.js';
import { Records, indexesOf } from './tenant-indexes.js';
import { DAY_MS, HOUR_MS, Window } from './window.js';

/** Everything up to (not including) `to`. */
const BEFORE = -Infinity;

/**
 * Counts or sums per value of a record field, kept by the index's value codes (no string
 * hashing per record); each value's additions happen in the order `add` is called.
 */
class Tally<T> {
  private readonly codes: Int32Array;
  private readonly values: readonly unknown[];
  private readonly sums: Float64Array;
  private readonly seen: Uint8Array;
  private readonly codeOf: (value: unknown) => number;

  constructor(index: RecordIndex<T>, field: keyof T & string) {
    ({ codes: this.codes, values: this.values, codeOf: this.codeOf } = index.columns.codes(field));
    this.sums = new Float64Array(this.values.length);
    this.seen = new Uint8Array(this.values.length);
  }

  add(i: number, by = 1): void {
    const code = this.codes[i];
    this.sums[code] += by;
    this.seen[code] = 1;
  }

  /** The sum for one value, through the index's value → code map (a search of `values` is quadratic over all members). */
  sum(value: unknown): number {
    return this.sums[this.codeOf(value)];
  }

  toMap(): Map<string, number> {
    const out = new Map<string, number>();
    for (let c = 0; c < this.values.length; c++) if (this.seen[c] === 1) out.set(this.values[c] as string, this.sums[c]);
    return out;
  }
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

/** Every summary KPI over `[from, to)`: range lookups on each domain's sorted instants. */
export function summarize(records: Records, w: Window): Kpis {
  const indexes = indexesOf(records);
  const { tickets, closed } = ticketKpis(indexes.tickets, w);
  return {
    tickets,
    time: timeKpis(indexes.timeEntries, indexes.tickets, closed, w),
    csat: csatKpis(indexes.surveys, indexes.tickets, w),
    security: securityKpis(indexes.alerts, w),
  };
}

function ticketKpis(index: RecordIndex<Ticket>, w: Window): { tickets: TicketKpis; closed: Int32Array } {
  const byStatus = new Tally(index, 'status');
  const byPriority = new Tally(index, 'priority');
  const byBoard = new Tally(index, 'board');
  const aging = { under_7d: 0, '7_to_30d': 0, '30_to_90d': 0, over_90d: 0 };
  const resolutionMs: number[] = [];
  let open = 0;
  let sameDay = 0;
  const times = ticketTimes(index);
  const created = index.between('created_at_remote', w.from, w.to).length;
  // In close-time order: the sums are of whole milliseconds (exact in any order), the median sorts.
  const closed = ticketsClosedBetween(index, w.from, w.to);
  for (let k = 0; k < closed.length; k++) {
    const i = closed[k];
    const createdAt = times.created[i];
    const closeTime = times.close[i];
    resolutionMs.push(closeTime - createdAt);
    if (Math.floor(closeTime / DAY_MS) === Math.floor(createdAt / DAY_MS)) sameDay++;
  }
  // Open as of `to`: among those created before `to`, the ones not closed before it.
  const createdBefore = index.between('created_at_remote', BEFORE, w.to);
  for (let k = 0; k < createdBefore.length; k++) {
    const i = createdBefore[k];
    if (times.close[i] < w.to) continue; // NaN while open: the comparison is false
    open++;
    byStatus.add(i);
    byPriority.add(i);
    byBoard.add(i);
    const age = w.to - times.created[i];
    if (age < 7 * DAY_MS) aging.under_7d++;
    else if (age < 30 * DAY_MS) aging['7_to_30d']++;
    else if (age < 90 * DAY_MS) aging['30_to_90d']++;
    else aging.over_90d++;
  }
  const closedCount = resolutionMs.length;
  return {
    closed,
    tickets: {
      open,
      open_by_status: sortedCounts(byStatus.toMap()),
      open_by_priority: sortedCounts(byPriority.toMap()),
      open_by_board: sortedCounts(byBoard.toMap()),
      aging,
      created,
      closed: closedCount,
      kill_rate: round(ratio(closedCount, created), 4),
      same_day_close_rate: round(ratio(sameDay, closedCount), 4),
      avg_resolution_hours: round(meanIn(resolutionMs.reduce((a, b) => a + b, 0), closedCount, HOUR_MS), 2),
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

/** Per ticket position: the code of its id among the entries' `cw_ticket_id` values (-1: no entry), once per pair of indexes. */
const entryCodesOfTickets = new WeakMap<RecordIndex<Ticket>, { entries: RecordIndex<TimeEntry>; codes: Int32Array }>();

function entryCodesOf(tickets: RecordIndex<Ticket>, entries: RecordIndex<TimeEntry>): Int32Array {
  const held = entryCodesOfTickets.get(tickets);
  if (held?.entries === entries) return held.codes;
  const { codeOf } = entries.columns.codes('cw_ticket_id');
  const codes = new Int32Array(tickets.size);
  for (let i = 0; i < codes.length; i++) codes[i] = codeOf(tickets.records[i].cw_ticket_id);
  entryCodesOfTickets.set(tickets, { entries, codes });
  return codes;
}

function timeKpis(index: RecordIndex<TimeEntry>, tickets: RecordIndex<Ticket>, closed: Int32Array, w: Window): TimeKpis {
  const entries = index.records;
  let totalMinutes = 0;
  let billableMinutes = 0;
  const memberMinutes = new Tally(index, 'member');
  const memberBillable = new Tally(index, 'member');
  const byWorkType = new Tally(index, 'work_type');
  // Per closed ticket (once per id), through the entries' cw_ticket_id posting lists: its entries,
  // their minutes, its first member and whether another one appears; in the order of each ticket's first entry.
  const effort: Array<{ first: number; entries: number; minutes: number; several: boolean }> = [];
  const ticketCodes = entryCodesOf(tickets, index);
  const { positions: postings } = index.columns.codes('cw_ticket_id');
  const counted = new Uint8Array(postings.length);
  for (let k = 0; k < closed.length; k++) {
    const code = ticketCodes[closed[k]];
    if (code < 0 || counted[code] === 1) continue;
    counted[code] = 1;
    const positions = postings[code];
    const member = entries[positions[0]].member;
    let minutes = 0;
    let several = false;
    for (let p = 0; p < positions.length; p++) {
      const e = entries[positions[p]];
      minutes += e.minutes;
      if (e.member !== member) several = true;
    }
    effort.push({ first: positions[0], entries: positions.length, minutes, several });
  }
  effort.sort((a, b) => a.first - b.first);
  const worked = inRecordOrder(index, 'date_worked', w.from, w.to);
  for (let k = 0; k < worked.length; k++) {
    const i = worked[k];
    const e = entries[i];
    const billable = e.billable ? e.minutes : 0;
    totalMinutes += e.minutes;
    billableMinutes += billable;
    memberMinutes.add(i, e.minutes);
    memberBillable.add(i, billable);
    byWorkType.add(i, e.minutes);
  }
  const byMember = new Map([...memberMinutes.toMap()].map(([member, minutes]) => [member, { minutes, billable: memberBillable.sum(member) }]));
  const workTypes = byWorkType.toMap();
  let effortMinutes = 0;
  let firstTouch = 0;
  let singleTech = 0;
  for (const onTicket of effort) {
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
      [...workTypes.keys()].sort(compareCodePoints).map((type) => [type, hours(workTypes.get(type) as number)]),
    ),
    hours_per_closed_ticket: round(meanIn(effortMinutes, effort.length, 60), 2),
    first_touch_resolution_rate: round(ratio(firstTouch, effort.length), 4),
    single_tech_rate: round(ratio(singleTech, effort.length), 4),
  };
}

function csatKpis(index: RecordIndex<CsatSurvey>, tickets: RecordIndex<Ticket>, w: Window): CsatKpis {
  const surveys = index.records;
  const counts = { positive: 0, neutral: 0, negative: 0 };
  let scoreSum = 0;
  const inRange: CsatSurvey[] = [];
  const submitted = inRecordOrder(index, 'submitted_at', w.from, w.to);
  for (let k = 0; k < submitted.length; k++) {
    const s = surveys[submitted[k]];
    inRange.push(s);
    counts[s.sentiment]++;
    scoreSum += s.score;
  }
  const responses = inRange.length;
  // The company of the survey's ticket: the last ticket with that id, through the id map.
  const companyOf = new Map<string, string | undefined>();
  for (const s of inRange) {
    if (s.ticket_id === null || companyOf.has(s.ticket_id)) continue;
    const i = tickets.columns.lastPositionOf(s.ticket_id);
    companyOf.set(s.ticket_id, i < 0 ? undefined : tickets.records[i].company);
  }
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

function securityKpis(index: RecordIndex<SecurityAlert>, w: Window): SecurityKpis {
  const alerts = index.records;
  const bySeverity = new Tally(index, 'severity');
  const bySource = new Tally(index, 'source');
  const byDevice = new Tally(index, 'device');
  let open = 0;
  let resolved = 0;
  let resolveMs = 0;
  const times = alertTimes(index);
  const detectedIn = index.between('detected_at', w.from, w.to);
  const detected = detectedIn.length;
  for (let k = 0; k < detectedIn.length; k++) byDevice.add(detectedIn[k]);
  // Sums of whole milliseconds: exact in any order.
  const resolvedIn = alertsResolvedBetween(index, w.from, w.to);
  for (let k = 0; k < resolvedIn.length; k++) {
    const i = resolvedIn[k];
    resolved++;
    resolveMs += times.resolve[i] - times.detected[i];
  }
  const detectedBefore = index.between('detected_at', BEFORE, w.to);
  for (let k = 0; k < detectedBefore.length; k++) {
    const i = detectedBefore[k];
    const a = alerts[i];
    const resolvedAt = times.resolve[i]; // NaN unless resolved with a resolved_at
    const closedBeforeTo = a.status === 'resolved' && (Number.isNaN(resolvedAt) || resolvedAt < w.to);
    if (closedBeforeTo) continue;
    open++;
    bySeverity.add(i);
    bySource.add(i);
  }
  return {
    open,
    open_by_severity: sortedCounts(bySeverity.toMap()),
    open_by_source: sortedCounts(bySource.toMap()),
    detected,
    resolved,
    mean_time_to_resolve_hours: round(meanIn(resolveMs, resolved, HOUR_MS), 2),
    top_devices: [...byDevice.toMap().entries()]
      .sort(([da, a], [db, b]) => b - a || compareCodePoints(da, db))
      .slice(0, TOP)
      .map(([device, count]) => ({ device, alerts: count })),
  };
}
