import { Injectable } from '@nestjs/common';
import type { Tenant } from './tenant.record.js';
import { TenantNotFoundError } from '../common/problem/problem.error.js';
import { PlatformCacheOptions, PlatformDb, STALE_ON_UNAVAILABLE_MS, definedOnly } from './platform-db.js';
import { TenantExistsError, isUniqueViolation } from './platform.errors.js';
import { ReadCache } from './read-cache.js';
import { TenantRepository } from './repositories/tenant.repository.js';

/** The tenant registry of live mode, read through a short in-process cache that every write clears. */
@Injectable()
export class PlatformTenantsService {
  private readonly cache: ReadCache<Tenant[]>;

  constructor(
    private readonly tenants: TenantRepository,
    private readonly platform: PlatformDb,
    options: PlatformCacheOptions,
  ) {
    this.cache = new ReadCache({ ttlMs: options.cacheTtlMs, staleOnUnavailableMs: STALE_ON_UNAVAILABLE_MS });
  }

  /** Every tenant, from a read at most `cacheTtlMs` old (callers must not change the list). */
  list(): Promise<Tenant[]> {
    return this.cache.get('all', () => this.tenants.getAll());
  }

  async create(tenant: Tenant): Promise<Tenant> {
    return this.writing(async () => {
      try {
        await this.tenants.create(tenant);
        return tenant;
      } catch (error) {
        if (isUniqueViolation(error)) throw new TenantExistsError(tenant.id);
        throw error;
      }
    });
  }

  async update(id: string, patch: Partial<Omit<Tenant, 'id'>>): Promise<Tenant> {
    return this.writing(async () => {
      return this.platform.transaction(async (trx) => {
        const current = await this.tenants.get(id, trx);
        if (!current) throw new TenantNotFoundError(id);
        const next: Tenant = { ...current, ...definedOnly(patch), id };
        await this.tenants.update(next, trx);
        return next;
      });
    });
  }

  /** Cleared before and after, so no read started during the write is kept. */
  async writing<T>(work: () => Promise<T>): Promise<T> {
    this.cache.invalidate();
    try {
      return await work();
    } finally {
      this.cache.invalidate();
    }
  }
}
