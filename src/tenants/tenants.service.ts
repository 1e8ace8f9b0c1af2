import { Inject, Injectable } from '@nestjs/common';
import { ListQueryValues, Page, runQuery } from '../common/query/query-engine.js';
import { InvalidTenantIdError, TenantInactiveError, TenantNotFoundError } from '../common/problem/problem.error.js';
import { TENANT_ID_PATTERN } from '../common/validation/formats.js';
import { ListTenantsQuery, TENANT_FIELDS } from './list-tenants-query.dto.js';
import { TENANT_SOURCE, TenantSource } from './sources/tenant-source.js';
import { Tenant } from './tenant.record.js';

@Injectable()
export class TenantsService {
  constructor(@Inject(TENANT_SOURCE) private readonly source: TenantSource) {}

  async list(query: ListQueryValues): Promise<Page<Tenant>> {
    return runQuery(await this.source.list(), query, {
      fields: TENANT_FIELDS,
      idFields: ['id'],
      defaultSort: 'id',
      queryClass: ListTenantsQuery,
    });
  }

  /** Checks, in order: the id's pattern (400) — before anything is looked up — then existence (404). */
  async get(tenantId: string): Promise<Tenant> {
    if (!TENANT_ID_PATTERN.test(tenantId)) throw new InvalidTenantIdError(tenantId);
    const tenant = (await this.source.list()).find((t) => t.id === tenantId);
    if (!tenant) throw new TenantNotFoundError(tenantId);
    return tenant;
  }

  /** As `get`, and the tenant must be active (403): what every data route requires. */
  async getActive(tenantId: string): Promise<Tenant> {
    const tenant = await this.get(tenantId);
    if (!tenant.is_active) throw new TenantInactiveError(tenantId);
    return tenant;
  }
}
