import type { CwServiceNote, CwTicket, CwTimeEntry } from '../../src/integrations/connectwise/connectwise.client.js';
import type { DefenderGraphAlert } from '../../src/integrations/defender/defender.client.js';
import type { SentinelOneThreat } from '../../src/integrations/sentinelone/sentinelone.client.js';
import type { SmileBackReview } from '../../src/integrations/smileback/smileback.client.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import type { TestApp } from '../support/app.js';
import {
  LIVE_ENV,
  MEMBERS,
  MEMBER_EMAILS,
  VENDOR_PAGE_SIZE,
  at,
  bulkGraphAlerts,
  bulkReviews,
  bulkThreats,
  bulkTickets,
  bulkTimeEntries,
  call,
  closeFakes,
  day,
  Fakes,
  listAll,
  mintTenantKey,
  registerTenant,
  startFakes,
} from '../support/live-fixtures.js';
import { createPostgresDatabase, TestDatabase } from '../support/postgres.js';
import { bootVendorReplicaApp, settled, syncStatus } from '../support/vendor-replica-app.js';

/*
 * Live mode end to end: the real AppModule with MOCK_MODE=false, a tenant registered through the
 * admin API whose four integrations point at fake vendor servers on loopback. Reads come from the
 * replica the sync keeps (a stream's first read waits for its first sync; no read calls a vendor).
 * The exact records below are written by hand from data-contract.md's "Live-mode mapping decisions"
 * (never computed with the mappers under test); the bulk data checks paging, counts and ids.
 */

const ALPHA = 'tenant_alpha';
const BETA = 'tenant_beta';
const GAMMA = 'tenant_gamma';
const ALPHA_TZ = 'America/New_York';

// ---------------------------------------------------------------------------------------------
// ConnectWise: 3 hand-written tickets (the most recently updated), 10 "Initech" tickets (old, for
// `q`), 2,200 bulk tickets, and one ticket outside the 90-day live window.

const HAND_TICKETS: CwTicket[] = [
  {
    id: 184231,
    summary: 'Outlook keeps asking for a password',
    recordType: 'ServiceTicket',
    board: { id: 1, name: 'Service' },
    status: { id: 1, name: 'New' },
    priority: { id: 8, name: 'Priority 3 - Normal Response' },
    company: { id: 250, identifier: 'AcmeCorp', name: 'Acme Corporation' },
    owner: { id: 176, identifier: 'jdoe' },
    slaStatus: 'Respond by Fri 11/27 5:00 PM UTC-05',
    budgetHours: 1.5,
    closedFlag: false,
    closedDate: null,
    _info: { dateEntered: at(3, '09:00:00'), lastUpdated: at(1, '10:00:00'), enteredBy: 'jdoe' },
  },
  {
    id: 184232,
    summary: 'Printer offline in reception',
    recordType: 'ServiceTicket',
    board: { id: 1, name: 'Service' },
    status: { id: 9, name: 'Closed' },
    priority: { id: 7, name: 'Priority 2 - Quick Response' },
    company: { id: 250, identifier: 'AcmeCorp', name: 'Acme Corporation' },
    owner: { id: 177, identifier: 'asmith' },
    slaStatus: null,
    budgetHours: null,
    closedFlag: true,
    closedDate: at(2, '16:30:00'),
    // A zoned ConnectWise date: 08:00 at UTC-05 is 13:00 UTC.
    _info: { dateEntered: `${day(4)}T08:00:00-05:00`, lastUpdated: at(2, '16:31:00') },
  },
  {
    id: 184233,
    summary: 'Rack the new firewall',
    recordType: 'ProjectTicket',
    board: { id: 3, name: 'Projects' },
    status: { id: 4, name: 'In Progress' },
    priority: { id: 6, name: 'Priority 1 - Emergency Response' },
    company: { id: 260, identifier: 'Globex', name: 'Globex' },
    owner: null,
    budgetHours: 0,
    // closedDate without closedFlag: not a closed ticket.
    closedFlag: false,
    closedDate: at(3, '00:00:00'),
    _info: { dateEntered: at(5, '07:00:00'), lastUpdated: at(3, '11:00:00') },
  },
];

const HAND_NOTES: CwServiceNote[] = [
  { id: 11, ticketId: 184231, text: 'User reports Outlook prompts for credentials every 10 minutes.', detailDescriptionFlag: true },
  { id: 12, ticketId: 184231, text: 'Checked MFA registration.', detailDescriptionFlag: false, internalAnalysisFlag: true },
  { id: 22, ticketId: 184232, text: 'Later detail note.', detailDescriptionFlag: true },
  { id: 21, ticketId: 184232, text: 'Printer shows offline; power-cycled, still offline.', detailDescriptionFlag: true },
  { id: 23, ticketId: 184232, text: 'Replaced the network cable.', detailDescriptionFlag: false },
];

const EXPECTED_TICKETS = [
  {
    tenant_id: ALPHA,
    cw_ticket_id: '184231',
    board: 'Service',
    status: 'New',
    priority: 'Priority 3 - Normal Response',
    summary: 'Outlook keeps asking for a password',
    description: 'User reports Outlook prompts for credentials every 10 minutes.',
    company: 'Acme Corporation',
    owner: 'jdoe@msp.example',
    created_at_remote: at(3, '09:00:00'),
    updated_at_remote: at(1, '10:00:00'),
    sla_status: 'Respond by Fri 11/27 5:00 PM UTC-05',
    estimated_hours: 1.5,
  },
  {
    tenant_id: ALPHA,
    cw_ticket_id: '184232',
    board: 'Service',
    status: 'Closed',
    priority: 'Priority 2 - Quick Response',
    summary: 'Printer offline in reception',
    description: 'Printer shows offline; power-cycled, still offline.',
    company: 'Acme Corporation',
    owner: 'asmith@msp.example',
    created_at_remote: `${day(4)}T13:00:00Z`,
    updated_at_remote: at(2, '16:31:00'),
    closed_at_remote: at(2, '16:30:00'),
  },
  {
    tenant_id: ALPHA,
    cw_ticket_id: '184233',
    board: 'Projects',
    status: 'In Progress',
    priority: 'Priority 1 - Emergency Response',
    summary: 'Rack the new firewall',
    description: '',
    company: 'Globex',
    owner: null,
    created_at_remote: at(5, '07:00:00'),
    updated_at_remote: at(3, '11:00:00'),
    estimated_hours: 0,
  },
];

