import type { Cache } from 'cache-manager';
import type { HealthCheck, HealthCheckResult } from '../common/health/health-check.js';
import type { PlatformStore } from '../platform/platform.store.js';
import type { VendorHttp } from '../integrations/http/vendor-http.js';
import { withTimeout } from '../common/async/with-timeout.js';
import { CACHE_TIMEOUT_MS } from './live-cache.js';
import { DOMAIN_NAMES, domainsOfVendor, VENDORS, type DomainName } from '../config/domains-and-vendors.js';

/** Per vendor and tenant, the circuit breaker's state (`open` means calls are being refused). */
export class VendorBreakersHealthCheck implements HealthCheck {
  readonly name = 'vendors';
  readonly critical = false;

  constructor(private readonly http: VendorHttp) {}

  async check(): Promise<HealthCheckResult> {
    const breakers = this.http.breakerStates();
    const open = Object.entries(breakers).filter(([, state]) => state === 'open').map(([key]) => key);
    // An open breaker is a vendor's trouble, not ours: the service is still up and says which.
    return { status: 'ok', breakers, open };
  }
}


/** The cache backend answers. */
export class CacheHealthCheck implements HealthCheck {
  readonly name = 'cache';
  // Without Redis, data is still fetched from vendors (each copy alone): degraded, not down.
  readonly critical = false;

  constructor(
    private readonly cache: Cache,
    private readonly backend: 'memory' | 'redis',
  ) {}

  /** A write and a read-back on the shared store itself (cache-manager hides store errors). */
  async check(): Promise<HealthCheckResult> {
    const store = this.cache.stores[0];
    const token = `${process.pid}:${Date.now()}:${Math.random()}`;
    // A key of this probe's own: copies probing the shared store at once must not read each other's token.
    const key = `health-probe:${token}`;
    try {
      await withTimeout(store.set(key, token, 10_000), CACHE_TIMEOUT_MS, 'the cache');
      const back = await withTimeout(store.get<string>(key), CACHE_TIMEOUT_MS, 'the cache');
      if (back !== token) throw new Error('read back something else');
      // The in-memory store drops an expired key only when it is read again, which a probe's never is.
      await withTimeout(store.delete(key), CACHE_TIMEOUT_MS, 'the cache');
      return { status: 'ok', backend: this.backend };
    } catch {
      return { status: 'degraded', backend: this.backend, error: 'the cache does not answer; data is fetched from vendors without it' };
    }
  }
}

/** The domains each vendor's integration serves (from the domain descriptors' vendor calls). */
export const DOMAINS_BY_VENDOR: Record<string, DomainName[]> = Object.fromEntries(VENDORS.map((vendor) => [vendor, domainsOfVendor(vendor)]));

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
