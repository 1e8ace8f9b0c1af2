import type { FieldKind } from './field-kinds.js';
import { FilterSpec, filtersOf, splitAlternatives } from './filters.js';
import { dayMs, instantMs } from './instants.js';
import { ListQueryValues, Page, RecordQueryDefinition, compareCodePoints, instantBound, sortKey } from './query-engine.js';

type Row = Record<string, unknown>;

/** A filter turned into something the planner can drive from (`candidates`) or check against (`test`). */
interface Constraint {
  /** How many records `candidates()` yields (an upper bound for the trigram index). */
  size: number;
  /** `candidates()` yields exactly the records that pass `test`, so the driver need not re-test them. */
  exact: boolean;
  candidates(): ArrayLike<number>;
  test(index: number): boolean;
}

/** Field values turned into numbers with the same order as the engine's keys; NaN for null/absent. */
interface SortIndex {
  /** Record positions: non-null keys ascending (ties by id), then nulls (by id). */
  ascending: Int32Array;
  /** How many of `ascending` have a key. */
  nonNull: number;
  /** key[i] of record i, NaN when null. */
  key: Float64Array;
  /** Distinct string values in code-point order (string-like fields only), for range bounds. */
  strings?: string[];
  /** `typeof` of every non-null value: a range over a field of one type needs no per-record type check. */
  types: Set<string>;
}

/** A field's values as small integers, for filters checked record by record. */
interface ValueCodes {
  codes: Int32Array;
  byValue: Map<unknown, { code: number; positions: Int32Array }>;
  /** The values and their posting lists by code, listed on first use. */
  values?: unknown[];
  positions?: Int32Array[];
}

/** Where the serialised records of a page are kept, so the reply is assembled without stringifying them again. */
export const PRESERIALISED = Symbol('preserialised');

interface Preserialised {
  data: readonly unknown[];
  positions: ArrayLike<number>;
  snapshot: RecordSnapshot<unknown>;
}

/** V8 costs used by `bytes`: a string's header, a Map entry with its key string, a typed array's objects. */
const STRING_HEADER_BYTES = 24;
const MAP_ENTRY_BYTES = 64;
const TYPED_ARRAY_BYTES = 160;

/** Below this many records `q` scans: an index would cost more memory than the scan costs time. */
const TRIGRAM_MIN_RECORDS = 4096;
/** Buckets grow with the records (8 per record), up to 2^20: a small tenant gets a small table. */
const trigramBucketsFor = (n: number) => Math.min(1 << 20, 2 ** Math.ceil(Math.log2(n * 8)));
/** Sorting the matches' ranks beats walking the whole sort order when m·log2(m) < n. */
const walkIsCheaper = (matches: number, n: number) => matches * Math.log2(matches + 2) >= n;

/**
 * One kind of record of one tenant at one data version, immutable, with indexes built on first
 * use: an id map, posting lists per equality-filter value, sort orders per field and direction
 * (which also answer range filters by binary search), a trigram index for `q`, and each record's
 * JSON. Answers exactly what `runQuery` answers over the same records — that engine stays as the
 * oracle of the differential test.
 */
export class RecordSnapshot<T> {
  private readonly rows: readonly Row[];
  private readonly specs: readonly FilterSpec[];
  private idRankCache?: Int32Array;
  private readonly sorts = new Map<string, SortIndex>();
  private readonly descending = new Map<string, Int32Array>();
  private readonly ranks = new Map<string, Int32Array>();
  private readonly values = new Map<string, ValueCodes>();
  private readonly trigrams = new Map<string, TrigramIndex>();
  /** Working memory of `match` and `pageOf`, made on first use and reused by every query (see there). */
  private matchScratch?: Int32Array;
  private memberScratch?: Uint8Array;
  private rankScratch?: Int32Array;
  private idMap?: Map<string, number>;
  /** Ids held by more than one record: the last one's position (`idMap` keeps the first). */
  private lastOfDuplicate?: Map<string, number>;
  private readonly epochs = new Map<string, Float64Array>();
  private readonly timeOrders = new Map<string, TimeOrder>();
  /**
   * Each record's JSON. Kept as strings: pages assembled as Buffers (tried) saved the UTF-8 write but
   * held their memory until a full collection, and RSS grew by ~100 MiB per 5 s of list traffic.
   */
  private readonly json: (string | undefined)[];
  private jsonBytes = 0;

