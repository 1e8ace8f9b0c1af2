import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

/** One histogram observation per answered request, by its route pattern (never its raw URL). */
export function recordRequestDurations(fastify: FastifyInstance, metrics: Metrics): void {
  // A callback hook: no promise per request.
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
