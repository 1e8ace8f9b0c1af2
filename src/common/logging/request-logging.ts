import type { IncomingMessage, ServerResponse } from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino, { DestinationStream, LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';
import pinoPretty from 'pino-pretty';
import { PRINCIPAL, WithIdentity } from '../request-identity.js';
import { redactUrl } from './redact-url.js';
import type { LogFormat } from '../../config/app.config.js';

/** Where log lines go: stdout in the service; tests bind their own stream. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's request id is kept when it is a plain token: printable, no spaces, at most 128 characters. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Whatever object a log call is given, these never reach a line. */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  '*.password',
  '*.private_key',
  '*.client_secret',
  '*.api_token',
  '*.api_key',
  '*.access_token',
  '*.refresh_token',
  '*.secret',
  '*.key',
];

/** What a Fastify hook records on the raw request for the request line (route, tenant, key id). */
const LOG_CONTEXT = Symbol('logContext');
interface RequestLogContext {
  request_id: string;
  /** Set once the request line is written: a request cut by REQUEST_TIMEOUT_MS may also reach onResponse. */
  logged?: boolean;
  route: string | null;
  tenant: string | null;
  key_id: string | null;
  client_ip: string | null;
}
type RawRequest = IncomingMessage & { [LOG_CONTEXT]?: RequestLogContext };

/** The id of a request: the caller's `X-Request-Id` when it is a plain token, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTED_REQUEST_ID.test(given) ? given : randomUUID();
}

export type { LogFormat };

/** The id of the request being served, from its onRequest hook on (its handlers, and whatever they start). */
const servingRequest = new AsyncLocalStorage<string>();

/**
 * pino's `mixin`: every line logged while serving a request carries its id. A child logger per request
 * would run pino's redaction over its bindings on every request, logged in or not.
 */
function requestIdField(): { request_id?: string } {
  const id = servingRequest.getStore();
  return id === undefined ? {} : { request_id: id };
}

/** What the line closing a request says beyond its id; a credential sent in the query never reaches it. */
function requestLine(req: RawRequest, res: ServerResponse, duration: number) {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : redactUrl(req.url),
    route: req[LOG_CONTEXT]?.route ?? null,
    status: res.statusCode,
    duration_ms: duration,
    tenant: req[LOG_CONTEXT]?.tenant ?? null,
    key_id: req[LOG_CONTEXT]?.key_id ?? null,
    client_ip: req[LOG_CONTEXT]?.client_ip ?? null,
  };
}

const isFailure = (status: number) => status >= 500;

/** `auto`: human-readable on a terminal, JSON lines anywhere else (files, pipes, log collectors). */
export function prettyOutput(format: LogFormat, stdoutIsTty: boolean): boolean {
  return format === 'text' || (format === 'auto' && stdoutIsTty);
}

/** pino-pretty pipes into a Node stream; the service's stdout writer is a plain pino destination. */
function asWritable(destination: DestinationStream): Writable {
  if (destination instanceof Writable) return destination;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      destination.write(chunk.toString());
      done();
    },
  });
}

/**
 * The options of the service's root pino logger: ISO timestamps, `level` as a name, redaction. Pretty
 * output colours only on a TTY. (nestjs-pino takes them in pino-http's shape; no pino-http middleware runs.)
 */
export function pinoHttpOptions(
  level: LevelWithSilent,
  format: LogFormat,
  destination: DestinationStream,
  stdoutIsTty = process.stdout.isTTY === true,
): [Options<RawRequest, ServerResponse>, DestinationStream] {
  const stream = prettyOutput(format, stdoutIsTty)
    ? pinoPretty({
        destination: asWritable(destination),
        sync: true,
        colorize: stdoutIsTty,
        translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'",
        ignore: 'pid,hostname',
        singleLine: true,
      })
    : destination;
  return [
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: requestIdField,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    stream,
  ];
}

/**
 * The request logs, from Fastify's hooks (no middleware): every line logged while serving a request
 * carries its id (`requestIdField`, pino's mixin); the request id (Fastify's
 * `request.id`, from requestIdOf) is echoed on every response; and one line closes each request —
 * routes, 404s, errors, `GET /`, the docs and CORS preflights alike — with what the raw request does
 * not say: the matched route pattern, the tenant in the path, the key's id and the client address
 * (request.ip, which follows TRUST_PROXY).
 */
export function logRequests(fastify: FastifyInstance, root: () => pino.Logger): void {
  // A callback hook: everything after `done` (hooks, guards, the handler) runs inside the context.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    (request.raw as RawRequest)[LOG_CONTEXT] = { request_id: request.id, route: null, tenant: null, key_id: null, client_ip: null };
    servingRequest.run(request.id, done);
  });
  // Recorded before the body is read too: a request cut by REQUEST_TIMEOUT_MS while it arrives never reaches onSend.
  // Callback hooks, not async ones: each async hook costs every request a promise and a microtask turn.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    recordContext(request);
    done(null, payload);
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    // Answers sent before this file's onRequest hook ran (CORS preflights) echo it too.
    if (!reply.hasHeader('x-request-id')) void reply.header('X-Request-Id', request.id);
    recordContext(request);
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    writeRequestLine(requestLineLogger(root()), request.raw as RawRequest, reply.raw, Math.round(reply.elapsedTime), request.id);
    done();
  });
}

function recordContext(request: FastifyRequest): void {
  (request.raw as RawRequest)[LOG_CONTEXT] = {
    request_id: request.id,
    route: request.routeOptions?.url ?? null,
    tenant: (request.params as Record<string, string> | undefined)?.tenantId ?? null,
    key_id: (request as unknown as WithIdentity)[PRINCIPAL]?.keyId ?? null,
    // The peer, or with TRUST_PROXY the client X-Forwarded-For names.
    client_ip: request.ip ?? null,
  };
}

/** The id Fastify gave a request, once its hooks have seen it (for answers written outside Fastify). */
export function requestIdOfRaw(req: IncomingMessage): string | undefined {
  return (req as RawRequest)[LOG_CONTEXT]?.request_id;
}

/** The request line of a request answered outside Fastify (a 408 written through its own response). */
export function logAnsweredOutsideFastify(root: pino.Logger, req: IncomingMessage, res: ServerResponse, startedAt: number): void {
  const id = requestIdOfRaw(req);
  if (id !== undefined) writeRequestLine(requestLineLogger(root), req as RawRequest, res, Math.round(performance.now() - startedAt), id);
}

const requestLineLoggers = new WeakMap<pino.Logger, pino.Logger>();

/** The root logger minus redaction: a request line holds no field it could match (its URL is redacted by redactUrl). */
function requestLineLogger(root: pino.Logger): pino.Logger {
  let logger = requestLineLoggers.get(root);
  if (logger === undefined) requestLineLoggers.set(root, (logger = root.child({}, { redact: { paths: [] } })));
  return logger;
}

function writeRequestLine(root: pino.Logger, raw: RawRequest, res: ServerResponse, durationMs: number, id: string): void {
  const context = raw[LOG_CONTEXT];
  if (context?.logged) return;
  if (context) context.logged = true;
  const failed = isFailure(res.statusCode);
  root[failed ? 'error' : 'info']({ request_id: id, ...requestLine(raw, res, durationMs) }, failed ? 'request failed' : 'request completed');
}
