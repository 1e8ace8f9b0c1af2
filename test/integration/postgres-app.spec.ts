import request from 'supertest';
import pg from 'pg';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { createPostgresDatabase, TestDatabase } from '../support/postgres.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';

describe('two app copies on one PostgreSQL database', () => {
  let database: TestDatabase;
  let copies: TestApp[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    for (const copy of copies) await copy.close();
    await database.drop();
  });

  it('migrate it at the same time without corrupting it, then share keys and integrations', async () => {
    const env = { MOCK_MODE: 'true', MOCK_DATA_PATH: await writeFolder(seedContents()), MOCK_WATCH: 'false', DATABASE_URL: database.url };
    copies = await Promise.all([bootApp(env), bootApp(env), bootApp(env)]);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const migrations = await client.query('select name from kysely_migration order by name');
    const tables = await client.query("select table_name from information_schema.tables where table_schema = 'public' order by table_name");
    await client.end();
    expect(migrations.rows).toEqual([{ name: '2026-11-27-001-platform' }, { name: '2026-12-07-001-replica' }, { name: '2026-12-08-001-replica-open-reconcile' }]);
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'api_keys',
      'integrations',
      'kysely_migration',
      'kysely_migration_lock',
      'replica_records',
      'sync_runs',
      'sync_state',
      'tenants',
      // rate-limiter-flexible's own table for the shared vendor request budgets (created at boot, IF NOT EXISTS).
      'vendor_budgets',
    ]);

    const [first, second] = copies;
    const minted = await request(server(first.app))
      .post('/api/admin/api-keys')
      .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .send({ name: 'shared', scope: { tenants: ['tenant_demo_cca'] } })
      .expect(201);
    await request(server(second.app)).get('/api/tenants/tenant_demo_cca/tickets').set('authorization', `Bearer ${minted.body.key}`).expect(200);
    await request(server(first.app)).delete(`/api/admin/api-keys/${minted.body.id}`).set('authorization', `Bearer ${TEST_ADMIN_KEY}`).expect(204);
    // At once on the copy that revoked; on the others once their read of the key (PLATFORM_CACHE_TTL_MS, 1 s) is over.
    await request(server(first.app)).get('/api/tenants/tenant_demo_cca/tickets').set('authorization', `Bearer ${minted.body.key}`).expect(401);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    await request(server(second.app)).get('/api/tenants/tenant_demo_cca/tickets').set('authorization', `Bearer ${minted.body.key}`).expect(401);
    const health = await second.get('/api/health').expect(200);
    expect(health.body.checks.store).toEqual({ status: 'ok', engine: 'postgres' });
  });
});
