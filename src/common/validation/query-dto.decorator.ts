import { Query, Type } from '@nestjs/common';

const QUERY_DTO_INDEX = Symbol('QUERY_DTO_INDEX');

/**
 * `@Query()` for a whole query DTO, recorded in our own metadata so that the perimeter (DataResponseInterceptor)
 * can ask which class a route's query is (or that it has none) without reading Nest's private route-argument
 * storage. Nest's `@Query()` keeps Swagger documenting the DTO's parameters; the instance it hands the route is
 * the one the perimeter validated (StrictValidationPipe keeps it).
 */
export function QueryDto(): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new Error('@QueryDto() belongs on a route handler parameter');
    Reflect.defineMetadata(QUERY_DTO_INDEX, index, target.constructor, key);
    Query()(target, key, index);
  };
}

/** The class of the route's `@QueryDto()` parameter, or undefined when the route declares none. */
export function queryDtoOf(controller: Type<unknown>, handler: string): Type<unknown> | undefined {
  const index = Reflect.getMetadata(QUERY_DTO_INDEX, controller, handler) as number | undefined;
  if (index === undefined) return undefined;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, handler) ?? []) as Type<unknown>[];
  return types[index] ?? Object;
}
