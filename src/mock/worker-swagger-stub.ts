// @nestjs/swagger for the load worker, which only checks records and never reads their docs (a missing name fails its load: add it here).
const noDecoration = (): PropertyDecorator => () => undefined;

export const ApiProperty = noDecoration;
