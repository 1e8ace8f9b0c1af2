import type { VendorCall } from '../../common/domain/domain-descriptor.js';
import { DOMAINS, type DomainName } from '../../domains.js';

/** The vendor calls behind each domain in live mode (its descriptor's): who a simulated failure or stale copy names. */
export const DOMAIN_VENDOR_CALLS = Object.fromEntries(DOMAINS.map((d) => [d.name, d.vendorCalls])) as Record<DomainName, readonly VendorCall[]>;
