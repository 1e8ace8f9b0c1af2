import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/problem/api-problems.decorator.js';
import { DATA_RESPONSE_HEADERS, VendorData } from '../mock/scenarios/vendor-data.decorator.js';
import { PageOf } from '../common/query/list-query.dto.js';
import { Page } from '../common/query/query-engine.js';
import { ApiTenantParam, TenantParam } from '../tenants/tenant-param.decorator.js';
import { ActiveTenantPipe } from '../tenants/tenant.pipes.js';
import { Tenant } from '../tenants/tenant.record.js';
import { CsatSurvey } from './csat-survey.record.js';
import { CsatService } from './csat.service.js';
import { ListCsatQuery } from './list-csat-query.dto.js';
import { CSAT } from './csat.domain.js';

@ApiBearerAuth()
@ApiTags('csat')
@Controller('tenants/:tenantId/csat')
export class CsatController {
  constructor(private readonly csat: CsatService) {}

  @Get()
  @ApiOperation({ summary: "List the tenant's CSAT surveys", description: `Default sort \`${CSAT.defaultSort}\`.` })
  @ApiTenantParam()
  @ApiOkResponse({ type: PageOf(CsatSurvey), description: 'One page of the tenant\'s CSAT surveys with the total matching the filters.', headers: DATA_RESPONSE_HEADERS })
  @VendorData('csat')
  @ApiProblems(400, 401, 403, 404)
  list(@TenantParam(ActiveTenantPipe) tenant: Tenant, @Query() query: ListCsatQuery): Promise<Page<CsatSurvey>> {
    return this.csat.list(tenant, query);
  }
}
