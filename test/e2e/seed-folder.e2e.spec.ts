import request from 'supertest';
import { bootApp, server, TestApp } from '../support/app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import {
  SEED_CSAT_SURVEY,
  SEED_DEFENDER_ALERT,
  SEED_SENTINELONE_ALERT,
  SEED_TENANTS,
  SEED_TICKET,
  SEED_TIME_ENTRY,
} from '../../src/cli/generate/seed-examples.js';

describe('a folder holding exactly the seed examples', () => {
  let t: TestApp;

  beforeAll(async () => {
    const dir = await writeFolder(seedContents());
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false' });
  });
  afterAll(() => t.close());

  it('lists the two tenants', async () => {
    const res = await t.get('/api/tenants').expect(200);
    expect(res.body).toEqual({ data: SEED_TENANTS, meta: { total: 2, page: 1, page_size: 50 } });
  });

  it.each([
    ['tickets', SEED_TICKET],
    ['time-entries', SEED_TIME_ENTRY],
    ['csat', SEED_CSAT_SURVEY],
  ])('serves the seed %s record unchanged', async (route, record) => {
    const res = await t.get(`/api/tenants/tenant_demo_cca/${route}`).expect(200);
    expect(res.body).toEqual({ data: [record], meta: { total: 1, page: 1, page_size: 50 } });
  });

  it('serves both seed alerts, newest first', async () => {
    const res = await t.get('/api/tenants/tenant_demo_cca/security-alerts').expect(200);
    expect(res.body.data).toEqual([SEED_SENTINELONE_ALERT, SEED_DEFENDER_ALERT]);
  });

  it('serves TKT-001 by id', async () => {
    const res = await t.get('/api/tenants/tenant_demo_cca/tickets/TKT-001').expect(200);
    expect(res.body).toEqual(SEED_TICKET);
  });

  it('gives a tenant without files empty lists, and health names what is not configured', async () => {
    for (const route of ['tickets', 'time-entries', 'csat', 'security-alerts']) {
      const res = await t.get(`/api/tenants/tenant_demo_client2/${route}`).expect(200);
      expect(res.body).toEqual({ data: [], meta: { total: 0, page: 1, page_size: 50 } });
    }
    const health = await t.get('/api/health').expect(200);
    expect(health.body.checks.mock_data.not_configured).toEqual(
      ['tickets', 'time_entries', 'csat', 'security_alerts'].map((domain) => ({ tenant_id: 'tenant_demo_client2', domain })),
    );
  });

  it('sends text beyond ASCII as UTF-8 bytes, the Content-Length counting bytes', async () => {
    const contents = seedContents();
    const summary = 'Café printer — 東京 office 😀 needs toner';
    contents['tickets/tenant_demo_cca.json'] = [{ ...SEED_TICKET, summary }];
    const other = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: await writeFolder(contents), MOCK_WATCH: 'false' });
    try {
      const res = await other.get('/api/tenants/tenant_demo_cca/tickets').buffer(true).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
      const text = JSON.stringify({ data: [{ ...SEED_TICKET, summary }], meta: { total: 1, page: 1, page_size: 50 } });
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(text));
      expect(res.text).toBe(text);
    } finally {
      await other.close();
    }
  });
});
