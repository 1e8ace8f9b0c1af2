import { Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AsyncLineWriter } from './async-line-writer.js';
import { appConfig } from '../../config/app.config.js';
import { LOG_DESTINATION, pinoHttpOptions } from './request-logging.js';

/** Lines waiting for a slow reader of stdout, beyond which new lines are dropped (counted in a warning) rather than held. */
const MAX_PENDING_LOG_BYTES = 16 * 2 ** 20;

/** stdout, written asynchronously (a pipe to a busy or stuck collector must not block requests) and flushed at exit. */
function stdoutDestination(): DestinationStream {
  let dropped = 0;
  let reporting: NodeJS.Timeout | undefined;
  const writer = new AsyncLineWriter(1, MAX_PENDING_LOG_BYTES, () => {
    dropped += 1;
    reporting ??= setTimeout(() => {
      new Logger('Logging').warn(`${dropped} log line(s) dropped: stdout is not being read fast enough`);
      dropped = 0;
      reporting = undefined;
    }, 1_000).unref();
  });
  process.once('exit', () => writer.flushSync());
  return writer;
}

@Module({
  providers: [{ provide: LOG_DESTINATION, useFactory: stdoutDestination }],
  exports: [LOG_DESTINATION],
})
class LogDestinationModule {}

/**
 * pino through nestjs-pino: Nest's log lines, each bound to its request's id. Its pino-http middleware
 * is not mounted (the adapter skips middie): request lines come from Fastify's hooks (request-logging.ts).
 */
export const LoggingModule = LoggerModule.forRootAsync({
  imports: [LogDestinationModule],
  inject: [appConfig.KEY, LOG_DESTINATION],
  useFactory: (config: ConfigType<typeof appConfig>, destination: DestinationStream) => ({
    pinoHttp: pinoHttpOptions(config.logLevel, config.logFormat, destination),
    // Nest's own context ("Bootstrap", "Auth", …) becomes a `context` field.
    renameContext: 'context',
    forRoutes: [],
  }),
});