/** Initech: 10 tickets updated 80 days ago (never on page 1); 4 of them describe a printer. */
const INITECH_IDS = Array.from({ length: 10 }, (_, i) => 290_001 + i);
const INITECH_PRINTER_IDS = [290_001, 290_003, 290_005, 290_007];
const INITECH_TICKETS: CwTicket[] = INITECH_IDS.map((id, i) => ({
  id,
  summary: `Initech request ${id}`,
  board: { id: 1, name: 'Service' },
  status: { id: 1, name: 'New' },
  priority: { id: 8, name: 'Priority 4 - Scheduled Maintenance' },
  company: { id: 270, identifier: 'Initech', name: 'Initech' },
  owner: { id: 178, identifier: 'bking' },
  closedFlag: false,
  _info: { dateEntered: at(81, '09:00:00'), lastUpdated: at(80, `10:${String(i).padStart(2, '0')}:00`) },
}));
const INITECH_NOTES: CwServiceNote[] = INITECH_IDS.map((id) => ({
  id: 5_000_000 + id,
  ticketId: id,
  text: INITECH_PRINTER_IDS.includes(id) ? 'PRINTER jam on the 2nd floor' : 'Monitor flickers after lunch',
  detailDescriptionFlag: true,
}));

// Closed and untouched for 200 days: outside the live window (an open one would be held however old).
const OUT_OF_WINDOW_TICKET: CwTicket = {
  ...HAND_TICKETS[0],
  id: 100_001,
  summary: 'Ancient ticket',
  status: { id: 9, name: 'Closed' },
  closedFlag: true,
  closedDate: at(200),
  _info: { dateEntered: at(210), lastUpdated: at(200) },
};

const BULK = bulkTickets(2200, 300_001);
const TICKETS_IN_WINDOW = HAND_TICKETS.length + INITECH_TICKETS.length + BULK.tickets.length; // 2213

// ---------------------------------------------------------------------------------------------
// ConnectWise time entries: 3 by hand, 1,100 bulk, 1 outside the window.

const HAND_TIME_ENTRIES: CwTimeEntry[] = [
  {
    id: 5001,
    chargeToId: 184231,
    chargeToType: 'ServiceTicket',
    member: { id: 176, identifier: 'jdoe' },
    workType: { id: 1, name: 'Remote Support' },
    billableOption: 'Billable',
    actualHours: 0.75,
    notes: 'Reset the password and re-registered MFA',
    // 02:30 UTC is the previous evening in New York (the integration's time zone).
    timeStart: at(3, '02:30:00'),
    timeEnd: at(3, '03:15:00'),
    _info: { lastUpdated: at(3, '03:20:00') },
  },
  {
    id: 5002,
    chargeToId: 12,
    chargeToType: 'ChargeCode',
    member: { id: 177, identifier: 'asmith' },
    workType: { id: 3, name: 'Admin' },
    billableOption: 'DoNotBill',
    actualHours: 1.333,
    notes: null,
    timeStart: at(2, '15:00:00'),
    _info: { lastUpdated: at(2, '16:30:00') },
  },
  {
    id: 5003,
    chargeToId: 184233,
    chargeToType: 'ProjectTicket',
    member: { id: 178, identifier: 'bking' },
    workType: { id: 2, name: 'Onsite' },
    billableOption: 'NoCharge',
    actualHours: 2,
    notes: 'Rack install',
    timeStart: at(1, '12:00:00'),
    _info: { lastUpdated: at(1, '14:00:00') },
  },
];

const EXPECTED_TIME_ENTRIES = [
  {
    tenant_id: ALPHA,
    cw_time_entry_id: '5003',
    cw_ticket_id: '184233',
    member: 'bking@msp.example',
    work_type: 'Onsite',
    billable: false,
    minutes: 120,
    notes: 'Rack install',
    date_worked: day(1),
  },
  {
    tenant_id: ALPHA,
    cw_time_entry_id: '5002',
    cw_ticket_id: null,
    member: 'asmith@msp.example',
    work_type: 'Admin',
    billable: false,
    minutes: 80,
    notes: '',
    date_worked: day(2),
  },
  {
    tenant_id: ALPHA,
    cw_time_entry_id: '5001',
    cw_ticket_id: '184231',
    member: 'jdoe@msp.example',
    work_type: 'Remote Support',
    billable: true,
    minutes: 45,
    notes: 'Reset the password and re-registered MFA',
    date_worked: day(4),
  },
];

const BULK_TIME_ENTRIES = bulkTimeEntries(1100, 700_001, BULK.tickets.slice(0, 40).map((t) => t.id as number));
const OLD_TIME_ENTRY: CwTimeEntry = { ...HAND_TIME_ENTRIES[0], id: 4999, timeStart: at(200), _info: { lastUpdated: at(200) } };

