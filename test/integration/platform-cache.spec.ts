import { randomBytes } from 'node:crypto';
import type { LogEvent } from 'kysely';
import pg from 'pg';
import request from 'supertest';
import { openDatabase } from '../../src/platform/database.js';
import { migrateToLatest } from '../../src/platform/migrations.js';
import { platformOn } from '../support/platform.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { bootApp, server, TestApp } from '../support/app.js';
import { ADMIN, LIVE_ENV } from '../support/live-fixtures.js';
import { createPostgresDatabase, POSTGRES_ADDRESS, TestDatabase } from '../support/postgres.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('platform store reads cached in process', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  async function storeCountingQueries(cacheTtlMs: number) {
    const statements: string[] = [];
    const onQuery = (event: LogEvent) => statements.push(event.query.sql);
    const { db, engine } = openDatabase(database.url, { connectTimeoutMs: 2_000, queryTimeoutMs: 5_000, onQuery });
    await migrateToLatest(db);
    const store = platformOn(db, engine, new SecretBox(randomBytes(32)), cacheTtlMs);
    return { store, statements, close: () => db.destroy() };
  }

  it('answers a burst of key checks with one SELECT and records the use with one UPDATE', async () => {
    const { store, statements, close } = await storeCountingQueries(1_000);
    const { key, id } = await store.apiKeys.create('burst', 'admin');
    statements.length = 0;
    const results = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const found = await store.apiKeys.verify(key);
        if (found) await store.apiKeys.touch(found.id, found.lastUsedAt);
        return found?.id;
      }),
    );
    expect(new Set(results)).toEqual(new Set([id]));
    expect(statements.filter((s) => /^select .* from "api_keys"/i.test(s))).toHaveLength(1);
    expect(statements.filter((s) => /^update "api_keys"/i.test(s))).toHaveLength(1);
    await close();
  });

  it("answers a burst of health probes' key checks with one scan of the integrations table, and scans again after a write", async () => {
    const { store, statements, close } = await storeCountingQueries(1_000);
    const tenantId = `t_${randomBytes(4).toString('hex')}`;
    await store.tenants.create({ id: tenantId, name: 'Probed', is_active: true, llm_enabled: false });
    await store.integrations.put(tenantId, 'sentinelone', { base_url: 'https://s1.example.com', api_token: 'probe-token' });
    const scans = () => statements.filter((s) => /^select \* from "integrations" order by/i.test(s)).length;
    statements.length = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, () => store.integrations.withUnknownKeys()));
    expect(answers.every((a) => a.length === 0)).toBe(true);
    expect(scans()).toBe(1);
    await store.integrations.delete(tenantId, 'sentinelone');
    await store.integrations.withUnknownKeys();
    expect(scans()).toBe(2);
    await close();
  });

  it('never reuses a read across a change made by the same copy (revocation, tenant and integration writes)', async () => {
    const { store, close } = await storeCountingQueries(1_000);
    const { key, id } = await store.apiKeys.create('soon revoked', 'admin');
    expect(await store.apiKeys.verify(key)).toMatchObject({ id });
    await store.apiKeys.revoke(id);
    expect(await store.apiKeys.verify(key)).toBeUndefined();

    const tenantId = `t_${randomBytes(4).toString('hex')}`;
    expect((await store.tenants.list()).some((t) => t.id === tenantId)).toBe(false);
    await store.tenants.create({ id: tenantId, name: 'Fresh', is_active: true, llm_enabled: false });
    expect((await store.tenants.list()).find((t) => t.id === tenantId)?.is_active).toBe(true);
    await store.tenants.update(tenantId, { is_active: false });
    expect((await store.tenants.list()).find((t) => t.id === tenantId)?.is_active).toBe(false);

    expect(await store.integrations.credentialsFor(tenantId, 'sentinelone')).toBeUndefined();
    await store.integrations.put(tenantId, 'sentinelone', { base_url: 'https://s1.example.com', api_token: 'first-token' });
    expect((await store.integrations.credentialsFor(tenantId, 'sentinelone'))?.secrets.api_token).toBe('first-token');
    await store.integrations.put(tenantId, 'sentinelone', { base_url: 'https://s1.example.com', api_token: 'second-token' });
    expect((await store.integrations.credentialsFor(tenantId, 'sentinelone'))?.secrets.api_token).toBe('second-token');
    await store.integrations.delete(tenantId, 'sentinelone');
    expect(await store.integrations.credentialsFor(tenantId, 'sentinelone')).toBeUndefined();
    await close();
  });

  it("sees another copy's revocation once PLATFORM_CACHE_TTL_MS has passed", async () => {
    const writer = await storeCountingQueries(1_000);
    const reader = await storeCountingQueries(1_000);
    const { key, id } = await writer.store.apiKeys.create('shared', 'admin');
    expect(await reader.store.apiKeys.verify(key)).toMatchObject({ id });
    await writer.store.apiKeys.revoke(id);
    await sleep(1_050);
    expect(await reader.store.apiKeys.verify(key)).toBeUndefined();
    await writer.close();
    await reader.close();
  });
});

