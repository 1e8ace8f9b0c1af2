import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { bootApp, server, TestApp } from '../support/app.js';

const MOCK_DATA = join(process.cwd(), 'mock-data');
type Row = Record<string, unknown>;
const file = (name: string): Row[] => JSON.parse(readFileSync(join(MOCK_DATA, name), 'utf8'));

const DOMAINS = [
  { route: 'tickets', folder: 'tickets', id: (r: Row) => String(r.cw_ticket_id) },
  { route: 'time-entries', folder: 'time_entries', id: (r: Row) => String(r.cw_time_entry_id) },
  { route: 'csat', folder: 'csat', id: (r: Row) => String(r.survey_id) },
  { route: 'security-alerts', folder: 'security_alerts', id: (r: Row) => `${r.source}/${r.alert_id}` },
];

describe('the shipped mock data', () => {
  let t: TestApp;
  const tenants = file('tenants.json');

  beforeAll(async () => (t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: MOCK_DATA, MOCK_WATCH: 'false' })));
  afterAll(() => t.close());

  const get = (path: string) => t.get(path);

  async function all(path: string, pageSize = 1000): Promise<Row[]> {
    const rows: Row[] = [];
    for (let page = 1; ; page++) {
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}page=${page}&page_size=${pageSize}`).expect(200);
      rows.push(...res.body.data);
      if (rows.length >= res.body.meta.total || res.body.data.length === 0) return rows;
    }
  }

  it('lists exactly the tenants of tenants.json', async () => {
    const res = await get('/api/tenants').expect(200);
    expect(res.body.data).toEqual(tenants);
    expect(res.body.meta.total).toBe(2);
    expect((await get('/api/tenants/tenant_demo_cca').expect(200)).body).toEqual(tenants.find((x) => x.id === 'tenant_demo_cca'));
  });

  describe.each(DOMAINS)('$route', ({ route, folder, id }) => {
    it.each(['tenant_demo_cca', 'tenant_demo_client2'])('serves every record of %s byte for byte', async (tenant) => {
      const records = file(`${folder}/${tenant}.json`);
      const served = await all(`/api/tenants/${tenant}/${route}`);
      expect(served).toHaveLength(records.length);
      const byId = new Map(records.map((r) => [id(r), JSON.stringify(r)]));
      for (const row of served) expect(JSON.stringify(row)).toBe(byId.get(id(row)));
    });

    it('pages through a stable order that visits each record once', async () => {
      const small = await all(`/api/tenants/tenant_demo_cca/${route}`, 7);
      const big = await all(`/api/tenants/tenant_demo_cca/${route}`, 1000);
      expect(small.map(id)).toEqual(big.map(id));
      expect(new Set(small.map(id)).size).toBe(small.length);
    });

    it('answers with the default page and the total', async () => {
      const res = await get(`/api/tenants/tenant_demo_cca/${route}`).expect(200);
      expect(res.body.meta).toEqual({ total: file(`${folder}/tenant_demo_cca.json`).length, page: 1, page_size: 50 });
      expect(res.body.data.length).toBe(Math.min(50, res.body.meta.total));
    });
  });

  it('sorts by each default sort, newest first', async () => {
    const check = async (route: string, field: string) => {
      const values = (await all(`/api/tenants/tenant_demo_cca/${route}`)).map((r) => String(r[field]));
      expect(values).toEqual([...values].sort((a, b) => Date.parse(b.length === 10 ? `${b}T00:00:00Z` : b) - Date.parse(a.length === 10 ? `${a}T00:00:00Z` : a)));
    };
    await check('tickets', 'updated_at_remote');
    await check('time-entries', 'date_worked');
    await check('csat', 'submitted_at');
    await check('security-alerts', 'detected_at');
  });

  const TICKETS = () => file('tickets/tenant_demo_cca.json');
  const ENTRIES = () => file('time_entries/tenant_demo_cca.json');
  const SURVEYS = () => file('csat/tenant_demo_cca.json');
  const ALERTS = () => file('security_alerts/tenant_demo_cca.json');

  /** Each filter against the same rule applied to the file directly. */
  const FILTER_CASES: [string, string, () => Row[], (r: Row) => boolean][] = [
    ['tickets', 'status=New,Waiting', TICKETS, (r) => r.status === 'New' || r.status === 'Waiting'],
    ['tickets', 'priority=Critical', TICKETS, (r) => r.priority === 'Critical'],
    ['tickets', 'board=Project', TICKETS, (r) => r.board === 'Project'],
    ['tickets', `company=${encodeURIComponent(String(TICKETS()[0].company))}`, TICKETS, (r) => r.company === TICKETS()[0].company],
    ['tickets', 'owner=tech1@msp.com', TICKETS, (r) => r.owner === 'tech1@msp.com'],
    ['tickets', 'sla_status=Resolved', TICKETS, (r) => r.sla_status === 'Resolved'],
    ['tickets', 'created_from=2026-01-01T00:00:00Z&created_to=2026-01-15T23:59:59Z', TICKETS,
      (r) => String(r.created_at_remote) >= '2026-01-01T00:00:00Z' && Date.parse(String(r.created_at_remote)) <= Date.parse('2026-01-15T23:59:59Z')],
    ['tickets', 'updated_from=2026-01-20', TICKETS, (r) => Date.parse(String(r.updated_at_remote)) >= Date.parse('2026-01-20T00:00:00Z')],
    ['tickets', 'updated_to=2026-01-10', TICKETS, (r) => Date.parse(String(r.updated_at_remote)) < Date.parse('2026-01-11T00:00:00Z')],
    ['tickets', 'q=PASSWORD', TICKETS, (r) => `${r.summary}\n${r.description}`.toLowerCase().includes('password')],
    ['time-entries', 'cw_ticket_id=TKT-001', ENTRIES, (r) => r.cw_ticket_id === 'TKT-001'],
    ['time-entries', 'member=tech1@msp.com', ENTRIES, (r) => r.member === 'tech1@msp.com'],
    ['time-entries', 'work_type=Remote%20Support', ENTRIES, (r) => r.work_type === 'Remote Support'],
    ['time-entries', 'billable=false', ENTRIES, (r) => r.billable === false],
    ['time-entries', 'date_from=2026-01-10&date_to=2026-01-20', ENTRIES, (r) => String(r.date_worked) >= '2026-01-10' && String(r.date_worked) <= '2026-01-20'],
    ['csat', 'ticket_id=TKT-001', SURVEYS, (r) => r.ticket_id === 'TKT-001'],
    ['csat', 'sentiment=negative,neutral', SURVEYS, (r) => r.sentiment !== 'positive'],
    ['csat', 'score_min=2&score_max=4', SURVEYS, (r) => Number(r.score) >= 2 && Number(r.score) <= 4],
    ['csat', 'submitted_from=2026-01-15T00:00:00Z&submitted_to=2026-01-25T00:00:00Z', SURVEYS,
      (r) => Date.parse(String(r.submitted_at)) >= Date.parse('2026-01-15T00:00:00Z') && Date.parse(String(r.submitted_at)) <= Date.parse('2026-01-25T00:00:00Z')],
    ['security-alerts', 'source=defender', ALERTS, (r) => r.source === 'defender'],
    ['security-alerts', 'severity=high,critical', ALERTS, (r) => r.severity === 'high' || r.severity === 'critical'],
    ['security-alerts', 'status=resolved', ALERTS, (r) => r.status === 'resolved'],
    ['security-alerts', `device=${encodeURIComponent(String(ALERTS()[0].device))}`, ALERTS, (r) => r.device === ALERTS()[0].device],
    ['security-alerts', 'detected_from=2026-01-01&detected_to=2026-01-20', ALERTS,
      (r) => Date.parse(String(r.detected_at)) >= Date.parse('2026-01-01T00:00:00Z') && Date.parse(String(r.detected_at)) < Date.parse('2026-01-21T00:00:00Z')],
  ];

  it.each(FILTER_CASES)('%s?%s serves exactly the matching records', async (route, query, records, rule) => {
    const expected = records().filter(rule);
    const res = await get(`/api/tenants/tenant_demo_cca/${route}?${query}&page_size=1000`).expect(200);
    expect(res.body.meta.total).toBe(expected.length);
    expect(res.body.data).toHaveLength(expected.length);
    expect(new Set(res.body.data.map((r: Row) => JSON.stringify(r)))).toEqual(new Set(expected.map((r) => JSON.stringify(r))));
  });

  it('matches a company whose name holds a comma, written with \\,', async () => {
    const withComma = file('tickets/tenant_demo_cca.json').find((r) => String(r.company).includes(','));
    expect(withComma).toBeDefined();
    const company = String(withComma?.company);
    const escaped = encodeURIComponent(company.replace(/\\/g, '\\\\').replace(/,/g, '\\,'));
    const res = await get(`/api/tenants/tenant_demo_cca/tickets?company=${escaped}&page_size=1000`).expect(200);
    const expected = file('tickets/tenant_demo_cca.json').filter((r) => r.company === company);
    expect(res.body.meta.total).toBe(expected.length);
    const either = await get(`/api/tenants/tenant_demo_cca/tickets?company=${escaped},Acme%20Corp&page_size=1000`).expect(200);
    expect(either.body.meta.total).toBe(expected.length + file('tickets/tenant_demo_cca.json').filter((r) => r.company === 'Acme Corp').length);
  });

  it('has data for the filters above to bite on', () => {
    const nonTrivial = FILTER_CASES.filter(([, , records, rule]) => {
      const n = records().filter(rule).length;
      return n > 0 && n < records().length;
    });
    expect(nonTrivial.length).toBeGreaterThanOrEqual(FILTER_CASES.length - 2);
  });

  it('serves a ticket by id, and 404 for one of another tenant', async () => {
    const [ticket] = file('tickets/tenant_demo_client2.json');
    const res = await get(`/api/tenants/tenant_demo_client2/tickets/${ticket.cw_ticket_id}`).expect(200);
    expect(res.text).toBe(JSON.stringify(ticket));
    const other = file('tickets/tenant_demo_cca.json').map((r) => String(r.cw_ticket_id));
    const missing = ['TKT-9999', ...other].find((x) => !file('tickets/tenant_demo_client2.json').some((r) => r.cw_ticket_id === x));
    await get(`/api/tenants/tenant_demo_client2/tickets/${missing}`).expect(404);
  });

  it('reports health with the mode, version and what is loaded', async () => {
    const res = await get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', mode: 'mock', version: JSON.parse(readFileSync('package.json', 'utf8')).version });
    expect(res.body.checks.mock_data).toMatchObject({ status: 'ok', tenants: 2, files: 9, not_configured: [] });
  });
});
