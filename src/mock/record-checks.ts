// The checks of each record of a data file: its class's rules, its tenant, duplicate ids, ticket references.
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { compileRecordCheck } from './compiled-record-check.js';
import type { MockDataProblem } from './mock-data-problem.js';
import type { MockDomain } from './mock-domains.js';

// One problem per field (its first broken rule: the type check comes first), values kept to spot absent fields.
const VALIDATION = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: true },
} as const;

const CHECKS = new Map<abstract new () => unknown, (record: Record<string, unknown>) => boolean>();

function recordCheck(recordClass: new () => unknown): (record: Record<string, unknown>) => boolean {
  let check = CHECKS.get(recordClass);
  if (!check) {
    check = compileRecordCheck(recordClass);
    CHECKS.set(recordClass, check);
  }
  return check;
}

/** Problems of one record: none when the compiled check passes it, else class-validator's own wording. */
export function recordProblems(recordClass: new () => unknown, item: Record<string, unknown>, at: Omit<MockDataProblem, 'reason' | 'field'>): MockDataProblem[] {
  if (recordCheck(recordClass)(item)) return [];
  return validationProblems(validateSync(plainToInstance(recordClass, item) as object, VALIDATION), at);
}

function validationProblems(errors: ValidationError[], base: Omit<MockDataProblem, 'reason' | 'field'>): MockDataProblem[] {
  return errors.flatMap((e) =>
    Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      ...base,
      field: e.property,
      reason:
        rule === 'whitelistValidation'
          ? 'unknown field (not part of the record)'
          : e.value === undefined
            ? 'is required (missing)'
            : message.replace(new RegExp(`^${e.property} `), ''),
    })),
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(record: Record<string, unknown>, idFields: readonly string[]): string | undefined {
  const parts = idFields.map((f) => record[f]);
  return parts.every((p) => typeof p === 'string') ? parts.join('/') : undefined;
}

export function checkRecords(
  domain: MockDomain,
  file: string,
  tenantId: string,
  records: unknown[],
  ticketIds: Set<string> | undefined,
  problems: MockDataProblem[],
  /** Where `records` start in the file, and the ids seen before them (when checked piece by piece). */
  offset = 0,
  seen = new Map<string, number>(),
): void {
  const check = recordCheck(domain.recordClass);
  const idField = domain.idFields.length === 1 ? domain.idFields[0] : undefined;
  const ticketRef = ticketIds ? domain.ticketRef : undefined;
  const csat = domain.name === 'csat';
  for (let i = 0; i < records.length; i++) {
    const item = records[i];
    const index = offset + i;
    if (!isPlainObject(item)) {
      problems.push({ file, record: index, reason: 'must be a JSON object' });
      continue;
    }
    let id: string | undefined;
    if (idField === undefined) id = idOf(item, domain.idFields);
    else {
      const value = item[idField];
      id = typeof value === 'string' ? value : undefined;
    }
    if (!check(item)) problems.push(...validationProblems(validateSync(plainToInstance(domain.recordClass, item) as object, VALIDATION), located(file, index, id)));
    const tenant = item.tenant_id;
    if (typeof tenant === 'string' && tenant !== tenantId) {
      problems.push({ ...located(file, index, id), field: 'tenant_id', reason: `'${tenant}' differs from the file's tenant '${tenantId}'` });
    }
    if (id !== undefined) {
      const first = seen.get(id);
      if (first !== undefined) {
        problems.push({ ...located(file, index, id), field: domain.idFields.join('+'), reason: `duplicate id (first at record ${first})` });
      } else seen.set(id, index);
    }
    if (ticketRef !== undefined) {
      const ref = item[ticketRef];
      if (typeof ref === 'string' && !ticketIds!.has(ref)) {
        problems.push({ ...located(file, index, id), field: ticketRef, reason: `points at ticket '${ref}', which does not exist in tickets/${tenantId}.json` });
      }
    }
    if (csat) checkSentiment(item, located(file, index, id), problems);
  }
}

/** A record's location, built only for a problem (a closure per record cost the load a few percent). */
function located(file: string, record: number, id: string | undefined): Omit<MockDataProblem, 'reason'> {
  return { file, record, id };
}

function checkSentiment(item: Record<string, unknown>, at: Omit<MockDataProblem, 'reason'>, problems: MockDataProblem[]): void {
  const score = item.score;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) return;
  const expected = score >= 4 ? 'positive' : score === 3 ? 'neutral' : 'negative';
  if (typeof item.sentiment === 'string' && item.sentiment !== expected) {
    problems.push({ ...at, field: 'sentiment', reason: `'${item.sentiment}' disagrees with score ${score} (expected '${expected}')` });
  }
}
