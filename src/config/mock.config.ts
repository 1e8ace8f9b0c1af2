import { registerAs } from '@nestjs/config';
import { resolve } from 'node:path';
import { validateEnvironment } from './env.validation.js';

export const mockConfig = registerAs('mock', () => {
  const env = validateEnvironment(process.env);
  return {
    enabled: env.MOCK_MODE,
    dataPath: env.MOCK_DATA_PATH ? resolve(env.MOCK_DATA_PATH) : '',
    watch: env.MOCK_WATCH,
    scenarioSeed: env.MOCK_SCENARIO_SEED,
  } as {
    enabled: boolean;
    dataPath: string;
    watch: boolean;
    /** Seeds scenarios.json randomness; unset means a different sequence each start. */
    scenarioSeed?: number;
  };
});