// ---------------------------------------------------------------------------------------------
// SmileBack: 3 rated reviews by hand, 1 unrated and 1 deleted (both dropped), 2,100 bulk, 1 old.

const HAND_REVIEWS: SmileBackReview[] = [
  {
    id: 35929235,
    rating: 1,
    comment: 'Quick fix, thanks!',
    ticket: { id: '184231', title: 'Outlook keeps asking for a password' },
    status: 'closed',
    rated_on: `${day(1)}T17:41:09.512301Z`,
    last_modified: `${day(1)}T17:41:09.512301Z`,
  },
  {
    id: 35929236,
    rating: '-1',
    comment: null,
    ticket: null,
    status: 'open',
    rated_on: at(2, '08:00:00'),
    last_modified: at(2, '08:00:00'),
  },
  {
    id: 35929237,
    rating: 0,
    comment: 'It was fine',
    ticket: { id: 184232, title: 'Printer offline in reception' },
    status: 'closed',
    rated_on: `${day(3)}T15:20:00+01:00`,
    last_modified: at(3, '14:21:00'),
  },
  { id: 35929238, rating: null, comment: null, ticket: { id: '184233' }, status: 'open', rated_on: null, last_modified: at(1, '09:00:00') },
  {
    id: 35929239,
    rating: 1,
    comment: 'Deleted by the customer',
    ticket: { id: '184231' },
    status: 'deleted',
    rated_on: at(1, '18:00:00'),
    last_modified: at(1, '18:05:00'),
  },
];

const EXPECTED_SURVEYS = [
  {
    tenant_id: ALPHA,
    survey_id: '35929235',
    ticket_id: '184231',
    score: 5,
    sentiment: 'positive',
    comment: 'Quick fix, thanks!',
    submitted_at: `${day(1)}T17:41:09.512Z`,
  },
  { tenant_id: ALPHA, survey_id: '35929236', ticket_id: null, score: 1, sentiment: 'negative', comment: '', submitted_at: at(2, '08:00:00') },
  {
    tenant_id: ALPHA,
    survey_id: '35929237',
    ticket_id: '184232',
    score: 3,
    sentiment: 'neutral',
    comment: 'It was fine',
    submitted_at: `${day(3)}T14:20:00Z`,
  },
];

const BULK_REVIEWS = bulkReviews(2100, 40_000_001);
const OLD_REVIEW: SmileBackReview = { ...HAND_REVIEWS[0], id: 35000000, rated_on: at(200), last_modified: at(200) };

// ---------------------------------------------------------------------------------------------
// SentinelOne: 2 threats by hand, 1,200 bulk. Defender: 2 alerts by hand, 1 from Office 365 (not
// asked for), 1,100 bulk.

const HAND_THREATS: SentinelOneThreat[] = [
  {
    id: '1790000000000000001',
    agentRealtimeInfo: { accountId: 'acc-1', siteId: 'site-1', agentComputerName: 'CD-FRONTDESK-01' },
    threatInfo: {
      threatName: 'locky.exe',
      classification: 'Ransomware',
      confidenceLevel: 'malicious',
      mitigationStatus: 'mitigated',
      incidentStatus: 'unresolved',
      analystVerdict: 'true_positive',
      identifiedAt: `${day(1)}T09:14:02.871000Z`,
      createdAt: `${day(1)}T09:14:05.000000Z`,
      updatedAt: `${day(1)}T09:20:00.000000Z`,
    },
  },
  {
    id: '1790000000000000002',
    agentRealtimeInfo: { accountId: 'acc-1', siteId: 'site-1', agentComputerName: 'CD-ACCOUNTS-02' },
    threatInfo: {
      threatName: 'invoice.exe',
      classification: 'Malware',
      confidenceLevel: 'suspicious',
      mitigationStatus: 'mitigated',
      incidentStatus: 'resolved',
      analystVerdict: 'false_positive',
      identifiedAt: null,
      createdAt: at(3, '11:00:00'),
      updatedAt: `${day(2)}T08:00:00.123456Z`,
    },
  },
];

