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
import { FirstSyncFailedError } from '../../src/replica-reads/replica-errors.js';

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
