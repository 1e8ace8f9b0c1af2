import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiJson } from '../../src/app.setup.js';
import { splitAlternatives } from '../../src/common/query/filters.js';
import { runNode } from '../cli/run.js';
import request from 'supertest';
import type { OpenAPIV3 } from 'openapi-types';
import { bootApp, server, TestApp } from '../support/app.js';
import { VENDORS } from '../../src/platform/integration-bodies.dto.js';

const MOCK_DATA = join(process.cwd(), 'mock-data');
const shipped = (file: string): Record<string, unknown>[] => JSON.parse(readFileSync(join(MOCK_DATA, file), 'utf8'));

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenAPIV3.Document;

  beforeAll(async () => {
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: MOCK_DATA, MOCK_WATCH: 'false' });
    doc = (await t.get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  const schema = (name: string) => doc.components?.schemas?.[name] as OpenAPIV3.SchemaObject;
  const operation = (path: string) => doc.paths[path]?.get as OpenAPIV3.OperationObject;
  const queryParams = (path: string) =>
    (operation(path).parameters as OpenAPIV3.ParameterObject[]).filter((p) => p.in === 'query').map((p) => p.name).sort();

  it('validates as OpenAPI 3', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect(doc.openapi).toMatch(/^3\./);
  });

  it('is also served as YAML, and Swagger UI is served at /docs', async () => {
    const yaml = await t.get('/docs-yaml').expect(200);
    expect(yaml.text).toMatch(/^openapi: 3\./m);
    const ui = await t.get('/docs').expect(200);
    expect(ui.text).toMatch(/swagger-ui/i);
  });

  it('documents every route', () => {
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/',
      '/api/admin/api-keys',
      '/api/admin/api-keys/{id}',
      '/api/admin/tenants',
      '/api/admin/tenants/{tenantId}',
      '/api/admin/tenants/{tenantId}/integrations',
      '/api/admin/tenants/{tenantId}/integrations/{vendor}',
      '/api/admin/tenants/{tenantId}/integrations/{vendor}/test',
      '/api/admin/tenants/{tenantId}/sync',
      '/api/health',
      '/api/health/live',
      '/api/health/ready',
      '/api/tenants',
      '/api/tenants/{tenantId}',
      '/api/tenants/{tenantId}/csat',
      '/api/tenants/{tenantId}/security-alerts',
      '/api/tenants/{tenantId}/summary',
      '/api/tenants/{tenantId}/summary/series',
      '/api/tenants/{tenantId}/tickets',
      '/api/tenants/{tenantId}/tickets/{cwTicketId}',
      '/api/tenants/{tenantId}/time-entries',
      '/metrics',
    ]);
  });

  it('documents every query parameter of each list route', () => {
    const common = ['page', 'page_size', 'sort'];
    expect(queryParams('/api/tenants/{tenantId}/tickets')).toEqual(
      [...common, 'status', 'priority', 'board', 'company', 'owner', 'sla_status', 'created_from', 'created_to', 'updated_from', 'updated_to', 'q'].sort(),
    );
    expect(queryParams('/api/tenants/{tenantId}/time-entries')).toEqual(
      [...common, 'cw_ticket_id', 'member', 'work_type', 'billable', 'date_from', 'date_to'].sort(),
    );
    expect(queryParams('/api/tenants/{tenantId}/csat')).toEqual(
      [...common, 'ticket_id', 'sentiment', 'score_min', 'score_max', 'submitted_from', 'submitted_to'].sort(),
    );
    expect(queryParams('/api/tenants/{tenantId}/security-alerts')).toEqual(
      [...common, 'source', 'severity', 'status', 'device', 'detected_from', 'detected_to'].sort(),
    );
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'put', 'post', 'patch', 'delete'] as const)
        .filter((m) => item?.[m])
        .map((method) => ({ path, method, op: item?.[method] as OpenAPIV3.OperationObject })),
    );

  it('describes every parameter of every route', () => {
    for (const { path, method, op } of operations()) {
      for (const param of (op.parameters ?? []) as OpenAPIV3.ParameterObject[]) {
        const described = (param.description ?? '').length > 10;
        expect({ path, method, param: param.name, described }).toEqual({ path, method, param: param.name, described: true });
      }
    }
  });

  it('documents the tenant id pattern on every tenant route', () => {
    for (const { path, op } of operations().filter((o) => o.path.includes('{tenantId}'))) {
      const param = (op.parameters as OpenAPIV3.ParameterObject[]).find((p) => p.name === 'tenantId');
      expect({ path, pattern: (param?.schema as OpenAPIV3.SchemaObject).pattern }).toEqual({ path, pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' });
    }
  });

  it('declares the bearer scheme on every route but health and the index', () => {
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { path, method, op } of operations()) {
      const secured = (op.security ?? []).some((s) => 'bearer' in s);
      expect({ path, method, secured }).toEqual({ path, method, secured: !path.startsWith('/api/health') && path !== '/' });
    }
  });

  it('documents each record with exactly the fields the files hold, and examples from the shipped data', () => {
    const cases: [string, string][] = [
      ['Ticket', 'tickets/tenant_demo_cca.json'],
      ['TimeEntry', 'time_entries/tenant_demo_cca.json'],
      ['CsatSurvey', 'csat/tenant_demo_cca.json'],
      ['SecurityAlert', 'security_alerts/tenant_demo_cca.json'],
      ['Tenant', 'tenants.json'],
    ];
    for (const [name, file] of cases) {
      const records = shipped(file);
      const properties = schema(name).properties as Record<string, OpenAPIV3.SchemaObject>;
      const keysInData = new Set(records.flatMap((r) => Object.keys(r)));
      expect(Object.keys(properties).sort()).toEqual([...keysInData].sort());
      for (const [field, property] of Object.entries(properties)) {
        expect({ field, example: property.example }).toEqual({ field, example: expect.anything() });
        const seen = records.map((r) => r[field]);
        expect({ field, found: seen.some((v) => JSON.stringify(v) === JSON.stringify(property.example)) }).toEqual({ field, found: true });
      }
    }
  });

  it('marks required fields and enums', () => {
    expect(schema('Ticket').required).toEqual(
      expect.arrayContaining(['tenant_id', 'cw_ticket_id', 'board', 'status', 'priority', 'summary', 'description', 'company', 'owner', 'created_at_remote', 'updated_at_remote']),
    );
    expect(schema('Ticket').required).not.toContain('closed_at_remote');
    const severity = (schema('SecurityAlert').properties as Record<string, OpenAPIV3.SchemaObject>).severity;
    expect(severity.enum).toEqual(['informational', 'low', 'medium', 'high', 'critical']);
  });

  it('documents problem+json error responses on data routes', async () => {
    const full = (await SwaggerParser.dereference(structuredClone(doc) as never)) as OpenAPIV3.Document;
    const responses = full.paths['/api/tenants/{tenantId}/tickets']?.get?.responses ?? {};
    for (const status of ['200', '400', '403', '404', '500']) expect(responses[status]).toBeDefined();
    const notFound = responses['404'] as OpenAPIV3.ResponseObject;
    expect(notFound.content?.['application/problem+json']).toBeDefined();
  });
});

