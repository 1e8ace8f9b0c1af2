import { ExecutionContext, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { contextOf } from '../common/http/request-context.js';
import type { Tenant } from './tenant.record.js';

declare module '../common/http/request-context.js' {
  interface RequestContext {
    /** The active tenant of `{tenantId}` on a data route (`@VendorData`), looked up once by the perimeter. */
    tenant?: Tenant;
  }
}

/** The raw `{tenantId}` segment and who asks for it: what TenantPipe resolves. */
export interface TenantRequest {
  tenantId: string;
  principal: Principal;
}

/**
 * `@TenantParam(TenantPipe) tenant: Tenant` (admin and tenant routes, inactive tenants too). A custom
 * decorator, so neither the global validation pipe nor Swagger mistakes the resolved Tenant for the parameter's type.
 */
export const TenantParam = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantRequest => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return { tenantId: (request.params as Record<string, string>).tenantId, principal: principalOf(request) };
});

/**
 * `@CurrentTenant() tenant: Tenant` on a data route: the active tenant the perimeter resolved before the
 * route ran (400 malformed, 404 unknown or outside the key's scope, 403 inactive).
 */
export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): Tenant => {
  const tenant = contextOf(ctx.switchToHttp().getRequest<FastifyRequest>()).tenant;
  if (!tenant) throw new Error('no tenant in the request context: @CurrentTenant() belongs on a @VendorData route');
  return tenant;
});

/** Documents `{tenantId}`. */
export function ApiTenantParam(): MethodDecorator {
  return applyDecorators(
    ApiParam({
      name: 'tenantId',
      description: 'Tenant id: `^[a-z0-9][a-z0-9_-]{0,63}$`. Anything else is a 400 before any lookup.',
      schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', example: 'tenant_demo_cca' },
    }),
  );
}
