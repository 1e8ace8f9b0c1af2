import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { bootApp, server, TestApp } from '../support/app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { TENANT_SOURCE, TenantSource } from '../../src/tenants/sources/tenant-source.js';
import { TICKET_SOURCE, TicketSource } from '../../src/tickets/sources/ticket-source.js';
import { SEED_TICKET } from '../../src/cli/generate/seed-examples.js';
import { MockFileStore } from '../../src/mock/mock-file.store.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';
import type { TimeEntry } from '../../src/time-entries/time-entry.record.js';
import type { Tenant } from '../../src/tenants/tenant.record.js';

/*
 * The insights routes end to end over the shipped mock data. Expectations come from the list routes
 * (the query engine, a separate code path) or from hand-made records, never from a copy of a result.
 */

const MOCK_DATA = join(process.cwd(), 'mock-data');
const TENANT = 'tenant_demo_cca';
const D = 86_400_000;
const shipped = <T>(file: string): T[] => JSON.parse(readFileSync(join(MOCK_DATA, file), 'utf8'));
const iso = (ms: number) => new Date(ms).toISOString();
const COUNTS = ['tickets_created', 'tickets_closed', 'csat_responses', 'alerts_detected', 'alerts_resolved'] as const;

function expectProblem(res: request.Response, status: number, field?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
}

