import type { FieldKind, RecordFields } from './field-kinds.js';
import { FilterSpec, filtersOf, splitAlternatives } from './filters.js';
import type { PageMeta } from './list-query.dto.js';

/** What a list query needs to know about one kind of record. */
export interface RecordQueryDefinition<T> {
  fields: RecordFields<T>;
  /** The record's id fields: the tie-break after any sort, ascending by code point. */
  idFields: readonly (keyof T & string)[];
  /** e.g. `-updated_at_remote` */
  defaultSort: string;
  /** The query DTO class whose properties carry the filter declarations. */
  queryClass: abstract new () => unknown;
}

export interface ListQueryValues {
  page?: number;
  page_size?: number;
  sort?: string;
}

export interface Page<T> {
  data: T[];
  meta: PageMeta;
}

type Row = Record<string, unknown>;
type Predicate = (row: Row) => boolean;

const UTC_DAY_END = 'T23:59:59.999Z';

/** Instants compare as epoch milliseconds; a day-only bound covers the whole UTC day. */
export function instantBound(value: string, bound: 'from' | 'to'): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(bound === 'from' ? `${value}T00:00:00Z` : `${value}${UTC_DAY_END}`);
  return Date.parse(value);
}

function toPredicate(spec: FilterSpec, raw: unknown): Predicate | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  switch (spec.kind) {
    case 'match': {
      const wanted = new Set<unknown>(
        splitAlternatives(String(raw)).map((v) => (spec.valueKind === 'boolean' ? v === 'true' : v)),
      );
      return (row) => wanted.has(row[spec.field]);
    }
    case 'text': {
      const needle = String(raw).toLowerCase();
      return (row) => spec.fields.some((f) => typeof row[f] === 'string' && (row[f] as string).toLowerCase().includes(needle));
    }
    case 'range':
      return rangePredicate(spec.field, spec.bound, spec.valueKind, raw);
  }
}

function rangePredicate(field: string, bound: 'from' | 'to', kind: FieldKind, raw: unknown): Predicate {
  const inside = (cmp: number) => (bound === 'from' ? cmp >= 0 : cmp <= 0);
  if (kind === 'instant') {
    const limit = instantBound(String(raw), bound);
    return (row) => typeof row[field] === 'string' && inside(Date.parse(row[field] as string) - limit);
  }
  if (kind === 'number') {
    const limit = Number(raw);
    return (row) => typeof row[field] === 'number' && inside((row[field] as number) - limit);
  }
  const limit = String(raw);
  return (row) => typeof row[field] === 'string' && inside(compareCodePoints(row[field] as string, limit));
}

/** Code-point order (not UTF-16 unit order, not locale order): astral characters sort after U+E000–U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

export function sortKey(kind: FieldKind, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'instant':
      return Date.parse(value as string);
    case 'number':
      return value as number;
    case 'boolean':
      return value ? 1 : 0;
    default:
      return String(value);
  }
}

function compareKeys(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : compareCodePoints(String(a), String(b));
}

/**
 * Filter, sort and page in one linear pass: what a list answers, stated plainly. Routes answer through
 * `RecordIndex`; this is the oracle the differential tests compare it with.
 * Nulls sort last in either direction; ties break on the record's id fields, ascending.
 */
export function runQuery<T>(records: readonly T[], query: ListQueryValues, def: RecordQueryDefinition<T>): Page<T> {
  const predicates = filtersOf(def.queryClass)
    .map((spec) => toPredicate(spec, (query as Record<string, unknown>)[spec.param]))
    .filter((p): p is Predicate => p !== undefined);
  const rows = (records as readonly Row[]).filter((row) => predicates.every((p) => p(row)));

  const sort = query.sort ?? def.defaultSort;
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const kind = (def.fields as Record<string, FieldKind>)[field];
  const keyed = rows.map((row) => ({ row, key: sortKey(kind, row[field]) }));
  keyed.sort((x, y) => {
    if (x.key !== y.key) {
      if (x.key === null) return 1;
      if (y.key === null) return -1;
      const cmp = compareKeys(x.key, y.key);
      if (cmp !== 0) return descending ? -cmp : cmp;
    }
    for (const id of def.idFields) {
      const cmp = compareCodePoints(String(x.row[id]), String(y.row[id]));
      if (cmp !== 0) return cmp;
    }
    return 0;
  });

  const page = query.page ?? 1;
  const pageSize = query.page_size ?? 50;
  const start = (page - 1) * pageSize;
  return {
    data: keyed.slice(start, start + pageSize).map((k) => k.row as T),
    meta: { total: keyed.length, page, page_size: pageSize },
  };
}
