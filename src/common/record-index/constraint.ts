/** A filter turned into something the planner can drive from (`candidates`) or check against (`test`). */
export interface Constraint {
  /** How many records `candidates()` yields (an upper bound for the trigram index). */
  size: number;
  /** `candidates()` yields exactly the records that pass `test`, so the driver need not re-test them. */
  exact: boolean;
  candidates(): ArrayLike<number>;
  test(index: number): boolean;
}

export type Row = Record<string, unknown>;

export const EMPTY = new Int32Array(0);

/** V8 costs used by the indexes' byte estimates: a string's header, a Map entry with its key string, a typed array's objects. */
export const STRING_HEADER_BYTES = 24;
export const MAP_ENTRY_BYTES = 64;
export const TYPED_ARRAY_BYTES = 160;

export function allPositions(n: number): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  return all;
}

export function intersectSorted(a: Int32Array, b: Int32Array): Int32Array {
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
