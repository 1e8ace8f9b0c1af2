import { splitAlternatives } from '../query/filters.js';
import { Constraint, EMPTY, MAP_ENTRY_BYTES, Row, TYPED_ARRAY_BYTES } from './constraint.js';

/** What `RecordColumns.codes` hands out: each record's value as a small integer, `values[code]` the value. */
export interface ValueCodes {
  codes: Int32Array;
  values: readonly unknown[];
  positions: readonly Int32Array[];
  codeOf(value: unknown): number;
}

/** One field's values as small integers with a posting list per value: the equality filters' index. */
export class ValueIndex {
  readonly codes: Int32Array;
  private readonly byValue = new Map<unknown, { code: number; positions: Int32Array }>();
  private asCodes?: ValueCodes;

  constructor(rows: readonly Row[], field: string) {
    const grouped = new Map<unknown, number[]>();
    rows.forEach((row, i) => {
      const list = grouped.get(row[field]);
      if (list) list.push(i);
      else grouped.set(row[field], [i]);
    });
    this.codes = new Int32Array(rows.length);
    for (const [value, list] of grouped) {
      const code = this.byValue.size;
      for (const i of list) this.codes[i] = code;
      this.byValue.set(value, { code, positions: Int32Array.from(list) });
    }
  }

  /** Positions (ascending) of the records whose field is exactly `value`. */
  positionsOf(value: unknown): Int32Array {
    return this.byValue.get(value)?.positions ?? EMPTY;
  }

  valueCodes(): ValueCodes {
    this.asCodes ??= {
      codes: this.codes,
      values: [...this.byValue.keys()],
      positions: [...this.byValue.values()].map((v) => v.positions),
      codeOf: (value) => this.byValue.get(value)?.code ?? -1,
    };
    return this.asCodes;
  }

  get bytes(): number {
    return 2 * this.codes.byteLength + this.byValue.size * (MAP_ENTRY_BYTES + TYPED_ARRAY_BYTES);
  }

  /** `field` is one of the comma-separated alternatives of `raw`. */
  constraint(valueKind: 'string' | 'boolean', raw: string): Constraint {
    const wanted = new Set<unknown>(splitAlternatives(raw).map((v) => (valueKind === 'boolean' ? v === 'true' : v)));
    const codes = this.codes;
    const hits = [...wanted].map((v) => this.byValue.get(v)).filter((h) => h !== undefined);
    const allowed = new Uint8Array(this.byValue.size);
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
}
