import { Injectable, PipeTransform } from '@nestjs/common';
import type { TenantRequest } from './tenant-param.decorator.js';
import { Tenant } from './tenant.record.js';
import { TenantsService } from './tenants.service.js';

/**
 * `{tenantId}` → the Tenant: 400 malformed (before any lookup), 404 unknown or outside the key's scope.
 * Data routes get theirs (active, else 403) from the perimeter instead: `@CurrentTenant()`.
 */
@Injectable()
export class TenantPipe implements PipeTransform<TenantRequest, Promise<Tenant>> {
  constructor(private readonly tenants: TenantsService) {}

  transform({ tenantId, principal }: TenantRequest): Promise<Tenant> {
    return this.tenants.get(tenantId, principal);
  }
}
