import type { StreamName } from './stream.js';

/** What a reconcile compares: the open records and those changed since the checkpoint (hourly), or the open ones and the recent window (daily). */
export type ReconcileScope = 'open' | 'window';

export const RUN_KINDS = ['incremental', 'backfill', 'reconcile', 'full'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** What the admin API shows (api-contract v1.2): `running` while a run holds the stream. */
export type SyncStateName = 'idle' | 'running' | 'backfilling' | 'failed';

/** One tenant×stream, with the vendor whose integration owns it (the rows cascade with that integration). */
export interface StreamKey {
  tenantId: string;
  stream: StreamName;
  vendor: string;
}

/** A fetched change, mapped: what one page writes. */
export interface ReplicaChange {
  vendorId: string;
  raw: unknown;
  /** What the API serves; null when the mapper keeps nothing of the record. */
  mapped: unknown;
  vendorUpdatedAt: string | null;
  deleted: boolean;
}

export interface ChangeCounts {
  seen: number;
  inserted: number;
  changed: number;
  deleted: number;
}

/** Where an interrupted run of one kind picks up: its request bounds, the vendor's resume point, the newest change it saw. */
export interface ResumePoint {
  point: string | null;
  since: string | null;
  from?: string;
  until?: string;
  maxSeen: string | null;
  /** The run was the stream's first sync (recent window first). */
  first?: boolean;
  /** Every page is written: a crash before the final state write does not walk again. */
  done?: boolean;
  /** Runs in a row that failed from this point (no page written since): at MAX_RESUME_FAILURES it is dropped. */
  failures?: number;
  /** The integration's `updated_at` when the walk began: a point of another version (new base URL, credentials, company) is dropped. */
  integration?: string;
}

export interface SyncState {
  checkpoint: string | null;
  resume: Partial<Record<RunKind, ResumePoint>>;
  historyFrom: string | null;
  backfillUntil: string | null;
  lastSuccessAt: string | null;
  /** The last reconcile of the recent window (daily), which covers the open records too. */
  lastReconcileAt: string | null;
  /** The last reconcile of the open records only (hourly). */
  lastOpenReconcileAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  dataVersion: number;
  state: SyncStateName;
}

export type SyncStatePatch = Partial<Omit<SyncState, 'dataVersion' | 'consecutiveFailures'>> & { consecutiveFailures?: number | 'increment' };

export const zeroCounts = (): ChangeCounts => ({ seen: 0, inserted: 0, changed: 0, deleted: 0 });
