import { Controller, Get, Param } from '@nestjs/common';
import { QueryDto, queryDtoOf } from '../../src/common/validation/query-dto.decorator.js';
import { checkRecordIds, RecordIdParam, recordIdParamsOf } from '../../src/common/validation/record-id.pipe.js';
import { ValidationProblemError } from '../../src/common/problem/problem.error.js';
import { ListTicketsQuery } from '../../src/tickets/list-tickets-query.dto.js';

@Controller('probe')
class ProbeController {
  @Get()
  list(@Param('id') _id: string, @QueryDto() _query: ListTicketsQuery): string {
    return 'list';
  }

  @Get('plain')
  plain(@Param('id') _id: string): string {
    return 'plain';
  }

  @Get(':a/:b')
  pair(@RecordIdParam('a') _a: string, @Param('tenantId') _tenant: string, @RecordIdParam('b') _b: string): string {
    return 'pair';
  }
}

describe('@QueryDto(): the route query class, from our own metadata', () => {
  it("names the DTO class of the handler's query parameter, whatever its position", () => {
    expect(queryDtoOf(ProbeController, 'list')).toBe(ListTicketsQuery);
  });

  it('answers undefined for a handler that declares no query DTO', () => {
    expect(queryDtoOf(ProbeController, 'plain')).toBeUndefined();
  });
});

describe('@RecordIdParam(): the record ids the perimeter checks before any lookup', () => {
  it('names every record-id path parameter of a handler, and none for a handler without', () => {
    expect([...recordIdParamsOf(ProbeController, 'pair')].sort()).toEqual(['a', 'b']);
    expect(recordIdParamsOf(ProbeController, 'plain')).toEqual([]);
  });

  it('answers as the pipes would: a NUL first, then the pattern, naming the parameter', () => {
    const problems = (params: Record<string, string>) => {
      try {
        checkRecordIds(params, ['a', 'b']);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationProblemError);
        return (error as ValidationProblemError).extensions.errors?.map((e) => `${e.field}: ${e.message}`) ?? [];
      }
    };
    expect(problems({ a: 'TKT-1', b: 'x:y.z_1' })).toEqual([]);
    expect(problems({ a: 'TKT-1', b: 'bad$id' })).toEqual(['b: must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$']);
    expect(problems({ a: 'T\u0000', b: 'ok' })).toEqual(['a: must not contain the NUL character (\\u0000)']);
  });
});
