import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CwServiceNote } from '../../src/integrations/connectwise/connectwise.client.js';
import { ReplicaReads } from '../../src/replica-reads/replica-reads.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import type { ReplicaChange, StreamKey } from '../../src/sync/replica.types.js';
import { SyncRunner } from '../../src/sync/sync-runner.js';
import { SyncScheduler } from '../../src/sync/sync-scheduler.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import type { TestApp } from '../support/app.js';
import {
  LIVE_ENV,
  MEMBERS,
  bulkGraphAlerts,
  bulkReviews,
  bulkThreats,
  bulkTickets,
  bulkTimeEntries,
  closeFakes,
  Fakes,
  registerTenant,
  startFakes,
} from '../support/live-fixtures.js';
import { bootReplicaApp, FakeTenantStreams, registerReplicaTenant } from '../support/replica-app.js';

// The live replica end to end on the loopback fakes (SQLite file store): a 100 000-ticket first sync,
// what a quiet interval costs in vendor calls, read latency while a sync writes, and RSS with many tenants.
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 200);
const TENANT_TICKETS = Number(process.env.BENCH_TENANT_TICKETS ?? 5_000);
const CACHE_MB = Number(process.env.BENCH_CACHE_MB ?? 256);
const READS = Number(process.env.BENCH_READS ?? 400);

const MB = 1024 * 1024;
const HOUR = 3_600_000;
const mb = (bytes: number) => `${Math.round(bytes / MB)} MiB`;
const calls = (fakes: Fakes) => Object.values(fakes).reduce((sum, fake) => sum + fake.requests.length, 0);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function bootBench(streams: FakeTenantStreams): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-sync-'));
  return bootReplicaApp(
    { ...LIVE_ENV, DATABASE_URL: `sqlite:${join(dir, 'platform.db')}`, SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '90', SNAPSHOT_CACHE_MAX_MB: String(CACHE_MB), VENDOR_TIMEOUT_MS: '30000' },
    streams,
  );
}

