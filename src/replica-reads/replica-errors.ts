import { ProblemError } from '../common/problem/problem.error.js';
import type { SourcedProblem } from '../common/problem/problem-source.js';
import { VendorError, type VendorProblemType } from '../integrations/http/vendor-errors.js';
import { SecretUndecryptableError } from '../platform/secret-box.js';

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

/** SecretUndecryptableError's words, as a run that could not decrypt the integration's secrets recorded them. */
const UNDECRYPTABLE = /^the \S+ integration of tenant '.*' cannot be used by this server: its secrets were stored under an encryption key it does not have/s;

/** A first sync's recorded failure as the read's answer: the admin /test call's 503 for secrets this copy cannot decrypt, else the vendor failure. */
export function firstSyncFailure(tenantId: string, vendor: string, lastError: string, retryAfterSeconds?: number): Error {
  if (UNDECRYPTABLE.test(lastError)) return new SecretUndecryptableError(`${tenantId}/${vendor}`, lastError);
  return new FirstSyncFailedError(vendor, lastError, retryAfterSeconds);
}

/** VendorHttp's words for a call refused by an open circuit breaker. */
const OPEN_CIRCUIT = /^\S+ is unavailable: circuit \S+ is open/;

/**
 * Seconds until a failed first sync is tried again, as its job was queued: an open circuit's run after the
 * breaker's cooldown, any other failure's at the next interval (at least 1: a run overdue is due now).
 */
export function retryAfterFailure(lastError: string, failedAtMs: number, waits: { cooldownMs: number; intervalMs: number }, nowMs = Date.now()): number {
  const waitMs = OPEN_CIRCUIT.test(lastError) ? waits.cooldownMs : waits.intervalMs;
  return Math.max(1, Math.ceil((failedAtMs + waitMs - nowMs) / 1000));
}

/** A stream's first sync failed: the read answers that vendor failure, with the vendor's own problem type and status. */
export class FirstSyncFailedError extends VendorError {
  readonly httpStatus: number;
  readonly problemType: VendorProblemType;

  constructor(
    vendor: string,
    lastError: string,
    /** Sent as Retry-After on a 503. */
    readonly retryAfterSeconds?: number,
  ) {
    // The vendor's own words (an answer's excerpt) stay in the sync status, which only admins read.
    super(vendor, lastError.replace(/^(\S+ answered \d+ to \S+ \S+): .*$/s, '$1'));
    ({ httpStatus: this.httpStatus, problemType: this.problemType } = kindOf(lastError));
  }

  override toProblem(forAdmin: boolean): SourcedProblem {
    const problem = super.toProblem(forAdmin);
    if (this.httpStatus === 503 && this.retryAfterSeconds !== undefined) problem.headers = { 'retry-after': String(this.retryAfterSeconds) };
    return problem;
  }
}
