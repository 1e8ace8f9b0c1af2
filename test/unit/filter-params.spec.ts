import type { ArgumentMetadata } from '@nestjs/common';
import { ProblemError } from '../../src/common/problem/problem.error.js';
import {
  BooleanMatchParam,
  DayRangeParam,
  InstantRangeParam,
  IntegerRangeParam,
  MatchParam,
  TextParam,
} from '../../src/common/query/filter-params.js';
import { IsInstantParam, IsList, IsListOf, MatchFilter, RangeFilter, TextFilter, ToInteger, filtersOf } from '../../src/common/query/filters.js';
import { IsDay } from '../../src/common/validation/formats.js';
import { IsInt, IsOptional, IsString, Length, Max, Min, recordedRulesOf } from '../../src/common/validation/recorded-rules.js';
import { createValidationPipe } from '../../src/common/validation/validation-pipe.js';

/* The one-line filter decorators against the decorator stacks they replaced: same filters, same recorded rules in the same order, same 400s. */

const SEVERITIES = ['low', 'high'] as const;

class Stacked {
  @IsOptional()
  @MatchFilter('status')
  @IsList()
  status?: string;

  @IsOptional()
  @MatchFilter('severity', 'string', SEVERITIES)
  @IsListOf(SEVERITIES)
  severity?: string;

  @IsOptional()
  @MatchFilter('billable', 'boolean', ['true', 'false'])
  @IsListOf(['true', 'false'])
  billable?: string;

  @IsOptional()
  @RangeFilter('created_at', 'from', 'instant')
  @IsInstantParam()
  created_from?: string;

  @IsOptional()
  @RangeFilter('date_worked', 'to', 'day')
  @IsDay()
  date_to?: string;

  @IsOptional()
  @RangeFilter('score', 'from', 'number')
  @ToInteger()
  @Min(1)
  @Max(5)
  @IsInt({ message: 'score_min must be an integer' })
  score_min?: number;

  @IsOptional()
  @TextFilter(['summary', 'description'])
  @IsString()
  @Length(1, 200)
  q?: string;
}

class OneLine {
  @MatchParam('status', { example: 'New' })
  status?: string;

  @MatchParam('severity', { values: SEVERITIES, example: 'high' })
  severity?: string;

  @BooleanMatchParam('billable', { example: 'true' })
  billable?: string;

  @InstantRangeParam('created_at', 'from', { event: 'Created', example: '2026-01-01T00:00:00Z' })
  created_from?: string;

  @DayRangeParam('date_worked', 'to', { event: 'Worked', example: '2026-01-31' })
  date_to?: string;

  @IntegerRangeParam('score', 'from', { min: 1, max: 5, example: '1' })
  score_min?: number;

  @TextParam(['summary', 'description'], { maxLength: 200, example: 'outlook' })
  q?: string;
}

const shape = (dto: object) =>
  recordedRulesOf(dto).map((p) => ({
    name: p.name,
    conditions: p.conditions.length,
    transforms: p.transforms.length,
    rules: p.rules.map((r) => [r.name, r.constraints, r.modelled]),
  }));

async function outcome(dto: new () => object, query: Record<string, unknown>): Promise<unknown> {
  const pipe = createValidationPipe({ compiled: false });
  try {
    return { value: { ...((await pipe.transform(query, { type: 'query', metatype: dto } as ArgumentMetadata)) as object) } };
  } catch (error) {
    if (error instanceof ProblemError) return { status: error.status, type: error.type, detail: error.detail, errors: error.extensions.errors };
    throw error;
  }
}

describe('one-line filter decorators', () => {
  it('declare the same filters as the stacks they replace', () => {
    expect(filtersOf(OneLine)).toEqual(filtersOf(Stacked));
    expect(filtersOf(OneLine).map((f) => f.param)).toEqual(['status', 'severity', 'billable', 'created_from', 'date_to', 'score_min', 'q']);
  });

  it('record the same conditions, transforms and rules, in the same order', () => {
    expect(shape(OneLine)).toEqual(shape(Stacked));
  });

  it.each([
    ['valid values', 'value', { status: ['New', 'Waiting'], severity: 'high,low', billable: 'true', created_from: '2026-01-20T09:00:00 02:00', date_to: '2026-01-31', score_min: '2', q: 'vpn' }],
    ['each broken', 400, { status: 'a,', severity: 'medium', billable: 'TRUE', created_from: '2026-02-30', date_to: '2026-1-31', score_min: '1.5', q: '' }],
    ['out of range', 400, { score_min: '6', q: 'x'.repeat(201) }],
    ['below range, an empty alternative', 400, { score_min: '0', status: ['a', ''] }],
  ])('convert and reject alike: %s', async (_name, expected, query) => {
    const oneLine = (await outcome(OneLine, structuredClone(query))) as { value?: object; status?: number; errors?: unknown[] };
    expect(oneLine).toEqual(await outcome(Stacked, structuredClone(query)));
    if (expected === 'value') expect(oneLine.value).toMatchObject({ status: 'New,Waiting', created_from: '2026-01-20T09:00:00+02:00', score_min: 2 });
    else expect(oneLine).toMatchObject({ status: expected, errors: expect.arrayContaining([expect.anything()]) });
  });
});
