import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConfigType } from '@nestjs/config';
import { ApiKeyAuthenticator } from './auth/api-key.authenticator.js';
import { PRINCIPAL, WithPrincipal } from './auth/principal.js';
import { httpConfig } from './config/app.config.js';
import { Lifecycle } from './health/lifecycle.js';
import { PROBLEM_CONTENT_TYPE, problemFor } from './common/problem/problem-details.filter.js';
import { ProblemError, ValidationProblemError } from './common/problem/problem.error.js';

/** Methods that carry a body: authenticated before it is read, and JSON only. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
/** Deeper than any body the API defines; deep enough bodies overflow the stack of class-transformer. */
export const MAX_BODY_DEPTH = 32;

export class UnsupportedMediaTypeError extends ProblemError {
  constructor(contentType: string | undefined) {
    super(
      415,
      '/problems/unsupported-media-type',
      `request bodies must be JSON (Content-Type: application/json); got ${contentType ? JSON.stringify(contentType.slice(0, 80)) : 'no Content-Type'}`,
    );
  }
}

/**
 * Hooks that run before Nest sees the request: write requests are authenticated before their body is
 * read (an unauthenticated megabyte is never parsed), must be JSON (415), and may not nest deeper
 * than MAX_BODY_DEPTH (400).
 */
export function installEdgeGuards(fastify: FastifyInstance, authenticator: ApiKeyAuthenticator, lifecycle: Lifecycle): void {
  // While draining for shutdown, keep-alive clients are told to reconnect (to another copy).
  // Callback hooks: a read request passes each with no promise (async hooks cost every request one).
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.draining) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    // No route for this method and path: the 404/405 answer reads no body, so nothing to guard.
    if (!WRITE_METHODS.has(request.method) || request.is404) return done();
    guardWrite(authenticator, request, reply).then(() => done(), done);
  });
  fastify.addHook('preValidation', (request, reply, done) => {
    if (!exceedsDepth(request.body, MAX_BODY_DEPTH)) return done();
    refuse(request, reply, new ValidationProblemError([{ field: 'body', message: `must not nest objects or arrays deeper than ${MAX_BODY_DEPTH} levels` }]));
  });
}

async function guardWrite(authenticator: ApiKeyAuthenticator, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  try {
    (request as unknown as WithPrincipal)[PRINCIPAL] = await authenticator.authenticate(request.headers.authorization);
  } catch (error) {
    refuse(request, reply, error);
    return;
  }
  if (hasBody(request) && !JSON_TYPE.test(request.headers['content-type'] ?? '')) {
    refuse(request, reply, new UnsupportedMediaTypeError(request.headers['content-type']));
  }
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function refuse(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const { problem, headers } = problemFor(error, request.url.split('?')[0]);
  // The unread body stays on the socket: close it rather than read a body nobody will use.
  if (hasBody(request) && request.body === undefined) void reply.header('connection', 'close');
  return reply.status(problem.status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

/** Iterative, so the check itself cannot overflow the stack. */
export function exceedsDepth(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > max) return true;
    for (const child of Object.values(node as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Bounds what a client may hold: the whole request (REQUEST_TIMEOUT_MS, answered 408), its headers,
 * an idle keep-alive connection, and how many connections are open at once (MAX_CONNECTIONS; more are
 * closed on accept). Set before listen: Node reads them when the server starts listening.
 */
export function applyConnectionLimits(server: Server, config: ConfigType<typeof httpConfig>): void {
  trackRequestsInFlight(server);
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.headersTimeoutMs, config.requestTimeoutMs);
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  server.maxConnections = config.maxConnections;
  // How often Node looks for requests over their time (default 30 s, which would let a 1 s limit last 31 s).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1_000, config.requestTimeoutMs);
}

interface RequestInFlight {
  request: IncomingMessage;
  response: ServerResponse;
  startedAt: number;
}
const requestsInFlight = new WeakMap<Socket, RequestInFlight>();

/** Each connection's request under way (headers read, response not yet closed), for answering a client error through it. */
function trackRequestsInFlight(server: Server): void {
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const entry = { request, response, startedAt: performance.now() };
    requestsInFlight.set(socket, entry);
    response.once('close', () => {
      if (requestsInFlight.get(socket) === entry) requestsInFlight.delete(socket);
    });
  });
}

/** The request under way on this connection, if any: Node reports a request cut by REQUEST_TIMEOUT_MS on its socket only. */
export function requestInFlight(socket: Socket): RequestInFlight | undefined {
  return requestsInFlight.get(socket);
}
