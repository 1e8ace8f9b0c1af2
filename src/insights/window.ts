import { ValidationProblemError } from '../common/problem/problem.error.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** The default window: this many days ending at `to`. */
export const DEFAULT_WINDOW_DAYS = 30;
export const MAX_WINDOW_DAYS = 366;
export const MAX_BUCKETS = 400;

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** `[from, to)` in epoch milliseconds. */
export interface Window {
  from: number;
  to: number;
}

// 2026-01-20 | 2026-01-20T09:00[:00[.123]](Z|+01:00|-0130). A space stands for `+` (an unencoded `+` in a URL).
const WINDOW_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+\- ](\d{2}):?(\d{2})))?$/;

/** A window bound as epoch ms, or undefined when it is not an instant this API accepts. */
export function parseWindowInstant(value: string): number | undefined {
  const m = WINDOW_INSTANT.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (m[4] !== undefined && m[8] === undefined) return undefined; // a time needs its zone
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const midnight = date.getTime();
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let offset = 0;
  if (m[8] !== undefined && m[8] !== 'Z') {
    const [oh, om] = [Number(m[9]), Number(m[10])];
    if (oh > 23 || om > 59) return undefined;
    offset = (m[8].startsWith('-') ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offset;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface WindowRequest {
  from?: string;
  to?: string;
}

/**
 * The window a request asks for: `to` defaults to `defaultTo` (just after the newest record, capped
 * at now), `from` to 30 days before `to`. Reports the field at fault.
 */
export function resolveWindow(request: WindowRequest, defaultTo: () => number): Window {
  const to = request.to !== undefined ? parseWindowInstant(request.to) : defaultTo();
  const from = request.from !== undefined ? parseWindowInstant(request.from) : undefined;
  if (to === undefined || (request.from !== undefined && from === undefined)) {
    // The DTO validates the format; this guards a caller that skipped it.
    throw new ValidationProblemError([{ field: to === undefined ? 'to' : 'from', message: 'is not an ISO 8601 instant' }]);
  }
  const start = from ?? to - DEFAULT_WINDOW_DAYS * DAY_MS;
  if (start >= to) {
    throw new ValidationProblemError([{ field: 'from', message: `must be before to (${iso(to)}); the window is [from, to)` }]);
  }
  if (to - start > MAX_WINDOW_DAYS * DAY_MS) {
    const field = request.from !== undefined ? 'from' : 'to';
    throw new ValidationProblemError([
      { field, message: `the window from ${iso(start)} to ${iso(to)} is longer than ${MAX_WINDOW_DAYS} days` },
    ]);
  }
  return { from: start, to };
}

/** The start of the calendar bucket (UTC day, ISO week from Monday, UTC month) holding `ms`. */
export function bucketStart(ms: number, interval: Interval): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (interval === 'day') return day;
  if (interval === 'week') return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextBucketStart(start: number, interval: Interval): number {
  if (interval === 'day') return start + DAY_MS;
  if (interval === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The calendar buckets that intersect the window, in order, each clipped to it. */
export function buckets(window: Window, interval: Interval): Window[] {
  const result: Window[] = [];
  for (let start = bucketStart(window.from, interval); start < window.to; start = nextBucketStart(start, interval)) {
    if (result.length === MAX_BUCKETS) {
      throw new ValidationProblemError([
        { field: 'interval', message: `${interval} buckets over this window number more than ${MAX_BUCKETS}; use a longer interval or a shorter window` },
      ]);
    }
    const end = nextBucketStart(start, interval);
    result.push({ from: Math.max(start, window.from), to: Math.min(end, window.to) });
  }
  return result;
}
