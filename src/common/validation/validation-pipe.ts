import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { rejectUnknown, unknownParameters } from './query-params.js';
import { FieldProblem, ValidationProblemError } from '../problem/problem.error.js';

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
 * DTO, since a key such as `toString` slips past class-transformer.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && metadata.metatype && typeof value === 'object' && value !== null) {
      rejectUnknown(unknownParameters(value, metadata.metatype as new () => unknown));
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    stopAtFirstError: true,
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new ValidationProblemError(fieldProblems(errors)),
  });
}
