// Minute-aligned instants, days and sortable record ids shared by every record kind's generator.
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const TICKET_HISTORY_DAYS = 120;

export class Progress {
  private done = 0;
  private reported = 0;
  private readonly step: number;

  constructor(
    private readonly total: number,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {
    this.step = Math.max(1000, Math.ceil(total / 100));
  }

  add(count: number): void {
    this.done += count;
    if (this.onProgress && this.done - this.reported >= this.step) {
      this.reported = this.done;
      this.onProgress(this.done, this.total);
    }
  }

  finish(): void {
    if (this.onProgress && this.reported !== this.total) this.onProgress(this.total, this.total);
  }
}

export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}

export function toInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function toDay(dayNumber: number): string {
  return new Date(dayNumber * DAY).toISOString().slice(0, 10);
}

export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY);
}

/** Formats sequence numbers so that ids of one kind sort by code point in numeric order. */
export function idFormatter(prefix: string, count: number): (n: number) => string {
  const width = Math.max(3, String(count).length);
  return (n) => `${prefix}-${String(n).padStart(width, '0')}`;
}

/** Ids in the records' (sorted) order, after the seed record when the tenant starts with one. */
export function numberAfterSeed<T, K extends keyof T & string>(
  records: T[],
  prefix: string,
  idField: K,
  count: number,
  seed: T | undefined,
  progress: Progress,
): T[] {
  const nextId = idFormatter(prefix, count);
  const numbered = records.map((r, i) => ({ ...r, [idField]: nextId(i + (seed ? 2 : 1)) }));
  if (seed) {
    numbered.unshift({ ...seed });
    progress.add(1);
  }
  return numbered;
}
