#!/usr/bin/env node
// Benchmarks the built server (`npm run build` first) on a large generated mock-data folder:
// 2 tenants × 100 000 tickets (+ 200 000 time entries, 20 000 CSAT surveys, 50 000 alerts each).
// Prints boot time, RSS against the JSON on disk, and — in one interleaved run of alternating short
// rounds, medians — req/s, p50 and p99 of the bare reference app (scripts/bench-bare-app.mjs: NestJS +
// Fastify, one constant GET, no middleware, no logger) and of the project's routes, each as % of bare:
// the no-op `GET /api/health/live`, a single ticket by id, one tenant by id and a mixed ticket-list
// workload (200 distinct queries); and how long the event loop was held while the folder loaded at
// boot and while it reloaded (the server's own figures from its log line, and the worst latency of
// back-to-back requests during the reload).
// Usage: npm run bench -- [--rounds 5] [--duration 4] [--connections 10] [--data DIR] [--tickets 100000]
//        [--slowest 5] (how many of the slowest list queries, each timed alone, to print) [--stop-after-slowest]
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { bootServer } from './boot-server.mjs';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '4' },
    connections: { type: 'string', default: '10' },
    tickets: { type: 'string', default: '100000' },
    data: { type: 'string' },
    slowest: { type: 'string', default: '5' },
    'stop-after-slowest': { type: 'boolean', default: false },
  },
});
const TICKETS = Number(opts.tickets);
const KEY = 'bench-admin-key-0123456789abcdef';
const DATA = opts.data ?? join(tmpdir(), `msp-bench-${TICKETS}`);

function generate() {
  if (existsSync(join(DATA, 'tenants.json'))) return console.log(`data: reusing ${DATA}`);
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    ['dist/cli/mock-cli.js', 'generate', '--out', DATA, '--tenants', '2', '--tickets', String(TICKETS),
      '--time-entries', String(TICKETS * 2), '--csat', String(TICKETS / 5), '--alerts', String(TICKETS / 2)],
    { stdio: 'ignore' },
  );
  console.log(`data: generated into ${DATA} in ${Math.round(performance.now() - t0)} ms`);
}

function jsonBytes(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? jsonBytes(join(dir, e.name)) : e.name.endsWith('.json') ? statSync(join(dir, e.name)).size : 0),
    0,
  );
}

function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}


/** A seeded PRNG, so the 200 queries are the same on every run. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function workload(tenant) {
  const tickets = JSON.parse(readFileSync(join(DATA, 'tickets', `${tenant}.json`), 'utf8'));
  const rnd = random(7);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const values = (field) => [...new Set(tickets.map((t) => t[field]).filter((v) => typeof v === 'string'))];
  const vocab = Object.fromEntries(['status', 'priority', 'board', 'company', 'owner', 'sla_status'].map((f) => [f, values(f)]));
  const fields = Object.keys(tickets[0]).concat('closed_at_remote').filter((f, i, a) => a.indexOf(f) === i && f !== 'tenant_id');
  const days = tickets.slice(0, 2000).map((t) => t.created_at_remote.slice(0, 10)).sort();
  const words = ['outlook', 'printer', 'vpn', 'password', 'install', 'laptop', 'email', 'teams', 'backup', 'wifi'];
  const paths = new Set();
  while (paths.size < 200) {
    const q = new URLSearchParams();
    const filters = Math.floor(rnd() * 3);
    for (let f = 0; f < filters; f++) {
      const field = pick(Object.keys(vocab));
      q.set(field, rnd() < 0.3 ? [pick(vocab[field]), pick(vocab[field])].map((v) => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,')).join(',') : pick(vocab[field]));
    }
    if (rnd() < 0.3) {
      const [from, to] = [pick(days), pick(days)].sort();
      q.set(pick(['created', 'updated']) + '_from', from);
      q.set(rnd() < 0.5 ? 'created_to' : 'updated_to', `${to}T12:00:00Z`);
    }
    if (rnd() < 0.1) q.set('q', pick(words));
    if (rnd() < 0.8) q.set('sort', `${rnd() < 0.5 ? '-' : ''}${pick(fields)}`);
    q.set('page', String(1 + Math.floor(rnd() * 20)));
    q.set('page_size', String(pick([10, 25, 50, 100])));
    paths.add(`/api/tenants/${tenant}/tickets?${q}`);
  }
  const ids = Array.from({ length: 200 }, () => pick(tickets).cw_ticket_id);
  return { lists: [...paths], singles: ids.map((id) => `/api/tenants/${tenant}/tickets/${encodeURIComponent(id)}`) };
}

/** CPU time (user + system) the process has used, in ms: per request, a figure the bench's own load on a shared machine does not skew. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function round(base, paths, pid) {
  const cpuBefore = pid === undefined ? 0 : cpuMs(pid);
  const result = await autocannon({
    url: base,
    connections: Number(opts.connections),
    duration: Number(opts.duration),
    headers: { authorization: `Bearer ${KEY}` },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  const cpuUs = pid === undefined ? NaN : (1000 * (cpuMs(pid) - cpuBefore)) / result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors, cpuUs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (bytes) => `${Math.round(bytes / 2 ** 20)} MiB`;

console.log(`node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
generate();
const json = jsonBytes(DATA);
const tenant = JSON.parse(readFileSync(join(DATA, 'tenants.json'), 'utf8'))[0].id;
const { lists, singles } = workload(tenant);
/** The figures of the server's "Loaded …" / "Reloaded …" log line. */
function loadFigures(text, verb) {
  const m = new RegExp(
    `${verb}[^\\n]*? in (\\d+) ms \\((worker thread|main thread)(?:, started before the application)?; longest main-thread step ([\\d.]+) ms, ([\\d.]+) ms of CPU; event loop delay max ([\\d.]+) ms\\)`,
  ).exec(text);
  return m ? { ms: Number(m[1]), where: m[2], step: Number(m[3]), cpu: Number(m[4]), delay: Number(m[5]) } : undefined;
}
const describeLoad = (f) =>
  f
    ? `${f.ms} ms in the ${f.where}; longest main-thread step of the load ${f.step} ms (${f.cpu} ms of CPU); event loop delay max ${f.delay} ms`
    : 'no figures in the log';

