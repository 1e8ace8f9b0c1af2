import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { VENDOR_CALL_METRICS, VendorCallMetrics } from './http/vendor-call-metrics.js';
import { VendorHttp } from './http/vendor-http.js';

/** The one vendor HTTP client, with the policies of liveConfig; Nest's shutdown aborts its calls still running. */
@Module({
  providers: [
    {
      provide: VendorHttp,
      // Optional: the CLIs call vendors without the metrics module.
      inject: [liveConfig.KEY, { token: VENDOR_CALL_METRICS, optional: true }],
      useFactory: (live: ConfigType<typeof liveConfig>, metrics?: VendorCallMetrics) => new VendorHttp(live.http, metrics),
    },
  ],
  exports: [VendorHttp],
})
export class IntegrationsModule {}
