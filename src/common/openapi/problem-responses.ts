import type { ResponseObject } from '@nestjs/swagger';
import type { ProblemDetails } from '../problem/problem-details.dto.js';
import { headers, ResponseHeaderName } from './response-headers.js';

const PROBLEM_SCHEMA = { $ref: '#/components/schemas/ProblemDetails' };

interface ProblemResponse {
  status: number;
  description: string;
  examples: Record<string, ProblemDetails>;
  headers?: ResponseHeaderName[];
}

const problem = (type: string, title: string, status: number, detail: string, instance = '/api/tenants/tenant_demo_cca/tickets'): ProblemDetails => ({
  type,
  title,
  status,
  detail,
  instance,
});

/**
 * The problem+json answers, one per status (or per kind of 503), each declared once in
 * `components.responses` under its key and referenced by the routes that can give it.
 */
const PROBLEMS = {
  BadRequest: {
    status: 400,
    description:
      'Malformed tenant or record id, a bad or unknown query parameter, a bad `Prefer`, or an invalid body (`/problems/validation`, `/problems/invalid-tenant-id`, `/problems/bad-request`).',
    examples: {
      validation: {
        ...problem('/problems/validation', 'Bad Request', 400, 'page_size: must not be greater than 1000'),
        errors: [{ field: 'page_size', message: 'must not be greater than 1000' }],
      },
      'invalid-tenant-id': {
        ...problem('/problems/invalid-tenant-id', 'Bad Request', 400, 'tenant id "ACME" is malformed: it must match ^[a-z0-9][a-z0-9_-]{0,63}$', '/api/tenants/ACME/tickets'),
        errors: [{ field: 'tenantId', message: 'must match ^[a-z0-9][a-z0-9_-]{0,63}$' }],
      },
    },
  },
  Unauthorized: {
    status: 401,
    description: 'Missing, unknown or revoked API key (`/problems/unauthorized`).',
    examples: { unauthorized: problem('/problems/unauthorized', 'Unauthorized', 401, 'missing API key: send Authorization: Bearer <key>', '/api/tenants') },
    headers: ['WWW-Authenticate'],
  },
  Forbidden: {
    status: 403,
    description:
      'The key lacks the scope (admin routes: `/problems/forbidden`), the tenant is inactive (its data routes: `/problems/tenant-inactive`), or a write to a read-only store (`/problems/read-only`).',
    examples: {
      'tenant-inactive': problem('/problems/tenant-inactive', 'Forbidden', 403, "tenant 'tenant_demo_cca' is inactive: its data routes are closed"),
      forbidden: problem('/problems/forbidden', 'Forbidden', 403, 'this route needs an admin key; the key used is scoped to tenants', '/api/admin/api-keys'),
    },
  },
  NotFound: {
    status: 404,
    description:
      "Unknown tenant (or one outside the key's scope), record, vendor, integration or API key (`/problems/tenant-not-found`, `/problems/record-not-found`, ...).",
    examples: {
      'tenant-not-found': problem('/problems/tenant-not-found', 'Not Found', 404, "tenant 'acme' does not exist", '/api/tenants/acme/tickets'),
    },
  },
  RequestTimeout: {
    status: 408,
    description: 'The request was not received in time (`REQUEST_TIMEOUT_MS`, `HEADERS_TIMEOUT_MS`); the connection is closed.',
    examples: {
      'request-timeout': problem(
        '/problems/request-timeout',
        'Request Timeout',
        408,
        'the request was not received in time (REQUEST_TIMEOUT_MS bounds the whole request, HEADERS_TIMEOUT_MS its headers)',
        '',
      ),
    },
  },
  Conflict: {
    status: 409,
    description: 'It exists already (`/problems/tenant-exists`).',
    examples: { 'tenant-exists': problem('/problems/tenant-exists', 'Conflict', 409, "tenant 'acme' already exists", '/api/admin/tenants') },
  },
  PayloadTooLarge: {
    status: 413,
    description: 'The body is over 1 MiB (`/problems/payload-too-large`).',
    examples: { 'payload-too-large': problem('/problems/payload-too-large', 'Payload Too Large', 413, 'Request body is too large', '/api/admin/api-keys') },
  },
  UnsupportedMediaType: {
    status: 415,
    description: 'A body that is not JSON (`/problems/unsupported-media-type`).',
    examples: {
      'unsupported-media-type': problem(
        '/problems/unsupported-media-type',
        'Unsupported Media Type',
        415,
        'request bodies must be JSON (Content-Type: application/json); got "text/plain"',
        '/api/admin/api-keys',
      ),
    },
  },
  TooManyRequests: {
    status: 429,
    description:
      "The key's budget (`RATE_LIMIT_PER_MINUTE`) is spent, or this address sent too many unknown keys, so even a right one waits (`/problems/rate-limited`); `Retry-After` says how long.",
    examples: { 'rate-limited': problem('/problems/rate-limited', 'Too Many Requests', 429, 'more than 1200 requests in 60 s: retry after 42 s', '/api/tenants') },
    headers: ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'],
  },
  InternalError: {
    status: 500,
    description: 'Unexpected error: logged with its request id, no details sent (`/problems/internal`).',
    examples: { internal: problem('/problems/internal', 'Internal Server Error', 500, 'an unexpected error occurred; it has been logged') },
  },
  StoreUnavailable: {
    status: 503,
    description:
      'The platform database cannot be reached (`/problems/store-unavailable`), vendor secrets cannot be stored without ENCRYPTION_KEY (`/problems/encryption-key-missing`), or a stored secret was encrypted under a key this copy does not have (`/problems/secret-undecryptable`); `Retry-After` when known.',
    examples: {
      'sync-in-progress': problem(
        '/problems/sync-in-progress',
        'Service Unavailable',
        503,
        'connectwise.tickets of tenant tenant_demo_cca is being synced for the first time: 4000 records so far; try again in 30 s',
      ),
      'store-unavailable': problem('/problems/store-unavailable', 'Service Unavailable', 503, 'the platform database is unavailable; retry shortly', '/api/tenants'),
      'secret-undecryptable': problem(
        '/problems/secret-undecryptable',
        'Service Unavailable',
        503,
        "the connectwise integration of tenant 'acme' was stored under an encryption key this copy does not have: ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS must include it",
      ),
    },
    headers: ['Retry-After'],
  },
  VendorError: {
    status: 502,
    description: 'Live mode: the vendor answered an error or data that does not map (`/problems/vendor-error`, `/problems/vendor-data`).',
    examples: { 'vendor-error': problem('/problems/vendor-error', 'Bad Gateway', 502, 'connectwise answered 500 to GET /service/tickets') },
  },
  VendorUnavailable: {
    status: 503,
    description:
      'Live mode: the vendor cannot be reached or its circuit is open (`/problems/vendor-unavailable`); a stream\'s first sync is still running past FIRST_SYNC_WAIT_MS (`/problems/sync-in-progress`); the platform database cannot be reached (`/problems/store-unavailable`); or the integration\'s stored secret was encrypted under a key this copy does not have (`/problems/secret-undecryptable`). `Retry-After` says when to try again.',
    examples: {
      'vendor-unavailable': problem(
        '/problems/vendor-unavailable',
        'Service Unavailable',
        503,
        'connectwise is unavailable: circuit connectwise:tenant_demo_cca is open after repeated failures',
      ),
      'store-unavailable': problem('/problems/store-unavailable', 'Service Unavailable', 503, 'the platform database is unavailable; retry shortly'),
    },
    headers: ['Retry-After'],
  },
  VendorTimeout: {
    status: 504,
    description: 'Live mode: the vendor did not answer within VENDOR_TIMEOUT_MS (`/problems/vendor-timeout`).',
    examples: { 'vendor-timeout': problem('/problems/vendor-timeout', 'Gateway Timeout', 504, 'connectwise did not answer GET /service/tickets within 30000 ms') },
  },
} satisfies Record<string, ProblemResponse>;

