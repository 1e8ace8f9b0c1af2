import { VendorDataError } from '../http/vendor-errors.js';
import type { VendorHttp } from '../http/vendor-http.js';
import { OAuthTokenCache, OAuthTokenClient } from '../http/oauth-token.client.js';
import type { VendorBudgetRef } from '../http/vendor-budgets.js';
import { sameOriginLink, vendorUrl } from '../http/vendor-url.js';
import { DEFAULT_WALK_LIMITS, VendorWalk, WalkItemShape, WalkLimits, WalkRequest, walkPages, walkTarget } from '../http/vendor-walk.js';

export const DEFENDER_VENDOR = 'defender';
export const DEFENDER_DEFAULTS = {
  graphBaseUrl: 'https://graph.microsoft.com',
  endpointBaseUrl: 'https://api.security.microsoft.com',
  loginUrl: 'https://login.microsoftonline.com',
  serviceSources: ['microsoftDefenderForEndpoint'],
} as const;
export const DEFENDER_SCOPES = {
  graph: 'https://graph.microsoft.com/.default',
  endpoint: 'https://api.securitycenter.microsoft.com/.default',
} as const;
const GRAPH_MAX_PAGE_SIZE = 1000;
const ENDPOINT_MAX_PAGE_SIZE = 10_000;
/** `status` values of an alert not yet resolved: Graph `alerts_v2` (reference §2.7), the endpoint API (§2.4). */
export const GRAPH_OPEN_STATUSES = ['new', 'inProgress', 'unknown'] as const;
export const ENDPOINT_OPEN_STATUSES = ['New', 'InProgress', 'Unknown'] as const;

export type DefenderApi = 'graph' | 'endpoint';

export interface DefenderIntegration {
  api?: DefenderApi;
  azure_tenant_id: string;
  client_id: string;
  client_secret: string;
  base_url?: string;
  login_url?: string;
  service_sources?: string[];
}

export interface DefenderClientOptions {
  pageSize?: number;
  /** Shared across clients so that one token serves every call for the same (Entra tenant, app, scope). */
  tokenCache?: OAuthTokenCache;
  /** Microsoft asks partners for `MdePartner-{Company}-{Product}/{Version}`. */
  userAgent?: string;
  walk?: WalkLimits;
}

export interface DefenderGraphAlert {
  id?: string;
  title?: string;
  severity?: string;
  status?: string;
  createdDateTime?: string;
  lastUpdateDateTime?: string;
  resolvedDateTime?: string | null;
  evidence?: Array<{ '@odata.type'?: string; deviceDnsName?: string | null; roles?: string[]; [field: string]: unknown }> | null;
  [field: string]: unknown;
}

export interface DefenderEndpointAlert {
  id?: string;
  title?: string;
  severity?: string;
  status?: string;
  alertCreationTime?: string;
  lastUpdateTime?: string;
  resolvedTime?: string | null;
  computerDnsName?: string | null;
  machineId?: string | null;
  [field: string]: unknown;
}

export type DefenderAlertBatch =
  | { api: 'graph'; items: DefenderGraphAlert[] }
  | { api: 'endpoint'; items: DefenderEndpointAlert[] };

interface ODataPage {
  value?: unknown;
  '@odata.nextLink'?: unknown;
}

// Graph {id:"da637…", lastUpdateDateTime:"…"}; the endpoint API {id:"da637…", lastUpdateTime:"…"}
const ANY_ALERTS: WalkItemShape<DefenderGraphAlert & DefenderEndpointAlert> = { id: (a) => a.id, updated: (a) => a.lastUpdateDateTime ?? a.lastUpdateTime };
const NEXT_LINK = '@odata.nextLink';

/** A page of a stream's alert walk, and the URL its next page is at (null after the last). */
export type DefenderAlertPage = DefenderAlertBatch & { next: string | null };

export class DefenderClient {
  private readonly api: DefenderApi;
  private readonly baseUrl: string;
  private readonly loginUrl: string;
  private readonly pageSize: number;
  private readonly tokens: OAuthTokenClient;
  private readonly walkLimits: WalkLimits;
  private readonly budget: VendorBudgetRef;

  constructor(
    private readonly config: DefenderIntegration,
    private readonly http: VendorHttp,
    private readonly breakerKey: string,
    private readonly options: DefenderClientOptions = {},
  ) {
    this.api = config.api ?? 'graph';
    const defaultBase = this.api === 'graph' ? DEFENDER_DEFAULTS.graphBaseUrl : DEFENDER_DEFAULTS.endpointBaseUrl;
    this.baseUrl = (config.base_url || defaultBase).replace(/\/+$/, '');
    this.loginUrl = (config.login_url || DEFENDER_DEFAULTS.loginUrl).replace(/\/+$/, '');
    const maxPageSize = this.api === 'graph' ? GRAPH_MAX_PAGE_SIZE : ENDPOINT_MAX_PAGE_SIZE;
    this.pageSize = Math.min(options.pageSize ?? maxPageSize, maxPageSize);
    this.walkLimits = options.walk ?? DEFAULT_WALK_LIMITS;
    // Microsoft counts per app (client id) per Entra tenant, whichever of our tenants holds the credential.
    this.budget = { name: this.api === 'graph' ? 'defender-graph' : 'defender-endpoint', key: `${config.azure_tenant_id.toLowerCase()}|${config.client_id}` };
    const scope = DEFENDER_SCOPES[this.api];
    this.tokens = new OAuthTokenClient(
      http,
      {
        vendor: DEFENDER_VENDOR,
        breakerKey,
        tokenUrl: `${this.loginUrl}/${encodeURIComponent(config.azure_tenant_id)}/oauth2/v2.0/token`,
        form: { client_id: config.client_id, client_secret: config.client_secret, grant_type: 'client_credentials', scope },
        cacheKey: [this.loginUrl, config.azure_tenant_id, config.client_id, scope].join('|'),
      },
      options.tokenCache,
    );
  }

