import type { PlatformStore } from '../../platform/platform.store.js';
import type { Tenant } from '../tenant.record.js';
import type { TenantSource, TenantWriter } from './tenant-source.js';

/** Live mode: the tenant registry in the platform store. */
export class PlatformTenantSource implements TenantSource, TenantWriter {
  constructor(private readonly store: PlatformStore) {}

  list(): Promise<Tenant[]> {
    return this.store.listTenants();
  }

  create(tenant: Tenant): Promise<Tenant> {
    return this.store.createTenant(tenant);
  }

  update(id: string, patch: Partial<Omit<Tenant, 'id'>>): Promise<Tenant> {
    return this.store.updateTenant(id, patch);
  }
}
