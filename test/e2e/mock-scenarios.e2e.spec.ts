import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { MockFileStore } from '../../src/mock/mock-file.store.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { bootApp, server, TestApp } from '../support/app.js';
import { bulkTickets, call, LIVE_ENV, MEMBERS, registerTenant } from '../support/live-fixtures.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';

const CCA = '/api/tenants/tenant_demo_cca';
const CLIENT2 = '/api/tenants/tenant_demo_client2';
const PROBLEM_JSON = /^application\/problem\+json/;

const bootWith = async (extra: Record<string, unknown> = {}, env: Record<string, string> = {}) => {
  const dir = await writeFolder({ ...seedContents(), ...extra });
  const t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false', MOCK_SCENARIO_SEED: '7', ...env });
  return { t, dir };
};

const prefer = (t: TestApp, path: string, value: string) => t.get(path).set('prefer', value);

describe('Prefer scenarios on data routes (mock mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await bootWith());
  });
  afterAll(() => t.close());

  // The same problem documents live mode answers for these vendor failures (see live-faults.e2e.spec.ts).
  it.each([
    [502, '/problems/vendor-error', 'Bad Gateway', /^connectwise answered 500 to GET \/service\/tickets/],
    [503, '/problems/vendor-unavailable', 'Service Unavailable', /^connectwise is unavailable: /],
    [504, '/problems/vendor-timeout', 'Gateway Timeout', /^connectwise did not answer GET \/service\/tickets within 30000 ms$/],
  ])('code=%i answers the live-mode problem+json for that vendor failure', async (code, type, title, detail) => {
    const res = await prefer(t, `${CCA}/tickets`, `code=${code}`);
    expect(res.status).toBe(code);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(Object.keys(res.body).sort()).toEqual(['detail', 'instance', 'status', 'title', 'type']);
    expect(res.body).toMatchObject({ type, title, status: code, instance: `${CCA}/tickets` });
    expect(res.body.detail).toMatch(detail);
    expect(res.headers['preference-applied']).toBe(`code=${code}`);
    // Retry-After comes with 503 only: the breaker cooldown (VENDOR_BREAKER_COOLDOWN_MS, 30 s by default).
    expect(res.headers['retry-after']).toBe(code === 503 ? '30' : undefined);
  });

  it('names the domain\'s own vendor in a failure', async () => {
    expect((await prefer(t, `${CCA}/csat`, 'code=502')).body.detail).toMatch(/^smileback answered 500 to GET \/api\/v3\/reviews\//);
    expect((await prefer(t, `${CCA}/time-entries`, 'code=504')).body.detail).toMatch(/^connectwise did not answer GET \/time\/entries/);
    expect((await prefer(t, `${CCA}/security-alerts`, 'code=503')).body.detail).toMatch(/^sentinelone is unavailable/);
    expect((await prefer(t, `${CCA}/tickets/TKT-001`, 'code=503')).status).toBe(503);
  });

  it('stale answers 200 with the data, Warning: 110 and X-Stale-Vendors naming the domain\'s vendors', async () => {
    const plain = await t.get(`${CCA}/tickets`).expect(200);
    const res = await prefer(t, `${CCA}/tickets`, 'stale').expect(200);
    expect(res.body).toEqual(plain.body);
    expect(res.headers.warning).toBe('110 - "stale"');
    expect(res.headers['x-stale-vendors']).toBe('connectwise');
    expect(res.headers['preference-applied']).toBe('stale');
    const alerts = await prefer(t, `${CCA}/security-alerts`, 'stale').expect(200);
    expect(alerts.headers['x-stale-vendors']).toBe('defender,sentinelone');
    expect((await prefer(t, `${CCA}/csat`, 'stale')).headers['x-stale-vendors']).toBe('smileback');
    expect(plain.headers.warning).toBeUndefined();
  });

  it('applies to the insights routes too, naming every vendor their records come from', async () => {
    const plain = await t.get(`${CCA}/summary`).expect(200);
    const stale = await prefer(t, `${CCA}/summary`, 'stale').expect(200);
    expect(stale.body).toEqual(plain.body);
    expect(stale.headers['x-stale-vendors']).toBe('connectwise,defender,sentinelone,smileback');
    const failed = await prefer(t, `${CCA}/summary/series?interval=week`, 'code=504');
    expect(failed.status).toBe(504);
    expect(failed.body).toMatchObject({ type: '/problems/vendor-timeout', instance: `${CCA}/summary/series` });
    expect((await prefer(t, `${CCA}/summary`, 'code=999')).status).toBe(400);
  });

  it('delay=MS holds the answer: a held request finishes after one sent later without delay', async () => {
    const finished: string[] = [];
    const held = prefer(t, `${CCA}/tickets`, 'delay=2500').then((res) => {
      finished.push('held');
      return res;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const quick = await t.get(`${CCA}/tickets`).expect(200);
    finished.push('quick');
    const slow = await held;
    expect(finished).toEqual(['quick', 'held']);
    expect(slow.status).toBe(200);
    expect(slow.body).toEqual(quick.body);
    expect(slow.headers['preference-applied']).toBe('delay=2500');
  });

  it('combines preferences and echoes those applied; code wins over stale', async () => {
    const res = await prefer(t, `${CCA}/tickets`, 'delay=0, stale');
    expect(res.status).toBe(200);
    expect(res.headers['preference-applied']).toBe('delay=0, stale');
    const failed = await prefer(t, `${CCA}/tickets`, 'stale, code=502; foo=bar');
    expect(failed.status).toBe(502);
    expect(failed.headers['preference-applied']).toBe('code=502');
    expect(failed.headers.warning).toBeUndefined();
  });

  it.each([
    ['code=500', /code=500 is not one of 502, 503, 504/],
    ['code=abc', /code=abc is not one of/],
    ['code', /code= is not one of/],
    ['delay=30001', /delay=30001 must be a whole number of milliseconds from 0 to 30000/],
    ['delay=-5', /delay=-5 must be/],
    ['delay=1.5', /delay=1.5 must be/],
    ['stale=yes', /stale takes no value/],
  ])('refuses Prefer: %s with a 400 naming Prefer', async (value, message) => {
    const res = await prefer(t, `${CCA}/tickets`, value);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.type).toBe('/problems/validation');
    expect(res.body.detail).toMatch(/^Prefer: /);
    expect(res.body.detail).toMatch(message);
    expect(res.body.errors).toEqual([{ field: 'Prefer', message: expect.stringMatching(message) }]);
  });

  it('ignores preferences it does not know, and answers as without Prefer', async () => {
    const res = await prefer(t, `${CCA}/tickets`, 'return=minimal, respond-async, wait=10, handling=lenient').expect(200);
    expect(res.headers['preference-applied']).toBeUndefined();
    expect(res.body.data.length).toBe(1);
  });

  it('answers a bad query or unknown tenant as live mode would, before any simulated failure', async () => {
    const unknown = await prefer(t, '/api/tenants/nobody/tickets', 'code=503');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['preference-applied']).toBeUndefined();
    expect((await prefer(t, `${CCA}/tickets?page_size=0`, 'code=503')).status).toBe(400);
    const missing = await prefer(t, `${CCA}/tickets/TKT-999`, 'stale, delay=5');
    expect(missing.status).toBe(404);
    expect(missing.headers.warning).toBeUndefined();
    expect(missing.headers['preference-applied']).toBe('delay=5');
  });

  it('has no effect on routes that read no vendor (tenants, health)', async () => {
    const tenants = await prefer(t, '/api/tenants', 'code=503').expect(200);
    expect(tenants.headers['preference-applied']).toBeUndefined();
    expect((await request(server(t.app)).get('/api/health').set('prefer', 'code=504')).status).toBe(200);
  });

  it('comes after authentication: no key is still 401', async () => {
    const res = await request(server(t.app)).get(`${CCA}/tickets`).set('prefer', 'code=503');
    expect(res.status).toBe(401);
  });
});

