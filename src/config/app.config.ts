import { registerAs } from '@nestjs/config';
import { parseCorsOrigins, parseTrustProxy, validateEnvironment } from './env.validation.js';
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
    /** Browser origins CORS lets in: `'*'` for any, none when empty. */
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS) ?? [],
    healthCheckTimeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
  };
});

/** The HTTP edge: how long and how many connections a client may hold, and how shutdown drains them. */
export const httpConfig = registerAs('http', () => {
  const env = validateEnvironment(process.env);
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
 * container (and its config namespaces) exists.
 */
export function trustProxySetting(): boolean | number | string[] {
  return parseTrustProxy(validateEnvironment(process.env).TRUST_PROXY) ?? false;
}
