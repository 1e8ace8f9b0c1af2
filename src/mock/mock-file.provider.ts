import type { Tenant } from '../platform/tenant.record.js';
import type { MockDomain } from './mock-domains.js';
import type { MockFileStore } from './mock-file.store.js';

/**
 * The mock-mode implementation of every source token: one generic class, given the domain whose
 * folder it reads (or `'tenants'` for tenants.json). Records are handed out exactly as the files hold them.
 */
export class MockFileProvider<T> {
  private constructor(
    private readonly store: MockFileStore,
    private readonly domain: MockDomain<T> | 'tenants',
  ) {}

  static of<T>(store: MockFileStore, domain: MockDomain<T>): MockFileProvider<T> {
    return new MockFileProvider(store, domain);
  }

  static tenants(store: MockFileStore): MockFileProvider<Tenant> {
    return new MockFileProvider<Tenant>(store, 'tenants');
  }

  /** The tenant's records of this domain; for tenants.json, every tenant. */
  async list(tenantId?: string): Promise<T[]> {
    if (this.domain === 'tenants') return this.store.tenants() as unknown as T[];
    if (tenantId === undefined) throw new TypeError(`MockFileProvider(${this.domain.name}).list needs a tenant id`);
    return this.store.records(this.domain.name, tenantId) as T[];
  }

  describe(): string {
    return this.domain === 'tenants' ? 'tenants.json' : `${this.domain.folder}/<tenant_id>.json`;
  }
}
