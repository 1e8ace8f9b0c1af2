import { decodeHTML } from 'entities/decode';

/**
 * A text in one spelling: HTML entities, `\uXXXX` / `\/` / `\n` escapes and percent-escapes decoded
 * (repeatedly, for text encoded twice), blanks and `+` dropped, lower case. Character `i` was read from
 * `original.slice(start[i], end[i])`, so a match found here names the span of the original to redact.
 */
export interface CanonicalText {
  readonly text: string;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** Text encoded more times than this (an entity of an escape of a percent-escape of…) keeps its outer layers. */
const MAX_DECODE_ROUNDS = 4;

export function canonicalText(original: string): CanonicalText {
  const start = new Int32Array(original.length);
  const end = new Int32Array(original.length);
  for (let i = 0; i < original.length; i++) {
    start[i] = i;
    end[i] = i + 1;
  }
  let current: CanonicalText = { text: original, start, end };
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const decoded = decodeOnce(current);
    if (!decoded) break;
    current = decoded;
  }
  return fold(current);
}

/** Text read into canonical form at a time, so that a large body never needs its whole canonical form at once. */
const WINDOW_LENGTH = 256 * 1024;
/** Consecutive windows share this much text: more than any spelling of a secret spans, so none falls between two. */
const WINDOW_OVERLAP = 16 * 1024;

/**
 * The spans of `original`, sorted and merged, where its canonical form holds one of `needles` (canonical
 * forms themselves). Linear in the text: read in overlapping windows.
 */
export function matchingSpans(original: string, needles: readonly string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let from = 0; from < original.length; from += WINDOW_LENGTH - WINDOW_OVERLAP) {
    const canonical = canonicalText(original.slice(from, from + WINDOW_LENGTH));
    for (const needle of needles) {
      if (needle === '') continue;
      for (let at = canonical.text.indexOf(needle); at !== -1; at = canonical.text.indexOf(needle, at + 1)) {
        spans.push([from + canonical.start[at], from + canonical.end[at + needle.length - 1]]);
      }
    }
    if (from + WINDOW_LENGTH >= original.length) break;
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  return merged;
}

/** Collects the characters of the next form, each with the span of the original it came from. */
class CanonicalBuilder {
  private length = 0;
  // Decoding never lengthens a text, and lower-casing at most doubles it (U+0130 becomes two units).
  private readonly units: Uint16Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(private readonly from: CanonicalText) {
    const capacity = 2 * from.text.length + 2;
    this.units = new Uint16Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  /** `text` stands for the characters [i, j) of the form this one is built from. */
  push(text: string, i: number, j: number): void {
    for (let k = 0; k < text.length; k++) this.add(text.charCodeAt(k), this.from.start[i], this.from.end[j - 1]);
  }

  pushUnit(unit: number, i: number): void {
    this.add(unit, this.from.start[i], this.from.end[i]);
  }

  build(): CanonicalText {
    let text = '';
    // In slices: String.fromCharCode takes its arguments on the stack.
    for (let i = 0; i < this.length; i += 8192) text += String.fromCharCode(...this.units.subarray(i, Math.min(i + 8192, this.length)));
    return { text, start: this.starts.slice(0, this.length), end: this.ends.slice(0, this.length) };
  }

  private add(unit: number, start: number, end: number): void {
    this.units[this.length] = unit;
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length += 1;
  }
}

const ESCAPED_CHARACTER: Record<string, string> = { '/': '/', '\\': '\\', '"': '"', "'": "'", n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
const ENTITY = /&(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});?/iy;

/** One layer of escapes decoded, or undefined when there was none. */
function decodeOnce(input: CanonicalText): CanonicalText | undefined {
  const text = input.text;
  const out = new CanonicalBuilder(input);
  let decoded = false;
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    const used = c === '%' ? percentEscape(text, i, out) : c === '\\' ? backslashEscape(text, i, out) : c === '&' ? htmlEntity(text, i, out) : 0;
    if (used > 0) {
      decoded = true;
      i += used;
    } else {
      out.pushUnit(text.charCodeAt(i), i);
      i += 1;
    }
  }
  return decoded ? out.build() : undefined;
}

function hexAt(text: string, i: number, digits: number): number {
  if (i + digits > text.length) return -1;
  let value = 0;
  for (let k = i; k < i + digits; k++) {
    const d = parseInt(text[k], 16);
    if (Number.isNaN(d)) return -1;
    value = value * 16 + d;
  }
  return value;
}

/** `%XX` (either hex case); a run spelling one UTF-8 character decodes to it, any other byte to its Latin-1 character. */
function percentEscape(text: string, i: number, out: CanonicalBuilder): number {
  const byteAt = (k: number) => (text[k] === '%' ? hexAt(text, k + 1, 2) : -1);
  const lead = byteAt(i);
  if (lead < 0) return 0;
  const length = lead >= 0xf0 && lead < 0xf5 ? 4 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xc2 && lead < 0xe0 ? 2 : 1;
  let codePoint = length === 1 ? lead : lead & (0xff >> (length + 1));
  for (let n = 1; n < length; n++) {
    const next = byteAt(i + 3 * n);
    if (next < 0x80 || next > 0xbf) {
      out.push(String.fromCharCode(lead), i, i + 3);
      return 3;
    }
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  const valid = length === 1 || (length === 3 ? codePoint >= 0x800 && (codePoint < 0xd800 || codePoint > 0xdfff) : length === 4 ? codePoint >= 0x10000 && codePoint <= 0x10ffff : true);
  if (!valid) {
    out.push(String.fromCharCode(lead), i, i + 3);
    return 3;
  }
  out.push(String.fromCodePoint(codePoint), i, i + 3 * length);
  return 3 * length;
}

/** JSON, JavaScript and .NET escapes: `\uXXXX`, `\xXX`, `\/`, `\\`, `\"`, `\n`… */
function backslashEscape(text: string, i: number, out: CanonicalBuilder): number {
  const kind = text[i + 1];
  if (kind === 'u' || kind === 'U' || kind === 'x' || kind === 'X') {
    const digits = kind === 'u' || kind === 'U' ? 4 : 2;
    const unit = hexAt(text, i + 2, digits);
    if (unit < 0) return 0;
    out.push(String.fromCharCode(unit), i, i + 2 + digits);
    return 2 + digits;
  }
  const escaped = kind === undefined ? undefined : ESCAPED_CHARACTER[kind];
  if (escaped === undefined) return 0;
  out.push(escaped, i, i + 2);
  return 2;
}

/** Named (`&amp;`, `&sol;`), decimal (`&#38;`) and hex (`&#x26;`) character references. */
function htmlEntity(text: string, i: number, out: CanonicalBuilder): number {
  ENTITY.lastIndex = i;
  const match = ENTITY.exec(text);
  if (!match) return 0;
  const decoded = decodeHTML(match[0]);
  if (decoded === match[0]) return 0;
  out.push(decoded, i, i + match[0].length);
  return match[0].length;
}

/** Characters a line break, indentation or form encoding puts between a secret's characters. */
const INVISIBLE = /[\s+\u00ad\u200b-\u200d\u2060\ufeff]/;

function fold(input: CanonicalText): CanonicalText {
  const out = new CanonicalBuilder(input);
  const text = input.text;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      if (unit <= 0x20 || unit === 0x2b || unit === 0x7f) continue;
      out.pushUnit(unit >= 0x41 && unit <= 0x5a ? unit + 0x20 : unit, i);
    } else if (!INVISIBLE.test(text[i])) {
      out.push(text[i].toLowerCase(), i, i + 1);
    }
  }
  return out.build();
}
