import type { Tenant } from '../tenant.record.js';

export const TENANT_SOURCE = Symbol('TENANT_SOURCE');

/** Where tenants come from: tenants.json in mock mode, the platform store in live mode. */
export interface TenantSource {
  list(): Promise<Tenant[]>;
}
