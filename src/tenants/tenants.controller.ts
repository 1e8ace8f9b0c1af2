import { Controller, Get } from '@nestjs/common';
import { QueryDto } from '../common/validation/query-dto.decorator.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiReadRoute } from '../common/openapi/api-route.decorators.js';
import { PageOf } from '../common/query/list-query.dto.js';
import { Page } from '../common/query/query-engine.js';
import { ListTenantsQuery } from './list-tenants-query.dto.js';
import { ApiTenantParam, TenantParam } from './tenant-param.decorator.js';
import { TenantPipe } from './tenant.pipes.js';
import { Tenant } from './tenant.record.js';
import { TenantsService } from './tenants.service.js';

@ApiBearerAuth()
@ApiTags('tenants')
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiOperation({
    summary: 'List the tenants',
    description: 'An admin key sees every tenant; a tenant key only the tenants it was minted for.',
  })
  @ApiReadRoute({ type: PageOf(Tenant), description: 'One page of the tenants the key may read.' }, { list: true })
  list(@CurrentPrincipal() principal: Principal, @QueryDto() query: ListTenantsQuery): Promise<Page<Tenant>> {
    return this.tenants.list(principal, query);
  }

  @Get(':tenantId')
  @ApiOperation({
    summary: 'One tenant (inactive tenants too)',
    description: "404 for a tenant outside the key's scope, as for one that does not exist.",
  })
  @ApiTenantParam()
  @ApiReadRoute({ type: Tenant, description: 'The tenant.' }, { problems: ['NotFound'] })
  get(@TenantParam(TenantPipe) tenant: Tenant): Tenant {
    return tenant;
  }
}
