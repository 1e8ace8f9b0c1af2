import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { ConnectWiseClient, ConnectWiseIntegration } from '../integrations/connectwise/connectwise.client.js';
import { DefenderClient, DefenderIntegration } from '../integrations/defender/defender.client.js';
import type { VendorCallMetrics } from '../integrations/http/vendor-call-metrics.js';
import { VendorHttp } from '../integrations/http/vendor-http.js';
import { OAuthTokenCache } from '../integrations/http/oauth-token.client.js';
import type { WalkLimits } from '../integrations/http/vendor-walk.js';
import { SentinelOneClient, SentinelOneIntegration } from '../integrations/sentinelone/sentinelone.client.js';
import { SmileBackClient, SmileBackIntegration } from '../integrations/smileback/smileback.client.js';
import type { Vendor } from './integration-bodies.dto.js';
import { IntegrationCredentials, PlatformStore } from './platform.store.js';

export interface VendorClients {
  connectwise: ConnectWiseClient;
  smileback: SmileBackClient;
  sentinelone: SentinelOneClient;
  defender: DefenderClient;
}

/**
 * One client per (tenant, vendor), built from the tenant's stored integration and rebuilt when it
 * changes; all share one resilient VendorHttp (retries, breaker per vendor and tenant, bulkhead per tenant and vendor host).
 */
@Injectable()
export class LiveClients {
  private readonly tokens = new OAuthTokenCache();
  private readonly clients = new Map<string, { version: string; client: unknown }>();
  private readonly walk: WalkLimits;

  constructor(
    private readonly store: PlatformStore,
    @Inject(liveConfig.KEY) config: ConfigType<typeof liveConfig>,
    private readonly http: VendorHttp,
  ) {
    this.walk = config.walk;
  }

  /**
   * The tenant's client for this vendor and the integration's version (its `updated_at`, for cache
   * keys: changing an integration starts a fresh cache), or undefined when there is no such integration.
   */
  async for<V extends Vendor>(tenantId: string, vendor: V): Promise<{ client: VendorClients[V]; version: string } | undefined> {
    const integration = await this.store.integrationCredentials(tenantId, vendor);
    const key = `${tenantId}/${vendor}`;
    if (!integration) {
      this.clients.delete(key);
      return undefined;
    }
    const cached = this.clients.get(key);
    if (cached?.version === integration.updated_at) return { client: cached.client as VendorClients[V], version: cached.version };
    const client = this.construct(tenantId, vendor, integration, this.http);
    this.clients.set(key, { version: integration.updated_at, client });
    return { client: client as VendorClients[V], version: integration.updated_at };
  }

  /** A client of its own (not cached) whose every vendor call `observer` also hears: one per sync run. */
  async fresh<V extends Vendor>(tenantId: string, vendor: V, observer: VendorCallMetrics): Promise<VendorClients[V] | undefined> {
    const integration = await this.store.integrationCredentials(tenantId, vendor);
    return integration && this.construct(tenantId, vendor, integration, this.http.withCallObserver(observer));
  }

  private construct<V extends Vendor>(tenantId: string, vendor: V, integration: IntegrationCredentials, shared: VendorHttp): VendorClients[V] {
    const config = { ...integration.settings, ...integration.secrets };
    // The version makes a changed integration start with a closed circuit (VendorHttp drops the old one).
    const breakerKey = `${vendor}:${tenantId}@${integration.updated_at}`;
    // Whatever the vendor echoes back, none of this integration's secrets reaches an error or a log.
    const identities = Object.values(integration.settings).filter((v): v is string => typeof v === 'string' && !/^https?:/i.test(v));
    const http = shared.withSecrets(Object.values(integration.secrets), identities);
    const client = {
      connectwise: () => new ConnectWiseClient(config as unknown as ConnectWiseIntegration, http, breakerKey, { walk: this.walk }),
      smileback: () => new SmileBackClient(config as unknown as SmileBackIntegration, http, breakerKey, { walk: this.walk }),
      sentinelone: () => new SentinelOneClient(config as unknown as SentinelOneIntegration, http, breakerKey, { walk: this.walk }),
      defender: () => new DefenderClient(config as unknown as DefenderIntegration, http, breakerKey, { tokenCache: this.tokens, walk: this.walk }),
    }[vendor]();
    return client as VendorClients[V];
  }
}
