import request from 'supertest';
import pg from 'pg';
import { ADMIN, LIVE_ENV } from '../support/live-fixtures.js';
import { bootApp, CapturingLogger, server, TestApp } from '../support/app.js';
import { createPostgresDatabase, POSTGRES_ADDRESS, POSTGRES_ADMIN_URL, TestDatabase } from '../support/postgres.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const PASSWORD = 'pg-password-never-shown';

async function adminQuery<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL going away under a live-mode app', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let app: TestApp;
  let key: string;
  const logger = new CapturingLogger();

  const data = () => request(server(app.app)).get('/api/tenants/tenant_a/tickets').set('authorization', `Bearer ${key}`);

  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await new TcpProxy(POSTGRES_ADDRESS.host, POSTGRES_ADDRESS.port).listen();
    // A password the server ignores (trust auth), to prove it never reaches an answer.
    const url = new URL(database.urlVia(proxy.port));
    url.password = PASSWORD;
    app = await bootApp(
      {
        ...LIVE_ENV,
        DATABASE_URL: url.toString(),
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        DATABASE_QUERY_TIMEOUT_MS: '1000',
        // The in-process read cache would hide the outage from these requests; it has its own tests.
        PLATFORM_CACHE_TTL_MS: '0',
      },
      undefined,
      logger,
    );
    await request(server(app.app)).post('/api/admin/tenants').set('authorization', ADMIN).send({ id: 'tenant_a', name: 'A', is_active: true, llm_enabled: false }).expect(201);
    const minted = await request(server(app.app))
      .post('/api/admin/api-keys')
      .set('authorization', ADMIN)
      .send({ name: 'reader', scope: { tenants: ['tenant_a'] } })
      .expect(201);
    key = minted.body.key;
  });

  afterAll(async () => {
    await app.close();
    await proxy.close();
    await database.drop();
  });

  afterEach(() => proxy.restore());

  it('survives pg_terminate_backend on a connection whose query is running: 503, then serves again', async () => {
    await data().expect(200);
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table api_keys in access exclusive mode');
    const pending = data().then((r) => r);
    let waiting: { pid: number }[] = [];
    while (waiting.length === 0) {
      await sleep(20);
      waiting = await adminQuery<{ pid: number }>(
        "select pid from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and pid <> $2",
        [new URL(database.url).pathname.slice(1), (locker as unknown as { processID: number }).processID],
      );
    }
    await adminQuery('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> $2', [
      new URL(database.url).pathname.slice(1),
      (locker as unknown as { processID: number }).processID,
    ]);
    const response = await pending;
    await locker.query('rollback');
    await locker.end();

    expect(response.status).toBe(503);
    expect(response.body.type).toBe('/problems/store-unavailable');
    await data().expect(200);
  });

  it('answers 503 /problems/store-unavailable with Retry-After when the database refuses connections, never naming it', async () => {
    proxy.refuse();
    const response = await data();
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: '/problems/store-unavailable', status: 503 });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.stringify(response.body)).not.toMatch(new RegExp(`${PASSWORD}|${proxy.port}|postgres://`));
    const admin = await request(server(app.app)).get('/api/admin/api-keys').set('authorization', ADMIN);
    expect(admin.status).toBe(503);
    expect(admin.body.type).toBe('/problems/store-unavailable');

    proxy.restore();
    await data().expect(200);
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('answers 503 instead of hanging when the network silently drops everything, and recovers', async () => {
    await data().expect(200);
    proxy.blackhole();
    const response = await data();
    expect(response.status).toBe(503);
    expect(response.body.type).toBe('/problems/store-unavailable');
    proxy.restore();
    await data().expect(200);
  });
});
