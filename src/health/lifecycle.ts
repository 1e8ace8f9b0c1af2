import { Injectable } from '@nestjs/common';

/** Whether this copy is draining for shutdown: readiness answers 503 from then on, before connections close. */
@Injectable()
export class Lifecycle {
  private drainingSince?: Date;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  drain(): void {
    this.drainingSince ??= new Date();
  }
}
