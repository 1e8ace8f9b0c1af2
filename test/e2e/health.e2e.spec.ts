import request from 'supertest';
import { Lifecycle } from '../../src/health/lifecycle.js';
import { bootApp, server, TestApp } from '../support/app.js';
import { SYNC_DEGRADED_FAILURES } from '../../src/sync/sync.health.js';
import { ADMIN, fakeSecrets, LIVE_ENV } from '../support/live-fixtures.js';
import { bootReplicaApp, FakeTenantStreams, registerReplicaTenant, syncTenant } from '../support/replica-app.js';
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

describe('health in live mode (replica reads, sync check)', () => {
  let t: TestApp;
  let fake: FakeSentinelOne;
  let streams: FakeTenantStreams;
  let database: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await new TcpProxy(POSTGRES_ADDRESS.host, POSTGRES_ADDRESS.port).listen();
    streams = new FakeTenantStreams();
    t = await bootReplicaApp(
      {
        ...LIVE_ENV,
        DATABASE_URL: database.urlVia(proxy.port),
        DATABASE_QUERY_TIMEOUT_MS: '10000',
        DATABASE_CONNECT_TIMEOUT_MS: '10000',
        HEALTH_CHECK_TIMEOUT_MS: '300',
        PLATFORM_CACHE_TTL_MS: '0',
        SYNC_INTERVAL_SECONDS: '3600',
        SYNC_HISTORY_DAYS: '90',
        FIRST_SYNC_WAIT_MS: '300',
      },
      streams,
    );
    fake = await FakeSentinelOne.start();
    await registerReplicaTenant(t.app, streams, 'tenant_health', { sentinelone: fake });
    // SentinelOne down for three runs in a row: the stream is failing, as health counts it.
    fake.failNext(1_000, { status: 500 });
    for (let run = 0; run < SYNC_DEGRADED_FAILURES; run++) await syncTenant(t.app, streams, 'tenant_health');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await streams?.http.onApplicationShutdown();
    await fake?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('keeps the sync check, its tenant ids and its errors for admin keys; the public view shows neither', async () => {
    const publicView = await anonymous(t, '/api/health').expect(200);
    expect(publicView.body.checks.store).toEqual({ status: 'ok' });
    expect(publicView.body.checks).not.toHaveProperty('sync');
    expect(JSON.stringify(publicView.body)).not.toContain('tenant_health');

    const admin = await anonymous(t, '/api/health').set('authorization', ADMIN).expect(200);
    expect(admin.body.status).toBe('degraded');
    expect(admin.body.checks.sync).toMatchObject({
      status: 'degraded',
      streams: 1,
      never_synced: 1,
      worst_lag: null,
      failing: [{ tenant: 'tenant_health', stream: 'sentinelone.threats', consecutive_failures: SYNC_DEGRADED_FAILURES }],
      lagging: [],
    });
    // The vendor's answer, or the breaker those answers opened: either way it names the vendor.
    expect(admin.body.checks.sync.failing[0].last_error).toMatch(/^sentinelone (answered 500 to |is unavailable: circuit sentinelone:tenant_health is open)/);
    for (const secret of fakeSecrets({ sentinelone: fake })) expect(admin.text).not.toContain(secret);
  });

  it('bounds each check by HEALTH_CHECK_TIMEOUT_MS: a silent database makes health and readiness 503, not a hang; the sync check degrades', async () => {
    proxy.blackhole();
    try {
      const health = await anonymous(t, '/api/health').set('authorization', ADMIN);
      expect(health.status).toBe(503);
      expect(health.body.checks.store).toMatchObject({ status: 'error', error: 'no answer within 300 ms' });
      // The sync check reads the same database: bounded too, and not critical.
      expect(health.body.checks.sync).toMatchObject({ status: 'degraded', error: 'no answer within 300 ms' });
      const ready = await anonymous(t, '/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.store.status).toBe('error');
      await anonymous(t, '/api/health/live').expect(200);
    } finally {
      proxy.restore();
    }
  });
});
