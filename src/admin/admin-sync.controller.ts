import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ApiReadRoute, ApiWriteRoute } from '../common/openapi/api-route.decorators.js';
import { ApiTenantParam, TenantParam } from '../tenants/tenant-param.decorator.js';
import { TenantPipe } from '../tenants/tenant.pipes.js';
import { Tenant } from '../tenants/tenant.record.js';
import { SyncQueued, TenantSyncStatus, TriggerSyncBody } from './admin-sync.dto.js';
import { AdminSyncService } from './admin-sync.service.js';

/** Admin keys only: how a tenant's live replica stands, and a sync asked for now. */
@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('admin/tenants/:tenantId/sync')
export class AdminSyncController {
  constructor(private readonly sync: AdminSyncService) {}

  @Get()
  @ApiOperation({
    summary: "How each of the tenant's synced streams stands",
    description:
      'One entry per configured stream (an integration × the vendor\'s streams whose domains are not mocked): state, last success, lag, records held, ' +
      'where the synced history starts, the last error (the vendor\'s words, never a secret) and the last run\'s counters. Empty for a tenant with no integration, and in mock mode.',
  })
  @ApiTenantParam()
  @ApiReadRoute({ type: TenantSyncStatus, description: "The tenant's streams." }, { problems: ['Forbidden', 'NotFound'] })
  status(@TenantParam(TenantPipe) tenant: Tenant): Promise<TenantSyncStatus> {
    return this.sync.status(tenant);
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: "Queue a sync of each of the tenant's streams now",
    description: 'The body is optional; `{ "full": true }` asks for a full re-sync (the whole history read again) instead of an incremental. A stream already queued keeps its one job.',
  })
  @ApiTenantParam()
  @ApiBody({ type: TriggerSyncBody, required: false })
  @ApiWriteRoute({ status: 202, type: SyncQueued, description: 'The streams a run was queued for.' }, 'Forbidden', 'NotFound')
  trigger(@TenantParam(TenantPipe) tenant: Tenant, @Body() body: TriggerSyncBody): Promise<SyncQueued> {
    return this.sync.trigger(tenant, body?.full === true);
  }
}
