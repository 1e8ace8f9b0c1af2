import pg from 'pg';
import request from 'supertest';
import { bootApp, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { call, LIVE_ENV } from '../support/live-fixtures.js';
import { createPostgresDatabase, TestDatabase } from '../support/postgres.js';

const NUL = '\u0000';

describe('admin input on PostgreSQL: NUL characters and URLs with credentials are refused with 400, nothing written', () => {
  let database: TestDatabase;
  let t: TestApp | undefined;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    t = await bootApp({ ...LIVE_ENV, DATABASE_URL: database.url });
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const created = await call(t.app).post('/api/admin/tenants', { id: 'tenant_input', name: 'Input', is_active: true, llm_enabled: false });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await sql?.end();
    await t?.close();
    await database?.drop();
  });

  const rows = async (query: string) => (await sql.query(query)).rows;

  const expectNulRefused = (res: { status: number; body: { type?: string; detail?: string; errors?: unknown } }, field: string) => {
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('/problems/validation');
    expect(res.body.errors).toEqual([{ field, message: 'must not contain the NUL character (\\u0000)' }]);
    expect(res.body.detail).toBe(`${field}: must not contain the NUL character (\\u0000)`);
  };

  it('a tenant name holding NUL is 400 naming `name`, and no tenant is created', async () => {
    expectNulRefused(
      await call(t!.app).post('/api/admin/tenants', { id: 'tenant_nul', name: `Nul${NUL}Corp`, is_active: true, llm_enabled: false }),
      'name',
    );
    expect(await rows("select id from tenants where id = 'tenant_nul'")).toEqual([]);
  });

  it('a renamed tenant holding NUL is 400, and the name is unchanged', async () => {
    const patch = await request(t!.app.getHttpServer())
      .patch('/api/admin/tenants/tenant_input')
      .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .send({ name: `Renamed${NUL}` });
    expectNulRefused(patch, 'name');
    expect(await rows("select name from tenants where id = 'tenant_input'")).toEqual([{ name: 'Input' }]);
  });

  it('an API key name holding NUL is 400, and no key is minted', async () => {
    expectNulRefused(await call(t!.app).post('/api/admin/api-keys', { name: `${NUL}`, scope: 'admin' }), 'name');
    expect(await rows('select id from api_keys')).toEqual([]);
  });

  it('an integration setting holding NUL (nested in a list too) is 400 naming it, and nothing is stored', async () => {
    expectNulRefused(
      await call(t!.app).put('/api/admin/tenants/tenant_input/integrations/connectwise', {
        base_url: 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0',
        company_id: `contoso${NUL}`,
        public_key: 'pub',
        private_key: 'priv',
        client_id: 'client',
      }),
      'company_id',
    );
    expectNulRefused(
      await call(t!.app).put('/api/admin/tenants/tenant_input/integrations/sentinelone', {
        base_url: 'https://usea1.sentinelone.net',
        api_token: 'token',
        site_ids: ['1', `2${NUL}`],
      }),
      'site_ids.1',
    );
    expect(await rows('select vendor from integrations')).toEqual([]);
  });

  it('a query parameter holding NUL is 400 naming it', async () => {
    expectNulRefused(await call(t!.app).get(`/api/tenants/tenant_input/tickets?q=a${encodeURIComponent(NUL)}b`), 'q');
    expectNulRefused(await call(t!.app).get(`/api/tenants?q=${encodeURIComponent(NUL)}`), 'q');
  });

  it('a path parameter holding NUL is 400 naming it', async () => {
    const res = await request(t!.app.getHttpServer()).delete(`/api/admin/api-keys/${encodeURIComponent(NUL)}`).set('authorization', `Bearer ${TEST_ADMIN_KEY}`);
    expectNulRefused(res, 'id');
  });

  it.each([
    ['user:password@', 'https://api:hunter2@usea1.sentinelone.net'],
    ['user@', 'https://api@usea1.sentinelone.net'],
    [':password@', 'https://:hunter2@usea1.sentinelone.net'],
  ])('a base_url with %s is 400 naming base_url, and nothing is stored', async (_, base_url) => {
    const res = await call(t!.app).put('/api/admin/tenants/tenant_input/integrations/sentinelone', { base_url, api_token: 'token' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'base_url', message: expect.stringMatching(/^must not contain a user name or password/) }]);
    expect(res.text).not.toContain('hunter2');
    expect(await rows('select vendor from integrations')).toEqual([]);
  });

  it('an integration stored with userinfo before this check is listed with the userinfo masked', async () => {
    await sql.query(
      "insert into integrations (tenant_id, vendor, settings, secrets, updated_at) values ('tenant_input', 'smileback', $1, '{}', '2026-01-01T00:00:00.000Z')",
      [JSON.stringify({ base_url: 'https://api:hunter2@app.smileback.io/v3', client_id: 'c', username: 'u' })],
    );
    try {
      const res = await call(t!.app).get('/api/admin/tenants/tenant_input/integrations');
      expect(res.status).toBe(200);
      const smileback = res.body.find((i: { vendor: string }) => i.vendor === 'smileback');
      expect(smileback.settings.base_url).toBe('https://***@app.smileback.io/v3');
      expect(res.text).not.toContain('hunter2');
    } finally {
      await sql.query("delete from integrations where tenant_id = 'tenant_input'");
    }
  });
});
