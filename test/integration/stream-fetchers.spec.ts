import { DefenderClient, DefenderEndpointAlert, DefenderGraphAlert } from '../../src/integrations/defender/defender.client.js';
import { VendorDataError, VendorError } from '../../src/integrations/http/vendor-errors.js';
import { SentinelOneClient, SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { SmileBackClient, SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import { DefenderAlertsFetcher } from '../../src/sync/fetchers/defender-alerts.js';
import { SentinelOneThreatsFetcher } from '../../src/sync/fetchers/sentinelone-threats.js';
import { SmileBackReviewsFetcher } from '../../src/sync/fetchers/smileback-reviews.js';
import { streamFetchers } from '../../src/sync/fetchers/stream-fetchers.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import type { RecordedRequest } from '../fakes/fake-server.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { expectNoSecrets, idsOf, interrupted, loopbackHttp, pagesOf, request, runFailure } from '../support/stream-runs.js';

const TENANT = 'tenant_a';
const at = (day: number, hour = 12) => `2026-01-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
const WALK = { maxRecords: 1000, maxBytes: 64 * 1024 * 1024, timeoutMs: 10_000 };

const review = (id: number, day: number, over: Partial<SmileBackReview> = {}): SmileBackReview => ({
  id,
  rating: 1,
  comment: `comment ${id}`,
  ticket: { id: String(1000 + id) },
  status: 'open',
  rated_on: at(day),
  last_modified: `2026-01-${String(day).padStart(2, '0')}T12:00:00.512301Z`,
  ...over,
});

const threat = (id: number, day: number, incidentStatus = 'resolved'): SentinelOneThreat => ({
  id: String(1_790_000_000_000_000_000n + BigInt(id)),
  agentRealtimeInfo: { accountId: 'acc-1', siteId: 'site-1', agentComputerName: `PC-${id}` },
  threatInfo: {
    threatName: 'x.exe',
    classification: 'Malware',
    confidenceLevel: 'suspicious',
    incidentStatus,
    mitigationStatus: 'mitigated',
    identifiedAt: at(day, 9),
    createdAt: at(day, 9),
    updatedAt: `2026-01-${String(day).padStart(2, '0')}T10:00:00.123456Z`,
  },
});

const graphAlert = (id: number, day: number, status = 'resolved'): DefenderGraphAlert => ({
  id: `da${id}`,
  title: `Alert ${id}`,
  severity: 'medium',
  status,
  serviceSource: 'microsoftDefenderForEndpoint',
  createdDateTime: `${at(day, 9).slice(0, 19)}.1234567Z`,
  lastUpdateDateTime: `${at(day).slice(0, 19)}.7654321Z`,
  resolvedDateTime: status === 'resolved' ? at(day) : null,
  evidence: [{ '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: `pc-${id}`, roles: ['compromised'] }],
});

const endpointAlert = (id: number, day: number, status = 'Resolved'): DefenderEndpointAlert => ({
  id: `da${id}`,
  title: `Alert ${id}`,
  severity: 'High',
  status,
  alertCreationTime: at(day, 9),
  lastUpdateTime: at(day),
  resolvedTime: status === 'Resolved' ? at(day) : null,
  computerDnsName: `srv-${id}`,
});

const apiCalls = (fake: { requests: RecordedRequest[] }, path: string) => fake.requests.filter((r) => r.path === path);

describe('SmileBack reviews stream against a fake SmileBack', () => {
  let fake: FakeSmileBack;
  beforeEach(async () => {
    fake = await FakeSmileBack.start();
  });
  afterEach(() => fake.close());
  // Built as the application builds a tenant's client: its VendorHttp knows the integration's secrets (LiveClients).
  const fetcherOf = (pageSize = 2) =>
    new SmileBackReviewsFetcher(
      new SmileBackClient(fake.integration(), loopbackHttp().withSecrets([fake.credentials.password, fake.credentials.client_secret]), `smileback:${TENANT}`, { pageSize, walk: WALK }),
    );
  const reviewCalls = () => apiCalls(fake, '/api/v3/reviews/');

  it('first sync from the history bound, then only the modified, the new and the deleted (a tombstone); unrated ones are not handed on', async () => {
    fake.reviews = [review(1, 3), review(2, 11), review(3, 12), review(4, 12, { rating: null, rated_on: null })];
    const fetcher = fetcherOf();
    const pages = await pagesOf(fetcher, request({ from: '2026-01-10T00:00:00.000Z' }));
    expect(pages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['2', '3']);
    expect(reviewCalls()[0].query.get('modified_since')).toBe('2026-01-10T00:00:00.000Z');
    expect(reviewCalls()[0].query.get('include_unrated')).toBe('true');
    expect(pages[0].changes[0].vendorUpdatedAt).toBe('2026-01-11T12:00:00.512Z');
    expect(fetcher.map(pages[0].changes[0].raw, TENANT)).toEqual(expect.objectContaining({ survey_id: '2', score: 5, ticket_id: '1002', submitted_at: '2026-01-11T12:00:00Z' }));

    fake.reviews[1] = review(2, 21, { rating: -1 });
    fake.reviews[2] = review(3, 21, { status: 'deleted' });
    fake.reviews.push(review(5, 21));
    fake.requests.length = 0;
    const changes = (await pagesOf(fetcher, request({ since: '2026-01-21T00:00:00.000Z' }))).flatMap((p) => p.changes);
    expect(changes.map((c) => [c.vendorId, c.deleted ?? false])).toEqual([
      ['2', false],
      ['3', true],
      ['5', false],
    ]);
    expect(reviewCalls()[0].query.get('modified_since')).toBe('2026-01-21T00:00:00.000Z');
    expect(fetcher.map(changes[0].raw, TENANT)).toEqual(expect.objectContaining({ score: 1, sentiment: 'negative' }));
    expect(fetcher.map(changes[1].raw, TENANT)).toBeNull();

    // Nothing changed: one API call (the token is reused).
    fake.requests.length = 0;
    expect(await pagesOf(fetcher, request({ since: '2026-01-22T00:00:00.000Z' }))).toEqual([{ changes: [], resume: null }]);
    expect(fake.requests.length).toBe(1);
  });

  it('pages by keyset on last_modified, resumes from the last one handed on, and applies `until` itself', async () => {
    fake.reviews = [1, 2, 3, 4, 5].map((id) => review(id, 10 + id));
    const fetcher = fetcherOf();
    const first = await interrupted(fetcher, request(), 1);
    expect(first.ids).toEqual(['1', '2']);
    expect(first.resume).toBe(`smileback.reviews|1|${review(2, 12).last_modified}`);
    fake.requests.length = 0;
    // modified_since may be inclusive: the boundary review comes again on a resume (an upsert), never one is skipped.
    expect(await idsOf(fetcher, request({ resume: first.resume }))).toEqual(['2', '3', '4', '5']);
    expect(reviewCalls()[0].query.get('modified_since')).toBe(review(2, 12).last_modified);
    expect(reviewCalls().some((call) => call.query.has('offset'))).toBe(false);
    fake.requests.length = 0;
    expect(await idsOf(fetcher, request({ until: '2026-01-14T00:00:00.000Z' }))).toEqual(['1', '2', '3']);
    // Listed by last_modified: the walk stops at the first page past `until`.
    expect(reviewCalls()).toHaveLength(3);
  });

  it('never follows an offset link saved before keyset paging (not even to another origin), and refuses a list that goes back in time', async () => {
    fake.reviews = [1, 2, 3].map((id) => review(id, 10 + id));
    expect(await idsOf(fetcherOf(), request({ resume: 'smileback.reviews|0|https://evil.example/api/v3/reviews/?offset=2' }))).toEqual(['1', '2', '3']);
    const boundary = review(2, 12).last_modified;
    fake.misbehave = (reply, req) => (req.query.get('modified_since') === boundary ? { ...reply, body: { ...(reply.body as object), results: [review(1, 11)] } } : reply);
    expect(await runFailure(fetcherOf(), request())).toBeInstanceOf(VendorDataError);
  });

  it('never puts the password or the client secret in its errors', async () => {
    fake.failNext(1, { status: 400, path: '/api/v3/reviews/', body: { detail: `bad ${fake.credentials.password} ${fake.credentials.client_secret}` } });
    const error = await runFailure(fetcherOf(), request());
    expect(error).toBeInstanceOf(VendorError);
    expectNoSecrets(error, [fake.credentials.password, fake.credentials.client_secret]);
  });
});

describe('SentinelOne threats stream against a fake SentinelOne', () => {
  let fake: FakeSentinelOne;
  beforeEach(async () => {
    fake = await FakeSentinelOne.start();
  });
  afterEach(() => fake.close());
  const fetcherOf = (pageSize = 2) => new SentinelOneThreatsFetcher(new SentinelOneClient(fake.integration(), loopbackHttp(), `sentinelone:${TENANT}`, { pageSize, walk: WALK }));
  const suffix = (id: string) => String(BigInt(id) - 1_790_000_000_000_000_000n);

  it('first sync: updated since `from` by updatedAt__gte and cursor, then the open threats however old; incremental: just the changes', async () => {
    fake.threats = [threat(1, 2, 'unresolved'), threat(2, 3), threat(3, 11), threat(4, 12), threat(5, 13, 'in_progress')];
    const fetcher = fetcherOf();
    const pages = await pagesOf(fetcher, request({ from: '2026-01-10T00:00:00.000Z' }));
    expect(pages.flatMap((p) => p.changes.map((c) => suffix(c.vendorId)))).toEqual(['3', '4', '5', '1', '5']);
    expect(pages.at(-1)?.resume).toBeNull();
    const updated = fake.requests.filter((r) => r.query.has('updatedAt__gte'));
    expect(updated.map((r) => r.query.get('updatedAt__gte'))).toEqual(['2026-01-10T00:00:00.000Z', '2026-01-10T00:00:00.000Z']);
    expect(updated[1].query.get('cursor')).not.toBeNull();
    expect(fake.requests.filter((r) => r.query.get('incidentStatuses') === 'unresolved,in_progress')).toHaveLength(1);
    expect(pages[0].changes[0].vendorUpdatedAt).toBe('2026-01-11T10:00:00.123Z');
    expect(fetcher.map(pages[0].changes[0].raw, TENANT)).toEqual(expect.objectContaining({ source: 'sentinelone', status: 'resolved', device: 'PC-3' }));

    fake.threats[0] = threat(1, 21);
    fake.requests.length = 0;
    expect((await idsOf(fetcher, request({ since: '2026-01-21T00:00:00.000Z' }))).map(suffix)).toEqual(['1']);
    expect(fake.requests.map((r) => r.query.get('updatedAt__gte'))).toEqual(['2026-01-21T00:00:00.000Z']);
    fake.requests.length = 0;
    expect(await pagesOf(fetcher, request({ since: '2026-01-22T00:00:00.000Z' }))).toEqual([{ changes: [], resume: null }]);
    expect(fake.requests.length).toBe(1);
  });

  it('resumes within a walk and across walks; a backfill slice sends updatedAt__lt', async () => {
    fake.threats = [threat(1, 2, 'unresolved'), threat(3, 11), threat(4, 12), threat(6, 14)];
    const fetcher = fetcherOf();
    const req = request({ from: '2026-01-10T00:00:00.000Z' });
    const first = await interrupted(fetcher, req, 1);
    expect(first.ids.map(suffix)).toEqual(['3', '4']);
    expect((await idsOf(fetcher, { ...req, resume: first.resume })).map(suffix)).toEqual(['6', '1']);
    const two = await interrupted(fetcher, req, 2);
    expect(two.ids.map(suffix)).toEqual(['3', '4', '6']);
    fake.requests.length = 0;
    expect((await idsOf(fetcher, { ...req, resume: two.resume })).map(suffix)).toEqual(['1']);
    expect(fake.requests.map((r) => r.query.get('incidentStatuses'))).toEqual(['unresolved,in_progress']);

    fake.requests.length = 0;
    expect((await idsOf(fetcher, request({ from: '2026-01-01T00:00:00.000Z', until: '2026-01-12T00:00:00.000Z' }))).map(suffix)).toEqual(['1', '3']);
    expect(fake.requests[0].query.get('updatedAt__lt')).toBe('2026-01-12T00:00:00.000Z');
    expect(fake.requests.every((r) => !r.query.has('incidentStatuses'))).toBe(true);
  });

  it('refuses a cursor the vendor repeats, and keeps the API token out of its errors', async () => {
    fake.threats = [1, 2, 3, 4, 5].map((id) => threat(id, 11));
    fake.misbehave = (reply) => ({ ...reply, body: { ...(reply.body as object), pagination: { nextCursor: Buffer.from('threat_offset:2').toString('base64') } } });
    const repeated = await runFailure(fetcherOf(), request({ since: '2026-01-01T00:00:00.000Z' }));
    expect(repeated).toBeInstanceOf(VendorDataError);
    expect(repeated.message).toMatch(/nextCursor/);
    fake.misbehave = undefined;
    fake.failNext(1, { status: 400, body: { errors: [{ detail: `bad token ${fake.apiToken}` }] } });
    const error = await runFailure(fetcherOf(), request());
    expectNoSecrets(error, [fake.apiToken]);
  });
});

describe('Defender alerts stream against a fake Defender', () => {
  let fake: FakeDefender;
  beforeEach(async () => {
    fake = await FakeDefender.start();
  });
  afterEach(() => fake.close());
  const fetcherOf = (api: 'graph' | 'endpoint', pageSize = 2) =>
    new DefenderAlertsFetcher(new DefenderClient(fake.integration({ api }), loopbackHttp().withSecrets([fake.credentials.client_secret]), `defender:${TENANT}`, { pageSize, walk: WALK }));
  const graphCalls = () => apiCalls(fake, '/v1.0/security/alerts_v2');
  const endpointCalls = () => apiCalls(fake, '/api/alerts');

  it('Graph: lastUpdateDateTime ge the bound with the service sources, nextLink pages, then the open alerts; incremental: just the changes', async () => {
    fake.graphAlerts = [graphAlert(1, 2, 'new'), graphAlert(2, 3), graphAlert(3, 11), graphAlert(4, 12), graphAlert(5, 13, 'inProgress')];
    const fetcher = fetcherOf('graph');
    const pages = await pagesOf(fetcher, request({ from: '2026-01-10T00:00:00.000Z' }));
    expect(pages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['da3', 'da4', 'da5', 'da1', 'da5']);
    expect(graphCalls()[0].query.get('$filter')).toBe("lastUpdateDateTime ge 2026-01-10T00:00:00.000Z and (serviceSource eq 'microsoftDefenderForEndpoint')");
    expect(graphCalls()[1].query.get('$skiptoken')).not.toBeNull();
    expect(pages[0].changes[0].vendorUpdatedAt).toBe('2026-01-11T12:00:00.765Z');
    expect(fetcher.map(pages[0].changes[0].raw, TENANT)).toEqual(expect.objectContaining({ source: 'defender', alert_id: 'da3', device: 'pc-3', status: 'resolved' }));

    fake.graphAlerts[1] = graphAlert(2, 21, 'inProgress');
    fake.requests.length = 0;
    expect(await idsOf(fetcher, request({ since: '2026-01-21T00:00:00.000Z' }))).toEqual(['da2']);
    expect(graphCalls().map((r) => r.query.get('$filter'))).toEqual(["lastUpdateDateTime ge 2026-01-21T00:00:00.000Z and (serviceSource eq 'microsoftDefenderForEndpoint')"]);
    fake.requests.length = 0;
    expect(await pagesOf(fetcher, request({ since: '2026-01-22T00:00:00.000Z' }))).toEqual([{ changes: [], resume: null }]);
    expect(fake.requests.length).toBe(1);
  });

  it('Graph: resumes from the saved nextLink, refuses one on another origin', async () => {
    fake.graphAlerts = [1, 2, 3, 4, 5].map((id) => graphAlert(id, 10 + id));
    const fetcher = fetcherOf('graph');
    const req = request({ since: '2026-01-01T00:00:00.000Z' });
    const first = await interrupted(fetcher, req, 2);
    expect(first.ids).toEqual(['da1', 'da2', 'da3', 'da4']);
    expect(await idsOf(fetcher, { ...req, resume: first.resume })).toEqual(['da5']);
    fake.nextLinkOrigin = 'https://evil.example';
    expect(await runFailure(fetcher, req)).toBeInstanceOf(VendorDataError);
  });

  it('Defender for Endpoint: lastUpdateTime ge the bound with $skip pages, a backfill slice with lt, and no secret in errors', async () => {
    fake.endpointAlerts = [endpointAlert(1, 2, 'New'), endpointAlert(2, 11), endpointAlert(3, 12), endpointAlert(4, 13)];
    const fetcher = fetcherOf('endpoint');
    const pages = await pagesOf(fetcher, request({ from: '2026-01-10T00:00:00.000Z' }));
    expect(pages.flatMap((p) => p.changes.map((c) => c.vendorId))).toEqual(['da2', 'da3', 'da4', 'da1']);
    expect(endpointCalls().map((r) => [r.query.get('$filter'), r.query.get('$skip')])).toEqual([
      ['lastUpdateTime ge 2026-01-10T00:00:00.000Z', null],
      ['lastUpdateTime ge 2026-01-10T00:00:00.000Z', '2'],
      ["(status eq 'New' or status eq 'InProgress' or status eq 'Unknown')", null],
    ]);
    expect(fetcher.map(pages[0].changes[0].raw, TENANT)).toEqual(expect.objectContaining({ alert_id: 'da2', device: 'srv-2', severity: 'high' }));

    fake.requests.length = 0;
    expect(await idsOf(fetcher, request({ from: '2026-01-01T00:00:00.000Z', until: '2026-01-12T00:00:00.000Z' }))).toEqual(['da1', 'da2']);
    expect(endpointCalls()[0].query.get('$filter')).toBe('lastUpdateTime ge 2026-01-01T00:00:00.000Z and lastUpdateTime lt 2026-01-12T00:00:00.000Z');

    fake.failNext(1, { status: 400, path: '/api/alerts', body: { error: { code: 'x', message: `bad ${fake.credentials.client_secret}` } } });
    const error = await runFailure(fetcher, request());
    expect(error).toBeInstanceOf(VendorError);
    expectNoSecrets(error, [fake.credentials.client_secret]);
  });
});

describe('streamFetchers', () => {
  it('one fetcher per stream of the vendors a tenant has, named as api-contract v1.2 names them', async () => {
    const fake = await FakeSentinelOne.start();
    try {
      const fetchers = streamFetchers({ sentinelone: new SentinelOneClient(fake.integration(), loopbackHttp(), 'sentinelone:t') });
      expect(fetchers.map((f) => [f.stream, f.vendor, f.domain])).toEqual([['sentinelone.threats', 'sentinelone', 'security_alerts']]);
      expect(streamFetchers({})).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe('the fakes refuse (400) what they do not implement, so a wrong incremental query cannot pass', () => {
  it('ConnectWise: an unknown parameter, orderBy with forward-only paging, pageId without it', async () => {
    const fake = await FakeConnectWise.start();
    try {
      const auth = {
        Authorization: `Basic ${Buffer.from(`${fake.credentials.company_id}+${fake.credentials.public_key}:${fake.credentials.private_key}`).toString('base64')}`,
        clientId: fake.credentials.client_id,
      };
      const url = `${fake.integration().base_url}/service/tickets`;
      const status = async (query: string, headers: Record<string, string> = {}) => (await fetch(`${url}?${query}`, { headers: { ...auth, ...headers } })).status;
      expect(await status('conditions=lastUpdated%3E%3D%5B2026-01-01T00%3A00%3A00Z%5D&pageSize=10')).toBe(200);
      expect(await status('modifiedSince=2026-01-01')).toBe(400);
      expect(await status('orderBy=id%20asc', { 'pagination-type': 'forward-only' })).toBe(400);
      expect(await status('pageId=5')).toBe(400);
      expect(await status('pageId=5', { 'pagination-type': 'forward-only' })).toBe(200);
    } finally {
      await fake.close();
    }
  });

  it('SmileBack, SentinelOne and Defender: an unknown parameter', async () => {
    const [smileback, sentinelone, defender] = await Promise.all([FakeSmileBack.start(), FakeSentinelOne.start(), FakeDefender.start()]);
    try {
      const token = (await (
        await fetch(`${smileback.baseUrl}/api/token/`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'password', ...smileback.credentials }),
        })
      ).json()) as { access_token: string };
      const sb = (query: string) => fetch(`${smileback.baseUrl}/api/v3/reviews/?${query}`, { headers: { Authorization: `Bearer ${token.access_token}` } });
      expect((await sb('modified_since=2026-01-01T00:00:00Z')).status).toBe(200);
      expect((await sb('updated_since=2026-01-01T00:00:00Z')).status).toBe(400);
      expect((await sb('include_unrated=yes')).status).toBe(400);
      const s1 = (query: string) => fetch(`${sentinelone.baseUrl}/web/api/v2.1/threats?${query}`, { headers: { Authorization: `ApiToken ${sentinelone.apiToken}` } });
      expect((await s1('updatedAt__lt=2026-01-01T00:00:00Z')).status).toBe(200);
      expect((await s1('updatedAt__gt=2026-01-01T00:00:00Z')).status).toBe(400);
      const graphToken = (await (
        await fetch(`${defender.baseUrl}/${defender.credentials.azure_tenant_id}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: defender.credentials.client_id, client_secret: defender.credentials.client_secret, scope: 'https://graph.microsoft.com/.default' }),
        })
      ).json()) as { access_token: string };
      const graph = (query: string) => fetch(`${defender.baseUrl}/v1.0/security/alerts_v2?${query}`, { headers: { Authorization: `Bearer ${graphToken.access_token}` } });
      expect((await graph('$filter=lastUpdateDateTime%20ge%202026-01-01T00:00:00Z')).status).toBe(200);
      expect((await graph('$orderby=lastUpdateDateTime')).status).toBe(400);
      expect((await graph('$filter=lastModifiedDateTime%20ge%202026-01-01T00:00:00Z')).status).toBe(400);
    } finally {
      await Promise.all([smileback.close(), sentinelone.close(), defender.close()]);
    }
  });
});
