import { indexOf } from '../common/record-index/index-cache.js';
import { RecordIndex } from '../common/record-index/record-index.js';
import { positionsInRange } from '../common/record-index/time-index.js';
import type { SecurityAlert } from '../security-alerts/security-alert.record.js';
import { SECURITY_ALERT_QUERY } from '../security-alerts/list-security-alerts-query.dto.js';
import { TICKET_QUERY } from '../tickets/list-tickets-query.dto.js';
import { isTicketClosed, type Ticket } from '../tickets/ticket.record.js';

/*
 * The instants the KPIs read, as epoch ms per record (NaN for none): the record index's own columns —
 * parsed once per index and shared with the list routes' sort and range indexes — plus the two the
 * KPIs derive from them (a ticket's close time, an alert's resolve time), kept per index.
 */

export { instantMs } from '../common/query/instants.js';

export { isTicketClosed } from '../tickets/ticket.record.js';

/** A derived column's positions ascending by value; those without one (NaN) left out. */
export interface TimeIndex {
  column: Float64Array;
  order: Int32Array;
}

export interface TicketTimes {
  created: Float64Array;
  updated: Float64Array;
  closedAt: Float64Array;
  /** `closed_at_remote`, else `updated_at_remote`, for a closed ticket; NaN while open. */
  close: Float64Array;
  closeIndex: TimeIndex;
}

export interface AlertTimes {
  detected: Float64Array;
  resolvedAt: Float64Array;
  /** `resolved_at` of an alert whose status is `resolved`; NaN otherwise. */
  resolve: Float64Array;
  resolveIndex: TimeIndex;
}

function timeIndex(column: Float64Array): TimeIndex {
  let m = 0;
  const order = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) if (!Number.isNaN(column[i])) order[m++] = i;
  return { column, order: order.subarray(0, m).sort((a, b) => column[a] - column[b] || a - b) };
}

/** Positions whose value lies in `[from, to)`, ascending by value: a binary search over the index. */
export function between({ column, order }: TimeIndex, from: number, to: number): Int32Array {
  return positionsInRange(order, column, from, to);
}

const ticketCache = new WeakMap<RecordIndex<Ticket>, TicketTimes>();
const alertCache = new WeakMap<RecordIndex<SecurityAlert>, AlertTimes>();

const ticketIndex = (tickets: readonly Ticket[] | RecordIndex<Ticket>) => (tickets instanceof RecordIndex ? tickets : indexOf(tickets, TICKET_QUERY));

export function ticketTimes(tickets: readonly Ticket[] | RecordIndex<Ticket>): TicketTimes {
  const index = ticketIndex(tickets);
  let times = ticketCache.get(index);
  if (!times) {
    const rows = index.records;
    const created = index.columns.epochs('created_at_remote');
    const updated = index.columns.epochs('updated_at_remote');
    const closedAt = index.columns.epochs('closed_at_remote');
    const close = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const t = rows[i];
      close[i] = isTicketClosed(t) ? (t.closed_at_remote ? closedAt[i] : updated[i]) : Number.NaN;
    }
    ticketCache.set(index, (times = { created, updated, closedAt, close, closeIndex: timeIndex(close) }));
  }
  return times;
}

export function alertTimes(alerts: readonly SecurityAlert[] | RecordIndex<SecurityAlert>): AlertTimes {
  const index = alerts instanceof RecordIndex ? alerts : indexOf(alerts, SECURITY_ALERT_QUERY);
  let times = alertCache.get(index);
  if (!times) {
    const rows = index.records;
    const detected = index.columns.epochs('detected_at');
    const resolvedAt = index.columns.epochs('resolved_at');
    const resolve = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) resolve[i] = rows[i].status === 'resolved' ? resolvedAt[i] : Number.NaN;
    alertCache.set(index, (times = { detected, resolvedAt, resolve, resolveIndex: timeIndex(resolve) }));
  }
  return times;
}

/** Positions of the tickets whose close time lies in `[from, to)` (in close-time order): a range lookup. */
export function ticketsClosedBetween(tickets: RecordIndex<Ticket>, from: number, to: number): Int32Array {
  return between(ticketTimes(tickets).closeIndex, from, to);
}

/** Positions of the resolved alerts whose `resolved_at` lies in `[from, to)` (in that order): a range lookup. */
export function alertsResolvedBetween(alerts: RecordIndex<SecurityAlert>, from: number, to: number): Int32Array {
  return between(alertTimes(alerts).resolveIndex, from, to);
}

/**
 * Positions of the records whose `field` lies in `[from, to)`, ascending (record order, so that sums
 * add up in the order they always did): the range lookup sorted, or — when most records are in the
 * window and sorting would cost more — one pass over the parsed column.
 */
export function inRecordOrder<T>(index: RecordIndex<T>, field: keyof T & string, from: number, to: number): Int32Array {
  const hits = index.between(field, from, to);
  const n = index.size;
  if (hits.length * Math.log2(hits.length + 2) < n) return Int32Array.from(hits).sort();
  const column = index.columns.epochs(field);
  const out = new Int32Array(hits.length);
  let m = 0;
  for (let i = 0; i < n; i++) if (column[i] >= from && column[i] < to) out[m++] = i;
  return out;
}
