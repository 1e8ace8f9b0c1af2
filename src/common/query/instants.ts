/*
 * Epoch milliseconds of record instants, as Date.parse reads them: the records' own form is read by hand
 * because parsing dominates building an instant index; anything else goes to Date.parse, so both agree.
 */

const DAY_MS = 86_400_000;
const ZERO = 48;

function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Epoch ms of an ISO 8601 instant (NaN for null, undefined, '' or anything Date.parse cannot read). */
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
    const year = digits(value, 0, 4);
    const month = digits(value, 5, 7);
    const day = digits(value, 8, 10);
    const hour = digits(value, 11, 13);
    const minute = digits(value, 14, 16);
    const second = digits(value, 17, 19);
    const ms = n === 24 ? digits(value, 20, 23) : 0;
    // Within these ranges Date.parse gives exactly this; outside them (24:00, a 31st of a short
    // month, a non-digit) it has rules of its own, so it decides.
    const validDay = day >= 1 && (day <= 28 || (month >= 1 && month <= 12 && day <= daysInMonth(year, month)));
    if (year >= 0 && month >= 1 && month <= 12 && validDay && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60 && ms >= 0) {
      return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
    }
  }
  return Date.parse(value);
}

/** The UTC midnight of a calendar day `YYYY-MM-DD` (NaN when Date.parse cannot read it). */
export function dayMs(value: string | null | undefined): number {
  return typeof value === 'string' && value.length > 0 ? instantMs(`${value}T00:00:00Z`) : Number.NaN;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
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
