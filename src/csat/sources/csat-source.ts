import type { CsatSurvey } from '../csat-survey.record.js';

export const CSAT_SOURCE = Symbol('CSAT_SOURCE');

/** A tenant's CSAT surveys: mock files, or SmileBack in live mode. */
export interface CsatSource {
  list(tenantId: string): Promise<CsatSurvey[]>;
}
