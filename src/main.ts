import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Logger } from 'nestjs-pino';
import type { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createFastifyAdapter } from './app.setup.js';
import { AppLogger } from './common/app-logger.js';
import { appConfig } from './config/app.config.js';
import { platformConfig } from './config/platform.config.js';
import { EnvironmentError } from './config/env.validation.js';
import { MockDataInvalidError } from './mock/mock-file.store.js';
import { PlatformStoreUnavailableError } from './platform/platform.module.js';

/** Errors whose message says all a person needs; anything else is printed with its stack. */
const EXPLAINED = [EnvironmentError, MockDataInvalidError, PlatformStoreUnavailableError];

async function bootstrap(): Promise<void> {
  const started = performance.now();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), createFastifyAdapter(), {
    abortOnError: false,
    bufferLogs: true,
    autoFlushLogs: false,
    logger: new AppLogger(),
  });
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  // From here on every line is pino's (nestjs-pino): JSON or pretty by LOG_FORMAT, with the request id
  // of the request it was logged in.
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();
  configureApp(app);
  if (config.nodeEnv === 'production' && app.get<ConfigType<typeof platformConfig>>(platformConfig.KEY).databaseUrl.startsWith('sqlite:')) {
    logger.warn(
      'DATABASE_URL is SQLite: run a single copy only (copies would each keep their own tenants and keys); use PostgreSQL to run several',
      'Bootstrap',
    );
  }
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log(
    `Listening on http://${config.host}:${port} (API /api, docs /docs) after ${Math.round(performance.now() - started)} ms`,
    'Bootstrap',
  );
}

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
