import { Controller, Get } from '@nestjs/common';
import { QueryDto } from '../common/validation/query-dto.decorator.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiDataRoute } from '../common/openapi/api-route.decorators.js';
import { VendorData } from '../mock/scenarios/vendor-data.decorator.js';
import { ApiTenantParam, CurrentTenant } from '../tenants/tenant-param.decorator.js';
import { Tenant } from '../tenants/tenant.record.js';
import { InsightsService } from './insights.service.js';
import { SeriesQuery, SummaryQuery } from './summary-query.dto.js';
import { TenantSeries, TenantSummary } from './summary.dto.js';

@ApiBearerAuth()
@ApiTags('insights')
@Controller('tenants/:tenantId/summary')
export class InsightsController {
  constructor(private readonly insights: InsightsService) {}

  @Get()
  @ApiOperation({
    summary: "The tenant's KPIs over a window",
    description:
      'Service desk, technician time, CSAT and security KPIs over `[from, to)`, from the same records the list routes serve. ' +
      "Default window: the 30 days ending 1 ms after the tenant's newest record, capped at now. At most 366 days.",
  })
  @ApiTenantParam()
  @ApiDataRoute({ type: TenantSummary, description: 'The KPIs over the window actually used (echoed in `window`).' })
  @VendorData('tickets', 'time_entries', 'csat', 'security_alerts')
  summary(@CurrentTenant() tenant: Tenant, @QueryDto() query: SummaryQuery): Promise<TenantSummary> {
    return this.insights.summary(tenant, query);
  }

  @Get('series')
  @ApiOperation({
    summary: 'The summary counts per calendar bucket',
    description:
      'Created/closed tickets, hours, CSAT and alerts per UTC day, ISO week or UTC month, buckets clipped to the window ' +
      "(same defaults and limits as the summary; at most 400 buckets). Summing a count over the buckets gives the summary's count.",
  })
  @ApiTenantParam()
  @ApiDataRoute({ type: TenantSeries, description: 'One entry per calendar bucket, clipped to the window.' })
  @VendorData('tickets', 'time_entries', 'csat', 'security_alerts')
  series(@CurrentTenant() tenant: Tenant, @QueryDto() query: SeriesQuery): Promise<TenantSeries> {
    return this.insights.series(tenant, query);
  }
}