  constructor(
    readonly records: readonly T[],
    private readonly def: RecordQueryDefinition<T>,
  ) {
    this.rows = records as readonly Row[];
    this.specs = filtersOf(def.queryClass);
    this.json = new Array<string | undefined>(records.length);
  }

  get size(): number {
    return this.rows.length;
  }

  /** The record whose id fields equal `ids` (in the definition's id field order). */
  byId(...ids: string[]): T | undefined {
    const index = this.ids().first.get(ids.join('\u0000'));
    return index === undefined ? undefined : this.records[index];
  }

  /** Position of the last record whose id fields equal `ids`, or -1. */
  lastIndexById(...ids: string[]): number {
    const key = ids.join('\u0000');
    const { first, last } = this.ids();
    return last.get(key) ?? first.get(key) ?? -1;
  }

  private ids(): { first: Map<string, number>; last: Map<string, number> } {
    if (!this.idMap || !this.lastOfDuplicate) {
      const first = new Map<string, number>();
      const last = new Map<string, number>();
      for (let i = this.rows.length - 1; i >= 0; i--) {
        const key = this.idKey(this.rows[i]);
        const later = first.get(key);
        if (later !== undefined && !last.has(key)) last.set(key, later);
        first.set(key, i);
      }
      this.idMap = first;
      this.lastOfDuplicate = last;
    }
    return { first: this.idMap, last: this.lastOfDuplicate };
  }

  /** Each record's `field` value as a small integer (`values[code]` is the value): the equality filters' codes. */
  codesOf(field: keyof T & string): { codes: Int32Array; values: readonly unknown[]; positions: readonly Int32Array[]; codeOf(value: unknown): number } {
    const index = this.valueCodes(field);
    index.values ??= [...index.byValue.keys()];
    index.positions ??= [...index.byValue.values()].map((v) => v.positions);
    return { codes: index.codes, values: index.values, positions: index.positions, codeOf: (value) => index.byValue.get(value)?.code ?? -1 };
  }

  /** Positions (ascending) of the records whose `field` is exactly `value` — the equality filters' posting list. */
  positionsWhere(field: keyof T & string, value: unknown): Int32Array {
    return this.valueCodes(field).byValue.get(value)?.positions ?? EMPTY;
  }

  /**
   * Epoch ms of an instant field (as Date.parse reads it) or of a day field's UTC midnight, per
   * record, NaN when null or unreadable; parsed once per snapshot. An instant field's column is
   * also its sort and range index's key.
   */
  epochColumn(field: keyof T & string): Float64Array {
    let column = this.epochs.get(field);
    if (!column) {
      const kind = (this.def.fields as Record<string, FieldKind>)[field];
      if (kind !== 'instant' && kind !== 'day') throw new Error(`${field} is not an instant or a day field`);
      column = kind === 'instant' ? instantColumn(this.rows, field) : dayColumn(this.rows, field);
      this.epochs.set(field, column);
    }
    return column;
  }

  /**
   * Positions of the records whose `field` (instant or day) lies in `[from, to)` in epoch ms, in
   * ascending time order (not record order): a binary search over the field's sorted order.
   */
  positionsBetween(field: keyof T & string, from: number, to: number): Int32Array {
    const { order, nonNull, column } = this.timeOrder(field);
    return positionsInRange(order.subarray(0, nonNull), column, from, to);
  }

