import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { queryDtoOf } from './query-dto.decorator.js';
import type { Observable } from 'rxjs';
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

export function rejectUnknown(keys: string[]): void {
  if (keys.length > 0) throw new ValidationProblemError(keys.map((field) => ({ field, message: UNKNOWN })));
}

/** A route that declares no query DTO takes no query parameters at all: any is a 400. */
@Injectable()
export class RejectUndeclaredQueryInterceptor implements NestInterceptor {
  /** Per controller class and handler: whether it declares a query parameter (fixed once the app is built). */
  private readonly takesQuery = new WeakMap<object, Map<string, boolean>>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const controller = context.getClass();
      const name = context.getHandler().name;
      let handlers = this.takesQuery.get(controller);
      if (!handlers) this.takesQuery.set(controller, (handlers = new Map()));
      let takesQuery = handlers.get(name);
      if (takesQuery === undefined) {
        takesQuery = queryDtoOf(controller, name) !== undefined;
        handlers.set(name, takesQuery);
      }
      const query = context.switchToHttp().getRequest<{ query?: object }>().query ?? {};
      if (!takesQuery) rejectUnknown(Object.keys(query));
    }
    return next.handle();
  }
}
