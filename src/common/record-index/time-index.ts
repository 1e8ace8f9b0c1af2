import { dayMs, instantMs } from '../query/instants.js';
import { Row, allPositions } from './constraint.js';
import type { SortIndex } from './sort-index.js';

/** Record positions ascending by a field's epoch ms; those with none (NaN) after `nonNull`. */
export class TimeOrder {
  private constructor(
    readonly order: Int32Array,
    readonly nonNull: number,
    readonly column: Float64Array,
  ) {}

  /**
   * An instant field's sort index is keyed by this very column; a day field's orders the day text,
   * which is chronological for well-formed days: shared when that holds, else sorted on its own.
   */
  static of(column: Float64Array, index: SortIndex): TimeOrder {
    let shared = true;
    for (let p = 0; p < index.nonNull && shared; p++) {
      const ms = column[index.ascending[p]];
      shared = !Number.isNaN(ms) && (p === 0 || column[index.ascending[p - 1]] <= ms);
    }
    for (let p = index.nonNull; p < index.ascending.length && shared; p++) shared = Number.isNaN(column[index.ascending[p]]);
    if (shared) return new TimeOrder(index.ascending, index.nonNull, column);
    const order = allPositions(column.length).sort((a, b) => {
      const [x, y] = [column[a], column[b]];
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? a - b : 1) : -1;
      return x - y || a - b;
    });
    let nonNull = 0;
    while (nonNull < order.length && !Number.isNaN(column[order[nonNull]])) nonNull++;
    return new TimeOrder(order, nonNull, column);
  }

  /** Positions whose value lies in `[from, to)`, in ascending time order. */
  between(from: number, to: number): Int32Array {
    return positionsInRange(this.order.subarray(0, this.nonNull), this.column, from, to);
  }

  /** The greatest value, or NaN when no record has one. */
  max(): number {
    return this.nonNull === 0 ? Number.NaN : this.column[this.order[this.nonNull - 1]];
  }
}

/** The part of `order` (positions ascending by `column`, none NaN) whose values lie in `[from, to)`: two binary searches. */
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

/** Date.parse of each value (sortKey's instant key), NaN for null/undefined. */
export function instantColumn(rows: readonly Row[], field: string): Float64Array {
  const column = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i][field];
    column[i] = value === null || value === undefined ? Number.NaN : typeof value === 'string' ? instantMs(value) : Date.parse(value as string);
  }
  return column;
}

/** The UTC midnight of each day, parsed once per distinct day. */
export function dayColumn(rows: readonly Row[], field: string): Float64Array {
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
