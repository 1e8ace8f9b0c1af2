import { CallHandler, ExecutionContext, NestInterceptor, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable, tap } from 'rxjs';
import { principalOf } from '../auth/auth.decorators.js';
import { markNotModified, noneMatch, setEntityTag, setPageHeaders, weakTagOf } from '../common/http/http-conventions.js';
import { openContext, RequestContext } from '../common/http/request-context.js';
import { queryDtoOf } from '../common/validation/query-dto.decorator.js';
import { rejectUnknown } from '../common/validation/query-params.js';
import { checkRecordIds, recordIdParamsOf } from '../common/validation/record-id.pipe.js';
import { checkQueryShape, StrictValidationPipe } from '../common/validation/validation-pipe.js';
import type { DomainName } from '../domains.js';
import { inLiveRequest, warnIfStale } from '../replica-reads/replica-request.js';
import type { MockScenarios } from '../mock/scenarios/mock-scenarios.js';
import { VENDOR_DATA_DOMAIN } from '../mock/scenarios/vendor-data.decorator.js';
import { kindOf, SourceModes } from '../config/source-modes.js';
import type { DataVersion } from '../data-version/source-data-version.js';
import type { TenantsService } from '../tenants/tenants.service.js';
import { AnswerCache, CachedAnswer } from './answer-cache.js';

/** What Fastify would have said of a serialized object; a string or bytes handed to it must say so themselves. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** What the perimeter does for one route, read once from its decorators. */
interface RoutePlan {
  /** Its `@QueryDto()` class; without one, any query parameter is a 400. */
  query?: Type<unknown>;
  /** Its `@RecordIdParam()` path parameters. */
  recordIds: readonly string[];
  /** Its `@VendorData` domains: a data route (tenant, ETag from the data version, scenarios or stale warnings). */
  domains?: readonly DomainName[];
  /** All its domains are mocked: it follows `Prefer` and scenarios.json. */
  scenarios: boolean;
  /** One of its domains is live: its request gets the live bookkeeping (the replica streams read, for the ETag and headers). */
  live: boolean;
}

/**
 * The request perimeter: the one global interceptor (app.setup.ts), in this order, for every route:
 * 1. scenarios (data routes whose domains are all mocked): a bad `Prefer` is a 400 first; the delay,
 *    failure or stale mark then applies to everything below, so a matching tag is still failed or held;
 * 2. the request's shape, before anything is looked up: undeclared query parameters, NULs, malformed record ids (400);
 * 3. the tenant of a data route, once (400 malformed id, 404 unknown or outside the key's scope, 403 inactive);
 * 4. the query's values, once, as the route's DTO (400), which the route's `@QueryDto()` then gets;
 * 5. on a data GET, the ETag from the data version, and 304 before the route runs when it matches;
 * 6. the route; then the tag of what it served, `X-Data-As-Of` and `Warning: 110` when a replica stream was stale, `Link` and `X-Total-Count` on a page.
 *
 * tag = hash(representation (app version), route, path parameters, normalised query (the DTO: defaults
 * applied, keys sorted, repeated values in the order sent), `Prefer`, data version). Weak (`W/`): it names
 * the data and the question, not the bytes. When the version is unknown before reading (live: a stream not
 * synced yet), the route runs and the tag names the stream versions it actually read; a stale stream's
 * version is marked, so a revalidating client sees the warning.
 */
export class DataResponseInterceptor implements NestInterceptor {
  private readonly plans = new WeakMap<object, RoutePlan>();