  /** The greatest epoch ms of `field` over the records, or NaN when none has one. */
  maxEpoch(field: keyof T & string): number {
    const { order, nonNull, column } = this.timeOrder(field);
    return nonNull === 0 ? Number.NaN : column[order[nonNull - 1]];
  }

  /** Record positions ascending by the field's epoch ms, those with none (NaN) after `nonNull`. */
  private timeOrder(field: string): TimeOrder {
    let time = this.timeOrders.get(field);
    if (!time) {
      const column = this.epochColumn(field as keyof T & string);
      // An instant field's sort index is keyed by this very column; a day field's orders the day
      // text, which is chronological for well-formed days: shared when that holds, else its own.
      const index = this.sortIndex(field);
      let shared = true;
      for (let p = 0; p < index.nonNull && shared; p++) {
        const ms = column[index.ascending[p]];
        shared = !Number.isNaN(ms) && (p === 0 || column[index.ascending[p - 1]] <= ms);
      }
      for (let p = index.nonNull; p < index.ascending.length && shared; p++) shared = Number.isNaN(column[index.ascending[p]]);
      if (shared) time = { order: index.ascending, nonNull: index.nonNull, column };
      else {
        const order = allPositions(column.length).sort((a, b) => {
          const [x, y] = [column[a], column[b]];
          if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? a - b : 1) : -1;
          return x - y || a - b;
        });
        let nonNull = 0;
        while (nonNull < order.length && !Number.isNaN(column[order[nonNull]])) nonNull++;
        time = { order, nonNull, column };
      }
      this.timeOrders.set(field, time);
    }
    return time;
  }

  /** Filter, sort and page, as `runQuery` does; the page carries its records' JSON for the reply serializer. */
  query(query: ListQueryValues): Page<T> {
    const values = query as Record<string, unknown>;
    const sort = query.sort ?? this.def.defaultSort;
    const desc = sort.startsWith('-');
    const field = desc ? sort.slice(1) : sort;
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? 50;
    const start = (page - 1) * pageSize;
    const n = this.rows.length;

    const constraints: Constraint[] = [];
    for (const spec of this.specs) {
      const raw = values[spec.param];
      if (raw === undefined || raw === null || raw === '') continue;
      constraints.push(this.constraint(spec, raw));
    }

    let positions: ArrayLike<number>;
    let total: number;
    if (constraints.length === 0) {
      total = n;
      positions = start >= n ? [] : this.order(field, desc).subarray(start, Math.min(n, start + pageSize));
    } else {
      const matches = this.match(constraints);
      total = matches.length;
      positions = start >= total ? [] : this.pageOf(matches, field, desc, start, pageSize);
    }

    const data: T[] = new Array<T>(positions.length);
    for (let k = 0; k < positions.length; k++) data[k] = this.records[positions[k]];
    const result: Page<T> = { data, meta: { total, page, page_size: pageSize } };
    const pre: Preserialised = { data, positions, snapshot: this as unknown as RecordSnapshot<unknown> };
    Object.defineProperty(result, PRESERIALISED, { value: pre });
    return result;
  }

  /** Record i's JSON, serialised the first time a reply needs it and kept with the snapshot. */
  private jsonAt(i: number): string {
    let json = this.json[i];
    if (json === undefined) {
      json = this.json[i] = JSON.stringify(this.rows[i]);
      this.jsonBytes += STRING_HEADER_BYTES + json.length;
    }
    return json;
  }

  /**
   * An estimate of the bytes this snapshot holds besides its records: the indexes and JSON built so
   * far (they grow as queries use them). Typed arrays count exactly; maps and strings at V8's usual cost.
   */
  get bytes(): number {
    const n = this.rows.length;
    let bytes = 8 * n + this.jsonBytes + (this.idRankCache?.byteLength ?? 0) + (this.idMap ? this.idMap.size * MAP_ENTRY_BYTES : 0);
    for (const s of this.sorts.values()) bytes += s.ascending.byteLength + s.key.byteLength + 8 * (s.strings?.length ?? 0);
    for (const order of this.descending.values()) bytes += order.byteLength;
    for (const rank of this.ranks.values()) bytes += rank.byteLength;
    for (const v of this.values.values()) bytes += v.codes.byteLength + 4 * n + v.byValue.size * (MAP_ENTRY_BYTES + TYPED_ARRAY_BYTES);
    for (const t of this.trigrams.values()) bytes += t.offsets.byteLength + t.postings.byteLength + t.lowerBytes;
    bytes += (this.matchScratch?.byteLength ?? 0) + (this.memberScratch?.byteLength ?? 0) + (this.rankScratch?.byteLength ?? 0);
    return bytes;
  }

  private match(constraints: Constraint[]): Int32Array {
    let driver = constraints[0];
    for (const c of constraints) if (c.size < driver.size) driver = c;
    const others = constraints.filter((c) => c !== driver);
    const candidates = driver.candidates();
    if (driver.exact && others.length === 0) return candidates instanceof Int32Array ? candidates : Int32Array.from(candidates);
    // Candidates never outnumber the records; the matches live only until the page is taken (a query
    // runs start to end without yielding), so one array per snapshot serves every query.
    const out = (this.matchScratch ??= new Int32Array(this.rows.length));
    let m = 0;
    outer: for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k];
      if (!driver.exact && !driver.test(i)) continue;
      for (const c of others) if (!c.test(i)) continue outer;
      out[m++] = i;
    }
    return out.subarray(0, m);
  }

  private pageOf(matches: Int32Array, field: string, desc: boolean, start: number, pageSize: number): ArrayLike<number> {
    const n = this.rows.length;
    const order = this.order(field, desc);
    const end = Math.min(matches.length, start + pageSize);
    if (walkIsCheaper(matches.length, n)) {
      // Marks kept with the snapshot and cleared after the walk: a fresh n-byte array per request was
      // most of what a list request allocated.
      const member = (this.memberScratch ??= new Uint8Array(n));
      for (let k = 0; k < matches.length; k++) member[matches[k]] = 1;
      const out: number[] = [];
      let seen = 0;
      for (let p = 0; p < n && seen < end; p++) {
        const i = order[p];
        if (member[i] === 0) continue;
        if (seen >= start) out.push(i);
        seen++;
      }
      for (let k = 0; k < matches.length; k++) member[matches[k]] = 0;
      return out;
    }
    const rank = this.rankOf(field, desc);
    const ranks = (this.rankScratch ??= new Int32Array(n)).subarray(0, matches.length);
    for (let k = 0; k < matches.length; k++) ranks[k] = rank[matches[k]];
    ranks.sort();
    const out = new Array<number>(end - start);
    for (let k = start; k < end; k++) out[k - start] = order[ranks[k]];
    return out;
  }

  private constraint(spec: FilterSpec, raw: unknown): Constraint {
    switch (spec.kind) {
      case 'match':
        return this.matchConstraint(spec.field, spec.valueKind, String(raw));
      case 'range':
        return this.rangeConstraint(spec.field, spec.bound, spec.valueKind, raw);
      case 'text':
        return this.textConstraint(spec.fields, String(raw).toLowerCase());
    }
  }

  private matchConstraint(field: string, valueKind: 'string' | 'boolean', raw: string): Constraint {
    const wanted = new Set<unknown>(splitAlternatives(raw).map((v) => (valueKind === 'boolean' ? v === 'true' : v)));
    const { codes, byValue } = this.valueCodes(field);
    const hits = [...wanted].map((v) => byValue.get(v)).filter((h) => h !== undefined);
    const allowed = new Uint8Array(byValue.size);
    for (const h of hits) allowed[h.code] = 1;
    const size = hits.reduce((sum, h) => sum + h.positions.length, 0);
    return {
      size,
      exact: true,
      candidates: () => {
        if (hits.length === 1) return hits[0].positions;
        const all = new Int32Array(size);
        let at = 0;
        for (const h of hits) {
          all.set(h.positions, at);
          at += h.positions.length;
        }
        return all;
      },
      test: (i) => allowed[codes[i]] === 1,
    };
  }

  private rangeConstraint(field: string, bound: 'from' | 'to', kind: FieldKind, raw: unknown): Constraint {
    const index = this.sortIndex(field);
    const rows = this.rows;
    let lo = 0;
    let hi = index.nonNull;
    let test: (i: number) => boolean;
    if (kind === 'instant' || kind === 'number') {
      const limit = kind === 'instant' ? instantBound(String(raw), bound) : Number(raw);
      const typeOk = kind === 'instant' ? 'string' : 'number';
      if (Number.isNaN(limit)) return { size: 0, exact: true, candidates: () => new Int32Array(0), test: () => false };
      // Keys hold Date.parse / the number itself: the same value the predicate compares.
      const firstAtLeast = this.lowerBound(index, (key) => key >= limit);
      const firstAbove = this.lowerBound(index, (key) => key > limit);
      if (bound === 'from') lo = firstAtLeast;
      else hi = firstAbove;
      test = bound === 'from'
        ? (i) => typeof rows[i][field] === typeOk && index.key[i] >= limit
        : (i) => typeof rows[i][field] === typeOk && index.key[i] <= limit;
    } else {
      const limit = String(raw);
      const strings = index.strings ?? [];
      // Keys of string-like fields are ranks into `strings`, in code-point order.
      const rankAtLeast = lowerBoundStrings(strings, limit, false);
      const rankAbove = lowerBoundStrings(strings, limit, true);
      if (bound === 'from') lo = this.lowerBound(index, (key) => key >= rankAtLeast);
      else hi = this.lowerBound(index, (key) => key >= rankAbove);
      test = bound === 'from'
        ? (i) => typeof rows[i][field] === 'string' && index.key[i] >= rankAtLeast
        : (i) => typeof rows[i][field] === 'string' && index.key[i] < rankAbove;
    }
    const size = Math.max(0, hi - lo);
    const typeOk = kind === 'instant' || kind === 'day' || kind === 'string' ? 'string' : kind;
    // Every keyed value has the type the predicate asks for: the key alone decides.
    const exact = index.types.size === 1 && index.types.has(typeOk);
    if (exact) {
      const key = index.key;
      const [min, max] = [lo < index.nonNull ? key[index.ascending[lo]] : Infinity, hi > 0 ? key[index.ascending[hi - 1]] : -Infinity];
      test = (i) => key[i] >= min && key[i] <= max;
    }
    return { size, exact, candidates: () => index.ascending.subarray(lo, Math.max(lo, hi)), test };
  }

  /** First position p in the non-null ascending order with pred(key) true (pred monotone). */
  private lowerBound(index: SortIndex, pred: (key: number) => boolean): number {
    let lo = 0;
    let hi = index.nonNull;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(index.key[index.ascending[mid]])) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private textConstraint(fields: string[], needle: string): Constraint {
    const rows = this.rows;
    const key = fields.join(',');
    let index = this.trigrams.get(key);
    // Once the index exists, the exact check reads the lower-cased texts it kept: no lower-casing per
    // candidate and request.
    const lowered = (lower: (string | undefined)[][]) => (i: number) => lower.some((texts) => texts[i] !== undefined && texts[i].includes(needle));
    if (needle.length < 3 || rows.length < TRIGRAM_MIN_RECORDS) {
      const n = rows.length;
      const test = index
        ? lowered(index.lower)
        : (i: number) => fields.some((f) => typeof rows[i][f] === 'string' && (rows[i][f] as string).toLowerCase().includes(needle));
      return { size: n, exact: false, candidates: () => allPositions(n), test };
    }
    if (!index) {
      index = buildTrigramIndex(this.rows, fields);
      this.trigrams.set(key, index);
    }
    const found = this.trigramCandidates(index, needle);
    return { size: found.length, exact: false, candidates: () => found, test: lowered(index.lower) };
  }

  private trigramCandidates(index: TrigramIndex, needle: string): Int32Array {
    const buckets = [...new Set(trigramBuckets(needle, index.offsets.length - 1))];
    const lists = buckets.map((b) => index.postings.subarray(index.offsets[b], index.offsets[b + 1])).sort((a, b) => a.length - b.length);
    let current: Int32Array = lists[0];
    for (let l = 1; l < lists.length && current.length > 0; l++) current = intersectSorted(current, lists[l]);
    return current;
  }

  private valueCodes(field: string): ValueCodes {
    let index = this.values.get(field);
    if (!index) {
      const grouped = new Map<unknown, number[]>();
      this.rows.forEach((row, i) => {
        const list = grouped.get(row[field]);
        if (list) list.push(i);
        else grouped.set(row[field], [i]);
      });
      const codes = new Int32Array(this.rows.length);
      const byValue = new Map<unknown, { code: number; positions: Int32Array }>();
      for (const [value, list] of grouped) {
        const code = byValue.size;
        for (const i of list) codes[i] = code;
        byValue.set(value, { code, positions: Int32Array.from(list) });
      }
      index = { codes, byValue };
      this.values.set(field, index);
    }
    return index;
  }

  /** Record positions in the order the engine returns them for `field` ascending or descending. */
  private order(field: string, desc: boolean): Int32Array {
    const index = this.sortIndex(field);
    if (!desc) return index.ascending;
    let order = this.descending.get(field);
    if (!order) {
      order = reverseGroups(index);
      this.descending.set(field, order);
    }
    return order;
  }

  private rankOf(field: string, desc: boolean): Int32Array {
    const key = `${desc ? '-' : ''}${field}`;
    let rank = this.ranks.get(key);
    if (!rank) {
      const order = this.order(field, desc);
      rank = new Int32Array(order.length);
      for (let p = 0; p < order.length; p++) rank[order[p]] = p;
      this.ranks.set(key, rank);
    }
    return rank;
  }

  private sortIndex(field: string): SortIndex {
    let index = this.sorts.get(field);
    if (!index) {
      const kind = (this.def.fields as Record<string, FieldKind>)[field];
      const epochs = kind === 'instant' ? this.epochColumn(field as keyof T & string) : undefined;
      index = buildSortIndex(this.rows, field, kind, this.idRank(), epochs);
      this.sorts.set(field, index);
    }
    return index;
  }

  /** Each record's place when ordered by its id fields (code points), then by position: the final tie-break. */
  private idRank(): Int32Array {
    if (!this.idRankCache) {
      const n = this.rows.length;
      const ids = this.rows.map((row) => this.def.idFields.map((f) => String(row[f])));
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
        for (let f = 0; f < this.def.idFields.length; f++) {
          const cmp = compareCodePoints(ids[a][f], ids[b][f]);
          if (cmp !== 0) return cmp;
        }
        return a - b;
      });
      const rank = new Int32Array(n);
      order.forEach((i, p) => (rank[i] = p));
      this.idRankCache = rank;
    }
    return this.idRankCache;
  }

  private idKey(row: Row): string {
    return this.def.idFields.map((f) => String(row[f])).join('\u0000');
  }

  /** The JSON of the records of a page built by `query`, or undefined for any other value. */
  static preserialisedBody(payload: unknown): string | undefined {
    if (typeof payload !== 'object' || payload === null) return undefined;
    const pre = (payload as { [PRESERIALISED]?: Preserialised })[PRESERIALISED];
    const page = payload as Page<unknown>;
    if (!pre || page.data !== pre.data || pre.positions.length !== page.data.length) return undefined;
    const keys = Object.keys(payload);
    if (keys.length !== 2 || keys[0] !== 'data' || keys[1] !== 'meta') return undefined;
    const json = new Array<string>(pre.positions.length);
    for (let k = 0; k < json.length; k++) {
      if (page.data[k] !== pre.snapshot.records[pre.positions[k]]) return undefined;
      json[k] = pre.snapshot.jsonAt(pre.positions[k]);
    }
    return `{"data":[${json.join(',')}],"meta":${JSON.stringify(page.meta)}}`;
  }
}

