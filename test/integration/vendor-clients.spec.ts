import { ConnectWiseClient, CONNECTWISE_ACCEPT, CwTicket, CwTimeEntry } from '../../src/integrations/connectwise/connectwise.client.js';
import { DefenderClient, DefenderEndpointAlert, DefenderGraphAlert } from '../../src/integrations/defender/defender.client.js';
import {
  VendorAuthError,
  VendorDataError,
  VendorError,
  VendorHttpError,
  VendorRateLimitedError,
  VendorTimeoutError,
  VendorUnavailableError,
} from '../../src/integrations/http/vendor-errors.js';
import { OAuthTokenCache } from '../../src/integrations/http/oauth-token.client.js';
import { VendorHttp, VendorHttpOptions } from '../../src/integrations/http/vendor-http.js';
import type { WalkLimits } from '../../src/integrations/http/vendor-walk.js';
import { SentinelOneClient, SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { SmileBackClient, SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import { ConnectWiseTicketsFetcher, ConnectWiseTimeEntriesFetcher } from '../../src/sync/fetchers/connectwise-records.js';
import { DefenderAlertsFetcher } from '../../src/sync/fetchers/defender-alerts.js';
import { SentinelOneThreatsFetcher } from '../../src/sync/fetchers/sentinelone-threats.js';
import { SmileBackReviewsFetcher } from '../../src/sync/fetchers/smileback-reviews.js';
import type { ChangesRequest, StreamFetcher } from '../../src/sync/stream.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { expectNoSecrets, idsOf, pagesOf, request } from '../support/stream-runs.js';
import { vendorFailure } from '../support/vendor-failure.js';

// The vendor clients as the product uses them: the sync fetchers' runs (one walk each) and ping (the admin's connection test).
const SINCE = '2026-01-10T00:00:00.000Z';
const KEY = (vendor: string) => `${vendor}:tenant_a`;
const WALK: WalkLimits = { maxRecords: 1000, maxBytes: 64 * 1024 * 1024, timeoutMs: 10_000 };

function fastHttp(over: Partial<VendorHttpOptions> = {}): VendorHttp {
  return new VendorHttp({
    // Generous: the machine may be loaded; the timeout tests set their own.
    timeoutMs: 2_000,
    maxAttempts: 3,
    baseDelayMs: 1,
    maxDelayMs: 5,
    maxRetryAfterMs: 20,
    concurrencyPerVendor: 4,
    breakerThreshold: 5,
    halfOpenAfterMs: 60_000,
    // The fakes listen on loopback over plain http.
    allowPrivateNetworks: true,
    ...over,
  });
}

/** The VendorError a run fails with; a run that succeeds, or fails otherwise, fails the test. */
const runError = (fetcher: StreamFetcher, req: ChangesRequest = request({ since: SINCE })) => vendorFailure(pagesOf(fetcher, req));
const incremental = (stop?: AbortSignal) => request({ since: SINCE, ...(stop ? { stop } : {}) });

const at = (day: number, hour = 12) => `2026-01-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

const cwTicket = (id: number, lastUpdatedDay: number): CwTicket => ({
  id,
  summary: `Ticket ${id}`,
  board: { id: 1, name: 'Service' },
  status: { id: 1, name: 'New' },
  priority: { id: 1, name: 'Priority 3 - Normal Response' },
  company: { id: 250, identifier: 'AcmeCorp', name: 'Acme Corporation' },
  owner: { id: 176, identifier: 'jdoe' },
  closedFlag: false,
  _info: { dateEntered: at(1), lastUpdated: at(lastUpdatedDay) },
});

const review = (id: number, modifiedDay: number): SmileBackReview => ({
  id,
  rating: 1,
  comment: '',
  ticket: { id: String(1000 + id) },
  status: 'open',
  rated_on: at(modifiedDay),
  last_modified: at(modifiedDay),
});

const threat = (id: number, updatedDay: number, accountId = 'acc-1'): SentinelOneThreat => ({
  id: String(9_000_000_000_000_000_000n + BigInt(id)),
  agentRealtimeInfo: { accountId, siteId: 'site-1', agentComputerName: `PC-${id}` },
  threatInfo: {
    threatName: 'x.exe',
    classification: 'Malware',
    confidenceLevel: 'suspicious',
    incidentStatus: 'unresolved',
    mitigationStatus: 'mitigated',
    identifiedAt: at(updatedDay, 9),
    createdAt: at(updatedDay, 9),
    updatedAt: `2026-01-${String(updatedDay).padStart(2, '0')}T10:00:00.123456Z`,
  },
});

const graphAlert = (id: number, updatedDay: number, serviceSource = 'microsoftDefenderForEndpoint'): DefenderGraphAlert => ({
  id: `da${id}`,
  title: `Alert ${id}`,
  severity: 'medium',
  status: 'new',
  serviceSource,
  createdDateTime: `${at(updatedDay).slice(0, 19)}.1234567Z`,
  lastUpdateDateTime: at(updatedDay),
  evidence: [],
});

describe('ConnectWise client against a fake ConnectWise', () => {
  let fake: FakeConnectWise;
  beforeEach(async () => {
    fake = await FakeConnectWise.start();
  });
  afterEach(() => fake.close());

  const clientOf = (http: VendorHttp, pageSize = 3, walk = WALK, key = KEY('connectwise')) => new ConnectWiseClient(fake.integration(), http, key, { pageSize, walk });
  const tickets = (http: VendorHttp, pageSize = 3, walk = WALK) => new ConnectWiseTicketsFetcher(clientOf(http, pageSize, walk));
  const ticketLists = () => fake.requests.filter((r) => r.path.endsWith('/service/tickets'));
  const quiet = () => {
    fake.tickets = [cwTicket(1, 12)];
    fake.tickets[0].owner = null;
  };

  it('sends Basic company+public:private, clientId, the pinned Accept header and forward-only paging on every call', async () => {
    fake.tickets = [cwTicket(1, 12)];
    fake.members = [{ id: 176, identifier: 'jdoe', officeEmail: 'jdoe@msp.example' }];
    await pagesOf(tickets(fastHttp()), incremental());
    expect(fake.requests.map((r) => r.path.split('/').pop())).toEqual(['tickets', 'notes', 'members']);
    const expected = Buffer.from(`${fake.credentials.company_id}+${fake.credentials.public_key}:${fake.credentials.private_key}`).toString('base64');
    for (const { headers } of fake.requests) {
      expect(headers.authorization).toBe(`Basic ${expected}`);
      expect(headers.clientid).toBe(fake.credentials.client_id);
      expect(headers.accept).toBe(CONNECTWISE_ACCEPT);
    }
    expect(fake.lastRequest('/service/tickets')!.headers['pagination-type']).toBe('forward-only');
    expect(fake.lastRequest('/system/members')!.headers['pagination-type']).toBe('forward-only');
  });

  it('pages through every open ticket and every ticket updated in the window, re-sending conditions and pageSize on each page', async () => {
    const closedOld = { ...cwTicket(9, 3), closedFlag: true, closedDate: at(3) };
    const openOld = cwTicket(8, 2); // untouched long before the window, still open: held all the same
    fake.tickets = [cwTicket(5, 12), cwTicket(2, 11), closedOld, cwTicket(7, 15), cwTicket(1, 10), cwTicket(4, 20), openOld, cwTicket(3, 13)];
    const pages = await pagesOf(tickets(fastHttp()), request({ from: SINCE }));
    expect(pages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['1', '2', '3', '4', '5', '7', '8']);
    expect(ticketLists()).toHaveLength(3);
    for (const req of ticketLists()) {
      expect(req.query.get('conditions')).toBe('closedFlag=false or (lastUpdated>=[2026-01-10T00:00:00Z])');
      expect(req.query.get('pageSize')).toBe('3');
      expect(req.query.has('orderBy')).toBe(false);
    }
    expect(ticketLists().map((r) => r.query.get('pageId'))).toEqual([null, '3', '7']);
  });

  it('lists ids only for a reconcile, the same conditions and fields on every page', async () => {
    fake.tickets = [cwTicket(1, 12), { ...cwTicket(2, 5), closedFlag: true }, cwTicket(3, 2), { ...cwTicket(4, 11), closedFlag: true }, cwTicket(6, 10)];
    const fetcher = tickets(fastHttp(), 2);
    expect(await fetcher.ids({ open: false, from: SINCE }, new AbortController().signal)).toEqual(['1', '4', '6']);
    expect(fake.calls('/service/tickets')).toBe(2);
    for (const req of fake.requests) {
      expect(req.query.get('conditions')).toBe('lastUpdated>=[2026-01-10T00:00:00Z]');
      expect(req.query.get('fields')).toBe('id');
      expect(req.query.get('pageSize')).toBe('2');
    }
    fake.requests.length = 0;
    expect(await fetcher.ids({ open: true, from: SINCE }, new AbortController().signal)).toEqual(['1', '3', '4', '6']);
    expect(fake.requests.map((r) => r.query.get('conditions'))).toEqual(['closedFlag=false or lastUpdated>=[2026-01-10T00:00:00Z]', 'closedFlag=false or lastUpdated>=[2026-01-10T00:00:00Z]', 'closedFlag=false or lastUpdated>=[2026-01-10T00:00:00Z]']);
  });

  it('pages time entries to the end, re-sending their conditions on every page; nothing changed costs one call', async () => {
    const entry = (id: number): CwTimeEntry => ({ id, chargeToId: 42, chargeToType: 'ServiceTicket', _info: { lastUpdated: at(12) } });
    fake.timeEntries = Array.from({ length: 7 }, (_, i) => entry(i + 1));
    const fetcher = new ConnectWiseTimeEntriesFetcher(clientOf(fastHttp()));
    expect(await idsOf(fetcher, incremental())).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(fake.requests.map((r) => [r.path.split('/').slice(-2).join('/'), r.query.get('pageId'), r.query.get('conditions')])).toEqual(
      [null, '3', '6'].map((pageId) => ['time/entries', pageId, 'lastUpdated>=[2026-01-10T00:00:00Z]']),
    );
    // A long condition, re-sent on every page, still keeps each URL under ConnectWise's ~2000 characters.
    for (const req of fake.requests) expect(`${fake.baseUrl}${req.path}?${req.query.toString()}`.length).toBeLessThan(2000);
    fake.requests.length = 0;
    expect(await pagesOf(fetcher, request({ since: '2026-02-01T00:00:00.000Z' }))).toEqual([{ changes: [], resume: null }]);
    expect(fake.calls()).toBe(1);
  });

  it('stops on an empty page even though a next link is announced (forward-only and page-numbered walks alike)', async () => {
    const next = (path: string) => `<${fake.baseUrl}/v4_6_release/apis/3.0${path}?page=2&pageSize=3>; rel="next"`;
    fake.failNext(1, { status: 200, body: [], headers: { Link: next('/service/tickets') }, path: '/service/tickets' });
    fake.tickets = [cwTicket(1, 12)];
    expect(await pagesOf(tickets(fastHttp()), incremental())).toEqual([{ changes: [], resume: null }]);
    expect(fake.calls()).toBe(1);
    // mock:record's member names walk pages by number and Link header.
    fake.members = [{ id: 176, identifier: 'jdoe' }];
    fake.failNext(1, { status: 200, body: [], headers: { Link: next('/system/members') }, path: '/system/members' });
    expect(await clientOf(fastHttp()).listMemberNames()).toEqual([]);
    expect(fake.calls('/system/members')).toBe(1);
  });

  it('refuses a page-numbered next link that points back, naming it', async () => {
    fake.members = [1, 2, 3, 4].map((id) => ({ id, identifier: `m${id}` }));
    fake.misbehave = (reply) => ({ ...reply, headers: { ...reply.headers, Link: `<${fake.baseUrl}/v4_6_release/apis/3.0/system/members?page=1>; rel="next"` } });
    const error = await vendorFailure(clientOf(fastHttp()).listMemberNames());
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error).toMatchObject({ field: 'Link rel="next"' });
    expect(fake.calls('/system/members')).toBe(1);
  });

  it('refuses a page that lists an id twice or goes back, and an item that is not an object or has no usable id, naming it', async () => {
    fake.tickets = [cwTicket(1, 12), cwTicket(2, 12)];
    fake.misbehave = (reply) => ({ ...reply, body: [cwTicket(1, 12), cwTicket(1, 13)] });
    const twice = await runError(tickets(fastHttp()));
    expect(twice).toBeInstanceOf(VendorDataError);
    expect(twice).toMatchObject({ field: 'pageId' });
    expect(fake.calls('/notes')).toBe(0);
    fake.misbehave = (reply) => ({ ...reply, body: [cwTicket(1, 12), null] });
    const notObject = await runError(tickets(fastHttp()));
    expect(notObject).toBeInstanceOf(VendorDataError);
    expect(notObject.message).toBe('connectwise response: item 1 on page 1 of GET /v4_6_release/apis/3.0/service/tickets is null, not an object');
    fake.misbehave = (reply) => ({ ...reply, body: [{ ...cwTicket(1, 12), id: 'DROP TABLE' }] });
    expect((await runError(tickets(fastHttp()))).message).toBe('connectwise response: item 0 on page 1 of GET /v4_6_release/apis/3.0/service/tickets has no usable id');
    expect(fake.calls('/notes')).toBe(0);
  });

  it('fetches tickets with their description note and owner, and time entries, that map to valid records', async () => {
    fake.tickets = [cwTicket(184233, 12)];
    fake.members = [{ id: 176, identifier: 'jdoe', officeEmail: 'jdoe@msp.example', primaryEmail: null }];
    fake.notes = [
      { id: 2, ticketId: 184233, text: 'later note', detailDescriptionFlag: true },
      { id: 1, ticketId: 184233, text: 'Outlook keeps asking for a password.', detailDescriptionFlag: true },
      { id: 3, ticketId: 184233, text: 'internal', detailDescriptionFlag: false },
    ];
    fake.timeEntries = [
      { id: 1, chargeToId: 184233, chargeToType: 'ServiceTicket', member: { id: 176 }, workType: { name: 'Remote' }, actualHours: 1, timeStart: at(12), _info: { lastUpdated: at(12) } },
      { id: 2, chargeToId: 5, chargeToType: 'ChargeCode', member: { id: 176 }, workType: { name: 'Admin' }, actualHours: 1, timeStart: at(2), _info: { lastUpdated: at(2) } },
    ];
    const client = clientOf(fastHttp());
    const ticketFetcher = new ConnectWiseTicketsFetcher(client);
    const entryFetcher = new ConnectWiseTimeEntriesFetcher(client);
    const [ticketPages, entryPages] = await Promise.all([pagesOf(ticketFetcher, incremental()), pagesOf(entryFetcher, incremental())]);
    expect(fake.lastRequest('/notes')!.query.get('conditions')).toBe('detailDescriptionFlag=true');
    expect(entryPages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['1']);
    const ticket = ticketFetcher.map(ticketPages[0].changes[0].raw, 'tenant_a');
    expect(ticket).toMatchObject({ cw_ticket_id: '184233', owner: 'jdoe@msp.example', description: 'Outlook keeps asking for a password.' });
    expect(entryFetcher.map(entryPages[0].changes[0].raw, 'tenant_a')).toMatchObject({ cw_ticket_id: '184233', member: 'jdoe@msp.example' });
  });

  it('pings with one cheap authenticated call', async () => {
    await clientOf(fastHttp()).ping();
    expect(fake.calls()).toBe(1);
    expect(fake.lastRequest()!.query.get('pageSize')).toBe('1');
  });

  it('raises a 429 in a run at once with its Retry-After (the run is rescheduled); a ping waits it out and succeeds', async () => {
    quiet();
    fake.failNext(1, { status: 429, retryAfter: 7 });
    const error = await runError(tickets(fastHttp({ maxRetryAfterMs: 60 })));
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error).toMatchObject({ vendor: 'connectwise', retryAfterSeconds: 7, httpStatus: 503 });
    expect(fake.calls()).toBe(1);
    expect(await idsOf(tickets(fastHttp()), incremental())).toEqual(['1']);
    fake.requests.length = 0;
    fake.failNext(1, { status: 429, retryAfter: 1 });
    await clientOf(fastHttp({ maxRetryAfterMs: 60 })).ping();
    expect(fake.calls()).toBe(2);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    quiet();
    fake.failNext(1, { status: 429, retryAfter: new Date(Date.now() + 30_000).toUTCString() });
    const limited = await runError(tickets(fastHttp()));
    expect(limited).toBeInstanceOf(VendorRateLimitedError);
    expect((limited as VendorRateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(28);
    expect((limited as VendorRateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(30);
    // A 503 is waited out, unless the wait would end past the walk's deadline.
    fake.failNext(1, { status: 503, retryAfter: new Date(Date.now() + 30_000).toUTCString() });
    const unavailable = await runError(tickets(fastHttp({ maxRetryAfterMs: 60_000 }), 3, { ...WALK, timeoutMs: 5_000 }));
    expect(unavailable).toBeInstanceOf(VendorUnavailableError);
    expect(unavailable.message).toMatch(/^connectwise is unavailable: asked to retry after (29|30) s, past the walk's deadline$/);
    expect(fake.calls()).toBe(2);
  });

  it('retries 500s, then fails with VendorHttpError carrying the status', async () => {
    fake.failNext(10, { status: 500 });
    const error = await runError(tickets(fastHttp({ maxAttempts: 2 })));
    expect(error).toBeInstanceOf(VendorHttpError);
    expect(error).toMatchObject({ vendor: 'connectwise', status: 500, httpStatus: 502, problemType: '/problems/vendor-error' });
    expect(fake.calls()).toBe(3);
  });

  it('does not retry a 400 or a 501', async () => {
    fake.failNext(1, { status: 400 });
    expect(await runError(tickets(fastHttp()))).toMatchObject({ status: 400 });
    fake.failNext(1, { status: 501 });
    expect(await runError(tickets(fastHttp()))).toMatchObject({ status: 501 });
    expect(fake.calls()).toBe(2);
  });

  it('times out a hung request with VendorTimeoutError', async () => {
    fake.hang(1000);
    const error = await runError(tickets(fastHttp({ timeoutMs: 100 })));
    expect(error).toBeInstanceOf(VendorTimeoutError);
    expect(error).toMatchObject({ httpStatus: 504, problemType: '/problems/vendor-timeout', timeoutMs: 100 });
    expect(fake.calls()).toBe(1);
  });

  it('opens the circuit after consecutive failures and then fails fast without reaching the vendor', async () => {
    const http = fastHttp({ maxAttempts: 0, breakerThreshold: 3 });
    fake.failNext(10, { status: 503 });
    for (let i = 0; i < 3; i++) expect(await runError(tickets(http))).toBeInstanceOf(VendorHttpError);
    expect(http.breakerStates()).toEqual({ [KEY('connectwise')]: 'open' });
    const error = await runError(tickets(http));
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error).toMatchObject({ httpStatus: 503, problemType: '/problems/vendor-unavailable', retryAfterSeconds: 60 });
    expect(fake.calls()).toBe(3);
  });

  it('lets one trial call through once the circuit is half-open, and closes it on success', async () => {
    quiet();
    const http = fastHttp({ maxAttempts: 0, breakerThreshold: 2, halfOpenAfterMs: 40 });
    fake.failNext(2, { status: 500 });
    await runError(tickets(http));
    await runError(tickets(http));
    expect(await runError(tickets(http))).toBeInstanceOf(VendorUnavailableError);
    expect(fake.calls()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await idsOf(tickets(http), incremental())).toEqual(['1']);
    expect(http.breakerStates()[KEY('connectwise')]).toBe('closed');
  });

  it('keeps a circuit per breaker key', async () => {
    quiet();
    const http = fastHttp({ maxAttempts: 0, breakerThreshold: 1 });
    fake.failNext(1, { status: 500 });
    await runError(new ConnectWiseTicketsFetcher(clientOf(http, 3, WALK, 'connectwise:tenant_a')));
    expect(await idsOf(new ConnectWiseTicketsFetcher(clientOf(http, 3, WALK, 'connectwise:tenant_b')), incremental())).toEqual(['1']);
    expect(http.breakerStates()).toEqual({ 'connectwise:tenant_a': 'open', 'connectwise:tenant_b': 'closed' });
  });

  it('caps concurrent requests per vendor: a page\'s description notes queue behind the bulkhead', async () => {
    fake.tickets = [1, 2, 3, 4, 5, 6].map((id) => ({ ...cwTicket(id, 12), owner: null }));
    fake.hang(30, 6, '/notes');
    expect(await idsOf(tickets(fastHttp({ concurrencyPerVendor: 2 }), 10), incremental())).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(fake.calls('/notes')).toBe(6);
    expect(fake.maxInFlight).toBe(2);
  });

  it('reports bad credentials as VendorAuthError without leaking them', async () => {
    const integration = fake.integration({ private_key: 'wrong-PRIVATE-key-0001' });
    const error = await runError(new ConnectWiseTicketsFetcher(new ConnectWiseClient(integration, fastHttp(), KEY('connectwise'), { walk: WALK })));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 401, httpStatus: 502 });
    expect(error.message).toContain('UserNotAuthenticated');
    expect(fake.calls()).toBe(1);
    expectNoSecrets(error, ['wrong-PRIVATE-key-0001', Buffer.from(`mspco+cw-public-4411:wrong-PRIVATE-key-0001`).toString('base64')]);
  });

  it('redacts a credential the vendor echoes in an error body', async () => {
    fake.failNext(1, { status: 400, body: { code: 'InvalidObject', message: `key ${fake.credentials.private_key} rejected`, errors: null } });
    const error = await runError(tickets(fastHttp()));
    expect(error.message).toContain('[redacted]');
    expectNoSecrets(error, [fake.credentials.private_key]);
  });

  it('reports a malformed JSON body as VendorDataError', async () => {
    fake.failNext(1, { status: 200, rawBody: '[{"id": 1,' });
    const error = await runError(tickets(fastHttp()));
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error).toMatchObject({ vendor: 'connectwise', field: 'body', problemType: '/problems/vendor-data' });
  });

  it('reports an unreachable vendor as VendorUnavailableError after retrying', async () => {
    const integration = fake.integration();
    await fake.close();
    fake = await FakeConnectWise.start();
    const error = await runError(new ConnectWiseTicketsFetcher(new ConnectWiseClient(integration, fastHttp({ maxAttempts: 1 }), KEY('connectwise'), { walk: WALK })));
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error.message).toContain('network error');
    expectNoSecrets(error, [fake.credentials.private_key]);
  });
});

describe('SmileBack client against a fake SmileBack', () => {
  let fake: FakeSmileBack;
  beforeEach(async () => {
    fake = await FakeSmileBack.start();
  });
  afterEach(() => fake.close());

  const clientOf = (http: VendorHttp, pageSize = 2, over = {}) => new SmileBackClient(fake.integration(over), http, KEY('smileback'), { pageSize, walk: WALK });
  const reviews = (http: VendorHttp, pageSize = 2, over = {}) => new SmileBackReviewsFetcher(clientOf(http, pageSize, over));
  const secrets = () => [fake.credentials.client_secret, fake.credentials.password];

  it('gets a password-grant token, then pages through every review in the window with it', async () => {
    fake.reviews = [review(1, 11), review(2, 12), review(3, 2), review(4, 13), review(5, 14), review(6, 15), { ...review(7, 16), rating: null }];
    const fetcher = reviews(fastHttp());
    const pages = await pagesOf(fetcher, incremental());
    const changes = pages.flatMap((p) => p.changes);
    expect(changes.map((c) => c.vendorId)).toEqual(['1', '2', '4', '5', '6']);
    // Keyset pages: each starts at the last `last_modified` of the one before (its reviews there not repeated).
    expect(fake.calls('/api/v3/reviews/')).toBe(5);
    expect(fake.tokensIssued).toBe(1);
    const tokenRequest = fake.lastRequest('/api/token/')!;
    expect(tokenRequest.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({
      grant_type: 'password',
      username: fake.credentials.username,
      password: fake.credentials.password,
      client_id: fake.credentials.client_id,
      client_secret: fake.credentials.client_secret,
      scope: 'read',
    });
    expect(tokenRequest.query.toString()).toBe('');
    const lists = fake.requests.filter((r) => r.path === '/api/v3/reviews/');
    for (const req of lists) {
      expect(req.headers.authorization).toMatch(/^Bearer fake-access-1-/);
      expect(req.query.get('limit')).toBe('2');
      expect(req.query.get('include_unrated')).toBe('true');
    }
    expect(lists[0].query.get('modified_since')).toBe('2026-01-10T00:00:00.000Z');
    expect(changes.map((c) => fetcher.map(c.raw, 'tenant_a')?.score)).toEqual([5, 5, 5, 5, 5]);
  });

  it('reuses the cached token across calls', async () => {
    fake.reviews = [review(1, 11)];
    const client = clientOf(fastHttp());
    await pagesOf(new SmileBackReviewsFetcher(client), incremental());
    await client.ping();
    expect(fake.tokensIssued).toBe(1);
    expect(fake.calls('/api/v3/reviews/')).toBe(2);
  });

  it('refreshes an expired token once, mid-paging, and finishes the walk', async () => {
    fake.reviews = [review(1, 11), review(2, 12), review(3, 13), review(4, 14), review(5, 15)];
    fake.expireTokens(1);
    expect(await idsOf(reviews(fastHttp()), incremental())).toEqual(['1', '2', '3', '4', '5']);
    expect(fake.tokensIssued).toBe(2);
    // Four keyset pages and the one call the expired token cost.
    expect(fake.calls('/api/v3/reviews/')).toBe(5);
  });

  it('refreshes a token shortly before it expires, without waiting for a 401', async () => {
    fake.tokenLifetimeSeconds = 1;
    const client = clientOf(fastHttp());
    await client.ping();
    await new Promise((resolve) => setTimeout(resolve, 550));
    await client.ping();
    expect(fake.tokensIssued).toBe(2);
    expect(fake.calls('/api/v3/reviews/')).toBe(2);
  });

  it('gives up with VendorAuthError when a fresh token is refused too', async () => {
    fake.failNext(2, { status: 401, path: '/api/v3/reviews/' });
    const error = await runError(reviews(fastHttp()));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(fake.tokensIssued).toBe(2);
    expect(fake.calls('/api/v3/reviews/')).toBe(2);
  });

  it('reports a wrong password as VendorAuthError without leaking credentials', async () => {
    const error = await runError(reviews(fastHttp(), 2, { password: 'wrong-PASSWORD-zz9' }));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 400 });
    expect(error.message).toContain('invalid_grant');
    expect(fake.calls('/api/v3/reviews/')).toBe(0);
    expectNoSecrets(error, [...secrets(), 'wrong-PASSWORD-zz9']);
  });

  it('reports a wrong client secret as VendorAuthError 401', async () => {
    const error = await vendorFailure(clientOf(fastHttp(), 2, { client_secret: 'wrong-SECRET-abc' }).ping());
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 401 });
    expectNoSecrets(error, [...secrets(), 'wrong-SECRET-abc']);
  });

  it('raises a throttled page at once with its Retry-After; the next run succeeds', async () => {
    fake.reviews = [review(1, 11)];
    fake.failNext(1, { status: 429, retryAfter: 2, path: '/api/v3/reviews/' });
    const error = await runError(reviews(fastHttp()));
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error).toMatchObject({ vendor: 'smileback', retryAfterSeconds: 2 });
    expect(fake.calls('/api/v3/reviews/')).toBe(1);
    expect(await idsOf(reviews(fastHttp()), incremental())).toEqual(['1']);
  });

  it('refuses a next link to another origin', async () => {
    fake.failNext(1, { status: 200, body: { count: 2, next: 'http://127.0.0.2:9/api/v3/reviews/?offset=1', results: [review(1, 11)] }, path: '/api/v3/reviews/' });
    const error = await runError(reviews(fastHttp()));
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error).toMatchObject({ field: 'next' });
    expect(fake.calls('/api/v3/reviews/')).toBe(1);
  });

  it('hands an id listed twice on a page on once: the copy modified last', async () => {
    const newer = { ...review(1, 12), comment: 'newer' };
    const older = { ...review(1, 11), comment: 'older' };
    fake.failNext(1, { status: 200, body: { count: 3, next: null, results: [newer, review(2, 11), older] }, path: '/api/v3/reviews/' });
    const changes = (await pagesOf(reviews(fastHttp(), 3), incremental())).flatMap((p) => p.changes);
    expect(changes.map((c) => [c.vendorId, (c.raw as SmileBackReview).comment])).toEqual([['1', 'newer'], ['2', '']]);
  });
});

describe('SentinelOne client against a fake SentinelOne', () => {
  let fake: FakeSentinelOne;
  beforeEach(async () => {
    fake = await FakeSentinelOne.start();
  });
  afterEach(() => fake.close());

  const clientOf = (http: VendorHttp, over = {}, walk = WALK) => new SentinelOneClient(fake.integration(over), http, KEY('sentinelone'), { pageSize: 2, walk });
  const threats = (http: VendorHttp, over = {}, walk = WALK) => new SentinelOneThreatsFetcher(clientOf(http, over, walk));
  const names = (changes: Array<{ raw: unknown }>) => changes.map((c) => (c.raw as SentinelOneThreat).agentRealtimeInfo?.agentComputerName);

  it('walks the cursor with the same filters on every page and hands on every threat in scope', async () => {
    fake.threats = [threat(1, 11), threat(2, 12), threat(3, 2), threat(4, 13), threat(5, 14, 'acc-other'), threat(6, 15, 'acc-2'), threat(7, 16)];
    const fetcher = threats(fastHttp(), { account_ids: ['acc-1', 'acc-2'] });
    const changes = (await pagesOf(fetcher, incremental())).flatMap((p) => p.changes);
    expect(names(changes)).toEqual(['PC-1', 'PC-2', 'PC-4', 'PC-6', 'PC-7']);
    expect(fake.calls('/web/api/v2.1/threats')).toBe(3);
    for (const req of fake.requests) {
      expect(req.headers.authorization).toBe(`ApiToken ${fake.apiToken}`);
      expect(Object.fromEntries([...req.query].filter(([key]) => key !== 'cursor'))).toEqual({
        updatedAt__gte: '2026-01-10T00:00:00.000Z',
        sortBy: 'updatedAt',
        sortOrder: 'asc',
        limit: '2',
        accountIds: 'acc-1,acc-2',
      });
    }
    expect(fake.requests.map((r) => r.query.has('cursor'))).toEqual([false, true, true]);
    expect(changes.map((c) => fetcher.map(c.raw, 'tenant_a').severity)).toEqual(['medium', 'medium', 'medium', 'medium', 'medium']);
  });

  it('raises a 429 at once with its Retry-After', async () => {
    fake.threats = [threat(1, 11)];
    fake.failNext(1, { status: 429, retryAfter: 1 });
    const error = await runError(threats(fastHttp()));
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error).toMatchObject({ vendor: 'sentinelone', retryAfterSeconds: 1 });
    expect(fake.calls()).toBe(1);
  });

  it('rejects a bad token with VendorAuthError and keeps the token out of the error', async () => {
    const error = await vendorFailure(clientOf(fastHttp(), { api_token: 'S1-wrong-TOKEN-123' }).ping());
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error.message).toContain('Authentication Failed');
    expectNoSecrets(error, ['S1-wrong-TOKEN-123', fake.apiToken]);
    const run = await runError(threats(fastHttp(), { api_token: 'S1-wrong-TOKEN-123' }));
    expect(run).toBeInstanceOf(VendorAuthError);
    expectNoSecrets(run, ['S1-wrong-TOKEN-123', fake.apiToken]);
  });

  it('redacts the API token if the vendor echoes it', async () => {
    fake.failNext(1, { status: 400, body: { errors: [{ detail: `token ${fake.apiToken} lacks scope`, title: 'Bad Request' }] } });
    const error = await runError(threats(fastHttp()));
    expect(error).toMatchObject({ status: 400 });
    expectNoSecrets(error, [fake.apiToken]);
  });

  it('walks every threat not yet resolved, however old, with the same filters on every page', async () => {
    const withStatus = (t: SentinelOneThreat, incidentStatus: string): SentinelOneThreat => ({ ...t, threatInfo: { ...t.threatInfo, incidentStatus } });
    fake.threats = [
      threat(4, 1), // unresolved, untouched since long before the window
      withStatus(threat(2, 3), 'in_progress'),
      withStatus(threat(3, 2), 'resolved'),
      withStatus(threat(5, 12), 'resolved'), // updated in the window, but resolved: the other walk's
      threat(1, 14),
      threat(6, 13, 'acc-other'),
      threat(7, 2),
    ];
    const pages = await pagesOf(threats(fastHttp(), { account_ids: ['acc-1'] }), request({ from: SINCE }));
    expect(names(pages.flatMap((p) => p.changes))).toEqual(['PC-5', 'PC-1', 'PC-1', 'PC-2', 'PC-4', 'PC-7']);
    const open = fake.requests.filter((r) => r.query.has('incidentStatuses'));
    expect(open).toHaveLength(2);
    for (const req of open) {
      expect(Object.fromEntries([...req.query].filter(([key]) => key !== 'cursor'))).toEqual({
        incidentStatuses: 'unresolved,in_progress',
        sortBy: 'id',
        sortOrder: 'asc',
        limit: '2',
        accountIds: 'acc-1',
      });
    }
    expect(open.map((r) => r.query.has('cursor'))).toEqual([false, true]);
  });

  it('the fake refuses a parameter it does not implement and an unknown status, as a wrong query must not pass', async () => {
    const ask = (query: string) => fetch(`${fake.baseUrl}/web/api/v2.1/threats?${query}`, { headers: { Authorization: `ApiToken ${fake.apiToken}` } });
    expect((await ask('incidentStatus=unresolved')).status).toBe(400);
    expect((await ask('incidentStatuses=UNRESOLVED')).status).toBe(400);
    expect((await ask('incidentStatuses=unresolved,in_progress')).status).toBe(200);
  });

  it('retries 502s then reports VendorHttpError', async () => {
    fake.failNext(5, { status: 502 });
    const error = await runError(threats(fastHttp({ maxAttempts: 1 })));
    expect(error).toBeInstanceOf(VendorHttpError);
    expect(error).toMatchObject({ status: 502, vendor: 'sentinelone' });
    expect(fake.calls()).toBe(2);
  });

  it('hands an id listed twice on a page on once: the copy updated last, else the later one', async () => {
    const newer = threat(1, 14);
    const older = { ...threat(1, 12), agentRealtimeInfo: { accountId: 'acc-1', siteId: 'site-1', agentComputerName: 'PC-older' } };
    const undated = (name: string): SentinelOneThreat => ({ ...threat(2, 12), agentRealtimeInfo: { accountId: 'acc-1', agentComputerName: name } });
    const withoutUpdate = (t: SentinelOneThreat): SentinelOneThreat => ({ ...t, threatInfo: { ...t.threatInfo, updatedAt: undefined } });
    // Sorted by id, stable: the pages (2 a page) come in this order.
    fake.threats = [newer, older, withoutUpdate(undated('PC-first')), withoutUpdate(undated('PC-later'))];
    const client = clientOf(fastHttp());
    const filters = { incidentStatuses: 'unresolved,in_progress', sortBy: 'id', sortOrder: 'asc' };
    const pages: string[][] = [];
    for await (const page of client.streamWalk(undefined, (walk) => client.threatPages(walk, filters, null))) {
      pages.push(page.rows.map((t) => String(t.agentRealtimeInfo?.agentComputerName)));
    }
    expect(pages).toEqual([['PC-1'], ['PC-later']]);
    expect(fake.calls()).toBe(2);
  });

  it('refuses a walk past its record budget, naming it', async () => {
    fake.threats = [threat(1, 11), threat(2, 12), threat(3, 13)];
    const fetcher = threats(fastHttp(), {}, { maxRecords: 3, maxBytes: 64 * 1024 * 1024, timeoutMs: 10_000 });
    expect(await idsOf(fetcher, incremental())).toHaveLength(3);
    fake.threats.push(threat(4, 14));
    const error = await runError(fetcher);
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error.message).toBe('sentinelone response: the walk of GET /web/api/v2.1/threats passed VENDOR_WALK_MAX_RECORDS (3 records) at page 2');
  });

  it('stops at once when its caller stops it, with the reason it was given', async () => {
    fake.threats = [threat(1, 11), threat(2, 12), threat(3, 13)];
    // Hung past the walk's deadline: a stop not honoured at once would fail with the deadline instead.
    fake.hang(20_000, 1, '/threats');
    const stop = new AbortController();
    const reason = new VendorUnavailableError('sentinelone', 'nobody waits');
    setTimeout(() => stop.abort(reason), 50);
    expect(await runError(threats(fastHttp({ timeoutMs: 20_000 })), incremental(stop.signal))).toBe(reason);
    expect(fake.calls()).toBe(1);
  });

  it('does not count walks its callers stopped as vendor failures: the breaker stays closed', async () => {
    fake.threats = [threat(1, 11)];
    fake.hang(300, 3, '/threats');
    const http = fastHttp({ timeoutMs: 1000, breakerThreshold: 2 });
    for (let i = 0; i < 3; i++) {
      const stop = new AbortController();
      setTimeout(() => stop.abort(new VendorUnavailableError('sentinelone', 'nobody waits')), 30);
      expect(await runError(threats(http), incremental(stop.signal))).toMatchObject({ message: 'sentinelone is unavailable: nobody waits' });
    }
    expect(await idsOf(threats(http), incremental())).toHaveLength(1);
    expect(http.breakerStates()[KEY('sentinelone')]).toBe('closed');
  });
});

describe('Defender client against a fake Microsoft identity platform and Defender APIs', () => {
  let fake: FakeDefender;
  beforeEach(async () => {
    fake = await FakeDefender.start();
  });
  afterEach(() => fake.close());

  const clientOf = (http: VendorHttp, over = {}, tokenCache?: OAuthTokenCache) =>
    new DefenderClient(fake.integration(over), http, KEY('defender'), { pageSize: 2, tokenCache, walk: WALK });
  const alerts = (http: VendorHttp, over = {}) => new DefenderAlertsFetcher(clientOf(http, over));
  const tokenPath = () => `/${fake.credentials.azure_tenant_id}/oauth2/v2.0/token`;
  const graphCalls = () => fake.requests.filter((r) => r.path === '/v1.0/security/alerts_v2');
  const endpointCalls = () => fake.requests.filter((r) => r.path === '/api/alerts');

  it('gets a Graph token per tenant and follows @odata.nextLink over every MDE alert in the window', async () => {
    fake.graphAlerts = [
      graphAlert(1, 11),
      graphAlert(2, 12),
      graphAlert(3, 13, 'microsoftDefenderForOffice365'),
      graphAlert(4, 2),
      graphAlert(5, 14),
      graphAlert(6, 15),
      graphAlert(7, 16),
    ];
    const fetcher = alerts(fastHttp());
    const changes = (await pagesOf(fetcher, incremental())).flatMap((p) => p.changes);
    expect(changes.map((c) => c.vendorId)).toEqual(['da1', 'da2', 'da5', 'da6', 'da7']);
    expect(graphCalls()).toHaveLength(3);
    const token = fake.lastRequest(tokenPath())!;
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({
      client_id: fake.credentials.client_id,
      client_secret: fake.credentials.client_secret,
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    });
    const first = graphCalls()[0];
    expect(first.query.get('$filter')).toBe("lastUpdateDateTime ge 2026-01-10T00:00:00.000Z and (serviceSource eq 'microsoftDefenderForEndpoint')");
    expect(first.query.get('$top')).toBe('2');
    for (const req of graphCalls()) expect(req.headers.authorization).toMatch(/^Bearer /);
    expect(changes.map((c) => fetcher.map(c.raw, 'tenant_a').detected_at)).toContain('2026-01-11T12:00:00.123Z');
  });

  it("widens the serviceSource filter to the integration's service_sources", async () => {
    fake.graphAlerts = [graphAlert(1, 11), graphAlert(3, 13, 'microsoftDefenderForOffice365')];
    const fetcher = alerts(fastHttp(), { service_sources: ['microsoftDefenderForEndpoint', 'microsoftDefenderForOffice365'] });
    expect(await idsOf(fetcher, incremental())).toEqual(['da1', 'da3']);
  });

  it('refreshes an expired token mid-paging and finishes the walk', async () => {
    fake.graphAlerts = [graphAlert(1, 11), graphAlert(2, 12), graphAlert(3, 13), graphAlert(4, 14), graphAlert(5, 15)];
    fake.expireTokens(1);
    expect(await idsOf(alerts(fastHttp()), incremental())).toHaveLength(5);
    expect(fake.tokensIssued).toBe(2);
  });

  it('shares one token per (tenant, scope) through a shared cache', async () => {
    const cache = new OAuthTokenCache();
    await clientOf(fastHttp(), {}, cache).ping();
    await clientOf(fastHttp(), {}, cache).ping();
    await clientOf(fastHttp(), { api: 'endpoint' }, cache).ping();
    expect(fake.tokensIssued).toBe(2);
    expect(fake.calls(tokenPath())).toBe(2);
  });

  it("refuses an @odata.nextLink that leaves the base URL's origin", async () => {
    fake.graphAlerts = [graphAlert(1, 11), graphAlert(2, 12), graphAlert(5, 14)];
    fake.nextLinkOrigin = 'http://127.0.0.2:9';
    const error = await runError(alerts(fastHttp()));
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error).toMatchObject({ vendor: 'defender', field: '@odata.nextLink' });
    expect(graphCalls()).toHaveLength(1);
  });

  it('pages the endpoint API with $skip until a short page, with the endpoint scope', async () => {
    fake.endpointAlerts = [1, 2, 3, 4, 5].map((n) => ({
      id: `mde${n}`,
      title: `MDE ${n}`,
      severity: 'UnSpecified',
      status: 'InProgress',
      alertCreationTime: `${at(10 + n).slice(0, 19)}.5000000Z`,
      lastUpdateTime: at(10 + n),
      computerDnsName: `pc-${n}.contoso.local`,
    }));
    const fetcher = alerts(fastHttp(), { api: 'endpoint' });
    const changes = (await pagesOf(fetcher, incremental())).flatMap((p) => p.changes);
    expect(changes).toHaveLength(5);
    expect(endpointCalls().map((r) => r.query.get('$skip'))).toEqual([null, '2', '4']);
    expect(new URLSearchParams(fake.lastRequest(tokenPath())!.body).get('scope')).toBe('https://api.securitycenter.microsoft.com/.default');
    for (const req of endpointCalls()) expect(req.query.get('$filter')).toBe('lastUpdateTime ge 2026-01-10T00:00:00.000Z');
    expect(fetcher.map(changes[0].raw, 'tenant_a')).toMatchObject({ severity: 'low', status: 'investigating' });
  });

  it("follows the endpoint API's nextLink when it sends one", async () => {
    fake.endpointNextLinks = true;
    fake.endpointAlerts = [1, 2, 3].map((n) => ({ id: `mde${n}`, lastUpdateTime: at(11) }));
    expect(await idsOf(alerts(fastHttp(), { api: 'endpoint' }), incremental())).toEqual(['mde1', 'mde2', 'mde3']);
    expect(endpointCalls()).toHaveLength(2);
  });

  it('hands an id listed twice on a page on once (the copy updated last), and still skips by what the page held', async () => {
    const alert = (id: number, day: number): DefenderEndpointAlert => ({ id: `mde${id}`, status: 'New', lastUpdateTime: at(day) });
    fake.endpointAlerts = [alert(1, 12), alert(2, 12), alert(3, 13)];
    fake.failNext(1, { status: 200, body: { value: [alert(1, 12), alert(1, 11)] }, path: '/api/alerts' });
    const changes = (await pagesOf(alerts(fastHttp(), { api: 'endpoint' }), incremental())).flatMap((p) => p.changes);
    expect(changes.map((c) => [c.vendorId, c.vendorUpdatedAt])).toEqual([['mde1', '2026-01-12T12:00:00.000Z'], ['mde3', '2026-01-13T12:00:00.000Z']]);
    expect(endpointCalls().map((r) => r.query.get('$skip'))).toEqual([null, '2']);
  });

  it('lists every Graph alert not yet resolved, however old, following @odata.nextLink', async () => {
    const withStatus = (a: DefenderGraphAlert, status: string): DefenderGraphAlert => ({ ...a, status });
    fake.graphAlerts = [
      graphAlert(1, 1),
      withStatus(graphAlert(2, 2), 'inProgress'),
      withStatus(graphAlert(3, 3), 'resolved'),
      withStatus(graphAlert(4, 14), 'resolved'),
      withStatus(graphAlert(5, 4), 'unknown'),
      graphAlert(6, 5, 'microsoftDefenderForOffice365'),
      graphAlert(7, 15),
    ];
    const pages = await pagesOf(alerts(fastHttp()), request({ from: SINCE }));
    // The updated-in-window walk (da4, da7), then the open ones.
    expect(pages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['da4', 'da7', 'da1', 'da2', 'da5', 'da7']);
    const open = graphCalls().filter((r) => r.query.get('$filter')?.startsWith('(status'));
    expect(open).toHaveLength(2);
    expect(open[0].query.get('$filter')).toBe("(status eq 'new' or status eq 'inProgress' or status eq 'unknown') and (serviceSource eq 'microsoftDefenderForEndpoint')");
    expect(open[0].query.get('$top')).toBe('2');
  });

  it('lists every endpoint-API alert not yet resolved, however old', async () => {
    fake.endpointAlerts = (['New', 'InProgress', 'Resolved', 'Unknown', 'New'] as const).map((status, i) => ({ id: `mde${i}`, status, lastUpdateTime: at(1 + i) }));
    expect(await idsOf(alerts(fastHttp(), { api: 'endpoint' }), request({ from: SINCE }))).toEqual(['mde0', 'mde1', 'mde3', 'mde4']);
    const open = "(status eq 'New' or status eq 'InProgress' or status eq 'Unknown')";
    expect(endpointCalls().map((r) => [r.query.get('$filter'), r.query.get('$skip')])).toEqual([
      ['lastUpdateTime ge 2026-01-10T00:00:00.000Z', null],
      [open, null],
      [open, '2'],
      [open, '4'],
    ]);
  });

  it('the fake refuses a $filter on a property or enum value the API does not take', async () => {
    const ask = async (filter: string) => {
      fake.graphAlerts = [graphAlert(1, 11)];
      const body = new URLSearchParams({ client_id: fake.credentials.client_id, client_secret: fake.credentials.client_secret, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' });
      const issued = (await (await fetch(`${fake.baseUrl}/${fake.credentials.azure_tenant_id}/oauth2/v2.0/token`, { method: 'POST', body })).json()) as { access_token: string };
      return (await fetch(`${fake.baseUrl}/v1.0/security/alerts_v2?$filter=${encodeURIComponent(filter)}`, { headers: { Authorization: `Bearer ${issued.access_token}` } })).status;
    };
    expect(await ask("status eq 'in_progress'")).toBe(400);
    expect(await ask("investigationState eq 'running'")).toBe(400);
    expect(await ask("lastUpdateDateTime ge '2026-01-10T00:00:00Z'")).toBe(400);
    expect(await ask("status eq 'inProgress' or status eq 'new'")).toBe(200);
  });

  it('reports a wrong client secret as VendorAuthError without leaking it', async () => {
    const error = await runError(alerts(fastHttp(), { client_secret: 'wrong-entra-SECRET-1' }));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 401 });
    expect(error.message).toContain('AADSTS7000215');
    expect(graphCalls()).toHaveLength(0);
    expectNoSecrets(error, ['wrong-entra-SECRET-1', fake.credentials.client_secret]);
  });

  it('reports an unknown customer tenant as VendorAuthError', async () => {
    const error = await vendorFailure(clientOf(fastHttp(), { azure_tenant_id: '99999999-0000-0000-0000-000000000000' }).ping());
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 400 });
    expect(error.message).toContain('AADSTS90002');
  });

  it('redacts the client secret if the token endpoint echoes it', async () => {
    fake.failNext(1, { status: 400, body: { error: 'invalid_request', error_description: `secret ${fake.credentials.client_secret} malformed` }, path: tokenPath() });
    const error = await runError(alerts(fastHttp()));
    expect(error).toBeInstanceOf(VendorError);
    expectNoSecrets(error, [fake.credentials.client_secret]);
  });

  it('times out a hung token endpoint', async () => {
    fake.hang(1000, 1, tokenPath());
    const error = await runError(alerts(fastHttp({ timeoutMs: 100 })));
    expect(error).toBeInstanceOf(VendorTimeoutError);
    expect(graphCalls()).toHaveLength(0);
  });

  it('raises a throttled Graph page at once with its Retry-After; the next run succeeds', async () => {
    fake.graphAlerts = [graphAlert(1, 11)];
    fake.failNext(1, { status: 429, retryAfter: 1, path: '/v1.0/security/alerts_v2' });
    const error = await runError(alerts(fastHttp()));
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error).toMatchObject({ vendor: 'defender', retryAfterSeconds: 1 });
    expect(graphCalls()).toHaveLength(1);
    expect(await idsOf(alerts(fastHttp()), incremental())).toEqual(['da1']);
  });
});
