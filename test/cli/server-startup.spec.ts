import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from './run.js';

const MAIN = 'dist/main.js';

/** Waits for the server's "Listening on" line and returns its base URL. */
function listeningUrl(child: ChildProcessWithoutNullStreams | ReturnType<typeof spawn>, output?: (text: string) => void): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listen line in time:\n${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      output?.(out);
      const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

describe('starting the built server (npm start)', () => {
  it('serves the shipped data with nothing but .env.local', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await listeningUrl(child);
      const health = (await (await fetch(`${url}/api/health`)).json()) as { status: string };
      expect(health).toMatchObject({ status: 'ok', mode: 'mock' });
      const devKey = /^ADMIN_API_KEY=(.+)$/m.exec(readFileSync('.env.local', 'utf8'))?.[1];
      const route = `${url}/api/tenants/tenant_demo_cca/tickets?status=New`;
      expect((await fetch(route)).status).toBe(401);
      const tickets = (await (await fetch(route, { headers: { authorization: `Bearer ${devKey}` } })).json()) as { meta: { total: number } };
      expect(tickets.meta.total).toBeGreaterThan(0);
      expect((await fetch(`${url}/docs`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('boots in mock mode without a single warning', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:', LOG_FORMAT: 'json', LOG_LEVEL: 'info', MOCK_WATCH: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    try {
      const url = await listeningUrl(child, (text) => (output = text));
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      child.kill('SIGTERM');
    }
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(0);
    const levels = lines.map((line) => (JSON.parse(line) as { level: string; msg: string }).level);
    expect(lines.filter((_line, i) => levels[i] !== 'info')).toEqual([]);
  });

  it('refuses to start on a bad environment, naming every bad variable', async () => {
    const { code, stderr } = await runNode([MAIN], { PORT: 'eighty', MOCK_MODE: 'maybe', LOG_LEVEL: 'loud' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT="eighty"/);
    expect(stderr).toMatch(/MOCK_MODE="maybe"/);
    expect(stderr).toMatch(/LOG_LEVEL="loud"/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a bad mixed-mode combination, naming the variables', async () => {
    const withMockMode = await runNode([MAIN], { MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', MOCK_DOMAINS: 'csat', DATABASE_URL: 'sqlite::memory:' });
    expect(withMockMode.code).toBe(1);
    expect(withMockMode.stderr).toMatch(/MOCK_DOMAINS="csat" with MOCK_MODE="true"/);
    const withoutFolder = await runNode([MAIN], {
      MOCK_MODE: 'false',
      MOCK_DOMAINS: 'tickets,alerts',
      // Set and empty, so .env.local's value does not apply.
      MOCK_DATA_PATH: '',
      DATABASE_URL: 'sqlite::memory:',
    });
    expect(withoutFolder.code).toBe(1);
    expect(withoutFolder.stderr).toMatch(/MOCK_DOMAINS="tickets,alerts": .*unknown 'alerts'/);
    expect(withoutFolder.stderr).toMatch(/MOCK_DATA_PATH="": is required when MOCK_DOMAINS is set/);
    expect(withoutFolder.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses mock data in production unless explicitly allowed', async () => {
    const { code, stderr } = await runNode([MAIN], { NODE_ENV: 'production', MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/ALLOW_MOCK_IN_PRODUCTION=true/);
  });

  it('starts in live mode with .env.production, serving tenants from the store', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: 'sqlite::memory:',
        ADMIN_API_KEY: 'prod-admin-key-for-this-test-only-0123',
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await listeningUrl(child);
      const health = (await (await fetch(`${url}/api/health`)).json()) as { mode: string; checks: Record<string, { status: string }> };
      expect(health.mode).toBe('live');
      // Without an admin key: no per-tenant integration check.
      expect(Object.keys(health.checks).sort()).toEqual(['store', 'vendors']);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses to start on invalid mock data with the full report', async () => {
    const { code, stderr } = await runNode([MAIN], { MOCK_DATA_PATH: '/nonexistent/mock-data' });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'The mock data folder MOCK_DATA_PATH=/nonexistent/mock-data has 1 problem(s); run `npm run mock:validate -- /nonexistent/mock-data` for the same report:\n' +
        '  - /nonexistent/mock-data: the mock data folder does not exist',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reads a large mock folder while the application loads, and serves all of it', async () => {
    // Over the 2 MiB below which a folder is read in-thread: the early load runs in a worker.
    const dir = mkdtempSync(join(tmpdir(), 'msp-early-load-'));
    try {
      const made = await runNode(['dist/cli/mock-cli.js', 'generate', '--out', dir, '--tenants', '1', '--tickets', '6000']);
      expect(made.code).toBe(0);
      const key = 'early-load-admin-key-0123456789';
      const child = spawn(process.execPath, [MAIN], {
        env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false', ADMIN_API_KEY: key },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let out = '';
        const url = await listeningUrl(child, (text) => (out = text));
        expect(out).toMatch(/Loaded \d+ records from \d+ files for 1 tenants in \d+ ms \(worker thread, started before the application;/);
        const tickets = (await (await fetch(`${url}/api/tenants/tenant_demo_cca/tickets?page_size=1`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
          meta: { total: number };
        };
        expect(tickets.meta.total).toBe(6000);
      } finally {
        child.kill('SIGTERM');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
