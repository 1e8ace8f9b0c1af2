import type { PlatformTenantsService } from '../../platform/platform-tenants.service.js';
import type { Tenant } from '../tenant.record.js';
import type { TenantSource, TenantWriter } from './tenant-source.js';

/** Live mode: the tenant registry in the platform store. */
export class PlatformTenantSource implements TenantSource, TenantWriter {
  constructor(private readonly tenants: PlatformTenantsService) {}

  list(): Promise<Tenant[]> {
    return this.tenants.list();
  }

  create(tenant: Tenant): Promise<Tenant> {
    return this.tenants.create(tenant);
  }

  update(id: string, patch: Partial<Omit<Tenant, 'id'>>): Promise<Tenant> {
    return this.tenants.update(id, patch);
  }
}
