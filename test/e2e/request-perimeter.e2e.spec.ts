import { jest } from '@jest/globals';
import { ValidationPipe } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import request from 'supertest';
import { compiledQuery } from '../../src/common/validation/compiled-query.js';
import { MockFileProvider } from '../../src/mock/mock-file.provider.js';
import { MockFileStore } from '../../src/mock/mock-file.store.js';
import { TENANT_SOURCE, TenantSource } from '../../src/tenants/sources/tenant-source.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { ListTenantsQuery } from '../../src/tenants/list-tenants-query.dto.js';
import { ListTicketsQuery } from '../../src/tickets/list-tickets-query.dto.js';
import { TicketsService } from '../../src/tickets/tickets.service.js';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { bulkReviews, closeFakes, Fakes, LIVE_ENV, mintTenantKey, registerTenant, startFakes } from '../support/live-fixtures.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { bootVendorReplicaApp } from '../support/vendor-replica-app.js';

const TENANT = 'tenant_demo_cca';
const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

/**
 * The request perimeter (DataResponseInterceptor): the tenant is looked up once per request and the
 * query validated once, whatever else the request asks (an ETag, a 304); malformed input is refused
 * before anything is looked up.
 */
describe('request perimeter (mock mode)', () => {
  let t: TestApp;
  let folder: string;
  let tenantLookups = 0;
  const http = () => request(server(t.app));

  beforeAll(async () => {
    folder = await writeFolder({
      ...seedContents(),
      'tenants.json': [...(seedContents()['tenants.json'] as object[]), { id: 'tenant_sleep', name: 'Asleep', is_active: false, llm_enabled: false }],
    });
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: folder, MOCK_WATCH: 'false' }, (builder) =>
      builder.overrideProvider(TENANT_SOURCE).useFactory({
        inject: [MockFileStore],
        factory: (store: MockFileStore): TenantSource => {
          const source = MockFileProvider.tenants(store);
          return {
            list: () => {
              tenantLookups += 1;
              return source.list();
            },
          };
        },
      }),
    );
  });
  afterAll(async () => {
    await t?.close();
    await rm(folder, { recursive: true, force: true });
  });
  afterEach(() => jest.restoreAllMocks());

  /** How many times the tenant source was read while answering `send()`. */
  async function lookups(send: () => request.Test): Promise<{ status: number; lookups: number; etag?: string }> {
    const before = tenantLookups;
    const res = await send();
    return { status: res.status, lookups: tenantLookups - before, etag: res.headers.etag as string | undefined };
  }

  it.each([`/api/tenants/${TENANT}/tickets?status=New`, `/api/tenants/${TENANT}/tickets/TKT-001`, `/api/tenants/${TENANT}/summary`, `/api/tenants/${TENANT}/csat`])(
    'GET %s reads its tenant once, answered 200 or 304',
    async (path) => {
      const getActive = jest.spyOn(t.app.get(TenantsService), 'getActive');
      const first = await lookups(() => http().get(path).set(auth));
      expect(first).toMatchObject({ status: 200, lookups: 1 });
      expect(getActive).toHaveBeenCalledTimes(1);
      const again = await lookups(() => http().get(path).set(auth).set('if-none-match', first.etag ?? ''));
      expect(again).toMatchObject({ status: 304, lookups: 1 });
      expect(getActive).toHaveBeenCalledTimes(2);
    },
  );

  it('validates a query once: the route gets the very instance the ETag was computed from', async () => {
    // Pass-through spies on the real compiled plan, Nest's generic pipe and the real service.
    const build = jest.spyOn(compiledQuery(ListTicketsQuery)!, 'build');
    const generic = jest.spyOn(ValidationPipe.prototype, 'transform');
    const list = jest.spyOn(t.app.get(TicketsService), 'list');
    const res = await http().get(`/api/tenants/${TENANT}/tickets?page_size=5&status=New,Closed`).set(auth);
    expect(res.status).toBe(200);
    expect(build).toHaveBeenCalledTimes(1);
    expect(generic.mock.calls.filter(([, metadata]) => metadata.type === 'query')).toHaveLength(0);
    expect(list).toHaveBeenCalledTimes(1);
    const routeQuery = list.mock.calls[0][1];
    expect(routeQuery).toBeInstanceOf(ListTicketsQuery);
    expect(routeQuery).toBe(build.mock.results[0].value);
    expect(routeQuery).toMatchObject({ page_size: 5, status: 'New,Closed' });
  });

  it('validates the tenant list query once too (a route with a query DTO but no data version)', async () => {
    const build = jest.spyOn(compiledQuery(ListTenantsQuery)!, 'build');
    const res = await http().get('/api/tenants?page_size=1').set(auth);
    expect(res.status).toBe(200);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.headers.link).toContain('rel="next"');
    expect(build).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a malformed tenant id', '/api/tenants/..%2Fetc/tickets', '/problems/invalid-tenant-id'],
    ['a parameter the route does not declare', `/api/tenants/${TENANT}/tickets/TKT-001?foo=1`, '/problems/validation'],
    ['a parameter the DTO does not declare', `/api/tenants/tenant_nobody/tickets?toString=1`, '/problems/validation'],
    ['a NUL in the query', `/api/tenants/tenant_nobody/tickets?status=%00`, '/problems/validation'],
    ['a malformed record id', '/api/tenants/tenant_nobody/tickets/bad$id', '/problems/validation'],
  ])('refuses %s with 400 before any lookup, whatever If-None-Match says', async (_what, path, type) => {
    for (const ifNoneMatch of [undefined, '*']) {
      const before = tenantLookups;
      let req = http().get(path).set(auth);
      if (ifNoneMatch) req = req.set('if-none-match', ifNoneMatch);
      const res = await req;
      expect(res.status).toBe(400);
      expect(res.body.type).toBe(type);
      expect(tenantLookups).toBe(before);
    }
  });

  it("answers the tenant's 404 or 403 before the query's values (a bad value is checked once the tenant is known)", async () => {
    const get = async (path: string) => (await http().get(path).set(auth)).body.type as string;
    expect(await get('/api/tenants/tenant_nobody/tickets?page=0')).toBe('/problems/tenant-not-found');
    expect(await get('/api/tenants/tenant_sleep/summary?from=x')).toBe('/problems/tenant-inactive');
    expect(await get(`/api/tenants/${TENANT}/tickets?page=0`)).toBe('/problems/validation');
  });

  it('tells a key the same about a foreign tenant as about a missing one, even for a malformed record id', async () => {
    const key = await mintTenantKey(t.app, ['tenant_demo_client2']);
    const res = await http().get(`/api/tenants/${TENANT}/tickets/bad$id`).set('authorization', `Bearer ${key}`);
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('/problems/validation');
    const foreign = await http().get(`/api/tenants/${TENANT}/tickets/TKT-001`).set('authorization', `Bearer ${key}`);
    expect(foreign.status).toBe(404);
  });

  it('a scenario still holds and fails a request refused by the perimeter only as the route would be (delay, then the 400)', async () => {
    const res = await http().get(`/api/tenants/${TENANT}/tickets/TKT-001?foo=1`).set(auth).set('prefer', 'code=503, delay=20').set('if-none-match', '*');
    expect(res.status).toBe(400);
    expect(res.headers['preference-applied']).toBe('delay=20');
  });
});

