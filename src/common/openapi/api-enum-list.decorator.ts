import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';

/**
 * Documents a filter taking one or more of fixed values, comma-separated (`severity=high,critical`),
 * as OpenAPI says it: an array of the enum, `style: form, explode: false`. Swagger UI shows a
 * multi-select and sends the comma form; generated clients get the value union.
 */
export function ApiEnumList(values: readonly string[]): PropertyDecorator {
  // `style`/`explode` are parameter fields @nestjs/swagger passes through but does not type.
  return ApiPropertyOptional({ isArray: true, enum: [...values], style: 'form', explode: false } as ApiPropertyOptions);
}
