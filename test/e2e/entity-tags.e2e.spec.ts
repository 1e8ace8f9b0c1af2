import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { TICKETS as TICKETS_DOMAIN } from '../../src/tickets/tickets.domain.js';
import { MockFileProvider } from '../../src/mock/mock-file.provider.js';
import { MockFileStore } from '../../src/mock/mock-file.store.js';
import { SEED_TICKET } from '../../src/cli/generate/seed-examples.js';
import { TICKET_SOURCE, TicketSource } from '../../src/tickets/sources/ticket-source.js';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { closeFakes, Fakes, LIVE_ENV, bulkReviews, startFakes } from '../support/live-fixtures.js';
import { bootReplicaApp, FakeTenantStreams, registerReplicaTenant, syncTenant } from '../support/replica-app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';

const TICKETS = '/api/tenants/tenant_demo_cca/tickets';
const SUMMARY = '/api/tenants/tenant_demo_cca/summary';
const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

describe('ETags from the data version and the normalised query (mock mode)', () => {
  let t: TestApp;
  let folder: string;
  let listCalls = 0;
  const http = () => request(server(t.app));

  beforeAll(async () => {
    folder = await writeFolder(seedContents());
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: folder, MOCK_WATCH: 'false' }, (builder) =>
      builder.overrideProvider(TICKET_SOURCE).useFactory({
        inject: [MockFileStore],
        factory: (store: MockFileStore): TicketSource => {
          const source = MockFileProvider.of(store, TICKETS_DOMAIN);
          return {
            list: (tenantId) => {
              listCalls += 1;
              return source.list(tenantId);
            },
          };
        },
      }),
    );
  });
  afterAll(async () => {
    await t?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('a matching If-None-Match is answered 304 without reading the source', async () => {
    const first = await http().get(`${TICKETS}?status=New`).set(auth);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const before = listCalls;
    const again = await http().get(`${TICKETS}?status=New`).set(auth).set('if-none-match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.text ?? '').toBe('');
    expect(listCalls).toBe(before);
  });

  it('equivalent queries (parameters reordered, defaults spelled out) have one ETag; repeated values keep their order', async () => {
    const tag = async (query: string) => (await http().get(`${TICKETS}?${query}`).set(auth)).headers.etag as string;
    const base = await tag('status=New&page_size=5');
    expect(await tag('page_size=5&status=New')).toBe(base);
    expect(await tag('page=1&page_size=5&status=New')).toBe(base);
    expect(await tag('status=New&page_size=6')).not.toBe(base);
    expect(await tag('status=New,Closed')).not.toBe(await tag('status=Closed,New'));
  });

  it('insights answers have one too, answered 304 the same way', async () => {
    const first = await http().get(`${SUMMARY}?from=2026-01-01&to=2026-02-01`).set(auth);
    expect(first.status).toBe(200);
    const again = await http().get(`${SUMMARY}?to=2026-02-01&from=2026-01-01`).set(auth).set('if-none-match', first.headers.etag);
    expect(again.status).toBe(304);
  });

  it('a reload with a changed file changes the ETag; an unchanged folder reloaded changes it too (a new load)', async () => {
    const before = await http().get(TICKETS).set(auth);
    await writeFile(join(folder, 'tickets/tenant_demo_cca.json'), JSON.stringify([{ ...SEED_TICKET, summary: 'Changed for the ETag test' }]));
    await t.app.get(MockFileStore).reload();
    const after = await http().get(TICKETS).set(auth).set('if-none-match', before.headers.etag);
    expect(after.status).toBe(200);
    expect(after.body.data[0].summary).toBe('Changed for the ETag test');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((await http().get(TICKETS).set(auth).set('if-none-match', after.headers.etag)).status).toBe(304);
  });

  it('scenarios still answer: Prefer code=503 fails a request whose ETag matches; Prefer stale has an ETag of its own', async () => {
    const fresh = await http().get(TICKETS).set(auth);
    const failed = await http().get(TICKETS).set(auth).set('if-none-match', fresh.headers.etag).set('prefer', 'code=503');
    expect(failed.status).toBe(503);
    const stale = await http().get(TICKETS).set(auth).set('if-none-match', fresh.headers.etag).set('prefer', 'stale');
    expect(stale.status).toBe(200);
    expect(stale.headers.warning).toBe('110 - "stale"');
    expect(stale.headers.etag).not.toBe(fresh.headers.etag);
  });

  it('a bad query or an unknown tenant is answered by the route, whatever If-None-Match says', async () => {
    expect((await http().get(`${TICKETS}?page=0`).set(auth).set('if-none-match', '*')).status).toBe(400);
    expect((await http().get('/api/tenants/tenant_nobody/tickets').set(auth).set('if-none-match', '*')).status).toBe(404);
    expect((await http().get(TICKETS).set('if-none-match', '*')).status).toBe(401);
  });
});

describe('ETags from the live replica', () => {
  let fakes: Fakes;
  let streams: FakeTenantStreams;
  let t: TestApp;
  const CSAT = '/api/tenants/tenant_etag/csat';
  const http = () => request(server(t.app));

  beforeAll(async () => {
    fakes = await startFakes();
    fakes.smileback.reviews = bulkReviews(5, 1);
    streams = new FakeTenantStreams();
    t = await bootReplicaApp({ ...LIVE_ENV, VENDOR_TIMEOUT_MS: '5000', SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '90', FIRST_SYNC_WAIT_MS: '20000' }, streams);
    await registerReplicaTenant(t.app, streams, 'tenant_etag', { smileback: fakes.smileback });
  });
  afterAll(async () => {
    await t?.close();
    await streams?.http.onApplicationShutdown();
    await closeFakes(fakes);
  });

  const vendorCalls = () => fakes.smileback.requests.length;
  const sync = () => syncTenant(t.app, streams, 'tenant_etag');

  it('a matching If-None-Match is answered 304, and no read calls the vendor', async () => {
    const first = await http().get(CSAT).set(auth);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const calls = vendorCalls();
    const again = await http().get(CSAT).set(auth).set('if-none-match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(vendorCalls()).toBe(calls);
  });

  it('a sync that changed nothing keeps the ETag; one that brought changed vendor data changes it', async () => {
    const first = await http().get(CSAT).set(auth);
    await sync();
    expect((await http().get(CSAT).set(auth).set('if-none-match', first.headers.etag)).status).toBe(304);
    fakes.smileback.reviews = bulkReviews(6, 1).map((r) => ({ ...r, last_modified: new Date().toISOString() }));
    await sync();
    const after = await http().get(CSAT).set(auth).set('if-none-match', first.headers.etag);
    expect(after.status).toBe(200);
    expect(after.body.meta.total).toBe(6);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    expect((await http().get(CSAT).set(auth).set('if-none-match', after.headers.etag)).status).toBe(304);
  });

  it('a stale copy (the last sync failed) gets its own ETag: never 304 against the fresh answer of the same data', async () => {
    const fresh = await http().get(CSAT).set(auth);
    expect(fresh.headers.warning).toBeUndefined();
    fakes.smileback.failNext(100, { status: 500 });
    await sync();
    const stale = await http().get(CSAT).set(auth).set('if-none-match', fresh.headers.etag);
    expect(stale.status).toBe(200);
    expect(stale.headers.warning).toMatch(/^110 - "stale: smileback last synced /);
    expect(stale.body).toEqual(fresh.body);
    expect(stale.headers.etag).not.toBe(fresh.headers.etag);
    // Still stale: the same copy, asked with its own tag, is not sent again (and no read calls the vendor).
    // (Unlike the read-through's, this 304 carries no Warning: it is answered from the version probe, before the read that notes staleness.)
    const calls = vendorCalls();
    const staleAgain = await http().get(CSAT).set(auth).set('if-none-match', stale.headers.etag);
    expect(staleAgain.status).toBe(304);
    expect(staleAgain.headers.etag).toBe(stale.headers.etag);
    expect(vendorCalls()).toBe(calls);
  });
});
