import { ConnectWiseClient, CwTicket } from '../../src/integrations/connectwise/connectwise.client.js';
import type { PlatformDb } from '../../src/platform/platform-db.js';
import { SmileBackClient, SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import { ConnectWiseTicketsFetcher } from '../../src/sync/fetchers/connectwise-records.js';
import { SmileBackReviewsFetcher } from '../../src/sync/fetchers/smileback-reviews.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import type { StreamName } from '../../src/sync/stream.js';
import { MAX_CLOCK_SKEW_MS, SyncRunner, SyncRunnerConfig } from '../../src/sync/sync-runner.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { daysAgo, LoopbackVendor, seedTenant, TestStreams } from '../support/replica-fakes.js';
import { loopbackHttp } from '../support/stream-runs.js';
import { FixedFetchers, openSqliteStore } from '../support/sync-harness.js';

const TENANT = 'tenant_checkpoint';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ticket = (id: number, lastUpdated: string, over: Partial<CwTicket> = {}): CwTicket => ({
  id,
  summary: `Ticket ${id}`,
  board: { name: 'Service' },
  status: { name: 'New' },
  priority: { name: 'Priority 3 - Normal Response' },
  company: { name: 'Acme Corporation' },
  owner: { id: 176 },
  closedFlag: false,
  _info: { dateEntered: daysAgo(600), lastUpdated },
  ...over,
});

async function served(runner: SyncRunner, stream: StreamName): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for await (const batch of runner.readLive(TENANT, stream)) rows.push(...(batch as Array<Record<string, unknown>>));
  return rows;
}

describe('ConnectWise checkpoint after a resumed run (walked by id, not by change time)', () => {
  let connectwise: FakeConnectWise;
  let platform: PlatformDb;
  let runner: SyncRunner;
  let clock = 0;

  beforeAll(async () => {
    connectwise = await FakeConnectWise.start();
    connectwise.members = [{ id: 176, identifier: 'jdoe', officeEmail: 'jdoe@msp.example', inactiveFlag: false }];
    platform = await openSqliteStore('sync-checkpoint-cw-');
    await seedTenant(platform.db, TENANT, ['connectwise']);
    const client = new ConnectWiseClient(connectwise.integration(), loopbackHttp({ timeoutMs: 10_000 }), `connectwise:${TENANT}`, { pageSize: 1 });
    const fetcher = new ConnectWiseTicketsFetcher(client);
    runner = new SyncRunner(new ReplicaRepository(platform), new SyncRunsRepository(platform), new FixedFetchers(TENANT, [fetcher]), new SyncRunnerConfig({ windowDays: 30, historyDays: 30, now: () => clock }));
  });
  afterAll(async () => {
    await connectwise.close();
    await platform.onApplicationShutdown();
  });

  it('a low-id ticket edited after the run began, while the walk was past it, reaches the replica on the next incremental', async () => {
    connectwise.tickets = [ticket(1, minutesAgo(120)), ticket(2, minutesAgo(110)), ticket(3, minutesAgo(100))];
    // The first sync begins an hour ago and stops once the walk has moved past ticket 1 (a deploy, a time slice).
    clock = Date.now() - 60 * 60_000;
    const stop = new AbortController();
    connectwise.misbehave = (reply, req) => {
      if (req.path.endsWith('/service/tickets') && req.query.has('pageId')) stop.abort();
      return reply;
    };
    await expect(runner.run(TENANT, 'connectwise.tickets', 'incremental', stop.signal)).rejects.toThrow(/interrupted/);
    connectwise.misbehave = undefined;
    expect((await served(runner, 'connectwise.tickets')).map((t) => t.cw_ticket_id)).not.toContain('3');

    // Meanwhile ticket 1 (already written) is edited 30 min ago and ticket 3 (not yet reached) 1 min ago.
    connectwise.tickets[0] = ticket(1, minutesAgo(30), { summary: 'edited while the walk was past it' });
    connectwise.tickets[2] = ticket(3, minutesAgo(1));
    clock = Date.now();
    const resumed = await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(resumed.kind).toBe('full');
    // The checkpoint is the first run's start, not the newest change the resumed walk saw.
    expect(Date.parse(resumed.state.checkpoint as string)).toBeLessThanOrEqual(Date.now() - 59 * 60_000);
    const next = await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(next.kind).toBe('incremental');
    expect((await served(runner, 'connectwise.tickets')).find((t) => t.cw_ticket_id === '1')?.summary).toBe('edited while the walk was past it');
  });
});