  /** Which API this integration reads: `graph` (alerts_v2) or `endpoint` (Defender for Endpoint). */
  get apiName(): DefenderApi {
    return this.api;
  }

  /** The property each API dates an alert's last change with, as `$filter` names it. */
  get updatedField(): 'lastUpdateDateTime' | 'lastUpdateTime' {
    return this.api === 'graph' ? 'lastUpdateDateTime' : 'lastUpdateTime';
  }

  /** The `$filter` clause of the open statuses (`unknown` too: it maps to `new`). */
  get openCondition(): string {
    const statuses = this.api === 'graph' ? GRAPH_OPEN_STATUSES : ENDPOINT_OPEN_STATUSES;
    return `(${statuses.map((s) => `status eq '${s}'`).join(' or ')})`;
  }

  /**
   * The pages of a stream's run (one walk): the alerts matching `condition` (a `$filter` clause; Graph
   * adds the integration's service sources; null: every alert), or the rest of a walk from `resumeUrl` (a link it gave).
   */
  alertPages(condition: string | null, resumeUrl: string | null, stop?: AbortSignal): AsyncGenerator<DefenderAlertPage> {
    const path = this.api === 'graph' ? '/v1.0/security/alerts_v2' : '/api/alerts';
    const filter = [condition, this.api === 'graph' ? `(${this.sourceFilter()})` : null].filter(Boolean).join(' and ') || undefined;
    const first = resumeUrl ? sameOriginLink(resumeUrl, this.baseUrl, DEFENDER_VENDOR, 'resume') : vendorUrl(this.baseUrl, path, { $filter: filter, $top: this.pageSize });
    const pages = async function* (this: DefenderClient, walk: VendorWalk<DefenderGraphAlert & DefenderEndpointAlert>): AsyncGenerator<DefenderAlertPage> {
      for (let url: string | null = first; url !== null; ) {
        walk.checkStopped();
        const body = await this.authorizedGet(url, walk.request);
        const rows = walk.take(values(body), walkTarget(url));
        // The endpoint API documents no nextLink: follow one if it comes, else page with $skip until a short page.
        const skip: number = Number(new URL(url).searchParams.get('$skip') ?? 0) + rows.length;
        const next: string | null =
          this.next(walk, body) ??
          (this.api === 'graph' || rows.length < this.pageSize ? null : vendorUrl(this.baseUrl, path, { $filter: filter, $top: this.pageSize, $skip: skip }));
        url = next;
        const items = walk.onceEach(rows);
        yield this.api === 'graph' ? { api: 'graph', items, next } : { api: 'endpoint', items, next };
      }
    };
    return walkPages(DEFENDER_VENDOR, this.walkLimits, ANY_ALERTS, stop, (walk) => pages.call(this, walk));
  }

  async ping(): Promise<void> {
    const url =
      this.api === 'graph'
        ? vendorUrl(this.baseUrl, '/v1.0/security/alerts_v2', { $top: 1 })
        : vendorUrl(this.baseUrl, '/api/alerts', { $top: 1 });
    await this.authorizedGet(url);
  }

  private sourceFilter(): string {
    const sources = this.config.service_sources?.length ? this.config.service_sources : DEFENDER_DEFAULTS.serviceSources;
    return sources.map((s) => `serviceSource eq '${s.replace(/'/g, "''")}'`).join(' or ');
  }

  private next<T extends object>(walk: VendorWalk<T>, body: ODataPage | null): string | undefined {
    const link = body?.[NEXT_LINK];
    if (link === undefined || link === null || link === '') return undefined;
    if (typeof link !== 'string') throw new VendorDataError(DEFENDER_VENDOR, undefined, NEXT_LINK, 'is not a URL');
    const url = sameOriginLink(link, this.baseUrl, DEFENDER_VENDOR, NEXT_LINK);
    walk.follow(NEXT_LINK, url);
    return url;
  }

  private authorizedGet(url: string, walk?: WalkRequest): Promise<ODataPage | null> {
    return this.tokens.authorized(async (authorization) => {
      const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json' };
      if (this.options.userAgent) headers['User-Agent'] = this.options.userAgent;
      const response = await this.http.request<ODataPage | null>({ vendor: DEFENDER_VENDOR, breakerKey: this.breakerKey, url, headers, budget: this.budget, ...walk });
      return response.body;
    }, walk?.signal);
  }
}

function values(body: ODataPage | null): unknown[] {
  if (!body || !Array.isArray(body.value)) throw new VendorDataError(DEFENDER_VENDOR, undefined, 'value', 'is not a JSON array');
  return body.value;
}

