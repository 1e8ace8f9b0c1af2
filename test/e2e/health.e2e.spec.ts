import request from 'supertest';
import { Lifecycle } from '../../src/health/lifecycle.js';
import { bootApp, server, TestApp } from '../support/app.js';
import { ADMIN, call, LIVE_ENV, registerTenant } from '../support/live-fixtures.js';
import { createPostgresDatabase, POSTGRES_ADDRESS, TestDatabase } from '../support/postgres.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';

const anonymous = (t: TestApp, path: string) => request(server(t.app)).get(path);

describe('health in mock mode', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: await writeFolder(seedContents()), MOCK_WATCH: 'false' });
  });
  afterAll(() => t.close());

  it('answers liveness without looking at any dependency', async () => {
    const res = await anonymous(t, '/api/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers readiness with each check by status only', async () => {
    const res = await anonymous(t, '/api/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { store: { status: 'ok' }, mock_data: { status: 'ok' } } });
  });

  it('shows no tenant id and no detail to a caller without an admin key; an admin sees every detail', async () => {
    const publicView = await anonymous(t, '/api/health').expect(200);
    expect(publicView.body.checks).toEqual({ store: { status: 'ok' }, mock_data: { status: 'ok' } });
    expect(JSON.stringify(publicView.body)).not.toMatch(/tenant_demo/);
    const withBadKey = await anonymous(t, '/api/health').set('authorization', 'Bearer not-a-key').expect(200);
    expect(withBadKey.body.checks.mock_data).toEqual({ status: 'ok' });

    const admin = await t.get('/api/health').expect(200);
    expect(admin.body.checks.mock_data.not_configured).toContainEqual({ tenant_id: 'tenant_demo_client2', domain: 'tickets' });
  });

  it('turns readiness to 503 once the copy starts draining, while liveness stays 200', async () => {
    const other = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: await writeFolder(seedContents()), MOCK_WATCH: 'false' });
    try {
      other.app.get(Lifecycle).drain();
      const ready = await anonymous(other, '/api/health/ready').expect(503);
      expect(ready.body.status).toBe('draining');
      await anonymous(other, '/api/health/live').expect(200);
    } finally {
      await other.close();
    }
  });
});

describe('health in live mode', () => {
  let t: TestApp;
  let fake: FakeSentinelOne;
  let database: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await new TcpProxy(POSTGRES_ADDRESS.host, POSTGRES_ADDRESS.port).listen();
    t = await bootApp({
      ...LIVE_ENV,
      DATABASE_URL: database.urlVia(proxy.port),
      DATABASE_QUERY_TIMEOUT_MS: '10000',
      DATABASE_CONNECT_TIMEOUT_MS: '10000',
      HEALTH_CHECK_TIMEOUT_MS: '300',
      PLATFORM_CACHE_TTL_MS: '0',
    });
    fake = await FakeSentinelOne.start();
    await registerTenant(t.app, 'tenant_health', { sentinelone: fake });
    fake.failNext(10, { status: 500 });
    await call(t.app).get('/api/tenants/tenant_health/security-alerts');
  });
  afterAll(async () => {
    await fake.close();
    await t.close();
    await proxy.close();
    await database.drop();
  });

  it('keeps tenant ids, breaker keys and the per-tenant integration check for admin keys', async () => {
    const publicView = await anonymous(t, '/api/health').expect(200);
    expect(Object.keys(publicView.body.checks).sort()).toEqual(['cache', 'store', 'vendors']);
    expect(JSON.stringify(publicView.body)).not.toContain('tenant_health');

    const admin = await anonymous(t, '/api/health').set('authorization', ADMIN).expect(200);
    expect(Object.keys(admin.body.checks).sort()).toEqual(['cache', 'integrations', 'store', 'sync', 'vendors']);
    expect(JSON.stringify(admin.body)).toContain('tenant_health');
  });

  it('bounds each check by HEALTH_CHECK_TIMEOUT_MS: a silent database makes health and readiness 503, not a hang', async () => {
    proxy.blackhole();
    try {
      const health = await anonymous(t, '/api/health').set('authorization', ADMIN);
      expect(health.status).toBe(503);
      expect(health.body.checks.store).toMatchObject({ status: 'error', error: 'no answer within 300 ms' });
      expect(health.body.checks.cache.status).toBe('ok');
      const ready = await anonymous(t, '/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.store.status).toBe('error');
      await anonymous(t, '/api/health/live').expect(200);
    } finally {
      proxy.restore();
    }
  });
});
