import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SEED_CSAT_SURVEY, SEED_TICKET } from '../../src/cli/generate/seed-examples.js';
import type { CwTicket } from '../../src/integrations/connectwise/connectwise.client.js';
import type { CsatSurvey } from '../../src/csat/csat-survey.record.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';
import { bootApp, TestApp } from '../support/app.js';
import {
  LIVE_ENV,
  MEMBERS,
  at,
  bulkGraphAlerts,
  bulkReviews,
  bulkThreats,
  bulkTickets,
  bulkTimeEntries,
  call,
  closeFakes,
  Fakes,
  listAll,
  registerTenant,
  startFakes,
} from '../support/live-fixtures.js';
import { writeFolder } from '../support/seed-folder.js';
import { bootVendorReplicaApp, syncStatus } from '../support/vendor-replica-app.js';
import { untilHistorySynced } from '../support/replica-sync.js';

/*
 * Mixed mode: MOCK_MODE=false with MOCK_DOMAINS=tickets,csat. Tickets and CSAT come from the mock
 * folder, time entries and alerts from the replica of the fake vendors (the production stream binding:
 * a mocked domain's streams do not exist, so its vendor is never called); the tenant is the platform store's.
 */

// A synced history longer than the recent window: what the read-through fetched by id, the replica holds by its history.
// VENDOR_TIMEOUT_MS: no test here times a vendor out; LIVE_ENV's 500 ms fails first syncs on a loaded machine.
const ENV = { ...LIVE_ENV, VENDOR_TIMEOUT_MS: '5000', SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '180', FIRST_SYNC_WAIT_MS: '10000' };

const TENANT = 'tenant_mixed';
const STORE_ONLY = 'tenant_store_only';
const CW_ONLY = 'tenant_cw_only';

const mockTicket = (id: string, over: Partial<Ticket> = {}): Ticket => ({ ...SEED_TICKET, tenant_id: TENANT, cw_ticket_id: id, ...over });
// 7777: a ConnectWise ticket, opened 120 days ago, closed 2 days ago: its time entries come from the synced history.
const MOCK_TICKETS = [
  mockTicket('MOCK-1'),
  mockTicket('MOCK-2', { status: 'New', closed_at_remote: null }),
  mockTicket('7777', { created_at_remote: at(120), updated_at_remote: at(2), closed_at_remote: at(2) }),
];
// Worked 110 days ago on 7777, untouched since: older than LIVE_WINDOW_DAYS, inside SYNC_HISTORY_DAYS.
const OLD_ENTRY = {
  id: 9001,
  chargeToId: 7777,
  chargeToType: 'ServiceTicket',
  member: { id: MEMBERS[0].id as number, identifier: MEMBERS[0].identifier },
  workType: { id: 1, name: 'Remote Support' },
  billableOption: 'Billable',
  actualHours: 2,
  notes: 'Old work',
  timeStart: at(110),
  _info: { lastUpdated: at(110) },
};
const MOCK_SURVEYS: CsatSurvey[] = [{ ...SEED_CSAT_SURVEY, tenant_id: TENANT, survey_id: 'MOCK-S1', ticket_id: 'MOCK-1' }];

