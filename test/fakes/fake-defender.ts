import type {
  DefenderEndpointAlert,
  DefenderGraphAlert,
  DefenderIntegration,
} from '../../src/integrations/defender/defender.client.js';
import { FakeReply, FakeVendorServer, RecordedRequest } from './fake-server.js';
import { ODataField, odataFilter } from './odata-filter.js';

const GRAPH_PATH = '/v1.0/security/alerts_v2';
const ENDPOINT_PATH = '/api/alerts';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const ENDPOINT_SCOPE = 'https://api.securitycenter.microsoft.com/.default';
const GRAPH_MAX_TOP = 1000;
const ENDPOINT_MAX_TOP = 10_000;
const GRAPH_SERVICE_SOURCES = [
  'microsoftDefenderForEndpoint', 'microsoftDefenderForIdentity', 'microsoftDefenderForCloudApps', 'microsoftDefenderForOffice365',
  'microsoft365Defender', 'azureAdIdentityProtection', 'microsoftAppGovernance', 'dataLossPrevention', 'microsoftDefenderForCloud',
];
/** What alerts_v2 `$filter` takes (reference §2.7), with its enums; any other property is a 400. */
const GRAPH_FILTERABLE: Record<string, ODataField> = {
  lastUpdateDateTime: 'datetime',
  createdDateTime: 'datetime',
  status: ['unknown', 'new', 'inProgress', 'resolved', 'unknownFutureValue'],
  severity: ['unknown', 'informational', 'low', 'medium', 'high', 'unknownFutureValue'],
  serviceSource: GRAPH_SERVICE_SOURCES,
};
/** What the endpoint API's `$filter` takes on alerts (reference §2.3, §2.4) as far as this fake implements it. */
const ENDPOINT_FILTERABLE: Record<string, ODataField> = {
  lastUpdateTime: 'datetime',
  alertCreationTime: 'datetime',
  status: ['Unknown', 'New', 'InProgress', 'Resolved'],
  severity: ['UnSpecified', 'Informational', 'Low', 'Medium', 'High'],
};

export class FakeDefender extends FakeVendorServer {
  graphAlerts: DefenderGraphAlert[] = [];
  endpointAlerts: DefenderEndpointAlert[] = [];
  nextLinkOrigin: string | undefined;
  endpointNextLinks = false;
  readonly credentials = {
    azure_tenant_id: '11111111-2222-3333-4444-555555555555',
    client_id: '0f9e8d7c-aaaa-bbbb-cccc-1234567890ab',
    client_secret: 'entra-client-SECRET~Qx8Q',
  };

  static start(): Promise<FakeDefender> {
    return new FakeDefender().listen();
  }

  integration(overrides: Partial<DefenderIntegration> = {}): DefenderIntegration {
    return { api: 'graph', base_url: this.baseUrl, login_url: this.baseUrl, ...this.credentials, ...overrides };
  }

  protected override isTokenPath(path: string): boolean {
    return path.endsWith('/oauth2/v2.0/token');
  }

  protected errorBody(status: number, message: string): unknown {
    const code = status === 401 ? 'InvalidAuthenticationToken' : status === 429 ? 'TooManyRequests' : status >= 500 ? 'InternalServerError' : 'BadRequest';
    return {
      error: {
        code,
        message: status === 401 ? 'Access token has expired or is not yet valid.' : message,
        innerError: { date: '2026-01-05T10:00:00', 'request-id': 'f0e1d2c3-0000-4000-8000-000000000001' },
      },
    };
  }

  protected handle(req: RecordedRequest): FakeReply {
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(req.path);
    if (token) return this.token(req, decodeURIComponent(token[1]));
    if (req.path === GRAPH_PATH) return this.graph(req);
    if (req.path === ENDPOINT_PATH) return this.endpoint(req);
    return this.json(404, this.errorBody(404, 'Resource not found'));
  }

