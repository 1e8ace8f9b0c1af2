import type { Tenant } from '../tenant.record.js';

export const TENANT_SOURCE = Symbol('TENANT_SOURCE');

/** Where tenants come from: tenants.json in mock mode, the platform store in live mode. */
export interface TenantSource {
  list(): Promise<Tenant[]>;
}

export const TENANT_WRITER = Symbol('TENANT_WRITER');

/** Creating and changing tenants: the platform store in live mode; refused (403) in mock mode. */
export interface TenantWriter {
  create(tenant: Tenant): Promise<Tenant>;
  update(id: string, patch: Partial<Omit<Tenant, 'id'>>): Promise<Tenant>;
}
