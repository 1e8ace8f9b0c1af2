/** The V8 heap (64-bit, 8-byte slots) a JSON-shaped cache value occupies, erring high (shared strings count per use) so the budget is never exceeded. */
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
