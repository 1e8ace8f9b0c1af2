import { DynamicModule, Module } from '@nestjs/common';
import { configModule } from '../../config/config.module.js';
import { CsatModule } from '../../csat/csat.module.js';
import { LiveModule } from '../../live/live.module.js';
import { MockModule } from '../../mock/mock.module.js';
import { DOMAINS_MODULE } from '../../domains.js';
import { PlatformModule } from '../../platform/platform.module.js';
import { SecurityAlertsModule } from '../../security-alerts/security-alerts.module.js';
import { TicketsModule } from '../../tickets/tickets.module.js';
import { TimeEntriesModule } from '../../time-entries/time-entries.module.js';

const RECORDED_DOMAIN_MODULES = [TicketsModule, TimeEntriesModule, CsatModule, SecurityAlertsModule];

/** The server's own domain modules, every source bound live and fetched fresh (see `configModule({ recording })`). */
@Module({})
export class RecordModule {
  static forRoot(): DynamicModule {
    return {
      module: RecordModule,
      imports: [configModule({ recording: true }), MockModule.forRoot(DOMAINS_MODULE), PlatformModule, LiveModule, ...RECORDED_DOMAIN_MODULES],
    };
  }
}
