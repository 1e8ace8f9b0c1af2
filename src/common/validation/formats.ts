import { ApiProperty } from '@nestjs/swagger';
import type { ValidationOptions } from 'class-validator';
import { Rule } from './recorded-rules.js';

/** Tenant ids: lower-case, digits, `_` and `-`, 1–64 characters, not starting with `_` or `-`. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Record ids (ticket, time entry, survey, alert): printable, no slashes, at most 128 characters. */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** `2026-01-20T09:00:00Z` (optional fraction), UTC only, a real calendar instant. */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return isRealDate(y, mo, d) && h < 24 && mi < 60 && s < 60;
}

/** `2026-01-20`, a real calendar day. */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DAY.exec(value);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    // Documented as what it is (required and nullable still come from the field's type).
    ApiProperty({ type: 'string', format: 'date-time' })(target, propertyName);
    Rule('isInstant', isInstant, { message: '$property must be an ISO 8601 UTC instant like 2026-01-20T09:00:00Z', ...options })(target, propertyName);
  };
}

export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    ApiProperty({ type: 'string', format: 'date' })(target, propertyName);
    Rule('isDay', isDay, { message: '$property must be a calendar day like 2026-01-20', ...options })(target, propertyName);
  };
}

/** The property must be at or after another instant property of the same object (when both are valid). */
export function IsNotBefore(other: string, options?: ValidationOptions): PropertyDecorator {
  return Rule(
    'isNotBefore',
    (value, object) => {
      const base = object[other];
      if (!isInstant(value) || !isInstant(base)) return true;
      return Date.parse(value) >= Date.parse(base);
    },
    { constraints: [other], message: `$property must not be before ${other}`, ...options },
  );
}
