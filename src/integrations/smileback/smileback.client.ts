import { VendorAuthError, VendorDataError, VendorHttpError } from '../http/vendor-errors.js';
import { BearerToken, OAuthTokenCache, VendorHttp, bearerToken, sameOriginLink, vendorUrl } from '../http/vendor-http.js';
import { DEFAULT_WALK_LIMITS, WalkItemShape, WalkLimits, WalkRequest, walkAll, walkTarget } from '../http/vendor-walk.js';

export const SMILEBACK_VENDOR = 'smileback';
export const SMILEBACK_DEFAULT_BASE_URL = 'https://app.smileback.io';
const MAX_PAGE_SIZE = 1000;
const TOKEN_KEY = 'password-grant';

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
  private readonly tokens = new OAuthTokenCache();
  private readonly walkLimits: WalkLimits;

  constructor(
    private readonly config: SmileBackIntegration,
    private readonly http: VendorHttp,
    private readonly breakerKey: string,
    options: SmileBackClientOptions = {},
  ) {
    this.baseUrl = (config.base_url || SMILEBACK_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.walkLimits = options.walk ?? DEFAULT_WALK_LIMITS;
  }

  listReviews(since: Date, stop?: AbortSignal): Promise<SmileBackReview[]> {
    const target = walkTarget(vendorUrl(this.baseUrl, REVIEWS_PATH));
    return walkAll(SMILEBACK_VENDOR, this.walkLimits, REVIEWS, stop, async (walk) => {
      let url: string | undefined = vendorUrl(this.baseUrl, REVIEWS_PATH, { modified_since: since.toISOString(), limit: this.pageSize, offset: 0 });
      while (url !== undefined) {
        walk.checkStopped();
        const body: ReviewPage | null = await this.authorizedGet<ReviewPage>(url, walk.request);
        if (!body || !Array.isArray(body.results)) throw new VendorDataError(SMILEBACK_VENDOR, undefined, 'results', 'is not a JSON array');
        walk.add(body.results, target);
        url = nextLink(body.next, this.baseUrl);
        if (url !== undefined) walk.follow('next', url);
      }
    });
  }

  async ping(): Promise<void> {
    await this.authorizedGet(vendorUrl(this.baseUrl, REVIEWS_PATH, { limit: 1 }));
  }

  private async authorizedGet<T>(url: string, walk?: WalkRequest): Promise<T | null> {
    const token = await this.accessToken();
    try {
      return await this.get<T>(url, token, walk);
    } catch (error) {
      // A token can be revoked or expire early server-side: fetch a new one once, then give up.
      if (!(error instanceof VendorAuthError) || error.status !== 401) throw error;
      this.tokens.drop(TOKEN_KEY, token);
      return this.get<T>(url, await this.accessToken(), walk);
    }
  }

  private async get<T>(url: string, token: BearerToken, walk?: WalkRequest): Promise<T | null> {
    const response = await this.http.request<T | null>({
      vendor: SMILEBACK_VENDOR,
      breakerKey: this.breakerKey,
      url,
      headers: { Authorization: token.header, Accept: 'application/json' },
      ...walk,
    });
    return response.body;
  }

  // Not bound to one walk: the token is shared by every walk waiting on it.
  private accessToken(): Promise<BearerToken> {
    return this.tokens.get(TOKEN_KEY, () => this.requestToken());
  }

  private async requestToken(): Promise<BearerToken> {
    const body = new URLSearchParams({
      grant_type: 'password',
      username: this.config.username,
      password: this.config.password,
      client_id: this.config.client_id,
      client_secret: this.config.client_secret,
      scope: 'read',
    });
    try {
      const response = await this.http.request<unknown>({
        vendor: SMILEBACK_VENDOR,
        breakerKey: this.breakerKey,
        method: 'POST',
        url: `${this.baseUrl}/api/token/`,
        headers: { Accept: 'application/json' },
        body,
      });
      return bearerToken(response.body, SMILEBACK_VENDOR);
    } catch (error) {
      // The token endpoint answers a wrong username or password with 400 invalid_grant.
      if (error instanceof VendorHttpError && !(error instanceof VendorAuthError) && error.status === 400) {
        throw new VendorAuthError(SMILEBACK_VENDOR, 400, error.target, error.bodyExcerpt);
      }
      throw error;
    }
  }
}

function nextLink(next: unknown, baseUrl: string): string | undefined {
  if (next === undefined || next === null || next === '') return undefined;
  if (typeof next !== 'string') throw new VendorDataError(SMILEBACK_VENDOR, undefined, 'next', 'is not a URL');
  return sameOriginLink(next, baseUrl, SMILEBACK_VENDOR, 'next');
}
