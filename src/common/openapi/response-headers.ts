import type { HeaderObject } from '@nestjs/swagger';

/**
 * Every response header the server sends that a client may read, as the OpenAPI document declares it on
 * each response that can carry it; `required` where that response always does. Written inline, not as
 * `$ref`s: generators (openapi-typescript) read `required` only there.
 */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    required: true,
    description: 'The request id: the one sent (`X-Request-Id`), or one generated; every log line of the request carries it.',
    schema: { type: 'string', example: '5f0c9a3e-8d1b-4c8e-9a47-1f2d3c4b5a69' },
  },
  ETag: {
    required: true,
    description: 'Weak validator of the answer; send it back in `If-None-Match` to get 304 while nothing changed.',
    schema: { type: 'string', example: 'W/"d4GU2roj76idzw15obnMk3xonKc"' },
  },
  'Cache-Control': {
    required: true,
    description: '`private, no-cache`: a cache may keep the answer for this client, but must revalidate it (`If-None-Match`).',
    schema: { type: 'string', example: 'private, no-cache' },
  },
  'X-Total-Count': {
    required: true,
    description: 'Records matching the filters, all pages together (= `meta.total`).',
    schema: { type: 'integer', minimum: 0, example: 137 },
  },
  Link: {
    required: true,
    description: 'RFC 8288 links to the `first`, `prev`, `next` and `last` pages, every filter kept.',
    schema: {
      type: 'string',
      example: '</api/tenants/tenant_demo_cca/tickets?status=New&page=1>; rel="first", </api/tenants/tenant_demo_cca/tickets?status=New&page=2>; rel="next", </api/tenants/tenant_demo_cca/tickets?status=New&page=3>; rel="last"',
    },
  },
  'RateLimit-Limit': {
    description: 'Requests allowed per window (`RATE_LIMIT_PER_MINUTE`) to this API key (or client address, without a key).',
    schema: { type: 'integer', minimum: 1, example: 1200 },
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the current window.',
    schema: { type: 'integer', minimum: 0, example: 1187 },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window ends and the budget is whole again.',
    schema: { type: 'integer', minimum: 0, example: 42 },
  },
  'RateLimit-Policy': {
    description: 'The budget as `<limit>;w=<window seconds>`.',
    schema: { type: 'string', example: '1200;w=60' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', minimum: 1, example: 30 },
  },
  Warning: {
    description:
      'Live mode: `110 - "stale"` when a vendor failed and a cached copy was served (mock mode: `Prefer: stale`); read from the replica, `110 - "stale: <vendor> last synced <instant>"` per vendor whose last sync is older than 3 × SYNC_INTERVAL_SECONDS or failed.',
    schema: { type: 'string', example: '110 - "stale"' },
  },
  'X-Data-As-Of': {
    description: 'Live reads from the replica: the oldest last successful sync among the streams this answer read.',
    schema: { type: 'string', format: 'date-time', example: '2026-12-07T18:00:00.000Z' },
  },
  'X-Stale-Vendors': {
    description: 'With `Warning`: the vendors whose data is a stale copy, comma-separated.',
    schema: { type: 'string', example: 'connectwise' },
  },
  'Preference-Applied': {
    description: 'Mock mode: the `Prefer` scenario preferences honoured (RFC 7240).',
    schema: { type: 'string', example: 'stale' },
  },
  'WWW-Authenticate': {
    required: true,
    description: 'The scheme to authenticate with: `Bearer`.',
    schema: { type: 'string', example: 'Bearer' },
  },
} satisfies Record<string, HeaderObject>;

export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

/** The headers named, as a response's `headers` map. */
export function headers(...names: ResponseHeaderName[]): Record<string, HeaderObject> {
  return Object.fromEntries(names.map((name) => [name, RESPONSE_HEADERS[name]]));
}