const EMPTY = new Int32Array(0);

interface TimeOrder {
  order: Int32Array;
  nonNull: number;
  column: Float64Array;
}

/**
 * The part of `order` (positions ascending by `column`, none NaN) whose values lie in `[from, to)`:
 * two binary searches.
 */
export function positionsInRange(order: Int32Array, column: Float64Array, from: number, to: number): Int32Array {
  const first = (limit: number) => {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (column[order[mid]] >= limit) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const lo = first(from);
  return order.subarray(lo, Math.max(lo, first(to)));
}

function allPositions(n: number): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  return all;
}

/** Date.parse of each value (sortKey's instant key), NaN for null/undefined. */
function instantColumn(rows: readonly Row[], field: string): Float64Array {
  const column = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i][field];
    column[i] = value === null || value === undefined ? Number.NaN : typeof value === 'string' ? instantMs(value) : Date.parse(value as string);
  }
  return column;
}

/** The UTC midnight of each day, parsed once per distinct day. */
function dayColumn(rows: readonly Row[], field: string): Float64Array {
  const column = new Float64Array(rows.length);
  const seen = new Map<unknown, number>();
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i][field];
    let ms = seen.get(value);
    if (ms === undefined) seen.set(value, (ms = typeof value === 'string' ? dayMs(value) : Number.NaN));
    column[i] = ms;
  }
  return column;
}

