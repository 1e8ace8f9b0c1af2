import type { MockDataLoadResult } from './mock-data.loader.js';
import type { DomainName } from './mock-domains.js';

/** What `loadMockDataOffThread` hands its worker. */
export interface LoadWorkerData {
  dir: string;
  maxFileMb?: number;
  /** Records per message: each is deserialised on the main thread in one go, so a few milliseconds' worth. */
  chunkRecords: number;
  /** How far (serialised bytes not yet acknowledged by the main thread) the worker may run ahead. */
  maxInFlightBytes: number;
}

/** Worker → main thread. (Main thread → worker: the byte size of each chunk taken, as a number.) */
export type LoadWorkerMessage =
  /**
   * `v8.serialize` of an array of records of one (domain, tenant) file, in file order; `last` closes the
   * file; `shared`: fields whose string values repeat, to be kept once each.
   */
  | { kind: 'records'; domain: DomainName; tenantId: string; data: Uint8Array; last: boolean; shared: string[] }
  /** The folder's verdict; on success the snapshot's record maps are empty (the records came as chunks). */
  | { kind: 'done'; result: MockDataLoadResult }
  | { kind: 'failed'; message: string };
