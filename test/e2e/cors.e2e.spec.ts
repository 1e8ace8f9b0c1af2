import { join } from 'node:path';
import request from 'supertest';
import type { OpenAPIV3 } from 'openapi-types';
import { CORS_EXPOSED_HEADERS } from '../../src/app.setup.js';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';

const MOCK_DATA = join(process.cwd(), 'mock-data');
const VITE = 'http://localhost:5173';
const TICKETS = '/api/tenants/tenant_demo_cca/tickets';

const boot = (CORS_ORIGINS: string | undefined) =>
  bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: MOCK_DATA, MOCK_WATCH: 'false', CORS_ORIGINS });

/** What a browser sends before a GET carrying a key and a Prefer header. */
const preflight = (t: TestApp, path: string, origin = VITE, method = 'GET') =>
  request(server(t.app))
    .options(path)
    .set('origin', origin)
    .set('access-control-request-method', method)
    .set('access-control-request-headers', 'authorization,prefer');

const list = (header: string | undefined) => (header ?? '').split(',').map((h) => h.trim().toLowerCase());

describe('CORS with CORS_ORIGINS naming the front-end origin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await boot(`${VITE},https://dashboard.example.com`);
  });
  afterAll(() => t.close());

  it('answers a browser preflight with Authorization and Prefer allowed', async () => {
    const res = await preflight(t, TICKETS).expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(VITE);
    expect(list(res.headers['access-control-allow-headers'])).toEqual(expect.arrayContaining(['authorization', 'prefer']));
    expect(list(res.headers['access-control-allow-methods'])).toContain('get');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.vary).toMatch(/origin/i);
  });

  it('answers the preflight on every documented route, before any key is checked', async () => {
    const doc = (await t.get('/docs-json').expect(200)).body as OpenAPIV3.Document;
    const paths = Object.entries(doc.paths);
    expect(paths.length).toBeGreaterThan(10);
    for (const [path, item] of paths) {
      const concrete = path.replace(/\{[^}]+\}/g, 'x1');
      for (const method of ['get', 'put', 'post', 'patch', 'delete'].filter((m) => item?.[m as 'get'])) {
        const res = await preflight(t, concrete, VITE, method.toUpperCase());
        expect({ path, method, status: res.status, origin: res.headers['access-control-allow-origin'] }).toEqual({
          path,
          method,
          status: 204,
          origin: VITE,
        });
        expect(list(res.headers['access-control-allow-methods'])).toContain(method);
      }
    }
  });

  it('lets the page read the data and the live-mode, paging and scenario headers', async () => {
    const res = await t.get(TICKETS).set('origin', VITE).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(VITE);
    const exposed = list(res.headers['access-control-expose-headers']);
    for (const header of ['warning', 'x-stale-vendors', 'retry-after', 'preference-applied', 'etag', 'link', 'x-total-count', 'x-request-id', 'ratelimit-remaining']) {
      expect(exposed).toContain(header);
    }
    expect(exposed).toEqual(CORS_EXPOSED_HEADERS.map((h) => h.toLowerCase()));
  });

  it('lets the page read errors too (a 401 without a key)', async () => {
    const res = await request(server(t.app)).get(TICKETS).set('origin', VITE).expect(401);
    expect(res.headers['access-control-allow-origin']).toBe(VITE);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('gives an origin not in the list no CORS grant', async () => {
    const pre = await preflight(t, TICKETS, 'http://evil.example');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const res = await t.get(TICKETS).set('origin', 'http://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS_ORIGINS=* (any origin, for a deployment that chooses it)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await boot('*');
  });
  afterAll(() => t.close());

  it('allows any origin', async () => {
    const res = await preflight(t, TICKETS, 'http://127.0.0.1:4200').expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const get = await request(server(t.app)).get(TICKETS).set('authorization', `Bearer ${TEST_ADMIN_KEY}`).set('origin', 'http://127.0.0.1:4200');
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('CORS_ORIGINS unset (the production default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await boot(undefined);
  });
  afterAll(() => t.close());

  it('grants no origin: no CORS header on a preflight or on a response', async () => {
    const pre = await preflight(t, TICKETS);
    expect(pre.status).not.toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const res = await t.get(TICKETS).set('origin', VITE).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