describe('mixed mode (MOCK_DOMAINS)', () => {
  let fakes: Fakes;
  let folder: string;
  let t: TestApp;

  beforeAll(async () => {
    fakes = await startFakes();
    const { tickets, notes } = bulkTickets(20, 7000);
    fakes.connectwise.tickets = tickets;
    fakes.connectwise.notes = notes;
    fakes.connectwise.members = MEMBERS;
    fakes.connectwise.timeEntries = [...bulkTimeEntries(12, 8000, tickets.map((x) => x.id as number)), OLD_ENTRY];
    fakes.smileback.reviews = bulkReviews(9, 100);
    fakes.sentinelone.threats = bulkThreats(4, 10);
    fakes.defender.graphAlerts = bulkGraphAlerts(3, 20);
    folder = await writeFolder({
      // The folder may list other tenants: tenants are the platform store's in mixed mode.
      'tenants.json': [
        { id: TENANT, name: 'Mixed (from the folder)', is_active: true, llm_enabled: false },
        { id: 'tenant_folder_only', name: 'Folder only', is_active: true, llm_enabled: false },
      ],
      [`tickets/${TENANT}.json`]: MOCK_TICKETS,
      [`csat/${TENANT}.json`]: MOCK_SURVEYS,
    });
    t = await bootVendorReplicaApp({ ...ENV, MOCK_DOMAINS: 'tickets,csat', MOCK_DATA_PATH: folder, MOCK_WATCH: 'true' });
    await registerTenant(t.app, TENANT, fakes);
    await registerTenant(t.app, STORE_ONLY, fakes);
    await registerTenant(t.app, CW_ONLY, { connectwise: fakes.connectwise });
    for (const tenant of [TENANT, STORE_ONLY, CW_ONLY]) await untilHistorySynced(t.app, tenant);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await closeFakes(fakes);
  });

  it('serves the mocked domains from the folder without ever calling their vendors', async () => {
    const tickets = await listAll<Ticket>(t.app, `/api/tenants/${TENANT}/tickets`);
    expect(tickets.map((x) => x.cw_ticket_id).sort()).toEqual(['7777', 'MOCK-1', 'MOCK-2']);
    expect(tickets.find((x) => x.cw_ticket_id === 'MOCK-1')).toEqual(MOCK_TICKETS[0]);
    expect((await t.get(`/api/tenants/${TENANT}/tickets/MOCK-2`)).body).toEqual(MOCK_TICKETS[1]);
    expect(await listAll(t.app, `/api/tenants/${TENANT}/csat`)).toEqual(MOCK_SURVEYS);
    // A store tenant without a file has no mocked records.
    expect(await listAll(t.app, `/api/tenants/${STORE_ONLY}/tickets`)).toEqual([]);
    expect(fakes.connectwise.calls('/service/tickets')).toBe(0);
    expect(fakes.connectwise.calls('/notes')).toBe(0);
    expect(fakes.smileback.calls()).toBe(0);
    // The mocked domains' streams do not exist: ConnectWise syncs time entries and the members they name, SmileBack nothing.
    expect((await syncStatus(t.app, TENANT)).map((s) => s.stream)).toEqual(['connectwise.time_entries', 'connectwise.members', 'sentinelone.threats', 'defender.alerts']);
  });

  it('serves the other domains from the replica of their vendors', async () => {
    const entries = await listAll<{ cw_time_entry_id: string }>(t.app, `/api/tenants/${TENANT}/time-entries`);
    expect(entries.map((e) => e.cw_time_entry_id).sort()).toEqual(fakes.connectwise.timeEntries.map((e) => String(e.id)).sort());
    const alerts = await listAll<{ source: string }>(t.app, `/api/tenants/${TENANT}/security-alerts`);
    expect(alerts.filter((a) => a.source === 'sentinelone')).toHaveLength(4);
    expect(alerts.filter((a) => a.source === 'defender')).toHaveLength(3);
    expect(fakes.connectwise.calls('/time/entries')).toBeGreaterThan(0);
    expect(fakes.sentinelone.calls('/threats')).toBeGreaterThan(0);
    expect(fakes.smileback.calls()).toBe(0);
    // The old entry of the folder's closed ticket 7777 is held: it is inside the synced history (the backfill),
    // and no ticket was asked of ConnectWise's tickets endpoint (the mocked domain's vendor call).
    expect(entries.map((e) => e.cw_time_entry_id)).toContain('9001');
    const conditions = fakes.connectwise.requests.filter((r) => r.path.endsWith('/time/entries')).map((r) => r.query.get('conditions') ?? '');
    expect(conditions).toContainEqual(expect.stringMatching(/^lastUpdated>=\[\S+\] and lastUpdated<\[\S+\]$/));
    expect(conditions.filter((c) => c.includes('chargeToId'))).toEqual([]);
    expect(fakes.connectwise.calls('/service/tickets')).toBe(0);
    // Served from the replica: reading again calls no vendor.
    const before = Object.values(fakes).reduce((sum, fake) => sum + fake.requests.length, 0);
    await listAll(t.app, `/api/tenants/${TENANT}/time-entries`);
    await listAll(t.app, `/api/tenants/${TENANT}/security-alerts`);
    expect(Object.values(fakes).reduce((sum, fake) => sum + fake.requests.length, 0)).toBe(before);
  });

  it('keeps the platform store as the tenant list, not the folder\'s tenants.json', async () => {
    const res = await t.get(`/api/tenants/${TENANT}`);
    expect(res.body).toEqual({ id: TENANT, name: `Tenant ${TENANT}`, is_active: true, llm_enabled: false });
    expect((await t.get('/api/tenants/tenant_folder_only')).status).toBe(404);
  });

  it('says mode "mixed" and each domain\'s source in health, and checks both the folder and the vendors', async () => {
    const res = await call(t.app).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      mode: 'mixed',
      sources: { tickets: 'mock', time_entries: 'live', csat: 'mock', security_alerts: 'live' },
    });
    expect(Object.keys(res.body.checks).sort()).toEqual(['integrations', 'mock_data', 'store', 'sync', 'vendors']);
    // Each side lists only its own domains without data: the folder its mocked ones, the store its live ones.
    expect(res.body.checks.mock_data.not_configured).toEqual([
      { tenant_id: 'tenant_folder_only', domain: 'tickets' },
      { tenant_id: 'tenant_folder_only', domain: 'csat' },
    ]);
    expect(res.body.checks.integrations.not_configured).toEqual([{ tenant_id: CW_ONLY, domain: 'security_alerts' }]);
  });

  it('reloads the mocked domains when the folder changes, as mock mode does', async () => {
    const next = [...MOCK_TICKETS, mockTicket('MOCK-3')];
    const file = join(folder, 'tickets', `${TENANT}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(next));
    await rename(`${file}.tmp`, file);
    let ids: string[] = [];
    for (let attempt = 0; attempt < 100 && ids.length !== 4; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ids = (await listAll<Ticket>(t.app, `/api/tenants/${TENANT}/tickets`)).map((x) => x.cw_ticket_id).sort();
    }
    expect(ids).toEqual(['7777', 'MOCK-1', 'MOCK-2', 'MOCK-3']);
    expect(fakes.connectwise.calls('/service/tickets')).toBe(0);
  }, 30_000);
});

describe('mixed mode with only CSAT mocked (MOCK_DOMAINS=csat): the live tickets resolve the mock surveys', () => {
  const CSAT_TENANT = 'tenant_csat_mocked';
  // Closed 150 days ago: older than LIVE_WINDOW_DAYS, inside SYNC_HISTORY_DAYS: held through the backfill, and named by a mock survey.
  const OLD_TICKET_ID = 9100;
  const oldTicket: CwTicket = {
    id: OLD_TICKET_ID,
    summary: 'Printer jam on the third floor',
    recordType: 'ServiceTicket',
    board: { id: 1, name: 'Service' },
    status: { id: 9, name: 'Closed' },
    priority: { id: 8, name: 'Priority 3 - Normal Response' },
    company: { id: 250, identifier: 'AcmeCorp', name: 'Acme Corporation' },
    owner: { id: 176, identifier: 'jdoe' },
    closedFlag: true,
    closedDate: at(150, '10:00:00'),
    _info: { dateEntered: at(151, '09:00:00'), lastUpdated: at(150, '10:00:00') },
  };
  const survey: CsatSurvey = { ...SEED_CSAT_SURVEY, tenant_id: CSAT_TENANT, survey_id: 'MOCK-S9100', ticket_id: String(OLD_TICKET_ID) };
  let fakes: Fakes;
  let t: TestApp;

  beforeAll(async () => {
    fakes = await startFakes();
    const { tickets, notes } = bulkTickets(5, 9000);
    fakes.connectwise.tickets = [...tickets, oldTicket];
    fakes.connectwise.notes = notes;
    fakes.connectwise.members = MEMBERS;
    fakes.connectwise.timeEntries = bulkTimeEntries(4, 8000, tickets.map((x) => x.id as number));
    // SmileBack answers, with reviews naming other tickets: a call to it would be seen, and would not name 9100.
    fakes.smileback.reviews = bulkReviews(3, 100);
    const folder = await writeFolder({
      // A recorded folder: its surveys may name tickets outside the recorded window (not checked at load).
      'recording.json': { recorded_from: CSAT_TENANT },
      'tenants.json': [{ id: CSAT_TENANT, name: 'CSAT mocked', is_active: true, llm_enabled: false }],
      [`csat/${CSAT_TENANT}.json`]: [survey],
    });
    t = await bootVendorReplicaApp({ ...ENV, MOCK_DOMAINS: 'csat', MOCK_DATA_PATH: folder, MOCK_WATCH: 'false' });
    await registerTenant(t.app, CSAT_TENANT, { connectwise: fakes.connectwise, smileback: fakes.smileback });
    await untilHistorySynced(t.app, CSAT_TENANT);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await closeFakes(fakes);
  });

  it('holds the old ticket a mock survey names, and never calls SmileBack', async () => {
    const tickets = await listAll<Ticket>(t.app, `/api/tenants/${CSAT_TENANT}/tickets`);
    expect(tickets.map((x) => x.cw_ticket_id)).toContain(String(OLD_TICKET_ID));
    expect(tickets.find((x) => x.cw_ticket_id === String(OLD_TICKET_ID))).toMatchObject({ summary: oldTicket.summary, company: 'Acme Corporation' });
    // Held by the synced history (the backfill's window), not fetched by id.
    const conditions = fakes.connectwise.requests.filter((r) => r.path.endsWith('/service/tickets')).map((r) => r.query.get('conditions') ?? '');
    expect(conditions).toContainEqual(expect.stringMatching(/^lastUpdated>=\[\S+\] and lastUpdated<\[\S+\]$/));
    expect(conditions.filter((c) => c.startsWith('id in'))).toEqual([]);
    expect(fakes.smileback.calls()).toBe(0);
    expect((await syncStatus(t.app, CSAT_TENANT)).map((s) => s.stream)).not.toContain('smileback.reviews');
    expect(await listAll(t.app, `/api/tenants/${CSAT_TENANT}/csat`)).toEqual([survey]);
    expect(fakes.smileback.calls()).toBe(0);
  });
});

describe('mode reported by health', () => {
  it('says "mock" with every source mock in mock mode, and "live" with every source live in live mode', async () => {
    const mock = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data', MOCK_WATCH: 'false' });
    try {
      expect((await mock.get('/api/health')).body).toMatchObject({
        mode: 'mock',
        sources: { tickets: 'mock', time_entries: 'mock', csat: 'mock', security_alerts: 'mock' },
      });
    } finally {
      await mock.close();
    }
    const live = await bootVendorReplicaApp(ENV);
    try {
      expect((await live.get('/api/health')).body).toMatchObject({
        mode: 'live',
        sources: { tickets: 'live', time_entries: 'live', csat: 'live', security_alerts: 'live' },
      });
    } finally {
      await live.close();
    }
  }, 120_000);
});

describe('mixed mode scenarios (MOCK_DOMAINS=tickets): Prefer and scenarios.json act on the mocked routes only', () => {
  const SC_TENANT = 'tenant_mixed_scenarios';
  let fakes: Fakes;
  let t: TestApp;

  beforeAll(async () => {
    fakes = await startFakes();
    const { tickets, notes } = bulkTickets(3, 9500);
    fakes.connectwise.tickets = tickets;
    fakes.connectwise.notes = notes;
    fakes.connectwise.members = MEMBERS;
    fakes.connectwise.timeEntries = bulkTimeEntries(2, 9600, tickets.map((x) => x.id as number));
    fakes.smileback.reviews = bulkReviews(2, 100);
    const folder = await writeFolder({
      'tenants.json': [{ id: SC_TENANT, name: 'Scenarios', is_active: true, llm_enabled: false }],
      [`tickets/${SC_TENANT}.json`]: [{ ...SEED_TICKET, tenant_id: SC_TENANT, cw_ticket_id: 'MOCK-1' }],
      // Every domain, every tenant: only the mocked domain's routes may follow it.
      'scenarios.json': { rules: [{ tenant: '*', domain: '*', stale: true }] },
    });
    t = await bootVendorReplicaApp({ ...ENV, MOCK_DOMAINS: 'tickets', MOCK_DATA_PATH: folder, MOCK_WATCH: 'false' });
    await registerTenant(t.app, SC_TENANT, fakes);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await closeFakes(fakes);
  });

  it('applies the scenarios.json rules to the mocked domain, naming its live-mode vendor', async () => {
    const res = await t.get(`/api/tenants/${SC_TENANT}/tickets`).expect(200);
    expect(res.body.data.map((x: Ticket) => x.cw_ticket_id)).toEqual(['MOCK-1']);
    expect(res.headers.warning).toBe('110 - "stale"');
    expect(res.headers['x-stale-vendors']).toBe('connectwise');
  });

  it('answers Prefer on the mocked domain as mock mode does, a bad value included', async () => {
    const failed = await t.get(`/api/tenants/${SC_TENANT}/tickets`).set('prefer', 'code=503').expect(503);
    expect(failed.body).toMatchObject({ type: '/problems/vendor-unavailable', status: 503 });
    expect(failed.headers['retry-after']).toMatch(/^\d+$/);
    expect(failed.headers['preference-applied']).toBe('code=503');
    const bad = await t.get(`/api/tenants/${SC_TENANT}/tickets`).set('prefer', 'code=500').expect(400);
    expect(bad.body).toMatchObject({ type: '/problems/validation', detail: expect.stringMatching(/^Prefer: code=500 is not one of/) });
    expect(fakes.connectwise.calls('/service/tickets')).toBe(0);
  });

  it('leaves the live domains\' routes alone: no rule, no Prefer, as in live mode', async () => {
    for (const path of ['time-entries', 'csat']) {
      const plain = await t.get(`/api/tenants/${SC_TENANT}/${path}`).expect(200);
      expect(plain.headers.warning).toBeUndefined();
      expect(plain.headers['x-stale-vendors']).toBeUndefined();
      const preferred = await t.get(`/api/tenants/${SC_TENANT}/${path}`).set('prefer', 'code=503').expect(200);
      expect(preferred.headers['preference-applied']).toBeUndefined();
      // A value mock mode would refuse is ignored, as live mode ignores every preference.
      await t.get(`/api/tenants/${SC_TENANT}/${path}`).set('prefer', 'code=500').expect(200);
    }
    // Live: synced from their vendors, the mocked domain's never.
    expect(fakes.connectwise.calls('/time/entries')).toBeGreaterThan(0);
    expect(fakes.smileback.calls()).toBeGreaterThan(0);
    expect(fakes.connectwise.calls('/service/tickets')).toBe(0);
  });

  it('leaves the insights alone while they read a live domain', async () => {
    const res = await t.get(`/api/tenants/${SC_TENANT}/summary`).set('prefer', 'code=504').expect(200);
    expect(res.headers.warning).toBeUndefined();
    expect(res.headers['preference-applied']).toBeUndefined();
  });
});
