import fc from 'fast-check';
import { ValidationTypes, getMetadataStorage } from 'class-validator';
import type { ArgumentMetadata } from '@nestjs/common';
import { ProblemError } from '../../src/common/problem/problem.error.js';
import { sortValues } from '../../src/common/query/field-kinds.js';
import { compiledQuery } from '../../src/common/validation/compiled-query.js';
import { recordedRulesOf } from '../../src/common/validation/recorded-rules.js';
import { declaredParameters } from '../../src/common/validation/query-params.js';
import { StrictValidationPipe, createValidationPipe } from '../../src/common/validation/validation-pipe.js';
import { CSAT_FIELDS, ListCsatQuery } from '../../src/csat/list-csat-query.dto.js';
import { SeriesQuery, SummaryQuery } from '../../src/insights/summary-query.dto.js';
import { ListSecurityAlertsQuery, SECURITY_ALERT_FIELDS } from '../../src/security-alerts/list-security-alerts-query.dto.js';
import { ListTenantsQuery, TENANT_FIELDS } from '../../src/tenants/list-tenants-query.dto.js';
import { ListTicketsQuery, TICKET_FIELDS } from '../../src/tickets/list-tickets-query.dto.js';
import { ListTimeEntriesQuery, TIME_ENTRY_FIELDS } from '../../src/time-entries/list-time-entries-query.dto.js';

type Dto = new () => object;

/*
 * The compiled query path against Nest's ValidationPipe (class-transformer + class-validator), the
 * reference: for random queries — valid and invalid, single and repeated parameters, unknown keys —
 * both pipes must give the same typed value (same class, same keys in the same order, same values)
 * or the same 400 problems, and the compiled plan alone must accept exactly what the reference accepts.
 */

const SORTS = [TICKET_FIELDS, TIME_ENTRY_FIELDS, CSAT_FIELDS, SECURITY_ALERT_FIELDS, TENANT_FIELDS].flatMap((f) => sortValues(f as never));
const POOL = [
  // integers and not-quite-integers
  ...['0', '1', '2', '5', '6', '10', '20', '50', '100', '1000', '1001', '-1', '01', '1.5', '2.0', '1e1', '0x10', ' 1', '1 ', '999999999', '1234567890', '+1'],
  // sorts, good and bad
  ...SORTS.slice(0, 40),
  ...['-', '--updated_at_remote', 'Status', 'nope', '-nope'],
  // instants, days and near misses
  ...['2026-01-20', '2026-01-20T09:00:00Z', '2026-01-20T09:00:00.123Z', '2026-01-20T09:00:00 02:00', '2026-01-20T09:00:00+02:00',
    '2026-01-20T10:00:00-0130', '2026-01-20T09:00Z', '2026-01-20T09:00', '2026-02-30', '2026-02-29', '2024-02-29', '2026-13-01',
    '2026-01-20T25:00:00Z', '2026-1-20', '2026-01-20T09:00:00z', '2025-01-20T00:00:00Z', '2024-01-01'],
  // enums and lists
  ...['positive', 'negative,positive', 'neutral,', 'bogus', 'true', 'false', 'true,false', 'TRUE', 'sentinelone', 'defender,sentinelone',
    'critical', 'high,low', 'new', 'resolved', 'in_progress', 'New', 'New,Waiting', 'a\\,b', 'a\\\\,b', ',', 'a,', ',a', 'x'.repeat(256),
    'x'.repeat(257), 'tech1@msp.com', 'Acme Corp'],
  // intervals, text
  ...['day', 'week', 'month', 'year', 'outlook', 'ab', 'x'.repeat(200), 'x'.repeat(201), ' '],
  '',
];

const DTOS: Array<[string, Dto]> = [
  ['ListTicketsQuery', ListTicketsQuery],
  ['ListTimeEntriesQuery', ListTimeEntriesQuery],
  ['ListCsatQuery', ListCsatQuery],
  ['ListSecurityAlertsQuery', ListSecurityAlertsQuery],
  ['ListTenantsQuery', ListTenantsQuery],
  ['SummaryQuery', SummaryQuery],
  ['SeriesQuery', SeriesQuery],
];

const generic = createValidationPipe({ compiled: false });
const compiled = createValidationPipe();

const text = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...POOL) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const value = fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 3 }) });

