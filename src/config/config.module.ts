import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, httpConfig } from './app.config.js';
import { envFilesFor } from './env-files.js';
import { validateEnvironment } from './env.validation.js';
import { mockConfig } from './mock.config.js';
import { liveConfig } from './live.config.js';
import { authConfig, platformConfig } from './platform.config.js';

/**
 * One validated read of the environment, one namespace per concern. The env file is chosen by
 * NODE_ENV when the app module is built (not at import time); real variables always win.
 */
export function configModule(): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    envFilePath: envFilesFor(process.env.NODE_ENV),
    load: [appConfig, httpConfig, mockConfig, platformConfig, authConfig, liveConfig],
    validate: (raw) => {
      validateEnvironment(raw);
      return raw;
    },
  });
}
