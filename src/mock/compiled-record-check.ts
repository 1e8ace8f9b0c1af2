import { type RecordedRule, recordedRulesOf } from '../common/validation/recorded-rules.js';

type Row = Record<string, unknown>;
type Check = (value: unknown, object: Row) => boolean;

/** Costly rules whose verdict depends on the value alone: their answers for repeated strings (owners, days) are remembered. */
const MEMOISED_RULES = new Set(['isEmail', 'isDay']);
const MEMO_LIMIT = 50_000;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two-digit number at `i`, or -1. */
function twoDigits(v: string, i: number): number {
  const a = v.charCodeAt(i) - 48;
  const b = v.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Whether `v` is `2026-01-20T09:00:00Z` exactly (20 characters, no fraction: the form generated and
 * recorded data use) on a real calendar day. Sound: never laxer than `isInstant`.
 */
function isPlainInstant(v: string): boolean {
  if (v.length !== 20 || v[4] !== '-' || v[7] !== '-' || v[10] !== 'T' || v[13] !== ':' || v[16] !== ':' || v[19] !== 'Z') return false;
  const century = twoDigits(v, 0);
  const yy = twoDigits(v, 2);
  const month = twoDigits(v, 5);
  const day = twoDigits(v, 8);
  const hour = twoDigits(v, 11);
  const minute = twoDigits(v, 14);
  const second = twoDigits(v, 17);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return false;
  }
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]);
}

/**
 * Specialised versions of the rules the record classes use, built from the rule's own constraints.
 * Each is sound: when it answers `true`, class-validator's validator answers `true` too. Where it is
 * unsure it answers `undefined` and the rule's own validator decides (the `slow` argument).
 */
const FAST_RULES: Record<string, (rule: RecordedRule, slow: Check) => Check | undefined> = {
  isString: () => (v) => typeof v === 'string',
  isNotEmpty: () => (v) => v !== '' && v !== null && v !== undefined,
  isBoolean: () => (v) => v === true || v === false,
  isInt: () => (v) => typeof v === 'number' && Number.isInteger(v),
  min: (rule) => {
    const min = rule.constraints[0] as unknown;
    return typeof min === 'number' ? (v) => typeof v === 'number' && v >= min : undefined;
  },
  max: (rule) => {
    const max = rule.constraints[0] as unknown;
    return typeof max === 'number' ? (v) => typeof v === 'number' && v <= max : undefined;
  },
  isNumber: (rule) => {
    const options = (rule.constraints[0] ?? {}) as Record<string, unknown>;
    const plain = Object.keys(options).every((k) => (k === 'allowNaN' || k === 'allowInfinity') && options[k] === false);
    return plain ? (v) => typeof v === 'number' && Number.isFinite(v) : undefined;
  },
  isIn: (rule) => {
    const allowed = rule.constraints[0] as unknown;
    if (!Array.isArray(allowed) || !allowed.every((a) => typeof a === 'string')) return undefined;
    const set = new Set<unknown>(allowed);
    return (v) => typeof v === 'string' && set.has(v);
  },
  matches: (rule) => {
    const [pattern, modifiers] = rule.constraints as unknown[];
    if (!(pattern instanceof RegExp) || pattern.global || pattern.sticky || modifiers !== undefined) return undefined;
    return (v) => typeof v === 'string' && pattern.test(v);
  },
  isInstant: (_rule, slow) => (v, o) => (typeof v === 'string' && isPlainInstant(v)) || slow(v, o),
  // Two plain instants compare as strings exactly as they compare in time; anything else: the rule itself.
  isNotBefore: (rule, slow) => {
    const other = rule.constraints[0] as unknown;
    if (typeof other !== 'string') return undefined;
    return (v, o) => {
      const base = o[other];
      if (typeof v === 'string' && typeof base === 'string' && v >= base && isPlainInstant(v) && isPlainInstant(base)) return true;
      return slow(v, o);
    };
  },
};

function memoised(check: Check): Check {
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
}

/**
 * A yes/no version of `validateSync(plainToInstance(recordClass, record))`, compiled once from what the
 * class's decorators record (recorded-rules.ts; they apply class-validator's own too, so there is one
 * source of truth): each rule becomes a specialised check built from its constraints (`FAST_RULES`),
 * or its own test, without building an instance or error objects. A record it rejects is re-checked by
 * class-validator itself, which words the problems; a record it accepts has none. It answers `false`
 * for anything it is unsure of (unknown keys, promises, options it does not model).
 */
export function compileRecordCheck(recordClass: abstract new () => unknown): (record: Row) => boolean {
  const check = (rule: RecordedRule): Check => {
    if (!rule.modelled) return rule.test;
    const fast = FAST_RULES[rule.name]?.(rule, rule.test);
    if (fast) return fast;
    return MEMOISED_RULES.has(rule.name) ? memoised(rule.test) : rule.test;
  };
  const properties = recordedRulesOf(recordClass).map(({ name, conditions, rules }) => ({ property: name, conditions, checks: rules.map(check) }));
  const known = new Set(properties.map((p) => p.property));

  return (record) => {
    const keys = Object.keys(record);
    for (let k = 0; k < keys.length; k++) if (!known.has(keys[k])) return false;
    for (let p = 0; p < properties.length; p++) {
      const { property, conditions, checks } = properties[p];
      const value = record[property];
      if (value instanceof Promise) return false;
      let skip = false;
      for (let c = 0; c < conditions.length && !skip; c++) skip = !conditions[c](value, record);
      if (skip) continue;
      for (let c = 0; c < checks.length; c++) if (!checks[c](value, record)) return false;
    }
    return true;
  };
}