describe('resume points and the integration they were saved under', () => {
  let connectwise: FakeConnectWise;
  let platform: PlatformDb;
  let runner: SyncRunner;
  const listCalls = () => connectwise.requests.filter((r) => r.path.endsWith('/service/tickets'));

  beforeAll(async () => {
    connectwise = await FakeConnectWise.start();
    connectwise.members = [{ id: 176, identifier: 'jdoe', officeEmail: 'jdoe@msp.example', inactiveFlag: false }];
    platform = await openSqliteStore('sync-checkpoint-version-');
    await seedTenant(platform.db, TENANT, ['connectwise']);
    const client = new ConnectWiseClient(connectwise.integration(), loopbackHttp({ timeoutMs: 10_000 }), `connectwise:${TENANT}`, { pageSize: 1 });
    runner = new SyncRunner(new ReplicaRepository(platform), new SyncRunsRepository(platform), new FixedFetchers(TENANT, [new ConnectWiseTicketsFetcher(client)]), new SyncRunnerConfig({ windowDays: 30, historyDays: 30 }));
  });
  afterAll(async () => {
    await connectwise.close();
    await platform.onApplicationShutdown();
  });

  /** A first sync stopped once its walk is past ticket 1: its resume point (pageId 1) is saved. */
  async function interruptedFirstSync(): Promise<void> {
    const stop = new AbortController();
    connectwise.misbehave = (reply, req) => {
      if (req.path.endsWith('/service/tickets') && req.query.has('pageId')) stop.abort();
      return reply;
    };
    await expect(runner.run(TENANT, 'connectwise.tickets', 'incremental', stop.signal)).rejects.toThrow(/interrupted/);
    connectwise.misbehave = undefined;
  }

  it('a run of the same integration resumes from the saved page; after the integration changed it walks from the start', async () => {
    connectwise.tickets = [ticket(1, minutesAgo(30)), ticket(2, minutesAgo(20)), ticket(3, minutesAgo(10))];
    await interruptedFirstSync();
    connectwise.requests.length = 0;
    await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(listCalls()[0]?.query.get('pageId')).toBe('1');

    // The same again from a stream never synced, but the integration changes before the resumed run.
    await platform.db.deleteFrom('sync_state').execute();
    await interruptedFirstSync();
    const saved = (await new ReplicaRepository(platform).getState(TENANT, 'connectwise.tickets'))?.resume.full;
    expect(saved?.point).toMatch(/\|1$/);
    // An admin points the integration elsewhere (a new base URL, credentials, company): its updated_at moves.
    await platform.db.updateTable('integrations').set({ updated_at: new Date(Date.now() + 1_000).toISOString() }).where('tenant_id', '=', TENANT).execute();
    connectwise.requests.length = 0;
    const run = await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(run.kind).toBe('full');
    expect(listCalls()[0].query.has('pageId')).toBe(false);
    expect((await served(runner, 'connectwise.tickets')).map((t) => t.cw_ticket_id)).toEqual(['1', '2', '3']);
    expect(run.state.resume).toEqual({});
  });
});

