import { Global, Module } from '@nestjs/common';
import { VENDOR_CALL_METRICS } from '../integrations/http/vendor-call-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.js';

/** One Metrics per app, global so the vendor client (through VENDOR_CALL_METRICS) and the sync engine reach it. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, { provide: VENDOR_CALL_METRICS, useExisting: Metrics }],
  exports: [Metrics, VENDOR_CALL_METRICS],
})
export class MetricsModule {}
