// Shared by the benchmarks: boots the built server (dist/main.js) in mock mode on a free loopback port.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

/** The node flags `npm start` runs the server with (package.json), so the benches measure the same process. */
const START_FLAGS = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  .scripts.start.split(/\s+/)
  .filter((word) => word.startsWith('--'));

/**
 * For investigations: BENCH_NODE_FLAGS adds node flags to the server's (e.g. `--trace-gc`), and
 * BENCH_SERVER_LOG names a file that gets everything the server prints (a bench keeps only its boot output).
 */
const EXTRA_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

/** Servers still running: stopped when the bench exits, however it exits (an error, Ctrl-C, a timeout's SIGTERM). */
const running = new Set();
process.once('exit', () => running.forEach((child) => child.kill()));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));

/**
 * Boots the server with `env` over the bench defaults; resolves once `ready` (/api/health) answers 200
 * (with the boot output). `script` boots another app the same way (the bare reference app).
 */
export async function bootServer(key, env, { script = 'dist/main.js', ready = '/api/health' } = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, [...START_FLAGS, ...EXTRA_FLAGS, script], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'log',
      MOCK_MODE: 'true',
      MOCK_WATCH: 'false',
      DATABASE_URL: 'sqlite::memory:',
      ADMIN_API_KEY: key,
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (process.env.BENCH_SERVER_LOG) {
    const log = createWriteStream(process.env.BENCH_SERVER_LOG, { flags: 'a' });
    child.stdout.on('data', (d) => log.write(d));
    child.stderr.on('data', (d) => log.write(d));
  }
  let out = '';
  const port = await new Promise((resolve, reject) => {
    // Only the boot output is kept and searched: the server logs a line per request afterwards, and
    // searching an ever-growing string on every chunk made the bench itself the bottleneck.
    const onData = (d) => {
      out = (out + d).slice(-64 * 1024);
      const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (!m) return;
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.stdout.resume();
      child.stderr.resume();
      resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out.slice(-2000)}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  while ((await fetch(`${base}${ready}`).catch(() => ({ ok: false }))).ok !== true) await new Promise((r) => setTimeout(r, 5));
  return { child, base, bootMs: performance.now() - started, output: out };
}