describe('request perimeter (live mode, reads from the replica): one tenant lookup per request, 304 included', () => {
  let fakes: Fakes;
  let t: TestApp;
  const CSAT = '/api/tenants/tenant_perimeter/csat';

  beforeAll(async () => {
    fakes = await startFakes();
    fakes.smileback.reviews = bulkReviews(3, 1);
    t = await bootVendorReplicaApp({ ...LIVE_ENV, VENDOR_TIMEOUT_MS: '5000', SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '90', FIRST_SYNC_WAIT_MS: '10000' });
    await registerTenant(t.app, 'tenant_perimeter', { smileback: fakes.smileback });
  });
  afterAll(async () => {
    await t?.close();
    await closeFakes(fakes);
  });

  it('looks the tenant up once for a 200 and once for a 304', async () => {
    const getActive = jest.spyOn(t.app.get(TenantsService), 'getActive');
    try {
      const first = await request(server(t.app)).get(CSAT).set(auth);
      expect(first.status).toBe(200);
      expect(getActive).toHaveBeenCalledTimes(1);
      const again = await request(server(t.app)).get(CSAT).set(auth).set('if-none-match', first.headers.etag);
      expect(again.status).toBe(304);
      expect(getActive).toHaveBeenCalledTimes(2);
    } finally {
      getActive.mockRestore();
    }
  });
});
