import type { TimeEntry } from '../time-entry.record.js';

export const TIME_ENTRY_SOURCE = Symbol('TIME_ENTRY_SOURCE');

/** A tenant's time entries: mock files, or ConnectWise PSA in live mode. */
export interface TimeEntrySource {
  list(tenantId: string): Promise<TimeEntry[]>;
  /** Replica sources: where the tenant's synced history starts (history_from), as of its last read; undefined when unknown. */
  syncedSince?(tenantId: string): Date | undefined;
}
