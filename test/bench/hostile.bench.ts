/**
 * Hostile-vendor benchmark (prints figures; asserts only that the server survived): boots the built
 * server (dist/main.js, its own process) in live mode with one healthy ConnectWise tenant on a loopback
 * fake and, one scenario at a time, hostile tenants whose ConnectWise host misbehaves (huge, endless,
 * gzip-bomb, never-ending paging, a pathological error page, hung hosts, Retry-After 30). A hostile
 * tenant's first read triggers its first sync and waits for it (FIRST_SYNC_WAIT_MS, 10 s here), so its
 * answer is the sync's outcome as a reader sees it. For each scenario it prints that answer and when,
 * the healthy tenant's latency meanwhile (a vendor call through the admin test route and a ticket list
 * from the replica), and the server's RSS.
 * Run: npm run build && npm run bench:hostile   (BENCH_SCENARIOS=huge,hang to pick scenarios)
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createGzip } from 'node:zlib';
import type { ChildProcess } from 'node:child_process';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { isoAgo, seedConnectWiseTickets } from './connectwise-tickets.js';
// @ts-expect-error — a plain ES module shared with the other benchmarks (scripts/*.mjs), without types.
import { bootServer } from '../../scripts/boot-server.mjs';

const KEY = 'bench-admin-key-0123456789abcdef';
const HEALTHY = 'tenant_healthy';
const API_ROOT = '/v4_6_release/apis/3.0';
const MIB = 1024 * 1024;

type Mode = 'huge' | 'endless' | 'gzipbomb' | 'pages' | 'lt-error' | 'hang' | 'retry-after';

interface Scenario {
  name: Mode;
  what: string;
  tenants: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'huge', what: '500 MB JSON body', tenants: 1 },
  { name: 'endless', what: 'endless chunked body', tenants: 1 },
  { name: 'gzipbomb', what: 'gzip inflating to 1 GiB', tenants: 1 },
  { name: 'pages', what: 'pages of 1 000 tickets, next link for ever', tenants: 1 },
  { name: 'lt-error', what: '400 with 1 MB of "<"', tenants: 1 },
  { name: 'hang', what: '8 tenants whose host never answers', tenants: 8 },
  { name: 'retry-after', what: '429 with Retry-After: 30', tenants: 1 },
];

function ticket(id: number): object {
  return {
    id,
    summary: `Printer offline on floor ${id % 7}`,
    board: { id: 1, name: 'Service Board' },
    status: { id: 1, name: 'New' },
    priority: { id: 1, name: 'Priority 3 - Normal Response' },
    company: { id: 1, name: 'Client 1' },
    closedFlag: false,
    _info: { dateEntered: isoAgo(86_400_000), lastUpdated: isoAgo(3_600_000) },
  };
}

/** A ConnectWise-shaped host whose first path segment picks the misbehaviour. */
function hostileHandler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const mode = url.pathname.split('/')[1] as Mode;
  res.on('error', () => undefined);
  const stream = (chunk: Buffer, total: number) => {
    let sent = 0;
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end(']');
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    pump();
  };
  const row = Buffer.from(JSON.stringify(ticket(1)) + ',');
  const rows = Buffer.concat(Array.from({ length: Math.ceil(64 * 1024 / row.length) }, () => row));
  switch (mode) {
    case 'huge':
      return stream(rows, 500 * MIB);
    case 'endless':
      return stream(rows, Number.POSITIVE_INFINITY);
    case 'gzipbomb': {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const gz = createGzip({ level: 9 });
      gz.pipe(res);
      const zeros = Buffer.alloc(MIB, 0x20);
      let left = 1024;
      const pump = () => {
        while (left-- > 0) if (!gz.write(zeros)) return void gz.once('drain', pump);
        gz.end();
      };
      gz.write('[');
      pump();
      return;
    }
    case 'pages': {
      const page = Number(url.searchParams.get('page') ?? 1);
      const size = 1000;
      const body = JSON.stringify(Array.from({ length: size }, (_, i) => ticket(page * size + i)));
      const next = new URL(req.url ?? '/', `http://${req.headers.host}`);
      next.searchParams.set('page', String(page + 1));
      res.writeHead(200, { 'content-type': 'application/json', link: `<${next}>; rel="next"` });
      return void res.end(body);
    }
    case 'lt-error':
      res.writeHead(400, { 'content-type': 'text/html' });
      return void res.end('<'.repeat(MIB));
    case 'hang':
      return;
    case 'retry-after':
      res.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
      return void res.end('{"code":"TooManyRequests"}');
  }
  res.writeHead(404).end();
}

function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN);

