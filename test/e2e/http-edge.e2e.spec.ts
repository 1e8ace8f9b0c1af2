import { connect, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { LOG_DESTINATION } from '../../src/common/logging/request-logging.js';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { CapturedLines, lineFor } from '../support/captured-log.js';
import { ADMIN, LIVE_ENV } from '../support/live-fixtures.js';
import { createPostgresDatabase, TestDatabase } from '../support/postgres.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { bootVendorReplicaApp } from '../support/vendor-replica-app.js';

/** A raw client: writes what it is given, collects what comes back, and knows when the server closed. */
class RawClient {
  received = '';
  readonly closed: Promise<void>;
  private readonly socket: Socket;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (d) => (this.received += d.toString()));
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve()));
  }

  connected(): Promise<void> {
    return new Promise((resolve) => (this.socket.readyState === 'open' ? resolve() : this.socket.once('connect', () => resolve())));
  }

  write(text: string): void {
    this.socket.write(text);
  }

  async until(pattern: RegExp): Promise<string> {
    while (!pattern.test(this.received)) {
      if (this.socket.destroyed) throw new Error(`closed before ${pattern}: ${JSON.stringify(this.received.slice(0, 300))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.received;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

async function listening(t: TestApp): Promise<number> {
  await t.app.listen(0, '127.0.0.1');
  return (t.app.getHttpServer().address() as AddressInfo).port;
}

describe('HTTP edge: slow and hostile clients', () => {
  let t: TestApp;
  let port: number;
  const log = new CapturedLines();

  beforeAll(async () => {
    t = await bootApp(
      {
        MOCK_MODE: 'true',
        MOCK_DATA_PATH: await writeFolder(seedContents()),
        MOCK_WATCH: 'false',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        // HEADERS_TIMEOUT_MS unset: no more than the whole request may take.
        REQUEST_TIMEOUT_MS: '1000',
        KEEP_ALIVE_TIMEOUT_MS: '300',
        MAX_CONNECTIONS: '5',
      },
      (b) => b.overrideProvider(LOG_DESTINATION).useValue(log),
    );
    port = await listening(t);
  });
  afterAll(() => t.close());

  it('answers 408 and closes a request whose body trickles in beyond REQUEST_TIMEOUT_MS, and logs the 408 it answered', async () => {
    const client = new RawClient(port);
    client.write(
      `POST /api/admin/api-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_ADMIN_KEY}\r\nContent-Type: application/json\r\nX-Request-Id: trickle-1\r\nContent-Length: 1000\r\n\r\n{"na`,
    );
    await client.closed;
    expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(client.received).toContain('/problems/request-timeout');
    expect(client.received).toMatch(/\r\nx-request-id: trickle-1\r\n/i);
    expect(await lineFor(log, 'trickle-1')).toMatchObject({ method: 'POST', url: '/api/admin/api-keys', route: '/api/admin/api-keys', status: 408 });
    expect(log.lines.filter((l) => l.request_id === 'trickle-1' && /^request /.test(String(l.msg)))).toHaveLength(1);
  });

  it('answers 408 and closes a request whose headers never end', async () => {
    const client = new RawClient(port);
    client.write('GET /api/health/live HTTP/1.1\r\nHost: x\r\n');
    await client.closed;
    expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const client = new RawClient(port);
    client.write('GET /api/health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.until(/"status":"ok"/);
    await client.closed;
    expect(client.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses connections beyond MAX_CONNECTIONS, and serves again once they close', async () => {
    const held = Array.from({ length: 5 }, () => new RawClient(port));
    await Promise.all(held.map((c) => c.connected()));
    // Give the server the time to accept all five before the sixth arrives.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = new RawClient(port);
    extra.write('GET /api/health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    await extra.closed;
    expect(extra.received).toBe('');
    for (const c of held) c.destroy();
    await Promise.all(held.map((c) => c.closed));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await request(`http://127.0.0.1:${port}`).get('/api/health/live').expect(200);
  });

  it('answers 401 before reading the body of an unauthenticated write', async () => {
    const client = new RawClient(port);
    // Headers announce a megabyte that is never sent: the answer cannot have waited for it.
    client.write('POST /api/admin/api-keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n');
    const text = await client.until(/\r\n\r\n\{.*\}$/s);
    expect(text).toMatch(/^HTTP\/1\.1 401 /);
    expect(text).toContain('/problems/unauthorized');
    client.destroy();
  });

  it('refuses form-encoded and text bodies on write routes with 415, minting nothing', async () => {
    const before = (await t.get('/api/admin/api-keys').expect(200)).body.length;
    const form = await request(server(t.app))
      .post('/api/admin/api-keys')
      .set('authorization', ADMIN)
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('name=t&scope=admin');
    expect(form.status).toBe(415);
    expect(form.body.type).toBe('/problems/unsupported-media-type');
    const text = await request(server(t.app)).post('/api/admin/api-keys').set('authorization', ADMIN).set('content-type', 'text/plain').send('{}');
    expect(text.status).toBe(415);
    expect((await t.get('/api/admin/api-keys').expect(200)).body.length).toBe(before);
    await request(server(t.app)).post('/api/admin/api-keys').set('authorization', ADMIN).send({ name: 'json', scope: 'admin' }).expect(201);
  });

  it('answers 400 naming the limit for a body nested 10 000 levels deep, and stays up', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const res = await request(server(t.app))
      .post('/api/admin/api-keys')
      .set('authorization', ADMIN)
      .set('content-type', 'application/json')
      .send(deep);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body', message: expect.stringMatching(/deeper than 32 levels/) }]);
    await t.get('/api/health/live').expect(200);
  });
});

describe('HTTP edge: concurrent creation of one tenant on PostgreSQL', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    // Live mode as it runs: the replica's sync (pg-boss) shares the database and its pool.
    t = await bootVendorReplicaApp({ ...LIVE_ENV, DATABASE_URL: database.url, SYNC_INTERVAL_SECONDS: '3600' });
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('answers one 201 and 409 for every other of 50 simultaneous POSTs with the same id', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(server(t.app))
          .post('/api/admin/tenants')
          .set('authorization', ADMIN)
          .send({ id: 'tenant_race', name: 'Race', is_active: true, llm_enabled: false }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(49).fill(409)]);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.type === '/problems/tenant-exists')).toBe(true);
  });
});