/** A query as Fastify's parser gives it: a prototype-less object of strings and (repeated) string lists. */
function queryOf(dto: Dto): fc.Arbitrary<Record<string, unknown>> {
  const known = [...declaredParameters(dto)];
  const key = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom('foo', 'toString', '__proto__', 'constructor', 'Page', 'hasOwnProperty') },
  );
  // SeriesQuery requires `interval`: usually given, usually right, so that valid queries are frequent too.
  const interval = fc.option(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('day', 'week', 'month') }, { weight: 1, arbitrary: value }), { freq: 5 });
  return fc.tuple(fc.array(fc.tuple(key, value), { maxLength: 6 }), interval).map(([pairs, given]) => {
    const query = Object.create(null) as Record<string, unknown>;
    if (known.includes('interval') && given !== null) query.interval = given;
    for (const [k, v] of pairs) query[k] = v;
    return query;
  });
}

const clone = (query: Record<string, unknown>) => {
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(query)) copy[key] = Array.isArray(query[key]) ? [...(query[key] as string[])] : query[key];
  return copy;
};

/** What a client can observe of the pipe's answer (and what a handler receives). */
async function outcome(pipe: StrictValidationPipe, dto: Dto, query: Record<string, unknown>) {
  const metadata: ArgumentMetadata = { type: 'query', metatype: dto, data: undefined };
  try {
    const result = (await pipe.transform(clone(query), metadata)) as object;
    return { value: { isInstance: Object.getPrototypeOf(result) === dto.prototype, entries: Object.entries(result) } };
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return { problem: { status: error.status, type: error.type, detail: error.detail, extensions: error.extensions } };
  }
}

describe('compiled query validation', () => {
  it.each(DTOS)('models %s', (_, dto) => {
    expect(compiledQuery(dto)).not.toBeNull();
  });

  // The oracle's own storage (read in this test only): every rule class-validator runs on a query DTO is one the plan knows.
  it.each(DTOS)('records every class-validator rule of %s in the query rules', (_, dto) => {
    const metas = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false, undefined);
    const count = (type: string) => (name: string) => metas.filter((m) => m.propertyName === name && m.type === type).length;
    const rules = recordedRulesOf(dto);
    expect(new Set(metas.map((m) => m.propertyName))).toEqual(new Set(rules.map((p) => p.name)));
    for (const p of rules) {
      expect([p.name, count(ValidationTypes.CUSTOM_VALIDATION)(p.name)]).toEqual([p.name, p.rules.length]);
      expect([p.name, count(ValidationTypes.CONDITIONAL_VALIDATION)(p.name)]).toEqual([p.name, p.conditions.length]);
    }
    expect(metas.every((m) => [ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION].includes(m.type))).toBe(true);
  });

  it.each(DTOS)('answers exactly as the generic pipe for random %s queries', async (_, dto) => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(queryOf(dto), async (query) => {
        const expected = await outcome(generic, dto, query);
        expect(await outcome(compiled, dto, query)).toEqual(expected);
        // The plan alone (past the unknown-key check) accepts exactly what the reference accepts.
        if (Object.keys(query).every((k) => declaredParameters(dto).has(k))) {
          const built = compiledQuery(dto)!.build(clone(query));
          expect(built !== undefined).toBe('value' in expected);
        }
        if ('value' in expected) accepted++;
        else refused++;
      }),
      { numRuns: 400 },
    );
    // Both outcomes were exercised, not just one.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('keeps the typed values: integers, joined repeats, restored offsets, defaults', async () => {
    const query = Object.assign(Object.create(null) as object, {
      page: '3',
      status: ['New', 'Waiting'],
      created_from: '2026-01-20T09:00:00 02:00',
    });
    const value = compiledQuery(ListTicketsQuery)!.build(query) as ListTicketsQuery;
    expect(value).toBeInstanceOf(ListTicketsQuery);
    expect(value).toMatchObject({ page: 3, page_size: 50, sort: '-updated_at_remote', status: 'New,Waiting', created_from: '2026-01-20T09:00:00+02:00' });
  });

  it('leaves invalid queries and values that are not strings to the generic pipe', () => {
    const plan = compiledQuery(ListTicketsQuery)!;
    expect(plan.build({ page: '0' })).toBeUndefined();
    expect(plan.build({ page: { a: '1' } })).toBeUndefined();
    expect(plan.build({ page: 1 })).toBeUndefined();
    expect(plan.build({ nope: '1' })).toBeUndefined();
  });

  it('does not model classes whose decorators it does not know, nor plain types', () => {
    expect(compiledQuery(String)).toBeNull();
    expect(compiledQuery(Object)).toBeNull();
    class NoRules {}
    expect(compiledQuery(NoRules)).toBeNull();
  });
});