describe('a live-mode app over PostgreSQL: hot path and blips', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let app: TestApp;
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await new TcpProxy(POSTGRES_ADDRESS.host, POSTGRES_ADDRESS.port).listen();
    app = await bootApp({
      ...LIVE_ENV,
      DATABASE_URL: database.urlVia(proxy.port),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_QUERY_TIMEOUT_MS: '1000',
    });
    const http = request(server(app.app));
    await http.post('/api/admin/tenants').set('authorization', ADMIN).send({ id: 'tenant_a', name: 'A', is_active: true, llm_enabled: false }).expect(201);
    const minted = await request(server(app.app))
      .post('/api/admin/api-keys')
      .set('authorization', ADMIN)
      .send({ name: 'reader', scope: { tenants: ['tenant_a'] } })
      .expect(201);
    key = minted.body.key;
    keyId = minted.body.id;
    // Every write to api_keys is counted by the database itself.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('create table key_writes (id text not null)');
    await client.query(
      "create function count_key_write() returns trigger language plpgsql as $$ begin insert into key_writes values (new.id); return new; end $$",
    );
    await client.query('create trigger count_key_writes after update on api_keys for each row execute function count_key_write()');
    await client.end();
  });

  afterAll(async () => {
    await app.close();
    await proxy.close();
    await database.drop();
  });

  it('writes last_used_at once for 100 concurrent requests with one key', async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => request(server(app.app)).get('/api/tenants/tenant_a').set('authorization', `Bearer ${key}`)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const writes = await client.query('select id from key_writes');
    const keys = await client.query('select last_used_at from api_keys where id = $1', [keyId]);
    await client.end();
    expect(writes.rows).toEqual([{ id: keyId }]);
    expect(keys.rows[0].last_used_at).toEqual(expect.any(String));
  });

  it('keeps serving tenant reads from its last copy while the database is unreachable (keys are never served stale)', async () => {
    await request(server(app.app)).get('/api/tenants/tenant_a').set('authorization', ADMIN).expect(200);
    proxy.refuse();
    try {
      await sleep(1_050);
      const tenant = await request(server(app.app)).get('/api/tenants/tenant_a').set('authorization', ADMIN);
      expect(tenant.status).toBe(200);
      expect(tenant.body.id).toBe('tenant_a');
      const minted = await request(server(app.app)).get('/api/tenants/tenant_a').set('authorization', `Bearer ${key}`);
      expect(minted.status).toBe(503);
      expect(minted.body.type).toBe('/problems/store-unavailable');
    } finally {
      proxy.restore();
    }
    await request(server(app.app)).get('/api/tenants/tenant_a').set('authorization', `Bearer ${key}`).expect(200);
  });
});
