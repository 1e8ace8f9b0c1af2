import request from 'supertest';
import { bootApp, server, TestApp } from '../support/app.js';
import { LIVE_ENV, registerTenant } from '../support/live-fixtures.js';
import { bootVendorReplicaApp, syncStatus } from '../support/vendor-replica-app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { TENANT_SOURCE, TenantSource } from '../../src/tenants/sources/tenant-source.js';
import { TICKET_SOURCE, TicketSource } from '../../src/tickets/sources/ticket-source.js';
import { SECURITY_ALERT_SOURCES, SecurityAlertSource } from '../../src/security-alerts/sources/security-alert-source.js';
import { SEED_DEFENDER_ALERT, SEED_SENTINELONE_ALERT, SEED_TICKET } from '../../src/cli/generate/seed-examples.js';
import type { Ticket } from '../../src/tickets/ticket.record.js';
import type { Tenant } from '../../src/tenants/tenant.record.js';

const aTicket = (over: Partial<Ticket>): Ticket => ({ ...SEED_TICKET, ...over });
const aTenant = (over: Partial<Tenant>): Tenant => ({ id: 'acme', name: 'Acme MSP', is_active: true, llm_enabled: false, ...over });

async function boot(overrides: [symbol, unknown][]): Promise<TestApp> {
  const dir = await writeFolder(seedContents());
  return bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false' }, (builder) =>
    overrides.reduce((b, [token, value]) => b.overrideProvider(token).useValue(value), builder),
  );
}

