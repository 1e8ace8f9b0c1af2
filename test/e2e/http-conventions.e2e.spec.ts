import request from 'supertest';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';

const MOCK = { MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', MOCK_WATCH: 'false' };
const TICKETS = '/api/tenants/tenant_demo_cca/tickets';

/** `Link` header → { rel: url }. */
function links(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>;\s*rel="([a-z]+)"$/.exec(part.trim());
    if (match) out[match[2]] = match[1];
  }
  return out;
}

describe('HTTP conventions', () => {
  let t: TestApp;
  const http = () => request(server(t.app));
  const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

  beforeAll(async () => (t = await bootApp(MOCK)));
  afterAll(() => t?.close());

  describe('405 for a known path and a method it does not answer', () => {
    it.each([
      ['DELETE', TICKETS, 'GET, HEAD'],
      ['POST', `${TICKETS}/TKT-001`, 'GET, HEAD'],
      ['POST', '/api/health', 'GET, HEAD'],
      ['GET', '/api/admin/api-keys/key_1', 'DELETE'],
      ['PATCH', '/api/admin/tenants/tenant_demo_cca/integrations/sentinelone', 'PUT, DELETE'],
    ])('%s %s → 405 with Allow: %s, problem+json, before any key is asked for', async (method, path, allow) => {
      const res = await http()[method.toLowerCase() as 'get'](path);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toEqual({
        type: '/problems/method-not-allowed',
        title: 'Method Not Allowed',
        status: 405,
        detail: `${method} is not supported on ${path}; use ${allow}`,
        instance: path,
      });
    });

    it('an unknown path stays 404, with no Allow', async () => {
      const res = await http().delete('/api/tenants/tenant_demo_cca/nothing-here');
      expect(res.status).toBe(404);
      expect(res.headers.allow).toBeUndefined();
    });
  });

  describe('paging headers on list routes', () => {
    it('X-Total-Count is meta.total; Link has first, next and last (no prev) on page 1, keeping every filter', async () => {
      const query = 'status=New,Waiting&sort=-created_at_remote&page_size=3';
      const res = await http().get(`${TICKETS}?${query}`).set(auth);
      expect(res.status).toBe(200);
      const total = res.body.meta.total as number;
      expect(total).toBeGreaterThan(6);
      expect(res.headers['x-total-count']).toBe(String(total));
      const rel = links(res.headers.link);
      const last = Math.ceil(total / 3);
      expect(rel).toEqual({
        first: `${TICKETS}?${query}&page=1`,
        next: `${TICKETS}?${query}&page=2`,
        last: `${TICKETS}?${query}&page=${last}`,
      });
    });

    it('following next and prev walks the same filtered list; the last page has no next', async () => {
      const first = await http().get(`${TICKETS}?status=New,Waiting&page_size=3`).set(auth);
      const second = await http().get(links(first.headers.link).next).set(auth);
      expect(second.body.meta.page).toBe(2);
      for (const ticket of second.body.data) expect(['New', 'Waiting']).toContain(ticket.status);
      expect(second.body.data.map((x: { cw_ticket_id: string }) => x.cw_ticket_id)).not.toContain(first.body.data[0].cw_ticket_id);
      expect(links(second.headers.link).prev).toBe(`${TICKETS}?status=New,Waiting&page_size=3&page=1`);

      const lastPage = await http().get(links(first.headers.link).last).set(auth);
      expect(lastPage.body.data.length).toBeGreaterThan(0);
      expect(links(lastPage.headers.link).next).toBeUndefined();
      expect(links(lastPage.headers.link).prev).toBeDefined();
    });

    it('an empty result has first = last = page 1', async () => {
      const res = await http().get(`${TICKETS}?q=no-ticket-says-this-xyzzy`).set(auth);
      expect(res.headers['x-total-count']).toBe('0');
      expect(links(res.headers.link)).toEqual({ first: `${TICKETS}?q=no-ticket-says-this-xyzzy&page=1`, last: `${TICKETS}?q=no-ticket-says-this-xyzzy&page=1` });
    });

    it('a single record has no paging headers', async () => {
      const res = await http().get(`${TICKETS}/TKT-001`).set(auth);
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBeUndefined();
      expect(res.headers.link).toBeUndefined();
    });
  });

  describe('ETag and If-None-Match', () => {
    it('the same answer has the same ETag; If-None-Match gets 304 with no body', async () => {
      const a = await http().get(`${TICKETS}?status=New`).set(auth);
      const b = await http().get(`${TICKETS}?status=New`).set(auth);
      expect(a.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
      expect(b.headers.etag).toBe(a.headers.etag);
      const cached = await http().get(`${TICKETS}?status=New`).set(auth).set('if-none-match', a.headers.etag);
      expect(cached.status).toBe(304);
      expect(cached.text ?? '').toBe('');
      const listed = await http().get(`${TICKETS}?status=New`).set(auth).set('if-none-match', `W/"other", ${a.headers.etag}`);
      expect(listed.status).toBe(304);
    });

    it('another filter, page or record has another ETag; a stale one gets the full answer', async () => {
      const tags = new Set<string>();
      for (const path of [`${TICKETS}?status=New`, `${TICKETS}?status=Waiting`, `${TICKETS}?status=New&page_size=1`, `${TICKETS}/TKT-001`]) {
        tags.add((await http().get(path).set(auth)).headers.etag);
      }
      expect(tags.size).toBe(4);
      const res = await http().get(`${TICKETS}?status=New`).set(auth).set('if-none-match', 'W/"stale"');
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeGreaterThan(0);
    });

    it('changes when the data changes', async () => {
      const path = '/api/admin/tenants/tenant_demo_cca/integrations';
      const before = await http().get(path).set(auth);
      const put = await http()
        .put(`${path}/sentinelone`)
        .set(auth)
        .send({ base_url: 'https://usea1.sentinelone.net', api_token: 'etag-test-token-0123456789' });
      expect(put.status).toBe(200);
      const after = await http().get(path).set(auth).set('if-none-match', before.headers.etag);
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
    });

    it('errors carry no ETag', async () => {
      const res = await http().get(`${TICKETS}/TKT-999999`).set(auth);
      expect(res.status).toBe(404);
      expect(res.headers.etag).toBeUndefined();
    });
  });

  describe('GET /', () => {
    it('answers an index of links without a key, each of which works', async () => {
      const res = await http().get('/');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'msp-data-backend', links: { docs: '/docs', openapi: '/docs-json', health: '/api/health', tenants: '/api/tenants' } });
      for (const link of Object.values(res.body.links as Record<string, string>)) {
        expect((await http().get(link).set(auth)).status).toBe(200);
      }
    });
  });
});

