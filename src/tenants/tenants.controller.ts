import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/problem/api-problems.decorator.js';
import { PageMeta } from '../common/query/list-query.dto.js';
import { Page } from '../common/query/query-engine.js';
import { ListTenantsQuery } from './list-tenants-query.dto.js';
import { ApiTenantParam } from './tenant-param.decorator.js';
import { TenantPipe } from './tenant.pipes.js';
import { Tenant } from './tenant.record.js';
import { TenantsService } from './tenants.service.js';

export class TenantPage {
  data: Tenant[];
  meta: PageMeta;
}

@ApiTags('tenants')
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiOperation({ summary: 'List the tenants' })
  @ApiOkResponse({ type: TenantPage })
  @ApiProblems(400)
  list(@Query() query: ListTenantsQuery): Promise<Page<Tenant>> {
    return this.tenants.list(query);
  }

  @Get(':tenantId')
  @ApiOperation({ summary: 'One tenant (inactive tenants too)' })
  @ApiTenantParam()
  @ApiOkResponse({ type: Tenant })
  @ApiProblems(400, 404)
  get(@Param('tenantId', TenantPipe) tenant: Tenant): Tenant {
    return tenant;
  }
}
