import { Controller, Get } from '@nestjs/common';
import { QueryDto } from '../common/validation/query-dto.decorator.js';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiDataRoute } from '../common/openapi/api-route.decorators.js';
import { VendorData } from '../mock/scenarios/vendor-data.decorator.js';
import { RecordIdParam } from '../common/validation/record-id.pipe.js';
import { PageOf } from '../common/query/list-query.dto.js';
import { Page } from '../common/query/query-engine.js';
import { ApiTenantParam, CurrentTenant } from '../tenants/tenant-param.decorator.js';
import { Tenant } from '../tenants/tenant.record.js';
import { ListTicketsQuery } from './list-tickets-query.dto.js';
import { Ticket } from './ticket.record.js';
import { TicketsService } from './tickets.service.js';
import { TICKETS } from './tickets.domain.js';

@ApiBearerAuth()
@ApiTags('tickets')
@Controller('tenants/:tenantId/tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get()
  @ApiOperation({ summary: "List the tenant's tickets", description: `Default sort \`${TICKETS.defaultSort}\`.` })
  @ApiTenantParam()
  @ApiDataRoute({ type: PageOf(Ticket), description: 'One page of the tenant\'s tickets with the total matching the filters.' }, { list: true })
  @VendorData('tickets')
  list(@CurrentTenant() tenant: Tenant, @QueryDto() query: ListTicketsQuery): Promise<Page<Ticket>> {
    return this.tickets.list(tenant, query);
  }

  @Get(':cwTicketId')
  @ApiOperation({ summary: 'One ticket by its id', description: '404 `/problems/record-not-found` when the tenant has no such ticket.' })
  @ApiTenantParam()
  @ApiParam({ name: 'cwTicketId', description: 'The ticket id (`cw_ticket_id`).', example: 'TKT-001' })
  @ApiDataRoute({ type: Ticket, description: 'The ticket.' })
  @VendorData('tickets')
  get(@CurrentTenant() tenant: Tenant, @RecordIdParam('cwTicketId') cwTicketId: string): Promise<Ticket> {
    return this.tickets.get(tenant, cwTicketId);
  }
}
