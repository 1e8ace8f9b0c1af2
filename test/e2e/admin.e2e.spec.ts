import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { bootApp, CapturingLogger, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { TICKET_SOURCE } from '../../src/tickets/sources/ticket-source.js';
import { TIME_ENTRY_SOURCE } from '../../src/time-entries/sources/time-entry-source.js';
import { CSAT_SOURCE } from '../../src/csat/sources/csat-source.js';
import { SECURITY_ALERT_SOURCES } from '../../src/security-alerts/sources/security-alert-source.js';
import { VENDORS } from '../../src/platform/integration-bodies.dto.js';

const ADMIN = `Bearer ${TEST_ADMIN_KEY}`;

/** Every secret a test below hands to the API: none may come back, be logged, or sit in the database in clear. */
const SECRETS = {
  connectwise: { private_key: 'cw-private-canary-7f3a' },
  smileback: { client_secret: 'smb-secret-canary-91c2', password: 'smb-password-canary-0d4e' },
  sentinelone: { api_token: 's1-token-canary-55aa' },
  defender: { client_secret: 'def-secret-canary-c3b1' },
};
const BODIES: Record<string, Record<string, unknown>> = {
  connectwise: {
    base_url: 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0',
    company_id: 'contoso',
    public_key: 'PubKey123',
    client_id: '00000000-0000-0000-0000-000000000000',
    time_zone: 'America/New_York',
    ...SECRETS.connectwise,
  },
  smileback: { client_id: 'smb-client', username: 'api@msp.example', ...SECRETS.smileback },
  sentinelone: { base_url: 'https://usea1.sentinelone.net', account_ids: ['225494730938493804'], ...SECRETS.sentinelone },
  defender: { azure_tenant_id: '11111111-2222-3333-4444-555555555555', client_id: 'def-client', ...SECRETS.defender },
};
const allSecrets = Object.values(SECRETS).flatMap((s) => Object.values(s));

describe('admin API in mock mode', () => {
  let t: TestApp;
  let dbFile: string;
  const logger = new CapturingLogger();
  const responses: string[] = [];
  const call = (method: 'get' | 'put' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = request(server(t.app))[method](path).set('authorization', ADMIN);
    return (body === undefined ? req : req.send(body)).then((res) => {
      responses.push(res.text);
      return res;
    });
  };

  beforeAll(async () => {
    dbFile = join(await mkdtemp(join(tmpdir(), 'admin-db-')), 'platform.db');
    t = await bootApp(
      { MOCK_MODE: 'true', MOCK_DATA_PATH: await writeFolder(seedContents()), MOCK_WATCH: 'false', DATABASE_URL: `sqlite:${dbFile}` },
      undefined,
      logger,
    );
  });
  afterAll(() => t.close());

  it('lists one entry per vendor, none configured at first', async () => {
    const res = await call('get', '/api/admin/tenants/tenant_demo_cca/integrations');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      ['connectwise', 'smileback', 'sentinelone', 'defender'].map((vendor) => ({ vendor, configured: false, settings: {}, secrets: [] })),
    );
  });

  it.each(Object.keys(BODIES))('stores a %s integration with defaults, and returns its secrets by name only', async (vendor) => {
    const put = await call('put', `/api/admin/tenants/tenant_demo_cca/integrations/${vendor}`, BODIES[vendor]);
    expect(put.status).toBe(200);
    const secretNames = Object.keys(SECRETS[vendor as keyof typeof SECRETS]).sort();
    expect({ ...put.body, secrets: [...put.body.secrets].sort() }).toMatchObject({ vendor, configured: true, secrets: secretNames });
    for (const name of secretNames) expect(put.body.settings).not.toHaveProperty(name);
    const listed = (await call('get', '/api/admin/tenants/tenant_demo_cca/integrations')).body.find((i: { vendor: string }) => i.vendor === vendor);
    expect(listed).toEqual(put.body);
  });

  it('fills the documented defaults', async () => {
    const listed = (await call('get', '/api/admin/tenants/tenant_demo_cca/integrations')).body;
    const byVendor = Object.fromEntries(listed.map((i: { vendor: string; settings: object }) => [i.vendor, i.settings]));
    expect(byVendor.smileback.base_url).toBe('https://app.smileback.io');
    expect(byVendor.defender).toMatchObject({
      api: 'graph',
      base_url: 'https://graph.microsoft.com',
      login_url: 'https://login.microsoftonline.com',
      service_sources: ['microsoftDefenderForEndpoint'],
    });
    expect(byVendor.connectwise.time_zone).toBe('America/New_York');
  });

  it('validates bodies per vendor, naming every bad field', async () => {
    const res = await call('put', '/api/admin/tenants/tenant_demo_cca/integrations/connectwise', {
      base_url: 'not a url',
      company_id: 'x',
      public_key: 'p',
      client_id: 'c',
      time_zone: 'Mars/Olympus',
      surprise: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'surprise', message: 'is not a known field or parameter here' },
        { field: 'base_url', message: expect.any(String) },
        { field: 'private_key', message: 'is required' },
        { field: 'time_zone', message: expect.stringContaining('IANA') },
      ]),
    );
    const defender = await call('put', '/api/admin/tenants/tenant_demo_cca/integrations/defender', { ...BODIES.defender, api: 'beta' });
    expect(defender.body.errors).toEqual([{ field: 'api', message: expect.any(String) }]);
    const notObject = await call('put', '/api/admin/tenants/tenant_demo_cca/integrations/sentinelone', [1, 2]);
    expect(notObject.status).toBe(400);
  });

  it('keeps the previous integration when a replacement is invalid', async () => {
    const before = (await call('get', '/api/admin/tenants/tenant_demo_cca/integrations')).body;
    await call('put', '/api/admin/tenants/tenant_demo_cca/integrations/sentinelone', { base_url: 'https://x.example' });
    expect((await call('get', '/api/admin/tenants/tenant_demo_cca/integrations')).body).toEqual(before);
  });

  it('answers 404 for an unknown vendor (naming every vendor it knows) or tenant, and 400 for a malformed tenant id', async () => {
    const unknownVendor = (await call('put', '/api/admin/tenants/tenant_demo_cca/integrations/autotask', {})).body;
    expect(unknownVendor.type).toBe('/problems/vendor-not-found');
    for (const vendor of VENDORS) expect(unknownVendor.detail).toContain(vendor);
    expect((await call('get', '/api/admin/tenants/tenant_ghost/integrations')).status).toBe(404);
    expect((await call('get', '/api/admin/tenants/Ghost/integrations')).status).toBe(400);
  });

  it('deletes an integration (204), then 404 for one that is not configured', async () => {
    await call('put', '/api/admin/tenants/tenant_demo_client2/integrations/sentinelone', BODIES.sentinelone);
    expect((await call('delete', '/api/admin/tenants/tenant_demo_client2/integrations/sentinelone')).status).toBe(204);
    const again = await call('delete', '/api/admin/tenants/tenant_demo_client2/integrations/sentinelone');
    expect(again.status).toBe(404);
    expect(again.body.type).toBe('/problems/integration-not-configured');
  });

  it('tests an integration with one authenticated call: ok with latency, or the vendor error in words', async () => {
    const fake = await FakeSentinelOne.start();
    try {
      const put = await call('put', '/api/admin/tenants/tenant_demo_client2/integrations/sentinelone', fake.integration());
      expect(put.status).toBe(200);
      const ok = await call('post', '/api/admin/tenants/tenant_demo_client2/integrations/sentinelone/test');
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ ok: true, latency_ms: expect.any(Number) });
      expect(fake.calls('/web/api/v2.1/threats')).toBe(1);

      await call('put', '/api/admin/tenants/tenant_demo_client2/integrations/sentinelone', fake.integration({ api_token: 'wrong-token-canary' }));
      const denied = await call('post', '/api/admin/tenants/tenant_demo_client2/integrations/sentinelone/test');
      expect(denied.status).toBe(200);
      expect(denied.body).toEqual({ ok: false, error: expect.stringMatching(/^401 from SentinelOne: invalid credentials/) });
      expect(denied.text).not.toContain('wrong-token-canary');
    } finally {
      await call('delete', '/api/admin/tenants/tenant_demo_client2/integrations/sentinelone');
      await fake.close();
    }
    expect((await call('post', '/api/admin/tenants/tenant_demo_client2/integrations/defender/test')).status).toBe(404);
  });

  it('refuses tenant writes in mock mode: tenants.json is the registry', async () => {
    const create = await call('post', '/api/admin/tenants', { id: 'tenant_new', name: 'New', is_active: true, llm_enabled: false });
    expect(create.status).toBe(403);
    expect(create.body.type).toBe('/problems/read-only');
    expect((await call('patch', '/api/admin/tenants/tenant_demo_cca', { is_active: false })).status).toBe(403);
  });

  it('mints keys only for tenants that exist, and validates the scope', async () => {
    const unknown = await call('post', '/api/admin/api-keys', { name: 'x', scope: { tenants: ['tenant_demo_cca', 'tenant_ghost'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'scope.tenants.1', message: "tenant 'tenant_ghost' does not exist" }]);
    for (const scope of ['root', { tenants: [] }, { tenants: ['UPPER'] }, { tenants: ['a'], extra: 1 }, null]) {
      expect((await call('post', '/api/admin/api-keys', { name: 'x', scope })).status).toBe(400);
    }
    expect((await call('post', '/api/admin/api-keys', { name: 'ok', scope: 'admin' })).status).toBe(201);
  });

  it('answers malformed JSON and non-JSON bodies with a problem', async () => {
    const bad = await request(server(t.app))
      .post('/api/admin/api-keys')
      .set('authorization', ADMIN)
      .set('content-type', 'application/json')
      .send('{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    const text = await request(server(t.app)).post('/api/admin/api-keys').set('authorization', ADMIN).set('content-type', 'text/plain').send('hi');
    expect([400, 415]).toContain(text.status);
    expect(text.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('never returns, logs or stores in clear any secret it was given', async () => {
    for (const text of responses) for (const secret of allSecrets) expect(text).not.toContain(secret);
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const line of logger.lines) for (const secret of allSecrets) expect(line).not.toContain(secret);
    const files = [dbFile, `${dbFile}-wal`];
    for (const file of files) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      for (const secret of allSecrets) expect({ file, secret, found: bytes.includes(secret) }).toEqual({ file, secret, found: false });
    }
  });
});

describe('admin API in live mode (tenants in the platform store)', () => {
  let t: TestApp;
  const call = (method: 'get' | 'post' | 'patch', path: string, body?: object, key = TEST_ADMIN_KEY) => {
    const req = request(server(t.app))[method](path).set('authorization', `Bearer ${key}`);
    return body === undefined ? req : req.send(body);
  };

  beforeAll(async () => {
    // Live vendor sources arrive with issue 4; these tests are about the tenant registry, so the data sources are fakes.
    const empty = { list: async () => [] };
    t = await bootApp({ MOCK_MODE: 'false', MOCK_DATA_PATH: undefined, DATABASE_URL: 'sqlite::memory:' }, (b) =>
      b
        .overrideProvider(TICKET_SOURCE)
        .useValue(empty)
        .overrideProvider(TIME_ENTRY_SOURCE)
        .useValue(empty)
        .overrideProvider(CSAT_SOURCE)
        .useValue(empty)
        .overrideProvider(SECURITY_ALERT_SOURCES)
        .useValue([empty]),
    );
  });
  afterAll(() => t.close());

  it('registers a tenant (201), refuses a duplicate (409), and patches it', async () => {
    const tenant = { id: 'tenant_live', name: 'Live MSP', is_active: true, llm_enabled: false };
    expect((await call('post', '/api/admin/tenants', tenant)).body).toEqual(tenant);
    const dup = await call('post', '/api/admin/tenants', tenant);
    expect(dup.status).toBe(409);
    expect(dup.body.type).toBe('/problems/tenant-exists');
    const patched = await call('patch', '/api/admin/tenants/tenant_live', { llm_enabled: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...tenant, llm_enabled: true });
    expect((await call('get', '/api/tenants')).body.data).toEqual([{ ...tenant, llm_enabled: true }]);
    expect((await call('get', '/api/health')).body.mode).toBe('live');
  });

  it('validates tenant bodies', async () => {
    const res = await call('post', '/api/admin/tenants', { id: 'Bad Id', name: '', is_active: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['id', 'is_active', 'llm_enabled', 'name']);
    expect((await call('patch', '/api/admin/tenants/tenant_live', { id: 'renamed' })).status).toBe(400);
    expect((await call('patch', '/api/admin/tenants/tenant_none', { name: 'x' })).status).toBe(404);
  });

  it('scopes keys to store tenants, and closes the data routes of a deactivated tenant', async () => {
    await call('post', '/api/admin/tenants', { id: 'tenant_other', name: 'Other', is_active: true, llm_enabled: false }).expect(201);
    const { key } = (await call('post', '/api/admin/api-keys', { name: 'live', scope: { tenants: ['tenant_live'] } }).expect(201)).body;
    await call('get', '/api/tenants/tenant_live/tickets', undefined, key).expect(200);
    await call('get', '/api/tenants/tenant_other/tickets', undefined, key).expect(404);
    await call('patch', '/api/admin/tenants/tenant_live', { is_active: false }).expect(200);
    const closed = await call('get', '/api/tenants/tenant_live/tickets', undefined, key).expect(403);
    expect(closed.body.type).toBe('/problems/tenant-inactive');
    await call('get', '/api/tenants/tenant_live', undefined, key).expect(200);
  });
});
