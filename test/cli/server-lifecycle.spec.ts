import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/platform/database.js';
import { migrateToLatest } from '../../src/platform/migrations.js';
import { platformOn } from '../support/platform.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { runNode } from './run.js';

const MAIN = 'dist/main.js';
const ADMIN_KEY = 'lifecycle-admin-key-0123456789abcdef';

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the built server with a clean environment and waits for its "Listening on" line. */
function start(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}`, output: () => out, exited });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`exited ${code} before listening:\n${out}`)));
  });
}

/** A GET on its own connection: `sent` once the request is written, `done` with the status or the network error's code. */
function send(url: string, headers: Record<string, string> = {}): { sent: Promise<void>; done: Promise<number | string> } {
  let sent!: () => void;
  const written = new Promise<void>((resolve) => (sent = resolve));
  const done = new Promise<number | string>((resolve) => {
    const req = httpRequest(url, { headers, agent: new Agent({ keepAlive: false }) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      sent();
      resolve(error.code ?? error.message);
    });
    req.on('finish', sent);
    req.end();
  });
  return { sent: written, done };
}

const get = (url: string, headers: Record<string, string> = {}) => send(url, headers).done;

async function seedStore(path: string, key: Buffer): Promise<void> {
  const { db, engine } = openDatabase(`sqlite:${path}`);
  await migrateToLatest(db);
  const store = platformOn(db, engine, new SecretBox(key));
  await store.tenants.create({ id: 'tenant_a', name: 'A', is_active: true, llm_enabled: false });
  await store.integrations.put('tenant_a', 'sentinelone', { base_url: 'https://s1.example.com', api_token: 'token-one' });
  await store.integrations.put('tenant_a', 'defender', {
    api: 'graph',
    azure_tenant_id: '00000000-0000-0000-0000-000000000000',
    client_id: '00000000-0000-0000-0000-000000000001',
    client_secret: 'secret-two',
  });
  await db.destroy();
}

describe('the built server: boot checks, files, shutdown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-'));

  it('refuses to boot when stored secrets do not decrypt with ENCRYPTION_KEY, saying how many', async () => {
    const path = join(dir, `wrong-key-${randomBytes(4).toString('hex')}.db`);
    const storedUnder = randomBytes(32);
    await seedStore(path, storedUnder);
    const wrong = randomBytes(32).toString('base64');
    const { code, stderr } = await runNode([MAIN], { MOCK_MODE: 'false', DATABASE_URL: `sqlite:${path}`, ENCRYPTION_KEY: wrong });
    expect(code).toBe(1);
    expect(stderr).toMatch(/ENCRYPTION_KEY/);
    expect(stderr).toMatch(/2 of 2 stored vendor secrets/);
    expect(stderr).not.toMatch(/\n\s+at /);

    // The same store opens once the old key is listed as previous.
    const running = await start({
      MOCK_MODE: 'false',
      DATABASE_URL: `sqlite:${path}`,
      ENCRYPTION_KEY: wrong,
      ENCRYPTION_KEYS_PREVIOUS: storedUnder.toString('base64'),
    });
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('creates the SQLite database (and its WAL) readable by its owner only', async () => {
    const path = join(dir, `fresh-${randomBytes(4).toString('hex')}.db`);
    await seedStore(path, randomBytes(32));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { db } = openDatabase(`sqlite:${path}`);
    await db.updateTable('tenants').set({ name: 'B' }).execute();
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    await db.destroy();
  });

  describe('on SIGTERM', () => {
    let fake: FakeSentinelOne;

    beforeEach(async () => {
      fake = await FakeSentinelOne.start();
    });
    afterEach(() => fake.close());

    async function liveServer(env: Record<string, string>): Promise<Running> {
      const path = join(dir, `live-${randomBytes(4).toString('hex')}.db`);
      const running = await start({
        MOCK_MODE: 'false',
        DATABASE_URL: `sqlite:${path}`,
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        VENDOR_ALLOW_PRIVATE_NETWORKS: 'true',
        VENDOR_MAX_RETRIES: '0',
        ...env,
      });
      const admin = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
      for (const [path, body] of [
        ['/api/admin/tenants', { id: 'tenant_a', name: 'A', is_active: true, llm_enabled: false }],
        ['/api/admin/tenants/tenant_a/integrations/sentinelone', fake.integration()],
      ] as const) {
        const res = await fetch(`${running.url}${path}`, { method: path.endsWith('tenants') ? 'POST' : 'PUT', headers: admin, body: JSON.stringify(body) });
        expect(res.status).toBeLessThan(300);
      }
      return running;
    }

    async function untilVendorCalled(which: (query: URLSearchParams) => boolean = () => true): Promise<void> {
      while (!fake.requests.some((r) => which(r.query))) await new Promise((resolve) => setTimeout(resolve, 20));
    }

    it('answers the reads under way (waiting on a first sync the drain stops: 503 sync-in-progress, never a reset), refuses new connections, logs each phase and exits 0', async () => {
      const running = await liveServer({ SHUTDOWN_TIMEOUT_MS: '20000' });
      fake.hang(1_500, 100);
      const inFlight = Array.from({ length: 20 }, () => get(`${running.url}/api/tenants/tenant_a/security-alerts`, { authorization: `Bearer ${ADMIN_KEY}` }));
      await untilVendorCalled();
      running.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 400));
      const late = await get(`${running.url}/api/health/live`);
      expect(await Promise.all(inFlight)).toEqual(Array(20).fill(503));
      expect(late).toBe('ECONNREFUSED');
      expect(await running.exited).toBe(0);
      expect(running.output()).toMatch(/SIGTERM: draining/);
      expect(running.output()).toMatch(/sentinelone\.threats: sync run \S+ was interrupted; it resumes from its last page/);
      expect(running.output()).toMatch(/drained: connections closed/);
      // The drain did not wait for its deadline: the first-sync waiters were answered when the sync stopped.
      expect(running.output()).not.toMatch(/deadline of 20000 ms reached/);
    });

    it('aborts vendor calls at SHUTDOWN_TIMEOUT_MS instead of waiting VENDOR_TIMEOUT_MS, and still exits 0', async () => {
      const running = await liveServer({ SHUTDOWN_TIMEOUT_MS: '500', VENDOR_TIMEOUT_MS: '300000' });
      fake.hang(120_000, 100);
      // The admin test route's call (the sync's walk may hang on the same fake meanwhile).
      const inFlight = fetch(`${running.url}/api/admin/tenants/tenant_a/integrations/sentinelone/test`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: '{}',
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { ok: boolean; error?: string } }));
      await untilVendorCalled((query) => query.get('skipCount') === 'true');
      running.child.kill('SIGTERM');
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(answered.body.ok).toBe(false);
      expect(await running.exited).toBe(0);
      expect(running.output()).toMatch(/deadline of 500 ms reached/);
    });
  });

  it('logs an unhandled rejection and an uncaught exception as structured errors, then exits 1 on the exception', async () => {
    const { code, stdout, stderr } = await runNode(['--import', './test/cli/fixtures/misbehave.mjs', MAIN], {
      MOCK_MODE: 'true',
      MOCK_DATA_PATH: './mock-data',
      MOCK_WATCH: 'false',
      DATABASE_URL: 'sqlite::memory:',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
    });
    expect(code).toBe(1);
    const lines = `${stdout}\n${stderr}`
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: string; context?: string; msg?: string; err?: { message?: string } })
      // pino's shape: the text in `msg`, or in `err.message` when an Error was logged.
      .map((l) => ({ level: l.level, context: l.context, message: l.msg ?? l.err?.message ?? '' }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', context: 'Process', message: expect.stringMatching(/unhandled promise rejection: a rejection nobody handled/) }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'fatal', context: 'Process', message: expect.stringMatching(/uncaught exception, exiting: an exception nobody caught/) }));
  });

  it('answers every one of 50 requests already sent when SIGTERM arrives (mock mode)', async () => {
    const running = await start({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', MOCK_WATCH: 'false', DATABASE_URL: 'sqlite::memory:' });
    const requests = Array.from({ length: 50 }, () => send(`${running.url}/api/tenants/tenant_demo_cca/tickets?page_size=200`, { authorization: `Bearer ${ADMIN_KEY}` }));
    await Promise.all(requests.map((r) => r.sent));
    running.child.kill('SIGTERM');
    const statuses = await Promise.all(requests.map((r) => r.done));
    expect(statuses).toEqual(Array(50).fill(200));
    expect(await running.exited).toBe(0);
  });

  it('exits on SIGTERM when the reader of its stdout is gone (a stopped log collector, an exited parent)', async () => {
    // A parent that starts the server with piped output, signals it and exits at once: the server's
    // next writes fail with EPIPE. The flush at exit used to retry such a write every 100 ms for ever,
    // and the server never exited (its parent closing our ends of the pipes did not show it: the
    // first failed write is then seen before the exit, and pino stops writing).
    const parent = `
      const child = require('node:child_process').spawn(process.execPath, [${JSON.stringify(MAIN)}], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const onData = (d) => {
        out += d;
        if (!/Listening on/.test(out)) return;
        process.stdout.write(child.pid + '\\n', () => { child.kill('SIGTERM'); process.exit(0); });
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);`;
    const env = { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: ADMIN_KEY, MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', MOCK_WATCH: 'false', DATABASE_URL: 'sqlite::memory:' };
    const { code, stdout } = await runNode(['-e', parent], env);
    expect(code).toBe(0);
    const pid = Number(stdout.trim());
    expect(pid).toBeGreaterThan(0);
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // A liveness bound, not a speed check: the drain takes well under a second.
    const giveUpAt = Date.now() + 15_000;
    while (alive() && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 50));
    const stuck = alive();
    if (stuck) process.kill(pid, 'SIGKILL');
    expect(stuck).toBe(false);
  }, 30_000);

  it('keeps answering while nobody reads its stdout, and the lines arrive once somebody does', async () => {
    const running = await start({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', MOCK_WATCH: 'false', DATABASE_URL: 'sqlite::memory:', RATE_LIMIT_PER_MINUTE: '0' });
    try {
      // A pipe holds 64 KiB; 1 500 request lines are several times that. Written synchronously, the
      // server blocked on the full pipe and these requests never finished (the test timed out).
      running.child.stdout!.pause();
      const before = running.output().split('request completed').length;
      const total = 1_500;
      for (let i = 0; i < total; i += 50) {
        const batch = Array.from({ length: 50 }, () => fetch(`${running.url}/api/health/live`).then((res) => res.status));
        expect(await Promise.all(batch)).toEqual(Array(50).fill(200));
      }
      running.child.stdout!.resume();
      while (running.output().split('request completed').length - before < total) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  }, 60_000);
});
