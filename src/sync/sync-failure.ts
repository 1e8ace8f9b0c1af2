import { SecretUndecryptableError } from '../platform/secret-box.js';
import { VendorError, VendorHttpError, VendorRateLimitedError, VendorUnavailableError } from '../integrations/http/vendor-errors.js';

/** A 429 that named no Retry-After (retries exhausted): try the stream again after this long. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** A job is never put off longer than this for a Retry-After: the longest vendor window we know (Defender for Endpoint's 1 500 calls an hour). */
export const MAX_RATE_LIMIT_WAIT_MS = 60 * 60_000;

/** The vendor answered 429: a wait it asked for, not a failure of the stream. */
export function isRateLimited(error: unknown): boolean {
  return error instanceof VendorRateLimitedError || (error instanceof VendorHttpError && error.status === 429);
}

/** The vendor asked us to wait: how long, or undefined when the failure is of another kind. */
export function rateLimitWaitMs(error: unknown): number | undefined {
  if (error instanceof VendorUnavailableError && error.retryAfterSeconds !== undefined) return Math.min(error.retryAfterSeconds * 1000, MAX_RATE_LIMIT_WAIT_MS);
  if (error instanceof VendorHttpError && error.status === 429) return DEFAULT_RATE_LIMIT_WAIT_MS;
  return undefined;
}

/** The text kept as a stream's last error: a vendor error's own message (written secret-free), never another error's free text. */
export function failureText(error: unknown): string {
  if (error instanceof VendorError) return error.message;
  if (error instanceof StreamGoneError) return error.message;
  // Names the integration and what to fix (its key's fingerprint goes to the log only), never a secret.
  if (error instanceof SecretUndecryptableError) return error.message;
  return `sync failed with an internal error (${error instanceof Error ? error.name : typeof error}); see the service log`;
}

/** The tenant's integration (or the stream's domain) was removed: nothing to sync. */
export class StreamGoneError extends Error {
  constructor(tenantId: string, stream: string) {
    super(`${stream} of tenant ${tenantId} is no longer configured`);
    this.name = 'StreamGoneError';
  }
}

/** A run stopped from our side (shutdown, a test's abort): its resume point is kept, no failure is counted. */
export class RunInterruptedError extends Error {
  constructor(readonly runId: string) {
    super(`sync run ${runId} was interrupted; it resumes from its last page`);
    this.name = 'RunInterruptedError';
  }
}