async function main(): Promise<void> {
  const picked = (process.env.BENCH_SCENARIOS ?? '').split(',').filter(Boolean);
  const scenarios = picked.length ? SCENARIOS.filter((s) => picked.includes(s.name)) : SCENARIOS;
  const cw = await FakeConnectWise.start();
  seedConnectWiseTickets(cw, 500);
  const sockets = new Set<import('node:net').Socket>();
  const hostile: Server = createServer(hostileHandler);
  hostile.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  const hostilePort = (hostile.address() as AddressInfo).port;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  let child: ChildProcess | undefined;
  let died = false;
  try {
    const booted = await bootServer(KEY, {
      MOCK_MODE: 'false',
      MOCK_WATCH: 'false',
      FIRST_SYNC_WAIT_MS: '10000',
      VENDOR_ALLOW_PRIVATE_NETWORKS: 'true',
    });
    child = booted.child as ChildProcess;
    child.once('exit', () => (died = true));
    const base: string = booted.base;
    const pid = child.pid!;
    const call = (method: string, path: string, body?: object, signal?: AbortSignal) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal,
      });
    const admin = async (method: string, path: string, body: object) => {
      const res = await call(method, path, body);
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    };
    const addTenant = async (id: string, integration: object) => {
      await admin('POST', '/api/admin/tenants', { id, name: `Tenant ${id}`, is_active: true, llm_enabled: false });
      await admin('PUT', `/api/admin/tenants/${id}/integrations/connectwise`, integration);
    };
    await addTenant(HEALTHY, cw.integration());
    const warm = await call('GET', `/api/tenants/${HEALTHY}/tickets?page_size=10`);
    if (warm.status !== 200) throw new Error(`healthy tenant: ${warm.status}`);
    say(`hostile vendors: node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, RSS after boot ${rssOf(pid).rss.toFixed(0)} MiB`);
    say('scenario      | hostile answer (status, type, s)                     | healthy vendor call p50/p99/max ms | replica list p99/max ms | RSS peak / 5 s after MiB');

    for (const scenario of scenarios) {
      const ids = Array.from({ length: scenario.tenants }, (_, i) => `tenant_${scenario.name.replace('-', '_')}_${i}`);
      for (const id of ids) {
        await addTenant(id, cw.integration({ base_url: `http://127.0.0.1:${hostilePort}/${scenario.name}${API_ROOT}` }));
      }
      const before = rssOf(pid).rss;
      let peak = before;
      const sampler = setInterval(() => {
        if (!died) peak = Math.max(peak, rssOf(pid).rss);
      }, 100);
      const started = performance.now();
      const abort = new AbortController();
      const hostileCalls = ids.map(async (id) => {
        try {
          const res = await call('GET', `/api/tenants/${id}/tickets?page_size=10`, undefined, abort.signal);
          const body = (await res.json().catch(() => ({}))) as { type?: string; detail?: string };
          return { status: res.status, type: body.type ?? '', detail: body.detail ?? '', s: (performance.now() - started) / 1000 };
        } catch (error) {
          return { status: 0, type: died ? 'server died' : (error as Error).name, detail: '', s: (performance.now() - started) / 1000 };
        }
      });
      const vendorMs: number[] = [];
      const listMs: number[] = [];
      let done = false;
      void Promise.all(hostileCalls).then(() => (done = true));
      // Healthy traffic while the hostile calls run (at most 60 s, then they are abandoned).
      while (!done && !died && performance.now() - started < 60_000) {
        let t = performance.now();
        await call('POST', `/api/admin/tenants/${HEALTHY}/integrations/connectwise/test`, {}).then((r) => r.arrayBuffer()).catch(() => undefined);
        vendorMs.push(performance.now() - t);
        t = performance.now();
        await call('GET', `/api/tenants/${HEALTHY}/tickets?page_size=10`).then((r) => r.arrayBuffer()).catch(() => undefined);
        listMs.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
      abort.abort();
      const results = await Promise.all(hostileCalls);
      await new Promise((r) => setTimeout(r, 5000));
      clearInterval(sampler);
      for (const s of sockets) s.destroy();
      const after = died ? NaN : rssOf(pid).rss;
      vendorMs.sort((a, b) => a - b);
      listMs.sort((a, b) => a - b);
      const first = results[0];
      const answer = `${first.status} ${first.type.replace('/problems/', '')} ${Math.max(...results.map((r) => r.s)).toFixed(1)} s${results.length > 1 ? ` (×${results.length})` : ''}`;
      say(
        `${scenario.name.padEnd(13)} | ${answer.padEnd(52)} | ${[pct(vendorMs, 0.5), pct(vendorMs, 0.99), vendorMs.at(-1) ?? NaN].map((v) => v.toFixed(0)).join(' / ').padEnd(34)} | ` +
          `${[pct(listMs, 0.99), listMs.at(-1) ?? NaN].map((v) => v.toFixed(0)).join(' / ').padEnd(23)} | ${peak.toFixed(0)} / ${after.toFixed(0)}`,
      );
      if (first.detail) say(`              detail: ${first.detail.slice(0, 160)}`);
      if (died) {
        say(`the server died during "${scenario.name}" (${scenario.what})`);
        break;
      }
    }
    expect(died).toBe(false);
  } finally {
    child?.kill('SIGTERM');
    for (const s of sockets) s.destroy();
    await new Promise((r) => hostile.close(r));
    await cw.close();
  }
}

it('prints how hostile vendors affect the service', async () => {
  await main();
}, 1_800_000);
