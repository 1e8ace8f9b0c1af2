import { VendorDataError } from '../http/vendor-errors.js';
import type { VendorHttp } from '../http/vendor-http.js';
import { vendorUrl } from '../http/vendor-url.js';
import { DEFAULT_WALK_LIMITS, VendorWalk, WalkItemShape, WalkLimits, WalkRequest, walkPages, walkTarget } from '../http/vendor-walk.js';

export const SENTINELONE_VENDOR = 'sentinelone';
const THREATS_PATH = '/web/api/v2.1/threats';
const MAX_PAGE_SIZE = 1000;
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
  walk?: WalkLimits;
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
  pagination?: { nextCursor?: unknown } | null;
}

// S1 {id:"1790000000000000001", threatInfo:{updatedAt:"2026-01-06T08:00:00.123456Z"}}
const THREATS: WalkItemShape<SentinelOneThreat> = { id: (t) => t.id, updated: (t) => t.threatInfo?.updatedAt };

export class SentinelOneClient {
  private readonly pageSize: number;
  private readonly walkLimits: WalkLimits;

  constructor(
    private readonly config: SentinelOneIntegration,
    private readonly http: VendorHttp,
    private readonly breakerKey: string,
    options: SentinelOneClientOptions = {},
  ) {
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.walkLimits = options.walk ?? DEFAULT_WALK_LIMITS;
  }

  /** One walk (budgets, deadline, `stop`) for a stream's run: every page of `body` is counted against it. */
  streamWalk<P>(stop: AbortSignal | undefined, body: (walk: VendorWalk<SentinelOneThreat>) => AsyncIterable<P>): AsyncGenerator<P> {
    return walkPages(SENTINELONE_VENDOR, this.walkLimits, THREATS, stop, body);
  }

  /**
   * Cursor pages of the threats matching `filters` (e.g. `updatedAt__gte`, `sortBy`), from `cursor`
   * when resuming; each page names the cursor of the next (null after the last).
   */
  async *threatPages(
    walk: VendorWalk<SentinelOneThreat>,
    filters: Record<string, string | undefined>,
    cursor: string | null,
  ): AsyncGenerator<{ rows: SentinelOneThreat[]; next: string | null }> {
    const target = walkTarget(vendorUrl(this.config.base_url, THREATS_PATH));
    for (let at = cursor ?? undefined; ; ) {
      walk.checkStopped();
      const body = await this.get({ ...filters, limit: this.pageSize, ...this.scope(), cursor: at }, walk.request);
      if (!body || !Array.isArray(body.data)) throw new VendorDataError(SENTINELONE_VENDOR, undefined, 'data', 'is not a JSON array');
      const rows = walk.take(body.data, target);
      at = nextCursor(body);
      if (at !== undefined) walk.follow('pagination.nextCursor', at);
      yield { rows: walk.onceEach(rows), next: at ?? null };
      if (at === undefined) return;
    }
  }

  async ping(): Promise<void> {
    await this.get({ limit: 1, skipCount: 'true', ...this.scope() });
  }

  private scope(): Record<string, string | undefined> {
    const join = (ids?: string[]) => (ids && ids.length > 0 ? ids.join(',') : undefined);
    return { accountIds: join(this.config.account_ids), siteIds: join(this.config.site_ids) };
  }

  private async get(query: Record<string, string | number | undefined>, walk?: WalkRequest): Promise<ThreatPage | null> {
    const response = await this.http.request<ThreatPage | null>({
      vendor: SENTINELONE_VENDOR,
      breakerKey: this.breakerKey,
      url: vendorUrl(this.config.base_url, THREATS_PATH, query),
      headers: { Authorization: `ApiToken ${this.config.api_token}`, Accept: 'application/json' },
      ...walk,
    });
    return response.body;
  }
}

/** The next page's cursor; null or absent ends the walk, anything but a non-empty string is the vendor's error. */
function nextCursor(body: ThreatPage): string | undefined {
  const pagination = body.pagination;
  if (pagination === undefined || pagination === null) return undefined;
  if (typeof pagination !== 'object' || Array.isArray(pagination)) {
    throw new VendorDataError(SENTINELONE_VENDOR, undefined, 'pagination', 'is not an object');
  }
  const cursor = pagination.nextCursor;
  if (cursor === undefined || cursor === null) return undefined;
  if (typeof cursor !== 'string' || cursor.trim() === '') {
    throw new VendorDataError(SENTINELONE_VENDOR, undefined, 'pagination.nextCursor', 'is not a non-empty string');
  }
  return cursor;
}
