/**
 * Two vendor walks over overlapping sets (e.g. "updated since" and "still open") as one list, each
 * item once by its id: `first`'s order, then the items only `second` has. Where both hold an item,
 * the copy updated last wins (the item may have changed between the two walks); on a tie, or an
 * update time that does not parse, `first`'s copy. Items without an id are kept from both (the
 * mapper reports them).
 */
export function mergeById<T>(first: readonly T[], second: readonly T[], id: (item: T) => unknown, updated: (item: T) => unknown): T[] {
  const merged = [...first];
  const at = new Map<string, number>();
  const key = (item: T): string | undefined => {
    const value = id(item);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  for (let i = 0; i < merged.length; i++) {
    const k = key(merged[i]);
    if (k !== undefined && !at.has(k)) at.set(k, i);
  }
  for (const item of second) {
    const k = key(item);
    const i = k === undefined ? undefined : at.get(k);
    if (i === undefined) {
      if (k !== undefined) at.set(k, merged.length);
      merged.push(item);
    } else if (updatedMs(updated(item)) > updatedMs(updated(merged[i]))) {
      merged[i] = item;
    }
  }
  return merged;
}

function updatedMs(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
