import { Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { platformConfig } from '../config/platform.config.js';
import { VENDOR_BUDGET_LIMITS, VENDOR_BUDGETS, VendorBudgetLimits, VendorBudgets } from './http/vendor-budgets.js';
import { VENDOR_CALL_METRICS, VendorCallMetrics } from './http/vendor-call-metrics.js';
import { VendorHttp } from './http/vendor-http.js';

/**
 * The one vendor HTTP client, with the policies of liveConfig and the vendors' request budgets: in the
 * platform's PostgreSQL when it is one (every app copy shares them), else in this process. Nest's
 * shutdown aborts its calls still running.
 */
@Module({
  providers: [
    { provide: VENDOR_BUDGET_LIMITS, useValue: VENDOR_BUDGETS },
    {
      provide: VendorBudgets,
      inject: [platformConfig.KEY, VENDOR_BUDGET_LIMITS],
      useFactory: async (platform: ConfigType<typeof platformConfig>, limits: VendorBudgetLimits) => {
        if (!/^postgres(ql)?:\/\//.test(platform.databaseUrl)) return VendorBudgets.inMemory(limits);
        try {
          return await VendorBudgets.onPostgres(platform.databaseUrl, platform, limits);
        } catch (error) {
          // The platform store names an unusable database (its real cause, no password) when it opens next; budgets alone never stop a boot.
          new Logger('VendorBudgets').warn(`vendor request budgets kept in this process only: ${error instanceof Error ? error.message : String(error)}`);
          return VendorBudgets.inMemory(limits);
        }
      },
    },
    {
      provide: VendorHttp,
      // Optional: the CLIs call vendors without the metrics module.
      inject: [liveConfig.KEY, VendorBudgets, { token: VENDOR_CALL_METRICS, optional: true }],
      useFactory: (live: ConfigType<typeof liveConfig>, budgets: VendorBudgets, metrics?: VendorCallMetrics) => new VendorHttp(live.http, metrics, budgets),
    },
  ],
  exports: [VendorHttp],
})
export class IntegrationsModule {}
