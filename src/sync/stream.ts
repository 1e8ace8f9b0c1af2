import type { DomainName } from '../config/domains-and-vendors.js';

/** One vendor endpoint for one tenant, kept in the replica (api-contract v1.2 names them so). */
export const STREAM_NAMES = [
  'connectwise.tickets',
  'connectwise.time_entries',
  'connectwise.members',
  'smileback.reviews',
  'sentinelone.threats',
  'defender.alerts',
] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

/** One vendor record as fetched: the raw payload is kept so a mapper fix can be replayed without the vendor. */
export interface StreamChange {
  vendorId: string;
  raw: unknown;
  /** The vendor's own change instant (ISO 8601), the checkpoint's source; null when the vendor gives none. */
  vendorUpdatedAt: string | null;
  /** A tombstone (SmileBack `status=deleted`): soft-delete the record. */
  deleted?: boolean;
}

/** A page of changes and where to resume within the run if it dies after this page. */
export interface StreamPage {
  changes: StreamChange[];
  /** Opaque resume point (next link, cursor, page number); null after the last page. */
  resume: string | null;
}

export interface ChangesRequest {
  /** Changes at or after this instant (the checkpoint minus the overlap); null for "everything in range". */
  since: string | null;
  /** Oldest record wanted (history bound, ISO 8601), for first syncs and backfills. */
  from?: string;
  /** Newest record wanted, for a backfill slice below what the recent sync covered. */
  until?: string;
  /** Resume point saved after the last page of an interrupted run. */
  resume: string | null;
  stop: AbortSignal;
  /** What the replica already holds for some vendor ids (one batched read); absent on an operator's full re-sync, which fetches everything again. */
  known?: (vendorIds: string[]) => Promise<Map<string, KnownRecord>>;
}

/** A live replica row as stored: its vendor change instant and raw payload, so a fetcher can reuse what an unchanged record cost it before. */
export interface KnownRecord {
  vendorUpdatedAt: string | null;
  raw: unknown;
}

/** How one stream talks to its vendor: incremental pages, optional id-only reconcile, and the mapper. */
export interface StreamFetcher<Mapped = unknown> {
  readonly stream: StreamName;
  readonly vendor: string;
  /** The API domain the stream's records feed; members feed tickets/time entries (owner emails) and have none. */
  readonly domain: DomainName | null;
  /** Every walk of an incremental run is in change-time order, so the newest change seen bounds what was missed; absent: walked by id (ConnectWise). */
  readonly orderedByChange?: boolean;
  changes(request: ChangesRequest): AsyncIterable<StreamPage>;
  /** Every id the vendor still has in scope (ConnectWise reconcile; `fields=id`); absent when the vendor has a deletion feed or none is needed. */
  ids?(scope: { open: boolean; from?: string }, stop: AbortSignal): Promise<string[]>;
  /** Whether a mapped record is open (tickets): such records are reconciled hourly against the vendor's open list; absent: only the daily window reconcile. */
  isOpen?(mapped: unknown): boolean;
  /** The record the API serves, from the raw payload alone (plus the tenant id). */
  map(raw: unknown, tenantId: string): Mapped;
}
