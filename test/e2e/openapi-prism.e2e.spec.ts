import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startNode } from '../cli/run.js';
import { bootApp, TEST_ADMIN_KEY, TestApp } from '../support/app.js';

/** Prism reports what breaks the document with a problem of its own (`--errors`) or, without it, in `sl-violations`. */
const PRISM_ERROR = /stoplight\.io\/prism\/errors/;
const BUDGET = 200;
const TENANT = '/api/tenants/tenant_demo_cca';

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

describe('a Prism validating proxy in front of the server (openapi.json, mock mode, shipped data)', () => {
  let t: TestApp;
  let prism: ChildProcess;
  let prismOut = '';
  let base: string;
  let apiBase: string;

  beforeAll(async () => {
    t = await bootApp({
      MOCK_MODE: 'true',
      MOCK_DATA_PATH: join(process.cwd(), 'mock-data'),
      MOCK_WATCH: 'false',
      RATE_LIMIT_PER_MINUTE: String(BUDGET),
    });
    await t.app.listen(0, '127.0.0.1');
    apiBase = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    const port = await freePort();
    const started = startNode(
      [join(process.cwd(), 'node_modules/.bin/prism'), 'proxy', join(process.cwd(), 'openapi.json'), apiBase, '--errors', '-h', '127.0.0.1', '-p', String(port)],
      { HOME: process.env.TMPDIR ?? '/tmp' },
      120_000,
    );
    prism = started.child;
    started.result.catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        prismOut += d.toString();
        if (prismOut.includes('Prism is listening')) resolve();
      };
      prism.stdout?.on('data', onData);
      prism.stderr?.on('data', onData);
      prism.once('exit', (code) => reject(new Error(`prism exited (${code}):\n${prismOut}`)));
    });
    base = `http://127.0.0.1:${port}`;
  }, 60_000);

  afterAll(async () => {
    if (prism && prism.exitCode === null) {
      prism.kill('SIGTERM');
      await once(prism, 'exit');
    }
    await t?.close();
  });

  async function send(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Answer> {
    const { key = TEST_ADMIN_KEY, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (key) headers.set('authorization', `Bearer ${key}`);
    const res = await fetch(`${base}${path}`, { ...rest, headers });
    return { status: res.status, headers: res.headers, body: await res.text() };
  }

  /** Sends through Prism and expects `status` with nothing Prism objects to, in the request or the answer. */
  async function expectValid(path: string, status: number, init: RequestInit & { key?: string | null } = {}): Promise<Answer> {
    const answer = await send(path, init);
    const violation = answer.headers.get('sl-violations') ?? (PRISM_ERROR.test(answer.body) ? answer.body : null);
    expect({ path, status: answer.status, violation }).toEqual({ path, status, violation: null });
    return answer;
  }

  it('passes every list route with its filters, repeated and comma-separated alike', async () => {
    const lists: [string, number][] = [
      ['/api/tenants', 200],
      ['/api/tenants?page=1&page_size=1&sort=-name', 200],
      [`${TENANT}/tickets`, 200],
      [`${TENANT}/tickets?status=New&status=Closed`, 200],
      [`${TENANT}/tickets?status=New,Closed`, 200],
      [`${TENANT}/tickets?status=New,Waiting&status=Closed&priority=High&board=Service&company=Acme%20Corp`, 200],
      [`${TENANT}/tickets?owner=tech1@msp.com&sla_status=Resolved&q=outlook`, 200],
      [`${TENANT}/tickets?created_from=2026-01-01T00:00:00Z&created_to=2026-01-31&updated_from=2026-01-15&updated_to=2026-12-31T23:59:59Z`, 200],
      [`${TENANT}/tickets?sort=-updated_at_remote&page=2&page_size=5`, 200],
      [`${TENANT}/time-entries?billable=true`, 200],
      [`${TENANT}/time-entries?billable=true&billable=false`, 200],
      [`${TENANT}/time-entries?billable=true,false&member=tech1@msp.com&work_type=Remote,Onsite`, 200],
      [`${TENANT}/time-entries?cw_ticket_id=TKT-001&cw_ticket_id=TKT-002&date_from=2026-01-01&date_to=2026-01-31`, 200],
      [`${TENANT}/csat?sentiment=positive,neutral&sentiment=negative&score_min=1&score_max=5`, 200],
      [`${TENANT}/csat?ticket_id=TKT-001,TKT-002&submitted_from=2026-01-01T00:00:00Z&submitted_to=2026-02-01T00:00:00Z`, 200],
      [`${TENANT}/security-alerts?severity=high,critical`, 200],
      [`${TENANT}/security-alerts?severity=high&severity=critical`, 200],
      [`${TENANT}/security-alerts?source=sentinelone&status=new,investigating&status=resolved&device=SRV-DC01`, 200],
      [`${TENANT}/security-alerts?detected_from=2026-01-01&detected_to=2026-01-31T23:59:59Z&sort=-detected_at`, 200],
    ];
    for (const [path, status] of lists) {
      const answer = await expectValid(path, status);
      expect({ path, total: answer.headers.get('x-total-count') }).toEqual({ path, total: expect.stringMatching(/^\d+$/) });
      expect(answer.headers.get('link')).toContain('rel="first"');
    }
  }, 60_000);

  it('passes the record, insights, health and index routes, and Prefer scenarios', async () => {
    await expectValid(TENANT, 200);
    await expectValid(`${TENANT}/tickets/TKT-001`, 200);
    await expectValid(`${TENANT}/summary`, 200);
    await expectValid(`${TENANT}/summary?from=2026-01-01&to=2026-02-01T00:00:00Z`, 200);
    await expectValid(`${TENANT}/summary/series?interval=week`, 200);
    for (const path of ['/', '/api/health', '/api/health/live', '/api/health/ready']) await expectValid(path, 200, { key: null });
    const stale = await expectValid(`${TENANT}/tickets?page_size=1`, 200, { headers: { prefer: 'stale' } });
    expect(stale.headers.get('warning')).toBe('110 - "stale"');
    for (const code of [502, 503, 504]) await expectValid(`${TENANT}/csat`, code, { headers: { prefer: `code=${code}` } });
  }, 60_000);

  it('passes a conditional GET answered 304, and the 400, 401, 404 answers', async () => {
    for (const path of [`${TENANT}/tickets?status=New&status=Closed`, `${TENANT}/summary`, '/api/tenants', '/api/health']) {
      const first = await expectValid(path, 200, path === '/api/health' ? { key: null } : {});
      const etag = first.headers.get('etag') as string;
      expect(etag).toMatch(/^W\/"/);
      await expectValid(path, 304, { key: path === '/api/health' ? null : TEST_ADMIN_KEY, headers: { 'if-none-match': etag } });
    }
    // Without any Authorization Prism answers 401 itself, before the server: an unknown key reaches it.
    await expectValid(`${TENANT}/tickets`, 401, { key: 'mspk_not_a_key_0123456789' });
    await expectValid('/api/tenants', 401, { key: 'not-even-the-format' });
    await expectValid('/api/tenants/acme/tickets', 404);
    await expectValid(`${TENANT}/tickets/TKT-999999`, 404);
    await expectValid(`${TENANT}/tickets?typo=1`, 400);
    await expectValid('/api/health?verbose=1', 400, { key: null });
  }, 60_000);

  it('passes the admin routes, a tenant key refused on them (403), and a spent budget (429)', async () => {
    const json = (body: unknown): RequestInit => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    await expectValid(`/api/admin/tenants/tenant_demo_cca/integrations`, 200);
    await expectValid('/api/admin/api-keys', 200);
    const created = await expectValid('/api/admin/api-keys', 201, { method: 'POST', ...json({ name: 'prism', scope: { tenants: ['tenant_demo_cca'] } }) });
    const { id, key } = JSON.parse(created.body) as { id: string; key: string };
    await expectValid('/api/admin/api-keys', 403, { key });
    const metrics = await expectValid('/metrics', 200);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    await expectValid('/metrics', 403, { key });
    await expectValid(`${TENANT}/tickets?status=New`, 200, { key });
    await expectValid('/api/admin/tenants', 403, { method: 'POST', ...json({ id: 'acme', name: 'Acme', is_active: true, llm_enabled: false }) });
    await expectValid(`/api/admin/tenants/tenant_demo_cca`, 403, { method: 'PATCH', ...json({ name: 'CCA' }) });
    await expectValid('/api/admin/tenants/tenant_demo_cca/integrations/smileback', 404, { method: 'DELETE' });
    await expectValid('/api/admin/tenants/tenant_demo_cca/integrations/smileback/test', 404, { method: 'POST' });

    // The tenant key's budget, spent directly on the server; the next answer through Prism is its 429.
    const spend = await Promise.all(
      Array.from({ length: BUDGET }, () => fetch(`${apiBase}/api/tenants`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.arrayBuffer().then(() => r.status))),
    );
    expect(spend.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await expectValid(`${TENANT}/tickets`, 429, { key });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    await expectValid(`/api/admin/api-keys/${id}`, 204, { method: 'DELETE' });
    await expectValid(`/api/admin/api-keys/${id}x`, 404, { method: 'DELETE' });
  }, 60_000);
});
