#!/usr/bin/env node
// Benchmarks the insights routes of the built server (run `npm run build` first) on one generated
// tenant with 100 000 tickets: latency p50/p99 of the summary and of each series interval over N
// sequential requests, after a warm-up. A benchmark, not a test: it prints figures and asserts nothing.
// Usage: npm run bench:insights -- [--requests 50] [--tickets 100000] [--time-entries 100000] [--csat 20000] [--alerts 20000]
import { execFileSync } from 'node:child_process';
import { bootServer } from './boot-server.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    requests: { type: 'string', default: '50' },
    tickets: { type: 'string', default: '100000' },
    'time-entries': { type: 'string', default: '100000' },
    csat: { type: 'string', default: '20000' },
    alerts: { type: 'string', default: '20000' },
  },
});
const KEY = 'bench-admin-key-0123456789abcdef';
const N = Number(opts.requests);

function generate() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-insights-'));
  const t0 = performance.now();
  const args = ['generate', '--out', dir, '--tenants', '1', '--tickets', opts.tickets, '--time-entries', opts['time-entries'], '--csat', opts.csat, '--alerts', opts.alerts];
  execFileSync(process.execPath, ['dist/cli/mock-cli.js', ...args], { stdio: 'ignore' });
  console.log(`generated ${opts.tickets} tickets, ${opts['time-entries']} time entries, ${opts.csat} surveys, ${opts.alerts} alerts in ${Math.round(performance.now() - t0)} ms`);
  return dir;
}


const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function measure(base, path) {
  const get = async () => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`);
    return body;
  };
  for (let i = 0; i < 3; i++) await get(); // warm-up: JIT, first load
  const times = [];
  let body = '';
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    body = await get();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1], bytes: body.length, body };
}

console.log(`node ${process.version}, ${cpus().length} cores (shared machine: figures are indicative)`);
const dir = generate();
const { child, base } = await bootServer(KEY, { MOCK_DATA_PATH: dir });
try {
  const tenant = 'tenant_demo_cca';
  const first = await measure(base, `/api/tenants/${tenant}/summary`);
  const window = JSON.parse(first.body).window;
  const yearFrom = new Date(Date.parse(window.to) - 366 * 86_400_000).toISOString();
  const tickets = JSON.parse(first.body).tickets;
  console.log(`default window ${window.from} → ${window.to}: ${tickets.created} created, ${tickets.closed} closed, ${tickets.open} open`);
  const cases = [
    ['summary (default 30 days)', `/api/tenants/${tenant}/summary`, first],
    ['summary (366 days)', `/api/tenants/${tenant}/summary?from=${yearFrom}&to=${window.to}`],
    ['series interval=day (366 days)', `/api/tenants/${tenant}/summary/series?interval=day&from=${yearFrom}&to=${window.to}`],
    ['series interval=week (366 days)', `/api/tenants/${tenant}/summary/series?interval=week&from=${yearFrom}&to=${window.to}`],
    ['series interval=month (366 days)', `/api/tenants/${tenant}/summary/series?interval=month&from=${yearFrom}&to=${window.to}`],
  ];
  console.log(`\n${N} sequential requests each, after 3 warm-up requests:`);
  for (const [name, path, done] of cases) {
    const r = done ?? (await measure(base, path));
    console.log(`  ${name.padEnd(34)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   max ${r.max.toFixed(1).padStart(7)} ms   ${r.bytes} bytes`);
  }
} finally {
  child.kill();
  rmSync(dir, { recursive: true, force: true });
}
