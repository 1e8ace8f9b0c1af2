import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblems } from '../common/problem/api-problems.decorator.js';
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
  @ApiOperation({ summary: 'List the tenants' })
  @ApiOkResponse({ type: PageOf(Tenant), description: 'One page of the tenants the key may read.' })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTenantsQuery): Promise<Page<Tenant>> {
    return this.tenants.list(principal, query);
  }

  @Get(':tenantId')
  @ApiOperation({ summary: 'One tenant (inactive tenants too)' })
  @ApiTenantParam()
  @ApiOkResponse({ type: Tenant, description: 'The tenant.' })
  @ApiProblems(400, 401, 404)
  get(@TenantParam(TenantPipe) tenant: Tenant): Tenant {
    return tenant;
  }
}
