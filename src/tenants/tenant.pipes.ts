import { Injectable, PipeTransform } from '@nestjs/common';
import { Tenant } from './tenant.record.js';
import { TenantsService } from './tenants.service.js';

/** `:tenantId` → the Tenant: 400 for a malformed id (before any lookup), 404 for an unknown one. */
@Injectable()
export class TenantPipe implements PipeTransform<string, Promise<Tenant>> {
  constructor(private readonly tenants: TenantsService) {}

  transform(tenantId: string): Promise<Tenant> {
    return this.tenants.get(tenantId);
  }
}

/** As TenantPipe, and 403 when the tenant is inactive: for every tenant data route. */
@Injectable()
export class ActiveTenantPipe implements PipeTransform<string, Promise<Tenant>> {
  constructor(private readonly tenants: TenantsService) {}

  transform(tenantId: string): Promise<Tenant> {
    return this.tenants.getActive(tenantId);
  }
}
