// A data file's JSON array parsed in pieces of whole records, and where malformed JSON goes wrong.
import { ParseError, parse as parseTolerant, printParseErrorCode } from 'jsonc-parser';

export const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The index of a comma after `from` that ends a top-level record, or -1. A guess (the first `}` , `{`
 * after `from`, whitespace allowed between): `eachPiece` proves or disproves it by parsing.
 */
function nearRecordEnd(bytes: Uint8Array, from: number, end: number): number {
  for (let i = bytes.indexOf(0x7d, from); i >= 0 && i < end; i = bytes.indexOf(0x7d, i + 1)) {
    let j = i + 1;
    while (j < end && isSpace(bytes[j])) j++;
    if (bytes[j] !== 0x2c) continue;
    let k = j + 1;
    while (k < end && isSpace(bytes[k])) k++;
    if (bytes[k] === 0x7b) return j;
  }
  return -1;
}

/**
 * The same, exactly: walks the text from `after` (the array's `[` or the comma ending the previous
 * piece), minding strings and nesting (several times slower).
 */
function recordEnd(bytes: Uint8Array, from: number, end: number, after: number): number {
  let depth = 1;
  for (let i = after + 1; i < end; i++) {
    const c = bytes[i];
    if (c === 0x22) {
      for (i++; i < end && bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && depth === 1 && i >= from) return i;
  }
  return -1;
}

function parsePiece(text: Buffer, from: number, to: number): unknown[] | undefined {
  try {
    const piece: unknown = JSON.parse(`[${text.toString('utf8', from, to)}]`);
    return Array.isArray(piece) && piece.length > 0 ? piece : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses the records of the array between `start` (its `[`) and `end` (its `]`) in pieces of about
 * `pieceBytes`, cut at commas between records, handing each to `each`; false when the text is
 * malformed. Sound whatever the cuts: when every piece parses as a non-empty array, each began
 * where a record begins, so the pieces' records are exactly the whole text's. A cut is first guessed
 * (`nearRecordEnd`); when its piece does not parse, the piece is cut again exactly (`recordEnd`).
 */
export async function eachPiece(
  bytes: Buffer,
  start: number,
  end: number,
  pieceBytes: number,
  each: (records: unknown[], from: number, to: number) => void | Promise<void>,
): Promise<boolean> {
  let from = start + 1;
  while (from < end && isSpace(bytes[from])) from++;
  if (from === end) return true;
  from = start + 1;
  let after = start;
  while (from < end) {
    const long = end - from > pieceBytes * 1.5;
    let piece: unknown[] | undefined;
    let to = end;
    for (const cut of long ? [nearRecordEnd, recordEnd] : [undefined]) {
      const at = cut ? cut(bytes, from + pieceBytes, end, after) : -1;
      to = at < 0 ? end : at;
      piece = parsePiece(bytes, from, to);
      if (piece) break;
    }
    if (!piece) return false;
    await each(piece, from, to);
    after = to;
    from = to + 1;
  }
  return true;
}

/** JSON.parse says little about where; a tolerant parser finds the first error's offset. */
export function locateJsonError(text: string): { line: number; column: number; reason: string } {
  const errors: ParseError[] = [];
  parseTolerant(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  const offset = first ? first.offset : text.length;
  const before = text.slice(0, offset).split('\n');
  const reason = first ? `malformed JSON: ${printParseErrorCode(first.error)}` : 'malformed JSON';
  return { line: before.length, column: before[before.length - 1].length + 1, reason };
}
