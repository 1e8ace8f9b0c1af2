import { ApiProperty } from '@nestjs/swagger';
import type { ValidationOptions } from 'class-validator';
import { IsIn, IsOptional, Rule } from '../common/validation/recorded-rules.js';
import { INTERVALS, Interval, parseWindowInstant } from './window.js';

function IsWindowInstant(options?: ValidationOptions): PropertyDecorator {
  return Rule('isWindowInstant', (value) => typeof value === 'string' && parseWindowInstant(value) !== undefined, {
    message: '$property must be an ISO 8601 instant like 2026-01-20T09:00:00Z or 2026-01-20T10:00:00+01:00, or a day like 2026-01-20 (UTC midnight)',
    ...options,
  });
}

/** The window `[from, to)`: at most 366 days, `from` before `to`. */
export class SummaryQuery {
  /**
   * Window start, inclusive: an ISO 8601 instant (`Z` or an offset; encode `+` as `%2B`) or a day
   * (its UTC midnight). Default: 30 days before `to`. Example: `2026-01-01T00:00:00Z`.
   */
  @IsOptional()
  @IsWindowInstant()
  from?: string;

  /**
   * Window end, exclusive, in the same formats. Default: 1 ms after the tenant's newest record
   * instant, capped at now (now for a tenant with no records). Example: `2026-01-31`.
   */
  @IsOptional()
  @IsWindowInstant()
  to?: string;
}

/** A window and the calendar buckets to split it into (at most 400). */
export class SeriesQuery extends SummaryQuery {
  /**
   * `day` (UTC days), `week` (ISO weeks from Monday 00:00 UTC) or `month` (UTC calendar months). Example: `week`.
   */
  @ApiProperty({ enum: INTERVALS })
  @IsIn(INTERVALS)
  interval: Interval;
}
