import type { MockDataLoadResult } from './mock-data.loader.js';
import type { DomainName } from './mock-domains.js';

/** What `loadMockDataOffThread` hands its worker. */
export interface LoadWorkerData {
  dir: string;
  maxFileMb?: number;
  /** About how much JSON text a piece holds: the main thread parses a piece in one go, so a few milliseconds' worth. */
  pieceBytes: number;
  /** How far (JSON text not yet parsed by the main thread) the worker may run ahead. */
  maxInFlightBytes: number;
}

/** Worker → main thread. (Main thread → worker: the byte size of each piece parsed, as a number.) */
export type LoadWorkerMessage =
  /** A (domain, tenant) file begins: the pieces that follow are its records, in file order. */
  | { kind: 'file'; domain: DomainName; tenantId: string }
  /**
   * The text of whole records of the current file as a JSON array (`[`, the records comma-separated,
   * `]`); `shared`: fields whose string values repeat, to be kept once each.
   */
  | { kind: 'piece'; data: Uint8Array; shared: string[] }
  /** The folder's verdict; on success the snapshot's record maps are empty (the records came as chunks). */
  | { kind: 'done'; result: MockDataLoadResult }
  | { kind: 'failed'; message: string };
