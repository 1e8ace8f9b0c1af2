import { registerAs } from '@nestjs/config';
import { resolve } from 'node:path';
import { validateEnvironment } from './env.validation.js';

export const mockConfig = registerAs('mock', () => {
  const env = validateEnvironment(process.env);
  return {
    enabled: env.MOCK_MODE,
    dataPath: env.MOCK_DATA_PATH ? resolve(env.MOCK_DATA_PATH) : '',
    watch: env.MOCK_WATCH,
    maxFileMb: env.MOCK_MAX_FILE_MB,
  };
});
