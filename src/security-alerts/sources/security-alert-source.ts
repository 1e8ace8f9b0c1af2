import type { SecurityAlert } from '../security-alert.record.js';

/** Bound to a list: one source per vendor the tenant may have (SentinelOne, Defender), merged by the service. */
export const SECURITY_ALERT_SOURCES = Symbol('SECURITY_ALERT_SOURCES');

export interface SecurityAlertSource {
  list(tenantId: string): Promise<SecurityAlert[]>;
  /** Replica sources: where the tenant's synced history starts (history_from), as of its last read; undefined when unknown. */
  syncedSince?(tenantId: string): Date | undefined;
}
