import { LOG_LEVELS, parseCorsOrigins, parseTrustProxy } from './env.validation.js';
import { envNamespace } from './env-namespace.js';
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { envFilesFor } from './env-files.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** LOG_FORMAT: JSON lines, pretty text, or text on a terminal and JSON elsewhere. */
export type LogFormat = 'json' | 'text' | 'auto';

export const appConfig = envNamespace('app', (env) => {
  return {
    port: env.PORT,
    host: env.HOST,
    nodeEnv: env.NODE_ENV ?? 'development',
    /** pino's level, whichever of pino's or Nest's names LOG_LEVEL used. */
    logLevel: LOG_LEVELS[env.LOG_LEVEL],
    logFormat: env.LOG_FORMAT as LogFormat,
    version: version as string,
    /** Swagger UI at /docs and the OpenAPI document at /docs-json, /docs-yaml. */
    docsEnabled: env.DOCS_ENABLED,
    /** Browser origins CORS lets in: `'*'` for any, none when empty. */
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS) ?? [],
    healthCheckTimeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
  };
});

/** The HTTP edge: how long and how many connections a client may hold, and how shutdown drains them. */
export const httpConfig = envNamespace('http', (env) => {
  return {
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: env.HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: env.MAX_CONNECTIONS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
});

/**
 * Fastify's `trustProxy` from TRUST_PROXY: read when the HTTP adapter is created, before the Nest
 * container (and with it the env file) is loaded, so the env file is read here too. A bad value is
 * taken as off here; the environment validation stops the boot a moment later, naming it.
 */
export function trustProxySetting(): boolean | number | string[] {
  const fromFile = () => {
    for (const file of envFilesFor(process.env.NODE_ENV)) {
      if (existsSync(file)) {
        const value = parseEnv(readFileSync(file, 'utf8')).TRUST_PROXY;
        if (value !== undefined) return value;
      }
    }
    return undefined;
  };
  return parseTrustProxy(process.env.TRUST_PROXY ?? fromFile() ?? 'false') ?? false;
}