const HAND_GRAPH_ALERTS: DefenderGraphAlert[] = [
  {
    id: 'da637551',
    title: 'Suspicious PowerShell command line',
    severity: 'high',
    status: 'inProgress',
    serviceSource: 'microsoftDefenderForEndpoint',
    createdDateTime: `${day(1)}T07:15:10.1234567Z`,
    lastUpdateDateTime: at(1, '08:00:00'),
    resolvedDateTime: null,
    evidence: [
      { '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: 'pc-02.corp.example', roles: [] },
      { '@odata.type': '#microsoft.graph.security.userEvidence', roles: ['compromised'] },
      { '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: 'pc-01.corp.example', roles: ['compromised'] },
    ],
  },
  {
    id: 'da637552',
    title: 'Malware was detected',
    severity: 'unknownFutureValue',
    status: 'resolved',
    serviceSource: 'microsoftDefenderForEndpoint',
    createdDateTime: at(4, '10:00:00'),
    lastUpdateDateTime: at(2, '12:00:00'),
    resolvedDateTime: at(2, '12:00:00'),
    evidence: [],
  },
  {
    id: 'da637553',
    title: 'Phishing email delivered',
    severity: 'high',
    status: 'new',
    serviceSource: 'microsoftDefenderForOffice365',
    createdDateTime: at(1, '11:00:00'),
    lastUpdateDateTime: at(1, '11:00:00'),
  },
];

/** By `-detected_at`: S1 (day 1, 09:14), D1 (day 1, 07:15), S2 (day 3), D2 (day 4). */
const EXPECTED_ALERTS = [
  {
    tenant_id: ALPHA,
    source: 'sentinelone',
    alert_id: '1790000000000000001',
    severity: 'critical',
    title: 'Ransomware: locky.exe',
    device: 'CD-FRONTDESK-01',
    status: 'new',
    detected_at: `${day(1)}T09:14:02.871Z`,
  },
  {
    tenant_id: ALPHA,
    source: 'defender',
    alert_id: 'da637551',
    severity: 'high',
    title: 'Suspicious PowerShell command line',
    device: 'pc-01.corp.example',
    status: 'investigating',
    detected_at: `${day(1)}T07:15:10.123Z`,
  },
  {
    tenant_id: ALPHA,
    source: 'sentinelone',
    alert_id: '1790000000000000002',
    severity: 'medium',
    title: 'Malware: invoice.exe',
    device: 'CD-ACCOUNTS-02',
    status: 'resolved',
    detected_at: at(3, '11:00:00'),
    resolved_at: `${day(2)}T08:00:00.123Z`,
  },
  {
    tenant_id: ALPHA,
    source: 'defender',
    alert_id: 'da637552',
    severity: 'low',
    title: 'Malware was detected',
    device: 'unknown',
    status: 'resolved',
    detected_at: at(4, '10:00:00'),
    resolved_at: at(2, '12:00:00'),
  },
];

const BULK_THREATS = bulkThreats(1200, 1);
const BULK_GRAPH_ALERTS = bulkGraphAlerts(1100, 800_001);

function loadAlphaData(f: Fakes): void {
  f.connectwise.members = [...MEMBERS];
  f.connectwise.tickets = [...BULK.tickets, ...HAND_TICKETS, OUT_OF_WINDOW_TICKET, ...INITECH_TICKETS];
  f.connectwise.notes = [...HAND_NOTES, ...INITECH_NOTES, ...BULK.notes];
  f.connectwise.timeEntries = [...HAND_TIME_ENTRIES, OLD_TIME_ENTRY, ...BULK_TIME_ENTRIES];
  f.smileback.reviews = [...HAND_REVIEWS, OLD_REVIEW, ...BULK_REVIEWS];
  f.sentinelone.threats = [...HAND_THREATS, ...BULK_THREATS];
  f.defender.graphAlerts = [...HAND_GRAPH_ALERTS, ...BULK_GRAPH_ALERTS];
}

const pages = (n: number) => Math.ceil(n / VENDOR_PAGE_SIZE);
/** The calls of one walk over n rows: a walk asks at least once, even for none. */
const walk = (n: number) => Math.max(1, pages(n));
const openThreats = (threats: SentinelOneThreat[]) => threats.filter((x) => x.threatInfo?.incidentStatus !== 'resolved').length;
const ids = (rows: Array<Record<string, unknown>>, field: string) => rows.map((r) => String(r[field])).sort();
const totalRequests = (f: Partial<Fakes>) => Object.values(f).reduce((sum, fake) => sum + fake.requests.length, 0);
const noteTicketIds = (f: Fakes, from = 0) =>
  f.connectwise.requests
    .slice(from)
    .filter((r) => r.path.endsWith('/notes'))
    .map((r) => /\/service\/tickets\/(\d+)\/notes$/.exec(r.path)![1]);

/** Live mode on the replica: an hour's interval (no run but those a test causes), the 90-day window as history, room for a big first sync on a loaded machine. */
const REPLICA_ENV = { ...LIVE_ENV, VENDOR_TIMEOUT_MS: '5000', SYNC_INTERVAL_SECONDS: '3600', SYNC_HISTORY_DAYS: '90', LIVE_WINDOW_DAYS: '90', FIRST_SYNC_WAIT_MS: '60000' };

describe('live mode: every route served from the replica the sync keeps of the tenant vendors', () => {
  let t: TestApp;
  let fakes: Fakes;
  let betaS1: FakeSentinelOne;
  const figures: Record<string, number> = {};

  beforeAll(async () => {
    fakes = await startFakes();
    loadAlphaData(fakes);
    betaS1 = await FakeSentinelOne.start();
    betaS1.threats = [
      {
        id: '1795555555555555555',
        agentRealtimeInfo: { accountId: 'acc-9', siteId: 'site-9', agentComputerName: 'BETA-LAPTOP-7' },
        threatInfo: {
          threatName: 'mimikatz.exe',
          classification: 'Hacktool',
          confidenceLevel: 'malicious',
          mitigationStatus: 'not_mitigated',
          incidentStatus: 'in_progress',
          identifiedAt: at(2, '06:00:00'),
          createdAt: at(2, '06:00:01'),
          updatedAt: at(2, '06:30:00'),
        },
      },
    ];
    // The production binding: each run's clients are built from the integrations as stored (secrets decrypted, time zone).
    t = await bootVendorReplicaApp(REPLICA_ENV);
    await registerTenant(t.app, ALPHA, fakes, { connectwise: { time_zone: ALPHA_TZ } });
    await registerTenant(t.app, BETA, { sentinelone: betaS1 });
    await registerTenant(t.app, GAMMA, {});
  });

  afterAll(async () => {
    await t?.close();
    await closeFakes(fakes);
    await betaS1?.close();
    // eslint-disable-next-line no-console
    console.log(`live-mode figures: ${JSON.stringify(figures)}`);
  });

  const api = () => call(t.app);
  const firstRun = async (stream: string) => (await syncStatus(t.app, ALPHA)).find((s) => s.stream === stream);

  describe('tickets (ConnectWise)', () => {
    it('answers a cold first read once the first sync is done: one paged walk, each description fetched once', async () => {
      const res = await api().get(`/api/tenants/${ALPHA}/tickets`);
      expect(res.status).toBe(200);
      expect(res.body.meta).toEqual({ total: TICKETS_IN_WINDOW, page: 1, page_size: 50 });
      expect(res.body.data).toHaveLength(50);
      expect(res.body.data.slice(0, 3)).toEqual(EXPECTED_TICKETS);
      for (const ticket of res.body.data.slice(3)) {
        expect(ticket.description).toBe(`Details for ticket ${ticket.cw_ticket_id}`);
        expect(ticket.tenant_id).toBe(ALPHA);
      }
      const state = await firstRun('connectwise.tickets');
      expect(state).toMatchObject({ state: 'idle', records: TICKETS_IN_WINDOW, last_error: null });
      expect(res.headers['x-data-as-of']).toBe(state!.last_success_at);
      expect(res.headers.warning).toBeUndefined();

      const cw = fakes.connectwise;
      // The first sync walks the window plus every open ticket, in pages of the client's maximum.
      const walked = cw.requests.filter((r) => r.path.endsWith('/service/tickets'));
      expect(walked).toHaveLength(pages(TICKETS_IN_WINDOW));
      for (const req of walked) {
        expect(req.query.get('conditions')).toMatch(/^closedFlag=false or \(lastUpdated>=\[\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\]\)/);
        expect(req.query.get('pageSize')).toBe(String(VENDOR_PAGE_SIZE));
      }
      // Every ticket in the window described, each exactly once; the one outside the window never asked about.
      const noted = noteTicketIds(fakes);
      expect(noted).toHaveLength(TICKETS_IN_WINDOW);
      expect(new Set(noted).size).toBe(TICKETS_IN_WINDOW);
      expect(noted).not.toContain(String(OUT_OF_WINDOW_TICKET.id));
      expect(cw.lastRequest('/notes')!.query.get('conditions')).toBe('detailDescriptionFlag=true');
      figures.first_sync_tickets_vendor_calls = state!.last_run!.vendor_calls;
      figures.first_sync_tickets_ticket_pages = walked.length;
      figures.tickets_in_window = TICKETS_IN_WINDOW;
    }, 90_000);

    it('serves the hand-written tickets exactly, from the replica (no vendor call)', async () => {
      const before = totalRequests(fakes);
      const res = await api().get(`/api/tenants/${ALPHA}/tickets?page_size=3`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: EXPECTED_TICKETS, meta: { total: TICKETS_IN_WINDOW, page: 1, page_size: 3 } });
      expect(totalRequests(fakes)).toBe(before);
    });

    it('serves one ticket with its description; an out-of-window or unknown id is a 404; no vendor call', async () => {
      const before = totalRequests(fakes);
      const one = await api().get(`/api/tenants/${ALPHA}/tickets/184232`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(EXPECTED_TICKETS[1]);

      // A bulk ticket not on page 1 (updated 59 days ago).
      const bulk = await api().get(`/api/tenants/${ALPHA}/tickets/300050`);
      expect(bulk.status).toBe(200);
      expect(bulk.body).toMatchObject({
        tenant_id: ALPHA,
        cw_ticket_id: '300050',
        board: 'Projects',
        status: 'New',
        company: 'Wayne Enterprises',
        owner: MEMBER_EMAILS[177],
        description: 'Details for ticket 300050',
        updated_at_remote: at(59, '01:49:00'),
      });

      for (const id of ['100001', '999999']) {
        const missing = await api().get(`/api/tenants/${ALPHA}/tickets/${id}`);
        expect(missing.status).toBe(404);
        expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(missing.body.type).toBe('/problems/record-not-found');
      }
      expect(totalRequests(fakes)).toBe(before);
    });

    it('`q` searches descriptions and summaries within the other filters, without a vendor call', async () => {
      const before = totalRequests(fakes);
      const res = await api().get(`/api/tenants/${ALPHA}/tickets?company=Initech&q=printer`);
      expect(res.status).toBe(200);
      expect(res.body.meta.total).toBe(INITECH_PRINTER_IDS.length);
      expect(ids(res.body.data, 'cw_ticket_id')).toEqual(INITECH_PRINTER_IDS.map(String).sort());
      for (const ticket of res.body.data) expect(ticket.description).toBe('PRINTER jam on the 2nd floor');
      // The Acme "printer" ticket is outside the company filter.
      const acme = await api().get(`/api/tenants/${ALPHA}/tickets?company=Acme%20Corporation&q=OUTLOOK`);
      expect(acme.body).toEqual({ data: [EXPECTED_TICKETS[0]], meta: { total: 1, page: 1, page_size: 50 } });
      const bySummary = await api().get(`/api/tenants/${ALPHA}/tickets?company=Acme%20Corporation,Globex&q=firewall`);
      expect(bySummary.body.data).toEqual([EXPECTED_TICKETS[2]]);
      expect(totalRequests(fakes)).toBe(before);
    });

    it('serves every ticket the vendor holds in the window, and filters them', async () => {
      const before = totalRequests(fakes);
      const all = await listAll<Record<string, unknown>>(t.app, `/api/tenants/${ALPHA}/tickets?sort=cw_ticket_id`);
      const expectedIds = fakes.connectwise.tickets.filter((tk) => tk.id !== OUT_OF_WINDOW_TICKET.id).map((tk) => String(tk.id));
      expect(all).toHaveLength(TICKETS_IN_WINDOW);
      expect(ids(all, 'cw_ticket_id')).toEqual(expectedIds.sort());
      expect(all.every((tk) => tk.tenant_id === ALPHA && typeof tk.description === 'string')).toBe(true);

      const closed = await api().get(`/api/tenants/${ALPHA}/tickets?status=Closed&page_size=1`);
      expect(closed.body.meta.total).toBe(1 + BULK.tickets.filter((tk) => tk.closedFlag).length);
      const unassigned = await api().get(`/api/tenants/${ALPHA}/tickets?company=Globex&page_size=1`);
      expect(unassigned.body.data).toEqual([EXPECTED_TICKETS[2]]);
      expect(totalRequests(fakes)).toBe(before);
    });
  });

  describe('time entries (ConnectWise)', () => {
    it('maps the hand-written entries exactly (day in the integration time zone) and pages the rest', async () => {
      const res = await api().get(`/api/tenants/${ALPHA}/time-entries?page_size=3`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: EXPECTED_TIME_ENTRIES, meta: { total: 3 + BULK_TIME_ENTRIES.length, page: 1, page_size: 3 } });
      // The first sync: the window's entries in pages of the client's maximum (the 200-day-old one is not asked for).
      expect(fakes.connectwise.calls('/time/entries')).toBe(pages(3 + BULK_TIME_ENTRIES.length));
      expect((await firstRun('connectwise.time_entries'))?.records).toBe(3 + BULK_TIME_ENTRIES.length);

      const before = totalRequests(fakes);
      const all = await listAll<Record<string, unknown>>(t.app, `/api/tenants/${ALPHA}/time-entries`);
      expect(ids(all, 'cw_time_entry_id')).toEqual([...HAND_TIME_ENTRIES, ...BULK_TIME_ENTRIES].map((e) => String(e.id)).sort());
      const byTicket = await api().get(`/api/tenants/${ALPHA}/time-entries?cw_ticket_id=184231`);
      expect(byTicket.body.data).toEqual([EXPECTED_TIME_ENTRIES[2]]);
      const charged = await api().get(`/api/tenants/${ALPHA}/time-entries?page_size=1&billable=true`);
      expect(charged.body.meta.total).toBe(1 + BULK_TIME_ENTRIES.filter((e) => e.billableOption === 'Billable').length);
      const spot = all.find((e) => e.cw_time_entry_id === '700006')!;
      expect(spot).toEqual({
        tenant_id: ALPHA,
        cw_time_entry_id: '700006',
        cw_ticket_id: null,
        member: MEMBER_EMAILS[178],
        work_type: 'Admin',
        billable: false,
        minutes: 90,
        notes: 'Worked on it (700006)',
        date_worked: day(15),
      });
      expect(totalRequests(fakes)).toBe(before);
    }, 60_000);
  });

  describe('CSAT (SmileBack)', () => {
    it('maps rated reviews exactly, drops unrated and deleted ones, and pages the rest', async () => {
      const res = await api().get(`/api/tenants/${ALPHA}/csat?page_size=3`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: EXPECTED_SURVEYS, meta: { total: 3 + BULK_REVIEWS.length, page: 1, page_size: 3 } });
      const sb = fakes.smileback;
      // The first sync asks for unrated reviews too (a review rated later comes back modified), and drops them.
      expect(sb.calls('/api/v3/reviews/')).toBe(pages(HAND_REVIEWS.length + BULK_REVIEWS.length));
      expect(sb.calls('/api/token/')).toBe(1);
      expect(sb.lastRequest('/api/v3/reviews/')!.query.get('modified_since')).toMatch(/Z$/);

      const before = totalRequests(fakes);
      const all = await listAll<Record<string, unknown>>(t.app, `/api/tenants/${ALPHA}/csat`);
      expect(ids(all, 'survey_id')).toEqual([...HAND_REVIEWS.slice(0, 3), ...BULK_REVIEWS].map((r) => String(r.id)).sort());
      expect(all.find((s) => s.survey_id === '35929239')).toBeUndefined();
      expect(all.find((s) => s.survey_id === '35929238')).toBeUndefined();
      expect(all.find((s) => s.survey_id === String(OLD_REVIEW.id))).toBeUndefined();
      const negative = await api().get(`/api/tenants/${ALPHA}/csat?sentiment=negative&page_size=1`);
      expect(negative.body.meta.total).toBe(1 + BULK_REVIEWS.filter((r) => r.rating === -1).length);
      expect(all.find((s) => s.survey_id === '40000004')).toEqual({
        tenant_id: ALPHA,
        survey_id: '40000004',
        ticket_id: '300003',
        score: 1,
        sentiment: 'negative',
        comment: '',
        submitted_at: `${day(13)}T03:03:00Z`,
      });
      expect(totalRequests(fakes)).toBe(before);
    }, 60_000);
  });

  describe('security alerts (SentinelOne + Defender, merged)', () => {
    it('maps both vendors exactly, merges and sorts them, and pages the rest', async () => {
      const res = await api().get(`/api/tenants/${ALPHA}/security-alerts?page_size=4`);
      expect(res.status).toBe(200);
      const total = HAND_THREATS.length + BULK_THREATS.length + 2 + BULK_GRAPH_ALERTS.length;
      expect(res.body).toEqual({ data: EXPECTED_ALERTS, meta: { total, page: 1, page_size: 4 } });
      // Each first sync: the updated-since walk, then the walk over every alert not yet resolved (in the window here, so no more alerts).
      expect(fakes.sentinelone.calls('/web/api/v2.1/threats')).toBe(
        pages(HAND_THREATS.length + BULK_THREATS.length) + walk(openThreats([...HAND_THREATS, ...BULK_THREATS])),
      );
      const openGraph = [...HAND_GRAPH_ALERTS.slice(0, 2), ...BULK_GRAPH_ALERTS].filter((a) => a.status !== 'resolved').length;
      expect(fakes.defender.calls('/v1.0/security/alerts_v2')).toBe(pages(2 + BULK_GRAPH_ALERTS.length) + walk(openGraph));
      expect(fakes.sentinelone.lastRequest('/web/api/v2.1/threats')!.query.get('incidentStatuses')).toBe('unresolved,in_progress');
      expect(fakes.defender.calls('/oauth2/v2.0/token')).toBe(1);
      expect(fakes.defender.lastRequest('/v1.0/security/alerts_v2')!.query.get('$filter')).toContain(
        "serviceSource eq 'microsoftDefenderForEndpoint'",
      );

      const before = totalRequests(fakes);
      const all = await listAll<Record<string, unknown>>(t.app, `/api/tenants/${ALPHA}/security-alerts`);
      const expected = [
        ...[...HAND_THREATS, ...BULK_THREATS].map((x) => `sentinelone/${x.id}`),
        ...[...HAND_GRAPH_ALERTS.slice(0, 2), ...BULK_GRAPH_ALERTS].map((x) => `defender/${x.id}`),
      ].sort();
      expect(all.map((a) => `${a.source}/${a.alert_id}`).sort()).toEqual(expected);
      const defender = await api().get(`/api/tenants/${ALPHA}/security-alerts?source=defender&page_size=1`);
      expect(defender.body.meta.total).toBe(2 + BULK_GRAPH_ALERTS.length);
      const critical = await api().get(`/api/tenants/${ALPHA}/security-alerts?severity=critical`);
      expect(critical.body.data).toEqual([EXPECTED_ALERTS[0]]);
      expect(all.find((a) => a.alert_id === 'da800004')).toEqual({
        tenant_id: ALPHA,
        source: 'defender',
        alert_id: 'da800004',
        severity: 'informational',
        title: 'Suspicious process 3',
        device: 'ws-3.corp.example',
        status: 'new',
        detected_at: `${day(13)}T03:03:10.123Z`,
      });
      expect(totalRequests(fakes)).toBe(before);
    }, 60_000);
  });

  it('answers every route again from the replica, without a vendor call, once every stream has synced', async () => {
    // The members stream is planned, not read: synced here so that no run is left to start.
    const streams = await settled(t.app, ALPHA, { streams: 6, startUnsynced: true });
    expect(streams.every((s) => s.state === 'idle' && s.last_error === null)).toBe(true);
    for (const s of streams) figures[`${s.stream}_records`] = s.records;
    const before = totalRequests(fakes);
    for (const path of ['tickets', 'tickets?page=2', 'tickets/184231', 'time-entries', 'csat', 'security-alerts', 'summary']) {
      const res = await api().get(`/api/tenants/${ALPHA}/${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.warning).toBeUndefined();
      expect(res.headers['x-data-as-of']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    expect(totalRequests(fakes)).toBe(before);
    figures.replica_reads_vendor_calls = totalRequests(fakes) - before;
  }, 90_000);

  it('serves empty lists to a tenant without integrations, and says which are not configured', async () => {
    const before = totalRequests(fakes) + betaS1.requests.length;
    for (const path of ['tickets', 'time-entries', 'csat', 'security-alerts']) {
      const res = await api().get(`/api/tenants/${GAMMA}/${path}`);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 200, body: { data: [], meta: { total: 0, page: 1, page_size: 50 } } });
    }
    expect((await api().get(`/api/tenants/${GAMMA}/tickets/184231`)).status).toBe(404);
    // tenant_beta has SentinelOne only: its tickets are empty, its alerts come from its own console.
    expect((await api().get(`/api/tenants/${BETA}/tickets`)).body).toEqual({ data: [], meta: { total: 0, page: 1, page_size: 50 } });
    expect(totalRequests(fakes) + betaS1.requests.length).toBe(before);
    expect((await syncStatus(t.app, GAMMA))).toEqual([]);

    const listed = await api().get(`/api/admin/tenants/${GAMMA}/integrations`);
    expect(listed.body.map((i: { vendor: string; configured: boolean }) => [i.vendor, i.configured])).toEqual([
      ['connectwise', false],
      ['smileback', false],
      ['sentinelone', false],
      ['defender', false],
    ]);
    const test = await api().post(`/api/admin/tenants/${GAMMA}/integrations/sentinelone/test`);
    expect(test.status).toBe(404);
    expect(test.body.type).toBe('/problems/integration-not-configured');
  });

  it('keeps tenant keys to their tenants, and each tenant to its own vendor data', async () => {
    const alphaKey = await mintTenantKey(t.app, [ALPHA]);
    const betaKey = await mintTenantKey(t.app, [BETA]);
    const asAlpha = call(t.app, alphaKey);
    const asBeta = call(t.app, betaKey);

    expect((await asAlpha.get(`/api/tenants/${ALPHA}/security-alerts?page_size=4`)).body.data).toEqual(EXPECTED_ALERTS);
    for (const path of ['', '/tickets', '/tickets/184231', '/security-alerts', '/csat']) {
      const denied = await asAlpha.get(`/api/tenants/${BETA}${path}`);
      expect({ path, status: denied.status, type: denied.body.type }).toEqual({ path, status: 404, type: '/problems/tenant-not-found' });
    }
    const other = await asBeta.get(`/api/tenants/${ALPHA}/tickets`);
    expect(other.status).toBe(404);
    expect(other.text).not.toContain('184231');

    const beta = await asBeta.get(`/api/tenants/${BETA}/security-alerts`);
    expect(beta.status).toBe(200);
    expect(beta.body).toEqual({
      data: [
        {
          tenant_id: BETA,
          source: 'sentinelone',
          alert_id: '1795555555555555555',
          severity: 'critical',
          title: 'Hacktool: mimikatz.exe',
          device: 'BETA-LAPTOP-7',
          status: 'investigating',
          detected_at: at(2, '06:00:00'),
        },
      ],
      meta: { total: 1, page: 1, page_size: 50 },
    });
    expect(betaS1.calls('/web/api/v2.1/threats')).toBe(2); // its first sync: updated in the window, then open however old
    expect((await asBeta.get('/api/tenants')).body.data.map((tn: { id: string }) => tn.id)).toEqual([BETA]);
    expect((await asBeta.get(`/api/admin/tenants/${BETA}/integrations`)).status).toBe(403);
    expect((await asBeta.get(`/api/admin/tenants/${BETA}/sync`)).status).toBe(403);
  }, 60_000);

  it('reports live mode with the sync check: every stream synced, none failing or lagging', async () => {
    const res = await call(t.app).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', mode: 'live' });
    // ALPHA's six streams and BETA's one.
    expect(res.body.checks.sync).toMatchObject({ status: 'ok', streams: 7, never_synced: 0, failing: [], lagging: [] });
    expect(res.body.checks).not.toHaveProperty('mock_data');
  });

  it('tests each stored integration with one authenticated call', async () => {
    for (const vendor of ['connectwise', 'smileback', 'sentinelone', 'defender'] as const) {
      const before = fakes[vendor].requests.length;
      const res = await api().post(`/api/admin/tenants/${ALPHA}/integrations/${vendor}/test`);
      expect({ vendor, status: res.status, ok: res.body.ok }).toEqual({ vendor, status: 200, ok: true });
      expect(typeof res.body.latency_ms).toBe('number');
      const calls = fakes[vendor].requests.slice(before).filter((r) => !r.path.endsWith('/token') && !r.path.endsWith('/token/'));
      expect(calls).toHaveLength(1);
    }
    // A wrong credential answers 200 { ok: false } naming the vendor's status, never the secret.
    const wrong = 'S1-wrong-token-SECRET-0000';
    await call(t.app).put(`/api/admin/tenants/${BETA}/integrations/sentinelone`, betaS1.integration({ api_token: wrong })).expect(200);
    const res = await api().post(`/api/admin/tenants/${BETA}/integrations/sentinelone/test`);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.error).toMatch(/^401 from SentinelOne/);
    expect(res.text).not.toContain(wrong);
  });
});

describe('two app copies on one PostgreSQL share the replica', () => {
  const TENANT = 'tenant_shared';
  const PATHS = ['tickets', 'tickets?page_size=3', 'tickets/184232', 'time-entries?page_size=3', 'csat?page_size=3', 'security-alerts?page_size=4'];
  let database: TestDatabase;
  let fakes: Fakes;
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  const figures: Record<string, number> = {};

  beforeAll(async () => {
    database = await createPostgresDatabase();
    fakes = await startFakes();
    const bulk = bulkTickets(1200, 300_001);
    fakes.connectwise.members = [...MEMBERS];
    fakes.connectwise.tickets = [...HAND_TICKETS, ...bulk.tickets];
    fakes.connectwise.notes = [...HAND_NOTES, ...bulk.notes];
    fakes.connectwise.timeEntries = [...HAND_TIME_ENTRIES];
    fakes.smileback.reviews = [...HAND_REVIEWS, ...bulkReviews(1500, 40_000_001)];
    fakes.sentinelone.threats = [...HAND_THREATS];
    fakes.defender.graphAlerts = [...HAND_GRAPH_ALERTS];
    const env = { ...REPLICA_ENV, DATABASE_URL: database.url };
    // Both copies up before the tenant exists: neither plans its streams at boot, the reads start them.
    first = await bootVendorReplicaApp(env);
    second = await bootVendorReplicaApp(env);
    await registerTenant(first.app, TENANT, fakes, { connectwise: { time_zone: ALPHA_TZ } });
  }, 60_000);

  afterAll(async () => {
    // Reverse order: each copy restores the environment it found.
    await second?.close();
    await first?.close();
    await closeFakes(fakes);
    await database?.drop();
    // eslint-disable-next-line no-console
    console.log(`live-mode shared replica figures: ${JSON.stringify(figures)}`);
  });

  it("serves, from the second copy, the data the first copy's reads synced, without calling the vendors", async () => {
    const bodies: Record<string, unknown> = {};
    for (const path of PATHS) {
      const res = await call(first!.app).get(`/api/tenants/${TENANT}/${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      bodies[path] = res.body;
    }
    // Every stream synced once (members too, planned rather than read), and nothing left running.
    await settled(first!.app, TENANT, { streams: 6, startUnsynced: true });
    const fetched = totalRequests(fakes);
    figures.first_copy_vendor_calls = fetched;

    for (const path of PATHS) {
      const res = await call(second!.app).get(`/api/tenants/${TENANT}/${path}`);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 200, body: bodies[path] });
    }
    expect(totalRequests(fakes)).toBe(fetched);
    figures.second_copy_vendor_calls = totalRequests(fakes) - fetched;

    // The data is the tenant's, mapped exactly as on one copy.
    const tickets = bodies['tickets?page_size=3'] as { data: Array<Record<string, unknown>> };
    expect(tickets.data).toEqual(EXPECTED_TICKETS.map((tk) => ({ ...tk, tenant_id: TENANT })));
    expect((bodies['csat?page_size=3'] as { data: unknown[] }).data).toEqual(EXPECTED_SURVEYS.map((s) => ({ ...s, tenant_id: TENANT })));
    expect((bodies['time-entries?page_size=3'] as { data: unknown[] }).data).toEqual(EXPECTED_TIME_ENTRIES.map((e) => ({ ...e, tenant_id: TENANT })));
  }, 120_000);
});
