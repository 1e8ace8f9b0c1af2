// RSS of the built server (dist/main.js) in live mode reading the replica for many tenants (issue 19:
// "RSS with 200 tenants × 5 000 tickets, goal within SNAPSHOT_CACHE_MAX_MB + 256 MiB, flat as tenants
// grow"). The replica tables are filled directly (SQL through the platform's own migrations), not
// through vendor fakes, so the fill takes seconds; the server then reads every tenant's tickets a few
// times and its RSS is printed after each step of tenants. Needs `npm run build`.
//
//   npm run build && npm run bench:replica-rss
//   BENCH_TENANTS=200 BENCH_TICKETS=5000 BENCH_CACHE_MB=64 BENCH_READS=3 BENCH_STEPS=50,100,200
//   BENCH_DATABASE_URL=postgres://… (default: a SQLite file, kept in the temp folder and reused)
//   BENCH_NODE_FLAGS='--max-old-space-size=320' (boot-server.mjs: flags added to the server's)
import { existsSync, readFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer } from './boot-server.mjs';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 200);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 5_000);
const CACHE_MB = Number(process.env.BENCH_CACHE_MB ?? 64);
const READS = Number(process.env.BENCH_READS ?? 3);
const STEPS = (process.env.BENCH_STEPS ?? '50,100,200').split(',').map(Number).filter((n) => n > 0 && n <= TENANTS);
const KEY = 'bench-replica-rss-admin-key-0123456789';
const STREAMS = ['connectwise.tickets', 'connectwise.time_entries', 'connectwise.members'];
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? `sqlite:${join(tmpdir(), `msp-replica-rss-${TENANTS}x${TICKETS}.db`)}`;

if (!existsSync('dist/main.js')) throw new Error('dist/main.js is missing: run `npm run build` first');
const { openDatabase } = await import(new URL('../dist/platform/database.js', import.meta.url).href);
const { migrateToLatest } = await import(new URL('../dist/platform/migrations.js', import.meta.url).href);

const STATUSES = ['New', 'In Progress', 'Waiting on Client', 'Closed'];
const PRIORITIES = ['Low', 'Medium', 'High', 'Critical'];

/** A ticket as the replica serves it (the mapped record), varied enough that indexes have work. */
function ticket(tenantId, i) {
  const day = (n) => new Date(Date.UTC(2026, 9, 1) + n * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const closed = i % 4 === 3;
  return {
    tenant_id: tenantId,
    cw_ticket_id: String(100_000 + i),
    board: i % 5 === 0 ? 'Projects' : 'Service',
    status: STATUSES[i % 4],
    priority: PRIORITIES[i % 4],
    summary: `Printer on floor ${i % 9} does not print for user ${i % 97} (${i})`,
    description: `User reports the printer queue stalls after the driver update; tried restarting the spooler on WS-${i % 300}. ${'Details. '.repeat(i % 12)}`,
    company: `Client ${i % 40} Corp`,
    owner: `tech${i % 12}@msp.example`,
    created_at_remote: day(i % 2000),
    updated_at_remote: day((i % 2000) + 3),
    sla_status: closed ? 'Resolved' : 'Respond',
    estimated_hours: (i % 8) + 0.5,
    closed_at_remote: closed ? day((i % 2000) + 3) : null,
  };
}

async function fill() {
  const { db, engine } = openDatabase(DATABASE_URL, { connectTimeoutMs: 10_000, queryTimeoutMs: 600_000 });
  try {
    await migrateToLatest(db);
    const have = await db.selectFrom('replica_records').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    if (Number(have?.n ?? 0) === TENANTS * TICKETS) return { engine, filled: false };
    const started = performance.now();
    const now = new Date().toISOString();
    for (const table of ['replica_records', 'sync_runs', 'sync_state', 'integrations', 'tenants']) await db.deleteFrom(table).execute();
    for (let t = 0; t < TENANTS; t++) {
      const tenantId = `bench_${String(t).padStart(4, '0')}`;
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('tenants').values({ id: tenantId, name: `Bench tenant ${t}`, is_active: 1, llm_enabled: 0, created_at: now, updated_at: now }).execute();
        // A vendor nobody listens at: the sync's runs at boot fail at once and change nothing.
        const settings = JSON.stringify({ base_url: 'http://127.0.0.1:9', company_id: 'bench', client_id: 'bench' });
        await trx.insertInto('integrations').values({ tenant_id: tenantId, vendor: 'connectwise', settings, secrets: '{}', updated_at: now }).execute();
        const runId = randomUUID();
        await trx
          .insertInto('sync_runs')
          .values({ id: runId, tenant_id: tenantId, stream: 'connectwise.tickets', vendor: 'connectwise', kind: 'full', started_at: now, finished_at: now, vendor_calls: 0, http_429: 0, waited_ms: 0, seen: TICKETS, inserted: TICKETS, changed: 0, deleted: 0 })
          .execute();
        for (const stream of STREAMS) {
          await trx
            .insertInto('sync_state')
            .values({ tenant_id: tenantId, stream, vendor: 'connectwise', checkpoint: now, history_from: now, last_success_at: now, consecutive_failures: 0, data_version: 1, state: 'idle', updated_at: now })
            .execute();
        }
        for (let i = 0; i < TICKETS; i += 500) {
          const rows = [];
          for (let j = i; j < Math.min(TICKETS, i + 500); j++) {
            const mapped = JSON.stringify(ticket(tenantId, j));
            rows.push({
              tenant_id: tenantId,
              stream: 'connectwise.tickets',
              vendor_id: String(100_000 + j),
              vendor: 'connectwise',
              raw: '{}',
              mapped,
              vendor_updated_at: now,
              content_hash: createHash('sha256').update(mapped).digest('hex'),
              first_seen_at: now,
              changed_at: now,
              deleted_at: null,
              run_id: runId,
            });
          }
          await trx.insertInto('replica_records').values(rows).execute();
        }
      });
    }
    console.log(`fill: ${TENANTS} tenants × ${TICKETS} tickets into ${engine} in ${Math.round((performance.now() - started) / 1000)} s`);
    return { engine, filled: true };
  } finally {
    await db.destroy();
  }
}

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The V8 heap (used, total) and memory outside it (external: buffers), from the server's own /metrics. */
async function heap(base) {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
  const mib = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return `heap used ${mib('nodejs_heap_size_used_bytes').toFixed(0)} of ${mib('nodejs_heap_size_total_bytes').toFixed(0)} MiB, external ${mib('nodejs_external_memory_bytes').toFixed(0)} MiB`;
}

