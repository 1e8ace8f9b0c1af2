import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './env.validation.js';
import { readFileSync } from 'node:fs';
import type { LogFormat } from '../common/logging/request-logging.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const appConfig = registerAs('app', () => {
  const env = validateEnvironment(process.env);
  return {
    port: env.PORT,
    host: env.HOST,
    nodeEnv: env.NODE_ENV ?? 'development',
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT as LogFormat,
    version: version as string,
    /** Swagger UI at /docs and the OpenAPI document at /docs-json, /docs-yaml. */
    docsEnabled: env.DOCS_ENABLED,
  };
});
