import { VendorAuthError, VendorDataError, VendorError, VendorHttpError, VendorUnavailableError } from './vendor-errors.js';
import type { VendorHttp } from './vendor-http.js';

export interface BearerToken {
  header: string;
  refreshAt: number;
}

/** Tokens by key, with one request in flight per key however many callers wait for it. */
export class OAuthTokenCache {
  private readonly tokens = new Map<string, BearerToken>();
  private readonly pending = new Map<string, Promise<BearerToken>>();

  get(key: string, fetchToken: () => Promise<BearerToken>): Promise<BearerToken> {
    const cached = this.tokens.get(key);
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = fetchToken()
        .then((token) => {
          this.tokens.set(key, token);
          return token;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  drop(key: string, token: BearerToken): void {
    if (this.tokens.get(key) === token) this.tokens.delete(key);
  }
}

const DEFAULT_TOKEN_LIFETIME_S = 3600;

// Refresh a minute early (halfway for short-lived tokens) so that no call starts with a token about to die.
export function bearerToken(body: unknown, vendor: string, now = Date.now()): BearerToken {
  const fields = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
  if (typeof fields.access_token !== 'string' || fields.access_token === '') {
    throw new VendorDataError(vendor, undefined, 'access_token');
  }
  const seconds = Number(fields.expires_in);
  const lifetimeMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TOKEN_LIFETIME_S) * 1000;
  return { header: `Bearer ${fields.access_token}`, refreshAt: now + lifetimeMs - Math.min(60_000, lifetimeMs / 2) };
}

/** What differs between vendors' OAuth 2 token requests (password grant, client credentials). */
export interface OAuthGrant {
  vendor: string;
  breakerKey: string;
  tokenUrl: string;
  /** The form posted to the token endpoint: `grant_type`, the client's credentials, `scope`… */
  form: Record<string, string>;
  /** Callers with the same key share one token (same identity provider, app, user and scope). */
  cacheKey: string;
}

/** Bearer tokens for one grant: cached until shortly before they expire, fetched once for all waiting callers, dropped on a 401. */
export class OAuthTokenClient {
  constructor(
    private readonly http: VendorHttp,
    private readonly grant: OAuthGrant,
    private readonly cache: OAuthTokenCache = new OAuthTokenCache(),
  ) {}

  /**
   * `call` with an Authorization header value; a 401 drops that token and tries once more with a fresh one.
   * `stop` (the caller's walk) ends the wait for a token too.
   */
  async authorized<T>(call: (authorization: string) => Promise<T>, stop?: AbortSignal): Promise<T> {
    const token = await this.token(stop);
    try {
      return await call(token.header);
    } catch (error) {
      // A token can be revoked or expire early server-side (revocation, key rollover): refresh once, then give up.
      if (!(error instanceof VendorAuthError) || error.status !== 401) throw error;
      this.cache.drop(this.grant.cacheKey, token);
      return call((await this.token(stop)).header);
    }
  }

  // The request is shared by every walk waiting on it, so it has its own deadline; each waiter leaves at its own stop.
  private token(stop?: AbortSignal): Promise<BearerToken> {
    const shared = this.cache.get(this.grant.cacheKey, () => this.requestToken());
    return stop ? this.untilStopped(shared, stop) : shared;
  }

  private untilStopped(shared: Promise<BearerToken>, stop: AbortSignal): Promise<BearerToken> {
    const reason = () => (stop.reason instanceof VendorError ? stop.reason : new VendorUnavailableError(this.grant.vendor, 'the walk was stopped by its caller'));
    if (stop.aborted) return Promise.reject(reason());
    return new Promise<BearerToken>((resolve, reject) => {
      const onStop = () => reject(reason());
      stop.addEventListener('abort', onStop, { once: true });
      shared.then(resolve, reject).finally(() => stop.removeEventListener('abort', onStop));
    });
  }

  private async requestToken(): Promise<BearerToken> {
    const { vendor, breakerKey, tokenUrl, form } = this.grant;
    try {
      const response = await this.http.request<unknown>({
        vendor,
        breakerKey,
        method: 'POST',
        url: tokenUrl,
        headers: { Accept: 'application/json' },
        body: new URLSearchParams(form),
        deadlineAt: Date.now() + this.http.options.timeoutMs,
      });
      return bearerToken(response.body, vendor);
    } catch (error) {
      // Token endpoints answer a refused grant (wrong password, unknown tenant, missing consent, bad scope) with 400.
      if (error instanceof VendorHttpError && !(error instanceof VendorAuthError) && error.status === 400) {
        throw new VendorAuthError(vendor, 400, error.target, error.bodyExcerpt);
      }
      throw error;
    }
  }
}
