import type { DomainName } from '../config/domains-and-vendors.js';
import type { Tenant } from '../platform/tenant.record.js';
import type { MockDataProblem } from './mock-data-problem.js';
import type { ScenarioRule } from './scenarios/scenario-rules.js';

/** JSON text per `LoadOptions.onPiece` piece: below V8's largest regular heap object (128 KiB), so its string stays out of the large-object space. */
export const DEFAULT_PIECE_BYTES = 96 * 2 ** 10;

export interface MockDataSnapshot {
  tenants: Tenant[];
  /** domain → tenant id → records, exactly as parsed from the files. */
  records: Record<DomainName, Map<string, readonly object[]>>;
  /** Which (tenant, domain) pairs have no file: they serve an empty list. */
  missing: { tenant_id: string; domain: DomainName }[];
  files: number;
  recordCount: number;
  /** The rules of the optional scenarios.json (empty without one). */
  scenarios: readonly ScenarioRule[];
}

export type MockDataLoadResult =
  | { ok: true; snapshot: MockDataSnapshot; problems: [] }
  | { ok: false; problems: MockDataProblem[] };

/** What `loadMockDataOffThread` hands its worker. */
export interface LoadWorkerData {
  /** The module exporting the folder's domains (`DomainsModule`), as the worker imports it. */
  domains: string;
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