describe('insights over the shipped mock data', () => {
  let t: TestApp;
  beforeAll(async () => (t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: MOCK_DATA, MOCK_WATCH: 'false' })));
  afterAll(() => t.close());

  const total = async (path: string) => (await t.get(path).expect(200)).body.meta.total as number;

  it("defaults to the 30 days ending 1 ms after the tenant's newest record", async () => {
    const tickets = shipped<Ticket>(`tickets/${TENANT}.json`);
    const entries = shipped<TimeEntry>(`time_entries/${TENANT}.json`);
    const surveys = shipped<{ submitted_at: string }>(`csat/${TENANT}.json`);
    const alerts = shipped<{ detected_at: string; resolved_at?: string | null }>(`security_alerts/${TENANT}.json`);
    const instants = [
      ...tickets.flatMap((x) => [x.created_at_remote, x.updated_at_remote, x.closed_at_remote ?? x.created_at_remote]),
      ...surveys.map((x) => x.submitted_at),
      ...alerts.flatMap((x) => [x.detected_at, x.resolved_at ?? x.detected_at]),
    ].map(Date.parse);
    const lastDayWorked = Math.max(...entries.map((e) => Date.parse(`${e.date_worked}T00:00:00Z`) + D - 1));
    const to = Math.max(...instants, lastDayWorked) + 1;
    const res = await t.get(`/api/tenants/${TENANT}/summary`).expect(200);
    expect(res.body.window).toEqual({ from: iso(to - 30 * D), to: iso(to) });
    expect(res.body.tenant_id).toBe(TENANT);
    expect(res.body.caveats).toEqual([]);
  });

  it('counts what the list routes filter for the same window', async () => {
    const from = '2025-12-01T00:00:00.000Z';
    const to = '2026-01-25T00:00:00.000Z';
    const last = iso(Date.parse(to) - 1); // the list ranges are inclusive
    const s = (await t.get(`/api/tenants/${TENANT}/summary?from=${from}&to=${to}`).expect(200)).body;
    expect(s.window).toEqual({ from, to });
    const base = `/api/tenants/${TENANT}`;
    expect(s.tickets.created).toBe(await total(`${base}/tickets?created_from=${from}&created_to=${last}`));
    expect(s.tickets.created).toBeGreaterThan(0);
    expect(s.csat.responses).toBe(await total(`${base}/csat?submitted_from=${from}&submitted_to=${last}`));
    expect(s.csat.positive).toBe(await total(`${base}/csat?submitted_from=${from}&submitted_to=${last}&sentiment=positive`));
    expect(s.csat.negative).toBe(await total(`${base}/csat?submitted_from=${from}&submitted_to=${last}&sentiment=negative`));
    expect(s.security.detected).toBe(await total(`${base}/security-alerts?detected_from=${from}&detected_to=${last}`));
    const entries = (await t.get(`${base}/time-entries?date_from=2025-12-01&date_to=2026-01-24&page_size=1000`).expect(200)).body.data as TimeEntry[];
    const minutes = entries.reduce((sum, e) => sum + e.minutes, 0);
    expect(s.time.total_hours).toBeCloseTo(minutes / 60, 2);
    const billable = entries.filter((e) => e.billable).reduce((sum, e) => sum + e.minutes, 0);
    expect(s.time.billable_hours).toBeCloseTo(billable / 60, 2);
    // open as of `to` never exceeds what was created before it
    expect(s.tickets.open).toBeLessThanOrEqual(await total(`${base}/tickets?created_to=${last}`));
    const aging = s.tickets.aging;
    expect(aging.under_7d + aging['7_to_30d'] + aging['30_to_90d'] + aging.over_90d).toBe(s.tickets.open);
    const byStatus = Object.values(s.tickets.open_by_status as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(byStatus).toBe(s.tickets.open);
  });

  it.each(['day', 'week', 'month'])('sums %s buckets to the summary counts, over the default and an explicit window', async (interval) => {
    for (const window of ['', '&from=2025-11-15T06:00:00Z&to=2026-02-03T18:30:00%2B02:00']) {
      const summary = (await t.get(`/api/tenants/${TENANT}/summary${window.replace('&', '?')}`).expect(200)).body;
      const series = (await t.get(`/api/tenants/${TENANT}/summary/series?interval=${interval}${window}`).expect(200)).body;
      expect(series.window).toEqual(summary.window);
      expect(series.interval).toBe(interval);
      const b = series.buckets as Array<Record<(typeof COUNTS)[number] | 'hours' | 'start' | 'end', number & string>>;
      expect(b[0].start).toBe(summary.window.from);
      expect(b[b.length - 1].end).toBe(summary.window.to);
      for (let i = 1; i < b.length; i++) expect(b[i].start).toBe(b[i - 1].end);
      const sum = (key: (typeof COUNTS)[number] | 'hours') => b.reduce((acc, x) => acc + (x[key] as number), 0);
      expect(sum('tickets_created')).toBe(summary.tickets.created);
      expect(sum('tickets_closed')).toBe(summary.tickets.closed);
      expect(sum('csat_responses')).toBe(summary.csat.responses);
      expect(sum('alerts_detected')).toBe(summary.security.detected);
      expect(sum('alerts_resolved')).toBe(summary.security.resolved);
      expect(sum('hours')).toBeCloseTo(summary.time.total_hours, 1);
    }
  });

  it('accepts offsets and bare days, and echoes the window in UTC with milliseconds', async () => {
    const res = await t.get(`/api/tenants/${TENANT}/summary?from=2026-01-01&to=2026-01-20T10:00:00%2B01:00`).expect(200);
    expect(res.body.window).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-20T09:00:00.000Z' });
  });

  describe('refuses a bad request with problem+json naming the field', () => {
    const cases: Array<[string, string]> = [
      ['summary?from=yesterday', 'from'],
      ['summary?to=2026-02-30', 'to'],
      ['summary?from=2026-01-20T09:00:00', 'from'],
      ['summary?from=2026-01-20&to=2026-01-20', 'from'],
      ['summary?from=2026-01-21&to=2026-01-20', 'from'],
      ['summary?from=2025-01-01&to=2026-01-03', 'from'],
      ['summary?limit=5', 'limit'],
      ['summary?page=1', 'page'],
      ['summary?interval=day', 'interval'],
      ['summary/series', 'interval'],
      ['summary/series?interval=year', 'interval'],
      ['summary/series?interval=day&sort=x', 'sort'],
      ['summary/series?interval=day&from=2025-01-01&to=2026-01-03', 'from'],
    ];
    it.each(cases)('%s → 400 naming %s', async (path, field) => {
      expectProblem(await t.get(`/api/tenants/${TENANT}/${path}`), 400, field);
    });

    it('accepts a window of exactly 366 days', async () => {
      await t.get(`/api/tenants/${TENANT}/summary?from=2025-01-02&to=2026-01-03`).expect(200);
      const series = await t.get(`/api/tenants/${TENANT}/summary/series?interval=day&from=2025-01-02T12:00:00Z&to=2026-01-03T12:00:00Z`).expect(200);
      expect(series.body.buckets).toHaveLength(367); // the first and last days clipped
    });
  });

  it('checks the key and the tenant in the same order as the data routes', async () => {
    await request(server(t.app)).get(`/api/tenants/${TENANT}/summary`).expect(401);
    expectProblem(await t.get('/api/tenants/Not_Valid!/summary'), 400, 'tenantId');
    expectProblem(await t.get('/api/tenants/no_such_tenant/summary'), 404);
    expectProblem(await t.get('/api/tenants/no_such_tenant/summary/series'), 404);
  });

  it('answers for any tenant a tenant-scoped key may read, and 404 for others', async () => {
    const minted = await request(server(t.app))
      .post('/api/admin/api-keys')
      .set('authorization', 'Bearer test-admin-key-0123456789abcdef')
      .send({ name: 'insights reader', scope: { tenants: [TENANT] } })
      .expect(201);
    const as = (path: string) => request(server(t.app)).get(path).set('authorization', `Bearer ${minted.body.key}`);
    await as(`/api/tenants/${TENANT}/summary`).expect(200);
    await as(`/api/tenants/${TENANT}/summary/series?interval=week`).expect(200);
    expectProblem(await as('/api/tenants/tenant_demo_client2/summary'), 404);
  });

  it('documents both routes, their parameters and every response field', async () => {
    const doc = (await t.get('/docs-json').expect(200)).body;
    const summary = doc.paths['/api/tenants/{tenantId}/summary'].get;
    const series = doc.paths['/api/tenants/{tenantId}/summary/series'].get;
    const params = (op: { parameters: Array<{ name: string; in: string; description?: string; required?: boolean }> }) =>
      op.parameters.filter((p) => p.in === 'query');
    expect(params(summary).map((p) => p.name).sort()).toEqual(['from', 'to']);
    expect(params(series).map((p) => p.name).sort()).toEqual(['from', 'interval', 'to']);
    expect(params(series).find((p) => p.name === 'interval')?.required).toBe(true);
    for (const p of [...params(summary), ...params(series)]) expect(p.description?.length).toBeGreaterThan(10);
    for (const status of ['200', '400', '401', '403', '404']) expect(summary.responses[status]).toBeDefined();
    const schemas = doc.components.schemas as Record<string, { properties?: Record<string, { description?: string; $ref?: string; allOf?: unknown }> }>;
    const undocumented: string[] = [];
    const visit = (name: string, seen = new Set<string>()) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const [field, property] of Object.entries(schemas[name].properties ?? {})) {
        const ref = property.$ref ?? (property as { items?: { $ref?: string } }).items?.$ref ?? ((property.allOf as Array<{ $ref?: string }> | undefined)?.[0]?.$ref);
        // A nested object's field is described too (OpenAPI 3.0 ignores siblings of a bare $ref: allOf carries it).
        if (!property.description) undocumented.push(`${name}.${field}`);
        if (ref) visit(ref.split('/').pop() as string, seen);
        else if ((property as { type?: string }).type !== 'array' && (property as { example?: unknown }).example === undefined) undocumented.push(`${name}.${field} (example)`);
      }
    };
    visit('TenantSummary');
    visit('TenantSeries');
    expect(undocumented).toEqual([]);
  });
});

