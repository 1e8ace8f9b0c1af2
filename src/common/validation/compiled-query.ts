import { type RecordedProperty, recordedRulesOf } from './recorded-rules.js';

/*
 * Query DTOs converted and checked without class-transformer's or class-validator's per-request
 * machinery, from what the DTO's decorators record in recorded-rules.ts (they apply those libraries'
 * decorators too, so the DTO stays the one source of truth). A request's value is the instance
 * `plainToInstance` builds; it is returned only when every rule passes. Anything else goes through the
 * generic pipe, which therefore writes every 400 exactly as before; test/unit/compiled-query.spec.ts
 * holds the two paths equal.
 */

type Dto = new () => object;
type Row = Record<string, unknown>;

export interface CompiledQuery {
  /** The DTO instance for a valid query; undefined when the generic pipe must answer (invalid or unsupported). */
  build(query: object): object | undefined;
}

const compiled = new WeakMap<object, CompiledQuery | null>();

/** The compiled plan of a query DTO class, built on first use; null for a class without recorded rules. */
export function compiledQuery(dto: unknown): CompiledQuery | null {
  if (typeof dto !== 'function') return null;
  let plan = compiled.get(dto);
  if (plan === undefined) {
    plan = compile(dto as Dto);
    compiled.set(dto, plan);
  }
  return plan;
}

function compile(dto: Dto): CompiledQuery | null {
  const properties = recordedRulesOf(dto);
  if (properties.length === 0) return null;
  const byName = new Map<string, RecordedProperty>(properties.map((p) => [p.name, p]));
  let template: Row;
  try {
    template = new dto() as Row;
  } catch {
    return null;
  }
  // whitelist + forbidNonWhitelisted: every own property of an instance must be a validated one.
  if (Object.keys(template).some((key) => !byName.has(key))) return null;
  for (const { name } of properties) {
    if (name === '__proto__' || name === 'constructor') return null;
    const descriptor = Object.getOwnPropertyDescriptor(dto.prototype, name);
    if ((descriptor && !descriptor.set) || template[name] instanceof Function) return null;
  }

  return {
    build(query: object): object | undefined {
      const source = query as Row;
      const keys = Object.keys(source);
      for (const key of keys) {
        if (!byName.has(key)) return undefined;
        const value = source[key];
        if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) return undefined;
      }
      try {
        const entity = new dto() as Row;
        for (const key of keys) {
          const raw = source[key];
          // class-transformer copies a list element by element (strings as they are).
          let value: unknown = typeof raw === 'string' ? raw : (raw as string[]).slice();
          for (const fn of byName.get(key)!.transforms) value = fn(value);
          entity[key] = value;
        }
        for (const { name, conditions, rules } of properties) {
          const value = entity[name];
          // class-validator evaluates every condition, then validates only when all hold.
          let validated = true;
          for (const condition of conditions) validated = condition(value, entity) && validated;
          if (!validated) continue;
          for (const rule of rules) if (!rule.test(value, entity)) return undefined;
        }
        return entity;
      } catch {
        // A transform or rule that throws does so again on the generic path, as it always did.
        return undefined;
      }
    },
  };
}
