import { Controller, Get } from '@nestjs/common';
import { QueryDto } from '../common/validation/query-dto.decorator.js';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiDataRoute } from '../common/openapi/api-route.decorators.js';
import { VendorData } from '../mock/scenarios/vendor-data.decorator.js';
import { PageOf } from '../common/query/list-query.dto.js';
import { Page } from '../common/query/query-engine.js';
import { ApiTenantParam, CurrentTenant } from '../tenants/tenant-param.decorator.js';
import { Tenant } from '../tenants/tenant.record.js';
import { ListSecurityAlertsQuery } from './list-security-alerts-query.dto.js';
import { SecurityAlert } from './security-alert.record.js';
import { SecurityAlertsService } from './security-alerts.service.js';
import { SECURITY_ALERTS } from './security-alerts.domain.js';

@ApiBearerAuth()
@ApiTags('security-alerts')
@Controller('tenants/:tenantId/security-alerts')
export class SecurityAlertsController {
  constructor(private readonly alerts: SecurityAlertsService) {}

  @Get()
  @ApiOperation({
    summary: "List the tenant's endpoint security alerts",
    description: `SentinelOne and Microsoft Defender alerts, merged. Default sort \`${SECURITY_ALERTS.defaultSort}\`.`,
  })
  @ApiTenantParam()
  @ApiDataRoute({ type: PageOf(SecurityAlert), description: 'One page of the tenant\'s security alerts (every vendor) with the total matching the filters.' }, { list: true })
  @VendorData('security_alerts')
  list(
    @CurrentTenant() tenant: Tenant,
    @QueryDto() query: ListSecurityAlertsQuery,
  ): Promise<Page<SecurityAlert>> {
    return this.alerts.list(tenant, query);
  }
}
