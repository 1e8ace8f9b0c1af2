import { Injectable } from '@nestjs/common';
import type { Tenant } from './tenant.record.js';
import type { Vendor } from './integration-bodies.dto.js';
import { IntegrationsService } from './integrations.service.js';
import { PlatformDb } from './platform-db.js';
import { PlatformTenantsService } from './platform-tenants.service.js';
import { IntegrationRepository } from './repositories/integration.repository.js';
import { TenantRepository } from './repositories/tenant.repository.js';

export interface TenantImportEntry {
  tenant: Tenant;
  integrations: Partial<Record<Vendor, Record<string, unknown>>>;
}

/** The CLI's `tenants import`: tenants and their integrations in one transaction, all or nothing. */
@Injectable()
export class TenantImportService {
  constructor(
    private readonly platform: PlatformDb,
    private readonly tenantRows: TenantRepository,
    private readonly integrationRows: IntegrationRepository,
    private readonly tenants: PlatformTenantsService,
    private readonly integrations: IntegrationsService,
  ) {}

  /** Existing tenants are updated; every secret is sealed before the transaction starts. */
  async import(entries: TenantImportEntry[]): Promise<{ created: string[]; updated: string[] }> {
    const rows = entries.flatMap((e) =>
      Object.entries(e.integrations).map(([vendor, body]) => this.integrations.toRow(e.tenant.id, vendor as Vendor, body ?? {})),
    );
    this.integrations.invalidate();
    try {
      return await this.tenants.writing(() =>
        this.platform.transaction(async (trx) => {
          const created: string[] = [];
          const updated: string[] = [];
          for (const { tenant } of entries) {
            if (await this.tenantRows.exists(tenant.id, trx)) {
              await this.tenantRows.update(tenant, trx);
              updated.push(tenant.id);
            } else {
              await this.tenantRows.create(tenant, trx);
              created.push(tenant.id);
            }
          }
          for (const row of rows) await this.integrationRows.upsert(row, trx);
          return { created, updated };
        }),
      );
    } finally {
      this.integrations.invalidate();
    }
  }
}