describe('SmileBack paging when a review is modified mid-walk', () => {
  let smileback: FakeSmileBack;
  let platform: PlatformDb;
  let runner: SyncRunner;
  const review = (id: number, modified: string, over: Partial<SmileBackReview> = {}): SmileBackReview => ({
    id,
    rating: 1,
    comment: '',
    ticket: { id: String(id) },
    status: 'open',
    rated_on: modified,
    last_modified: modified,
    ...over,
  });

  beforeAll(async () => {
    smileback = await FakeSmileBack.start();
    platform = await openSqliteStore('sync-checkpoint-sb-');
    await seedTenant(platform.db, TENANT, ['smileback']);
    const client = new SmileBackClient(smileback.integration(), loopbackHttp({ timeoutMs: 10_000 }), `smileback:${TENANT}`, { pageSize: 2 });
    const fetcher = new SmileBackReviewsFetcher(client);
    runner = new SyncRunner(new ReplicaRepository(platform), new SyncRunsRepository(platform), new FixedFetchers(TENANT, [fetcher]), new SyncRunnerConfig({ windowDays: 30, historyDays: 30 }));
  });
  afterAll(async () => {
    await smileback.close();
    await platform.onApplicationShutdown();
  });

  it('a written review that moves to the end of the list does not push an unread one out of the resumed walk', async () => {
    smileback.reviews = [review(1, minutesAgo(120)), review(2, minutesAgo(110)), review(3, minutesAgo(100)), review(4, minutesAgo(90))];
    const stop = new AbortController();
    let lists = 0;
    smileback.misbehave = (reply, req) => {
      if (req.path.endsWith('/reviews/') && ++lists === 2) stop.abort();
      return reply;
    };
    await expect(runner.run(TENANT, 'smileback.reviews', 'incremental', stop.signal)).rejects.toThrow(/interrupted/);
    smileback.misbehave = undefined;
    expect((await served(runner, 'smileback.reviews')).map((s) => s.survey_id).sort()).toEqual(['1', '2']);

    // Review 1 (written) gets a late comment: listed by last_modified, it moves behind 3 and 4 (an offset of 2 now skips review 3).
    smileback.reviews[0] = review(1, minutesAgo(1), { comment: 'late comment' });
    const pagesFrom = smileback.requests.length;
    await runner.run(TENANT, 'smileback.reviews', 'incremental');
    await runner.run(TENANT, 'smileback.reviews', 'incremental');
    expect((await served(runner, 'smileback.reviews')).map((s) => s.survey_id).sort()).toEqual(['1', '2', '3', '4']);
    // Keyset pages: no offset is ever asked for.
    expect(smileback.requests.slice(pagesFrom).some((r) => r.query.has('offset'))).toBe(false);
  });

  it('reviews sharing one last_modified across a page boundary are each handed on once', async () => {
    const at = minutesAgo(50);
    smileback.reviews = [review(11, at), review(12, at), review(13, at), review(14, minutesAgo(40))];
    const fetcher = new SmileBackReviewsFetcher(
      new SmileBackClient(smileback.integration(), loopbackHttp({ timeoutMs: 10_000 }), `smileback:${TENANT}:tie`, { pageSize: 2 }),
    );
    const ids: string[] = [];
    for await (const page of fetcher.changes({ since: minutesAgo(60), resume: null, stop: new AbortController().signal })) ids.push(...page.changes.map((c) => c.vendorId));
    expect(ids).toEqual(['11', '12', '13', '14']);
  });
});

it('a record stamped in the future (a vendor clock, a bad import) does not blind the stream to later changes', async () => {
  const TICKETS = 'connectwise.tickets' as const;
  const platform = await openSqliteStore('sync-checkpoint-future-');
  const vendor = new LoopbackVendor();
  await vendor.start();
  const streams = new TestStreams(vendor);
  await seedTenant(platform.db, 'f');
  streams.add('f', TICKETS);
  const runner = new SyncRunner(new ReplicaRepository(platform), new SyncRunsRepository(platform), streams, new SyncRunnerConfig({ windowDays: 30, historyDays: 30 }));
  try {
    const future = new Date(Date.now() + 200 * 86_400_000).toISOString();
    vendor.put('f', TICKETS, { id: '1', updatedAt: daysAgo(1), body: {} }, { id: '2', updatedAt: future, body: {} });
    await runner.run('f', TICKETS, 'incremental');
    // An incremental (walked in change order) sees the future stamp again: its checkpoint stops at run start + the skew.
    const before = Date.now();
    const second = await runner.run('f', TICKETS, 'incremental');
    expect(second.kind).toBe('incremental');
    expect(Date.parse(second.state.checkpoint as string)).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS);
    expect(Date.parse(second.state.checkpoint as string)).toBeGreaterThanOrEqual(before);
    vendor.put('f', TICKETS, { id: '3', updatedAt: new Date().toISOString(), body: {} });
    await runner.run('f', TICKETS, 'incremental');
    const ids: string[] = [];
    for await (const batch of runner.readLive('f', TICKETS)) ids.push(...(batch as Array<{ id: string }>).map((r) => r.id));
    expect(ids.sort()).toEqual(['1', '2', '3']);
  } finally {
    await streams.close();
    await vendor.stop();
    await platform.onApplicationShutdown();
  }
});
