import { Logger, Module, RequestMethod } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import { appConfig } from '../../config/app.config.js';
import { LOG_DESTINATION, pinoHttpOptions } from './request-logging.js';

/** Lines waiting for a slow reader of stdout, beyond which new lines are dropped (counted in a warning) rather than held. */
const MAX_PENDING_LOG_BYTES = 16 * 2 ** 20;

/**
 * stdout, written asynchronously: a request never waits on the log reader (a pipe to a busy or stuck
 * collector blocked the event loop with synchronous writes, one write(2) per request). Lines go out as
 * soon as the previous write is done, batched under load; what is pending is flushed synchronously at
 * exit, and beyond MAX_PENDING_LOG_BYTES lines are dropped rather than growing the heap.
 */
function stdoutDestination(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 0, maxLength: MAX_PENDING_LOG_BYTES });
  let dropped = 0;
  let reporting: NodeJS.Timeout | undefined;
  stream.on('drop', () => {
    dropped += 1;
    reporting ??= setTimeout(() => {
      new Logger('Logging').warn(`${dropped} log line(s) dropped: stdout is not being read fast enough`);
      dropped = 0;
      reporting = undefined;
    }, 1_000).unref();
  });
  return stream;
}

@Module({
  providers: [{ provide: LOG_DESTINATION, useFactory: stdoutDestination }],
  exports: [LOG_DESTINATION],
})
class LogDestinationModule {}

/** pino through nestjs-pino: request lines, and every Nest log line bound to its request's id. */
export const LoggingModule = LoggerModule.forRootAsync({
  imports: [LogDestinationModule],
  inject: [appConfig.KEY, LOG_DESTINATION],
  useFactory: (config: ConfigType<typeof appConfig>, destination: DestinationStream) => ({
    pinoHttp: pinoHttpOptions(config.logLevel, config.logFormat, destination),
    // Nest's own context ("Bootstrap", "Auth", …) becomes a `context` field.
    renameContext: 'context',
    // Every request under /api, once. (nestjs-pino's default adds the prefix-excluded GET / as a second
    // route, which Nest mounts over all of /api: two lines per request.) Everything else — GET /, the docs,
    // unknown paths, CORS preflights — is logged by logRequestsOutsideNest (request-logging.ts).
    forRoutes: [{ path: '*', method: RequestMethod.ALL }],
  }),
});
