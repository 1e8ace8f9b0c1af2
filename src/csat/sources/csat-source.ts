import type { CsatSurvey } from '../csat-survey.record.js';

export const CSAT_SOURCE = Symbol('CSAT_SOURCE');

/** A tenant's CSAT surveys: mock files, or SmileBack in live mode. */
export interface CsatSource {
  list(tenantId: string): Promise<CsatSurvey[]>;
  /** Replica sources: where the tenant's synced history starts (history_from), as of its last read; undefined when unknown. */
  syncedSince?(tenantId: string): Date | undefined;
}
