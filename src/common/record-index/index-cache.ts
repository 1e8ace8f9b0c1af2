import type { RecordQueryDefinition } from '../query/query-engine.js';
import { RecordIndex } from './record-index.js';

const INDEXES = new Map<RecordQueryDefinition<never>, WeakMap<readonly unknown[], RecordIndex<unknown>>>();

/**
 * The index of these records, built once per array: a record list that is never mutated (a mock
 * file's records at one data version, one live cache fill) is indexed once and shared.
 */
export function indexOf<T>(records: readonly T[], def: RecordQueryDefinition<T>): RecordIndex<T> {
  let byArray = INDEXES.get(def as RecordQueryDefinition<never>);
  if (!byArray) {
    byArray = new WeakMap();
    INDEXES.set(def as RecordQueryDefinition<never>, byArray);
  }
  let index = byArray.get(records) as RecordIndex<T> | undefined;
  if (!index) {
    index = new RecordIndex(records, def);
    byArray.set(records, index as unknown as RecordIndex<unknown>);
  }
  return index;
}

/** What the indexes of these records hold besides the records, 0 when none was built. */
export function indexBytes(records: readonly unknown[]): number {
  let bytes = 0;
  for (const byArray of INDEXES.values()) bytes += byArray.get(records)?.bytes ?? 0;
  return bytes;
}