describe('the API over overridden sources', () => {
  describe('an inactive tenant', () => {
    let t: TestApp;
    const tenants: TenantSource = {
      list: async () => [aTenant({ id: 'active_one' }), aTenant({ id: 'sleeping', is_active: false })],
    };
    beforeAll(async () => (t = await boot([[TENANT_SOURCE, tenants]])));
    afterAll(() => t.close());

    it('is listed and readable, but its data routes answer 403', async () => {
      await t.get('/api/tenants/sleeping').expect(200);
      for (const route of ['tickets', 'tickets/TKT-001', 'time-entries', 'csat', 'security-alerts']) {
        const res = await t.get(`/api/tenants/sleeping/${route}`).expect(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ type: '/problems/tenant-inactive', status: 403 });
      }
    });

    it('checks the id pattern before existence, and existence before activity', async () => {
      await t.get('/api/tenants/SLEEPING/tickets').expect(400);
      await t.get('/api/tenants/nobody/tickets').expect(404);
      await t.get('/api/tenants/active_one/tickets').expect(200);
    });
  });

  describe('a source that fails unexpectedly', () => {
    let t: TestApp;
    const secretPath = '/srv/secret/mock-data/tickets/tenant_demo_cca.json';
    const failing: TicketSource = {
      list: async () => {
        throw new Error(`EACCES: permission denied, open '${secretPath}' (password=hunter2)`);
      },
    };
    beforeAll(async () => (t = await boot([[TICKET_SOURCE, failing]])));
    afterAll(() => t.close());

    it('answers a bare 500 problem that leaks no path, secret or stack', async () => {
      const res = await t.get('/api/tenants/tenant_demo_cca/tickets').expect(500);
      expect(res.body).toEqual({
        type: '/problems/internal',
        title: 'Internal Server Error',
        status: 500,
        detail: 'an unexpected error occurred; it has been logged',
        instance: '/api/tenants/tenant_demo_cca/tickets',
      });
      expect(res.text).not.toMatch(/srv|hunter2|EACCES|at \w+ \(/);
    });
  });

  describe('records with nulls and ties', () => {
    let t: TestApp;
    const tickets: TicketSource = {
      list: async () => [
        aTicket({ cw_ticket_id: 'b', owner: null, updated_at_remote: '2026-01-21T00:00:00Z' }),
        aTicket({ cw_ticket_id: 'c', owner: 'zed@msp.com', updated_at_remote: '2026-01-21T00:00:00Z' }),
        aTicket({ cw_ticket_id: 'a', owner: 'amy@msp.com', updated_at_remote: '2026-01-21T00:00:00Z' }),
      ],
    };
    const alerts: SecurityAlertSource[] = [
      { list: async () => [SEED_SENTINELONE_ALERT] },
      { list: async () => [SEED_DEFENDER_ALERT] },
    ];
    beforeAll(async () => (t = await boot([[TICKET_SOURCE, tickets], [SECURITY_ALERT_SOURCES, alerts]])));
    afterAll(() => t.close());

    it('sorts nulls last in either direction and breaks ties on the id', async () => {
      const asc = await t.get('/api/tenants/tenant_demo_cca/tickets?sort=owner').expect(200);
      expect(asc.body.data.map((x: Ticket) => x.cw_ticket_id)).toEqual(['a', 'c', 'b']);
      const desc = await t.get('/api/tenants/tenant_demo_cca/tickets?sort=-owner').expect(200);
      expect(desc.body.data.map((x: Ticket) => x.cw_ticket_id)).toEqual(['c', 'a', 'b']);
      const tie = await t.get('/api/tenants/tenant_demo_cca/tickets').expect(200);
      expect(tie.body.data.map((x: Ticket) => x.cw_ticket_id)).toEqual(['a', 'b', 'c']);
    });

    it('merges every security alert source', async () => {
      const res = await t.get('/api/tenants/tenant_demo_cca/security-alerts?sort=source').expect(200);
      expect(res.body.data.map((a: { source: string }) => a.source)).toEqual(['defender', 'sentinelone']);
    });
  });

  describe('in live mode, where domains read the replica', () => {
    let t: TestApp;
    const tickets: TicketSource = { list: async () => [aTicket({ tenant_id: 'live_acme', cw_ticket_id: 'OVR-1' })] };
    const alerts: SecurityAlertSource[] = [{ list: async () => [{ ...SEED_SENTINELONE_ALERT, tenant_id: 'live_acme' }] }];
    const failing: TicketSource = {
      list: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:5432 (password=hunter2)');
      },
    };
    afterEach(() => t?.close());

    const boot = (overrides: [symbol, unknown][]) =>
      bootVendorReplicaApp({ ...LIVE_ENV, SYNC_INTERVAL_SECONDS: '3600', FIRST_SYNC_WAIT_MS: '1000' }, (builder) =>
        overrides.reduce((b, [token, value]) => b.overrideProvider(token).useValue(value), builder),
      );

    it('serves what an overridden source lists, in place of the replica', async () => {
      t = await boot([[TICKET_SOURCE, tickets], [SECURITY_ALERT_SOURCES, alerts]]);
      await registerTenant(t.app, 'live_acme', {});
      expect((await t.get('/api/tenants/live_acme/tickets').expect(200)).body.data.map((x: Ticket) => x.cw_ticket_id)).toEqual(['OVR-1']);
      expect((await t.get('/api/tenants/live_acme/tickets/OVR-1').expect(200)).body.cw_ticket_id).toBe('OVR-1');
      expect((await t.get('/api/tenants/live_acme/security-alerts').expect(200)).body.data).toHaveLength(1);
      // The domains left alone still read the replica: a tenant without integrations has nothing there, and no stream.
      expect((await t.get('/api/tenants/live_acme/csat').expect(200)).body.data).toEqual([]);
      expect(await syncStatus(t.app, 'live_acme')).toEqual([]);
    });

    it('answers a bare 500 when an overridden source fails unexpectedly', async () => {
      t = await boot([[TICKET_SOURCE, failing]]);
      await registerTenant(t.app, 'live_acme', {});
      const res = await t.get('/api/tenants/live_acme/tickets').expect(500);
      expect(res.body).toMatchObject({ type: '/problems/internal', status: 500, detail: 'an unexpected error occurred; it has been logged' });
      expect(res.text).not.toMatch(/10\.0\.0\.7|hunter2|ECONNREFUSED|at \w+ \(/);
    });
  });
});