/**
 * Rewrites tenants.json unchanged (the watcher reloads the whole folder) and sends back-to-back
 * requests to the constant route until the server logs the reload: the worst latency is how long a
 * request waited on the event loop meanwhile.
 */
async function measureReload(server, tenantId) {
  let log = '';
  const onData = (d) => (log = (log + d).slice(-256 * 1024));
  server.child.stdout.on('data', onData);
  server.child.stderr.on('data', onData);
  const file = join(DATA, 'tenants.json');
  writeFileSync(file, readFileSync(file));
  const started = performance.now();
  let worst = 0;
  let requests = 0;
  try {
    while (!/Reloaded mock data|Mock data change rejected/.test(log)) {
      if (performance.now() - started > 600_000) throw new Error('no reload logged within 10 minutes');
      const t0 = performance.now();
      const res = await fetch(`${server.base}/api/tenants/${tenantId}`, { headers: { authorization: `Bearer ${KEY}` } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`the constant route answered ${res.status} during the reload`);
      worst = Math.max(worst, performance.now() - t0);
      requests += 1;
    }
  } finally {
    server.child.stdout.off('data', onData);
    server.child.stderr.off('data', onData);
  }
  return { figures: loadFigures(log, 'Reloaded mock data'), worst, requests };
}

/**
 * Each list query alone, one at a time (best of 3, so a collection or a neighbour's burst does not
 * count): the slowest of the mix are what the p99 of the run is made of.
 */
async function slowestLists(base, paths, count) {
  if (count <= 0) return;
  const times = [];
  for (const path of paths) {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
      await res.arrayBuffer();
      best = Math.min(best, performance.now() - t0);
    }
    times.push({ path, best });
  }
  times.sort((a, b) => b.best - a.best);
  const all = times.map((t) => t.best).sort((a, b) => a - b);
  console.log(`list queries alone (best of 3): median ${median(all).toFixed(1)} ms; the ${count} slowest:`);
  for (const { path, best } of times.slice(0, count)) console.log(`  ${best.toFixed(1).padStart(6)} ms  ${decodeURIComponent(path.replace(/^\/api\/tenants\/[^/]+\/tickets/, ''))}`);
}

