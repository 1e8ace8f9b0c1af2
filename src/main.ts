import 'reflect-metadata';
import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { appConfig } from './config/app.config.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function bootstrap(): Promise<void> {
  const started = performance.now();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), new FastifyAdapter(), {
    abortOnError: false,
    bufferLogs: true,
  });
  const config = app.get<ReturnType<typeof appConfig>>(appConfig.KEY);
  const logger = new ConsoleLogger({
    json: config.logFormat === 'json',
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel as LogLevel) + 1),
  });
  app.useLogger(logger);
  configureApp(app);
  await app.listen(config.port, config.host);
  logger.log(
    `Listening on http://${config.host}:${config.port} (API /api, docs /docs) after ${Math.round(performance.now() - started)} ms`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  // Boot errors (bad environment, invalid mock data, missing live source) are written for people: no stack.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`Startup failed.\n${message}\n`);
  process.exit(1);
});
