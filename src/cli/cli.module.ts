import { DynamicModule, Module } from '@nestjs/common';
import { configModule } from '../config/config.module.js';
import { PlatformModule } from '../platform/platform.module.js';
import { sourceModules } from '../source-binding/source-binding.module.js';
import { sourceModes } from '../config/source-modes.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { DOMAINS_MODULE } from '../domains.js';

/** What the platform CLI needs: configuration, the store, and the tenants of the current mode. */
@Module({})
export class CliModule {
  static async forRoot(): Promise<DynamicModule> {
    const config = await configModule();
    return { module: CliModule, imports: [config.module, ...sourceModules(sourceModes(config.mock), DOMAINS_MODULE), PlatformModule, TenantsModule] };
  }
}
