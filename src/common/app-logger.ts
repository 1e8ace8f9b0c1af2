import { ConsoleLogger } from '@nestjs/common';

/**
 * Nest's console logger (JSON when LOG_FORMAT=json), minus Nest's own report of a failed boot:
 * main.ts reports that once, in words written for people, without a stack.
 */
export class AppLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}
