import 'reflect-metadata';
import { Transform } from 'class-transformer';
import * as cv from 'class-validator';
import type { ValidationOptions } from 'class-validator';

/*
 * The validation decorators of query DTOs and records: each applies class-validator's (or
 * class-transformer's) own, which word every problem, and records what it does in the project's own
 * metadata, from which compiled-query.ts and mock/compiled-record-check.ts build their fast checks
 * without reading those libraries' storage.
 */

type Row = Record<string, unknown>;
export type RuleTest = (value: unknown, object: Row) => boolean;
export type ValueTransform = (value: unknown) => unknown;

export interface RecordedRule {
  /** class-validator's name of the rule (`isIn`, `matches`…). */
  name: string;
  constraints: readonly unknown[];
  /** False for options the fast checks do not model (`each`, groups, `always`): its test then answers false ("unsure"). */
  modelled: boolean;
  test: RuleTest;
}

/** What the decorators of one property record, in decorator order. */
export interface RecordedProperty {
  name: string;
  /** `@IsOptional` and `@ValidateIf`: the rules run only when every condition holds. */
  conditions: RuleTest[];
  transforms: ValueTransform[];
  rules: RecordedRule[];
}

const RULES = Symbol('validation:recorded-rules');

function propertyOf(target: object, name: string): RecordedProperty {
  const ctor = target.constructor;
  let own = Reflect.getOwnMetadata(RULES, ctor) as Map<string, RecordedProperty> | undefined;
  if (!own) {
    const inherited = (Reflect.getMetadata(RULES, ctor) as Map<string, RecordedProperty> | undefined) ?? new Map();
    own = new Map([...inherited].map(([key, p]) => [key, { ...p, conditions: [...p.conditions], transforms: [...p.transforms], rules: [...p.rules] }]));
    Reflect.defineMetadata(RULES, own, ctor);
  }
  let property = own.get(name);
  if (!property) own.set(name, (property = { name, conditions: [], transforms: [], rules: [] }));
  return property;
}

/** The recorded properties of a class (its own and its parents'); empty for a class without them. */
export function recordedRulesOf(target: object): RecordedProperty[] {
  const rules = Reflect.getMetadata(RULES, target) as Map<string, RecordedProperty> | undefined;
  return rules ? [...rules.values()] : [];
}

function recorded(decorator: PropertyDecorator, record: (property: RecordedProperty) => void): PropertyDecorator {
  return (target, propertyName) => {
    decorator(target, propertyName);
    record(propertyOf(target, propertyName as string));
  };
}

const modelled = (options?: ValidationOptions): boolean => !options?.each && !options?.groups?.length && options?.always === undefined;

function rule(decorator: PropertyDecorator, name: string, constraints: readonly unknown[], test: RuleTest, options?: ValidationOptions): PropertyDecorator {
  const plain = modelled(options);
  return recorded(decorator, (p) => p.rules.push({ name, constraints, modelled: plain, test: plain ? test : () => false }));
}

/** A class-transformer `@Transform` of the value alone (the only input our transforms read). */
export function TransformValue(fn: ValueTransform): PropertyDecorator {
  return recorded(
    Transform(({ value }: { value: unknown }) => fn(value)),
    (p) => p.transforms.push(fn),
  );
}

/** A rule of our own, registered with class-validator (which words its message) and recorded. */
export function Rule(name: string, test: RuleTest, options: ValidationOptions & { constraints?: unknown[] }): PropertyDecorator {
  const { constraints = [], ...validationOptions } = options;
  const decorator: PropertyDecorator = (target, propertyName) =>
    cv.registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      constraints,
      options: validationOptions,
      validator: { validate: (value: unknown, args) => test(value, (args?.object ?? {}) as Row) },
    });
  return rule(decorator, name, constraints, test, validationOptions);
}

export const IsOptional = (options?: ValidationOptions): PropertyDecorator =>
  recorded(cv.IsOptional(options), (p) => p.conditions.push((value) => value !== undefined && value !== null));

export const ValidateIf = <T extends object>(condition: (object: T, value: unknown) => boolean, options?: ValidationOptions): PropertyDecorator =>
  recorded(cv.ValidateIf(condition, options), (p) => p.conditions.push((value, object) => condition(object as T, value)));

export const IsIn = (values: readonly unknown[], options?: ValidationOptions): PropertyDecorator =>
  rule(cv.IsIn(values, options), 'isIn', [values], (v) => cv.isIn(v, values), options);

export const IsInt = (options?: ValidationOptions): PropertyDecorator => rule(cv.IsInt(options), 'isInt', [], (v) => cv.isInt(v), options);

export const IsString = (options?: ValidationOptions): PropertyDecorator => rule(cv.IsString(options), 'isString', [], (v) => cv.isString(v), options);

export const IsBoolean = (options?: ValidationOptions): PropertyDecorator => rule(cv.IsBoolean(options), 'isBoolean', [], (v) => cv.isBoolean(v), options);

export const IsNotEmpty = (options?: ValidationOptions): PropertyDecorator => rule(cv.IsNotEmpty(options), 'isNotEmpty', [], (v) => cv.isNotEmpty(v), options);

export const IsNumber = (numberOptions: cv.IsNumberOptions = {}, options?: ValidationOptions): PropertyDecorator =>
  rule(cv.IsNumber(numberOptions, options), 'isNumber', [numberOptions], (v) => cv.isNumber(v, numberOptions), options);

export const IsEmail = (emailOptions?: Parameters<typeof cv.isEmail>[1], options?: ValidationOptions): PropertyDecorator =>
  rule(cv.IsEmail(emailOptions, options), 'isEmail', [emailOptions], (v) => cv.isEmail(v, emailOptions), options);

export const Matches = (pattern: RegExp, options?: ValidationOptions): PropertyDecorator =>
  rule(cv.Matches(pattern, options), 'matches', [pattern], (v) => cv.matches(v as string, pattern), options);

export const Min = (min: number, options?: ValidationOptions): PropertyDecorator => rule(cv.Min(min, options), 'min', [min], (v) => cv.min(v, min), options);

export const Max = (max: number, options?: ValidationOptions): PropertyDecorator => rule(cv.Max(max, options), 'max', [max], (v) => cv.max(v, max), options);

export const Length = (min: number, max?: number, options?: ValidationOptions): PropertyDecorator =>
  rule(cv.Length(min, max, options), 'isLength', [min, max], (v) => cv.length(v, min, max), options);