describe('scenarios.json rules (mock mode)', () => {
  let t: TestApp;
  let dir: string;
  let store: MockFileStore;
  const rules = (list: unknown[]) => writeFile(join(dir, 'scenarios.json'), JSON.stringify({ rules: list }));

  beforeAll(async () => {
    ({ t, dir } = await bootWith({
      'scenarios.json': {
        rules: [
          { description: 'CCA tickets are down', tenant: 'tenant_demo_cca', domain: 'tickets', fail: { status: 503, rate: 1 } },
          { tenant: 'tenant_demo_cca', domain: 'tickets', stale: true },
          { tenant: '*', domain: 'csat', stale: true },
          { tenant: 'tenant_demo_client2', domain: '*', fail: { status: 504 } },
        ],
      },
    }));
    store = t.app.get(MockFileStore);
  });
  afterAll(() => t.close());

  it('applies the first matching rule, by tenant and by domain', async () => {
    const tickets = await t.get(`${CCA}/tickets`);
    expect(tickets.status).toBe(503);
    expect(tickets.body.type).toBe('/problems/vendor-unavailable');
    expect(tickets.headers['retry-after']).toBe('30');
    expect(tickets.headers['preference-applied']).toBeUndefined();

    const csat = await t.get(`${CCA}/csat`).expect(200);
    expect(csat.headers['x-stale-vendors']).toBe('smileback');

    const entries = await t.get(`${CCA}/time-entries`).expect(200);
    expect(entries.headers.warning).toBeUndefined();

    // tenant_demo_client2: its csat matches the earlier `*` rule; everything else its own 504 rule.
    expect((await t.get(`${CLIENT2}/csat`)).status).toBe(200);
    expect((await t.get(`${CLIENT2}/security-alerts`)).status).toBe(504);
    expect((await t.get(`${CLIENT2}/tickets`)).status).toBe(504);
    // Insights read every domain: the first rule matching any of them applies.
    expect((await t.get(`${CCA}/summary`)).status).toBe(503);
    expect((await t.get(`${CLIENT2}/summary`)).status).toBe(200);
  });

  it('lets a request\'s Prefer replace the rules', async () => {
    const res = await prefer(t, `${CCA}/tickets`, 'delay=0').expect(200);
    expect(res.headers['preference-applied']).toBe('delay=0');
  });

  it('keeps the last good rules when a changed scenarios.json is broken, and reports it in health', async () => {
    await writeFile(join(dir, 'scenarios.json'), JSON.stringify({ rules: [{ tenant: 'tenant_demo_cca', domain: 'ticket', fail: { status: 500, rate: 2 } }] }));
    await store.reload();
    expect((await t.get(`${CCA}/tickets`)).status).toBe(503);
    const health = await t.get('/api/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.checks.mock_data).toMatchObject({
      status: 'degraded',
      rejected_reload: {
        files: ['scenarios.json'],
        problems: 3,
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        serving_version_loaded_at: health.body.checks.mock_data.loaded_at,
      },
      warning: 'a change to scenarios.json was rejected; serving the version loaded before',
    });

    await writeFile(join(dir, 'scenarios.json'), '{ "rules": [ { "tenant": "tenant_demo_cca", } ] }');
    await store.reload();
    expect((await t.get(`${CCA}/tickets`)).status).toBe(503);

    await rules([{ tenant: 'tenant_demo_cca', domain: 'tickets', stale: true }]);
    await store.reload();
    const res = await t.get(`${CCA}/tickets`).expect(200);
    expect(res.headers['x-stale-vendors']).toBe('connectwise');
    expect((await t.get('/api/health').expect(200)).body.status).toBe('ok');
  });

  it('draws rates and latency ranges from MOCK_SCENARIO_SEED: the same sequence again after the same rules load', async () => {
    await rules([{ tenant: '*', domain: 'tickets', fail: { status: 502, rate: 0.5 }, latency_ms: [0, 5] }]);
    const run = async () => {
      await store.reload();
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await t.get(`${CCA}/tickets`)).status);
      return statuses;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set([200, 502]));
    expect(await run()).toEqual(first);
  });

  it('serves without scenarios once scenarios.json is removed', async () => {
    await rules([]);
    await store.reload();
    expect((await t.get(`${CCA}/tickets`)).status).toBe(200);
  });
});

