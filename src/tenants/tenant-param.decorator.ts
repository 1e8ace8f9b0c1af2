import { applyDecorators } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/** Documents `{tenantId}`; the value itself is checked by TenantPipe / ActiveTenantPipe. */
export function ApiTenantParam(): MethodDecorator {
  return applyDecorators(
    ApiParam({
      name: 'tenantId',
      description: 'Tenant id: `^[a-z0-9][a-z0-9_-]{0,63}$`. Anything else is a 400 before any lookup.',
      schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', example: 'tenant_demo_cca' },
    }),
  );
}