function buildSortIndex(rows: readonly Row[], field: string, kind: FieldKind, idRank: Int32Array, epochs?: Float64Array): SortIndex {
  const n = rows.length;
  // An instant's key is its epoch ms (NaN for null), as sortKey computes it: the shared column itself.
  const key = epochs ?? new Float64Array(n);
  let strings: string[] | undefined;
  const raw = epochs ? [] : rows.map((row) => sortKey(kind, row[field]));
  if (epochs) {
    // keyed already
  } else if (raw.some((k) => typeof k === 'string')) {
    strings = [...new Set(raw.filter((k): k is string => typeof k === 'string'))].sort(compareCodePoints);
    const rankOf = new Map(strings.map((s, r) => [s, r]));
    for (let i = 0; i < n; i++) key[i] = raw[i] === null ? NaN : rankOf.get(raw[i] as string)!;
  } else {
    for (let i = 0; i < n; i++) key[i] = raw[i] === null ? NaN : (raw[i] as number);
  }
  const ascending = allPositions(n).sort((a, b) => {
    const ka = key[a];
    const kb = key[b];
    const na = Number.isNaN(ka);
    const nb = Number.isNaN(kb);
    if (na !== nb) return na ? 1 : -1;
    if (!na && ka !== kb) return ka - kb;
    return idRank[a] - idRank[b];
  });
  let nonNull = 0;
  while (nonNull < n && !Number.isNaN(key[ascending[nonNull]])) nonNull++;
  const types = new Set<string>();
  for (let p = 0; p < nonNull; p++) types.add(typeof rows[ascending[p]][field]);
  return { ascending, nonNull, key, strings, types };
}

