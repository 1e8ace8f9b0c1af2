import request from 'supertest';
import { bootApp, server, TEST_ADMIN_KEY, TestApp } from '../support/app.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';

/**
 * Every route × every kind of key × every kind of tenant → the status api-contract.md gives.
 * The oracle below is the contract's rules, written once; the server must agree on every cell.
 */
const TENANTS = { A: 'tenant_a', B: 'tenant_b', unknown: 'tenant_nobody', inactive: 'tenant_sleep' } as const;
type TenantKind = keyof typeof TENANTS;
type KeyKind = 'none' | 'malformed' | 'unknown' | 'revoked' | 'admin' | 'minted admin' | 'key A' | 'key B';

interface Route {
  name: string;
  method: 'get' | 'put' | 'patch' | 'post' | 'delete';
  path: (tenant: string) => string;
  body?: object;
  admin: boolean;
  /** A tenant data route: inactive tenants answer 403. */
  data: boolean;
  /** What an allowed caller gets (mock mode). */
  ok: number;
}

const ROUTES: Route[] = [
  { name: 'tenant', method: 'get', path: (t) => `/api/tenants/${t}`, admin: false, data: false, ok: 200 },
  { name: 'tickets', method: 'get', path: (t) => `/api/tenants/${t}/tickets`, admin: false, data: true, ok: 200 },
  { name: 'ticket', method: 'get', path: (t) => `/api/tenants/${t}/tickets/TKT-001`, admin: false, data: true, ok: 200 },
  { name: 'time entries', method: 'get', path: (t) => `/api/tenants/${t}/time-entries`, admin: false, data: true, ok: 200 },
  { name: 'csat', method: 'get', path: (t) => `/api/tenants/${t}/csat`, admin: false, data: true, ok: 200 },
  { name: 'alerts', method: 'get', path: (t) => `/api/tenants/${t}/security-alerts?severity=high`, admin: false, data: true, ok: 200 },
  { name: 'summary', method: 'get', path: (t) => `/api/tenants/${t}/summary`, admin: false, data: true, ok: 200 },
  { name: 'series', method: 'get', path: (t) => `/api/tenants/${t}/summary/series?interval=week`, admin: false, data: true, ok: 200 },
  { name: 'integrations', method: 'get', path: (t) => `/api/admin/tenants/${t}/integrations`, admin: true, data: false, ok: 200 },
  {
    name: 'put integration',
    method: 'put',
    path: (t) => `/api/admin/tenants/${t}/integrations/sentinelone`,
    body: { base_url: 'https://usea1.sentinelone.net', api_token: 'matrix-token' },
    admin: true,
    data: false,
    ok: 200,
  },
  { name: 'patch tenant (read-only in mock mode)', method: 'patch', path: (t) => `/api/admin/tenants/${t}`, body: { name: 'x' }, admin: true, data: false, ok: 403 },
];
const KEYS: KeyKind[] = ['none', 'malformed', 'unknown', 'revoked', 'admin', 'minted admin', 'key A', 'key B'];
const SCOPES: Partial<Record<KeyKind, string[]>> = { 'key A': [TENANTS.A, TENANTS.inactive], 'key B': [TENANTS.B] };

function expected(route: Route, key: KeyKind, tenant: TenantKind): number {
  if (['none', 'malformed', 'unknown', 'revoked'].includes(key)) return 401;
  const scope = SCOPES[key];
  if (route.admin && scope) return 403;
  if (tenant === 'unknown') return 404;
  if (scope && !scope.includes(TENANTS[tenant])) return 404;
  if (route.data && tenant === 'inactive') return 403;
  return route.ok;
}

function tenantFolder() {
  const seed = seedContents();
  const contents: Record<string, unknown> = {
    'tenants.json': [
      { id: TENANTS.A, name: 'A', is_active: true, llm_enabled: false },
      { id: TENANTS.B, name: 'B', is_active: true, llm_enabled: false },
      { id: TENANTS.inactive, name: 'Sleeping', is_active: false, llm_enabled: false },
    ],
  };
  for (const tenant of [TENANTS.A, TENANTS.B, TENANTS.inactive]) {
    for (const [file, records] of Object.entries(seed)) {
      if (file === 'tenants.json') continue;
      contents[file.replace('tenant_demo_cca', tenant)] = (records as object[]).map((r) => ({ ...r, tenant_id: tenant }));
    }
  }
  return contents;
}

