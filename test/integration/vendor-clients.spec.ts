import { ConnectWiseClient, CONNECTWISE_ACCEPT, CwTicket } from '../../src/integrations/connectwise/connectwise.client.js';
import { memberEmailMap } from '../../src/integrations/connectwise/connectwise-members.js';
import { descriptionFromNotes, mapConnectWiseTicket } from '../../src/tickets/sources/connectwise.mappers.js';
import { DefenderClient, DefenderGraphAlert } from '../../src/integrations/defender/defender.client.js';
import { mapDefenderEndpointAlert, mapDefenderGraphAlert } from '../../src/security-alerts/sources/defender.mappers.js';
import {
  VendorAuthError,
  VendorDataError,
  VendorError,
  VendorHttpError,
  VendorTimeoutError,
  VendorUnavailableError,
} from '../../src/integrations/http/vendor-errors.js';
import { OAuthTokenCache } from '../../src/integrations/http/oauth-token.client.js';
import { VendorHttp, VendorHttpOptions } from '../../src/integrations/http/vendor-http.js';
import { SentinelOneClient, SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { mapSentinelOneThreat } from '../../src/security-alerts/sources/sentinelone.mappers.js';
import { SmileBackClient, SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import { mapSmileBackReview } from '../../src/csat/sources/smileback.mappers.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { vendorFailure } from '../support/vendor-failure.js';

const SINCE = new Date('2026-01-10T00:00:00.000Z');
const KEY = (vendor: string) => `${vendor}:tenant_a`;

function fastHttp(over: Partial<VendorHttpOptions> = {}): VendorHttp {
  return new VendorHttp({
    timeoutMs: 200,
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

const failure = vendorFailure;

function expectNoSecrets(error: unknown, secrets: string[]): void {
  const text = `${(error as Error).message}\n${JSON.stringify(error)}\n${String((error as Error).stack)}`;
  for (const secret of secrets) expect(text).not.toContain(secret);
}

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

  const clientOf = (http: VendorHttp, pageSize = 3) => new ConnectWiseClient(fake.integration(), http, KEY('connectwise'), { pageSize });

  it('sends Basic company+public:private, clientId and the pinned Accept header', async () => {
    fake.tickets = [cwTicket(1, 12)];
    await clientOf(fastHttp()).listTickets(SINCE);
    const { headers } = fake.lastRequest('/service/tickets')!;
    const expected = Buffer.from(`${fake.credentials.company_id}+${fake.credentials.public_key}:${fake.credentials.private_key}`).toString('base64');
    expect(headers.authorization).toBe(`Basic ${expected}`);
    expect(headers.clientid).toBe(fake.credentials.client_id);
    expect(headers.accept).toBe(CONNECTWISE_ACCEPT);
  });

  it('pages through every open ticket and every ticket updated in the window, re-sending conditions and pageSize on each page', async () => {
    const closedOld = { ...cwTicket(9, 3), closedFlag: true, closedDate: at(3) };
    const openOld = cwTicket(8, 2); // untouched long before the window, still open: held all the same
    fake.tickets = [cwTicket(5, 12), cwTicket(2, 11), closedOld, cwTicket(7, 15), cwTicket(1, 10), cwTicket(4, 20), openOld, cwTicket(3, 13)];
    const tickets = await clientOf(fastHttp()).listTickets(SINCE);
    expect(tickets.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(fake.calls('/service/tickets')).toBe(3);
    for (const req of fake.requests) {
      expect(req.query.get('conditions')).toBe('closedFlag=false or lastUpdated>=[2026-01-10T00:00:00Z]');
      expect(req.query.get('pageSize')).toBe('3');
      expect(req.query.get('orderBy')).toBe('id asc');
    }
    expect(fake.requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
  });

  it('lists the ids of the closed tickets updated in the window but opened before it, ids only', async () => {
    const closed = (id: number, enteredDay: number, updatedDay: number, extra: Partial<CwTicket> = {}): CwTicket => ({
      ...cwTicket(id, updatedDay),
      closedFlag: true,
      closedDate: at(updatedDay),
      _info: { dateEntered: at(enteredDay), lastUpdated: at(updatedDay) },
      ...extra,
    });
    fake.tickets = [
      closed(1, 2, 12), // opened before the window, closed in it: wanted
      closed(2, 11, 12), // opened in the window: its entries are all updated since
      closed(3, 2, 5), // closed before the window
      { ...cwTicket(4, 12), _info: { dateEntered: at(2), lastUpdated: at(12) } }, // still open
      // Named Closed without the flag (counted closed by the KPIs): wanted
      { ...cwTicket(5, 12), status: { id: 9, name: 'Closed' }, _info: { dateEntered: at(3), lastUpdated: at(12) } },
      closed(6, 9, 10), // dateEntered just before the window: wanted
      // Entered exactly at the window start (2026-01-10T00:00:00Z): not before it
      { ...closed(7, 10, 10), _info: { dateEntered: '2026-01-10T00:00:00Z', lastUpdated: at(10) } },
    ];
    expect(await clientOf(fastHttp(), 2).listClosedTicketIdsOpenedBefore(SINCE)).toEqual([1, 5, 6]);
    expect(fake.calls('/service/tickets')).toBe(2);
    for (const req of fake.requests) {
      expect(req.query.get('conditions')).toBe(
        '(closedFlag=true or status/name="Closed") and lastUpdated>=[2026-01-10T00:00:00Z] and _info/dateEntered<[2026-01-10T00:00:00Z]',
      );
      expect(req.query.get('fields')).toBe('id');
      expect(req.query.get('orderBy')).toBe('id asc');
      expect(req.query.get('pageSize')).toBe('2');
    }
  });

  it('fetches every time entry of the given tickets, any date, service and project, in batches of 100', async () => {
    const entryOf = (id: number, chargeToId: number, chargeToType = 'ServiceTicket', day = 2) => ({
      id,
      chargeToId,
      chargeToType,
      member: { id: 176 },
      workType: { name: 'Remote' },
      actualHours: 1,
      timeStart: at(day),
      _info: { lastUpdated: at(day) },
    });
    const ticketIds = Array.from({ length: 230 }, (_, i) => 1_000_000 + i);
    fake.timeEntries = [
      entryOf(1, 1_000_000), // old, of a wanted ticket
      entryOf(2, 1_000_150, 'ProjectTicket', 20),
      entryOf(3, 1_000_229, 'ServiceTicket', 12),
      entryOf(4, 1_000_000, 'ChargeCode'), // same number, not a ticket charge
      entryOf(5, 1_000_230), // a ticket not asked for
      entryOf(6, 1_000_001),
    ];
    const entries = await clientOf(fastHttp(), 1000).listTimeEntriesForTickets(ticketIds);
    expect(entries.map((e) => e.id)).toEqual([1, 6, 2, 3]);
    const conditions = fake.requests.map((r) => r.query.get('conditions') ?? '');
    expect(conditions).toEqual([0, 100, 200].map(
      (start) => `(chargeToType="ServiceTicket" OR chargeToType="ProjectTicket") AND chargeToId in (${ticketIds.slice(start, start + 100).join(',')})`,
    ));
    for (const req of fake.requests) {
      expect(req.path).toBe('/v4_6_release/apis/3.0/time/entries');
      expect(req.query.get('orderBy')).toBe('id asc');
      // Seven-digit ids, 100 a batch: still well under ConnectWise's ~2000 characters.
      expect(`${fake.baseUrl}${req.path}?${req.query.toString()}`.length).toBeLessThan(2000);
    }
  });

  it('pages a batch of time entries to the end, re-sending its conditions on every page', async () => {
    fake.timeEntries = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, chargeToId: 42, chargeToType: 'ServiceTicket', _info: { lastUpdated: at(1) } }));
    expect((await clientOf(fastHttp()).listTimeEntriesForTickets([42])).map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(fake.requests.map((r) => [r.query.get('page'), r.query.get('conditions')])).toEqual(
      ['1', '2', '3'].map((page) => [page, '(chargeToType="ServiceTicket" OR chargeToType="ProjectTicket") AND chargeToId in (42)']),
    );
    expect(await clientOf(fastHttp()).listTimeEntriesForTickets([])).toEqual([]);
    expect(fake.calls()).toBe(3);
  });

  it('fetches tickets by id in batches of 100, skipping ids that do not exist', async () => {
    fake.tickets = Array.from({ length: 250 }, (_, i) => ({ ...cwTicket(1000 + i, 2), closedFlag: true }));
    const wanted = [...Array.from({ length: 230 }, (_, i) => 1000 + i), 99_999];
    const tickets = await clientOf(fastHttp(), 1000).listTicketsById(wanted);
    expect(tickets.map((t) => t.id)).toEqual(wanted.slice(0, 230));
    const conditions = fake.requests.map((r) => r.query.get('conditions') ?? '');
    expect(conditions).toHaveLength(3);
    expect(conditions[0]).toBe(`id in (${wanted.slice(0, 100).join(',')})`);
    expect(conditions[2]).toBe(`id in (${wanted.slice(200).join(',')})`);
    for (const req of fake.requests) expect(`${fake.baseUrl}${req.path}?${req.query.toString()}`.length).toBeLessThan(2000);
  });

  it('stops on an empty page even if a next link is announced', async () => {
    const next = `<${fake.baseUrl}/v4_6_release/apis/3.0/service/tickets?page=2&pageSize=3>; rel="next"`;
    fake.failNext(1, { status: 200, body: [], headers: { Link: next }, path: '/service/tickets' });
    fake.tickets = [cwTicket(1, 12)];
    expect(await clientOf(fastHttp()).listTickets(SINCE)).toEqual([]);
    expect(fake.calls()).toBe(1);
  });

  it('fetches time entries, members and description notes that map to valid records', async () => {
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
    const [tickets, entries, members] = await Promise.all([client.listTickets(SINCE), client.listTimeEntries(SINCE), client.listMembers()]);
    const notes = await client.ticketNotes(184233);
    expect(fake.lastRequest('/notes')!.query.get('conditions')).toBe('detailDescriptionFlag=true');
    expect(entries.map((e) => e.id)).toEqual([1]);
    const ticket = mapConnectWiseTicket(tickets[0], {
      tenantId: 'tenant_a',
      memberEmails: memberEmailMap(members),
      description: descriptionFromNotes(notes),
    });
    expect(ticket).toMatchObject({ cw_ticket_id: '184233', owner: 'jdoe@msp.example', description: 'Outlook keeps asking for a password.' });
  });

  it('pings with one cheap authenticated call', async () => {
    await clientOf(fastHttp()).ping();
    expect(fake.calls()).toBe(1);
    expect(fake.lastRequest()!.query.get('pageSize')).toBe('1');
  });

  it('retries a 429 after its Retry-After (capped) and succeeds', async () => {
    fake.tickets = [cwTicket(1, 12)];
    fake.failNext(1, { status: 429, retryAfter: 1 });
    const started = Date.now();
    const tickets = await clientOf(fastHttp({ maxRetryAfterMs: 60 })).listTickets(SINCE);
    expect(tickets).toHaveLength(1);
    expect(fake.calls('/service/tickets')).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    fake.tickets = [cwTicket(1, 12)];
    fake.failNext(1, { status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() });
    const started = Date.now();
    await clientOf(fastHttp({ maxRetryAfterMs: 80 })).listTickets(SINCE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('retries 500s, then fails with VendorHttpError carrying the status', async () => {
    fake.failNext(10, { status: 500 });
    const error = await failure(clientOf(fastHttp({ maxAttempts: 2 })).listTickets(SINCE));
    expect(error).toBeInstanceOf(VendorHttpError);
    expect(error).toMatchObject({ vendor: 'connectwise', status: 500, httpStatus: 502, problemType: '/problems/vendor-error' });
    expect(fake.calls()).toBe(3);
  });

  it('does not retry a 400 or a 501', async () => {
    fake.failNext(1, { status: 400 });
    expect(await failure(clientOf(fastHttp()).listTickets(SINCE))).toMatchObject({ status: 400 });
    fake.failNext(1, { status: 501 });
    expect(await failure(clientOf(fastHttp()).listTickets(SINCE))).toMatchObject({ status: 501 });
    expect(fake.calls()).toBe(2);
  });

  it('times out a hung request with VendorTimeoutError', async () => {
    fake.hang(1000);
    const error = await failure(clientOf(fastHttp({ timeoutMs: 100 })).listTickets(SINCE));
    expect(error).toBeInstanceOf(VendorTimeoutError);
    expect(error).toMatchObject({ httpStatus: 504, problemType: '/problems/vendor-timeout', timeoutMs: 100 });
    expect(fake.calls()).toBe(1);
  });

  it('opens the circuit after consecutive failures and then fails fast without reaching the vendor', async () => {
    const http = fastHttp({ maxAttempts: 0, breakerThreshold: 3 });
    const client = clientOf(http);
    fake.failNext(10, { status: 503 });
    for (let i = 0; i < 3; i++) expect(await failure(client.listTickets(SINCE))).toBeInstanceOf(VendorHttpError);
    expect(http.breakerStates()).toEqual({ [KEY('connectwise')]: 'open' });
    const error = await failure(client.listTickets(SINCE));
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error).toMatchObject({ httpStatus: 503, problemType: '/problems/vendor-unavailable', retryAfterSeconds: 60 });
    expect(fake.calls()).toBe(3);
  });

  it('lets one trial call through once the circuit is half-open, and closes it on success', async () => {
    const http = fastHttp({ maxAttempts: 0, breakerThreshold: 2, halfOpenAfterMs: 40 });
    const client = clientOf(http);
    fake.failNext(2, { status: 500 });
    await failure(client.listTickets(SINCE));
    await failure(client.listTickets(SINCE));
    expect(await failure(client.listTickets(SINCE))).toBeInstanceOf(VendorUnavailableError);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await client.listTickets(SINCE);
    expect(http.breakerStates()[KEY('connectwise')]).toBe('closed');
  });

  it('keeps a circuit per breaker key', async () => {
    const http = fastHttp({ maxAttempts: 0, breakerThreshold: 1 });
    fake.failNext(1, { status: 500 });
    await failure(new ConnectWiseClient(fake.integration(), http, 'connectwise:tenant_a').listTickets(SINCE));
    await new ConnectWiseClient(fake.integration(), http, 'connectwise:tenant_b').listTickets(SINCE);
    expect(http.breakerStates()).toEqual({ 'connectwise:tenant_a': 'open', 'connectwise:tenant_b': 'closed' });
  });

  it('caps concurrent requests per vendor', async () => {
    const http = fastHttp({ concurrencyPerVendor: 2 });
    fake.hang(30, 6);
    const client = clientOf(http);
    await Promise.all(Array.from({ length: 6 }, () => client.ping()));
    expect(fake.calls()).toBe(6);
    expect(fake.maxInFlight).toBe(2);
  });

  it('reports bad credentials as VendorAuthError without leaking them', async () => {
    const integration = fake.integration({ private_key: 'wrong-PRIVATE-key-0001' });
    const error = await failure(new ConnectWiseClient(integration, fastHttp(), KEY('connectwise')).listTickets(SINCE));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 401, httpStatus: 502 });
    expect(error.message).toContain('UserNotAuthenticated');
    expect(fake.calls()).toBe(1);
    expectNoSecrets(error, ['wrong-PRIVATE-key-0001', Buffer.from(`mspco+cw-public-4411:wrong-PRIVATE-key-0001`).toString('base64')]);
  });

  it('redacts a credential the vendor echoes in an error body', async () => {
    fake.failNext(1, { status: 400, body: { code: 'InvalidObject', message: `key ${fake.credentials.private_key} rejected`, errors: null } });
    const error = await failure(clientOf(fastHttp()).listTickets(SINCE));
    expect(error.message).toContain('[redacted]');
    expectNoSecrets(error, [fake.credentials.private_key]);
  });

  it('reports a malformed JSON body as VendorDataError', async () => {
    fake.failNext(1, { status: 200, rawBody: '[{"id": 1,' });
    const error = await failure(clientOf(fastHttp()).listTickets(SINCE));
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error).toMatchObject({ vendor: 'connectwise', field: 'body', problemType: '/problems/vendor-data' });
  });

  it('reports an unreachable vendor as VendorUnavailableError after retrying', async () => {
    const integration = fake.integration();
    await fake.close();
    fake = await FakeConnectWise.start();
    const error = await failure(new ConnectWiseClient(integration, fastHttp({ maxAttempts: 1 }), KEY('connectwise')).listTickets(SINCE));
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

  const clientOf = (http: VendorHttp, pageSize = 2) => new SmileBackClient(fake.integration(), http, KEY('smileback'), { pageSize });
  const secrets = () => [fake.credentials.client_secret, fake.credentials.password];

  it('gets a password-grant token, then pages through every review in the window with it', async () => {
    fake.reviews = [review(1, 11), review(2, 12), review(3, 2), review(4, 13), review(5, 14), review(6, 15), { ...review(7, 16), rating: null }];
    const reviews = await clientOf(fastHttp()).listReviews(SINCE);
    expect(reviews.map((r) => r.id)).toEqual([1, 2, 4, 5, 6]);
    expect(fake.calls('/api/v3/reviews/')).toBe(3);
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
    const first = fake.requests.find((r) => r.path === '/api/v3/reviews/')!;
    expect(first.headers.authorization).toMatch(/^Bearer fake-access-1-/);
    expect(first.query.get('modified_since')).toBe('2026-01-10T00:00:00.000Z');
    expect(first.query.get('limit')).toBe('2');
    expect(reviews.map((r) => mapSmileBackReview(r, 'tenant_a')?.score)).toEqual([5, 5, 5, 5, 5]);
  });

  it('reuses the cached token across calls', async () => {
    const client = clientOf(fastHttp());
    await client.listReviews(SINCE);
    await client.ping();
    expect(fake.tokensIssued).toBe(1);
  });

  it('refreshes an expired token once, mid-paging, and finishes the walk', async () => {
    fake.reviews = [review(1, 11), review(2, 12), review(3, 13), review(4, 14), review(5, 15)];
    fake.expireTokens(1);
    const reviews = await clientOf(fastHttp()).listReviews(SINCE);
    expect(reviews).toHaveLength(5);
    expect(fake.tokensIssued).toBe(2);
    expect(fake.calls('/api/v3/reviews/')).toBe(4);
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
    const error = await failure(clientOf(fastHttp()).ping());
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(fake.tokensIssued).toBe(2);
  });

  it('reports a wrong password as VendorAuthError without leaking credentials', async () => {
    const client = new SmileBackClient(fake.integration({ password: 'wrong-PASSWORD-zz9' }), fastHttp(), KEY('smileback'));
    const error = await failure(client.listReviews(SINCE));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 400 });
    expect(error.message).toContain('invalid_grant');
    expectNoSecrets(error, [...secrets(), 'wrong-PASSWORD-zz9']);
  });

  it('reports a wrong client secret as VendorAuthError 401', async () => {
    const client = new SmileBackClient(fake.integration({ client_secret: 'wrong-SECRET-abc' }), fastHttp(), KEY('smileback'));
    const error = await failure(client.ping());
    expect(error).toMatchObject({ status: 401 });
    expectNoSecrets(error, [...secrets(), 'wrong-SECRET-abc']);
  });

  it('retries a throttled page', async () => {
    fake.reviews = [review(1, 11)];
    fake.failNext(1, { status: 429, retryAfter: 2, path: '/api/v3/reviews/' });
    expect(await clientOf(fastHttp()).listReviews(SINCE)).toHaveLength(1);
    expect(fake.calls('/api/v3/reviews/')).toBe(2);
  });

  it('refuses a next link to another origin', async () => {
    fake.failNext(1, { status: 200, body: { count: 2, next: 'http://127.0.0.2:9/api/v3/reviews/?offset=1', results: [review(1, 11)] }, path: '/api/v3/reviews/' });
    const error = await failure(clientOf(fastHttp()).listReviews(SINCE));
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error).toMatchObject({ field: 'next' });
  });
});

describe('SentinelOne client against a fake SentinelOne', () => {
  let fake: FakeSentinelOne;
  beforeEach(async () => {
    fake = await FakeSentinelOne.start();
  });
  afterEach(() => fake.close());

  const clientOf = (http: VendorHttp, over = {}) => new SentinelOneClient(fake.integration(over), http, KEY('sentinelone'), { pageSize: 2 });

  it('walks the cursor with the same filters on every page and returns every threat in scope', async () => {
    fake.threats = [threat(1, 11), threat(2, 12), threat(3, 2), threat(4, 13), threat(5, 14, 'acc-other'), threat(6, 15, 'acc-2'), threat(7, 16)];
    const threats = await clientOf(fastHttp(), { account_ids: ['acc-1', 'acc-2'] }).listThreats(SINCE);
    expect(threats.map((t) => t.agentRealtimeInfo?.agentComputerName)).toEqual(['PC-1', 'PC-2', 'PC-4', 'PC-6', 'PC-7']);
    expect(fake.calls('/web/api/v2.1/threats')).toBe(3);
    for (const req of fake.requests) {
      expect(req.headers.authorization).toBe(`ApiToken ${fake.apiToken}`);
      expect(req.query.get('updatedAt__gte')).toBe('2026-01-10T00:00:00.000Z');
      expect(req.query.get('accountIds')).toBe('acc-1,acc-2');
      expect(req.query.get('limit')).toBe('2');
      expect(req.query.has('siteIds')).toBe(false);
    }
    expect(fake.requests.map((r) => r.query.has('cursor'))).toEqual([false, true, true]);
    expect(threats.map((t) => mapSentinelOneThreat(t, 'tenant_a').severity)).toEqual(['medium', 'medium', 'medium', 'medium', 'medium']);
  });

  it('retries a 429 with Retry-After and succeeds', async () => {
    fake.threats = [threat(1, 11)];
    fake.failNext(1, { status: 429, retryAfter: 1 });
    expect(await clientOf(fastHttp()).listThreats(SINCE)).toHaveLength(1);
    expect(fake.calls()).toBe(2);
  });

  it('rejects a bad token with VendorAuthError and keeps the token out of the error', async () => {
    const error = await failure(clientOf(fastHttp(), { api_token: 'S1-wrong-TOKEN-123' }).ping());
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error.message).toContain('Authentication Failed');
    expectNoSecrets(error, ['S1-wrong-TOKEN-123', fake.apiToken]);
  });

  it('redacts the API token if the vendor echoes it', async () => {
    fake.failNext(1, { status: 400, body: { errors: [{ detail: `token ${fake.apiToken} lacks scope`, title: 'Bad Request' }] } });
    const error = await failure(clientOf(fastHttp()).ping());
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
    const threats = await clientOf(fastHttp(), { account_ids: ['acc-1'] }).listOpenThreats();
    expect(threats.map((t) => t.agentRealtimeInfo?.agentComputerName)).toEqual(['PC-1', 'PC-2', 'PC-4', 'PC-7']);
    expect(fake.calls('/web/api/v2.1/threats')).toBe(2);
    for (const req of fake.requests) {
      expect(Object.fromEntries([...req.query].filter(([key]) => key !== 'cursor'))).toEqual({
        incidentStatuses: 'unresolved,in_progress',
        sortBy: 'id',
        sortOrder: 'asc',
        limit: '2',
        accountIds: 'acc-1',
      });
    }
    expect(fake.requests.map((r) => r.query.has('cursor'))).toEqual([false, true]);
  });

  it('the fake refuses a parameter it does not implement and an unknown status, as a wrong query must not pass', async () => {
    const ask = (query: string) => fetch(`${fake.baseUrl}/web/api/v2.1/threats?${query}`, { headers: { Authorization: `ApiToken ${fake.apiToken}` } });
    expect((await ask('incidentStatus=unresolved')).status).toBe(400);
    expect((await ask('incidentStatuses=UNRESOLVED')).status).toBe(400);
    expect((await ask('incidentStatuses=unresolved,in_progress')).status).toBe(200);
  });

  it('retries 502s then reports VendorHttpError', async () => {
    fake.failNext(5, { status: 502 });
    const error = await failure(clientOf(fastHttp({ maxAttempts: 1 })).listThreats(SINCE));
    expect(error).toMatchObject({ status: 502, vendor: 'sentinelone' });
    expect(fake.calls()).toBe(2);
  });

  it('keeps an id listed on several pages once: the copy updated last, else the later page', async () => {
    const newer = threat(1, 14);
    const older = { ...threat(1, 12), agentRealtimeInfo: { accountId: 'acc-1', siteId: 'site-1', agentComputerName: 'PC-older' } };
    const undated = (name: string): SentinelOneThreat => ({ ...threat(2, 12), agentRealtimeInfo: { accountId: 'acc-1', agentComputerName: name } });
    const withoutUpdate = (t: SentinelOneThreat): SentinelOneThreat => ({ ...t, threatInfo: { ...t.threatInfo, updatedAt: undefined } });
    // Sorted by id, stable: the pages (2 a page) come in this order.
    fake.threats = [newer, older, withoutUpdate(undated('PC-first')), withoutUpdate(undated('PC-later'))];
    const threats = await clientOf(fastHttp()).listOpenThreats();
    expect(threats.map((t) => t.agentRealtimeInfo?.agentComputerName)).toEqual(['PC-1', 'PC-later']);
    expect(fake.calls()).toBe(2);
  });

  it('refuses a walk past its record budget, naming it', async () => {
    fake.threats = [threat(1, 11), threat(2, 12), threat(3, 13)];
    const client = new SentinelOneClient(fake.integration(), fastHttp(), KEY('sentinelone'), { pageSize: 2, walk: { maxRecords: 3, maxBytes: 64 * 1024 * 1024, timeoutMs: 10_000 } });
    expect(await client.listThreats(SINCE)).toHaveLength(3);
    fake.threats.push(threat(4, 14));
    const error = await failure(client.listThreats(SINCE));
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error.message).toBe('sentinelone response: the walk of GET /web/api/v2.1/threats passed VENDOR_WALK_MAX_RECORDS (3 records) at page 2');
  });

  it('stops at once when its caller stops it, with the reason it was given', async () => {
    fake.threats = [threat(1, 11), threat(2, 12), threat(3, 13)];
    fake.hang(200, 10, '/threats');
    const stop = new AbortController();
    const reason = new VendorUnavailableError('sentinelone', 'nobody waits');
    setTimeout(() => stop.abort(reason), 50);
    const started = Date.now();
    expect(await failure(clientOf(fastHttp({ timeoutMs: 1000 })).listThreats(SINCE, stop.signal))).toBe(reason);
    expect(Date.now() - started).toBeLessThan(180);
    expect(fake.calls()).toBe(1);
  });

  it('does not count walks its callers stopped as vendor failures: the breaker stays closed', async () => {
    fake.threats = [threat(1, 11)];
    fake.hang(300, 3, '/threats');
    const http = fastHttp({ timeoutMs: 1000, breakerThreshold: 2 });
    for (let i = 0; i < 3; i++) {
      const stop = new AbortController();
      setTimeout(() => stop.abort(new VendorUnavailableError('sentinelone', 'nobody waits')), 30);
      await failure(clientOf(http).listThreats(SINCE, stop.signal));
    }
    expect(await clientOf(http).listThreats(SINCE)).toHaveLength(1);
    expect(http.breakerStates()[KEY('sentinelone')]).toBe('closed');
  });
});

