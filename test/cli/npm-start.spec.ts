import { execFileSync, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe('npm start under a process manager', () => {
  it('passes SIGTERM sent to npm on to the server, which drains, exits and frees the port', async () => {
    const port = await freePort();
    const bin = dirname(process.execPath);
    // The npm running this test (npm sets npm_execpath), else the first on PATH; this Node first on PATH for the script's `node`.
    const npmCli = process.env.npm_execpath ?? realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
    const npm = spawn(process.execPath, [npmCli, 'start'], {
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, PORT: String(port), DATABASE_URL: 'sqlite::memory:', MOCK_WATCH: 'false', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const npmExited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    let serverPid: number | undefined;
    try {
      const listening = await until(() => /"msg":"Listening on http:\/\/127\.0\.0\.1:\d+/.test(out), 20_000);
      expect({ listening, out }).toEqual({ listening: true, out: expect.any(String) });
      serverPid = Number(/"pid":(\d+)[^\n]*"msg":"Listening on/.exec(out)?.[1]);
      expect(serverPid).not.toBe(npm.pid);
      expect((await fetch(`http://127.0.0.1:${port}/api/health/live`)).status).toBe(200);

      npm.kill('SIGTERM');
      const serverGone = await until(() => !alive(serverPid!), 5_000);
      expect({ serverGone, out }).toEqual({ serverGone: true, out: expect.stringContaining('drained: connections closed, stores shut; exiting') });
      expect(await portIsFree(port)).toBe(true);
      await npmExited;
    } finally {
      if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
  });
});