/** Descending order: groups of equal keys in reverse, each group still by id; nulls stay last. */
function reverseGroups(index: SortIndex): Int32Array {
  const { ascending, nonNull, key } = index;
  const out = new Int32Array(ascending.length);
  let at = 0;
  let end = nonNull;
  while (end > 0) {
    let begin = end - 1;
    while (begin > 0 && key[ascending[begin - 1]] === key[ascending[end - 1]]) begin--;
    out.set(ascending.subarray(begin, end), at);
    at += end - begin;
    end = begin;
  }
  out.set(ascending.subarray(nonNull), at);
  return out;
}

/** Rank of the first string ≥ limit (or > limit when `strict`) in code-point order. */
function lowerBoundStrings(strings: readonly string[], limit: string, strict: boolean): number {
  let lo = 0;
  let hi = strings.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = compareCodePoints(strings[mid], limit);
    if (strict ? cmp > 0 : cmp >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function trigramBuckets(text: string, buckets: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + 2 < text.length; i++) {
    const h = Math.imul(text.charCodeAt(i), 0x9e3779b1) ^ Math.imul(text.charCodeAt(i + 1), 0x85ebca6b) ^ Math.imul(text.charCodeAt(i + 2), 0xc2b2ae35);
    out.push((h ^ (h >>> 15)) & (buckets - 1));
  }
  return out;
}

interface TrigramIndex {
  offsets: Int32Array;
  postings: Int32Array;
  /** Per field, each record's text lower-cased (undefined where it is not a string): `q`'s exact check. */
  lower: (string | undefined)[][];
  lowerBytes: number;
}

/**
 * Hashed trigrams of the lower-cased text fields, as one compressed posting table (record
 * positions ascending per bucket). Collisions only add candidates; every candidate is checked exactly,
 * against the lower-cased texts kept with the table.
 */
function buildTrigramIndex(rows: readonly Row[], fields: string[]): TrigramIndex {
  const buckets = trigramBucketsFor(rows.length);
  const counts = new Int32Array(buckets + 1);
  const lastSeen = new Int32Array(buckets).fill(-1);
  let lowerBytes = 0;
  const lower = fields.map((f) =>
    rows.map((row) => {
      const value = row[f];
      if (typeof value !== 'string') return undefined;
      const text = value.toLowerCase();
      lowerBytes += STRING_HEADER_BYTES + text.length;
      return text;
    }),
  );
  const each = (visit: (bucket: number, i: number) => void) => {
    for (let i = 0; i < rows.length; i++) {
      for (const texts of lower) {
        const text = texts[i];
        if (text === undefined) continue;
        for (const b of trigramBuckets(text, buckets)) {
          if (lastSeen[b] === i) continue;
          lastSeen[b] = i;
          visit(b, i);
        }
      }
    }
  };
  each((b) => counts[b + 1]++);
  for (let b = 0; b < buckets; b++) counts[b + 1] += counts[b];
  const postings = new Int32Array(counts[buckets]);
  const fill = counts.slice(0, buckets);
  lastSeen.fill(-1);
  each((b, i) => (postings[fill[b]++] = i));
  return { offsets: counts, postings, lower, lowerBytes };
}

function intersectSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let m = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out[m++] = a[i];
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out.subarray(0, m);
}

const SNAPSHOTS = new Map<RecordQueryDefinition<never>, WeakMap<readonly unknown[], RecordSnapshot<unknown>>>();

/**
 * The snapshot of these records: built once per array, so a record list that is never mutated (a
 * mock file's records at one data version, one live cache fill) is indexed once and shared.
 */
export function snapshotOf<T>(records: readonly T[], def: RecordQueryDefinition<T>): RecordSnapshot<T> {
  let byArray = SNAPSHOTS.get(def as RecordQueryDefinition<never>);
  if (!byArray) {
    byArray = new WeakMap();
    SNAPSHOTS.set(def as RecordQueryDefinition<never>, byArray);
  }
  let snapshot = byArray.get(records) as RecordSnapshot<T> | undefined;
  if (!snapshot) {
    snapshot = new RecordSnapshot(records, def);
    byArray.set(records, snapshot as unknown as RecordSnapshot<unknown>);
  }
  return snapshot;
}

/** What the snapshots of these records hold besides the records (`bytes`), 0 when none was built. */
export function snapshotBytes(records: readonly unknown[]): number {
  let bytes = 0;
  for (const byArray of SNAPSHOTS.values()) bytes += byArray.get(records)?.bytes ?? 0;
  return bytes;
}
