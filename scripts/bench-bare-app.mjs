// The benchmarks' reference: a bare NestJS + Fastify app from the project's node_modules with one
// controller and one GET returning a constant small JSON; no middleware, no logger.
// Started by scripts/boot-server.mjs with the same node flags as `npm start`; PORT=0 picks a free port.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

class BareController {
  constant() {
    return { status: 'ok' };
  }
}
Get('constant')(BareController.prototype, 'constant', Object.getOwnPropertyDescriptor(BareController.prototype, 'constant'));
Controller()(BareController);

class BareModule {}
Module({ controllers: [BareController] })(BareModule);

const app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
const { address, port } = app.getHttpServer().address();
console.log(`Listening on http://${address}:${port}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => app.close().then(() => process.exit(0)));
