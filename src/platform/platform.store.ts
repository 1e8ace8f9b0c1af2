import { Injectable } from '@nestjs/common';
import type { Tenant } from './tenant.record.js';
import type { Vendor } from './integration-bodies.dto.js';
import { IntegrationCredentials, IntegrationsService } from './integrations.service.js';
import { PlatformTenantsService } from './platform-tenants.service.js';

export type { IntegrationCredentials, IntegrationView } from './integrations.service.js';

/** What live mode reads of the platform: the tenant registry and the stored integrations, through the services' caches. */
@Injectable()
export class PlatformStore {
  constructor(
    readonly tenants: PlatformTenantsService,
    readonly integrations: IntegrationsService,
  ) {}

  listTenants(): Promise<Tenant[]> {
    return this.tenants.list();
  }

  configuredVendors(): Promise<{ tenant_id: string; vendor: string }[]> {
    return this.integrations.configuredVendors();
  }

  /** The vendors the tenant has an integration for, cached as the credentials are. */
  integrationVendors(tenantId: string): Promise<ReadonlySet<string>> {
    return this.integrations.vendorsOf(tenantId);
  }

  integrationCredentials(tenantId: string, vendor: Vendor): Promise<IntegrationCredentials | undefined> {
    return this.integrations.credentialsFor(tenantId, vendor);
  }
}
