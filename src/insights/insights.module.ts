import { Module } from '@nestjs/common';
import { CsatModule } from '../csat/csat.module.js';
import { SecurityAlertsModule } from '../security-alerts/security-alerts.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TicketsModule } from '../tickets/tickets.module.js';
import { TimeEntriesModule } from '../time-entries/time-entries.module.js';
import { InsightsController } from './insights.controller.js';
import { InsightsService } from './insights.service.js';

/** KPIs over the domain services: no source of its own, so whatever the domains are bound to, insights follow. */
@Module({
  imports: [TenantsModule, TicketsModule, TimeEntriesModule, CsatModule, SecurityAlertsModule],
  controllers: [InsightsController],
  providers: [InsightsService],
})
export class InsightsModule {}
