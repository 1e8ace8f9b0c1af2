import request from 'supertest';
import { Logger } from 'nestjs-pino';
import { LOG_DESTINATION } from '../../src/common/logging/request-logging.js';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { CapturedLines, lineFor } from '../support/captured-log.js';
import { closeFakes, Fakes, fakeSecrets, LIVE_ENV, mintTenantKey, registerTenant, startFakes } from '../support/live-fixtures.js';
import { bootVendorReplicaApp } from '../support/vendor-replica-app.js';

describe('request logs (pino, JSON)', () => {
  const out = new CapturedLines();
  let t: TestApp;
  let fakes: Fakes;
  let tenantKey: string;

  beforeAll(async () => {
    fakes = await startFakes();
    // Live reads from the replica: the sync's own lines (its runs, their failures) go to the same log.
    const env = { ...LIVE_ENV, LOG_FORMAT: 'json', LOG_LEVEL: 'info', VENDOR_BREAKER_THRESHOLD: '100', CORS_ORIGINS: '*', DOCS_ENABLED: 'true' };
    t = await bootVendorReplicaApp({ ...env, VENDOR_TIMEOUT_MS: '5000', SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '90', FIRST_SYNC_WAIT_MS: '10000' }, (b) =>
      b.overrideProvider(LOG_DESTINATION).useValue(out),
    );
    t.app.useLogger(t.app.get(Logger));
    await registerTenant(t.app, 'tenant_logs', { sentinelone: fakes.sentinelone, connectwise: fakes.connectwise });
    tenantKey = await mintTenantKey(t.app, ['tenant_logs']);
  });
  afterAll(async () => {
    await t?.close();
    await closeFakes(fakes);
  });

  it('writes one line per request with method, route, status, duration, tenant and key id, echoing X-Request-Id', async () => {
    const res = await request(server(t.app))
      .get('/api/tenants/tenant_logs/tickets?page_size=1')
      .set('authorization', `Bearer ${tenantKey}`)
      .set('x-request-id', 'dash-42.a')
      .set('x-forwarded-for', '203.0.113.9');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('dash-42.a');

    const line = await lineFor(out, 'dash-42.a');
    const keyId = (await request(server(t.app)).get('/api/admin/api-keys').set('authorization', `Bearer ${TEST_ADMIN_KEY}`)).body.find(
      (k: { name: string }) => k.name === 'key for tenant_logs',
    ).id as string;
    expect(line).toMatchObject({
      level: 'info',
      method: 'GET',
      url: '/api/tenants/tenant_logs/tickets?page_size=1',
      route: '/api/tenants/:tenantId/tickets',
      status: 200,
      tenant: 'tenant_logs',
      key_id: keyId,
    });
    expect(typeof line.duration_ms).toBe('number');
    // The peer: without TRUST_PROXY, X-Forwarded-For is not believed.
    expect(line.client_ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
    expect(out.lines.filter((l) => l.request_id === 'dash-42.a' && l.msg === 'request completed')).toHaveLength(1);
  });

  it('generates a UUID when X-Request-Id is missing or not a plain token, and logs 404s and 401s too', async () => {
    const missing = await request(server(t.app)).get('/api/nowhere');
    const odd = await request(server(t.app)).get('/api/tenants/tenant_logs/tickets').set('x-request-id', 'two words');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(missing.headers['x-request-id']).toMatch(uuid);
    expect(odd.headers['x-request-id']).toMatch(uuid);
    expect(odd.headers['x-request-id']).not.toBe(missing.headers['x-request-id']);
    expect(await lineFor(out, missing.headers['x-request-id'])).toMatchObject({ status: 404, route: null, key_id: null });
    for (const res of [missing, odd]) expect(out.lines.filter((l) => l.request_id === res.headers['x-request-id'])).toHaveLength(1);
    expect(await lineFor(out, odd.headers['x-request-id'])).toMatchObject({ status: 401, tenant: 'tenant_logs', key_id: null });
  });

  it("binds the request id to every line logged while serving that request, at the right level", async () => {
    fakes.sentinelone.failNext(100, { status: 500 });
    const res = await request(server(t.app))
      .get('/api/tenants/tenant_logs/security-alerts')
      .set('authorization', `Bearer ${tenantKey}`)
      .set('x-request-id', 'failing-1');
    // The read started the stream's first sync and answers its failure: the run's own lines were logged while serving it.
    expect(res.status).toBe(502);
    expect(res.body.detail).toMatch(/^sentinelone answered 500 to /);
    const line = await lineFor(out, 'failing-1');
    expect(line).toMatchObject({ level: 'error', status: 502, msg: 'request failed' });
    const inside = out.lines.filter((l) => l.request_id === 'failing-1' && l.msg !== 'request failed');
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.some((l) => l.level === 'warn' && String(l.msg).startsWith('sentinelone answered 500'))).toBe(true);
  });

  it('never writes a key, the Authorization header or a vendor secret', async () => {
    await request(server(t.app)).get('/api/tenants/tenant_logs/tickets').set('authorization', `Bearer ${tenantKey}`);
    await request(server(t.app)).get('/api/tenants/tenant_logs/tickets').set('authorization', 'Bearer not-a-real-key-but-secret-anyway');
    const all = out.text.join('\n');
    // The sync's lines are in it: the failed first run above, and the runs that synced ConnectWise.
    expect(out.lines.some((l) => String(l.msg).startsWith('sentinelone answered 500'))).toBe(true);
    for (const secret of [tenantKey, TEST_ADMIN_KEY, 'not-a-real-key-but-secret-anyway', ...fakeSecrets(fakes)]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/authorization/i);
  });

  it.each([
    ['/api/tenants/tenant_logs/tickets', 400],
    ['/api/nowhere', 404],
    ['/nowhere', 404],
  ])('writes %s with the value of every credential-named query parameter redacted (%s)', async (path, status) => {
    const query =
      'page_size=1&api_key=k-0001&APIKEY=k-0002&access_token=k-0003&token=k-0004&key=k-0005&password=k-0006&secret=k-0007' +
      '&signature=k-0008&client_secret=k-0009&code=k-0010&X-Amz-Signature=k-0011&refreshToken=k-0012&api%5Fkey=k-0013&Token=k-0014&status=New';
    const res = await request(server(t.app)).get(`${path}?${query}`).set('authorization', `Bearer ${tenantKey}`);
    expect(res.status).toBe(status);
    const line = await lineFor(out, res.headers['x-request-id'] as string);
    expect(line.url).toBe(
      `${path}?page_size=1&api_key=[redacted]&APIKEY=[redacted]&access_token=[redacted]&token=[redacted]&key=[redacted]&password=[redacted]` +
        '&secret=[redacted]&signature=[redacted]&client_secret=[redacted]&code=[redacted]&X-Amz-Signature=[redacted]&refreshToken=[redacted]' +
        '&api%5Fkey=[redacted]&Token=[redacted]&status=New',
    );
    expect(out.text.join('\n')).not.toMatch(/k-00\d\d/);
  });

  // nestjs-pino keeps one root logger per process, so these share the app above (and its captured stream).
  it.each([
    ['GET', '/', 200, '/'],
    ['GET', '/docs', 200, '/docs'],
    ['GET', '/docs-json', 200, '/docs-json'],
    ['GET', '/nowhere', 404, null],
    ['GET', '/api/nowhere', 404, null],
    ['DELETE', '/api/tenants/tenant_logs/tickets', 405, null],
    ['OPTIONS', '/api/tenants/tenant_logs/tickets', 204, '*'],
    ['GET', '/api/health', 200, '/api/health'],
  ])('%s %s → %s outside Nest\'s middleware or before it: exactly one request line, with the request id it echoes', async (method, path, status, route) => {
    let req = request(server(t.app))[method.toLowerCase() as 'get'](path);
    if (method === 'OPTIONS') req = req.set('origin', 'https://dash.example').set('access-control-request-method', 'GET');
    const res = await req;
    expect(res.status).toBe(status);
    const id = res.headers['x-request-id'] as string;
    expect(id).toBeTruthy();
    expect(await lineFor(out, id)).toMatchObject({ level: 'info', method, url: path, status, route });
    await new Promise((r) => setTimeout(r, 50)); // a second line, if any, would be written by now
    expect(out.lines.filter((l) => l.request_id === id && (l.msg === 'request completed' || l.msg === 'request failed'))).toHaveLength(1);
  });
});
