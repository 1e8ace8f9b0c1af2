import { Constraint, Row, STRING_HEADER_BYTES, allPositions, intersectSorted } from './constraint.js';

/** Below this many records `q` scans: an index would cost more memory than the scan costs time. */
export const TRIGRAM_MIN_RECORDS = 4096;
/** Buckets grow with the records (8 per record), up to 2^20: a small tenant gets a small table. */
const trigramBucketsFor = (n: number) => Math.min(1 << 20, 2 ** Math.ceil(Math.log2(n * 8)));

/**
 * Hashed trigrams of the lower-cased text fields, as one compressed posting table (record positions
 * ascending per bucket). Collisions only add candidates; every candidate is checked exactly, against
 * the lower-cased texts kept with the table.
 */
export class TrigramIndex {
  private readonly offsets: Int32Array;
  private readonly postings: Int32Array;
  /** Per field, each record's text lower-cased (undefined where it is not a string): `q`'s exact check. */
  private readonly lower: (string | undefined)[][];
  private lowerBytes = 0;
  private readonly size: number;

  constructor(rows: readonly Row[], fields: string[]) {
    this.size = rows.length;
    const buckets = trigramBucketsFor(rows.length);
    const counts = new Int32Array(buckets + 1);
    const lastSeen = new Int32Array(buckets).fill(-1);
    this.lower = fields.map((f) =>
      rows.map((row) => {
        const value = row[f];
        if (typeof value !== 'string') return undefined;
        const text = value.toLowerCase();
        this.lowerBytes += STRING_HEADER_BYTES + text.length;
        return text;
      }),
    );
    const each = (visit: (bucket: number, i: number) => void) => {
      for (let i = 0; i < rows.length; i++) {
        for (const texts of this.lower) {
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
    this.offsets = counts;
    this.postings = postings;
  }

  get bytes(): number {
    return this.offsets.byteLength + this.postings.byteLength + this.lowerBytes;
  }

  /** `needle` (lower-cased, 3 characters or more) is part of one of the fields. */
  constraint(needle: string): Constraint {
    const found = this.candidates(needle);
    return { size: found.length, exact: false, candidates: () => found, test: containsIn(this.lower, needle) };
  }

  private candidates(needle: string): Int32Array {
    const buckets = [...new Set(trigramBuckets(needle, this.offsets.length - 1))];
    const lists = buckets.map((b) => this.postings.subarray(this.offsets[b], this.offsets[b + 1])).sort((a, b) => a.length - b.length);
    let current: Int32Array = lists[0];
    for (let l = 1; l < lists.length && current.length > 0; l++) current = intersectSorted(current, lists[l]);
    return current;
  }

  /** A check of every record for a needle the index cannot drive (under 3 characters), on the texts it keeps. */
  scan(needle: string): Constraint {
    const n = this.size;
    return { size: n, exact: false, candidates: () => allPositions(n), test: containsIn(this.lower, needle) };
  }
}

/** `q` over records too few to index: each candidate lower-cased as it is checked. */
export function textScan(rows: readonly Row[], fields: string[], needle: string): Constraint {
  const n = rows.length;
  const test = (i: number) => fields.some((f) => typeof rows[i][f] === 'string' && (rows[i][f] as string).toLowerCase().includes(needle));
  return { size: n, exact: false, candidates: () => allPositions(n), test };
}

const containsIn = (lower: (string | undefined)[][], needle: string) => (i: number) =>
  lower.some((texts) => texts[i] !== undefined && texts[i].includes(needle));

function trigramBuckets(text: string, buckets: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + 2 < text.length; i++) {
    const h = Math.imul(text.charCodeAt(i), 0x9e3779b1) ^ Math.imul(text.charCodeAt(i + 1), 0x85ebca6b) ^ Math.imul(text.charCodeAt(i + 2), 0xc2b2ae35);
    out.push((h ^ (h >>> 15)) & (buckets - 1));
  }
  return out;
}
