import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ToInteger } from './filters.js';
import { IsInt, IsOptional, Max, Min } from '../validation/recorded-rules.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** Paging shared by every list route. */
export class PageQuery {
  /**
   * Page number, from 1.
   * @example 1
   */
  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @ToInteger()
  @Min(1)
  @IsInt({ message: 'page must be an integer' })
  page?: number = 1;

  /**
   * Records per page, 1–1000.
   * @example 50
   */
  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @ToInteger()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  @IsInt({ message: 'page_size must be an integer' })
  page_size?: number = DEFAULT_PAGE_SIZE;
}

/** `{ total, page, page_size }`: `total` counts every record matching the filters, not just this page. */
export class PageMeta {
  /** @example 137 */
  @ApiProperty({ type: 'integer' })
  total: number;
  /** @example 1 */
  @ApiProperty({ type: 'integer' })
  page: number;
  /** @example 50 */
  @ApiProperty({ type: 'integer' })
  page_size: number;
}

/** `{ data: [Record], meta }`, documented with the record's own schema. */
export function PageOf<T>(record: Type<T>): Type<{ data: T[]; meta: PageMeta }> {
  class RecordPage {
    @ApiProperty({ type: [record] })
    data: T[];

    @ApiProperty({ type: PageMeta })
    meta: PageMeta;
  }
  Object.defineProperty(RecordPage, 'name', { value: `${record.name}Page` });
  return RecordPage;
}
