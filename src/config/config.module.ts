import { DynamicModule } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { appConfig, httpConfig } from './app.config.js';
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
export function configModule({ serving = false, recording = false }: { serving?: boolean; recording?: boolean } = {}): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    envFilePath: envFilesFor(process.env.NODE_ENV),
    load: recording
      ? [appConfig, httpConfig, recordingMockConfig, platformConfig, authConfig, recordingLiveConfig, rateLimitConfig]
      : [appConfig, httpConfig, mockConfig, platformConfig, authConfig, liveConfig, rateLimitConfig],
    validate: (raw) => {
      validateEnvironment(raw, { serving });
      return raw;
    },
  });
}

// Same namespaces (same injection keys) as mockConfig and liveConfig.
/** `mock:record`: every domain from the vendors whatever MOCK_MODE/MOCK_DOMAINS say, so a recording is live data. */
const recordingMockConfig = registerAs('mock', (): ReturnType<typeof mockConfig> => ({
  ...mockConfig(),
  enabled: false,
  domains: [],
}));

/** ... and fetched fresh: no shared cache (Redis) to answer from, so a failing vendor is reported, never a stale copy recorded. */
const recordingLiveConfig = registerAs('live', (): ReturnType<typeof liveConfig> => ({
  ...liveConfig(),
  redisUrl: undefined,
}));
