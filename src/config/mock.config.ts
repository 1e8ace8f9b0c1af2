import { resolve } from 'node:path';
import { envNamespace } from './env-namespace.js';
import { MOCKABLE_DOMAINS, MockableDomain } from './env.validation.js';

export const mockConfig = envNamespace('mock', (env) => {
  return {
    /** MOCK_MODE: every domain, tenants included, reads the folder. */
    enabled: env.MOCK_MODE,
    /** The domains served from the folder: all of them in mock mode, MOCK_DOMAINS in mixed mode, none in live mode. */
    domains: (env.MOCK_MODE ? [...MOCKABLE_DOMAINS] : env.MOCK_DOMAINS) as readonly MockableDomain[],
    dataPath: env.MOCK_DATA_PATH ? resolve(env.MOCK_DATA_PATH) : '',
    watch: env.MOCK_WATCH,
    scenarioSeed: env.MOCK_SCENARIO_SEED,
    maxFileMb: env.MOCK_MAX_FILE_MB,
  } as {
    enabled: boolean;
    domains: readonly MockableDomain[];
    dataPath: string;
    watch: boolean;
    /** MOCK_MAX_FILE_MB: a larger file is refused before it is parsed. */
    maxFileMb: number;
    /** Seeds scenarios.json randomness; unset means a different sequence each start. */
    scenarioSeed?: number;
  };
});