export type ProblemName = keyof typeof PROBLEMS;

/** Headers a problem answer always carries: 408 is written on the socket before any request id exists. */
const ALWAYS: ResponseHeaderName[] = ['X-Request-Id'];

function responseObject(name: ProblemName): ResponseObject & { status: number } {
  const p: ProblemResponse = PROBLEMS[name];
  const names = [...(name === 'RequestTimeout' ? [] : ALWAYS), ...(p.headers ?? [])];
  return {
    status: p.status,
    description: p.description,
    ...(names.length > 0 ? { headers: headers(...names) } : {}),
    content: { 'application/problem+json': { schema: PROBLEM_SCHEMA, examples: examplesOf(p) } },
  };
}

const examplesOf = (p: ProblemResponse) => Object.fromEntries(Object.entries(p.examples).map(([key, value]) => [key, { value }]));

/** The problem answer `name`, as `@ApiResponse` takes it. */
export function problemResponse(name: ProblemName): ResponseObject & { status: number } {
  return responseObject(name);
}

/** Every problem answer as `components.responses` declares it. */
export function problemComponents(): Record<string, ResponseObject> {
  return Object.fromEntries(
    (Object.keys(PROBLEMS) as ProblemName[]).map((name) => {
      const { status: _status, ...response } = responseObject(name);
      return [name, response];
    }),
  );
}
