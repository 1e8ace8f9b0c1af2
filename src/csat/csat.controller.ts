import { Controller, Get } from '@nestjs/common';
import { QueryDto } from '../common/validation/query-dto.decorator.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiDataRoute } from '../common/openapi/api-route.decorators.js';
import { VendorData } from '../mock/scenarios/vendor-data.decorator.js';
import { PageOf } from '../common/query/list-query.dto.js';
import { Page } from '../common/query/query-engine.js';
import { ApiTenantParam, CurrentTenant } from '../tenants/tenant-param.decorator.js';
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
  @ApiDataRoute({ type: PageOf(CsatSurvey), description: 'One page of the tenant\'s CSAT surveys with the total matching the filters.' }, { list: true })
  @VendorData('csat')
  list(@CurrentTenant() tenant: Tenant, @QueryDto() query: ListCsatQuery): Promise<Page<CsatSurvey>> {
    return this.csat.list(tenant, query);
  }
}
