import {
  VendorAddressRefusedError,
  VendorDataError,
  VendorDeadlineError,
  VendorHttpError,
  VendorResponseTooLargeError,
  VendorTimeoutError,
  VendorUnavailableError,
  VendorWalkTimeoutError,
} from '../../src/integrations/http/vendor-errors.js';
import { FirstSyncFailedError, firstSyncFailure, retryAfterFailure } from '../../src/replica-reads/replica-errors.js';
import { SecretUndecryptableError } from '../../src/platform/secret-box.js';

describe('a failed first sync answered as the vendor failure it recorded', () => {
  it.each([
    ['VendorHttpError', new VendorHttpError('connectwise', 500, 'GET /service/tickets', 'database is down'), 502, '/problems/vendor-error'],
    ['VendorUnavailableError', new VendorUnavailableError('smileback', 'circuit open'), 503, '/problems/vendor-unavailable'],
    ['VendorTimeoutError', new VendorTimeoutError('defender', 'GET /alerts_v2', 500), 504, '/problems/vendor-timeout'],
    ['VendorWalkTimeoutError', new VendorWalkTimeoutError('sentinelone', 60_000), 504, '/problems/vendor-timeout'],
    ['VendorDeadlineError', new VendorDeadlineError('sentinelone', 'GET /web/api/v2.1/threats', 3_000), 504, '/problems/vendor-timeout'],
    ['VendorDataError (an item)', new VendorDataError('smileback', '40000778', 'rating', 'is not 1, 0 or -1'), 502, '/problems/vendor-data'],
    ['VendorDataError (the answer)', new VendorDataError('sentinelone', undefined, 'pagination.nextCursor', 'repeats one already followed (page 2)'), 502, '/problems/vendor-data'],
    ['VendorResponseTooLargeError', new VendorResponseTooLargeError('defender', 'GET /api/alerts', 1024 * 1024), 502, '/problems/vendor-data'],
    ['VendorAddressRefusedError', new VendorAddressRefusedError('sentinelone', 'localhost resolves to 127.0.0.1'), 502, '/problems/vendor-address-refused'],
    // A vendor answer whose excerpt happens to read like another kind is still the vendor's error.
    ['VendorHttpError quoting a data error', new VendorHttpError('connectwise', 400, 'GET /service/tickets', 'connectwise response: x'), 502, '/problems/vendor-error'],
  ])('%s → %i', (_name, error, status, type) => {
    const failed = new FirstSyncFailedError(error.vendor, error.message);
    expect(failed.httpStatus).toBe(status);
    expect(failed.problemType).toBe(type);
  });

  it("keeps the vendor's own words (an answer's excerpt) out of the read's answer", () => {
    const error = new VendorHttpError('connectwise', 500, 'GET /service/tickets', 'internal detail');
    expect(new FirstSyncFailedError('connectwise', error.message).message).toBe(error.withoutVendorText);
  });
});

describe('Retry-After on a failed first sync answered 503', () => {
  const waits = { cooldownMs: 30_000, intervalMs: 900_000 };
  const failedAt = Date.parse('2026-12-07T12:00:00Z');
  const circuit = new VendorUnavailableError('sentinelone', 'circuit sentinelone:tenant_a is open after repeated failures', 30).message;
  const unreachable = new VendorUnavailableError('sentinelone', 'network error (ECONNREFUSED) on GET /web/api/v2.1/threats').message;

  it("an open circuit: the breaker's remaining cooldown, when the stream's retry is queued", () => {
    expect(retryAfterFailure(circuit, failedAt, waits, failedAt + 12_400)).toBe(18);
    expect(retryAfterFailure(circuit, failedAt, waits, failedAt)).toBe(30);
  });

  it('another failure: until the next scheduled run', () => {
    expect(retryAfterFailure(unreachable, failedAt, waits, failedAt + 300_000)).toBe(600);
  });

  it('a run overdue: 1 s, never 0 or negative', () => {
    expect(retryAfterFailure(circuit, failedAt, waits, failedAt + 45_000)).toBe(1);
  });

  it('is sent as the Retry-After header on a 503 only', () => {
    expect(new FirstSyncFailedError('sentinelone', circuit, 18).toProblem(false)).toMatchObject({ status: 503, headers: { 'retry-after': '18' } });
    const vendorError = new VendorHttpError('connectwise', 500, 'GET /service/tickets', 'down').message;
    expect(new FirstSyncFailedError('connectwise', vendorError, 18).toProblem(false).headers).toEqual({});
  });
});

describe('a first sync that could not decrypt the integration secrets', () => {
  it("answers the admin /test's 503 problem with the detail it recorded", () => {
    const recorded = new SecretUndecryptableError("tenant_a/sentinelone/api_token", 'under key abc, which is not ENCRYPTION_KEY').message;
    const answer = firstSyncFailure('tenant_a', 'sentinelone', recorded, 30);
    expect(answer).toBeInstanceOf(SecretUndecryptableError);
    expect(answer).toMatchObject({ status: 503, type: '/problems/secret-undecryptable', message: recorded });
  });

  it('any other recorded failure is still the vendor failure', () => {
    const recorded = new VendorHttpError('connectwise', 500, 'GET /service/tickets', 'down').message;
    expect(firstSyncFailure('tenant_a', 'connectwise', recorded)).toBeInstanceOf(FirstSyncFailedError);
  });
});
