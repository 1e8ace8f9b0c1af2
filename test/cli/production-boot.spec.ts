import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runNode } from './run.js';

const MAIN = 'dist/main.js';
const published = (file: string, name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(readFileSync(file, 'utf8'))?.[1] as string;
const OWN_KEYS = { ADMIN_API_KEY: randomBytes(24).toString('base64url'), ENCRYPTION_KEY: randomBytes(32).toString('base64') };
const LOCAL = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:' };

/** Starts dist/main.js (stdout/stderr piped, as under a process manager) and waits for its listen line. */
async function start(env: Record<string, string>): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listen line in time:\n${out}`)), 20_000);
    const check = () => {
      const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
  return {
    url,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('production boot guards (dist/main.js as a child process)', () => {
  it('refuses NODE_ENV=production without ADMIN_API_KEY and ENCRYPTION_KEY, naming both in one message', async () => {
    const { code, stderr, stdout } = await runNode([MAIN], { NODE_ENV: 'production', ...LOCAL });
    expect(code).not.toBe(0);
    expect(stdout).not.toMatch(/Listening on/);
    expect(stderr.match(/Startup failed/g)).toHaveLength(1);
    expect(stderr).toMatch(/ADMIN_API_KEY \(not set\): required with NODE_ENV=production/);
    expect(stderr).toMatch(/ENCRYPTION_KEY \(not set\): required with NODE_ENV=production/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses the keys published in the repository, without echoing them', async () => {
    const adminKey = published('.env.local', 'ADMIN_API_KEY');
    const encryptionKey = published('.env.test', 'ENCRYPTION_KEY');
    const { code, stderr } = await runNode([MAIN], { NODE_ENV: 'production', ...LOCAL, ADMIN_API_KEY: adminKey, ENCRYPTION_KEY: encryptionKey });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/ADMIN_API_KEY \(the published development key\)/);
    expect(stderr).toMatch(/ENCRYPTION_KEY \(the published development key\)/);
    expect(stderr).not.toContain(adminKey);
    expect(stderr).not.toContain(encryptionKey);
  });

  it('names only what is wrong: a good admin key and a missing encryption key', async () => {
    const { code, stderr } = await runNode([MAIN], { NODE_ENV: 'production', ...LOCAL, ADMIN_API_KEY: OWN_KEYS.ADMIN_API_KEY });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/ENCRYPTION_KEY \(not set\)/);
    expect(stderr).not.toMatch(/ADMIN_API_KEY/);
  });

  it('starts with its own keys, warns that SQLite means one copy, and logs JSON lines without ANSI codes', async () => {
    const app = await start({ NODE_ENV: 'production', ...LOCAL, ...OWN_KEYS });
    try {
      expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
      expect((await fetch(`${app.url}/docs-json`)).status).toBe(200);
    } finally {
      await app.stop();
    }
    const lines = app.output().split('\n').filter((l) => l.length > 0);
    expect(app.output()).not.toContain('\u001b[');
    const parsed = lines.map((l) => JSON.parse(l) as { level: string; msg: string; time: string });
    expect(parsed.some((l) => l.level === 'warn' && /DATABASE_URL is SQLite: run a single copy only/.test(l.msg))).toBe(true);
    for (const line of parsed) expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(app.output()).not.toContain(OWN_KEYS.ADMIN_API_KEY);
  });

  it('hides /docs, /docs-json and /docs-yaml with DOCS_ENABLED=false', async () => {
    const app = await start({ NODE_ENV: 'production', ...LOCAL, ...OWN_KEYS, DOCS_ENABLED: 'false' });
    try {
      for (const path of ['/docs', '/docs-json', '/docs-yaml']) expect((await fetch(`${app.url}${path}`)).status).toBe(404);
      expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });

  it('rejects DOCS_ENABLED that is not true or false', async () => {
    const { code, stderr } = await runNode([MAIN], { ...LOCAL, DOCS_ENABLED: 'no' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DOCS_ENABLED="no": must be "true" or "false"/);
  });
});

describe('log output by LOG_FORMAT when stdout is not a terminal', () => {
  it('auto (the default) writes JSON lines', async () => {
    const app = await start({ ...LOCAL });
    await fetch(`${app.url}/api/health`);
    await app.stop();
    const lines = app.output().split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.some((l) => (JSON.parse(l) as { msg: string }).msg === 'request completed')).toBe(true);
  });

  it('text writes readable lines, never ANSI colour codes', async () => {
    const app = await start({ ...LOCAL, LOG_FORMAT: 'text' });
    await fetch(`${app.url}/api/health`);
    await app.stop();
    expect(app.output()).not.toContain('\u001b[');
    expect(app.output()).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] INFO: Listening on http:\/\/127\.0\.0\.1:\d+/m);
    expect(app.output()).toMatch(/INFO: request completed .*"route":"\/api\/health"/);
  });
});
