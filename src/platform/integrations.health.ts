import type { HealthCheck, HealthCheckResult } from '../common/health/health-check.js';
import { DOMAIN_NAMES, DOMAINS_BY_VENDOR } from '../config/domains-and-vendors.js';
import type { PlatformStore } from './platform.store.js';

/** Which (tenant, domain) pairs have no integration behind them, and so serve empty lists. */
export class LiveIntegrationsHealthCheck implements HealthCheck {
  readonly name = 'integrations';
  readonly critical = false;
  // Lists tenant ids, and costs two reads: for admins only.
  readonly adminOnly = true;

  constructor(
    private readonly store: PlatformStore,
    /** The domains served live (mixed mode mocks the others). */
    private readonly domains: readonly string[] = DOMAIN_NAMES,
  ) {}

  async check(): Promise<HealthCheckResult> {
    const [tenants, configured] = await Promise.all([this.store.listTenants(), this.store.configuredVendors()]);
    const covered = new Set(configured.flatMap(({ tenant_id, vendor }) => (DOMAINS_BY_VENDOR[vendor] ?? []).map((d) => `${tenant_id}/${d}`)));
    const notConfigured = tenants.flatMap((t) =>
      this.domains.filter((d) => !covered.has(`${t.id}/${d}`)).map((domain) => ({ tenant_id: t.id, domain })),
    );
    return { status: 'ok', tenants: tenants.length, not_configured: notConfigured };
  }
}
