import { CallHandler, ExecutionContext, NestInterceptor, Type } from '@nestjs/common';
import { queryDtoOf } from '../validation/query-dto.decorator.js';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { hash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import { createValidationPipe } from '../validation/validation-pipe.js';
import { markNotModified, noneMatch, setEntityTag } from './http-conventions.js';

export const DATA_VERSION = Symbol('DATA_VERSION');

/** What one answer reads, looked at before it is built. */
export interface VersionProbe {
  /** The version of everything the answer would read now; undefined when it cannot be known without reading it (live: nothing fresh cached). */
  version?: string;
  /** Called after the answer was built, in its request: the version of what it actually read (live: the cache fills served, stale or not). */
  served(): string | undefined;
}

/** Where data versions come from: the mock folder's accepted load, or the live cache's fills. */
export interface DataVersion {
  /** Undefined when the caller may not read this tenant now (the route then answers 403/404 itself). */
  probe(request: FastifyRequest, tenantId: string, domains: readonly string[]): Promise<VersionProbe | undefined>;
}

/** A query the route will refuse: no tag, the route answers 400. */
const INVALID = Symbol('invalid');
const NORMALISED_QUERIES = 2_000;

/**
 * ETags for data and insights answers from what they read and how they were asked, computed before
 * the route runs: a matching `If-None-Match` is answered 304 without reading, querying or serialising.
 *
 * tag = hash(representation (app version), route, path parameters, normalised query (the route's own
 * query DTO: defaults applied, parameters in a fixed order, repeated values in the order sent), `Prefer`,
 * data version). Weak (`W/`): it names the data and the question, not the bytes (another app version or
 * copy could serialise the same data differently; the representation part keeps versions apart anyway).
 *
 * When the version is unknown before reading (live mode, cache expired or empty), the route runs and
 * the tag names the fills it actually served; a stale copy (vendor down) gets a tag of its own, so it
 * never passes for the fresh answer of the same fill, and is never answered 304 before the vendor was tried.
 */
export class EntityTagInterceptor implements NestInterceptor {
  private readonly pipe = createValidationPipe();
  private readonly queries = new LRUCache<string, string | typeof INVALID>({ max: NORMALISED_QUERIES });

  constructor(
    private readonly versions: DataVersion,
    /** The domains a route reads (its `@VendorData`), or undefined for routes that carry no data version. */
    private readonly domainsOf: (handler: (...args: unknown[]) => unknown) => readonly string[] | undefined,
    private readonly representation: string,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const domains = this.domainsOf(context.getHandler() as (...args: unknown[]) => unknown);
    if (!domains || (request.method !== 'GET' && request.method !== 'HEAD')) return next.handle();
    return from(this.answer(context, next, request, domains));
  }

  private async answer(context: ExecutionContext, next: CallHandler, request: FastifyRequest, domains: readonly string[]): Promise<unknown> {
    const question = await this.question(context, request);
    const tenantId = (request.params as Record<string, string | undefined>).tenantId;
    const probe = question === undefined || tenantId === undefined ? undefined : await this.versions.probe(request, tenantId, domains);
    if (question === undefined || probe === undefined) return lastValueFrom(next.handle());
    if (probe.version !== undefined) {
      const etag = this.tag(question, probe.version);
      if (noneMatch(request.headers['if-none-match'], etag)) return markNotModified(request, etag);
    }
    const body = await lastValueFrom(next.handle());
    const served = probe.served() ?? probe.version;
    if (served !== undefined) setEntityTag(request, this.tag(question, served));
    return body;
  }

  private tag(question: string, version: string): string {
    return `W/"${hash('sha1', `${question}\n${version}`, 'base64url')}"`;
  }

  /** Route, path parameters, normalised query and `Prefer` as one string; undefined when the query is invalid. */
  private async question(context: ExecutionContext, request: FastifyRequest): Promise<string | undefined> {
    const route = request.routeOptions.url ?? '';
    const raw = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const cacheKey = `${route}?${raw}`;
    let query = this.queries.get(cacheKey);
    if (query === undefined) {
      query = await this.normalisedQuery(context, request.query);
      this.queries.set(cacheKey, query);
    }
    if (query === INVALID) return undefined;
    const params = Object.entries((request.params as Record<string, string>) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    const prefer = String(request.headers.prefer ?? '').trim();
    return JSON.stringify([this.representation, route, params, query, prefer]);
  }

  /** The query as the route's DTO sees it (defaults applied, values converted), keys sorted. */
  private async normalisedQuery(context: ExecutionContext, query: unknown): Promise<string | typeof INVALID> {
    const metatype = queryType(context);
    if (!metatype) return '{}';
    try {
      const dto = (await this.pipe.transform(query ?? {}, { type: 'query', metatype })) as Record<string, unknown>;
      const entries = Object.keys(dto)
        .filter((key) => dto[key] !== undefined)
        .sort()
        .map((key) => [key, dto[key]]);
      return JSON.stringify(entries);
    } catch {
      return INVALID;
    }
  }
}

/** The class of the route's query DTO, if it has one. */
function queryType(context: ExecutionContext): Type<unknown> | undefined {
  return queryDtoOf(context.getClass(), context.getHandler().name);
}