describe('tenant isolation matrix', () => {
  let t: TestApp;
  const keys = {} as Record<KeyKind, string | undefined>;

  beforeAll(async () => {
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: await writeFolder(tenantFolder()), MOCK_WATCH: 'false' });
    const mint = async (name: string, scope: unknown) =>
      (await request(server(t.app)).post('/api/admin/api-keys').set('authorization', `Bearer ${TEST_ADMIN_KEY}`).send({ name, scope }).expect(201)).body as {
        id: string;
        key: string;
      };
    keys.none = undefined;
    keys.malformed = 'not-a-key';
    keys.unknown = 'mspk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    keys.admin = TEST_ADMIN_KEY;
    keys['minted admin'] = (await mint('admin 2', 'admin')).key;
    keys['key A'] = (await mint('A', { tenants: SCOPES['key A'] })).key;
    keys['key B'] = (await mint('B', { tenants: SCOPES['key B'] })).key;
    const revoked = await mint('revoked', { tenants: [TENANTS.A] });
    await request(server(t.app)).delete(`/api/admin/api-keys/${revoked.id}`).set('authorization', `Bearer ${TEST_ADMIN_KEY}`).expect(204);
    keys.revoked = revoked.key;
  });
  afterAll(() => t.close());

  const cells = ROUTES.flatMap((route) =>
    KEYS.flatMap((key) => (Object.keys(TENANTS) as TenantKind[]).map((tenant) => [route.name, key, tenant, route] as const)),
  );

  it(`answers every one of the ${cells.length} cells as the contract says`, async () => {
    const wrong: string[] = [];
    for (const [name, key, tenant, route] of cells) {
      let req = request(server(t.app))[route.method](route.path(TENANTS[tenant]));
      if (keys[key]) req = req.set('authorization', `Bearer ${keys[key]}`);
      const res = await (route.body ? req.send(route.body) : req);
      const want = expected(route, key, tenant);
      if (res.status !== want) wrong.push(`${name} × ${key} × ${tenant}: got ${res.status}, want ${want}`);
      if (res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) {
        wrong.push(`${name} × ${key} × ${tenant}: ${res.status} is not problem+json`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('tells a tenant key the same thing about a foreign tenant as about a missing one', async () => {
    const get = (tenant: string) => request(server(t.app)).get(`/api/tenants/${tenant}/tickets`).set('authorization', `Bearer ${keys['key B']}`);
    const foreign = (await get(TENANTS.A)).body;
    const missing = (await get(TENANTS.unknown)).body;
    expect({ ...foreign, detail: '', instance: '' }).toEqual({ ...missing, detail: '', instance: '' });
    expect(foreign.detail).toBe(`tenant '${TENANTS.A}' does not exist`);
  });

  it('lists only the tenants a key may see', async () => {
    const ids = async (key: KeyKind) =>
      (await request(server(t.app)).get('/api/tenants').set('authorization', `Bearer ${keys[key]}`).expect(200)).body.data.map(
        (x: { id: string }) => x.id,
      );
    expect(await ids('key A')).toEqual([TENANTS.A, TENANTS.inactive]);
    expect(await ids('key B')).toEqual([TENANTS.B]);
    expect(await ids('admin')).toEqual([TENANTS.A, TENANTS.B, TENANTS.inactive]);
  });

  it.each([
    ['get', '/api/admin/api-keys'],
    ['post', '/api/admin/api-keys'],
    ['delete', '/api/admin/api-keys/0123456789abcdef'],
    ['post', '/api/admin/tenants'],
    ['get', '/metrics'],
  ] as const)('refuses a tenant key on %s %s with 403, and no key with 401', async (method, path) => {
    await request(server(t.app))[method](path).set('authorization', `Bearer ${keys['key A']}`).send({}).expect(403);
    const res = await request(server(t.app))[method](path).send({}).expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('checks the tenant id pattern (400) before existence and scope', async () => {
    const res = await request(server(t.app)).get('/api/tenants/..%2Fetc/tickets').set('authorization', `Bearer ${keys['key B']}`).expect(400);
    expect(res.body.type).toBe('/problems/invalid-tenant-id');
  });

  it('revokes a key with immediate effect', async () => {
    const admin = `Bearer ${TEST_ADMIN_KEY}`;
    const minted = (await request(server(t.app)).post('/api/admin/api-keys').set('authorization', admin).send({ name: 'short-lived', scope: { tenants: [TENANTS.B] } }).expect(201)).body;
    const use = () => request(server(t.app)).get(`/api/tenants/${TENANTS.B}/csat`).set('authorization', `Bearer ${minted.key}`);
    await use().expect(200);
    await request(server(t.app)).delete(`/api/admin/api-keys/${minted.id}`).set('authorization', admin).expect(204);
    await use().expect(401);
    const listed = (await request(server(t.app)).get('/api/admin/api-keys').set('authorization', admin).expect(200)).body;
    const entry = listed.find((k: { id: string }) => k.id === minted.id);
    expect(entry.revoked_at).toEqual(expect.any(String));
    expect(entry.last_used_at).toEqual(expect.any(String));
    expect(JSON.stringify(listed)).not.toContain(minted.key.split('_').slice(2).join('_'));
  });
});