  private token(req: RecordedRequest, tenant: string): FakeReply {
    const form = new URLSearchParams(req.body);
    const aad = (status: number, error: string, code: number, text: string): FakeReply =>
      this.json(status, {
        error,
        error_description: `AADSTS${code}: ${text}\r\nTrace ID: 0000 Correlation ID: 0000 Timestamp: 2026-01-05 10:00:00Z`,
        error_codes: [code],
        timestamp: '2026-01-05 10:00:00Z',
        trace_id: '00000000-0000-0000-0000-000000000000',
        correlation_id: '00000000-0000-0000-0000-000000000000',
      });
    if (req.method !== 'POST') return aad(400, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
    if (tenant !== this.credentials.azure_tenant_id) return aad(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    if (form.get('grant_type') !== 'client_credentials') return aad(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (form.get('client_id') !== this.credentials.client_id) {
      return aad(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory.`);
    }
    if (form.get('client_secret') !== this.credentials.client_secret) {
      return aad(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }
    const scope = form.get('scope');
    if (scope !== GRAPH_SCOPE && scope !== ENDPOINT_SCOPE) return aad(400, 'invalid_scope', 70011, 'The provided value for the input parameter \'scope\' is not valid.');
    const issued = this.issueToken(scope);
    return this.json(200, { token_type: issued.token_type, expires_in: issued.expires_in, ext_expires_in: issued.expires_in, access_token: issued.access_token });
  }

  private graph(req: RecordedRequest): FakeReply {
    if (this.bearerGrant(req) !== GRAPH_SCOPE) return this.json(401, this.errorBody(401, ''));
    const unknown = unknownParam(req, GRAPH_PARAMS);
    if (unknown !== undefined) return this.json(400, this.errorBody(400, `Query option '${unknown}' is not supported.`));
    const rows = filtered(this.graphAlerts, req, GRAPH_FILTERABLE);
    if (rows instanceof Error) return this.json(400, this.errorBody(400, rows.message));
    const top = Math.min(Number(req.query.get('$top') ?? GRAPH_MAX_TOP), GRAPH_MAX_TOP);
    const offset = Number(req.query.get('$skiptoken') ? Buffer.from(req.query.get('$skiptoken') as string, 'base64').toString() : 0);
    const end = offset + top;
    const body: Record<string, unknown> = {
      '@odata.context': `${this.baseUrl}/v1.0/$metadata#security/alerts_v2`,
      value: rows.slice(offset, end),
    };
    if (end < rows.length) {
      const query = new URLSearchParams(req.query);
      query.set('$skiptoken', Buffer.from(String(end)).toString('base64'));
      body['@odata.nextLink'] = `${this.nextLinkOrigin ?? this.baseUrl}${GRAPH_PATH}?${query.toString()}`;
    }
    return this.json(200, body);
  }

  private endpoint(req: RecordedRequest): FakeReply {
    if (this.bearerGrant(req) !== ENDPOINT_SCOPE) {
      return this.json(401, { error: { code: 'Unauthorized', message: 'Invalid or expired authorization header', target: '7c1f2e3d-0000-4000-8000-000000000002' } });
    }
    const unknown = unknownParam(req, ENDPOINT_PARAMS);
    if (unknown !== undefined) return this.json(400, { error: { code: 'InvalidInput', message: `Query option '${unknown}' is not supported.`, target: '0' } });
    const rows = filtered(this.endpointAlerts, req, ENDPOINT_FILTERABLE);
    if (rows instanceof Error) return this.json(400, { error: { code: 'ODataError', message: rows.message, target: '0' } });
    const top = Number(req.query.get('$top') ?? ENDPOINT_MAX_TOP);
    if (!Number.isInteger(top) || top < 1 || top > ENDPOINT_MAX_TOP) {
      return this.json(400, { error: { code: 'InvalidInput', message: '$top must be between 1 and 10000', target: '0' } });
    }
    const skip = Number(req.query.get('$skip') ?? 0);
    const body: Record<string, unknown> = {
      '@odata.context': `${this.baseUrl}/api/$metadata#Alerts`,
      value: rows.slice(skip, skip + top),
    };
    if (this.endpointNextLinks && skip + top < rows.length) {
      const query = new URLSearchParams(req.query);
      query.set('$skip', String(skip + top));
      body['@odata.nextLink'] = `${this.baseUrl}${ENDPOINT_PATH}?${query.toString()}`;
    }
    return this.json(200, body);
  }
}

/** The query options each API takes as far as this fake implements them; any other is refused (a 400), never ignored. */
const GRAPH_PARAMS = new Set(['$filter', '$top', '$skiptoken']);
const ENDPOINT_PARAMS = new Set(['$filter', '$top', '$skip']);

function unknownParam(req: RecordedRequest, known: Set<string>): string | undefined {
  return [...req.query.keys()].find((key) => !known.has(key));
}

/** The rows the request's `$filter` (if any) lets through, or the error the vendor would answer 400 with. */
function filtered<T>(rows: T[], req: RecordedRequest, fields: Parameters<typeof odataFilter>[1]): T[] | Error {
  const filter = req.query.get('$filter');
  if (filter === null) return rows;
  try {
    return rows.filter(odataFilter(filter, fields) as (row: T) => boolean);
  } catch (error) {
    return error as Error;
  }
}