const server = await bootServer(KEY, { MOCK_DATA_PATH: DATA, MOCK_WATCH: 'true' });
console.log(`boot to first healthy answer: ${Math.round(server.bootMs)} ms; RSS after boot ${mib(rssBytes(server.child.pid))} for ${mib(json)} of JSON`);
console.log(`load at boot: ${describeLoad(loadFigures(server.output, 'Loaded \\d+ records'))} (at boot this includes the application's own start)`);
try {
  const warm = performance.now();
  for (const path of [...lists, ...singles]) {
    const res = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  console.log(`warm-up: ${lists.length + singles.length} distinct requests, each answered once, in ${Math.round(performance.now() - warm)} ms (indexes built on first use)`);
  await slowestLists(server.base, lists, Number(opts.slowest));
  if (opts['stop-after-slowest']) {
    // process.exit skips the finally below: the server would be left running.
    server.child.kill();
    process.exit(0);
  }

  const bare = await bootServer(KEY, {}, { script: 'scripts/bench-bare-app.mjs', ready: '/constant' });
  const scenarios = {
    'bare NestJS + Fastify, GET /constant': [bare, ['/constant']],
    'no-op route (GET /api/health/live)': [server, ['/api/health/live']],
    'single ticket by id (authenticated)': [server, singles],
    'tenant by id (GET /api/tenants/{id})': [server, [`/api/tenants/${tenant}`]],
    'mixed ticket lists (200 queries)': [server, lists],
  };
  const figures = Object.fromEntries(Object.keys(scenarios).map((k) => [k, []]));
  try {
    // Every round measures the bare app and then each project route, so load from neighbours hits both alike.
    for (let r = 0; r < Number(opts.rounds); r++) {
      for (const [name, [app, paths]] of Object.entries(scenarios)) figures[name].push(await round(app.base, paths, app.child.pid));
    }
  } finally {
    bare.child.kill();
  }
  const rss = rssBytes(server.child.pid);
  const reference = median(figures['bare NestJS + Fastify, GET /constant'].map((f) => f.rps));
  const referenceCpu = median(figures['bare NestJS + Fastify, GET /constant'].map((f) => f.cpuUs));
  console.log(`\n${opts.rounds} interleaved rounds of ${opts.duration} s each, ${opts.connections} connections; medians`);
  console.log('(% of bare: by req/s, and by the server\'s CPU per request, which autocannon sharing the cores does not cap):');
  for (const [name, rounds] of Object.entries(figures)) {
    const rps = median(rounds.map((f) => f.rps));
    const cpuUs = median(rounds.map((f) => f.cpuUs));
    const bad = rounds.reduce((s, f) => s + f.bad, 0);
    console.log(
      `  ${name.padEnd(42)} ${String(Math.round(rps)).padStart(6)} req/s  p50 ${median(rounds.map((f) => f.p50))} ms  p99 ${median(rounds.map((f) => f.p99))} ms` +
        `  ${((100 * rps) / reference).toFixed(1).padStart(5)} % of bare;  ${Math.round(cpuUs)} µs CPU/request, ${((100 * referenceCpu) / cpuUs).toFixed(1)} % of bare` +
        `${bad ? `  (${bad} non-2xx/errors!)` : ''}`,
    );
  }
  console.log(`RSS after the run: ${mib(rss)} = ${(rss / json).toFixed(2)} × the ${mib(json)} of JSON on disk`);

  const reload = await measureReload(server, tenant);
  console.log(
    `reload of the whole folder: ${describeLoad(reload.figures)}; ` +
      `${reload.requests} back-to-back requests meanwhile, the slowest ${Math.round(reload.worst)} ms; RSS after ${mib(rssBytes(server.child.pid))}`,
  );
} finally {
  server.child.kill();
}

// The constant route again on a small folder, with and without authentication: how much of a
// request is the per-request key lookup in the platform store.
const small = { MOCK_DATA_PATH: './mock-data' };
const withAuth = await bootServer(KEY, small);
const withoutAuth = await bootServer(KEY, { ...small, AUTH_DISABLED: 'true' });
try {
  const a = [];
  const b = [];
  for (let r = 0; r < Number(opts.rounds); r++) {
    a.push((await round(withAuth.base, ['/api/tenants/tenant_demo_cca'])).rps);
    b.push((await round(withoutAuth.base, ['/api/tenants/tenant_demo_cca'])).rps);
  }
  const [ra, rb] = [median(a), median(b)];
  console.log(
    `\nauth: constant route ${Math.round(ra)} req/s with a key, ${Math.round(rb)} req/s with AUTH_DISABLED=true: ` +
      `the key check is ${(100 * (1 - ra / rb)).toFixed(0)} % of a request's cost (${((1e6 / ra) - (1e6 / rb)).toFixed(0)} µs)`,
  );
} finally {
  withAuth.child.kill();
  withoutAuth.child.kill();
}
