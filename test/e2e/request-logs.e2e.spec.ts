import { Writable } from 'node:stream';
import request from 'supertest';
import { Logger } from 'nestjs-pino';
import { LOG_DESTINATION } from '../../src/common/logging/request-logging.js';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { closeFakes, Fakes, fakeSecrets, LIVE_ENV, mintTenantKey, registerTenant, startFakes } from '../support/live-fixtures.js';

/** Every line the app writes, parsed (a line that is not JSON fails the test). */
class CapturedLines extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text.push(...chunk.toString().split('\n').filter((l) => l.length > 0));
    done();
  }
  get lines(): Array<Record<string, unknown>> {
    return this.text.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  requestLine(id: string): Record<string, unknown> | undefined {
    return this.lines.find((l) => l.request_id === id && (l.msg === 'request completed' || l.msg === 'request failed'));
  }
}

/** Request lines are written when the response finishes, a moment after the client has read it. */
async function lineFor(out: CapturedLines, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const line = out.requestLine(id);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no request line for ${id} in:\n${out.text.join('\n')}`);
}

describe('request logs (pino, JSON)', () => {
  const out = new CapturedLines();
  let t: TestApp;
  let fakes: Fakes;
  let tenantKey: string;

  beforeAll(async () => {
    fakes = await startFakes();
    t = await bootApp({ ...LIVE_ENV, LOG_FORMAT: 'json', LOG_LEVEL: 'log', VENDOR_BREAKER_THRESHOLD: '100', CORS_ORIGINS: '*', DOCS_ENABLED: 'true' }, (b) =>
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
    expect(res.status).toBe(502);
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
    for (const secret of [tenantKey, TEST_ADMIN_KEY, 'not-a-real-key-but-secret-anyway', ...fakeSecrets(fakes)]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/authorization/i);
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
