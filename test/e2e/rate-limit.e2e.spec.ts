import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { describeWithRedis, mintTenantKey, REDIS_URL } from '../support/live-fixtures.js';

const MOCK = { MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', MOCK_WATCH: 'false', REDIS_URL: undefined };
const TENANTS = '/api/tenants';

const as = (t: TestApp, key: string, path = TENANTS) => request(server(t.app)).get(path).set('authorization', `Bearer ${key}`);

function expectRateLimited(res: request.Response, limit: number): void {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: '/problems/rate-limited', title: 'Too Many Requests', status: 429 });
  expect(res.body.detail).toMatch(new RegExp(`^more than ${limit} requests in 60 s: retry after \\d+ s$`));
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.headers['ratelimit-limit']).toBe(String(limit));
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(res.headers['ratelimit-reset']).toBe(String(retryAfter));
  expect(res.headers['ratelimit-policy']).toBe(`${limit};w=60`);
}

describe('rate limits in one copy (RATE_LIMIT_PER_MINUTE=3, in memory)', () => {
  let t: TestApp;
  let tenantKey: string;
  beforeAll(async () => {
    t = await bootApp({ ...MOCK, RATE_LIMIT_PER_MINUTE: '3' });
    tenantKey = await mintTenantKey(t.app, ['tenant_demo_cca']); // the admin key's first request
  });
  afterAll(() => t?.close());

  it('counts every route against one budget per key, with RateLimit-* headers, then answers 429', async () => {
    const remaining: string[] = [];
    for (const path of [TENANTS, `${TENANTS}/tenant_demo_cca`]) {
      const res = await as(t, TEST_ADMIN_KEY, path);
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      remaining.push(res.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['1', '0']);
    expectRateLimited(await as(t, TEST_ADMIN_KEY, `${TENANTS}/tenant_demo_cca/csat`), 3);
  });

  it('gives another key its own budget', async () => {
    for (let i = 0; i < 3; i++) expect((await as(t, tenantKey, `${TENANTS}/tenant_demo_cca/tickets`)).status).toBe(200);
    expectRateLimited(await as(t, tenantKey, `${TENANTS}/tenant_demo_cca/tickets`), 3);
  });

  it('budgets routes without a key by client address, and never limits the health probes', async () => {
    for (let i = 0; i < 3; i++) expect((await request(server(t.app)).get('/')).status).toBe(200);
    expectRateLimited(await request(server(t.app)).get('/'), 3);
    for (const probe of ['/api/health', '/api/health/live', '/api/health/ready']) {
      const res = await request(server(t.app)).get(probe);
      expect({ probe, status: res.status }).toEqual({ probe, status: 200 });
    }
  });
});

describe('RATE_LIMIT_PER_MINUTE=0', () => {
  let t: TestApp;
  beforeAll(async () => (t = await bootApp({ ...MOCK, RATE_LIMIT_PER_MINUTE: '0' })));
  afterAll(() => t?.close());

  it('turns rate limiting off: no 429, no RateLimit headers', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await as(t, TEST_ADMIN_KEY);
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});

describeWithRedis('two app copies sharing Redis share one budget per key', () => {
  // A prefix of our own: the machine's Redis is shared with other test runs.
  const env = { ...MOCK, REDIS_URL, REDIS_KEY_PREFIX: `test-${randomUUID()}:`, RATE_LIMIT_PER_MINUTE: '5' };
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await bootApp(env);
    b = await bootApp(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('5 requests spread over both copies spend the budget; the 6th is a 429 on either copy', async () => {
    const remaining: string[] = [];
    for (const copy of [a, b, a, b, a]) {
      const res = await as(copy, TEST_ADMIN_KEY);
      expect(res.status).toBe(200);
      remaining.push(res.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    expectRateLimited(await as(b, TEST_ADMIN_KEY), 5);
    expectRateLimited(await as(a, TEST_ADMIN_KEY), 5);
  });
});

describe('rate limits with Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => (t = await bootApp({ ...MOCK, REDIS_URL: 'redis://127.0.0.1:6399', RATE_LIMIT_PER_MINUTE: '2' })));
  afterAll(() => t?.close());

  it('lets requests through rather than failing them', async () => {
    for (let i = 0; i < 4; i++) expect((await as(t, TEST_ADMIN_KEY)).status).toBe(200);
  });
});

describe('failed authentication spends the client address budget (RATE_LIMIT_PER_MINUTE=3)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await bootApp({ ...MOCK, RATE_LIMIT_PER_MINUTE: '3' })));
  afterAll(() => t?.close());

  it('after the budget of 401s, keys from that address are not even looked at: 429, the right key too', async () => {
    for (let i = 0; i < 4; i++) expect((await as(t, `mspk_guess_${i}`)).status).toBe(401);
    const guess = await as(t, 'mspk_guess_5');
    expectRateLimited(guess, 3);
    expectRateLimited(await as(t, TEST_ADMIN_KEY), 3);
    // A write request is refused before its body is read, as the edge refuses an unauthenticated one.
    const write = await request(server(t.app)).post('/api/admin/tenants').set('authorization', `Bearer ${TEST_ADMIN_KEY}`).send({});
    expect(write.status).toBe(429);
  });
});

describe('TRUST_PROXY', () => {
  describe('off (the default): X-Forwarded-For is ignored', () => {
    let t: TestApp;
    beforeAll(async () => (t = await bootApp({ ...MOCK, RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: undefined })));
    afterAll(() => t?.close());

    it('every request from the proxy spends the proxy address budget, whatever client it names', async () => {
      for (const client of ['203.0.113.1', '203.0.113.2']) expect((await request(server(t.app)).get('/').set('x-forwarded-for', client)).status).toBe(200);
      expectRateLimited(await request(server(t.app)).get('/').set('x-forwarded-for', '203.0.113.3'), 2);
    });
  });

  describe('TRUST_PROXY=loopback: the client is the address the proxy on loopback names', () => {
    let t: TestApp;
    beforeAll(async () => (t = await bootApp({ ...MOCK, RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' })));
    afterAll(() => t?.close());

    it('gives each forwarded client its own budget, for routes without a key and for failed keys', async () => {
      const from = (client: string) => request(server(t.app)).get('/').set('x-forwarded-for', client);
      for (let i = 0; i < 2; i++) expect((await from('203.0.113.1')).status).toBe(200);
      expectRateLimited(await from('203.0.113.1'), 2);
      expect((await from('203.0.113.2')).status).toBe(200);

      const guess = (client: string, key: string) => as(t, key).set('x-forwarded-for', client);
      for (let i = 0; i < 3; i++) expect((await guess('198.51.100.7', `mspk_guess_${i}`)).status).toBe(401);
      expectRateLimited(await guess('198.51.100.7', TEST_ADMIN_KEY), 2);
      expect((await guess('198.51.100.8', TEST_ADMIN_KEY)).status).toBe(200);
    });

    it('takes the right-most untrusted address, so a client cannot pick its own by sending X-Forwarded-For', async () => {
      // The client sent "X-Forwarded-For: 203.0.113.99"; the proxy appended the address it saw.
      for (let i = 0; i < 2; i++) expect((await request(server(t.app)).get('/').set('x-forwarded-for', `203.0.113.${50 + i}, 192.0.2.10`)).status).toBe(200);
      expectRateLimited(await request(server(t.app)).get('/').set('x-forwarded-for', '203.0.113.99, 192.0.2.10'), 2);
    });
  });
});
