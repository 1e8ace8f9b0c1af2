import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { VendorHttp } from './http/vendor-http.js';

/** The one vendor HTTP client, with the policies of liveConfig; Nest's shutdown aborts its calls still running. */
@Module({
  providers: [
    {
      provide: VendorHttp,
      inject: [liveConfig.KEY],
      useFactory: (live: ConfigType<typeof liveConfig>) => new VendorHttp(live.http),
    },
  ],
  exports: [VendorHttp],
})
export class IntegrationsModule {}
