import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import { EntityTagInterceptor } from '../common/http/entity-tag.interceptor.js';
import { appConfig } from '../config/app.config.js';
import { VENDOR_DATA_DOMAIN } from '../mock/scenarios/vendor-data.decorator.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { SourceDataVersion } from './source-data-version.js';

/**
 * ETags from data versions on every `@VendorData` route. Imported after LiveModule and ScenariosModule,
 * so its interceptor runs inside theirs: scenarios (Prefer, scenarios.json) still fail or delay a
 * request whose tag matches, and the live request context records which cache fills were served.
 */
@Module({
  imports: [TenantsModule],
  providers: [
    SourceDataVersion,
    {
      provide: APP_INTERCEPTOR,
      inject: [SourceDataVersion, Reflector, appConfig.KEY],
      useFactory: (versions: SourceDataVersion, reflector: Reflector, app: ConfigType<typeof appConfig>) =>
        new EntityTagInterceptor(versions, (handler) => reflector.get<readonly string[] | undefined>(VENDOR_DATA_DOMAIN, handler), app.version),
    },
  ],
})
export class DataVersionModule {}
