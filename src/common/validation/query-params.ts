import { ValidationProblemError } from '../problem/problem.error.js';
import { recordedRulesOf } from './recorded-rules.js';

const UNKNOWN = 'is not a known field or parameter here';

const declared = new WeakMap<object, Set<string>>();

/** The query parameters a DTO declares (its properties with query rules); computed once per DTO class. */
export function declaredParameters(dto: new () => unknown): Set<string> {
  let names = declared.get(dto);
  if (!names) {
    names = new Set(recordedRulesOf(dto).map((p) => p.name));
    declared.set(dto, names);
  }
  return names;
}

/** Query keys a DTO does not declare, checked by name, so `toString` or `__proto__` are unknown too. */
export function unknownParameters(query: object, dto: new () => unknown): string[] {
  const known = declaredParameters(dto);
  return Object.keys(query).filter((key) => !known.has(key));
}

/** 400 naming each of these query keys; a route that declares no query DTO takes no query parameters at all. */
export function rejectUnknown(keys: string[]): void {
  if (keys.length > 0) throw new ValidationProblemError(keys.map((field) => ({ field, message: UNKNOWN })));
}
