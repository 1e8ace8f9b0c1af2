#!/usr/bin/env node
// Benchmarks the built server (run `npm run build` first): boot time, and requests per second on a
// filtered list route, with the shipped mock data and optionally with 100 000 generated tickets.
// Usage: npm run bench -- [--duration 10] [--connections 10] [--large]
import autocannon from 'autocannon';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    large: { type: 'boolean', default: false },
  },
});
const ROUTE = '/api/tenants/tenant_demo_cca/tickets?status=New';
const KEY = 'bench-admin-key-0123456789abcdef';

async function boot(env) {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'log', MOCK_WATCH: 'false', DATABASE_URL: 'sqlite::memory:', ADMIN_API_KEY: KEY, AUTH_DISABLED: process.env.BENCH_AUTH_DISABLED ?? 'false', RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d;
      const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  while ((await fetch(`${base}/api/health`).catch(() => ({ ok: false }))).ok !== true) await new Promise((r) => setTimeout(r, 5));
  return { child, base, bootMs: performance.now() - started };
}

async function load(base) {
  const result = await autocannon({
    url: `${base}${ROUTE}`,
    headers: { authorization: `Bearer ${KEY}` },
    connections: Number(opts.connections),
    duration: Number(opts.duration),
  });
  return {
    'req/s (mean)': Math.round(result.requests.average),
    'latency p50 ms': result.latency.p50,
    'latency p99 ms': result.latency.p99,
    'non-2xx': result.non2xx,
    errors: result.errors,
  };
}

async function scenario(name, env) {
  const boots = [];
  for (let i = 0; i < 3; i++) {
    const { child, bootMs } = await boot(env);
    boots.push(bootMs);
    child.kill();
  }
  boots.sort((a, b) => a - b);
  const { child, base } = await boot(env);
  try {
    const figures = await load(base);
    console.log(`\n${name}`);
    console.log(`  boot to first healthy answer: median ${Math.round(boots[1])} ms (runs: ${boots.map(Math.round).join(', ')})`);
    console.log(`  GET ${ROUTE} — ${opts.connections} connections, ${opts.duration} s`);
    for (const [k, v] of Object.entries(figures)) console.log(`    ${k}: ${v}`);
  } finally {
    child.kill();
  }
}

console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
await scenario('shipped mock-data/', { MOCK_DATA_PATH: './mock-data' });
if (opts.large) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-large-'));
  const t0 = performance.now();
  execFileSync(process.execPath, ['dist/cli/mock-cli.js', 'generate', '--out', dir, '--tenants', '1', '--tickets', '100000', '--time-entries', '100000'], { stdio: 'ignore' });
  console.log(`\ngenerated 100 000 tickets + 100 000 time entries in ${Math.round(performance.now() - t0)} ms (wall, incl. node start)`);
  await scenario('100 000 tickets for tenant_demo_cca', { MOCK_DATA_PATH: dir });
}