  constructor(
    private readonly reflector: Reflector,
    private readonly pipe: StrictValidationPipe,
    private readonly tenants: TenantsService,
    private readonly versions: DataVersion,
    private readonly scenarios: MockScenarios | null,
    private readonly modes: SourceModes,
    private readonly representation: string,
    private readonly answers: AnswerCache,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const plan = this.planOf(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (plan.domains) return from(this.dataAnswer(plan, plan.domains, request, reply, next));
    if (plan.query) return from(this.queryAnswer(plan, plan.query, request, reply, next));
    this.checkShape(plan, request);
    return next.handle().pipe(tap((body) => setPageHeaders(request, reply, body)));
  }

  /** A route that is not a data route but declares a query DTO (the tenant list). */
  private async queryAnswer(plan: RoutePlan, dto: Type<unknown>, request: FastifyRequest, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    const context = openContext(request);
    this.checkShape(plan, request);
    await this.convertQuery(dto, request, context);
    const body = await lastValueFrom(next.handle());
    setPageHeaders(request, reply, body);
    return body;
  }

  private async dataAnswer(plan: RoutePlan, domains: readonly DomainName[], request: FastifyRequest, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    const tenantId = (request.params as Record<string, string | undefined>).tenantId ?? '';
    const respond = () => this.tagged(plan, domains, tenantId, request, reply, next);
    let body: unknown;
    if (plan.scenarios && this.scenarios) {
      const outcome = this.scenarios.decide(domains, tenantId, request.headers.prefer);
      body = await this.scenarios.run(outcome, domains, reply, respond);
    } else if (plan.live) {
      body = await inLiveRequest(async (live) => {
        const answer = await respond();
        warnIfStale(reply, live);
        return answer;
      });
    } else body = await respond();
    if (body instanceof CachedAnswer) return sendCached(request, reply, body);
    setPageHeaders(request, reply, body);
    return body;
  }

  /** Steps 2 to 6 of a data route, short of the headers that follow the answer. */
  private async tagged(plan: RoutePlan, domains: readonly DomainName[], tenantId: string, request: FastifyRequest, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    const context = openContext(request);
    this.checkShape(plan, request);
    const tenant = (context.tenant = await this.tenants.getActive(tenantId, principalOf(request)));
    const query = plan.query ? await this.convertQuery(plan.query, request, context) : undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') return lastValueFrom(next.handle());
    const question = this.question(request, query);
    const probe = await this.versions.probe(tenant, domains);
    const etag = probe.version === undefined ? undefined : dataTag(question, probe.version);
    if (etag !== undefined && noneMatch(request.headers['if-none-match'], etag)) return markNotModified(request, etag);
    // Mocked data only: a live route's answer also says how fresh its replica streams are, so it always runs.
    const key = etag !== undefined && !plan.live ? `${question}\n${probe.version}` : undefined;
    const cached = key === undefined ? undefined : this.answers.get(key);
    if (cached !== undefined) {
      setEntityTag(request, etag as string);
      return cached;
    }
    const body = await lastValueFrom(next.handle());
    const served = probe.served() ?? probe.version;
    if (served !== undefined) setEntityTag(request, served === probe.version && etag !== undefined ? etag : dataTag(question, served));
    if (key !== undefined && served === probe.version && reply.statusCode === 200 && body !== undefined && body !== null) return this.answers.keep(key, body);
    return body;
  }

  private checkShape(plan: RoutePlan, request: FastifyRequest): void {
    const query = request.query ?? {};
    if (plan.query) checkQueryShape(query, plan.query as new () => unknown);
    else rejectUnknown(Object.keys(query));
    checkRecordIds(request.params as Record<string, string>, plan.recordIds);
  }

  private async convertQuery(dto: Type<unknown>, request: FastifyRequest, context: RequestContext): Promise<object> {
    return (context.query = (await this.pipe.convertQuery(request.query ?? {}, dto as new () => unknown)) as object);
  }

  /** Route, path parameters, normalised query and `Prefer` as one string. */
  private question(request: FastifyRequest, query: object | undefined): string {
    const params = Object.entries((request.params as Record<string, string>) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    const prefer = String(request.headers.prefer ?? '').trim();
    return JSON.stringify([this.representation, request.routeOptions.url ?? '', params, normalised(query), prefer]);
  }

  private planOf(context: ExecutionContext): RoutePlan {
    const handler = context.getHandler();
    let plan = this.plans.get(handler);
    if (!plan) {
      const controller = context.getClass();
      const domains = this.reflector.get<readonly DomainName[] | undefined>(VENDOR_DATA_DOMAIN, handler);
      plan = {
        query: queryDtoOf(controller, handler.name),
        recordIds: recordIdParamsOf(controller, handler.name),
        domains,
        scenarios: domains !== undefined && this.scenarios !== null && this.scenarios.covers(domains),
        live: domains !== undefined && domains.some((domain) => kindOf(this.modes, domain) === 'live'),
      };
      this.plans.set(handler, plan);
    }
    return plan;
  }
}

/** A kept answer, sent as the bytes it was the first time (the reply serializer does not run for bytes). */
function sendCached(request: FastifyRequest, reply: FastifyReply, answer: CachedAnswer): Buffer | string {
  void reply.header('content-type', JSON_CONTENT_TYPE);
  if (answer.page !== undefined) setPageHeaders(request, reply, answer.page);
  return answer.bytes;
}

/** The query as the route's DTO sees it (defaults applied, values converted), keys sorted. */
function normalised(query: object | undefined): string {
  if (!query) return '{}';
  const dto = query as Record<string, unknown>;
  const entries = Object.keys(dto)
    .filter((key) => dto[key] !== undefined)
    .sort()
    .map((key) => [key, dto[key]]);
  return JSON.stringify(entries);
}

function dataTag(question: string, version: string): string {
  return weakTagOf(`${question}\n${version}`);
}