describe('GET / with DOCS_ENABLED=false', () => {
  let t: TestApp;
  beforeAll(async () => (t = await bootApp({ ...MOCK, DOCS_ENABLED: 'false' })));
  afterAll(() => t?.close());

  it('leaves out the docs links, and /docs is 404', async () => {
    const res = await request(server(t.app)).get('/');
    expect(res.body.links).toEqual({ health: '/api/health', tenants: '/api/tenants' });
    expect((await request(server(t.app)).get('/docs')).status).toBe(404);
  });
});

// CORS registers `OPTIONS *`, which matches every URL: it must not turn unknown paths into 405s.
describe('404 and 405 with CORS on (as .env.local runs)', () => {
  let t: TestApp;
  const http = () => request(server(t.app));
  beforeAll(async () => (t = await bootApp({ ...MOCK, CORS_ORIGINS: '*' })));
  afterAll(() => t?.close());

  it.each(['get', 'delete', 'post'] as const)('%s on an unknown path is 404, with no Allow', async (method) => {
    const res = await http()[method]('/api/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.allow).toBeUndefined();
  });

  it('a known path with a wrong method is still 405, its Allow naming OPTIONS too', async () => {
    const res = await http().delete(TICKETS);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('answers the method check before the key check, and every edge answer echoes its request id', async () => {
    const wrong = await http().post(TICKETS).set('x-request-id', 'edge-405');
    expect(wrong.status).toBe(405);
    expect(wrong.headers['x-request-id']).toBe('edge-405');
    const unauthenticated = await http().post('/api/admin/api-keys').set('x-request-id', 'edge-401').send({ name: 'x', scope: 'admin' });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['x-request-id']).toBe('edge-401');
  });
});
