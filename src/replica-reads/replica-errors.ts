import { ProblemError } from '../common/problem/problem.error.js';
import { VendorError, type VendorProblemType } from '../integrations/http/vendor-errors.js';

/** A stream's first sync is still running past FIRST_SYNC_WAIT_MS: nothing complete to serve yet. */
export class SyncInProgressError extends ProblemError {
  constructor(tenantId: string, stream: string, records: number, retryAfterSeconds: number) {
    super(
      503,
      '/problems/sync-in-progress',
      `${stream} of tenant ${tenantId} is being synced for the first time: ${records} records so far; try again in ${retryAfterSeconds} s`,
      {},
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

/** How a recorded vendor failure (its message, as VendorError subclasses write it) is answered. */
function kindOf(message: string): { httpStatus: number; problemType: VendorProblemType } {
  if (/ did not answer .* (within |before the walk's deadline)| walk did not end within /.test(message)) return { httpStatus: 504, problemType: '/problems/vendor-timeout' };
  if (/ is unavailable: /.test(message)) return { httpStatus: 503, problemType: '/problems/vendor-unavailable' };
  if (/^\S+ was not called: /.test(message)) return { httpStatus: 502, problemType: '/problems/vendor-address-refused' };
  // VendorDataError's wording: the vendor's answer (or one item of it) could not be used.
  if (/^\S+ (response|item \S+): /.test(message)) return { httpStatus: 502, problemType: '/problems/vendor-data' };
  return { httpStatus: 502, problemType: '/problems/vendor-error' };
}

/** A stream's first sync failed: the read answers that vendor failure, with the vendor's own problem type and status. */
export class FirstSyncFailedError extends VendorError {
  readonly httpStatus: number;
  readonly problemType: VendorProblemType;

  constructor(vendor: string, lastError: string) {
    // The vendor's own words (an answer's excerpt) stay in the sync status, which only admins read.
    super(vendor, lastError.replace(/^(\S+ answered \d+ to \S+ \S+): .*$/s, '$1'));
    ({ httpStatus: this.httpStatus, problemType: this.problemType } = kindOf(lastError));
  }
}
