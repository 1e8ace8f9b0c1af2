import type { FieldKind } from '../query/field-kinds.js';
import { compareCodePoints, instantBound, sortKey } from '../query/query-engine.js';
import { Constraint, Row, allPositions } from './constraint.js';

/**
 * One field's values as numbers in the engine's order (NaN for null/absent), the record positions
 * sorted by them both ways, and each record's rank in either order: sorting, paging and range filters.
 */
export class SortIndex {
  /** Record positions: non-null keys ascending (ties by id), then nulls (by id). */
  readonly ascending: Int32Array;
  /** How many of `ascending` have a key. */
  readonly nonNull: number;
  /** key[i] of record i, NaN when null. */
  readonly key: Float64Array;
  /** Distinct string values in code-point order (string-like fields only), for range bounds. */
  private readonly strings?: string[];
  /** `typeof` of every non-null value: a range over a field of one type needs no per-record type check. */
  private readonly types = new Set<string>();
  private descending?: Int32Array;
  private readonly ranks: { asc?: Int32Array; desc?: Int32Array } = {};

  /** `epochs`: an instant field's parsed column, which is its key as `sortKey` computes it. */
  constructor(
    private readonly rows: readonly Row[],
    private readonly field: string,
    kind: FieldKind,
    idRank: Int32Array,
    epochs?: Float64Array,
  ) {
    const n = rows.length;
    const key = epochs ?? new Float64Array(n);
    if (!epochs) {
      const raw = rows.map((row) => sortKey(kind, row[field]));
      if (raw.some((k) => typeof k === 'string')) {
        this.strings = [...new Set(raw.filter((k): k is string => typeof k === 'string'))].sort(compareCodePoints);
        const rankOf = new Map(this.strings.map((s, r) => [s, r]));
        for (let i = 0; i < n; i++) key[i] = raw[i] === null ? NaN : rankOf.get(raw[i] as string)!;
      } else {
        for (let i = 0; i < n; i++) key[i] = raw[i] === null ? NaN : (raw[i] as number);
      }
    }
    this.key = key;
    this.ascending = allPositions(n).sort((a, b) => {
      const ka = key[a];
      const kb = key[b];
      const na = Number.isNaN(ka);
      const nb = Number.isNaN(kb);
      if (na !== nb) return na ? 1 : -1;
      if (!na && ka !== kb) return ka - kb;
      return idRank[a] - idRank[b];
    });
    let nonNull = 0;
    while (nonNull < n && !Number.isNaN(key[this.ascending[nonNull]])) nonNull++;
    this.nonNull = nonNull;
    for (let p = 0; p < nonNull; p++) this.types.add(typeof rows[this.ascending[p]][field]);
  }

  /** Record positions in the order the engine returns them for this field ascending or descending. */
  order(desc: boolean): Int32Array {
    if (!desc) return this.ascending;
    this.descending ??= this.reverseGroups();
    return this.descending;
  }

  /** rank[i]: record i's place in `order(desc)`. */
  rank(desc: boolean): Int32Array {
    const which = desc ? 'desc' : 'asc';
    let rank = this.ranks[which];
    if (!rank) {
      const order = this.order(desc);
      rank = new Int32Array(order.length);
      for (let p = 0; p < order.length; p++) rank[order[p]] = p;
      this.ranks[which] = rank;
    }
    return rank;
  }

  get bytes(): number {
    return (
      this.ascending.byteLength +
      this.key.byteLength +
      8 * (this.strings?.length ?? 0) +
      (this.descending?.byteLength ?? 0) +
      (this.ranks.asc?.byteLength ?? 0) +
      (this.ranks.desc?.byteLength ?? 0)
    );
  }

  /** Inclusive lower (`from`) or upper (`to`) bound on the field, answered by binary search over the order. */
  rangeConstraint(bound: 'from' | 'to', kind: FieldKind, raw: unknown): Constraint {
    const { rows, field, key } = this;
    let lo = 0;
    let hi = this.nonNull;
    let test: (i: number) => boolean;
    if (kind === 'instant' || kind === 'number') {
      const limit = kind === 'instant' ? instantBound(String(raw), bound) : Number(raw);
      const typeOk = kind === 'instant' ? 'string' : 'number';
      if (Number.isNaN(limit)) return { size: 0, exact: true, candidates: () => new Int32Array(0), test: () => false };
      // Keys hold Date.parse / the number itself: the same value the predicate compares.
      if (bound === 'from') lo = this.lowerBound((k) => k >= limit);
      else hi = this.lowerBound((k) => k > limit);
      test = bound === 'from'
        ? (i) => typeof rows[i][field] === typeOk && key[i] >= limit
        : (i) => typeof rows[i][field] === typeOk && key[i] <= limit;
    } else {
      const limit = String(raw);
      const strings = this.strings ?? [];
      // Keys of string-like fields are ranks into `strings`, in code-point order.
      const rankAtLeast = lowerBoundStrings(strings, limit, false);
      const rankAbove = lowerBoundStrings(strings, limit, true);
      if (bound === 'from') lo = this.lowerBound((k) => k >= rankAtLeast);
      else hi = this.lowerBound((k) => k >= rankAbove);
      test = bound === 'from'
        ? (i) => typeof rows[i][field] === 'string' && key[i] >= rankAtLeast
        : (i) => typeof rows[i][field] === 'string' && key[i] < rankAbove;
    }
    const size = Math.max(0, hi - lo);
    const typeOk = kind === 'instant' || kind === 'day' || kind === 'string' ? 'string' : kind;
    // Every keyed value has the type the predicate asks for: the key alone decides.
    const exact = this.types.size === 1 && this.types.has(typeOk);
    if (exact) {
      const min = lo < this.nonNull ? key[this.ascending[lo]] : Infinity;
      const max = hi > 0 ? key[this.ascending[hi - 1]] : -Infinity;
      test = (i) => key[i] >= min && key[i] <= max;
    }
    return { size, exact, candidates: () => this.ascending.subarray(lo, Math.max(lo, hi)), test };
  }

  /** First position p in the non-null ascending order with pred(key) true (pred monotone). */
  private lowerBound(pred: (key: number) => boolean): number {
    let lo = 0;
    let hi = this.nonNull;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.key[this.ascending[mid]])) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Descending order: groups of equal keys in reverse, each group still by id; nulls stay last. */
  private reverseGroups(): Int32Array {
    const { ascending, nonNull, key } = this;
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
