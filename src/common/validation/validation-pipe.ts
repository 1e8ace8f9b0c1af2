import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, ValidationProblemError } from '../problem/problem.error.js';

/** Flattens class-validator's tree into `{ field: "a.b", message }` pairs, one per broken rule. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not a known parameter here' : message.replace(new RegExp(`^${error.property} `), ''),
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Queries and bodies: converted to their DTO, unknown properties rejected, every problem reported at once. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblemError(fieldProblems(errors)),
  });
}
