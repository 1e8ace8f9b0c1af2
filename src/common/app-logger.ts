import { ConsoleLogger } from '@nestjs/common';

/**
 * The logger of the boot, until the app's own (pino, see common/logging) takes over: Nest's console
 * logger minus Nest's own report of a failed boot — main.ts reports that once, in words written for
 * people, without a stack. Lines buffered before the switch are written by pino.
 */
export class AppLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}
