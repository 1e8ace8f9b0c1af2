import { LiveCache } from '../../src/live/live-cache.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { bootApp, TestApp } from '../support/app.js';
import { LIVE_ENV, MEMBERS, bulkTickets, registerTenant } from '../support/live-fixtures.js';

/*
 * The live cache is bounded by bytes (SNAPSHOT_CACHE_MAX_MB), not by entries. Each tenant has its own
 * ConnectWise fake with its own tickets (distinct ids), so a response shows whose data it is and each
 * fake's request counter shows when that tenant was fetched again. A tenant's cached tickets
 * (records, their record index, descriptions) come to ~0.4 MiB here: a 1 MiB budget holds two
 * of the four tenants, the default budget all of them.
 */

const TENANTS = 4;
const TICKETS = 700;
const CACHE_TTL_SECONDS = 3600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tenant {
  id: string;
  cw: FakeConnectWise;
  ids: string[];
}

async function setUp(env: Record<string, string | undefined>, prefix: string): Promise<{ t: TestApp; tenants: Tenant[] }> {
  // This suite counts walks, not timeouts: a loaded CI machine must not turn a slow page into a 504.
  const t = await bootApp({ ...LIVE_ENV, VENDOR_TIMEOUT_MS: '10000', ...env });
  const tenants: Tenant[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const cw = await FakeConnectWise.start();
    const { tickets, notes } = bulkTickets(TICKETS, 100_000 * (i + 1));
    cw.tickets = tickets;
    cw.notes = notes;
    cw.members = MEMBERS;
    const id = `${prefix}_${i}`;
    await registerTenant(t.app, id, { connectwise: cw });
    tenants.push({ id, cw, ids: tickets.map((ticket) => String(ticket.id)).sort() });
  }
  return { t, tenants };
}

/**
 * Ticket list walks this tenant's fake has answered (the list route, one page each; notes are `/notes`,
 * and the time entries' query for closed tickets, read through the tickets' references, is not a walk).
 */
const walks = (tenant: Tenant) =>
  tenant.cw.requests.filter((r) => r.path.endsWith('/service/tickets') && r.query.get('conditions')?.startsWith('closedFlag=false or')).length;

/**
 * The tenant's tickets: all of them counted, the first page (by id) exactly that tenant's. A page of
 * 20, as each listed ticket costs a description call the first time.
 */
async function expectServed(t: TestApp, tenant: Tenant): Promise<void> {
  const res = await t.get(`/api/tenants/${tenant.id}/tickets?page_size=20&sort=cw_ticket_id`);
  expect(res.status).toBe(200);
  expect(res.body.meta.total).toBe(TICKETS);
  const tickets = res.body.data as Array<{ tenant_id: string; cw_ticket_id: string }>;
  expect(tickets.map((ticket) => ticket.cw_ticket_id)).toEqual(tenant.ids.slice(0, 20));
  expect(new Set(tickets.map((ticket) => ticket.tenant_id))).toEqual(new Set([tenant.id]));
}

/** The cache's own account, once the re-measure after the last request has run. */
async function usage(t: TestApp) {
  await new Promise((resolve) => setImmediate(resolve));
  return t.app.get(LiveCache).usage();
}

