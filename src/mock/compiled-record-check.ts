import { ValidationArguments, ValidationTypes, getMetadataStorage } from 'class-validator';

type Row = Record<string, unknown>;
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
type Check = (value: unknown, object: Row) => boolean;

/** Costly rules whose verdict depends on the value alone: their answers for repeated strings (owners) are remembered. */
const MEMOISED_RULES = new Set(['isEmail']);
const MEMO_LIMIT = 50_000;

/**
 * A yes/no version of `validateSync(plainToInstance(recordClass, record))`, compiled once from the
 * class's own decorators (the same metadata class-validator walks, so there is one source of truth):
 * it calls each rule's validator directly, without building an instance or error objects. A record it
 * rejects is re-checked by class-validator itself, which words the problems; a record it accepts
 * has none. It answers `false` for anything it is unsure of (unknown keys, promises, nested rules).
 */
export function compileRecordCheck(recordClass: abstract new () => unknown): (record: Row) => boolean {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(recordClass as new () => unknown, '', false, false, undefined);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metadatas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);

  const unsupported = metadatas.some(
    (m) =>
      m.type !== ValidationTypes.CUSTOM_VALIDATION &&
      m.type !== ValidationTypes.CONDITIONAL_VALIDATION &&
      m.type !== ValidationTypes.IS_DEFINED &&
      m.type !== ValidationTypes.WHITELIST,
  );
  if (unsupported) return () => false;

  const targetName = recordClass.name;
  const properties = [...byProperty].map(([property, list]) => {
    const rule = (m: ValidationMetadata): Check => {
      const constraints = storage.getTargetValidatorConstraints(m.constraintCls);
      const check: Check = (value, object) => {
        if (m.validateIf && !m.validateIf(object, value)) return true;
        const args: ValidationArguments = { targetName, property, object, value, constraints: m.constraints };
        for (const c of constraints) {
          if (m.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) return false;
          if (c.instance.validate(value, args) !== true) return false;
        }
        return true;
      };
      if (!MEMOISED_RULES.has(m.name ?? '') || m.validateIf) return check;
      const memo = new Map<string, boolean>();
      return (value, object) => {
        if (typeof value !== 'string') return check(value, object);
        let verdict = memo.get(value);
        if (verdict === undefined) {
          verdict = check(value, object);
          if (memo.size < MEMO_LIMIT) memo.set(value, verdict);
        }
        return verdict;
      };
    };
    const conditions = list.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION);
    const defined = list.filter((m) => m.type === ValidationTypes.IS_DEFINED).map(rule);
    const rules = list.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION).map(rule);
    return { property, conditions, defined, rules };
  });
  const known = new Set(byProperty.keys());

  return (record) => {
    for (const key of Object.keys(record)) if (!known.has(key)) return false;
    for (const { property, conditions, defined, rules } of properties) {
      const value = record[property];
      if (value instanceof Promise) return false;
      if (!conditions.every((m) => (m.constraints[0] as (o: Row, v: unknown) => boolean)(record, value))) continue;
      for (const check of defined) if (!check(value, record)) return false;
      for (const check of rules) if (!check(value, record)) return false;
    }
    return true;
  };
}
