import { VendorDataError } from '../http/vendor-errors.js';
import { VendorHttp, vendorUrl } from '../http/vendor-http.js';

export const SENTINELONE_VENDOR = 'sentinelone';
const THREATS_PATH = '/web/api/v2.1/threats';
const MAX_PAGE_SIZE = 1000;
const MAX_PAGES = 10_000;
/** `/threats` `incidentStatuses` values (lower case) of a threat not yet resolved. */
export const OPEN_INCIDENT_STATUSES = ['unresolved', 'in_progress'] as const;

export interface SentinelOneIntegration {
  base_url: string;
  api_token: string;
  account_ids?: string[];
  site_ids?: string[];
}

export interface SentinelOneClientOptions {
  pageSize?: number;
}

export interface SentinelOneThreat {
  id?: string;
  threatInfo?: {
    threatName?: string;
    classification?: string;
    confidenceLevel?: string;
    mitigationStatus?: string;
    incidentStatus?: string;
    analystVerdict?: string;
    identifiedAt?: string | null;
    createdAt?: string;
    updatedAt?: string;
    [field: string]: unknown;
  } | null;
  agentRealtimeInfo?: {
    agentComputerName?: string;
    accountId?: string;
    siteId?: string;
    [field: string]: unknown;
  } | null;
  [field: string]: unknown;
}

interface ThreatPage {
  data?: unknown;
  pagination?: { nextCursor?: string | null } | null;
}

export class SentinelOneClient {
  private readonly pageSize: number;

  constructor(
    private readonly config: SentinelOneIntegration,
    private readonly http: VendorHttp,
    private readonly breakerKey: string,
    options: SentinelOneClientOptions = {},
  ) {
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  }

  /** Every threat updated since `since` (any status), oldest update first. */
  listThreats(since: Date): Promise<SentinelOneThreat[]> {
    return this.walk({ updatedAt__gte: since.toISOString(), sortBy: 'updatedAt', sortOrder: 'asc' });
  }

  /**
   * Every threat not yet resolved (`unresolved` or `in_progress`), however long untouched: an open
   * threat counts as open whatever its age, and the updated-since walk misses the quiet ones.
   */
  listOpenThreats(): Promise<SentinelOneThreat[]> {
    return this.walk({ incidentStatuses: OPEN_INCIDENT_STATUSES.join(','), sortBy: 'id', sortOrder: 'asc' });
  }

  private async walk(filters: Record<string, string>): Promise<SentinelOneThreat[]> {
    const threats: SentinelOneThreat[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      // The cursor walk must repeat the same filters on every page.
      const body = await this.get({ ...filters, limit: this.pageSize, ...this.scope(), cursor });
      if (!body || !Array.isArray(body.data)) throw new VendorDataError(SENTINELONE_VENDOR, undefined, 'data', 'is not a JSON array');
      threats.push(...(body.data as SentinelOneThreat[]));
      const next = body.pagination?.nextCursor;
      if (!next) return threats;
      if (seen.has(next)) throw new VendorDataError(SENTINELONE_VENDOR, undefined, 'pagination.nextCursor', 'repeats a cursor');
      seen.add(next);
      cursor = next;
    }
    throw new VendorDataError(SENTINELONE_VENDOR, undefined, 'pagination.nextCursor', `still set after ${MAX_PAGES} pages`);
  }

  async ping(): Promise<void> {
    await this.get({ limit: 1, skipCount: 'true', ...this.scope() });
  }

  private scope(): Record<string, string | undefined> {
    const join = (ids?: string[]) => (ids && ids.length > 0 ? ids.join(',') : undefined);
    return { accountIds: join(this.config.account_ids), siteIds: join(this.config.site_ids) };
  }

  private async get(query: Record<string, string | number | undefined>): Promise<ThreatPage | null> {
    const response = await this.http.request<ThreatPage | null>({
      vendor: SENTINELONE_VENDOR,
      breakerKey: this.breakerKey,
      url: vendorUrl(this.config.base_url, THREATS_PATH, query),
      headers: { Authorization: `ApiToken ${this.config.api_token}`, Accept: 'application/json' },
    });
    return response.body;
  }
}
