import { LRUCache } from 'lru-cache';
import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem-details.filter.js';

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A page as every list route answers it. */
interface PageBody {
  data: unknown[];
  meta: { total: number; page: number; page_size: number };
}

function isPage(payload: unknown): payload is PageBody {
  const p = payload as Partial<PageBody> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    Array.isArray(p.data) &&
    typeof p.meta === 'object' &&
    p.meta !== null &&
    Number.isInteger(p.meta.total) &&
    Number.isInteger(p.meta.page) &&
    Number.isInteger(p.meta.page_size) &&
    p.meta.page_size > 0
  );
}

/**
 * The methods some route answers for this concrete path; none when only OPTIONS matches, because CORS
 * registers `OPTIONS *`, which matches every URL and must not turn an unknown path into a 405.
 */
export function allowedMethods(fastify: FastifyInstance, path: string): HTTPMethods[] {
  const allowed = METHODS.filter((method) => fastify.findRoute({ method, url: path }) !== null);
  return allowed.some((method) => method !== 'OPTIONS') ? allowed : [];
}

/**
 * RFC 8288 `Link` for a page: first, prev, next, last, each the request's own path and query (every
 * filter kept) with only `page` changed.
 */
export function pageLinks(url: string, meta: PageBody['meta']): string {
  const [path, query = ''] = url.split('?', 2);
  const last = Math.max(1, Math.ceil(meta.total / meta.page_size));
  // The caller's query exactly as sent (its own encoding), only `page` replaced.
  const kept = query.split('&').filter((pair) => pair !== '' && pair.split('=', 1)[0] !== 'page');
  const at = (page: number) => `<${path}?${[...kept, `page=${page}`].join('&')}>`;
  const links = [`${at(1)}; rel="first"`];
  if (meta.page > 1) links.push(`${at(Math.min(meta.page - 1, last))}; rel="prev"`);
  if (meta.page < last) links.push(`${at(meta.page + 1)}; rel="next"`);
  links.push(`${at(last)}; rel="last"`);
  return links.join(', ');
}

const ENTITY_TAG = Symbol('entityTag');
const NOT_MODIFIED = Symbol('notModified');
type Tagged = FastifyRequest & { [ENTITY_TAG]?: string; [NOT_MODIFIED]?: true };

/** The tag of this request's answer, decided from its data version (data-response.interceptor.ts) rather than its bytes. */
export function setEntityTag(request: FastifyRequest, etag: string): void {
  (request as Tagged)[ENTITY_TAG] = etag;
}

/** Answer 304 with `etag` without building the answer; returns the placeholder body the route hands on. */
export function markNotModified(request: FastifyRequest, etag: string): null {
  (request as Tagged)[ENTITY_TAG] = etag;
  (request as Tagged)[NOT_MODIFIED] = true;
  return null;
}

/**
 * For GET answers with no data version (tenants, admin, the index): a weak validator of the exact bytes answered: any change of data, filter, sort or page changes it,
 * whatever served it (mock files, a vendor, the cache, a stale copy). SHA-1 as a fingerprint, not for security (its cost against SHA-256: docs/performance.md).
 */
export function entityTag(body: string | Buffer): string {
  return typeof body === 'string' && body.length <= MAX_REMEMBERED_TEXT ? weakTagOf(body) : `W/"${hash('sha1', body, 'base64url')}"`;
}

/** Texts up to this length have their tag remembered; longer ones are hashed every time (they rarely repeat). */
const MAX_REMEMBERED_TEXT = 2048;
/** At most this many remembered tags (≤ 2048 characters each, so a few MiB at worst); the least recently used goes first. */
const MAX_REMEMBERED_TAGS = 1024;
const rememberedTags = new LRUCache<string, string>({ max: MAX_REMEMBERED_TAGS });

/**
 * The weak tag of a text, remembered: the same small answer (a probe, a record polled at one data
 * version) asked again costs a map look-up instead of a SHA-1 (docs/performance.md).
 */
export function weakTagOf(text: string): string {
  let tag = rememberedTags.get(text);
  if (tag !== undefined) return tag;
  tag = `W/"${hash('sha1', text, 'base64url')}"`;
  if (text.length > MAX_REMEMBERED_TEXT) return tag;
  rememberedTags.set(text, tag);
  return tag;
}

/** `If-None-Match` matches `etag` (weak comparison, RFC 9110 §13.1.2), or is `*`. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** A list answer's `X-Total-Count` and RFC 8288 `Link` (set by the perimeter, DataResponseInterceptor, on every 200 page). */
export function setPageHeaders(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  if (reply.statusCode !== 200 || !isPage(payload)) return;
  void reply.header('x-total-count', String(payload.meta.total));
  void reply.header('link', pageLinks(request.url, payload.meta));
}

/**
 * HTTP conventions every route follows, as Fastify hooks:
 * - a known path asked with a method it does not answer: 405 problem+json with `Allow`;
 * - successful GET answers carry a weak `ETag` (`Cache-Control: private, no-cache`), and a matching
 *   `If-None-Match` gets 304 with no body. Data and insights answers get theirs from the data version
 *   before the route runs (src/data-response/data-response.interceptor.ts); other GET answers from their bytes.
 */
export function registerHttpConventions(fastify: FastifyInstance): void {
  // Callback hooks, not async ones: an async hook costs every request a promise and a microtask turn.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allow = allowedMethods(fastify, path);
    if (allow.length === 0) return done();
    void reply
      .status(405)
      .header('allow', allow.join(', '))
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({
        type: '/problems/method-not-allowed',
        title: 'Method Not Allowed',
        status: 405,
        detail: `${request.method} is not supported on ${path}; use ${allow.join(', ')}`,
        instance: path,
      });
  });

  fastify.addHook('onSend', (request, reply, payload, done) => done(null, conditionalAnswer(request, reply, payload)));
}

/** The ETag of a successful GET answer, or the 304 that replaces it when `If-None-Match` matches. */
function conditionalAnswer(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload;
  const tagged = request as Tagged;
  if (tagged[NOT_MODIFIED]) return notModified(reply, tagged[ENTITY_TAG] as string);
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  const type = String(reply.getHeader('content-type') ?? '');
  if (!type.startsWith('application/json')) return payload;
  const etag = tagged[ENTITY_TAG] ?? entityTag(payload);
  if (noneMatch(request.headers['if-none-match'], etag)) return notModified(reply, etag);
  void reply.header('etag', etag).header('cache-control', 'private, no-cache');
  return payload;
}

function notModified(reply: FastifyReply, etag: string): string {
  void reply.status(304).header('etag', etag).header('cache-control', 'private, no-cache').removeHeader('content-type').removeHeader('content-length');
  return '';
}