describe('insights over overridden sources', () => {
  const aTicket = (over: Partial<Ticket>): Ticket => ({ ...SEED_TICKET, closed_at_remote: null, status: 'New', ...over });
  const aTenant = (over: Partial<Tenant>): Tenant => ({ id: 'acme', name: 'Acme MSP', is_active: true, llm_enabled: false, ...over });
  let t: TestApp;
  let tickets: Ticket[] = [];
  const source: TicketSource = { list: async (tenantId) => (tenantId === 'tenant_demo_cca' ? tickets : []) };
  const tenants: TenantSource = {
    list: async () => [aTenant({ id: 'tenant_demo_cca' }), aTenant({ id: 'empty_one' }), aTenant({ id: 'sleeping', is_active: false })],
  };

  beforeAll(async () => {
    const dir = await writeFolder(seedContents());
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false' }, (b) =>
      b.overrideProvider(TICKET_SOURCE).useValue(source).overrideProvider(TENANT_SOURCE).useValue(tenants),
    );
  });
  afterAll(() => t.close());

  it('computes from whatever the ticket source serves', async () => {
    const window = 'from=2026-03-01&to=2026-03-08';
    tickets = [
      aTicket({ cw_ticket_id: 'A', created_at_remote: '2026-03-01T00:00:00Z', updated_at_remote: '2026-03-01T00:00:00Z' }),
      aTicket({ cw_ticket_id: 'B', created_at_remote: '2026-03-08T00:00:00Z', updated_at_remote: '2026-03-08T00:00:00Z' }),
      aTicket({ cw_ticket_id: 'C', status: 'Closed', created_at_remote: '2026-03-02T08:00:00Z', updated_at_remote: '2026-03-02T10:00:00Z' }),
    ];
    const first = (await t.get(`/api/tenants/tenant_demo_cca/summary?${window}`).expect(200)).body.tickets;
    expect(first).toMatchObject({ created: 2, closed: 1, open: 1, kill_rate: 0.5, same_day_close_rate: 1, avg_resolution_hours: 2 });
    tickets = [...tickets, aTicket({ cw_ticket_id: 'D', created_at_remote: '2026-03-07T23:59:59.999Z', updated_at_remote: '2026-03-07T23:59:59.999Z' })];
    // This stand-in source changed its data behind the data version; a real source's change is a new one (a new load).
    await t.app.get(MockFileStore).reload();
    const second = (await t.get(`/api/tenants/tenant_demo_cca/summary?${window}`).expect(200)).body.tickets;
    // A, created exactly 7 days before `to`, is 7 days old; D, 1 ms before `to`, is new.
    expect(second).toMatchObject({ created: 3, open: 2, aging: { under_7d: 1, '7_to_30d': 1, '30_to_90d': 0, over_90d: 0 } });
  });

  it('answers nulls, not zeros, for a tenant with no records, over the 30 days ending now', async () => {
    const before = Date.now();
    const res = await t.get('/api/tenants/empty_one/summary').expect(200);
    const after = Date.now();
    const to = Date.parse(res.body.window.to);
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to).toBeLessThanOrEqual(after);
    expect(Date.parse(res.body.window.from)).toBe(to - 30 * D);
    expect(res.body.tickets).toMatchObject({ open: 0, created: 0, kill_rate: null, avg_resolution_hours: null, median_resolution_hours: null });
    expect(res.body.time).toMatchObject({ total_hours: 0, billable_ratio: null, hours_per_closed_ticket: null, by_member: [] });
    expect(res.body.csat).toMatchObject({ responses: 0, net_csat: null, percent_positive: null, average_score: null, worst_companies: [] });
    expect(res.body.security).toMatchObject({ open: 0, mean_time_to_resolve_hours: null, top_devices: [] });
    const series = (await t.get('/api/tenants/empty_one/summary/series?interval=week').expect(200)).body;
    expect(series.buckets.every((b: { net_csat: null; tickets_created: number }) => b.net_csat === null && b.tickets_created === 0)).toBe(true);
  });

  it('closes both routes of an inactive tenant with 403, after the id and existence checks', async () => {
    expectProblem(await t.get('/api/tenants/sleeping/summary'), 403);
    expectProblem(await t.get('/api/tenants/sleeping/summary/series?interval=day'), 403);
    expectProblem(await t.get('/api/tenants/SLEEPING/summary'), 400, 'tenantId');
    expectProblem(await t.get('/api/tenants/sleeping2/summary'), 404);
  });
});
