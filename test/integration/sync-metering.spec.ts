import type { PlatformDb } from '../../src/platform/platform-db.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import { SyncRunner, SyncRunnerConfig } from '../../src/sync/sync-runner.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { bulkTickets, MEMBERS } from '../support/live-fixtures.js';
import { FakeTenantStreams } from '../support/replica-app.js';
import { seedTenant } from '../support/replica-fakes.js';
import { openSqliteStore } from '../support/sync-harness.js';

const TENANT = 'tenant_meter';

// The run row meters what its vendor client did: every request (retries included), the 429s and the time waited.
describe('sync run metering (real ConnectWise fetcher and VendorHttp over the fake)', () => {
  let connectwise: FakeConnectWise;
  let platform: PlatformDb;
  let streams: FakeTenantStreams;
  let runner: SyncRunner;
  let runs: SyncRunsRepository;

  beforeAll(async () => {
    connectwise = await FakeConnectWise.start();
    const { tickets, notes } = bulkTickets(3, 1);
    Object.assign(connectwise, { tickets, notes, members: MEMBERS });
    platform = await openSqliteStore('sync-metering-');
    await seedTenant(platform.db, TENANT, ['connectwise']);
    streams = new FakeTenantStreams();
    streams.add(TENANT, { connectwise });
    runs = new SyncRunsRepository(platform);
    runner = new SyncRunner(new ReplicaRepository(platform), runs, streams, new SyncRunnerConfig({ windowDays: 90, historyDays: 90 }));
  });
  afterAll(async () => {
    await streams.http.onApplicationShutdown();
    await connectwise.close();
    await platform.onApplicationShutdown();
  });

  it('counts every request, a retried one twice, and the time slept before the retry', async () => {
    // The first list call answers 503 with a Retry-After: slept (capped by the client) and retried.
    connectwise.failNext(1, { status: 503, retryAfter: 1, path: '/service/tickets' });
    connectwise.requests.length = 0;
    const outcome = await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    const row = await runs.get(outcome.runId);
    expect(Number(row?.vendor_calls)).toBe(connectwise.requests.length);
    expect(connectwise.calls('/service/tickets')).toBeGreaterThanOrEqual(2);
    expect(Number(row?.http_429)).toBe(0);
    expect(Number(row?.waited_ms)).toBeGreaterThan(0);
  });

  it("a 429 ends the run: counted, and its Retry-After is the run's wait", async () => {
    connectwise.failNext(1, { status: 429, retryAfter: 7, path: '/service/tickets' });
    connectwise.requests.length = 0;
    await expect(runner.run(TENANT, 'connectwise.tickets', 'incremental')).rejects.toThrow(/429|rate|retry/i);
    const [row] = await runs.recent(TENANT, 'connectwise.tickets', 1);
    expect(row).toMatchObject({ kind: 'incremental', error: null });
    expect(Number(row.vendor_calls)).toBe(1);
    expect(Number(row.http_429)).toBe(1);
    expect(Number(row.waited_ms)).toBe(7_000);
    expect(row.note).toMatch(/resumes in 7 s/);
  });
});
