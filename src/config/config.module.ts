import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from './app.config.js';
import { envFilesFor } from './env-files.js';
import { validateEnvironment } from './env.validation.js';
import { mockConfig } from './mock.config.js';
import { liveConfig } from './live.config.js';
import { rateLimitConfig } from './rate-limit.config.js';
import { authConfig, platformConfig } from './platform.config.js';

/**
 * One validated read of the environment, one namespace per concern. The env file is chosen by
 * NODE_ENV when the app module is built (not at import time); real variables always win. `serving`:
 * the HTTP service (AppModule), where NODE_ENV=production also requires its own keys.
 */
export function configModule({ serving = false }: { serving?: boolean } = {}): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    envFilePath: envFilesFor(process.env.NODE_ENV),
    load: [appConfig, mockConfig, platformConfig, authConfig, liveConfig, rateLimitConfig],
    validate: (raw) => {
      validateEnvironment(raw, { serving });
      return raw;
    },
  });
}
