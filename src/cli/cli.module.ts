import { DynamicModule, Module } from '@nestjs/common';
import { configModule } from '../config/config.module.js';
import { LiveModule } from '../live/live.module.js';
import { MockModule } from '../mock/mock.module.js';
import { DOMAINS_MODULE } from '../domains.js';
import { PlatformModule } from '../platform/platform.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';

/** What the platform CLI needs: configuration, the store, and the tenants of the current mode. */
@Module({})
export class CliModule {
  static forRoot(): DynamicModule {
    return { module: CliModule, imports: [configModule(), MockModule.forRoot(DOMAINS_MODULE), PlatformModule, LiveModule, TenantsModule] };
  }
}
