import { PRINCIPAL, type RequestIdentity } from '../common/request-identity.js';

export { PRINCIPAL } from '../common/request-identity.js';

/** Who is asking: an admin key (every tenant, admin routes) or a tenant key (only its tenants). */
export class Principal implements RequestIdentity {
  private constructor(
    readonly kind: 'admin' | 'tenant',
    /** The key's id (`env:ADMIN_API_KEY` for the bootstrap key, `auth-disabled` when auth is off). */
    readonly keyId: string,
    private readonly tenantIds: ReadonlySet<string>,
  ) {}

  static admin(keyId: string): Principal {
    return new Principal('admin', keyId, new Set());
  }

  static tenant(keyId: string, tenantIds: string[]): Principal {
    return new Principal('tenant', keyId, new Set(tenantIds));
  }

  get isAdmin(): boolean {
    return this.kind === 'admin';
  }

  canSee(tenantId: string): boolean {
    return this.isAdmin || this.tenantIds.has(tenantId);
  }
}

export type WithPrincipal = { [PRINCIPAL]?: Principal };
