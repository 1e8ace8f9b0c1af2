import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ProblemDetails } from '../problem/problem-details.dto.js';
import { problemResponse, ProblemName } from './problem-responses.js';
import { headers, ResponseHeaderName } from './response-headers.js';

/** A route's successful answer. */
export interface Success {
  status?: 200 | 201 | 202 | 204;
  type?: Type<unknown> | [Type<unknown>];
  description: string;
  /** A body that is not JSON, by media type. */
  content?: Record<string, { schema: { type: 'string' }; example?: string }>;
}

const RATE_LIMIT: ResponseHeaderName[] = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
/** What a successful GET carries: its entity tag (http-conventions.ts). */
const CACHEABLE: ResponseHeaderName[] = ['ETag', 'Cache-Control'];
const PAGE: ResponseHeaderName[] = ['X-Total-Count', 'Link'];
const STALE: ResponseHeaderName[] = ['Warning', 'X-Stale-Vendors', 'Preference-Applied'];

/** Every route: an unknown query parameter is a 400; a slow client a 408. */
const ANY_ROUTE: ProblemName[] = ['BadRequest', 'RequestTimeout', 'InternalError'];
/** Routes behind a key (which is looked up in the store) and its budget. */
const KEYED: ProblemName[] = [...ANY_ROUTE, 'Unauthorized', 'TooManyRequests', 'StoreUnavailable'];

function answers(success: Success, successHeaders: ResponseHeaderName[], problems: ProblemName[], notModified?: ResponseHeaderName[]): MethodDecorator {
  const { status = 200, ...rest } = success;
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ApiResponse({ status, ...rest, headers: headers('X-Request-Id', ...successHeaders) }),
    ...(notModified
      ? [
          ApiHeader({
            name: 'If-None-Match',
            required: false,
            description: 'The `ETag` of the copy you hold (or `*`): while it is still current, the answer is 304 with no body.',
            schema: { type: 'string' },
          }),
          ApiResponse({ status: 304, description: '`If-None-Match` names the current `ETag`: nothing changed, no body.', headers: headers('X-Request-Id', ...notModified) }),
        ]
      : []),
    ...[...new Set(problems)].map((name) => ApiResponse(problemResponse(name))),
  );
}

/** Health probes: no key, never budgeted (429 only for a key sent from an address blocked for unknown keys). */
export function ApiProbeRoute(success: Success, unavailable?: Success): MethodDecorator {
  return applyDecorators(
    answers(success, CACHEABLE, [...ANY_ROUTE, 'TooManyRequests'], CACHEABLE),
    ...(unavailable ? [ApiResponse({ status: 503, ...unavailable, headers: headers('X-Request-Id') })] : []),
  );
}

/** A GET open without a key, budgeted per client address. */
export function ApiPublicRoute(success: Success): MethodDecorator {
  return answers(success, [...CACHEABLE, ...RATE_LIMIT], [...ANY_ROUTE, 'TooManyRequests'], [...CACHEABLE, ...RATE_LIMIT]);
}

/** A GET behind a key; `list` for pages (`X-Total-Count`, `Link`); `problems` beyond every keyed route's. */
export function ApiReadRoute(success: Success, options: { list?: boolean; problems?: ProblemName[] } = {}): MethodDecorator {
  return answers(success, [...CACHEABLE, ...RATE_LIMIT, ...(options.list ? PAGE : [])], [...KEYED, ...(options.problems ?? [])], [...CACHEABLE, ...RATE_LIMIT]);
}

/** A GET of a tenant's vendor data (a domain, or insights over all four): stale copies and the vendors' failures. */
export function ApiDataRoute(success: Success, options: { list?: boolean } = {}): MethodDecorator {
  return answers(
    success,
    [...CACHEABLE, ...RATE_LIMIT, ...(options.list ? PAGE : []), ...STALE],
    [...KEYED.filter((p) => p !== 'StoreUnavailable'), 'Forbidden', 'NotFound', 'VendorError', 'VendorUnavailable', 'VendorTimeout'],
    [...CACHEABLE, ...RATE_LIMIT],
  );
}

/** A write behind a key (POST, PUT, PATCH, DELETE): its body must be JSON and at most 1 MiB. */
export function ApiWriteRoute(success: Success, ...problems: ProblemName[]): MethodDecorator {
  return answers(success, RATE_LIMIT, [...KEYED, 'PayloadTooLarge', 'UnsupportedMediaType', ...problems]);
}

/** A GET behind a key answering text, not JSON: no entity tag (http-conventions.ts tags JSON only). */
export function ApiTextRoute(success: Success, options: { problems?: ProblemName[] } = {}): MethodDecorator {
  return answers(success, RATE_LIMIT, [...KEYED, ...(options.problems ?? [])]);
}
