import { DynamicModule, Module } from '@nestjs/common';
import { configModule } from '../../config/config.module.js';
import { CsatModule } from '../../csat/csat.module.js';
import { PlatformModule } from '../../platform/platform.module.js';
import { SecurityAlertsModule } from '../../security-alerts/security-alerts.module.js';
import { sourceModules } from '../../source-binding/source-binding.module.js';
import { sourceModes } from '../../config/source-modes.js';
import { TicketsModule } from '../../tickets/tickets.module.js';
import { TimeEntriesModule } from '../../time-entries/time-entries.module.js';
import { DOMAINS_MODULE } from '../../domains.js';

const RECORDED_DOMAIN_MODULES = [TicketsModule, TimeEntriesModule, CsatModule, SecurityAlertsModule];

/** The server's own domain modules, every source bound live and fetched fresh (see `configModule({ recording })`). */
@Module({})
export class RecordModule {
  static async forRoot(): Promise<DynamicModule> {
    const config = await configModule({ recording: true });
    return {
      module: RecordModule,
      imports: [config.module, ...sourceModules(sourceModes(config.mock), DOMAINS_MODULE), PlatformModule, ...RECORDED_DOMAIN_MODULES],
    };
  }
}