describe('scenarios.json hot reload (MOCK_WATCH=true)', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = await writeFolder(seedContents());
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'true' });
  });
  afterAll(() => t.close());

  it('picks up a new scenarios.json without a restart', async () => {
    expect((await t.get(`${CCA}/tickets`)).status).toBe(200);
    await writeFile(join(dir, 'scenarios.json'), JSON.stringify({ rules: [{ domain: 'tickets', fail: { status: 504 } }] }));
    let status = 200;
    for (let i = 0; i < 100 && status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await t.get(`${CCA}/tickets`)).status;
    }
    expect(status).toBe(504);
  });
});

describe('Prefer in live mode', () => {
  let t: TestApp;
  let connectwise: FakeConnectWise;
  beforeAll(async () => {
    connectwise = await FakeConnectWise.start();
    const bulk = bulkTickets(3, 100);
    connectwise.members = [...MEMBERS];
    connectwise.tickets = bulk.tickets;
    connectwise.notes = bulk.notes;
    t = await bootApp(LIVE_ENV);
    await registerTenant(t.app, 'tenant_live', { connectwise });
  });
  afterAll(async () => {
    await t.close();
    await connectwise.close();
  });

  it('has no effect: the vendor data, no Preference-Applied, no Warning, a bad value not refused', async () => {
    for (const value of ['code=503', 'stale', 'delay=20', 'code=500']) {
      const res = await call(t.app).get('/api/tenants/tenant_live/tickets').set('prefer', value);
      expect({ value, status: res.status }).toEqual({ value, status: 200 });
      expect(res.body.meta.total).toBe(3);
      expect(res.headers['preference-applied']).toBeUndefined();
      expect(res.headers.warning).toBeUndefined();
    }
  });
});
