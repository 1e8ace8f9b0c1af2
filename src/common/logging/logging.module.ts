import { Module, RequestMethod } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import { appConfig } from '../../config/app.config.js';
import { LOG_DESTINATION, pinoHttpOptions } from './request-logging.js';

@Module({
  providers: [{ provide: LOG_DESTINATION, useFactory: () => pino.destination({ dest: 1, sync: true }) }],
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
