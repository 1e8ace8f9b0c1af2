import { TransformationType } from 'class-transformer';
// class-transformer keeps its decorator metadata in this module; it has no public accessor.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { ValidationArguments, ValidationTypes, getMetadataStorage } from 'class-validator';

/*
 * Query DTOs converted and checked without class-transformer's or class-validator's per-request
 * machinery. For each DTO class, a plan is built once from the very metadata those libraries read
 * (the @Transform functions, the validation constraints and their validator instances, @IsOptional's
 * condition), so the DTO's decorators stay the one source of truth. A request's value is the same
 * instance `plainToInstance` builds; it is returned only when every check the pipe would run passes.
 * Anything else — a broken rule, a value that is not a string or a list of strings, a decorator the
 * plan does not model — goes through the generic pipe, which therefore writes every 400 exactly as
 * before. The differential test (test/unit/compiled-query.spec.ts) holds the two paths equal.
 */

type Dto = new () => object;
type Row = Record<string, unknown>;

/** What the pipe uses from class-validator's metadata (its types are not exported). */
interface ValidationMeta {
  type: string;
  name?: string;
  propertyName: string;
  constraints: unknown[];
  constraintCls: new (...args: unknown[]) => unknown;
  each?: boolean;
  always?: boolean;
  groups?: string[];
  validateIf?: (object: object, value: unknown) => boolean;
}
interface ConstraintMeta {
  async?: boolean;
  instance: { validate(value: unknown, args: ValidationArguments): unknown };
}
interface ValidatorStorage {
  getTargetValidationMetadatas(target: Dto, schema: string | undefined, always: boolean, strictGroups: boolean, groups?: string[]): ValidationMeta[];
  getTargetValidatorConstraints(target: unknown): ConstraintMeta[];
}

interface Check {
  meta: ValidationMeta;
  validators: ConstraintMeta['instance'][];
}

interface PropertyPlan {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  /** In class-validator's order: `@IsDefined` rules first, then the others as registered. */
  checks: Check[];
}

type TransformFn = (params: { value: unknown; key: string; obj: unknown; type: TransformationType; options: object }) => unknown;

export interface CompiledQuery {
  /** The DTO instance for a valid query; undefined when the generic pipe must answer (invalid or unsupported). */
  build(query: object): object | undefined;
}

/** class-transformer's default options: what `plainToInstance(cls, value)` hands every @Transform. */
const TRANSFORM_OPTIONS = Object.freeze({
  enableCircularCheck: false,
  enableImplicitConversion: false,
  excludeExtraneousValues: false,
  excludePrefixes: undefined,
  exposeDefaultValues: false,
  exposeUnsetFields: true,
  groups: undefined,
  ignoreDecorators: false,
  strategy: undefined,
  targetMaps: undefined,
  version: undefined,
});

const compiled = new WeakMap<object, CompiledQuery | null>();

/**
 * The compiled plan of a query DTO class, built on first use; null when the class uses a decorator
 * the plan does not model (nested objects, `each`, groups, async rules, @Type, @Expose, @Exclude…).
 */
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
  const storage = getMetadataStorage() as unknown as ValidatorStorage;
  // The arguments class-validator's executor passes for the pipe's options (no groups, `always` off).
  const metas = storage.getTargetValidationMetadatas(dto, undefined, false, false, undefined);
  if (metas.length === 0) return null; // forbidUnknownValues would refuse it: the generic pipe says so
  const grouped = new Map<string, ValidationMeta[]>();
  for (const meta of metas) {
    if (meta.groups?.length || meta.always !== undefined || meta.each) return null;
    const supported = [ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION, ValidationTypes.IS_DEFINED, ValidationTypes.WHITELIST];
    if (!supported.includes(meta.type)) return null;
    grouped.set(meta.propertyName, [...(grouped.get(meta.propertyName) ?? []), meta]);
  }

  let template: Row;
  try {
    template = new dto() as Row;
  } catch {
    return null;
  }
  // whitelist + forbidNonWhitelisted: every own property of an instance must be a validated one.
  if (Object.keys(template).some((key) => !grouped.has(key))) return null;

  if (defaultMetadataStorage.getStrategy(dto) !== 'none') return null;
  if (defaultMetadataStorage.getExposedProperties(dto, TransformationType.PLAIN_TO_CLASS).length > 0) return null;
  if (defaultMetadataStorage.getExcludedProperties(dto, TransformationType.PLAIN_TO_CLASS).length > 0) return null;

  const transforms = new Map<string, TransformFn[]>();
  const properties: PropertyPlan[] = [];
  for (const [name, list] of grouped) {
    if (name === '__proto__' || name === 'constructor') return null;
    if (defaultMetadataStorage.findTypeMetadata(dto, name)) return null;
    const descriptor = Object.getOwnPropertyDescriptor(dto.prototype, name);
    if ((descriptor && !descriptor.set) || template[name] instanceof Function) return null;
    const fns = defaultMetadataStorage
      .findTransformMetadatas(dto, name, TransformationType.PLAIN_TO_CLASS)
      .filter((m) => !m.options || !m.options.groups || !m.options.groups.length);
    if (fns.some((m) => m.options?.since !== undefined || m.options?.until !== undefined)) return null;
    transforms.set(name, fns.map((m) => m.transformFn as TransformFn));

    const checkOf = (meta: ValidationMeta): Check | null => {
      const constraints = storage.getTargetValidatorConstraints(meta.constraintCls);
      if (constraints.some((c) => c.async)) return null;
      return { meta, validators: constraints.map((c) => c.instance) };
    };
    const defined = list.filter((m) => m.type === ValidationTypes.IS_DEFINED).map(checkOf);
    const custom = list.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION).map(checkOf);
    if ([...defined, ...custom].some((c) => c === null)) return null;
    properties.push({
      name,
      conditions: list
        .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((m) => m.constraints[0] as (object: object, value: unknown) => boolean),
      checks: [...defined, ...custom] as Check[],
    });
  }

  const targetName = dto.name;
  return {
    build(query: object): object | undefined {
      const source = query as Row;
      const keys = Object.keys(source);
      for (const key of keys) {
        if (!grouped.has(key)) return undefined;
        const value = source[key];
        if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) return undefined;
      }
      try {
        const entity = new dto() as Row;
        for (const key of keys) {
          const raw = source[key];
          // class-transformer copies a list element by element (strings as they are).
          let value: unknown = typeof raw === 'string' ? raw : (raw as string[]).slice();
          for (const fn of transforms.get(key)!) {
            value = fn({ value, key, obj: source, type: TransformationType.PLAIN_TO_CLASS, options: TRANSFORM_OPTIONS });
          }
          entity[key] = value;
        }
        for (const property of properties) {
          const value = entity[property.name];
          // class-validator evaluates every condition, then validates only when all hold.
          let validated = true;
          for (const condition of property.conditions) validated = condition(entity, value) && validated;
          if (!validated) continue;
          for (const { meta, validators } of property.checks) {
            if (meta.validateIf && !meta.validateIf(entity, value)) continue;
            const args: ValidationArguments = { targetName, property: meta.propertyName, object: entity, value, constraints: meta.constraints };
            for (const validator of validators) {
              const ok = validator.validate(value, args);
              // A rule broken (the generic pipe reports it) or answering with a promise (async after all).
              if (!ok || (typeof ok === 'object' && typeof (ok as { then?: unknown }).then === 'function')) return undefined;
            }
          }
        }
        return entity;
      } catch {
        // A transform or rule that throws does so again on the generic path, as it always did.
        return undefined;
      }
    },
  };
}
