import type { FastifyRequest } from 'fastify';

/**
 * What the request perimeter (DataResponseInterceptor) resolved for one request, once, before the route
 * runs; route parameters read it through their decorators (`@QueryDto()`, `@CurrentTenant()`). Layers above
 * common add their own fields by declaration merging (`tenant`: src/tenants/tenant-param.decorator.ts).
 */
export interface RequestContext {
  /** The route's query as its DTO instance, validated once; undefined for a route that declares none. */
  query?: object;
}

const CONTEXT = Symbol('requestContext');
type WithContext = FastifyRequest & { [CONTEXT]?: RequestContext };

/** A new, empty context for this request (the perimeter opens it, once). */
export function openContext(request: FastifyRequest): RequestContext {
  return ((request as WithContext)[CONTEXT] = {});
}

/** This request's context; throws when none was opened (the perimeter is not installed: a wiring bug). */
export function contextOf(request: FastifyRequest): RequestContext {
  const context = (request as WithContext)[CONTEXT];
  if (!context) throw new Error('no request context: is DataResponseInterceptor installed (configureApp)?');
  return context;
}
