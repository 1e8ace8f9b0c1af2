import 'reflect-metadata';
import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import type { ValidationOptions } from 'class-validator';
import { Rule, TransformValue } from '../validation/recorded-rules.js';
import type { FieldKind } from './field-kinds.js';

/** What a query parameter does to the records: declared once on the query DTO property. */
export type FilterSpec =
  | { param: string; kind: 'match'; field: string; valueKind: 'string' | 'boolean' }
  | { param: string; kind: 'range'; field: string; bound: 'from' | 'to'; valueKind: FieldKind }
  | { param: string; kind: 'text'; fields: string[] };

const FILTERS = Symbol('query:filters');

function addFilter(target: object, spec: FilterSpec): void {
  const existing: FilterSpec[] = Reflect.getMetadata(FILTERS, target.constructor) ?? [];
  Reflect.defineMetadata(FILTERS, [...existing, spec], target.constructor);
}

export function filtersOf(dto: abstract new () => unknown): FilterSpec[] {
  return Reflect.getMetadata(FILTERS, dto) ?? [];
}

/** Repeated parameters (`?status=New&status=Waiting`) mean the same as a comma list. */
const joinRepeated = TransformValue((value) => (Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(',') : value));

/**
 * Exact, case-sensitive match on `field`; a comma or a repeated parameter separates alternatives, and
 * the OpenAPI document says both: an array, one item per occurrence (`style: form, explode: true`), each
 * item one value or a comma list. With `values`, each alternative is one of them.
 */
export function MatchFilter(field: string, valueKind: 'string' | 'boolean' = 'string', values?: readonly string[]): PropertyDecorator {
  const item = { type: 'string', pattern: values ? commaListOf(values) : NON_EMPTY_ALTERNATIVES };
  // `style`/`explode` are parameter fields @nestjs/swagger passes through but does not type.
  const documented = ApiPropertyOptional({ type: 'array', items: item, style: 'form', explode: true } as ApiPropertyOptions);
  return (target, param) => {
    addFilter(target, { param: param as string, kind: 'match', field, valueKind });
    joinRepeated(target, param);
    documented(target, param);
  };
}

/** One or more non-empty alternatives, split as splitAlternatives splits them (`\,` and `\\` escape; any other backslash is itself). */
const NON_EMPTY_ALTERNATIVES = String.raw`^(?:[^,\\]|\\[\s\S]|\\$)+(?:,(?:[^,\\]|\\[\s\S]|\\$)+)*$`;

/** A regular expression for one or more of `values`, comma-separated. */
function commaListOf(values: readonly string[]): string {
  const one = `(?:${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
  return `^${one}(?:,${one})*$`;
}

/** Inclusive lower (`from`) or upper (`to`) bound on `field`. */
export function RangeFilter(field: string, bound: 'from' | 'to', valueKind: FieldKind): PropertyDecorator {
  return (target, param) => addFilter(target, { param: param as string, kind: 'range', field, bound, valueKind });
}

/** Case-insensitive substring of any of `fields`. */
export function TextFilter(fields: string[]): PropertyDecorator {
  return (target, param) => addFilter(target, { param: param as string, kind: 'text', fields });
}

/**
 * Splits a comma list: `New,Waiting` → New | Waiting. `\,` is a literal comma and `\\` a literal
 * backslash (`company=Huel\, Ward and Schoen`). Empty alternatives are kept so validation rejects them.
 */
export function splitAlternatives(value: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (value[i + 1] === ',' || value[i + 1] === '\\')) current += value[++i];
    else if (c === ',') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/** Each comma-separated alternative is one of `allowed`. */
export function IsListOf(allowed: readonly string[], options?: ValidationOptions): PropertyDecorator {
  return Rule('isListOf', (value) => typeof value === 'string' && splitAlternatives(value).every((v) => allowed.includes(v)), {
    constraints: [allowed],
    message: `$property must be one or more of ${allowed.join(', ')}, separated by commas`,
    ...options,
  });
}

/** A comma list of non-empty values. */
export function IsList(options?: ValidationOptions): PropertyDecorator {
  return Rule('isList', (value) => typeof value === 'string' && splitAlternatives(value).every((v) => v.length > 0 && v.length <= 256), {
    message: '$property must be one or more non-empty values separated by commas',
    ...options,
  });
}

const INSTANT_PARAM = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A query-string `+` arrives as a space: `...T09:00:00 02:00` was meant as `+02:00`. */
export const RestorePlusInOffset = TransformValue((value) => (typeof value === 'string' ? value.replace(/ (\d{2}:\d{2})$/, '+$1') : value));

/** An ISO 8601 instant with `Z` or an offset, or a calendar day (a whole UTC day). */
export function IsInstantParam(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    RestorePlusInOffset(target, propertyName);
    Rule('isInstantParam', isInstantParam, {
      message: '$property must be an ISO 8601 instant like 2026-01-20T09:00:00Z (or a day like 2026-01-20)',
      ...options,
    })(target, propertyName);
  };
}

function isInstantParam(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    INSTANT_PARAM.test(value) &&
    !Number.isNaN(Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)) &&
    isRealDay(value.slice(0, 10))
  );
}

function isRealDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** Plain decimal digits only (`0x10`, `1e1`, `2.0`, ` 1` stay strings, so IsInt rejects them). */
export const ToInteger = () => TransformValue((value) => (typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value));
