import { netCsat, round } from './formulas.js';
import { alertTimes, alertsResolvedBetween, inRecordOrder, ticketTimes, ticketsClosedBetween } from './record-times.js';
import { Records, indexesOf } from './tenant-indexes.js';
import { Interval, Window, buckets, iso } from './window.js';

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

/** The summary's counts per calendar bucket: the window's records by range lookup, each placed by a binary search over the buckets. */
export function series(records: Records, w: Window, interval: Interval): SeriesBucket[] {
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
  const slot = (ms: number) => acc[lastAtOrBefore(starts, ms)];
  const { tickets, timeEntries, surveys, alerts } = indexesOf(records);
  const ticketTimesOf = ticketTimes(tickets);
  const created = tickets.between('created_at_remote', w.from, w.to);
  for (let k = 0; k < created.length; k++) slot(ticketTimesOf.created[created[k]]).created++;
  const closed = ticketsClosedBetween(tickets, w.from, w.to);
  for (let k = 0; k < closed.length; k++) slot(ticketTimesOf.close[closed[k]]).closed++;
  const days = timeEntries.columns.epochs('date_worked');
  const worked = inRecordOrder(timeEntries, 'date_worked', w.from, w.to);
  for (let k = 0; k < worked.length; k++) {
    const i = worked[k];
    const b = slot(days[i]);
    const e = timeEntries.records[i];
    b.minutes += e.minutes;
    if (e.billable) b.billable += e.minutes;
  }
  const submittedAt = surveys.columns.epochs('submitted_at');
  const submitted = surveys.between('submitted_at', w.from, w.to);
  for (let k = 0; k < submitted.length; k++) {
    const i = submitted[k];
    const b = slot(submittedAt[i]);
    const s = surveys.records[i];
    b.responses++;
    if (s.sentiment === 'positive') b.positive++;
    if (s.sentiment === 'negative') b.negative++;
  }
  const alertTimesOf = alertTimes(alerts);
  const detected = alerts.between('detected_at', w.from, w.to);
  for (let k = 0; k < detected.length; k++) slot(alertTimesOf.detected[detected[k]]).detected++;
  const resolvedIn = alertsResolvedBetween(alerts, w.from, w.to);
  for (let k = 0; k < resolvedIn.length; k++) slot(alertTimesOf.resolve[resolvedIn[k]]).resolved++;
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
