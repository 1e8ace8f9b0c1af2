import { Injectable } from '@nestjs/common';
import type { Tenant } from '../tenant.record.js';
import { PlatformDb, PlatformExecutor, nowIso } from '../platform-db.js';

interface TenantRow {
  id: string;
  name: string;
  is_active: number;
  llm_enabled: number;
}

const toTenant = (row: TenantRow): Tenant => ({ id: row.id, name: row.name, is_active: row.is_active === 1, llm_enabled: row.llm_enabled === 1 });

/** The `tenants` table. */
@Injectable()
export class TenantRepository {
  constructor(private readonly platform: PlatformDb) {}

  async getAll(): Promise<Tenant[]> {
    return (await this.platform.db.selectFrom('tenants').selectAll().orderBy('id').execute()).map(toTenant);
  }

  async get(id: string, db: PlatformExecutor = this.platform.db): Promise<Tenant | undefined> {
    const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTenant(row);
  }

  async exists(id: string, db: PlatformExecutor = this.platform.db): Promise<boolean> {
    return (await db.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async create(tenant: Tenant, db: PlatformExecutor = this.platform.db): Promise<void> {
    const at = nowIso();
    await db
      .insertInto('tenants')
      .values({ id: tenant.id, name: tenant.name, is_active: tenant.is_active ? 1 : 0, llm_enabled: tenant.llm_enabled ? 1 : 0, created_at: at, updated_at: at })
      .execute();
  }

  async update(tenant: Tenant, db: PlatformExecutor = this.platform.db): Promise<void> {
    await db
      .updateTable('tenants')
      .set({ name: tenant.name, is_active: tenant.is_active ? 1 : 0, llm_enabled: tenant.llm_enabled ? 1 : 0, updated_at: nowIso() })
      .where('id', '=', tenant.id)
      .execute();
  }
}
