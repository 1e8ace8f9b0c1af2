import { ConnectWiseClient, CwTicket } from '../../src/integrations/connectwise/connectwise.client.js';
import { SmileBackClient, SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import type { PlatformDb } from '../../src/platform/platform-db.js';
import { ConnectWiseTicketsFetcher } from '../../src/sync/fetchers/connectwise-records.js';
import { SmileBackReviewsFetcher } from '../../src/sync/fetchers/smileback-reviews.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import type { StreamName } from '../../src/sync/stream.js';
import { SyncRunner, SyncRunnerConfig } from '../../src/sync/sync-runner.js';
import { SyncJobData, SyncJobs, SyncJobsConfig } from '../../src/sync/sync-jobs.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { daysAgo, seedTenant } from '../support/replica-fakes.js';
import { loopbackHttp } from '../support/stream-runs.js';
import { FixedFetchers, openSqliteStore } from '../support/sync-harness.js';

const TENANT = 'tenant_engine';

const ticket = (id: number, updatedDaysAgo: number, over: Partial<CwTicket> = {}): CwTicket => ({
  id,
  summary: `Ticket ${id}`,
  board: { name: 'Service' },
  status: { name: 'New' },
  priority: { name: 'Priority 3 - Normal Response' },
  company: { name: 'Acme Corporation' },
  owner: { id: 176 },
  closedFlag: false,
  _info: { dateEntered: daysAgo(600), lastUpdated: daysAgo(updatedDaysAgo).replace(/\.\d{3}Z$/, 'Z') },
  ...over,
});

const review = (id: number, modifiedDaysAgo: number, over: Partial<SmileBackReview> = {}): SmileBackReview => ({
  id,
  rating: 1,
  comment: '',
  ticket: { id: String(id) },
  status: 'open',
  rated_on: daysAgo(modifiedDaysAgo),
  last_modified: daysAgo(modifiedDaysAgo),
  ...over,
});

describe('stream fetchers under the sync engine (SQLite)', () => {
  let connectwise: FakeConnectWise;
  let smileback: FakeSmileBack;
  let platform: PlatformDb;
  let replica: ReplicaRepository;
  let runner: SyncRunner;

  beforeAll(async () => {
    [connectwise, smileback] = await Promise.all([FakeConnectWise.start(), FakeSmileBack.start()]);
    connectwise.members = [{ id: 176, identifier: 'jdoe', officeEmail: 'jdoe@msp.example', inactiveFlag: false }];
    platform = await openSqliteStore('stream-engine-');
    await seedTenant(platform.db, TENANT, ['connectwise', 'smileback']);
    replica = new ReplicaRepository(platform);
    const http = loopbackHttp({ timeoutMs: 10_000 });
    const streams = new FixedFetchers(TENANT, [
      new ConnectWiseTicketsFetcher(new ConnectWiseClient(connectwise.integration(), http, `connectwise:${TENANT}`)),
      new SmileBackReviewsFetcher(new SmileBackClient(smileback.integration(), http, `smileback:${TENANT}`)),
    ]);
    runner = new SyncRunner(replica, new SyncRunsRepository(platform), streams, new SyncRunnerConfig({ windowDays: 30, historyDays: 400 }));
  });
  afterAll(async () => {
    await Promise.all([connectwise.close(), smileback.close()]);
    await platform.onApplicationShutdown();
  });

  async function live(stream: StreamName): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    for await (const batch of replica.readLive(TENANT, stream)) rows.push(...(batch as Array<Record<string, unknown>>));
    return rows;
  }

  it('tickets: first sync (open ones however old), backfill, an edit, a quiet interval, a reconcile after a deletion in the vendor', async () => {
    connectwise.tickets = [ticket(1, 2), ticket(2, 10), ticket(3, 100), ticket(4, 100, { closedFlag: true, closedDate: daysAgo(100) }), ticket(5, 500, { closedFlag: true, closedDate: daysAgo(500) })];
    connectwise.notes = [{ id: 9, ticketId: 1, text: 'Printer offline', detailDescriptionFlag: true }];

    const first = await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(first.kind).toBe('full');
    expect(first.counts).toMatchObject({ inserted: 3 });
    const served = await live('connectwise.tickets');
    expect(served.map((t) => t.cw_ticket_id)).toEqual(['1', '2', '3']);
    expect(served[0]).toMatchObject({ tenant_id: TENANT, description: 'Printer offline', owner: 'jdoe@msp.example' });

    const backfill = await runner.run(TENANT, 'connectwise.tickets', 'backfill');
    expect(backfill.counts).toMatchObject({ inserted: 1 });
    expect((await live('connectwise.tickets')).map((t) => t.cw_ticket_id)).toEqual(['1', '2', '3', '4']);

    connectwise.tickets[1] = ticket(2, 0.01, { summary: 'edited' });
    connectwise.requests.length = 0;
    const edit = await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(edit.counts).toMatchObject({ inserted: 0, changed: 1 });
    expect(connectwise.requests[0].query.get('conditions')).toMatch(/^lastUpdated>=\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\]$/);

    // Quiet: the overlap re-reads the newest ticket, whose lastUpdated is as stored: its note and owner come from the replica.
    connectwise.requests.length = 0;
    const quiet = await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(quiet.counts).toMatchObject({ seen: 1, inserted: 0, changed: 0, deleted: 0 });
    expect(connectwise.requests.map((r) => r.path.split('/').slice(-1)[0])).toEqual(['tickets']);

    connectwise.tickets = connectwise.tickets.filter((t) => t.id !== 3);
    const reconcile = await runner.run(TENANT, 'connectwise.tickets', 'reconcile');
    expect(reconcile.counts).toMatchObject({ deleted: 1 });
    expect(connectwise.lastRequest('/service/tickets')?.query.get('fields')).toBe('id');
    expect((await live('connectwise.tickets')).map((t) => t.cw_ticket_id)).toEqual(['1', '2', '4']);
  });

  it('tickets: a description note is fetched again only when the ticket lastUpdated moves, and on an operator full re-sync', async () => {
    const notePaths = () => connectwise.requests.filter((r) => r.path.endsWith('/notes')).map((r) => r.path.split('/').at(-2));
    const description = async (id: string) => (await live('connectwise.tickets')).find((t) => t.cw_ticket_id === id)?.description;
    connectwise.tickets = [ticket(11, 0.01), ticket(12, 0.01), ticket(13, 0.01)];
    connectwise.notes = [11, 12, 13].map((id) => ({ id: 100 + id, ticketId: id, text: `First words of ${id}`, detailDescriptionFlag: true }));
    connectwise.requests.length = 0;
    await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(notePaths()).toEqual(['11', '12', '13']);

    // All three are within the overlap: listed again, none costs a note call.
    connectwise.requests.length = 0;
    const quiet = await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(quiet.counts).toMatchObject({ seen: 3, inserted: 0, changed: 0 });
    expect(notePaths()).toEqual([]);
    expect(connectwise.calls('/system/members')).toBe(0);

    // An edit moves lastUpdated: that ticket's note (edited with it) is fetched again, the others' are not.
    connectwise.tickets[1] = ticket(12, 0, { _info: { dateEntered: daysAgo(600), lastUpdated: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } });
    connectwise.notes[1] = { ...connectwise.notes[1], text: 'Rewritten with the edit' };
    connectwise.requests.length = 0;
    const edit = await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(edit.counts).toMatchObject({ changed: 1 });
    expect(notePaths()).toEqual(['12']);
    expect(await description('12')).toBe('Rewritten with the edit');

    // A note edited with no lastUpdated move is not seen by an incremental (the documented assumption) but is by a full re-sync.
    connectwise.notes[0] = { ...connectwise.notes[0], text: 'Changed behind the ticket' };
    await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    expect(await description('11')).toBe('First words of 11');
    connectwise.requests.length = 0;
    await runner.run(TENANT, 'connectwise.tickets', 'full');
    expect(notePaths()).toEqual(expect.arrayContaining(['11', '12', '13']));
    expect(await description('11')).toBe('Changed behind the ticket');
  });

  it('tickets: the jobs reconcile the window first, then the open records hourly; an hourly reconcile deletes an old open ticket gone from the vendor, never a closed one', async () => {
    const jobs = new SyncJobs(runner, new SyncJobsConfig(300_000));
    const job = (data: Partial<SyncJobData> = {}) => jobs.handle({ tenantId: TENANT, stream: 'connectwise.tickets', ...data }, new AbortController().signal);
    const ids = async () => (await live('connectwise.tickets')).map((t) => t.cw_ticket_id);
    connectwise.tickets = [
      ticket(21, 200),
      ticket(22, 200),
      ticket(23, 200, { closedFlag: true, closedDate: daysAgo(200), status: { name: 'Closed' } }),
      ticket(24, 0.01),
    ];
    await runner.run(TENANT, 'connectwise.tickets', 'full');
    await platform.db.updateTable('sync_state').set({ last_reconcile_at: null, last_open_reconcile_at: null }).execute();

    // Never reconciled: after the incremental, the window reconcile (which covers the open records too).
    expect(await job()).toEqual({ data: { tenantId: TENANT, stream: 'connectwise.tickets', kind: 'reconcile', reconcile: 'window' }, inMs: 0 });
    expect(await job({ kind: 'reconcile', reconcile: 'window' })).toEqual({ data: { tenantId: TENANT, stream: 'connectwise.tickets' }, inMs: 300_000 });
    // Both done just now: the next incremental owes nothing.
    expect(await job()).toEqual({ data: { tenantId: TENANT, stream: 'connectwise.tickets' }, inMs: 300_000 });

    // An hour later (the open reconcile's stamp moved back), the open records are owed, not the window.
    const hourAgo = new Date(Date.now() - 61 * 60_000).toISOString();
    await platform.db.updateTable('sync_state').set({ last_open_reconcile_at: hourAgo }).execute();
    expect(await job()).toEqual({ data: { tenantId: TENANT, stream: 'connectwise.tickets', kind: 'reconcile', reconcile: 'open' }, inMs: 0 });

    // Ticket 22 (open, 200 days old) is deleted in ConnectWise, ticket 23 (closed long ago) is not listed as open either.
    connectwise.tickets = connectwise.tickets.filter((t) => t.id !== 22);
    connectwise.requests.length = 0;
    const reconcile = await runner.run(TENANT, 'connectwise.tickets', 'reconcile', new AbortController().signal, 'open');
    expect(reconcile.counts).toMatchObject({ deleted: 1 });
    expect(connectwise.lastRequest('/service/tickets')?.query.get('conditions')).toMatch(/^closedFlag=false or lastUpdated>=\[/);
    expect(await ids()).toEqual(expect.arrayContaining(['21', '23', '24']));
    expect(await ids()).not.toContain('22');
    expect(reconcile.state.lastOpenReconcileAt).not.toBeNull();
    expect(Date.parse(reconcile.state.lastOpenReconcileAt as string)).toBeGreaterThan(Date.parse(reconcile.state.lastReconcileAt as string));
  });

  it('tickets: a reconcile whose id walk fails deletes nothing', async () => {
    await runner.run(TENANT, 'connectwise.tickets', 'incremental');
    const before = await live('connectwise.tickets');
    expect(before.length).toBeGreaterThan(0);
    // Every ticket gone from the vendor's lists, but the id walk fails: nothing is taken for deleted.
    connectwise.tickets = [];
    connectwise.misbehave = (reply, req) => (req.query.get('fields') === 'id' ? { status: 500, body: { message: 'down' } } : reply);
    try {
      await expect(runner.run(TENANT, 'connectwise.tickets', 'reconcile', new AbortController().signal, 'open')).rejects.toThrow();
    } finally {
      connectwise.misbehave = undefined;
    }
    expect(await live('connectwise.tickets')).toEqual(before);
  });

  it('reviews: a tombstone soft-deletes the served survey; a quiet interval costs one call', async () => {
    smileback.reviews = [review(1, 3), review(2, 5)];
    await runner.run(TENANT, 'smileback.reviews', 'incremental');
    expect((await live('smileback.reviews')).map((s) => s.survey_id)).toEqual(['1', '2']);

    smileback.reviews[0] = review(1, 0.001, { status: 'deleted' });
    const tombstone = await runner.run(TENANT, 'smileback.reviews', 'incremental');
    expect(tombstone.counts).toMatchObject({ deleted: 1 });
    expect((await live('smileback.reviews')).map((s) => s.survey_id)).toEqual(['2']);

    smileback.requests.length = 0;
    const quiet = await runner.run(TENANT, 'smileback.reviews', 'incremental');
    expect(quiet.counts).toMatchObject({ inserted: 0, changed: 0, deleted: 0 });
    expect(smileback.requests.filter((r) => r.path === '/api/v3/reviews/')).toHaveLength(1);
  });
});