describe('Defender client against a fake Microsoft identity platform and Defender APIs', () => {
  let fake: FakeDefender;
  beforeEach(async () => {
    fake = await FakeDefender.start();
  });
  afterEach(() => fake.close());

  const graphClient = (http: VendorHttp, over = {}, tokenCache?: OAuthTokenCache) =>
    new DefenderClient(fake.integration(over), http, KEY('defender'), { pageSize: 2, tokenCache });
  const tokenPath = () => `/${fake.credentials.azure_tenant_id}/oauth2/v2.0/token`;

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
    const batch = await graphClient(fastHttp()).listAlerts(SINCE);
    expect(batch.api).toBe('graph');
    expect(batch.items.map((a) => a.id)).toEqual(['da1', 'da2', 'da5', 'da6', 'da7']);
    expect(fake.calls('/v1.0/security/alerts_v2')).toBe(3);
    const token = fake.lastRequest(tokenPath())!;
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({
      client_id: fake.credentials.client_id,
      client_secret: fake.credentials.client_secret,
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    });
    const first = fake.requests.find((r) => r.path === '/v1.0/security/alerts_v2')!;
    expect(first.query.get('$filter')).toBe("lastUpdateDateTime ge 2026-01-10T00:00:00.000Z and (serviceSource eq 'microsoftDefenderForEndpoint')");
    expect(first.query.get('$top')).toBe('2');
    expect(first.headers.authorization).toMatch(/^Bearer /);
    expect(batch.items.map((a) => mapDefenderGraphAlert(a, 'tenant_a').detected_at)).toContain('2026-01-11T12:00:00.123Z');
  });

  it('widens the serviceSource filter to the integration\'s service_sources', async () => {
    fake.graphAlerts = [graphAlert(1, 11), graphAlert(3, 13, 'microsoftDefenderForOffice365')];
    const batch = await graphClient(fastHttp(), { service_sources: ['microsoftDefenderForEndpoint', 'microsoftDefenderForOffice365'] }).listAlerts(SINCE);
    expect(batch.items).toHaveLength(2);
  });

  it('refreshes an expired token mid-paging and finishes the walk', async () => {
    fake.graphAlerts = [graphAlert(1, 11), graphAlert(2, 12), graphAlert(3, 13), graphAlert(4, 14), graphAlert(5, 15)];
    fake.expireTokens(1);
    const batch = await graphClient(fastHttp()).listAlerts(SINCE);
    expect(batch.items).toHaveLength(5);
    expect(fake.tokensIssued).toBe(2);
  });

  it('shares one token per (tenant, scope) through a shared cache', async () => {
    const cache = new OAuthTokenCache();
    await graphClient(fastHttp(), {}, cache).ping();
    await graphClient(fastHttp(), {}, cache).ping();
    await graphClient(fastHttp(), { api: 'endpoint' }, cache).ping();
    expect(fake.tokensIssued).toBe(2);
    expect(fake.calls(tokenPath())).toBe(2);
  });

  it('refuses an @odata.nextLink that leaves the base URL\'s origin', async () => {
    fake.graphAlerts = [graphAlert(1, 11), graphAlert(2, 12), graphAlert(5, 14)];
    fake.nextLinkOrigin = 'http://127.0.0.2:9';
    const error = await failure(graphClient(fastHttp()).listAlerts(SINCE));
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error).toMatchObject({ vendor: 'defender', field: '@odata.nextLink' });
    expect(fake.calls('/v1.0/security/alerts_v2')).toBe(1);
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
    const batch = await graphClient(fastHttp(), { api: 'endpoint' }).listAlerts(SINCE);
    expect(batch.api).toBe('endpoint');
    expect(batch.items).toHaveLength(5);
    expect(fake.requests.filter((r) => r.path === '/api/alerts').map((r) => r.query.get('$skip'))).toEqual([null, '2', '4']);
    expect(new URLSearchParams(fake.lastRequest(tokenPath())!.body).get('scope')).toBe('https://api.securitycenter.microsoft.com/.default');
    expect(fake.lastRequest('/api/alerts')!.query.get('$filter')).toBe('lastUpdateTime ge 2026-01-10T00:00:00.000Z');
    if (batch.api !== 'endpoint') throw new Error('expected the endpoint api');
    expect(mapDefenderEndpointAlert(batch.items[0], 'tenant_a')).toMatchObject({ severity: 'low', status: 'investigating' });
  });

  it('follows the endpoint API\'s nextLink when it sends one', async () => {
    fake.endpointNextLinks = true;
    fake.endpointAlerts = [1, 2, 3].map((n) => ({ id: `mde${n}`, lastUpdateTime: at(11) }));
    const batch = await graphClient(fastHttp(), { api: 'endpoint' }).listAlerts(SINCE);
    expect(batch.items).toHaveLength(3);
    expect(fake.calls('/api/alerts')).toBe(2);
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
    const batch = await graphClient(fastHttp()).listOpenAlerts();
    expect(batch.api).toBe('graph');
    expect(batch.items.map((a) => a.id)).toEqual(['da1', 'da2', 'da5', 'da7']);
    expect(fake.calls('/v1.0/security/alerts_v2')).toBe(2);
    const first = fake.requests.find((r) => r.path === '/v1.0/security/alerts_v2')!;
    expect(first.query.get('$filter')).toBe(
      "(status eq 'new' or status eq 'inProgress' or status eq 'unknown') and (serviceSource eq 'microsoftDefenderForEndpoint')",
    );
    expect(first.query.get('$top')).toBe('2');
  });

  it('lists every endpoint-API alert not yet resolved, however old', async () => {
    fake.endpointAlerts = (['New', 'InProgress', 'Resolved', 'Unknown', 'New'] as const).map((status, i) => ({ id: `mde${i}`, status, lastUpdateTime: at(1 + i) }));
    const batch = await graphClient(fastHttp(), { api: 'endpoint' }).listOpenAlerts();
    expect(batch.items.map((a) => a.id)).toEqual(['mde0', 'mde1', 'mde3', 'mde4']);
    expect(fake.requests.filter((r) => r.path === '/api/alerts').map((r) => [r.query.get('$filter'), r.query.get('$skip')])).toEqual([
      ["(status eq 'New' or status eq 'InProgress' or status eq 'Unknown')", null],
      ["(status eq 'New' or status eq 'InProgress' or status eq 'Unknown')", '2'],
      ["(status eq 'New' or status eq 'InProgress' or status eq 'Unknown')", '4'],
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
    const error = await failure(graphClient(fastHttp(), { client_secret: 'wrong-entra-SECRET-1' }).listAlerts(SINCE));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 401 });
    expect(error.message).toContain('AADSTS7000215');
    expectNoSecrets(error, ['wrong-entra-SECRET-1', fake.credentials.client_secret]);
  });

  it('reports an unknown customer tenant as VendorAuthError', async () => {
    const error = await failure(graphClient(fastHttp(), { azure_tenant_id: '99999999-0000-0000-0000-000000000000' }).ping());
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 400 });
    expect(error.message).toContain('AADSTS90002');
  });

  it('redacts the client secret if the token endpoint echoes it', async () => {
    fake.failNext(1, { status: 400, body: { error: 'invalid_request', error_description: `secret ${fake.credentials.client_secret} malformed` }, path: tokenPath() });
    const error = await failure(graphClient(fastHttp()).ping());
    expectNoSecrets(error, [fake.credentials.client_secret]);
  });

  it('times out a hung token endpoint', async () => {
    fake.hang(1000, 1, tokenPath());
    const error = await failure(graphClient(fastHttp({ timeoutMs: 100 })).ping());
    expect(error).toBeInstanceOf(VendorTimeoutError);
  });

  it('retries a throttled Graph page with Retry-After', async () => {
    fake.graphAlerts = [graphAlert(1, 11)];
    fake.failNext(1, { status: 429, retryAfter: 1, path: '/v1.0/security/alerts_v2' });
    expect((await graphClient(fastHttp()).listAlerts(SINCE)).items).toHaveLength(1);
    expect(fake.calls('/v1.0/security/alerts_v2')).toBe(2);
  });
});
