import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { InvalidTenantIdError, TenantInactiveError, TenantNotFoundError } from '../common/problem/problem.error.js';
import { RecordIndex } from '../common/record-index/record-index.js';
import type { RecordPage } from '../common/record-index/record-page.js';
import { TENANT_ID_PATTERN } from '../common/validation/formats.js';
import { ListTenantsQuery, TENANT_FIELDS } from './list-tenants-query.dto.js';
import { TENANT_SOURCE, TenantSource } from './sources/tenant-source.js';
import { Tenant } from './tenant.record.js';

const TENANT_QUERY = { fields: TENANT_FIELDS, idFields: ['id'], defaultSort: 'id', queryClass: ListTenantsQuery } as const;

/** The one place that decides who may see which tenant. */
@Injectable()
export class TenantsService {
  constructor(@Inject(TENANT_SOURCE) private readonly source: TenantSource) {}

  /** Only the tenants the key may see. */
  async list(principal: Principal, query: ListTenantsQuery): Promise<RecordPage<Tenant>> {
    const visible = (await this.source.list()).filter((t) => principal.canSee(t.id));
    return new RecordIndex(visible, TENANT_QUERY).query(query);
  }

  /**
   * In order: the id's pattern (400, before anything is looked up), then existence and the key's
   * scope together (404 for both: a tenant key must not learn that another tenant exists).
   */
  async get(tenantId: string, principal: Principal): Promise<Tenant> {
    if (!TENANT_ID_PATTERN.test(tenantId)) throw new InvalidTenantIdError(tenantId);
    const tenant = principal.canSee(tenantId) ? (await this.source.list()).find((t) => t.id === tenantId) : undefined;
    if (!tenant) throw new TenantNotFoundError(tenantId);
    return tenant;
  }

  /** As `get`, and the tenant must be active (403): what every data route requires. */
  async getActive(tenantId: string, principal: Principal): Promise<Tenant> {
    const tenant = await this.get(tenantId, principal);
    if (!tenant.is_active) throw new TenantInactiveError(tenantId);
    return tenant;
  }

  /** Every tenant id that exists (admin checks such as a new key's scope). */
  async ids(): Promise<Set<string>> {
    return new Set((await this.source.list()).map((t) => t.id));
  }
}