const { engine } = await fill();
const server = await bootServer(
  KEY,
  {
    MOCK_MODE: 'false',
    DATABASE_URL,
    SNAPSHOT_CACHE_MAX_MB: String(CACHE_MB),
    SYNC_INTERVAL_SECONDS: '3600',
    VENDOR_MAX_RETRIES: '0',
  },
  { ready: '/api/health/live' },
);
if (process.env.BENCH_NODE_FLAGS) console.log(`server node flags added: ${process.env.BENCH_NODE_FLAGS}`);
const headers = { authorization: `Bearer ${KEY}` };
const QUERIES = ['page_size=100', 'page_size=50&status=Closed', 'page_size=25&sort=-updated_at_remote', 'page_size=10&priority=High&page=3'];
console.log(
  `server: live mode on ${engine}, SNAPSHOT_CACHE_MAX_MB=${CACHE_MB} (goal: RSS ≤ ${CACHE_MB + 256} MiB), ${READS} reads per tenant; RSS after boot ${rssMiB(server.child.pid).toFixed(0)} MiB`,
);
const failures = new Map();
let done = 0;
const started = performance.now();
for (const step of STEPS) {
  for (; done < step; done++) {
    const tenantId = `bench_${String(done).padStart(4, '0')}`;
    for (let r = 0; r < READS; r++) {
      const res = await fetch(`${server.base}/api/tenants/${tenantId}/tickets?${QUERIES[r % QUERIES.length]}`, { headers });
      const body = await res.json();
      if (res.status !== 200) failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
      else if (r === 0 && body.meta.total !== TICKETS) throw new Error(`${tenantId}: ${body.meta.total} tickets served, ${TICKETS} in the replica`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`after ${String(step).padStart(4)} tenants: RSS ${rssMiB(server.child.pid).toFixed(0)} MiB; ${await heap(server.base)} (${(step / seconds).toFixed(1)} tenants/s so far)`);
}
if (failures.size > 0) console.log(`answers other than 200: ${[...failures].map(([s, n]) => `${n} × ${s}`).join(', ')}`);
server.child.kill('SIGTERM');
await new Promise((resolve) => server.child.once('exit', resolve));
