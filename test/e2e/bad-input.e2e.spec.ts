import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { connect, type AddressInfo } from 'node:net';
import { bootApp, server, TestApp } from '../support/app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { MockDataInvalidError } from '../../src/mock/mock-file.store.js';

const TRAVERSALS = [
  '..',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '..%2F..%2Fetc',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fpackage.json',
  '..%5C..%5Cwindows',
  '%252e%252e',
  '....',
  '.',
  'tenant_demo_cca%00',
  '%00',
  'tenant_demo_cca%2F..',
  'tenant_demo_cca.json',
  '~root',
  'Tenant_Demo_CCA',
  '_tenant',
  '-tenant',
  'a'.repeat(65),
  '%20',
  'tenant%20demo',
];

describe('bad input', () => {
  let t: TestApp;
  beforeAll(async () => {
    const dir = await writeFolder(seedContents());
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false' });
  });
  afterAll(() => t.close());
  const get = (path: string) => t.get(path);

  describe.each(['', '/tickets', '/tickets/TKT-001', '/time-entries', '/csat', '/security-alerts'])(
    'tenant id in /api/tenants/{id}%s',
    (suffix) => {
      it.each(TRAVERSALS)('rejects %s with 400 before any lookup', async (id) => {
        const res = await get(`/api/tenants/${id}${suffix}`).expect(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ type: '/problems/invalid-tenant-id', status: 400 });
        expect(res.text).not.toMatch(/root:|"name":"msp-data-backend"/);
      });

      it('rejects an empty id with 400', async () => {
        if (suffix === '') return;
        await get(`/api/tenants/${suffix}`.replace('/tenants/', '/tenants//')).expect(400);
      });
    },
  );

  it('answers 404 for a well-formed tenant that does not exist', async () => {
    const res = await get('/api/tenants/tenant_unknown/tickets').expect(404);
    expect(res.body).toEqual({
      type: '/problems/tenant-not-found',
      title: 'Not Found',
      status: 404,
      detail: "tenant 'tenant_unknown' does not exist",
      instance: '/api/tenants/tenant_unknown/tickets',
    });
  });

  it.each(['..%2F..%2Fpackage.json', '%2e%2e', 'TKT%00', '-TKT', 'TKT 1', 'x'.repeat(129)])(
    'rejects the malformed ticket id %s with 400',
    async (id) => {
      const res = await get(`/api/tenants/tenant_demo_cca/tickets/${id}`).expect(400);
      expect(res.body.errors).toEqual([{ field: 'cwTicketId', message: expect.any(String) }]);
    },
  );

  it('answers 404 for an unknown ticket', async () => {
    const res = await get('/api/tenants/tenant_demo_cca/tickets/TKT-404').expect(404);
    expect(res.body.type).toBe('/problems/record-not-found');
  });

  const BAD_QUERIES: [string, string, string][] = [
    ['tickets', 'page=0', 'page'],
    ['tickets', 'page=-1', 'page'],
    ['tickets', 'page=abc', 'page'],
    ['tickets', 'page=1.5', 'page'],
    ['tickets', 'page_size=0', 'page_size'],
    ['tickets', 'page_size=1001', 'page_size'],
    ['tickets', 'page_size=', 'page_size'],
    ['tickets', 'sort=unknown_field', 'sort'],
    ['tickets', 'sort=--created_at_remote', 'sort'],
    ['tickets', 'status=', 'status'],
    ['tickets', 'status=New,,Closed', 'status'],
    ['tickets', 'created_from=yesterday', 'created_from'],
    ['tickets', 'created_to=2026-02-30T00:00:00Z', 'created_to'],
    ['tickets', 'updated_from=2026-01-20T25:00:00Z', 'updated_from'],
    ['tickets', 'q=', 'q'],
    ['tickets', `q=${'x'.repeat(201)}`, 'q'],
    ['tickets', 'page=1&page=2', 'page'],
    ['tickets', 'page=0x10', 'page'],
    ['tickets', 'page=1e1', 'page'],
    ['tickets', 'page=2.0', 'page'],
    ['tickets', 'page=%2B1', 'page'],
    ['tickets', 'page_size=0b11', 'page_size'],
    ['tickets', 'page=9007199254740993', 'page'],
    ['csat', 'score_min=3.0', 'score_min'],
    ['csat', 'score_max=0x3', 'score_max'],
    ['time-entries', 'billable=true,maybe', 'billable'],
    ['time-entries', 'billable=yes', 'billable'],
    ['time-entries', 'date_from=2026-13-01', 'date_from'],
    ['time-entries', 'date_to=20260101', 'date_to'],
    ['csat', 'score_min=0', 'score_min'],
    ['csat', 'score_max=6', 'score_max'],
    ['csat', 'score_min=two', 'score_min'],
    ['csat', 'sentiment=happy', 'sentiment'],
    ['csat', 'submitted_from=2026-01-01T00:00:00', 'submitted_from'],
    ['security-alerts', 'source=crowdstrike', 'source'],
    ['security-alerts', 'severity=High', 'severity'],
    ['security-alerts', 'status=open', 'status'],
    ['security-alerts', 'detected_to=tomorrow', 'detected_to'],
  ];

  it.each(BAD_QUERIES)('%s?%s is a 400 naming %s', async (route, query, field) => {
    const res = await get(`/api/tenants/tenant_demo_cca/${route}?${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('/problems/validation');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each(['tickets', 'time-entries', 'csat', 'security-alerts'])('rejects unknown parameters on %s', async (route) => {
    const res = await get(`/api/tenants/tenant_demo_cca/${route}?statuss=New&limit=5`).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'statuss', message: 'is not a known field or parameter here' },
      { field: 'limit', message: 'is not a known field or parameter here' },
    ]);
  });

  it('rejects unknown parameters on the tenant list', async () => {
    await get('/api/tenants?is_active=true').expect(400);
  });

  it('reports one message per bad parameter', async () => {
    const res = await t.get('/api/tenants/tenant_demo_cca/tickets?page=abc').expect(400);
    expect(res.body.errors).toEqual([{ field: 'page', message: 'must be an integer' }]);
  });

  it('accepts both booleans as billable alternatives', async () => {
    const both = await t.get('/api/tenants/tenant_demo_cca/time-entries?billable=true,false').expect(200);
    const repeated = await t.get('/api/tenants/tenant_demo_cca/time-entries?billable=true&billable=false').expect(200);
    expect(both.body.meta.total).toBe(1);
    expect(repeated.body.meta.total).toBe(1);
    expect((await t.get('/api/tenants/tenant_demo_cca/time-entries?billable=false').expect(200)).body.meta.total).toBe(0);
  });

  it('ignores a trailing slash, and sends /docs/ to /docs', async () => {
    await t.get('/api/tenants/').expect(200);
    const docs = await request(server(t.app)).get('/docs/').expect(301);
    expect(docs.headers.location).toBe('/docs');
  });

  it('accepts repeated filter parameters as alternatives', async () => {
    const res = await get('/api/tenants/tenant_demo_cca/security-alerts?source=defender&source=sentinelone').expect(200);
    expect(res.body.meta.total).toBe(2);
  });

  it('reads an unencoded + in an offset as the + it meant', async () => {
    const res = await get('/api/tenants/tenant_demo_cca/tickets?created_to=2026-01-20T10:00:00+01:00').expect(200);
    expect(res.body.meta.total).toBe(1);
    const none = await get('/api/tenants/tenant_demo_cca/tickets?created_to=2026-01-20T09:59:59+01:00').expect(200);
    expect(none.body.meta.total).toBe(0);
  });

  it('answers unknown routes with a problem, not an HTML page', async () => {
    const res = await get('/api/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('/problems/not-found');
  });
});

describe('startup with invalid mock data', () => {
  it('fails with the full report', async () => {
    const contents = seedContents();
    (contents['tickets/tenant_demo_cca.json'] as Record<string, unknown>[])[0].status = 7;
    contents['csat/tenant_demo_cca.json'] = '[{]';
    contents['security_alerts/tenant_ghost.json'] = [];
    const dir = await writeFolder(contents);
    const boot = bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false' });
    await expect(boot).rejects.toBeInstanceOf(MockDataInvalidError);
    await expect(boot).rejects.toThrow(
      /3 problem\(s\)[\s\S]*tickets\/tenant_demo_cca\.json record 0 \(TKT-001\) field status: must be a string[\s\S]*csat\/tenant_demo_cca\.json:1:3: malformed JSON[\s\S]*security_alerts\/tenant_ghost\.json: tenant 'tenant_ghost' is not listed/,
    );
  });
});

describe('a mock file broken while the server runs', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-watch-'));
    await cp(await writeFolder(seedContents()), dir, { recursive: true });
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'true' });
  });
  afterAll(() => t.close());

  async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const health = async () => (await t.get('/api/health')).body.checks.mock_data;
  const tickets = async () => (await t.get('/api/tenants/tenant_demo_cca/tickets')).body.data;

  it('keeps serving the last good version, then picks up the fix', async () => {
    const file = join(dir, 'tickets/tenant_demo_cca.json');
    const good = JSON.parse(await readFile(file, 'utf8'));

    await writeFile(file, '[{"tenant_id": "tenant_demo_cca", "cw_ticket_id": ');
    const failed = await until(async () => {
      const h = await health();
      return h.last_reload && !h.last_reload.ok ? h : undefined;
    }, 'the broken file to be rejected');
    expect(failed.last_reload.problems).toBe(1);
    expect(await tickets()).toEqual(good);

    await writeFile(file, JSON.stringify([{ ...good[0], summary: 'Edited while running' }]));
    const fixed = await until(async () => {
      const data = await tickets();
      return data[0]?.summary === 'Edited while running' ? data : undefined;
    }, 'the fixed file to be served');
    expect(fixed).toHaveLength(1);
    expect((await health()).last_reload.ok).toBe(true);
  });
});

describe('malformed URLs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: await writeFolder(seedContents()), MOCK_WATCH: 'false' });
  });
  afterAll(() => t.close());

  it('answers invalid percent-encoding with a problem', async () => {
    const res = await t.get('/api/tenants/%zz/tickets').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/bad-request', status: 400 });
  });

  it('answers a very long tenant id as a malformed tenant id', async () => {
    const res = await t.get(`/api/tenants/${'a'.repeat(5000)}/tickets`).expect(400);
    expect(res.body.type).toBe('/problems/invalid-tenant-id');
    expect(res.body.detail.length).toBeLessThan(200);
  });
});

describe('a mock folder replaced while the server runs', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'mock-replace-')), 'mock-data');
    await cp(await writeFolder(seedContents()), dir, { recursive: true });
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'true' });
  });
  afterAll(() => t.close());

  it('is picked up again once the new folder is complete, and later edits too', async () => {
    const summary = async () => (await t.get('/api/tenants/tenant_demo_cca/tickets/TKT-001')).body.summary;
    const waitFor = async (want: string) => {
      const deadline = Date.now() + 10_000;
      while ((await summary()) !== want) {
        if (Date.now() > deadline) throw new Error(`still serving '${await summary()}', waiting for '${want}'`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const replaced = seedContents();
    (replaced['tickets/tenant_demo_cca.json'] as Record<string, unknown>[])[0].summary = 'From the replacement folder';
    const staging = await writeFolder(replaced);
    await rm(dir, { recursive: true });
    await new Promise((r) => setTimeout(r, 400));
    await rename(staging, dir);
    await waitFor('From the replacement folder');

    const file = join(dir, 'tickets/tenant_demo_cca.json');
    const records = JSON.parse(await readFile(file, 'utf8'));
    records[0].summary = 'Edited after the replacement';
    await writeFile(file, JSON.stringify(records));
    await waitFor('Edited after the replacement');
  });
});

describe('unknown query parameters, by any name', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: await writeFolder(seedContents()), MOCK_WATCH: 'false' });
  });
  afterAll(() => t.close());

  it.each(['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty', '__defineGetter__'])(
    'rejects ?%s=x on a list route',
    async (name) => {
      const res = await t.get(`/api/tenants/tenant_demo_cca/tickets?${name}=x`).expect(400);
      expect(res.body.errors).toEqual([{ field: name, message: 'is not a known field or parameter here' }]);
    },
  );

  it.each(['/api/tenants/tenant_demo_cca?page=1', '/api/tenants/tenant_demo_cca/tickets/TKT-001?x=1', '/api/health?verbose=1'])(
    'rejects any parameter on %s, which takes none',
    async (path) => {
      const res = await t.get(path).expect(400);
      expect(res.body.type).toBe('/problems/validation');
    },
  );
});

describe('requests HTTP itself refuses', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: await writeFolder(seedContents()), MOCK_WATCH: 'false' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  function raw(head: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(head));
      let out = '';
      socket.on('data', (d) => (out += d.toString()));
      socket.on('end', () => resolve(out));
      socket.on('error', reject);
    });
  }

  it('answers an unknown method with problem+json', async () => {
    const res = await raw('FOO /api/tenants HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 400 /);
    expect(res).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(res.split('\r\n\r\n')[1])).toMatchObject({ type: '/problems/bad-request', status: 400 });
  });

  it('answers headers that are too large with a 431 problem', async () => {
    const res = await raw(`GET /api/tenants?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(res).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(res.split('\r\n\r\n')[1])).toMatchObject({ type: '/problems/request-header-too-large', status: 431 });
  });
});
