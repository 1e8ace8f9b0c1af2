/**
 * An estimate of the heap a JSON-shaped value (what the live cache holds: record lists, strings,
 * pairs) occupies in V8 on 64-bit Node, where every field is an 8-byte slot: objects and arrays
 * cost a header and a slot per property or element, strings a header and their characters (one
 * byte each for Latin-1, two otherwise, in 8-byte words), numbers that are not small integers a
 * heap number. A string many records share (a status name) is counted per use, so this errs on the
 * high side: 5 000 ConnectWise tickets estimate at ~1.5× their measured heap (scripts/bench-live-memory.mjs).
 */
const OBJECT_BYTES = 24;
const ARRAY_BYTES = 48;
const SLOT_BYTES = 8;
const STRING_BYTES = 16;
const HEAP_NUMBER_BYTES = 16;
const TWO_BYTE = /[^\u0000-\u00ff]/;

export function estimateBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return STRING_BYTES + Math.ceil(((TWO_BYTE.test(value) ? 2 : 1) * value.length) / 8) * 8;
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 0 : HEAP_NUMBER_BYTES;
    case 'object': {
      if (value === null) return 0;
      if (Array.isArray(value)) {
        let bytes = ARRAY_BYTES + SLOT_BYTES * value.length;
        for (const item of value) bytes += estimateBytes(item);
        return bytes;
      }
      let bytes = OBJECT_BYTES;
      for (const key in value) bytes += SLOT_BYTES + estimateBytes((value as Record<string, unknown>)[key]);
      return bytes;
    }
    default:
      return 0;
  }
}
