import { Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { writeSync } from 'node:fs';
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
  stream.flushSync = flushSyncOrGiveUp(stream as unknown as PendingLines);
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

/** What sonic-boom (pino.destination's stream, version pinned in the lockfile) keeps of the lines not yet written. */
interface PendingLines {
  fd: number;
  _bufs: string[];
  _writingBuf: string;
  _writing: boolean;
  _len: number;
}

/** How long the flush at exit keeps retrying a stdout that is full (EAGAIN) before it drops what is left. */
const EXIT_FLUSH_MS = 2_000;

/**
 * The flush pino runs at exit for an asynchronous destination. sonic-boom's own retries a failed
 * write every 100 ms for ever, whatever the error: once the reader of stdout was gone (EPIPE: a log
 * collector stopped, the parent process exited), `process.exit` never returned and the server
 * ignored SIGTERM after logging it. This one writes what is pending, retries a full pipe (EAGAIN)
 * for at most EXIT_FLUSH_MS, and drops the rest on any other error: no reader is left to read it.
 */
function flushSyncOrGiveUp(stream: PendingLines): () => void {
  return () => {
    if (!stream._writing && stream._writingBuf.length > 0) {
      stream._bufs.unshift(stream._writingBuf);
      stream._writingBuf = '';
    }
    const giveUpAt = Date.now() + EXIT_FLUSH_MS;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    try {
      while (stream._bufs.length > 0) {
        const bytes = Buffer.from(stream._bufs[0]);
        for (let written = 0; written < bytes.length; ) {
          try {
            written += writeSync(stream.fd, bytes, written);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > giveUpAt) return;
            Atomics.wait(pause, 0, 0, 10);
          }
        }
        stream._bufs.shift();
      }
    } finally {
      stream._bufs.length = 0;
      stream._len = 0;
    }
  };
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
