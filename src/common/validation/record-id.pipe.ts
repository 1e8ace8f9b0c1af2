import { ArgumentMetadata, Injectable, Param, PipeTransform, Type } from '@nestjs/common';
import { ValidationProblemError } from '../problem/problem.error.js';
import { RECORD_ID_PATTERN } from './formats.js';
import { nulProblems } from './nul-characters.js';

/** A record id in the path: letters, digits, `.`, `_`, `:`, `-`, at most 128 characters; else 400. */
@Injectable()
export class RecordIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!RECORD_ID_PATTERN.test(value)) {
      throw new ValidationProblemError([
        { field: metadata.data ?? 'id', message: 'must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' },
      ]);
    }
    return value;
  }
}

const RECORD_ID_PARAMS = Symbol('RECORD_ID_PARAMS');
const recordIds = new RecordIdPipe();

/**
 * `@Param(name, RecordIdPipe)`, recorded so that the perimeter checks the id (checkRecordIds) before the
 * tenant is looked up: a malformed id is a 400 whoever asks, and never answered 304.
 */
export function RecordIdParam(name: string): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new Error('@RecordIdParam() belongs on a route handler parameter');
    const names = (Reflect.getMetadata(RECORD_ID_PARAMS, target.constructor, key) ?? []) as string[];
    Reflect.defineMetadata(RECORD_ID_PARAMS, [...names, name], target.constructor, key);
    Param(name, RecordIdPipe)(target, key, index);
  };
}

/** The path parameters a route declares with `@RecordIdParam()`. */
export function recordIdParamsOf(controller: Type<unknown>, handler: string): readonly string[] {
  return (Reflect.getMetadata(RECORD_ID_PARAMS, controller, handler) ?? []) as string[];
}

/** As the global pipe and RecordIdPipe would answer for these path parameters: a NUL first, then the pattern. */
export function checkRecordIds(params: Record<string, string | undefined>, names: readonly string[]): void {
  for (const name of names) {
    const value = params[name] ?? '';
    if (value.includes('\u0000')) throw new ValidationProblemError(nulProblems(value, name));
    recordIds.transform(value, { type: 'param', data: name });
  }
}
