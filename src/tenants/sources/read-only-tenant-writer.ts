import { ReadOnlyTenantsError } from '../../platform/platform.errors.js';
import type { Tenant } from '../tenant.record.js';
import type { TenantWriter } from './tenant-source.js';

/** Mock mode: tenants come from tenants.json, so every write is refused with 403. */
export class ReadOnlyTenantWriter implements TenantWriter {
  create(): Promise<Tenant> {
    return Promise.reject(new ReadOnlyTenantsError());
  }

  update(): Promise<Tenant> {
    return Promise.reject(new ReadOnlyTenantsError());
  }
}
