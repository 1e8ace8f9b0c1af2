import { VendorError } from '../../src/integrations/http/vendor-errors.js';

/** The VendorError `promise` rejects with; anything else (or success) fails the test. */
export async function vendorFailure(promise: Promise<unknown>): Promise<VendorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VendorError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
