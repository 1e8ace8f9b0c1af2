import { VendorHttpError, VendorTimeoutError, VendorUnavailableError, VendorWalkTimeoutError } from '../../src/integrations/http/vendor-errors.js';
import { FirstSyncFailedError } from '../../src/replica-reads/replica-errors.js';

describe('a failed first sync answered as the vendor failure it recorded', () => {
  it.each([
    ['VendorHttpError', new VendorHttpError('connectwise', 500, 'GET /service/tickets', 'database is down'), 502, '/problems/vendor-error'],
    ['VendorUnavailableError', new VendorUnavailableError('smileback', 'circuit open'), 503, '/problems/vendor-unavailable'],
    ['VendorTimeoutError', new VendorTimeoutError('defender', 'GET /alerts_v2', 500), 504, '/problems/vendor-timeout'],
    ['VendorWalkTimeoutError', new VendorWalkTimeoutError('sentinelone', 60_000), 504, '/problems/vendor-timeout'],
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
