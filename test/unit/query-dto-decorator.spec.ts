import { Controller, Get, Param } from '@nestjs/common';
import { QueryDto, queryDtoOf } from '../../src/common/validation/query-dto.decorator.js';
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
}

describe('@QueryDto(): the route query class, from our own metadata', () => {
  it("names the DTO class of the handler's query parameter, whatever its position", () => {
    expect(queryDtoOf(ProbeController, 'list')).toBe(ListTicketsQuery);
  });

  it('answers undefined for a handler that declares no query DTO', () => {
    expect(queryDtoOf(ProbeController, 'plain')).toBeUndefined();
  });
});
