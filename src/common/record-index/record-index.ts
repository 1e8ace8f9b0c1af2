import type { FieldKind } from '../query/field-kinds.js';
import { FilterSpec, filtersOf } from '../query/filters.js';
import { ListQueryValues, RecordQueryDefinition, compareCodePoints } from '../query/query-engine.js';
import { Constraint, Row } from './constraint.js';
import { IdIndex } from './id-index.js';
import { RecordJson, RecordPage } from './record-page.js';
import { SortIndex } from './sort-index.js';
import { TimeOrder, dayColumn, instantColumn } from './time-index.js';
import { TRIGRAM_MIN_RECORDS, TrigramIndex, textScan } from './trigram-index.js';
import { ValueCodes, ValueIndex } from './value-index.js';

/** Sorting the matches' ranks beats walking the whole sort order when m·log2(m) < n. */
const walkIsCheaper = (matches: number, n: number) => matches * Math.log2(matches + 2) >= n;

/** What the insights read besides `between`: the index's own columns, so nothing is parsed twice. */
export interface RecordColumns<T> {
  /** Each record's `field` value as a small integer (`values[code]` is the value), with a posting list per code. */
  codes(field: keyof T & string): ValueCodes;
  /** Epoch ms of an instant field, or of a day field's UTC midnight, per record; NaN when null or unreadable. */
  epochs(field: keyof T & string): Float64Array;
  /** The greatest epoch ms of `field` over the records, NaN when none has one. */
  newest(field: keyof T & string): number;
  /** Position of the last record whose id fields equal `ids`, or -1. */
  lastPositionOf(...ids: string[]): number;
}

/**
 * One kind of record of one tenant at one data version, immutable, with indexes built on first use.
 * Answers exactly what `runQuery` answers over the same records (the differential test's oracle).
 */
export class RecordIndex<T> {
  private readonly rows: readonly Row[];
  private readonly specs: readonly FilterSpec[];
  private readonly json: RecordJson;
  private ids?: IdIndex;
  private idRanks?: Int32Array;
  private readonly sorts = new Map<string, SortIndex>();
  private readonly values = new Map<string, ValueIndex>();
  private readonly trigrams = new Map<string, TrigramIndex>();
  private readonly epochColumns = new Map<string, Float64Array>();
  private readonly timeOrders = new Map<string, TimeOrder>();
  /** Working memory of `match` and `pageOf`, made on first use and reused by every query. */
  private matchScratch?: Int32Array;
  private memberScratch?: Uint8Array;
  private rankScratch?: Int32Array;

  readonly columns: RecordColumns<T> = {
    codes: (field) => this.valueIndex(field).valueCodes(),
    epochs: (field) => this.epochColumn(field),
    newest: (field) => this.timeOrder(field).max(),
    lastPositionOf: (...ids) => this.idIndex().lastOf(ids),
  };

  constructor(
    readonly records: readonly T[],
    private readonly def: RecordQueryDefinition<T>,
  ) {
    this.rows = records as readonly Row[];
    this.specs = filtersOf(def.queryClass);
    this.json = new RecordJson(records);
  }

  get size(): number {
    return this.rows.length;
  }

  /** Filter, sort and page, as `runQuery` does. */
  query(query: ListQueryValues): RecordPage<T> {
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
      positions = start >= n ? [] : this.sortIndex(field).order(desc).subarray(start, Math.min(n, start + pageSize));
    } else {
      const matches = this.match(constraints);
      total = matches.length;
      positions = start >= total ? [] : this.pageOf(matches, field, desc, start, pageSize);
    }

