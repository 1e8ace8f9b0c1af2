import { Module } from '@nestjs/common';
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
  }),
});
