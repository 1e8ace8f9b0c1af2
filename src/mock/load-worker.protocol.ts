import type { MockDataLoadResult } from './mock-data.loader.js';
import type { DomainName } from './mock-domains.js';

/** What `loadMockDataOffThread` hands its worker. */
export interface LoadWorkerData {
  dir: string;
  maxFileMb?: number;
  /** About how much JSON text a piece holds: the main thread parses a piece in one go, so a few milliseconds' worth. */
  pieceBytes: number;
  /** How far (JSON bytes not yet parsed by the main thread) the worker may run ahead before it reads the next file. */
  maxInFlightBytes: number;
}

/** Worker → main thread. (Main thread → worker: the byte size of each piece parsed, as a number.) */
export type LoadWorkerMessage =
  /**
   * One (domain, tenant) file's bytes, which parsed as an array (not yet checked): `ranges` holds its
   * pieces' (start, end) offsets in pairs, each piece whole records (`JsonPieces`); `shared`: fields
   * whose string values repeat, to be kept once each.
   */
  | { kind: 'file'; domain: DomainName; tenantId: string; data: Uint8Array; ranges: number[]; shared: string[] }
  /** The folder's verdict; on success the snapshot's record maps are empty (the records came as chunks). */
  | { kind: 'done'; result: MockDataLoadResult }
  | { kind: 'failed'; message: string };
