import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createFastifyAdapter } from './app.setup.js';
import { AppLogger } from './common/app-logger.js';
import { appConfig, httpConfig } from './config/app.config.js';
import { platformConfig } from './config/platform.config.js';
import { EnvironmentError } from './config/env.validation.js';
import { Lifecycle } from './health/lifecycle.js';
import { VendorHttp } from './integrations/http/vendor-http.js';
import { discardPreload } from './mock/load-worker-host.js';
import { MockDataInvalidError } from './mock/mock-file.store.js';
import { EncryptionKeyMismatchError, PlatformStoreUnavailableError } from './platform/platform.module.js';

/** Errors whose message says all a person needs; anything else is printed with its stack. */
const EXPLAINED = [EnvironmentError, MockDataInvalidError, PlatformStoreUnavailableError, EncryptionKeyMismatchError];

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), createFastifyAdapter(), {
    abortOnError: false,
    bufferLogs: true,
    autoFlushLogs: false,
    logger: new AppLogger(),
  });
  // The mock-data store (if any) has taken main.ts's early load by now; one it did not take is not needed.
  discardPreload();
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  // From here on every line is pino's (nestjs-pino): JSON or pretty by LOG_FORMAT, with the request id
  // of the request it was logged in.
  const logger = app.get(PinoLogger);
  app.useLogger(logger);
  app.flushLogs();
  configureApp(app);
  drainOnSignals(app);
  if (config.nodeEnv === 'production' && app.get<ConfigType<typeof platformConfig>>(platformConfig.KEY).databaseUrl.startsWith('sqlite:')) {
    logger.warn(
      'DATABASE_URL is SQLite: run a single copy only (copies would each keep their own tenants and keys); use PostgreSQL to run several',
      'Bootstrap',
    );
  }
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log(
    `Listening on http://${config.host}:${port} (API /api, docs /docs) ${Math.round(performance.now())} ms after the process started`,
    'Bootstrap',
  );
}

/**
 * SIGTERM/SIGINT: readiness answers 503 at once and responses say `Connection: close`; connections
 * already queued are still accepted until none has arrived for QUIET_MS, then the listener closes (new
 * connections refused), idle keep-alive connections close, and requests under way finish. At
 * SHUTDOWN_TIMEOUT_MS vendor calls are aborted and the last connections closed. A log line per phase; exit 0.
 */
function drainOnSignals(app: NestFastifyApplication): void {
  const logger = new Logger('Shutdown');
  const { shutdownTimeoutMs } = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  const lifecycle = app.get(Lifecycle);
  const onSignal = (signal: NodeJS.Signals) => {
    if (lifecycle.draining) return;
    lifecycle.drain();
    logger.log(`${signal}: draining; readiness answers 503, up to ${shutdownTimeoutMs} ms for requests under way`);
    const server = app.getHttpServer() as Server;
    const deadline = setTimeout(() => {
      logger.warn(`deadline of ${shutdownTimeoutMs} ms reached: aborting vendor calls and closing the remaining connections`);
      app.get(VendorHttp).abortAll();
      setTimeout(() => server.closeAllConnections(), 100).unref();
    }, shutdownTimeoutMs);
    deadline.unref();
    untilQuiet(server, Math.min(2_000, shutdownTimeoutMs / 2))
      .then(() => {
        logger.log('no longer accepting connections; waiting for requests under way');
        return app.close();
      })
      .then(() => {
        clearTimeout(deadline);
        logger.log('drained: connections closed, stores shut; exiting');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

const QUIET_MS = 100;

/**
 * Closing the listener resets every connection still in the kernel's accept queue, and closing idle
 * connections drops accepted ones whose request is not parsed yet: so first let the queue empty.
 */
async function untilQuiet(server: Server, maxMs: number): Promise<void> {
  const started = Date.now();
  let last = started;
  const onConnection = () => (last = Date.now());
  server.on('connection', onConnection);
  while (Date.now() - last < QUIET_MS && Date.now() - started < maxMs) await new Promise((resolve) => setTimeout(resolve, 20));
  server.off('connection', onConnection);
}

// Anything that escapes every handler is logged as a structured error (JSON with LOG_FORMAT=json) before the process decides.
const crashLogger = new Logger('Process');
process.on('unhandledRejection', (reason: unknown) => {
  crashLogger.error(`unhandled promise rejection: ${reason instanceof Error ? reason.message : String(reason)}`, reason instanceof Error ? reason.stack : undefined);
});
process.on('uncaughtException', (error: Error) => {
  crashLogger.fatal(`uncaught exception, exiting: ${error.message}`, error.stack);
  process.exit(1);
});

bootstrap().catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`Startup failed.\nthe port is already in use (${(error as Error).message.replace(/^listen /, '')}): set PORT to a free one\n`);
    process.exit(1);
  }
  const explained = EXPLAINED.some((kind) => error instanceof kind);
  const text = error instanceof Error ? (explained ? `${error.name}: ${error.message}` : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`Startup failed.\n${text}\n`);
  process.exit(1);
});
