import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SyncRunner } from '../../src/sync/sync-runner.js';
import { server, TestApp } from '../support/app.js';
import { bulkThreats, call, closeFakes, fakeSecrets, Fakes, LIVE_ENV, registerTenant, startFakes } from '../support/live-fixtures.js';
import { bootVendorReplicaApp, syncStatus } from '../support/vendor-replica-app.js';

describe('a copy that lacks the key an integration was stored under (one SQLite file, two keys)', () => {
  const TENANT = 'tenant_rotated';
  let dir: string;
  let fakes: Fakes;
  let newer: TestApp | undefined;
  let older: TestApp | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'undecryptable-'));
    fakes = await startFakes();
    fakes.sentinelone.threats = bulkThreats(3, 1);
    const env = {
      ...LIVE_ENV,
      DATABASE_URL: `sqlite:${join(dir, 'platform.db')}`,
      // Each copy reads the tenants the other registered at once.
      PLATFORM_CACHE_TTL_MS: '0',
      VENDOR_TIMEOUT_MS: '5000',
      SYNC_INTERVAL_SECONDS: '3600',
      SYNC_HISTORY_DAYS: '90',
      FIRST_SYNC_WAIT_MS: '20000',
    };
    // The older copy starts first (nothing stored yet), then a copy with a rotated key stores the integration.
    older = await bootVendorReplicaApp({ ...env, ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    newer = await bootVendorReplicaApp({ ...env, ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    await registerTenant(newer.app, TENANT, { sentinelone: fakes.sentinelone });
  });

  afterAll(async () => {
    await older?.close();
    await newer?.close();
    await closeFakes(fakes);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const expectUndecryptable = (res: { status: number; body: Record<string, unknown>; text: string }, tenant = TENANT) => {
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ type: '/problems/secret-undecryptable', status: 503 });
    expect(res.body.detail).toContain(`sentinelone integration of tenant '${tenant}'`);
    expect(res.body.detail).toMatch(/ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS must include the key/);
    for (const secret of fakeSecrets({ sentinelone: fakes.sentinelone })) expect(res.text).not.toContain(secret);
  };

  it('the copy with the key syncs and serves the data', async () => {
    const res = await call(newer!.app).get(`/api/tenants/${TENANT}/security-alerts`);
    expect(res.status).toBe(200);
    expect(res.body.meta.total).toBe(3);
  });

  it('the copy without the key serves the replica the other synced: a read needs no secret', async () => {
    const calls = fakes.sentinelone.requests.length;
    const res = await call(older!.app).get(`/api/tenants/${TENANT}/security-alerts`);
    expect(res.status).toBe(200);
    expect(res.body.meta.total).toBe(3);
    expect(res.headers.warning).toBeUndefined();
    expect(fakes.sentinelone.requests.length).toBe(calls);
  });

  it('a sync run on the copy without the key fails with that problem, calling no vendor; the synced data stays served', async () => {
    const calls = fakes.sentinelone.requests.length;
    const failure = await older!.app.get(SyncRunner).run(TENANT, 'sentinelone.threats', 'incremental').then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure).toMatchObject({ status: 503, type: '/problems/secret-undecryptable' });
    expect(failure?.message).toContain(`sentinelone integration of tenant '${TENANT}'`);
    expect(fakes.sentinelone.requests.length).toBe(calls);
    const res = await call(older!.app).get(`/api/tenants/${TENANT}/security-alerts`);
    expect(res.status).toBe(200);
    expect(res.body.meta.total).toBe(3);
    for (const secret of fakeSecrets({ sentinelone: fakes.sentinelone })) expect(JSON.stringify(await syncStatus(older!.app, TENANT))).not.toContain(secret);
  });

  it('answers the same 503 on the admin integration test route', async () => {
    expectUndecryptable(await call(older!.app).post(`/api/admin/tenants/${TENANT}/integrations/sentinelone/test`));
  });

  it('says degraded in health, naming the tenant and vendor to an admin and only the status to others', async () => {
    const admin = await call(older!.app).get('/api/health');
    expect(admin.status).toBe(200);
    expect(admin.body.status).toBe('degraded');
    expect(admin.body.checks.store).toMatchObject({ status: 'degraded', undecryptable: [{ tenant_id: TENANT, vendor: 'sentinelone' }] });
    const anonymous = await request(server(older!.app)).get('/api/health/ready');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ status: 'degraded', checks: { store: { status: 'degraded' } } });
    expect(anonymous.text).not.toContain(TENANT);
    // The copy that holds the key is fine.
    expect((await call(newer!.app).get('/api/health')).body.checks.store.status).toBe('ok');
  });

  it('a never-synced stream: its failed run is recorded (naming the integration, never a secret) and a read answers the same 503 as /test', async () => {
    const FRESH = 'tenant_rotated_fresh';
    await registerTenant(newer!.app, FRESH, { sentinelone: fakes.sentinelone });
    // From here only the copy without the key runs: the other would sync the new tenant at its next planning.
    await newer!.close();
    newer = undefined;
    const calls = fakes.sentinelone.requests.length;

    const read = await call(older!.app).get(`/api/tenants/${FRESH}/security-alerts`);
    expectUndecryptable(read, FRESH);
    const [status] = await syncStatus(older!.app, FRESH);
    expect(status).toMatchObject({ stream: 'sentinelone.threats', state: 'failed', last_success_at: null });
    expect(status.last_error).toContain(`sentinelone integration of tenant '${FRESH}' cannot be used by this server`);
    for (const secret of fakeSecrets({ sentinelone: fakes.sentinelone })) expect(JSON.stringify(status)).not.toContain(secret);
    expect(fakes.sentinelone.requests.length).toBe(calls);

    const test = await call(older!.app).post(`/api/admin/tenants/${FRESH}/integrations/sentinelone/test`);
    expectUndecryptable(test, FRESH);
    expect(read.body.detail).toBe(test.body.detail);
    // Read again once recorded: the same answer, not a first sync in progress.
    expectUndecryptable(await call(older!.app).get(`/api/tenants/${FRESH}/security-alerts`), FRESH);
  });
});
