import { Controller, Get } from '@nestjs/common';
import { QueryDto } from '../common/validation/query-dto.decorator.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiDataRoute } from '../common/openapi/api-route.decorators.js';
import { VendorData } from '../mock/scenarios/vendor-data.decorator.js';
import { PageOf } from '../common/query/list-query.dto.js';
import { Page } from '../common/query/query-engine.js';
import { ApiTenantParam, CurrentTenant } from '../tenants/tenant-param.decorator.js';
import { Tenant } from '../tenants/tenant.record.js';
import { ListTimeEntriesQuery } from './list-time-entries-query.dto.js';
import { TimeEntriesService } from './time-entries.service.js';
import { TimeEntry } from './time-entry.record.js';
import { TIME_ENTRIES } from './time-entries.domain.js';

@ApiBearerAuth()
@ApiTags('time-entries')
@Controller('tenants/:tenantId/time-entries')
export class TimeEntriesController {
  constructor(private readonly timeEntries: TimeEntriesService) {}

  @Get()
  @ApiOperation({ summary: "List the tenant's time entries", description: `Default sort \`${TIME_ENTRIES.defaultSort}\`.` })
  @ApiTenantParam()
  @ApiDataRoute({ type: PageOf(TimeEntry), description: 'One page of the tenant\'s time entries with the total matching the filters.' }, { list: true })
  @VendorData('time_entries')
  list(
    @CurrentTenant() tenant: Tenant,
    @QueryDto() query: ListTimeEntriesQuery,
  ): Promise<Page<TimeEntry>> {
    return this.timeEntries.list(tenant, query);
  }
}