describe('live cache bounded by SNAPSHOT_CACHE_MAX_MB', () => {
  let small: { t: TestApp; tenants: Tenant[] };
  let large: { t: TestApp; tenants: Tenant[] };

  beforeAll(async () => {
    small = await setUp({ SNAPSHOT_CACHE_MAX_MB: '1', CACHE_TTL_SECONDS: String(CACHE_TTL_SECONDS) }, 'tenant_budget_s');
    large = await setUp({ SNAPSHOT_CACHE_MAX_MB: undefined, CACHE_TTL_SECONDS: String(CACHE_TTL_SECONDS) }, 'tenant_budget_l');
  }, 60_000);

  afterAll(async () => {
    await small?.t.close();
    await large?.t.close();
    await Promise.all([...(small?.tenants ?? []), ...(large?.tenants ?? [])].map((tenant) => tenant.cw.close()));
  });

  it('with a 1 MiB budget, evicts least recently used tenants and fetches them again, serving every tenant its own data', async () => {
    const { t, tenants } = small;
    for (let round = 1; round <= 3; round++) {
      for (const tenant of tenants) {
        await expectServed(t, tenant);
        const used = await usage(t);
        expect(used.maxBytes).toBe(1024 * 1024);
        expect(used.bytes).toBeLessThanOrEqual(used.maxBytes);
      }
    }
    // Round-robin over four tenants with room for two: each request finds its tenant evicted.
    for (const tenant of tenants) expect(walks(tenant)).toBe(3);
    // The most recent tenant is still held: asking again makes no vendor call.
    await expectServed(t, tenants[TENANTS - 1]);
    expect(walks(tenants[TENANTS - 1])).toBe(3);
    const used = await usage(t);
    expect(used.entries).toBeGreaterThan(0);
    // Not everything was dropped: the cache is in use up to (close to) its budget.
    expect(used.bytes).toBeGreaterThan(used.maxBytes / 4);
  }, 60_000);

  it('counts the indexes a query builds on a cached fill against the budget', async () => {
    const { t, tenants } = small;
    const tenant = tenants[0];
    await expectServed(t, tenant);
    const before = (await usage(t)).bytes;
    // A sort on a field not used yet builds its index (and its descending order) on the cached fill.
    expect((await t.get(`/api/tenants/${tenant.id}/tickets?sort=-summary&page_size=5`)).status).toBe(200);
    expect((await usage(t)).bytes).toBeGreaterThan(before + 4 * TICKETS);
  }, 30_000);

  it('keeps one walk for concurrent requests on an evicted tenant (single flight)', async () => {
    const { t, tenants } = small;
    // Touch the others so tenants[0] is the least recently used, and evicted.
    for (const tenant of tenants.slice(1)) await expectServed(t, tenant);
    const before = walks(tenants[0]);
    const responses = await Promise.all(Array.from({ length: 6 }, () => t.get(`/api/tenants/${tenants[0].id}/tickets?page_size=10`)));
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(walks(tenants[0])).toBe(before + 1);
  }, 30_000);

  it('with the default budget, keeps every tenant: a second round makes no vendor call', async () => {
    const { t, tenants } = large;
    for (let round = 1; round <= 2; round++) for (const tenant of tenants) await expectServed(t, tenant);
    for (const tenant of tenants) expect(walks(tenant)).toBe(1);
    expect((await usage(t)).maxBytes).toBe(512 * 1024 * 1024);
  }, 60_000);
});

describe('stale copies under a byte budget (CACHE_TTL_SECONDS=1, SNAPSHOT_CACHE_MAX_MB=1)', () => {
  let setup: { t: TestApp; tenants: Tenant[] };

  beforeAll(async () => {
    setup = await setUp({ SNAPSHOT_CACHE_MAX_MB: '1', CACHE_TTL_SECONDS: '1' }, 'tenant_budget_stale');
  }, 60_000);

  afterAll(async () => {
    await setup?.t.close();
    await Promise.all((setup?.tenants ?? []).map((tenant) => tenant.cw.close()));
  });

  it('serves a tenant still in budget stale (Warning 110) when its vendor fails; an evicted one has no copy and gets the vendor error', async () => {
    const { t, tenants } = setup;
    for (const tenant of tenants) await expectServed(t, tenant);
    await sleep(1_100);
    for (const tenant of tenants) tenant.cw.failNext(1_000, { status: 503 });

    const recent = tenants[TENANTS - 1];
    const stale = await t.get(`/api/tenants/${recent.id}/tickets?page_size=20&sort=cw_ticket_id`);
    expect(stale.status).toBe(200);
    expect(stale.headers.warning).toBe('110 - "stale"');
    expect(stale.body.meta.total).toBe(TICKETS);

    const evicted = tenants[0];
    const failed = await t.get(`/api/tenants/${evicted.id}/tickets?page_size=20&sort=cw_ticket_id`);
    expect(failed.status).toBeGreaterThanOrEqual(502);
    expect(failed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(failed.headers.warning).toBeUndefined();
  }, 30_000);
});
