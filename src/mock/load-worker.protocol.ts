import type { MockDataLoadResult } from './mock-data.loader.js';
import type { DomainName } from './mock-domains.js';

/** JSON text per `LoadOptions.onPiece` piece: below V8's largest regular heap object (128 KiB), so its string stays out of the large-object space. */
export const DEFAULT_PIECE_BYTES = 96 * 2 ** 10;

/** MOCK_MAX_FILE_MB's default: a larger file is refused rather than parsed. */
export const DEFAULT_MAX_FILE_MB = 256;

/** What `loadMockDataOffThread` hands its worker. */
export interface LoadWorkerData {
  dir: string;
  maxFileMb?: number;
  checkTicketRefs?: boolean;
  /** About how much JSON text a piece holds: the main thread parses a piece in one go, so a few milliseconds' worth. */
  pieceBytes: number;
  /** How far (JSON text not yet parsed by the main thread) the worker may run ahead. */
  maxInFlightBytes: number;
  /**
   * A reload while the server is serving: the worker runs below the main thread's priority, so on a
   * busy machine the requests get the cores first and the load takes what is left.
   */
  background?: boolean;
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
