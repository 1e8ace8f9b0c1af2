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
 *
 * A query object is converted once: the perimeter (DataResponseInterceptor) converts the route's query
 * before the route runs, and the route's `@QueryDto()` parameter then gets that same instance.
 */
export class StrictValidationPipe extends ValidationPipe {
  /** By the request's own query object (Fastify's `request.query`, which Nest's `@Query()` hands on as it is). */
  private readonly converted = new WeakMap<object, { metatype: unknown; dto: unknown }>();

  constructor(
    options: ValidationPipeOptions,
    private readonly compiled = true,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && metadata.data === undefined && metadata.metatype && typeof value === 'object' && value !== null) {
      const done = this.converted.get(value);
      if (done?.metatype === metadata.metatype) return done.dto;
      checkQueryShape(value, metadata.metatype as new () => unknown);
      return this.convertQuery(value, metadata.metatype as new () => unknown);
    }
    // Whatever the DTO, before it: a NUL in any string of a body, query or path parameter is refused here, once for every route.
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const nul = nulProblems(value, metadata.data ?? '');
      if (nul.length > 0) throw new ValidationProblemError(nul);
    }
    if (metadata.type === 'query' && metadata.metatype && typeof value === 'object' && value !== null) {
      rejectUnknown(unknownParameters(value, metadata.metatype as new () => unknown));
    }
    return super.transform(value, metadata);
  }

  /** A whole query's values as its DTO (after checkQueryShape), kept for the rest of the request. */
  async convertQuery(query: object, dto: new () => unknown): Promise<unknown> {
    const entity = (this.compiled ? compiledQuery(dto)?.build(query) : undefined) ?? (await super.transform(query, { type: 'query', metatype: dto }));
    this.converted.set(query, { metatype: dto, dto: entity });
    return entity;
  }
}

/** A query's names and characters: a NUL anywhere, or a parameter the DTO does not declare, is a 400 (checked before anything is looked up). */
export function checkQueryShape(query: object, dto: new () => unknown): void {
  const nul = nulProblems(query, '');
  if (nul.length > 0) throw new ValidationProblemError(nul);
  rejectUnknown(unknownParameters(query, dto));
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
