import { VendorDataError } from '../http/vendor-errors.js';
import type { VendorHttp } from '../http/vendor-http.js';
import { OAuthTokenClient } from '../http/oauth-token.client.js';
import { sameOriginLink, vendorUrl } from '../http/vendor-url.js';
import { DEFAULT_WALK_LIMITS, VendorWalk, WalkItemShape, WalkLimits, WalkRequest, walkPages, walkTarget } from '../http/vendor-walk.js';

export const SMILEBACK_VENDOR = 'smileback';
export const SMILEBACK_DEFAULT_BASE_URL = 'https://app.smileback.io';
const MAX_PAGE_SIZE = 1000;

export interface SmileBackIntegration {
  base_url?: string;
  client_id: string;
  client_secret: string;
  username: string;
  password: string;
}

export interface SmileBackClientOptions {
  pageSize?: number;
  walk?: WalkLimits;
}

export interface SmileBackReview {
  id?: number;
  rating?: number | string | null;
  comment?: string | null;
  ticket?: { id?: string | number | null; title?: string; [field: string]: unknown } | null;
  status?: string;
  rated_on?: string | null;
  last_modified?: string;
  [field: string]: unknown;
}

interface ReviewPage {
  count?: number;
  next?: unknown;
  results?: unknown;
}

// SB {id:35929235, last_modified:"2026-01-13T17:41:09.512301Z"}
const REVIEWS: WalkItemShape<SmileBackReview> = { id: (r) => r.id, updated: (r) => r.last_modified };
const REVIEWS_PATH = '/api/v3/reviews/';

export class SmileBackClient {
  private readonly baseUrl: string;
  private readonly pageSize: number;
  private readonly tokens: OAuthTokenClient;
  private readonly walkLimits: WalkLimits;

  constructor(
    config: SmileBackIntegration,
    private readonly http: VendorHttp,
    private readonly breakerKey: string,
    options: SmileBackClientOptions = {},
  ) {
    this.baseUrl = (config.base_url || SMILEBACK_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.walkLimits = options.walk ?? DEFAULT_WALK_LIMITS;
    // One token per client: a changed integration (a new client) starts without the old one.
    this.tokens = new OAuthTokenClient(http, {
      vendor: SMILEBACK_VENDOR,
      breakerKey,
      tokenUrl: `${this.baseUrl}/api/token/`,
      form: {
        grant_type: 'password',
        username: config.username,
        password: config.password,
        client_id: config.client_id,
        client_secret: config.client_secret,
        scope: 'read',
      },
      cacheKey: 'password-grant',
    });
  }

  /**
   * The review pages of a stream's run (one walk), by keyset on `last_modified` (the replication API
   * lists by it, the vendor's own loop moves `modified_since`): every review modified at or after
   * `since` (everything when null), unrated and deleted ones included (`include_unrated`: a tombstone
   * is never left out). Offset links would skip a review that moves to the end when modified mid-walk.
   * Each page says where the next starts: the last `last_modified` it holds (null after the last page).
   */
  modifiedPages(since: string | null, stop?: AbortSignal): AsyncGenerator<{ rows: SmileBackReview[]; next: string | null }> {
    const target = walkTarget(vendorUrl(this.baseUrl, REVIEWS_PATH));
    const keyset = (from: string | null) =>
      vendorUrl(this.baseUrl, REVIEWS_PATH, { modified_since: from ?? undefined, include_unrated: 'true', limit: this.pageSize });
    const pages = async function* (this: SmileBackClient, walk: VendorWalk<SmileBackReview>) {
      let cursor = since;
      // Ids already handed on whose `last_modified` is the cursor: `modified_since` may be inclusive.
      let boundary = new Set<string>();
      for (let url: string | null = keyset(cursor); url !== null; ) {
        walk.checkStopped();
        const body: ReviewPage | null = await this.authorizedGet<ReviewPage>(url, walk.request);
        if (!body || !Array.isArray(body.results)) throw new VendorDataError(SMILEBACK_VENDOR, undefined, 'results', 'is not a JSON array');
        // Checked before anything reads a field: an item that is not an object fails the walk naming it, never a TypeError.
        const rows = walk.take(body.results, target).filter((r) => !(String(r.last_modified) === cursor && boundary.has(String(r.id))));
        const last: unknown = body.results.at(-1)?.last_modified;
        const next: string | null = nextLink(body.next, this.baseUrl) ?? null;
        if (typeof last === 'string' && cursor !== null && Date.parse(last) < Date.parse(cursor)) {
          throw new VendorDataError(SMILEBACK_VENDOR, undefined, 'last_modified', 'went back: the list is not ordered by it');
        }
        if (next === null || typeof last !== 'string') {
          yield { rows: walk.onceEach(rows), next: null };
          return;
        }
        if (last !== cursor) boundary = new Set();
        for (const r of body.results) if (String(r.last_modified) === last) boundary.add(String(r.id));
        // A page ending at the instant it started from cannot move the keyset: its offset link goes on.
        url = last === cursor ? next : keyset(last);
        cursor = last;
        walk.follow('next', url as string);
        yield { rows: walk.onceEach(rows), next: cursor };
      }
    };
    return walkPages(SMILEBACK_VENDOR, this.walkLimits, REVIEWS, stop, (walk) => pages.call(this, walk));
  }

  async ping(): Promise<void> {
    await this.authorizedGet(vendorUrl(this.baseUrl, REVIEWS_PATH, { limit: 1 }));
  }

  private authorizedGet<T>(url: string, walk?: WalkRequest): Promise<T | null> {
    return this.tokens.authorized(async (authorization) => {
      const response = await this.http.request<T | null>({
        vendor: SMILEBACK_VENDOR,
        breakerKey: this.breakerKey,
        url,
        headers: { Authorization: authorization, Accept: 'application/json' },
        // 30 requests a minute per customer (VENDOR_BUDGETS); the token call is not counted.
        budget: { name: 'smileback' },
        ...walk,
      });
      return response.body;
    }, walk?.signal);
  }
}

function nextLink(next: unknown, baseUrl: string): string | undefined {
  if (next === undefined || next === null || next === '') return undefined;
  if (typeof next !== 'string') throw new VendorDataError(SMILEBACK_VENDOR, undefined, 'next', 'is not a URL');
  return sameOriginLink(next, baseUrl, SMILEBACK_VENDOR, 'next');
}
