import { DynamicModule } from '@nestjs/common';
import { ConfigModule, registerAs, type ConfigType } from '@nestjs/config';
import { appConfig, httpConfig } from './app.config.js';
import { envFilesFor } from './env-files.js';
import type { EnvNamespace } from './env-namespace.js';
import { validateEnvironment, type ValidatedEnvironment } from './env.validation.js';
import { mockConfig } from './mock.config.js';
import { liveConfig } from './live.config.js';
import { rateLimitConfig } from './rate-limit.config.js';
import { authConfig, platformConfig } from './platform.config.js';
import { syncConfig } from './sync.config.js';

export interface LoadedConfig {
  /** The global ConfigModule: one namespace per concern, each mapped from this boot's one validation. */
  readonly module: DynamicModule;
  /** The mock namespace as this boot maps it: what decides where each domain's data comes from. */
  readonly mock: ConfigType<typeof mockConfig>;
}

type Mapping = { namespace: EnvNamespace<object>; from: (env: ValidatedEnvironment) => object };

const SERVING: Mapping[] = [appConfig, httpConfig, mockConfig, platformConfig, authConfig, liveConfig, rateLimitConfig, syncConfig].map(
  (namespace: EnvNamespace<object>) => ({ namespace, from: namespace.from }),
);

// Same namespaces (same injection keys) as mockConfig.
const RECORDING: Mapping[] = SERVING.map((mapping) => {
  switch (mapping.namespace.token) {
    case mockConfig.token:
      /** `mock:record`: every domain from the vendors whatever MOCK_MODE/MOCK_DOMAINS say, so a recording is live data. */
      return { ...mapping, from: (env) => ({ ...mockConfig.from(env), enabled: false, domains: [] }) };
    default:
      return mapping;
  }
});

/**
 * One validated read of the environment, one namespace per concern mapped from it. The env file is
 * chosen by NODE_ENV when the module is built (not at import time); real variables always win.
 * `serving`: the HTTP service (AppModule), where NODE_ENV=production also requires its own keys.
 * An invalid environment rejects here, before any other module is built.
 */
export async function configModule({ serving = false, recording = false }: { serving?: boolean; recording?: boolean } = {}): Promise<LoadedConfig> {
  let env: ValidatedEnvironment | undefined;
  const values = new Map<string, object>();
  const valueOf = ({ namespace, from }: Mapping): object => {
    if (!env) throw new Error(`the '${namespace.token}' configuration is read before the environment is validated`);
    if (!values.has(namespace.token)) values.set(namespace.token, from(env));
    return values.get(namespace.token)!;
  };
  const mappings = recording ? RECORDING : SERVING;
  const module = await ConfigModule.forRoot({
    isGlobal: true,
    envFilePath: envFilesFor(process.env.NODE_ENV),
    load: mappings.map((mapping) => registerAs(mapping.namespace.token, () => valueOf(mapping))),
    validate: (raw) => {
      env = validateEnvironment(raw, { serving });
      return raw;
    },
  });
  const mock = valueOf(mappings.find(({ namespace }) => namespace.token === mockConfig.token)!) as ConfigType<typeof mockConfig>;
  return { module, mock };
}
