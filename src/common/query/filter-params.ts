import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from '../validation/recorded-rules.js';
import { IsDay } from '../validation/formats.js';
import { IsInstantParam, IsList, IsListOf, MatchFilter, RangeFilter, TextFilter, ToInteger } from './filters.js';

// One decorator per filter kind, so its validation, filters.ts metadata and OpenAPI text are worded once; parts apply in the replaced stacks' bottom-up order.

/** What every filter's documentation ends with: one value the filter accepts. */
interface Example {
  example: string;
}

const described = (text: string, example: string): PropertyDecorator => ApiPropertyOptional({ description: `${text}\nExample: \`${example}\`.` });

const quoted = (values: readonly string[]): string[] => values.map((v) => `\`${v}\``);

/** `a`, `b` or `c`. */
function oneOf(values: readonly string[]): string {
  const q = quoted(values);
  return q.length > 1 ? `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}` : q.join('');
}

/** `?field=a,b`: exact, case-sensitive match on `field`; with `values` each alternative is one of them; `note` says what it holds. */
export function MatchParam(field: string, options: Example & { values?: readonly string[]; note?: string }): PropertyDecorator {
  const { values, note, example } = options;
  const text = values
    ? `${oneOf(values)}; a comma separates alternatives.`
    : `\`${field}\`${note ? ` (${note})` : ''} equals this (exact, case-sensitive); a comma separates alternatives (\`\\,\` is a literal comma).`;
  return applyDecorators(described(text, example), values ? IsListOf(values) : IsList(), MatchFilter(field, 'string', values), IsOptional());
}

/** `?field=true`, `false` or both: a boolean record field. */
export function BooleanMatchParam(field: string, options: Example): PropertyDecorator {
  const values = ['true', 'false'];
  const text = '`true` or `false` (`true,false` matches both).';
  return applyDecorators(described(text, options.example), IsListOf(values), MatchFilter(field, 'boolean', values), IsOptional());
}

const after = (bound: 'from' | 'to'): string => (bound === 'from' ? 'after' : 'before');

/** An inclusive bound on an instant field; `event` names it in the description (`Created`). */
export function InstantRangeParam(field: string, bound: 'from' | 'to', options: Example & { event: string }): PropertyDecorator {
  const text = `${options.event} at or ${after(bound)} this instant (a bare day means its ${bound === 'from' ? 'start' : 'end'}, UTC).`;
  return applyDecorators(described(text, options.example), IsInstantParam(), RangeFilter(field, bound, 'instant'), IsOptional());
}

/** An inclusive bound on a calendar-day field; `event` names it in the description (`Worked`). */
export function DayRangeParam(field: string, bound: 'from' | 'to', options: Example & { event: string }): PropertyDecorator {
  const text = `${options.event} on or ${after(bound)} this day.`;
  return applyDecorators(described(text, options.example), IsDay(), RangeFilter(field, bound, 'day'), IsOptional());
}

/** An inclusive bound on an integer field, itself within `min`–`max` (`score_min`: Lowest score, 1–5). */
export function IntegerRangeParam(field: string, bound: 'from' | 'to', options: Example & { min: number; max: number }): PropertyDecorator {
  const { min, max, example } = options;
  const text = `${bound === 'from' ? 'Lowest' : 'Highest'} ${field}, ${min}–${max}.`;
  return applyDecorators(
    described(text, example),
    IsInt({ message: '$property must be an integer' }),
    Max(max),
    Min(min),
    ToInteger(),
    RangeFilter(field, bound, 'number'),
    IsOptional(),
    ApiPropertyOptional({ type: 'integer', minimum: min, maximum: max }),
  );
}

/** Case-insensitive substring of any of `fields`, 1–`maxLength` characters. */
export function TextParam(fields: string[], options: Example & { maxLength: number }): PropertyDecorator {
  const text = `Case-insensitive substring of ${oneOf(fields)}.`;
  return applyDecorators(
    described(text, options.example),
    Length(1, options.maxLength),
    IsString(),
    TextFilter(fields),
    IsOptional(),
    ApiPropertyOptional({ minLength: 1, maxLength: options.maxLength }),
  );
}
