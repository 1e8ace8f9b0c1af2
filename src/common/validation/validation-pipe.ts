import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { compiledQuery } from './compiled-query.js';
import { rejectUnknown, unknownParameters } from './query-params.js';
import { FieldProblem, ValidationProblemError } from '../problem/problem.error.js';
import { nulProblems } from './nul-characters.js';

/**
 * Flattens class-validator's tree into `{ field: "a.b", message }` pairs. A required field that is
 * absent gets one "is required" rather than every rule it therefore breaks.
 */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    if ('whitelistValidation' in constraints) return [{ field, message: 'is not a known field or parameter here' }];
    const own =
      error.value === undefined && Object.keys(constraints).length > 0
        ? [{ field, message: 'is required' }]
        : Object.values(constraints).map((message) => ({ field, message: message.replace(new RegExp(`^${error.property} `), '') }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/**
 * Queries and bodies: converted to their DTO, unknown properties rejected, every problem reported
 * at once (the first broken rule of each field). Query keys are also checked by name against the
 * DTO, since a key such as `toString` slips past class-transformer. A valid query of a DTO the
 * compiler models is converted by its compiled plan (compiled-query.ts); everything else, and every
 * invalid query, goes through Nest's ValidationPipe, which writes the problems.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor(
    options: ValidationPipeOptions,
    private readonly compiled = true,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Whatever the DTO, before it: a NUL in any string of a body, query or path parameter is refused here, once for every route.
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const nul = nulProblems(value, metadata.data ?? '');
      if (nul.length > 0) throw new ValidationProblemError(nul);
    }
    if (metadata.type === 'query' && metadata.metatype && typeof value === 'object' && value !== null) {
      rejectUnknown(unknownParameters(value, metadata.metatype as new () => unknown));
      if (this.compiled && metadata.data === undefined) {
        const entity = compiledQuery(metadata.metatype)?.build(value);
        if (entity !== undefined) return entity;
      }
    }
    return super.transform(value, metadata);
  }
}

/** The options of the app's pipe; `compiled: false` forces the generic path (the differential test's reference). */
export function createValidationPipe({ compiled = true }: { compiled?: boolean } = {}): StrictValidationPipe {
  return new StrictValidationPipe(
    {
      stopAtFirstError: true,
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => new ValidationProblemError(fieldProblems(errors)),
    },
    compiled,
  );
}