describe('the OpenAPI document for front-ends and tools', () => {
  let t: TestApp;
  let doc: OpenAPIV3.Document;

  beforeAll(async () => {
    t = await bootApp({ MOCK_MODE: 'true', MOCK_DATA_PATH: MOCK_DATA, MOCK_WATCH: 'false' });
    doc = (await t.get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'put', 'post', 'patch', 'delete'] as const)
        .filter((m) => item?.[m])
        .map((method) => ({ path, method, op: item?.[method] as OpenAPIV3.OperationObject })),
    );
  const params = (path: string) => (doc.paths[path]?.get?.parameters ?? []) as OpenAPIV3.ParameterObject[];
  const param = (path: string, name: string) => params(path).find((p) => p.name === name) as OpenAPIV3.ParameterObject;
  const schema = (name: string) => doc.components?.schemas?.[name] as OpenAPIV3.SchemaObject;
  const DATA_ROUTES = [
    '/api/tenants/{tenantId}/tickets',
    '/api/tenants/{tenantId}/tickets/{cwTicketId}',
    '/api/tenants/{tenantId}/time-entries',
    '/api/tenants/{tenantId}/csat',
    '/api/tenants/{tenantId}/security-alerts',
  ];

  it('is committed as openapi.json, exactly as served (run `npm run build && npm run openapi` after a change)', () => {
    const committed = readFileSync(join(process.cwd(), 'openapi.json'), 'utf8');
    // Same content (key order aside: the test build and `nest build` may order a schema's keys differently),
    // written as `npm run openapi` writes it.
    expect(JSON.parse(committed)).toEqual(doc);
    expect(committed).toBe(openApiJson(JSON.parse(committed)));
  });

  it('passes `redocly lint` (recommended rules) with no error, offline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(doc));
    const { stdout } = await runNode(
      [join(process.cwd(), 'node_modules/@redocly/cli/bin/cli.js'), 'lint', join(dir, 'openapi.json'), '--format=json', `--config=${join(process.cwd(), 'redocly.yaml')}`],
      { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', HOME: tmpdir() },
      50_000,
    );
    const report = JSON.parse(stdout) as { totals: { errors: number }; problems: { ruleId: string; severity: string; message: string }[] };
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 60_000);

  it('pre-fills no optional query filter in Try-it-out: examples live in descriptions; path examples stay', () => {
    for (const { path, op } of operations()) {
      for (const p of (op.parameters ?? []) as OpenAPIV3.ParameterObject[]) {
        const s = p.schema as OpenAPIV3.SchemaObject;
        const prefilled = p.in === 'query' && !['page', 'page_size', 'sort'].includes(p.name) ? (p.example ?? s?.example ?? s?.default) : undefined;
        expect({ path, param: p.name, prefilled }).toEqual({ path, param: p.name, prefilled: undefined });
      }
    }
    expect(param('/api/tenants/{tenantId}/tickets', 'status').description).toContain('Example: `New,Waiting`');
    expect((param('/api/tenants/{tenantId}/tickets', 'tenantId').schema as OpenAPIV3.SchemaObject).example ?? param('/api/tenants/{tenantId}/tickets', 'tenantId').example).toBe('tenant_demo_cca');
  });

  it('declares enum filters as arrays, one item per repeated parameter, each item one or more of the values comma-separated', () => {
    const cases: [string, string, string[]][] = [
      ['/api/tenants/{tenantId}/security-alerts', 'severity', ['informational', 'low', 'medium', 'high', 'critical']],
      ['/api/tenants/{tenantId}/security-alerts', 'status', ['new', 'investigating', 'resolved']],
      ['/api/tenants/{tenantId}/security-alerts', 'source', ['sentinelone', 'defender']],
      ['/api/tenants/{tenantId}/csat', 'sentiment', ['positive', 'neutral', 'negative']],
      ['/api/tenants/{tenantId}/time-entries', 'billable', ['true', 'false']],
    ];
    for (const [path, name, values] of cases) {
      const p = param(path, name);
      const one = `(?:${values.join('|')})`;
      expect({ name, style: p.style, explode: p.explode, schema: p.schema }).toEqual({
        name,
        style: 'form',
        explode: true,
        schema: { type: 'array', items: { type: 'string', pattern: `^${one}(?:,${one})*$` } },
      });
      const pattern = new RegExp(((p.schema as OpenAPIV3.ArraySchemaObject).items as OpenAPIV3.SchemaObject).pattern as string);
      expect([values[0], values.join(','), `${values[0]},`, `${values[0]}x`, ''].map((v) => pattern.test(v))).toEqual([true, true, false, false, false]);
    }
  });

  it('declares the other exact-match filters as arrays, each item one or more non-empty alternatives, as the server splits them', () => {
    const cases: [string, string][] = [
      ['/api/tenants/{tenantId}/tickets', 'status'],
      ['/api/tenants/{tenantId}/tickets', 'owner'],
      ['/api/tenants/{tenantId}/time-entries', 'member'],
      ['/api/tenants/{tenantId}/csat', 'ticket_id'],
      ['/api/tenants/{tenantId}/security-alerts', 'device'],
    ];
    for (const [path, name] of cases) {
      const p = param(path, name);
      expect({ name, style: p.style, explode: p.explode, schema: p.schema }).toEqual({
        name,
        style: 'form',
        explode: true,
        schema: { type: 'array', items: { type: 'string', pattern: expect.any(String) } },
      });
      // The same alternatives splitAlternatives accepts: non-empty, `\,` a literal comma.
      const pattern = new RegExp(((p.schema as OpenAPIV3.ArraySchemaObject).items as OpenAPIV3.SchemaObject).pattern as string);
      const accepted = ['New', 'New,Waiting', 'Huel\\, Ward and Schoen', 'a\\', 'a\\\\,b', 'C:\\x'];
      const refused = ['', 'New,', ',New', 'New,,Waiting'];
      expect({ name, accepted: accepted.filter((v) => pattern.test(v)), refused: refused.filter((v) => pattern.test(v)) }).toEqual({ name, accepted, refused: [] });
      for (const v of accepted) expect(splitAlternatives(v).every((alt) => alt.length > 0)).toBe(true);
      for (const v of refused) expect(splitAlternatives(v).every((alt) => alt.length > 0)).toBe(false);
    }
  });

  it('declares instants as date-time and days as date', () => {
    const props = (name: string) => schema(name).properties as Record<string, OpenAPIV3.SchemaObject>;
    for (const field of ['created_at_remote', 'updated_at_remote', 'closed_at_remote']) expect(props('Ticket')[field].format).toBe('date-time');
    expect(props('SecurityAlert').detected_at.format).toBe('date-time');
    expect(props('CsatSurvey').submitted_at.format).toBe('date-time');
    expect(props('TimeEntry').date_worked.format).toBe('date');
    expect(props('ApiKeyInfo').created_at.format).toBe('date-time');
    expect((param('/api/tenants/{tenantId}/time-entries', 'date_from').schema as OpenAPIV3.SchemaObject).format).toBe('date');
    expect(schema('Ticket').required).not.toContain('closed_at_remote');
  });

  it('lists every vendor on each integration route and offers one body per vendor', () => {
    const integrationRoutes = Object.entries(doc.paths).filter(([path]) => path.includes('/integrations/{vendor}'));
    expect(integrationRoutes.length).toBeGreaterThan(0);
    for (const [, item] of integrationRoutes) {
      for (const op of Object.values(item ?? {}) as OpenAPIV3.OperationObject[]) {
        const vendor = (op.parameters as OpenAPIV3.ParameterObject[]).find((p) => p.name === 'vendor');
        expect((vendor?.schema as OpenAPIV3.SchemaObject).enum).toEqual([...VENDORS]);
      }
    }
    const put = doc.paths['/api/admin/tenants/{tenantId}/integrations/{vendor}']?.put as OpenAPIV3.OperationObject;
    const body = (put.requestBody as OpenAPIV3.RequestBodyObject).content['application/json'].schema as OpenAPIV3.SchemaObject;
    expect(body.oneOf).toHaveLength(VENDORS.length);
  });

  it('derives the tenant bodies from the tenant record: every field on create, any but the id on change', () => {
    expect(Object.keys(schema('CreateTenantBody').properties ?? {}).sort()).toEqual(Object.keys(schema('Tenant').properties ?? {}).sort());
    expect(schema('CreateTenantBody').required?.sort()).toEqual(['id', 'is_active', 'llm_enabled', 'name']);
    expect(Object.keys(schema('UpdateTenantBody').properties ?? {}).sort()).toEqual(['is_active', 'llm_enabled', 'name']);
    expect(schema('UpdateTenantBody').required ?? []).toEqual([]);
  });

  it('types an API key scope as "admin" or { tenants: [...] }', () => {
    for (const name of ['ApiKeyInfo', 'CreateApiKeyBody']) {
      const scope = (schema(name).properties as Record<string, OpenAPIV3.SchemaObject>).scope;
      expect(scope.oneOf).toEqual([
        expect.objectContaining({ type: 'string', enum: ['admin'] }),
        expect.objectContaining({ type: 'object', required: ['tenants'], additionalProperties: false }),
      ]);
      expect(scope.type).toBeUndefined();
    }
  });

  it('documents the live-mode vendor failures, their headers and Prefer on every data route', async () => {
    const full = (await SwaggerParser.dereference(structuredClone(doc) as never)) as OpenAPIV3.Document;
    for (const path of DATA_ROUTES) {
      const op = full.paths[path]?.get as OpenAPIV3.OperationObject;
      for (const status of ['502', '503', '504']) {
        const res = op.responses[status] as OpenAPIV3.ResponseObject;
        expect({ path, status, problem: !!res?.content?.['application/problem+json'] }).toEqual({ path, status, problem: true });
      }
      expect(Object.keys((op.responses['503'] as OpenAPIV3.ResponseObject).headers ?? {})).toEqual(['X-Request-Id', 'Retry-After']);
      expect(Object.keys((op.responses['200'] as OpenAPIV3.ResponseObject).headers ?? {})).toEqual(
        expect.arrayContaining(['Warning', 'X-Stale-Vendors', 'Preference-Applied']),
      );
      const prefer = (op.parameters as OpenAPIV3.ParameterObject[]).find((p) => p.in === 'header' && p.name === 'Prefer');
      expect(prefer?.required).toBe(false);
    }
    // No vendor behind the tenants: only the store can be unavailable there.
    expect(doc.paths['/api/tenants']?.get?.responses['502']).toBeUndefined();
    expect(doc.paths['/api/tenants']?.get?.responses['503']).toEqual({ $ref: '#/components/responses/StoreUnavailable' });
  });

  it('says health needs no key, names a server, describes every 2xx, and calls the key opaque', () => {
    expect(doc.paths['/api/health']?.get?.security).toEqual([]);
    expect(doc.servers?.length).toBeGreaterThan(0);
    for (const { path, method, op } of operations()) {
      for (const [status, res] of Object.entries(op.responses).filter(([s]) => s.startsWith('2'))) {
        expect({ path, method, status, described: ((res as OpenAPIV3.ResponseObject).description ?? '').length > 3 }).toEqual({
          path,
          method,
          status,
          described: true,
        });
      }
    }
    const bearer = doc.components?.securitySchemes?.bearer as OpenAPIV3.HttpSecurityScheme;
    expect(bearer.bearerFormat).not.toMatch(/jwt/i);
  });

  it('generates front-end types from openapi.json with openapi-typescript, offline', async () => {
    const { code, stdout, stderr } = await runNode(
      [join(process.cwd(), 'node_modules/openapi-typescript/bin/cli.js'), join(process.cwd(), 'openapi.json')],
      { HOME: tmpdir() },
      50_000,
    );
    expect({ code, stderr: stderr.replace(/^.*openapi-typescript.*$|^\s*$/gm, '').trim() }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('"/api/tenants/{tenantId}/tickets": {');
    expect(stdout).toMatch(/scope: "admin" \| \{\s+tenants: string\[\];/);
    // One item per repeated parameter, each one or more severities comma-separated: strings, not the enum.
    expect(stdout).toContain('severity?: string[];');
    expect(stdout).toContain('"X-Total-Count": number;');
    expect(stdout).toContain('"Retry-After"?: number;');
    expect(stdout).toContain('Prefer?: string;');
  }, 60_000);

  it('passes `spectral lint` (spectral:oas) with no warning at all, offline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(doc));
    const { stdout } = await runNode(
      [join(process.cwd(), 'node_modules/.bin/spectral'), 'lint', join(dir, 'openapi.json'), '--format=json', `--ruleset=${join(process.cwd(), '.spectral.yaml')}`, '--quiet'],
      { HOME: tmpdir() },
      50_000,
    );
    const results = JSON.parse(stdout) as { code: string; message: string; path: string[] }[];
    expect(results.map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`)).toEqual([]);
  }, 60_000);

  it('has global tags, each described, naming every operation tag', () => {
    const tags = doc.tags ?? [];
    for (const tag of tags) expect({ tag: tag.name, described: (tag.description ?? '').length > 10 }).toEqual({ tag: tag.name, described: true });
    const used = new Set(operations().flatMap(({ op }) => op.tags ?? []));
    expect([...used].sort()).toEqual(tags.map((t) => t.name).sort());
  });

  const KEYED = ['400', '401', '408', '429', '500', '503'];
  const WRITE = [...KEYED, '403', '413', '415'];
  const DATA = [...KEYED, '304', '403', '404', '502', '504'];
  const STATUSES: Record<string, string[]> = {
    'get /': ['200', '304', '400', '408', '429', '500'],
    'get /api/health': ['200', '304', '400', '408', '429', '500', '503'],
    'get /api/health/live': ['200', '304', '400', '408', '429', '500'],
    'get /api/health/ready': ['200', '304', '400', '408', '429', '500', '503'],
    'get /api/tenants': ['200', '304', ...KEYED],
    'get /api/tenants/{tenantId}': ['200', '304', '404', ...KEYED],
    'get /api/tenants/{tenantId}/tickets': ['200', ...DATA],
    'get /api/tenants/{tenantId}/tickets/{cwTicketId}': ['200', ...DATA],
    'get /api/tenants/{tenantId}/time-entries': ['200', ...DATA],
    'get /api/tenants/{tenantId}/csat': ['200', ...DATA],
    'get /api/tenants/{tenantId}/security-alerts': ['200', ...DATA],
    'get /api/tenants/{tenantId}/summary': ['200', ...DATA],
    'get /api/tenants/{tenantId}/summary/series': ['200', ...DATA],
    'post /api/admin/tenants': ['201', '409', ...WRITE],
    'patch /api/admin/tenants/{tenantId}': ['200', '404', ...WRITE],
    'get /api/admin/tenants/{tenantId}/integrations': ['200', '304', '403', '404', ...KEYED],
    'put /api/admin/tenants/{tenantId}/integrations/{vendor}': ['200', '404', ...WRITE],
    'delete /api/admin/tenants/{tenantId}/integrations/{vendor}': ['204', '404', ...WRITE],
    'post /api/admin/tenants/{tenantId}/integrations/{vendor}/test': ['200', '404', ...WRITE],
    'get /api/admin/tenants/{tenantId}/sync': ['200', '304', '403', '404', ...KEYED],
    'post /api/admin/tenants/{tenantId}/sync': ['202', '404', ...WRITE],
    'post /api/admin/api-keys': ['201', ...WRITE],
    'get /api/admin/api-keys': ['200', '304', '403', ...KEYED],
    'delete /api/admin/api-keys/{id}': ['204', '404', ...WRITE],
    'get /metrics': ['200', '403', ...KEYED],
  };

  it('declares every status each route can answer', () => {
    const declared = Object.fromEntries(operations().map(({ path, method, op }) => [`${method} ${path}`, Object.keys(op.responses).sort()]));
    expect(declared).toEqual(Object.fromEntries(Object.entries(STATUSES).map(([route, statuses]) => [route, [...new Set(statuses)].sort()])));
  });

  it('gives every error problem+json examples of its own status, and 304 no body', async () => {
    const full = (await SwaggerParser.dereference(structuredClone(doc) as never)) as OpenAPIV3.Document;
    for (const [path, item] of Object.entries(full.paths)) {
      for (const [method, op] of Object.entries(item ?? {}) as [string, OpenAPIV3.OperationObject][]) {
        for (const [status, res] of Object.entries(op.responses) as [string, OpenAPIV3.ResponseObject][]) {
          const where = `${method} ${path} ${status}`;
          if (status === '304') expect({ where, content: res.content }).toEqual({ where, content: undefined });
          if (Number(status) < 400 || (path.startsWith('/api/health') && status === '503')) continue;
          const examples = Object.values(res.content?.['application/problem+json']?.examples ?? {}) as OpenAPIV3.ExampleObject[];
          expect({ where, examples: examples.length > 0 }).toEqual({ where, examples: true });
          for (const { value } of examples) expect({ where, status: value.status, type: value.type }).toEqual({ where, status: Number(status), type: expect.stringMatching(/^\/problems\//) });
        }
      }
    }
  });

  it('declares the response headers the server sends, and which are always there', async () => {
    const full = (await SwaggerParser.dereference(structuredClone(doc) as never)) as OpenAPIV3.Document;
    const headersOf = (path: string, method: string, status: string) =>
      ((full.paths[path] as Record<string, OpenAPIV3.OperationObject>)[method].responses[status] as OpenAPIV3.ResponseObject).headers as Record<string, OpenAPIV3.HeaderObject>;
    const required = (h: Record<string, OpenAPIV3.HeaderObject>) => Object.keys(h).filter((name) => h[name].required === true);
    for (const route of Object.keys(STATUSES)) {
      const [method, path] = route.split(' ');
      for (const status of STATUSES[route].filter((s) => s !== '408')) {
        expect({ route, status, requestId: headersOf(path, method, status)?.['X-Request-Id']?.required }).toEqual({ route, status, requestId: true });
      }
      const success = STATUSES[route][0];
      const limited = path.startsWith('/api/health') ? [] : ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
      expect({ route, headers: Object.keys(headersOf(path, method, success)) }).toEqual({ route, headers: expect.arrayContaining(limited) });
      if (route === 'get /metrics') {
        // Prometheus text, not JSON: no entity tag (http-conventions.ts tags JSON only), hence no 304.
        expect({ route, headers: Object.keys(headersOf(path, method, success)), content: Object.keys((full.paths[path]?.get?.responses['200'] as OpenAPIV3.ResponseObject).content ?? {}) }).toEqual({
          route,
          headers: ['X-Request-Id', ...limited],
          content: ['text/plain; version=0.0.4; charset=utf-8'],
        });
      } else if (method === 'get') {
        expect({ route, required: required(headersOf(path, method, success)) }).toEqual({ route, required: expect.arrayContaining(['X-Request-Id', 'ETag', 'Cache-Control']) });
        expect({ route, required: required(headersOf(path, method, '304')) }).toEqual({ route, required: expect.arrayContaining(['ETag', 'Cache-Control']) });
        const conditional = (full.paths[path]?.get?.parameters as OpenAPIV3.ParameterObject[]).find((p) => p.in === 'header' && p.name === 'If-None-Match');
        expect({ route, conditional: conditional?.required }).toEqual({ route, conditional: false });
      }
    }
    for (const path of ['/api/tenants', ...DATA_ROUTES.filter((p) => !p.includes('{cwTicketId}'))]) {
      expect(required(headersOf(path, 'get', '200'))).toEqual(expect.arrayContaining(['X-Total-Count', 'Link']));
    }
    const limited = headersOf('/api/tenants', 'get', '429');
    expect(Object.keys(limited)).toEqual(expect.arrayContaining(['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy']));
    expect(required(headersOf('/api/tenants', 'get', '401'))).toContain('WWW-Authenticate');
  });

  it('keeps the key entered in Swagger UI across reloads (persistAuthorization)', async () => {
    const init = await t.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"persistAuthorization":\s*true/);
  });
});
