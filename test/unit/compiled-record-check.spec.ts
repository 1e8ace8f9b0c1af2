import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { ValidationTypes, getMetadataStorage, validateSync } from 'class-validator';
import { recordedRulesOf } from '../../src/common/validation/recorded-rules.js';
import { CsatSurvey } from '../../src/csat/csat-survey.record.js';
import { compileRecordCheck } from '../../src/mock/compiled-record-check.js';
import { SEED_CSAT_SURVEY, SEED_DEFENDER_ALERT, SEED_TENANTS, SEED_TICKET, SEED_TIME_ENTRY } from '../../src/cli/generate/seed-examples.js';
import { SecurityAlert } from '../../src/security-alerts/security-alert.record.js';
import { Tenant } from '../../src/tenants/tenant.record.js';
import { Ticket } from '../../src/tickets/ticket.record.js';
import { TimeEntry } from '../../src/time-entries/time-entry.record.js';

type Row = Record<string, unknown>;

// The loader's options: the compiled check must agree with exactly this.
const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: true } as const;

const ODD_VALUES: unknown[] = [
  null,
  undefined,
  '',
  ' ',
  'x',
  'not-an-email',
  'tech@msp.com',
  '2026-01-20T09:00:00Z',
  '2026-01-19T09:00:00Z',
  '2026-02-30T09:00:00Z',
  '2026-01-20T09:00:00+02:00',
  '2026-01-20',
  'TKT-1',
  'Bad Id/1',
  'tenant_demo_cca',
  0,
  -1,
  1,
  3,
  5,
  6,
  2.5,
  Number.NaN,
  true,
  false,
  [],
  ['a'],
  {},
  'positive',
  'negative',
  'sentinelone',
  'defender',
  'High',
  // The edges of the specialised instant checks (plain 20-character instants take a fast path).
  '2026-01-20T09:00:00.5Z',
  '2026-01-20T09:00:00.123456789Z',
  '2026-01-19T23:59:59Z',
  '2024-02-29T09:00:00Z',
  '2026-02-29T09:00:00Z',
  '2100-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '2026-04-31T09:00:00Z',
  '2026-13-01T09:00:00Z',
  '2026-00-10T09:00:00Z',
  '2026-01-00T09:00:00Z',
  '2026-01-20T24:00:00Z',
  '2026-01-20T23:60:00Z',
  '2026-01-20T23:59:60Z',
  '2026-01-20 09:00:00Z',
  '2026-01-2OT09:00:00Z',
  '2026-02-30',
  'informational',
  'resolved',
  Number.POSITIVE_INFINITY,
];

function mutated(seed: Row): fc.Arbitrary<Row> {
  const fields = Object.keys(seed);
  const change = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...fields, 'extra', 'closed_at_remote', 'resolved_at'), value: fc.constantFrom(...ODD_VALUES) }),
    fc.record({ kind: fc.constant('delete' as const), field: fc.constantFrom(...fields) }),
  );
  return fc.array(change, { maxLength: 3 }).map((changes) => {
    const record: Row = { ...seed };
    for (const c of changes) {
      if (c.kind === 'delete') delete record[c.field];
      else record[c.field] = c.value;
    }
    return record;
  });
}

const CLASSES: [string, new () => unknown, Row][] = [
  ['tickets', Ticket, SEED_TICKET as unknown as Row],
  ['time entries', TimeEntry, SEED_TIME_ENTRY as unknown as Row],
  ['csat surveys', CsatSurvey, SEED_CSAT_SURVEY as unknown as Row],
  ['security alerts', SecurityAlert, SEED_DEFENDER_ALERT as unknown as Row],
  ['tenants', Tenant, SEED_TENANTS[0] as unknown as Row],
];

describe('compiled record check', () => {
  // The oracle's own storage (read in this test only): every rule class-validator runs on a record is one the check knows.
  it.each(CLASSES)('records every class-validator rule of the %s class', (_name, recordClass) => {
    const metas = getMetadataStorage().getTargetValidationMetadatas(recordClass, '', false, false, undefined);
    const count = (type: string, name: string) => metas.filter((m) => m.propertyName === name && m.type === type).length;
    const properties = recordedRulesOf(recordClass);
    expect(new Set(metas.map((m) => m.propertyName))).toEqual(new Set(properties.map((p) => p.name)));
    for (const p of properties) {
      expect([p.name, count(ValidationTypes.CUSTOM_VALIDATION, p.name)]).toEqual([p.name, p.rules.length]);
      expect([p.name, count(ValidationTypes.CONDITIONAL_VALIDATION, p.name)]).toEqual([p.name, p.conditions.length]);
      expect(p.rules.every((r) => r.modelled)).toBe(true);
    }
    expect(metas.every((m) => [ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION].includes(m.type))).toBe(true);
  });

  it.each(CLASSES)('accepts exactly the %s class-validator accepts', (_name, recordClass, seed) => {
    const check = compileRecordCheck(recordClass);
    expect(check(seed)).toBe(true);
    fc.assert(
      fc.property(mutated(seed), (record) => {
        const valid = validateSync(plainToInstance(recordClass, record) as object, VALIDATION).length === 0;
        expect(check(record)).toBe(valid);
      }),
      { numRuns: 1500 },
    );
  });
});
