// What the load worker imports instead of @nestjs/swagger (load-worker.ts). The record classes carry
// Swagger decorators for the API's documentation, which a worker that only checks records never
// reads; the real package brings @nestjs/core, rxjs and more with it, about a second of the worker's
// start. A record class importing another name from @nestjs/swagger fails the worker's load loudly
// (a missing export), so add the name here.
const noDecoration = (): PropertyDecorator => () => undefined;

export const ApiProperty = noDecoration;