describe('bench: live replica sync and reads', () => {
  it('first sync, quiet interval, reads during a sync', async () => {
    const streams = new FakeTenantStreams([], { timeoutMs: 30_000 });
    const app = await bootBench(streams);
    const fakes = await startFakes();
    try {
      const { tickets, notes } = bulkTickets(TICKETS, 1_000_000);
      const byTicket = new Map<number, CwServiceNote[]>(tickets.map((t) => [t.id as number, []]));
      for (const note of notes) byTicket.get(note.ticketId as number)?.push(note);
      Object.assign(fakes.connectwise, { tickets, notes, notesByTicket: byTicket, members: MEMBERS });
      fakes.connectwise.timeEntries = bulkTimeEntries(200, 1, tickets.slice(0, 50).map((t) => t.id as number));
      fakes.smileback.reviews = bulkReviews(100, 1);
      fakes.sentinelone.threats = bulkThreats(50, 1);
      fakes.defender.graphAlerts = bulkGraphAlerts(50, 1);
      // The bench drives every run itself: the app's scheduler would walk the same stream at once and double the calls.
      await app.app.get(SyncScheduler).stop();
      await registerReplicaTenant(app.app, streams, 'bench_big', fakes);
      const runner = app.app.get(SyncRunner);

      const cpu = process.cpuUsage();
      let started = performance.now();
      // A run is bounded by VENDOR_WALK_TIMEOUT_MS: a first sync longer than that resumes in the next run.
      const replica = app.app.get(ReplicaRepository);
      let runs = 0;
      while (!(await replica.getState('bench_big', 'connectwise.tickets'))?.lastSuccessAt && runs < 20) {
        runs++;
        await runner.run('bench_big', 'connectwise.tickets', 'incremental').catch((error: Error) => console.log(`run ${runs} ended: ${error.message}`));
      }
      const used = process.cpuUsage(cpu);
      console.log(
        `first sync of ${TICKETS} tickets in ${runs} run(s): ${Math.round(performance.now() - started)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU (app, fake and SQLite in this process), ` +
          `${fakes.connectwise.requests.length} ConnectWise calls (${fakes.connectwise.calls('/service/tickets')} list, ${fakes.connectwise.requests.filter((r) => r.path.endsWith('/notes')).length} note, ${fakes.connectwise.calls('/system/members')} members)`,
      );
      for (const key of await streams.streams()) if (key.stream !== 'connectwise.tickets') await runner.run('bench_big', key.stream, 'incremental');

      const before = calls(fakes);
      for (const key of await streams.streams()) await runner.run('bench_big', key.stream, 'incremental');
      console.log(`quiet interval, all ${(await streams.streams()).length} streams (5 domains' and members), nothing changed: ${calls(fakes) - before} vendor calls`);

      // Reads while a sync writes: 1 000 tickets edited, so each page bumps the data version and reloads follow.
      const edited = Math.min(1_000, TICKETS);
      for (let i = 0; i < edited; i++) {
        const at = i * Math.floor(TICKETS / edited);
        tickets[at] = { ...tickets[at], summary: `edited ${i}`, _info: { ...tickets[at]._info, lastUpdated: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } };
      }
      await app.get('/api/tenants/bench_big/tickets?page_size=50').expect(200);
      const quiet: number[] = [];
      for (let i = 0; i < 50; i++) {
        started = performance.now();
        await app.get(`/api/tenants/bench_big/tickets?page_size=50&page=${1 + (i % 20)}`).expect(200);
        quiet.push(performance.now() - started);
      }
      let syncing = true;
      const sync = runner.run('bench_big', 'connectwise.tickets', 'incremental').finally(() => (syncing = false));
      const during: number[] = [];
      while (syncing && during.length < READS) {
        started = performance.now();
        await app.get(`/api/tenants/bench_big/tickets?page_size=50&page=${1 + (during.length % 20)}`).expect(200);
        during.push(performance.now() - started);
      }
      await sync;
      quiet.sort((a, b) => a - b);
      during.sort((a, b) => a - b);
      console.log(
        `reads of 50 tickets (of ${TICKETS}): idle p50 ${Math.round(percentile(quiet, 50))} ms p99 ${Math.round(percentile(quiet, 99))} ms; ` +
          `during a sync writing ${edited} edits: ${during.length} reads, p50 ${Math.round(percentile(during, 50))} ms, p99 ${Math.round(percentile(during, 99))} ms, max ${Math.round(during.at(-1) ?? 0)} ms`,
      );
    } finally {
      await app.close();
      await streams.http.onApplicationShutdown();
      await closeFakes(fakes);
    }
  }, HOUR);

  it(`RSS with ${TENANTS} tenants × ${TENANT_TICKETS} tickets read once each`, async () => {
    const streams = new FakeTenantStreams();
    const app = await bootBench(streams);
    const fakes = await startFakes();
    try {
      const replica = app.app.get(ReplicaRepository);
      const runs = app.app.get(SyncRunsRepository);
      const { tickets } = bulkTickets(TENANT_TICKETS, 1);
      const at = new Date().toISOString();
      const reads = app.app.get(ReplicaReads);
      const steps = new Set([Math.ceil(TENANTS / 4), Math.ceil(TENANTS / 2), TENANTS]);
      global.gc?.();
      console.log(`before any tenant: RSS ${mb(process.memoryUsage().rss)}, heap used ${mb(process.memoryUsage().heapUsed)}`);
      for (let t = 0; t < TENANTS; t++) {
        const tenantId = `bench_${String(t).padStart(3, '0')}`;
        await registerTenant(app.app, tenantId, { connectwise: fakes.connectwise });
        const key: StreamKey = { tenantId, stream: 'connectwise.tickets', vendor: 'connectwise' };
        await replica.ensureState(key, at);
        const run = await runs.start(key, 'full', at);
        const page: ReplicaChange[] = tickets.map((ticket) => {
          const mapped = {
            tenant_id: tenantId,
            cw_ticket_id: String(ticket.id),
            summary: ticket.summary,
            description: `Details for ticket ${ticket.id}`,
            status: ticket.status?.name,
            board: ticket.board?.name,
            company: ticket.company?.name,
            owner: ticket.owner ? `member${ticket.owner.id}@msp.example` : null,
            created_at_remote: ticket._info?.dateEntered,
            updated_at_remote: ticket._info?.lastUpdated,
            closed_at_remote: ticket.closedDate ?? null,
          };
          return { vendorId: String(ticket.id), raw: ticket, mapped, vendorUpdatedAt: ticket._info?.lastUpdated ?? null, deleted: false };
        });
        await replica.commitPage(key, page, { lastSuccessAt: at, historyFrom: at, state: 'idle' }, at, { id: run });
        await app.get(`/api/tenants/${tenantId}/tickets?page_size=20`).expect(200);
        if (steps.has(t + 1)) {
          global.gc?.();
          const usage = reads.usage();
          console.log(
            `${t + 1} tenants × ${TENANT_TICKETS} tickets read: RSS ${mb(process.memoryUsage().rss)}, heap used ${mb(process.memoryUsage().heapUsed)}, ` +
              `cache ${usage.entries} entries ${mb(usage.bytes)} of ${mb(usage.maxBytes)} (SNAPSHOT_CACHE_MAX_MB=${CACHE_MB}; goal RSS within ${CACHE_MB + 256} MiB)`,
          );
        }
      }
    } finally {
      await app.close();
      await streams.http.onApplicationShutdown();
      await closeFakes(fakes);
    }
  }, HOUR);
});