    const data: T[] = new Array<T>(positions.length);
    for (let k = 0; k < positions.length; k++) data[k] = this.records[positions[k]];
    return new RecordPage(data, { total, page, page_size: pageSize }, this.json, positions);
  }

  /** The record whose id fields equal `ids` (in the definition's id field order); the first of duplicates. */
  byId(...ids: string[]): T | undefined {
    const index = this.idIndex().firstOf(ids);
    return index === undefined ? undefined : this.records[index];
  }

  /** Positions of the records whose `field` (instant or day) lies in `[from, to)` epoch ms, in ascending time order. */
  between(field: keyof T & string, from: number, to: number): Int32Array {
    return this.timeOrder(field).between(from, to);
  }

  /** An estimate of the bytes held besides the records: the indexes and JSON built so far (they grow as queries use them). */
  get bytes(): number {
    let bytes = 8 * this.rows.length + this.json.bytes + (this.idRanks?.byteLength ?? 0) + (this.ids?.bytes ?? 0);
    for (const index of [...this.sorts.values(), ...this.values.values(), ...this.trigrams.values()]) bytes += index.bytes;
    bytes += (this.matchScratch?.byteLength ?? 0) + (this.memberScratch?.byteLength ?? 0) + (this.rankScratch?.byteLength ?? 0);
    return bytes;
  }

  private match(constraints: Constraint[]): Int32Array {
    let driver = constraints[0];
    for (const c of constraints) if (c.size < driver.size) driver = c;
    const others = constraints.filter((c) => c !== driver);
    const candidates = driver.candidates();
    if (driver.exact && others.length === 0) return candidates instanceof Int32Array ? candidates : Int32Array.from(candidates);
    // A query runs start to end without yielding and the matches live only until the page is taken: one array serves all.
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
    const sorted = this.sortIndex(field);
    const order = sorted.order(desc);
    const end = Math.min(matches.length, start + pageSize);
    if (walkIsCheaper(matches.length, n)) {
      // Marks kept with the index and cleared after the walk, so a list request allocates none.
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
    const rank = sorted.rank(desc);
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
        return this.valueIndex(spec.field).constraint(spec.valueKind, String(raw));
      case 'range':
        return this.sortIndex(spec.field).rangeConstraint(spec.bound, spec.valueKind, raw);
      case 'text':
        return this.textConstraint(spec.fields, String(raw).toLowerCase());
    }
  }

  private textConstraint(fields: string[], needle: string): Constraint {
    const key = fields.join(',');
    let index = this.trigrams.get(key);
    // Once the index exists, its lower-cased texts spare lower-casing each candidate per request.
    if (needle.length < 3 || this.rows.length < TRIGRAM_MIN_RECORDS) return index ? index.scan(needle) : textScan(this.rows, fields, needle);
    if (!index) {
      index = new TrigramIndex(this.rows, fields);
      this.trigrams.set(key, index);
    }
    return index.constraint(needle);
  }

  private valueIndex(field: string): ValueIndex {
    let index = this.values.get(field);
    if (!index) this.values.set(field, (index = new ValueIndex(this.rows, field)));
    return index;
  }

  private sortIndex(field: string): SortIndex {
    let index = this.sorts.get(field);
    if (!index) {
      const kind = (this.def.fields as Record<string, FieldKind>)[field];
      const epochs = kind === 'instant' ? this.epochColumn(field) : undefined;
      index = new SortIndex(this.rows, field, kind, this.idRank(), epochs);
      this.sorts.set(field, index);
    }
    return index;
  }

  /** Parsed once per index; an instant field's column is also its sort and range index's key. */
  private epochColumn(field: string): Float64Array {
    let column = this.epochColumns.get(field);
    if (!column) {
      const kind = (this.def.fields as Record<string, FieldKind>)[field];
      if (kind !== 'instant' && kind !== 'day') throw new Error(`${field} is not an instant or a day field`);
      column = kind === 'instant' ? instantColumn(this.rows, field) : dayColumn(this.rows, field);
      this.epochColumns.set(field, column);
    }
    return column;
  }

  private timeOrder(field: string): TimeOrder {
    let time = this.timeOrders.get(field);
    if (!time) this.timeOrders.set(field, (time = TimeOrder.of(this.epochColumn(field), this.sortIndex(field))));
    return time;
  }

  private idIndex(): IdIndex {
    this.ids ??= new IdIndex(this.rows, this.def.idFields);
    return this.ids;
  }

  /** Each record's place when ordered by its id fields (code points), then by position: the final tie-break. */
  private idRank(): Int32Array {
    if (!this.idRanks) {
      const idFields = this.def.idFields;
      const ids = this.rows.map((row) => idFields.map((f) => String(row[f])));
      const order = Array.from({ length: this.rows.length }, (_, i) => i).sort((a, b) => {
        for (let f = 0; f < idFields.length; f++) {
          const cmp = compareCodePoints(ids[a][f], ids[b][f]);
          if (cmp !== 0) return cmp;
        }
        return a - b;
      });
      const rank = new Int32Array(order.length);
      order.forEach((i, p) => (rank[i] = p));
      this.idRanks = rank;
    }
    return this.idRanks;
  }
}
