/**
 * Live-mode memory benchmark (prints figures; asserts only that every tenant was served): boots the
 * built server (dist/main.js, its own process) in live mode against a loopback ConnectWise fake,
 * registers BENCH_TENANTS tenants (default 200) of BENCH_TICKETS tickets each (default 5 000), and
 * lists every tenant's tickets, round after round (BENCH_ROUNDS, default 3; 4 requests in flight).
 * The server's RSS is sampled from /proc throughout and printed against SNAPSHOT_CACHE_MAX_MB
 * (passed through; the server's default when unset), with the vendor walks each round made.
 * CACHE_TTL_SECONDS is an hour, so a walk after the first round means an eviction. BENCH_NODE_OPTIONS
 * is the server's NODE_OPTIONS (e.g. `--max-old-space-size=768`).
 * Run: npm run build && npm run bench:live-memory   (SNAPSHOT_CACHE_MAX_MB=64 npm run bench:live-memory)
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { seedConnectWiseTickets } from './connectwise-tickets.js';
// @ts-expect-error — a plain ES module shared with the other benchmarks (scripts/*.mjs), without types.
import { bootServer } from '../../scripts/boot-server.mjs';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 200);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 4;
const BUDGET_MB = process.env.SNAPSHOT_CACHE_MAX_MB || undefined;
/** Passed to the server as NODE_OPTIONS, e.g. `--max-old-space-size=768` (V8's heap limit). */
const SERVER_NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS || undefined;
const DEFAULT_BUDGET_MB = 512;
const KEY = 'bench-admin-key-0123456789abcdef';
const PAGE = 1000;

const mib = (kib: number) => (kib / 1024).toFixed(0).padStart(5);

function seed(cw: FakeConnectWise): void {
  seedConnectWiseTickets(cw, TICKETS, { distinctSummaries: true });
}

/** VmRSS and VmHWM (peak) of a process, in KiB. */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

async function main(): Promise<void> {
  const cw = await FakeConnectWise.start();
  seed(cw);
  let child: ChildProcess | undefined;
  try {
    const booted = await bootServer(KEY, {
      MOCK_MODE: 'false',
      MOCK_WATCH: 'false',
      CACHE_TTL_SECONDS: '3600',
      VENDOR_ALLOW_PRIVATE_NETWORKS: 'true',
      ...(BUDGET_MB ? { SNAPSHOT_CACHE_MAX_MB: BUDGET_MB } : {}),
      ...(SERVER_NODE_OPTIONS ? { NODE_OPTIONS: SERVER_NODE_OPTIONS } : {}),
    });
    child = booted.child as ChildProcess;
    const base: string = booted.base;
    const pid = child.pid!;
    const admin = async (method: string, path: string, body: object) => {
      const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    };
    const tenants = Array.from({ length: TENANTS }, (_, i) => `tenant_mem_${String(i).padStart(3, '0')}`);
    for (const id of tenants) {
      await admin('POST', '/api/admin/tenants', { id, name: `Tenant ${id}`, is_active: true, llm_enabled: false });
      await admin('PUT', `/api/admin/tenants/${id}/integrations/connectwise`, cw.integration());
    }
    const baseline = rssOf(pid);
    const budgetMb = Number(BUDGET_MB ?? DEFAULT_BUDGET_MB);
    // Written as they come (a run takes minutes), not through Jest's console.
    const say = (line: string) => process.stderr.write(`${line}\n`);
    say(
      `live memory: ${TENANTS} tenants × ${TICKETS} tickets, SNAPSHOT_CACHE_MAX_MB=${budgetMb}${BUDGET_MB ? '' : ' (default)'}, ` +
        `server NODE_OPTIONS=${SERVER_NODE_OPTIONS ?? '(none)'}, ${ROUNDS} rounds, ${CONCURRENCY} in flight, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    say(`after boot and ${TENANTS} registrations: RSS ${mib(baseline.rss)} MiB`);

    const started = performance.now();
    const samples: Array<{ s: number; rss: number }> = [];
    const sampler = setInterval(() => samples.push({ s: (performance.now() - started) / 1000, rss: rssOf(pid).rss }), 250);
    let served = 0;
    const walks = () => Math.round(cw.calls('/service/tickets') / Math.ceil(TICKETS / PAGE));
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const walksBefore = walks();
        const roundStart = performance.now();
        let next = 0;
        let servedThisRound = 0;
        const worker = async () => {
          while (next < tenants.length) {
            const id = tenants[next++];
            const res = await fetch(`${base}/api/tenants/${id}/tickets?page_size=10`, { headers: { authorization: `Bearer ${KEY}` } });
            const body = (await res.json()) as { data: Array<{ tenant_id: string }>; meta: { total: number } };
            if (res.status !== 200 || body.meta.total !== TICKETS || body.data.length !== 10 || body.data.some((t) => t.tenant_id !== id)) {
              throw new Error(`${id}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
            }
            servedThisRound++;
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        served += servedThisRound;
        const now = rssOf(pid);
        const roundRss = samples.filter((x) => x.s >= (roundStart - started) / 1000).map((x) => x.rss);
        say(
          `round ${round}: ${servedThisRound}/${TENANTS} tenants served (200, ${TICKETS} tickets, their own), ${String(walks() - walksBefore).padStart(3)} vendor walks, ` +
            `${((performance.now() - roundStart) / 1000).toFixed(1)} s | RSS now ${mib(now.rss)} MiB, round max ${mib(Math.max(...roundRss, now.rss))} MiB, ` +
            `peak so far (VmHWM) ${mib(now.peak)} MiB | load ${loadavg()[0].toFixed(2)}`,
        );
      }
    } finally {
      clearInterval(sampler);
    }
    const end = rssOf(pid);
    const series = samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 12)) === 0);
    say(`RSS over time (s: MiB): ${series.map((x) => `${x.s.toFixed(0)}: ${(x.rss / 1024).toFixed(0)}`).join(', ')}`);
    say(
      `every tenant served in every round: ${served === TENANTS * ROUNDS ? 'yes' : 'NO'} (${served}/${TENANTS * ROUNDS}) | ` +
        `peak RSS ${mib(end.peak)} MiB = baseline ${mib(baseline.rss)} + ${mib(end.peak - baseline.rss)} MiB over it, budget ${budgetMb} MiB ` +
        `(peak − baseline = ${((end.peak - baseline.rss) / 1024 / budgetMb).toFixed(2)} × budget)`,
    );
    expect(served).toBe(TENANTS * ROUNDS);
  } finally {
    child?.kill('SIGTERM');
    await cw.close();
  }
}

it('prints live-mode RSS against SNAPSHOT_CACHE_MAX_MB', async () => {
  await main();
}, 1_800_000);
