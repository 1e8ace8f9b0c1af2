import { OAuthTokenCache, OAuthTokenClient } from '../../src/integrations/http/oauth-token.client.js';
import { VendorAuthError, VendorDataError, VendorError } from '../../src/integrations/http/vendor-errors.js';
import { VendorHttp } from '../../src/integrations/http/vendor-http.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { vendorFailure } from '../support/vendor-failure.js';

const REVIEWS = '/api/v3/reviews/';

function fastHttp(): VendorHttp {
  return new VendorHttp({ timeoutMs: 2_000, maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 5, allowPrivateNetworks: true });
}

const failure = vendorFailure;

describe('OAuthTokenClient with a password grant (SmileBack)', () => {
  let fake: FakeSmileBack;
  let http: VendorHttp;
  beforeEach(async () => {
    fake = await FakeSmileBack.start();
    http = fastHttp();
  });
  afterEach(() => fake.close());

  const passwordGrant = (over: Partial<FakeSmileBack['credentials']> = {}) => {
    const credentials = { ...fake.credentials, ...over };
    return new OAuthTokenClient(http, {
      vendor: 'smileback',
      breakerKey: 'smileback:tenant_a',
      tokenUrl: `${fake.baseUrl}/api/token/`,
      form: { grant_type: 'password', ...credentials, scope: 'read' },
      cacheKey: 'password-grant',
    });
  };
  const reviews = (authorization: string) =>
    http.request<unknown>({ vendor: 'smileback', breakerKey: 'smileback:tenant_a', url: `${fake.baseUrl}${REVIEWS}?limit=1`, headers: { Authorization: authorization } });

  it("stops waiting for a token when the caller's walk stops, with the walk's reason, while the token request goes on for the others", async () => {
    fake.hang(1_500, 1, '/api/token/');
    const tokens = passwordGrant();
    const stop = new AbortController();
    const reason = new VendorAuthError('smileback', 499, 'the walk', '');
    const started = Date.now();
    const waiting = failure(tokens.authorized(reviews, stop.signal));
    const other = tokens.authorized(reviews);
    setTimeout(() => stop.abort(reason), 100);
    expect(await waiting).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
    await other;
    expect(fake.calls('/api/token/')).toBe(1);
  });

  it('asks the token endpoint once for many callers waiting at the same time', async () => {
    fake.hang(150, 1, '/api/token/');
    const tokens = passwordGrant();
    await Promise.all(Array.from({ length: 8 }, () => tokens.authorized(reviews)));
    expect(fake.calls('/api/token/')).toBe(1);
    expect(fake.calls(REVIEWS)).toBe(8);
  });

  it('posts the grant\'s form and sends its token as a Bearer header', async () => {
    let sent = '';
    await passwordGrant().authorized(async (authorization) => {
      sent = authorization;
      return reviews(authorization);
    });
    expect(sent).toMatch(/^Bearer fake-access-1-/);
    expect(Object.fromEntries(new URLSearchParams(fake.lastRequest('/api/token/')!.body))).toEqual({
      grant_type: 'password',
      ...fake.credentials,
      scope: 'read',
    });
  });

  it('drops a token answered 401 and refreshes it once for every caller that saw the 401', async () => {
    const tokens = passwordGrant();
    await tokens.authorized(reviews);
    fake.expireTokens();
    await Promise.all(Array.from({ length: 5 }, () => tokens.authorized(reviews)));
    expect(fake.tokensIssued).toBe(2);
  });

  it('gives up with the 401 when the fresh token is refused too', async () => {
    fake.failNext(2, { status: 401, path: REVIEWS });
    const error = await failure(passwordGrant().authorized(reviews));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 401 });
    expect(fake.tokensIssued).toBe(2);
  });

  it('turns a refused grant (400 invalid_grant) into VendorAuthError without the password', async () => {
    const error = await failure(passwordGrant({ password: 'wrong-PASSWORD-77x' }).authorized(reviews));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 400, vendor: 'smileback' });
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('wrong-PASSWORD-77x');
    expect(fake.calls(REVIEWS)).toBe(0);
  });

  it('refuses a token answer without access_token as vendor data', async () => {
    fake.failNext(1, { status: 200, body: { token_type: 'Bearer' }, path: '/api/token/' });
    const error = await failure(passwordGrant().authorized(reviews));
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error).toMatchObject({ field: 'access_token' });
  });
});

describe('OAuthTokenClient with client credentials (Microsoft Entra)', () => {
  let fake: FakeDefender;
  beforeEach(async () => {
    fake = await FakeDefender.start();
  });
  afterEach(() => fake.close());

  const clientCredentials = (http: VendorHttp, cache: OAuthTokenCache, scope: string) =>
    new OAuthTokenClient(
      http,
      {
        vendor: 'defender',
        breakerKey: 'defender:tenant_a',
        tokenUrl: `${fake.baseUrl}/${fake.credentials.azure_tenant_id}/oauth2/v2.0/token`,
        form: { client_id: fake.credentials.client_id, client_secret: fake.credentials.client_secret, grant_type: 'client_credentials', scope },
        cacheKey: `${fake.credentials.azure_tenant_id}|${fake.credentials.client_id}|${scope}`,
      },
      cache,
    );

  it('shares a token between clients with the same key through one cache, and keeps scopes apart', async () => {
    const http = fastHttp();
    const cache = new OAuthTokenCache();
    const seen: string[] = [];
    const remember = (authorization: string) => Promise.resolve(seen.push(authorization));
    await clientCredentials(http, cache, 'https://graph.microsoft.com/.default').authorized(remember);
    await clientCredentials(http, cache, 'https://graph.microsoft.com/.default').authorized(remember);
    await clientCredentials(http, cache, 'https://api.securitycenter.microsoft.com/.default').authorized(remember);
    expect(fake.tokensIssued).toBe(2);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).not.toBe(seen[0]);
  });
});
