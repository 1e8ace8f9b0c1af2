import type { DomainName } from '../config/domains-and-vendors.js';
import type { Vendor } from '../platform/integration-bodies.dto.js';

/**
 * The live cache key of one vendor's fill of one domain for one tenant at one integration version:
 * the live sources store their fills under it and the ETags name the fills they were built from.
 */
export function fillKey(tenantId: string, domain: DomainName, vendor: Vendor, integrationVersion: string | number): string {
  return `${tenantId}:${domain}:${vendor}:${integrationVersion}`;
}
