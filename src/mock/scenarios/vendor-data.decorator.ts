import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetails } from '../../common/problem/problem-details.dto.js';
import type { DomainName } from '../mock-domains.js';

export const VENDOR_DATA_DOMAIN = Symbol('VENDOR_DATA_DOMAIN');

/** Headers a data route's 200 may carry (documented on its ApiOkResponse). */
export const DATA_RESPONSE_HEADERS = {
  Warning: {
    description: 'Live mode: `110 - "stale"` when a vendor failed and a cached copy was served (mock mode: `Prefer: stale`).',
    schema: { type: 'string', example: '110 - "stale"' },
  },
  'X-Stale-Vendors': {
    description: 'With `Warning`: the vendors whose data is a stale copy, comma-separated.',
    schema: { type: 'string', example: 'connectwise' },
  },
  'Preference-Applied': {
    description: 'Mock mode: the `Prefer` scenario preferences honoured (RFC 7240).',
    schema: { type: 'string', example: 'stale' },
  },
} as const;

const VENDOR_FAILURES = [
  {
    status: 502,
    description: 'Live mode: the vendor answered an error or unmappable data (`/problems/vendor-error`, `/problems/vendor-data`).',
    example: { type: '/problems/vendor-error', title: 'Bad Gateway', status: 502, detail: 'connectwise answered 500 to GET /service/tickets', instance: '/api/tenants/tenant_demo_cca/tickets' },
  },
  {
    status: 503,
    description: 'Live mode: the vendor cannot be reached or its circuit is open (`/problems/vendor-unavailable`); `Retry-After` says when to try again.',
    example: { type: '/problems/vendor-unavailable', title: 'Service Unavailable', status: 503, detail: 'connectwise is unavailable: circuit connectwise:tenant_demo_cca is open after repeated failures', instance: '/api/tenants/tenant_demo_cca/tickets' },
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', example: 30 } } },
  },
  {
    status: 504,
    description: 'Live mode: the vendor did not answer within VENDOR_TIMEOUT_MS (`/problems/vendor-timeout`).',
    example: { type: '/problems/vendor-timeout', title: 'Gateway Timeout', status: 504, detail: 'connectwise did not answer GET /service/tickets within 30000 ms', instance: '/api/tenants/tenant_demo_cca/tickets' },
  },
];

/**
 * A route serving vendor data of these domains (insights read all four): while all of them are mocked its
 * answers follow `Prefer` and scenarios.json; its documentation lists the vendor failures live mode answers and `Prefer`.
 */
export function VendorData(...domains: [DomainName, ...DomainName[]]): MethodDecorator {
  return applyDecorators(
    SetMetadata(VENDOR_DATA_DOMAIN, domains),
    ApiExtraModels(ProblemDetails),
    ApiHeader({
      name: 'Prefer',
      required: false,
      description:
        'Mock mode only (RFC 7240; in mixed mode, on routes whose domains are all mocked), ignored in live mode: `code=502`, `code=503` or `code=504` answers that vendor failure as ' +
        'live mode would; `delay=MS` (0–30000) holds the answer; `stale` answers with `Warning: 110` and `X-Stale-Vendors`. ' +
        'Combine with commas, e.g. `delay=800, stale`.',
      schema: { type: 'string' },
    }),
    ...VENDOR_FAILURES.map(({ status, description, example, headers }) =>
      ApiResponse({
        status,
        description,
        ...(headers ? { headers } : {}),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetails) }, example } },
      }),
    ),
  );
}
