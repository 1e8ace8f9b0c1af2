/** Who is asking: an admin key (every tenant, admin routes) or a tenant key (only its tenants). */
export class Principal {
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

/** Where the guard leaves the principal on the request. */
export const PRINCIPAL = Symbol('principal');

export type WithPrincipal = { [PRINCIPAL]?: Principal };
