import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { OpenAPIV3 } from 'openapi-types';
import { bootApp, server, TestApp } from '../support/app.js';

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
      '/api/health',
      '/api/tenants',
      '/api/tenants/{tenantId}',
      '/api/tenants/{tenantId}/csat',
      '/api/tenants/{tenantId}/security-alerts',
      '/api/tenants/{tenantId}/tickets',
      '/api/tenants/{tenantId}/tickets/{cwTicketId}',
      '/api/tenants/{tenantId}/time-entries',
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
      expect({ path, method, secured }).toEqual({ path, method, secured: path !== '/api/health' && path !== '/' });
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

  it('documents problem+json error responses on data routes', () => {
    const responses = operation('/api/tenants/{tenantId}/tickets').responses;
    for (const status of ['200', '400', '403', '404', '500']) expect(responses[status]).toBeDefined();
    const notFound = responses['404'] as OpenAPIV3.ResponseObject;
    expect(notFound.content?.['application/problem+json']).toBeDefined();
  });
});
