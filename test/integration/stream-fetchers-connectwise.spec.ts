import { ConnectWiseClient, CwMember, CwTicket, CwTimeEntry } from '../../src/integrations/connectwise/connectwise.client.js';
import { VendorDataError, VendorError, VendorWalkTooLargeError } from '../../src/integrations/http/vendor-errors.js';
import type { WalkLimits } from '../../src/integrations/http/vendor-walk.js';
import { ConnectWiseMembersFetcher } from '../../src/sync/fetchers/connectwise-members.js';
import { ConnectWiseTicketsFetcher, ConnectWiseTimeEntriesFetcher } from '../../src/sync/fetchers/connectwise-records.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { expectNoSecrets, idsOf, interrupted, loopbackHttp, pagesOf, request, runFailure } from '../support/stream-runs.js';

const TENANT = 'tenant_a';
const at = (day: number, hour = 12) => `2026-01-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

const member = (id: number, email: string, lastUpdatedDay = 1): CwMember => ({
  id,
  identifier: `m${id}`,
  firstName: 'First',
  lastName: 'Last',
  officeEmail: email,
  primaryEmail: null,
  inactiveFlag: false,
  _info: { lastUpdated: at(lastUpdatedDay) },
});

const ticket = (id: number, lastUpdatedDay: number, over: Partial<CwTicket> = {}): CwTicket => ({
  id,
  summary: `Ticket ${id}`,
  board: { id: 1, name: 'Service' },
  status: { id: 1, name: 'New' },
  priority: { id: 1, name: 'Priority 3 - Normal Response' },
  company: { id: 250, name: 'Acme Corporation' },
  owner: { id: 176, identifier: 'm176' },
  closedFlag: false,
  _info: { dateEntered: at(1), lastUpdated: at(lastUpdatedDay) },
  ...over,
});

const closed = (id: number, day: number): CwTicket => ticket(id, day, { closedFlag: true, closedDate: at(day), status: { id: 2, name: 'Closed' } });

const entry = (id: number, lastUpdatedDay: number, over: Partial<CwTimeEntry> = {}): CwTimeEntry => ({
  id,
  chargeToId: 1,
  chargeToType: 'ServiceTicket',
  member: { id: 176, identifier: 'm176' },
  workType: { id: 1, name: 'Remote Support' },
  billableOption: 'Billable',
  actualHours: 0.5,
  notes: `entry ${id}`,
  // 02:30 UTC on the 20th is the 19th in New York.
  timeStart: '2026-01-20T02:30:00Z',
  _info: { lastUpdated: at(lastUpdatedDay) },
  ...over,
});

describe('ConnectWise stream fetchers against a fake ConnectWise', () => {
  let fake: FakeConnectWise;
  beforeEach(async () => {
    fake = await FakeConnectWise.start();
    fake.members = [member(176, 'jdoe@msp.example'), member(177, 'asmith@msp.example')];
  });
  afterEach(() => fake.close());

  const clientOf = (pageSize = 3, walk?: WalkLimits, timeZone?: string, http = loopbackHttp()) =>
    new ConnectWiseClient(fake.integration(timeZone ? { time_zone: timeZone } : {}), http, `connectwise:${TENANT}`, { pageSize, walk });
  const listCalls = (path: string) => fake.requests.filter((r) => r.path.endsWith(path));

  describe('tickets', () => {
    it('first sync: every open ticket and every ticket updated since `from`, forward-only by id, each with its description and owner', async () => {
      fake.tickets = [ticket(5, 12), ticket(2, 11), closed(9, 3), ticket(7, 15), ticket(1, 10), ticket(4, 20), ticket(8, 2), ticket(3, 13)];
      fake.notes = [
        { id: 31, ticketId: 3, text: 'Printer jams', detailDescriptionFlag: true },
        { id: 30, ticketId: 3, text: 'internal', detailDescriptionFlag: false },
      ];
      const fetcher = new ConnectWiseTicketsFetcher(clientOf());
      const pages = await pagesOf(fetcher, request({ from: '2026-01-10T00:00:00.000Z' }));

      // The closed ticket untouched since the 3rd is out; the open one untouched since the 2nd is in.
      expect(pages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['1', '2', '3', '4', '5', '7', '8']);
      expect(pages.map((p) => p.resume === null)).toEqual([false, false, true]);
      const lists = listCalls('/service/tickets');
      expect(lists.map((r) => r.query.get('pageId'))).toEqual([null, '3', '7']);
      for (const req of lists) {
        expect(req.headers['pagination-type']).toBe('forward-only');
        expect(req.query.get('conditions')).toBe('closedFlag=false or (lastUpdated>=[2026-01-10T00:00:00Z])');
        expect(req.query.get('pageSize')).toBe('3');
        expect(req.query.has('orderBy')).toBe(false);
      }
      // One description call per ticket, one members call for the whole run.
      expect(fake.calls('/notes')).toBe(7);
      expect(fake.calls('/system/members')).toBe(1);

      const third = pages[0].changes[2];
      expect(third.vendorUpdatedAt).toBe('2026-01-13T12:00:00.000Z');
      expect(fetcher.map(third.raw, TENANT)).toEqual(
        expect.objectContaining({ tenant_id: TENANT, cw_ticket_id: '3', description: 'Printer jams', owner: 'jdoe@msp.example', updated_at_remote: '2026-01-13T12:00:00Z' }),
      );
      // The raw payload alone maps, however many times: no vendor call.
      const calls = fake.requests.length;
      expect(fetcher.map(JSON.parse(JSON.stringify(pages[2].changes[0].raw)), TENANT)).toEqual(expect.objectContaining({ cw_ticket_id: '8', description: '', owner: 'jdoe@msp.example' }));
      expect(fake.requests.length).toBe(calls);
    });

    it('incremental: only the edited and the new ticket, asked with lastUpdated>= the checkpoint; nothing changed costs one call', async () => {
      fake.tickets = [ticket(1, 10), ticket(2, 11), ticket(3, 12)];
      const fetcher = new ConnectWiseTicketsFetcher(clientOf());
      await pagesOf(fetcher, request({ from: '2026-01-01T00:00:00.000Z' }));

      fake.tickets[1] = ticket(2, 21, { summary: 'edited', owner: { id: 177 } });
      fake.tickets.push(ticket(10, 21, { owner: null }));
      fake.requests.length = 0;
      const pages = await pagesOf(fetcher, request({ since: '2026-01-21T00:00:00.000Z' }));
      expect(pages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['2', '10']);
      expect(listCalls('/service/tickets')[0].query.get('conditions')).toBe('lastUpdated>=[2026-01-21T00:00:00Z]');
      const mapped = pages[0].changes.map((c) => fetcher.map(c.raw, TENANT));
      expect(mapped.map((t) => [t.summary, t.owner])).toEqual([
        ['edited', 'asmith@msp.example'],
        ['Ticket 10', null],
      ]);

      fake.requests.length = 0;
      const unchanged = await pagesOf(fetcher, request({ since: '2026-01-22T00:00:00.000Z' }));
      expect(unchanged).toEqual([{ changes: [], resume: null }]);
      expect(fake.requests.length).toBe(1);
    });

    it('a backfill slice asks for lastUpdated within [from, until) and leaves the open tickets to the recent sync', async () => {
      fake.tickets = [ticket(1, 5), ticket(2, 9), ticket(3, 12), closed(4, 6)];
      const ids = await idsOf(new ConnectWiseTicketsFetcher(clientOf()), request({ from: '2026-01-05T00:00:00.000Z', until: '2026-01-10T00:00:00.000Z' }));
      expect(ids).toEqual(['1', '2', '4']);
      expect(listCalls('/service/tickets')[0].query.get('conditions')).toBe('lastUpdated>=[2026-01-05T00:00:00Z] and lastUpdated<[2026-01-10T00:00:00Z]');
    });

    it('resumes from the point saved with a page: nothing lost, nothing repeated', async () => {
      fake.tickets = Array.from({ length: 11 }, (_, i) => ticket(i + 1, 10 + (i % 5)));
      const fetcher = new ConnectWiseTicketsFetcher(clientOf());
      const req = request({ from: '2026-01-01T00:00:00.000Z' });
      const first = await interrupted(fetcher, req, 2);
      expect(first.ids).toEqual(['1', '2', '3', '4', '5', '6']);
      fake.tickets.push(ticket(12, 20));
      fake.requests.length = 0;
      const rest = await idsOf(fetcher, { ...req, resume: first.resume });
      expect(rest).toEqual(['7', '8', '9', '10', '11', '12']);
      expect(listCalls('/service/tickets')[0].query.get('pageId')).toBe('6');
      // A point saved by another stream, or garbage, restarts the walk rather than skipping anything.
      expect(await idsOf(fetcher, { ...req, resume: 'smileback.reviews|0|6' })).toHaveLength(12);
    });

    it('ids for a reconcile: open tickets or updated since `from`, ids only, forward-only', async () => {
      fake.tickets = [ticket(1, 2), closed(2, 3), closed(3, 20), ticket(4, 21)];
      const ids = await new ConnectWiseTicketsFetcher(clientOf()).ids({ open: true, from: '2026-01-10T00:00:00.000Z' }, new AbortController().signal);
      expect(ids).toEqual(['1', '3', '4']);
      const req = listCalls('/service/tickets')[0];
      expect(req.query.get('fields')).toBe('id');
      expect(req.query.get('conditions')).toBe('closedFlag=false or lastUpdated>=[2026-01-10T00:00:00Z]');
      expect(req.headers['pagination-type']).toBe('forward-only');
    });

    it('refuses a vendor that ignores pageId and serves the same page again', async () => {
      fake.tickets = Array.from({ length: 7 }, (_, i) => ticket(i + 1, 12));
      fake.misbehave = (reply, req) => {
        if (!req.path.endsWith('/service/tickets')) return reply;
        return { ...reply, body: fake.tickets.slice(0, 3) };
      };
      const error = await runFailure(new ConnectWiseTicketsFetcher(clientOf()), request());
      expect(error).toBeInstanceOf(VendorDataError);
      expect(error.message).toMatch(/pageId/);
    });

    it('holds the walk budgets over the whole run: records and bytes', async () => {
      fake.tickets = Array.from({ length: 9 }, (_, i) => ticket(i + 1, 12));
      const records = await runFailure(new ConnectWiseTicketsFetcher(clientOf(3, { maxRecords: 5, maxBytes: 64 * 1024 * 1024, timeoutMs: 10_000 })), request());
      expect(records).toBeInstanceOf(VendorDataError);
      expect(records.message).toMatch(/VENDOR_WALK_MAX_RECORDS/);
      const bytes = await runFailure(new ConnectWiseTicketsFetcher(clientOf(3, { maxRecords: 1000, maxBytes: 3000, timeoutMs: 10_000 })), request());
      expect(bytes).toBeInstanceOf(VendorWalkTooLargeError);
    });

    it('bounds the whole run by the walk deadline; the pages handed on before it stay a valid resume point', async () => {
      fake.tickets = Array.from({ length: 7 }, (_, i) => ticket(i + 1, 12));
      // The request timeout is far above the run's deadline: the deadline is what ends the run.
      const fetcher = new ConnectWiseTicketsFetcher(clientOf(3, { maxRecords: 1000, maxBytes: 64 * 1024 * 1024, timeoutMs: 4_000 }, undefined, loopbackHttp({ timeoutMs: 60_000 })));
      const run = fetcher.changes(request())[Symbol.asyncIterator]();
      const first = await run.next();
      expect(first.done).toBe(false);
      const saved = (first.value as { resume: string | null }).resume;
      fake.hang(60_000, 1, '/service/tickets');
      const error = await run.next().then(
        () => undefined,
        (e: unknown) => e,
      );
      // The walk's timer and the hung call's own deadline (the walk's, too) race: either names the walk deadline as a 504.
      expect(error).toBeInstanceOf(VendorError);
      expect((error as VendorError).problemType).toBe('/problems/vendor-timeout');
      expect((error as Error).message).toContain('VENDOR_WALK_TIMEOUT_MS');
      expect(await idsOf(fetcher, request({ resume: saved }))).toEqual(['4', '5', '6', '7']);
    });

    it('never puts a credential in its errors', async () => {
      fake.failNext(1, { status: 400, path: '/service/tickets', body: { code: 'InvalidObject', message: `bad ${fake.credentials.private_key}`, errors: null } });
      const error = await runFailure(new ConnectWiseTicketsFetcher(clientOf()), request());
      expect(error).toBeInstanceOf(VendorError);
      expectNoSecrets(error, [fake.credentials.private_key, Buffer.from(`${fake.credentials.company_id}+${fake.credentials.public_key}:${fake.credentials.private_key}`).toString('base64')]);
    });
  });

  describe('time entries', () => {
    it('first sync and incremental by lastUpdated, each entry with its member, the day in the integration zone', async () => {
      fake.timeEntries = [entry(1, 5), entry(2, 12), entry(3, 13, { member: { id: 177 } })];
      const fetcher = new ConnectWiseTimeEntriesFetcher(clientOf(3, undefined, 'America/New_York'));
      const pages = await pagesOf(fetcher, request({ from: '2026-01-10T00:00:00.000Z' }));
      expect(pages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['2', '3']);
      expect(listCalls('/time/entries')[0].query.get('conditions')).toBe('lastUpdated>=[2026-01-10T00:00:00Z]');
      expect(pages[0].changes.map((c) => fetcher.map(c.raw, TENANT))).toEqual([
        expect.objectContaining({ cw_time_entry_id: '2', member: 'jdoe@msp.example', date_worked: '2026-01-19', minutes: 30 }),
        expect.objectContaining({ cw_time_entry_id: '3', member: 'asmith@msp.example' }),
      ]);

      fake.timeEntries.push(entry(4, 22));
      fake.requests.length = 0;
      expect(await idsOf(fetcher, request({ since: '2026-01-21T00:00:00.000Z' }))).toEqual(['4']);
      expect(fake.requests.map((r) => r.path.split('/').slice(-2).join('/'))).toEqual(['time/entries', 'system/members']);

      fake.requests.length = 0;
      expect(await idsOf(fetcher, request({ since: '2026-01-23T00:00:00.000Z' }))).toEqual([]);
      expect(fake.requests.length).toBe(1);
    });
  });

  describe('members', () => {
    it('every member on a first sync, the changed ones after; mapped to the email the other mappers pick', async () => {
      fake.members = [member(176, 'jdoe@msp.example', 2), { ...member(177, 'not-an-email', 3), primaryEmail: 'a@home.example' }];
      const fetcher = new ConnectWiseMembersFetcher(clientOf());
      // A first sync's request carries the window's start: members edited before it are listed all the same.
      const pages = await pagesOf(fetcher, request({ from: '2026-01-10T00:00:00.000Z' }));
      expect(pages[0].changes.map((c) => [c.vendorId, c.vendorUpdatedAt])).toEqual([
        ['176', '2026-01-02T12:00:00.000Z'],
        ['177', '2026-01-03T12:00:00.000Z'],
      ]);
      expect(listCalls('/system/members')[0].query.has('conditions')).toBe(false);
      expect(fetcher.map(pages[0].changes[1].raw, TENANT)).toEqual({ tenant_id: TENANT, member_id: '177', identifier: 'm177', email: 'a@home.example', inactive: false });

      fake.members[0] = member(176, 'john@msp.example', 20);
      fake.requests.length = 0;
      const changed = await pagesOf(fetcher, request({ since: '2026-01-19T00:00:00.000Z' }));
      expect(changed.flatMap((p) => p.changes.map((c) => fetcher.map(c.raw, TENANT).email))).toEqual(['john@msp.example']);
      expect(fake.requests.length).toBe(1);
      expect(fake.requests[0].query.get('conditions')).toBe('lastUpdated>=[2026-01-19T00:00:00Z]');
    });

    it.each([
      ['a first sync (the recent window)', '2026-01-10T00:00:00.000Z'],
      ['a full re-sync (the history)', '2025-10-01T00:00:00.000Z'],
    ])('%s asks for every member, however long untouched, not those updated since `from`', async (_run, from) => {
      // Last updated a year before either bound, and still the owner of open tickets.
      fake.members = [{ ...member(176, 'jdoe@msp.example'), _info: { lastUpdated: '2025-01-05T12:00:00Z' } }, member(177, 'asmith@msp.example', 20)];
      const fetcher = new ConnectWiseMembersFetcher(clientOf());
      const pages = await pagesOf(fetcher, request({ since: null, from }));
      expect(pages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['176', '177']);
      expect(listCalls('/system/members').every((r) => !r.query.has('conditions'))).toBe(true);
    });
  });
});
