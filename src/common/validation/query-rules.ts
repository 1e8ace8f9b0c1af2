import 'reflect-metadata';
import { Transform } from 'class-transformer';
import * as cv from 'class-validator';
import type { ValidationOptions } from 'class-validator';

/*
 * The query DTOs' decorators: each applies class-validator's (or class-transformer's) own, which
 * word every 400, and records what it does here too, in the project's metadata, so that
 * compiled-query.ts can build a fast check from it without reading those libraries' storage.
 */

export type QueryTest = (value: unknown, object: Record<string, unknown>) => boolean;
export type QueryTransformFn = (value: unknown) => unknown;

/** What the decorators of one query DTO property record, in decorator order. */
export interface QueryProperty {
  name: string;
  /** Whether an absent (undefined or null) value skips the tests (`@IsOptional`). */
  optional: boolean;
  transforms: QueryTransformFn[];
  tests: QueryTest[];
}

const RULES = Symbol('query:rules');

function propertyOf(target: object, name: string): QueryProperty {
  const ctor = target.constructor;
  const own: Map<string, QueryProperty> = Reflect.hasOwnMetadata(RULES, ctor)
    ? Reflect.getOwnMetadata(RULES, ctor)
    : new Map([...((Reflect.getMetadata(RULES, ctor) as Map<string, QueryProperty> | undefined) ?? [])].map(([k, p]) => [k, { ...p, transforms: [...p.transforms], tests: [...p.tests] }]));
  Reflect.defineMetadata(RULES, own, ctor);
  let property = own.get(name);
  if (!property) own.set(name, (property = { name, optional: false, transforms: [], tests: [] }));
  return property;
}

/** The recorded properties of a query DTO class (its own and its parents'), empty for any other class. */
export function queryRulesOf(dto: object): QueryProperty[] {
  const rules = Reflect.getMetadata(RULES, dto) as Map<string, QueryProperty> | undefined;
  return rules ? [...rules.values()] : [];
}

function recorded(decorator: PropertyDecorator, record: (property: QueryProperty) => void): PropertyDecorator {
  return (target, propertyName) => {
    decorator(target, propertyName);
    record(propertyOf(target, propertyName as string));
  };
}

/** A class-transformer `@Transform` of the query value alone (the only input our transforms read). */
export function QueryTransform(fn: QueryTransformFn): PropertyDecorator {
  return recorded(
    Transform(({ value }: { value: unknown }) => fn(value)),
    (p) => p.transforms.push(fn),
  );
}

/** A rule of our own: registered with class-validator (which words its message) and recorded. */
export function QueryRule(name: string, test: (value: unknown) => boolean, options: ValidationOptions & { constraints?: unknown[] }): PropertyDecorator {
  const { constraints, ...validationOptions } = options;
  return recorded(
    (target, propertyName) =>
      cv.registerDecorator({ name, target: target.constructor, propertyName: propertyName as string, constraints, options: validationOptions, validator: { validate: test } }),
    (p) => p.tests.push(test),
  );
}

export const IsOptional = (options?: ValidationOptions): PropertyDecorator =>
  recorded(cv.IsOptional(options), (p) => (p.optional = true));

export const IsIn = (values: readonly unknown[], options?: ValidationOptions): PropertyDecorator =>
  recorded(cv.IsIn(values, options), (p) => p.tests.push((v) => cv.isIn(v, values)));

export const IsInt = (options?: ValidationOptions): PropertyDecorator =>
  recorded(cv.IsInt(options), (p) => p.tests.push((v) => cv.isInt(v)));

export const IsString = (options?: ValidationOptions): PropertyDecorator =>
  recorded(cv.IsString(options), (p) => p.tests.push((v) => cv.isString(v)));

export const Min = (min: number, options?: ValidationOptions): PropertyDecorator =>
  recorded(cv.Min(min, options), (p) => p.tests.push((v) => cv.min(v, min)));

export const Max = (max: number, options?: ValidationOptions): PropertyDecorator =>
  recorded(cv.Max(max, options), (p) => p.tests.push((v) => cv.max(v, max)));

export const Length = (min: number, max?: number, options?: ValidationOptions): PropertyDecorator =>
  recorded(cv.Length(min, max, options), (p) => p.tests.push((v) => typeof v === 'string' && cv.length(v, min, max)));
