import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { createValidationPipe, StrictValidationPipe } from '../common/validation/validation-pipe.js';
import { appConfig } from '../config/app.config.js';
import { SourceDataVersion } from '../data-version/source-data-version.js';
import { MOCK_SCENARIOS, MockScenarios } from '../mock/scenarios/mock-scenarios.js';
import { SOURCE_MODES, SourceModes } from '../config/source-modes.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { DataResponseInterceptor } from './data-response.interceptor.js';
import { AnswerCache } from './answer-cache.js';

/** Kept answers of data GETs, at most (docs/performance.md: what it saves on repeated list and by-id queries). */
const ANSWER_CACHE_BYTES = 32 * 2 ** 20;

/**
 * The request perimeter and the one validation pipe, installed globally by configureApp (app.setup.ts):
 * the same pipe instance converts a query in the perimeter and hands it to the route's `@QueryDto()`.
 */
@Module({
  imports: [TenantsModule],
  providers: [
    SourceDataVersion,
    { provide: StrictValidationPipe, useFactory: () => createValidationPipe() },
    {
      provide: DataResponseInterceptor,
      inject: [Reflector, StrictValidationPipe, TenantsService, SourceDataVersion, { token: MOCK_SCENARIOS, optional: true }, SOURCE_MODES, appConfig.KEY],
      useFactory: (
        reflector: Reflector,
        pipe: StrictValidationPipe,
        tenants: TenantsService,
        versions: SourceDataVersion,
        scenarios: MockScenarios | undefined,
        modes: SourceModes,
        app: ConfigType<typeof appConfig>,
      ) => new DataResponseInterceptor(reflector, pipe, tenants, versions, scenarios ?? null, modes, app.version, new AnswerCache(ANSWER_CACHE_BYTES)),
    },
  ],
  exports: [DataResponseInterceptor, StrictValidationPipe],
})
export class DataResponseModule {}
