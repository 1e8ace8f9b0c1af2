import { ExecutionContext, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';

/** The raw `{tenantId}` segment and who asks for it: what TenantPipe / ActiveTenantPipe resolve. */
export interface TenantRequest {
  tenantId: string;
  principal: Principal;
}

/**
 * `@TenantParam(ActiveTenantPipe) tenant: Tenant`. A custom decorator, so neither the global
 * validation pipe nor Swagger mistakes the resolved Tenant for the parameter's type.
 */
export const TenantParam = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantRequest => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return { tenantId: (request.params as Record<string, string>).tenantId, principal: principalOf(request) };
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
