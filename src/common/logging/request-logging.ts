import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino, { DestinationStream, LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';
import pinoPretty from 'pino-pretty';
import { PRINCIPAL, WithPrincipal } from '../../auth/principal.js';
import { redactUrl } from './redact-url.js';

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
  route: string | null;
  tenant: string | null;
  key_id: string | null;
  client_ip: string | null;
}
type RawRequest = IncomingMessage & { id?: unknown; [LOG_CONTEXT]?: RequestLogContext };

/** The id of a request: the caller's `X-Request-Id` when it is a plain token, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTED_REQUEST_ID.test(given) ? given : randomUUID();
}

export type LogFormat = 'json' | 'text' | 'auto';

/** What the line closing a request says beyond its id; a credential sent in the query never reaches it. */
function requestLine(req: RawRequest, res: ServerResponse, duration: unknown) {
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

const isFailure = (status: number, error?: unknown) => error !== undefined || status >= 500;

/** `auto`: human-readable on a terminal, JSON lines anywhere else (files, pipes, log collectors). */
export function prettyOutput(format: LogFormat, stdoutIsTty: boolean): boolean {
  return format === 'text' || (format === 'auto' && stdoutIsTty);
}

/**
 * The pino-http options of the service: ISO timestamps, redaction, a request id taken from
 * `X-Request-Id` (or generated) and echoed back, and one line per request carrying method, URL,
 * route, status, duration, tenant, key id (never the key) and client address. Pretty output colours only on a TTY.
 */
export function pinoHttpOptions(
  level: LevelWithSilent,
  format: LogFormat,
  destination: DestinationStream,
  stdoutIsTty = process.stdout.isTTY === true,
): [Options<RawRequest, ServerResponse>, DestinationStream] {
  const stream = prettyOutput(format, stdoutIsTty)
    ? pinoPretty({
        destination,
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
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Fastify assigns the id first (createFastifyAdapter's genReqId: requestIdOf); this is the fallback.
      genReqId: (req) => (typeof req.id === 'string' ? req.id : requestIdOf(req)),
      customAttributeKeys: { reqId: 'request_id', responseTime: 'duration_ms' },
      // In-request lines carry only the request id; the request line carries the fields below.
      quietReqLogger: true,
      quietResLogger: true,
      customLogLevel: (_req, res, error) => (isFailure(res.statusCode, error ?? undefined) ? 'error' : 'info'),
      customSuccessMessage: () => 'request completed',
      customErrorMessage: () => 'request failed',
      customSuccessObject: (req, res, value) => requestLine(req, res, (value as Record<string, unknown>).duration_ms),
      customErrorObject: (req, res, _error, value) => requestLine(req, res, (value as Record<string, unknown>).duration_ms),
    },
    stream,
  ];
}

/**
 * Echoes the request id (Fastify's `request.id`, from requestIdOf) on every response, and records,
 * just before each response is sent (routes, 404s and errors alike), what the request line
 * reports beyond the raw request: the matched route pattern, the tenant in the path, the key's id and the
 * client address (request.ip, which follows TRUST_PROXY).
 */
export function recordRequestLogContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
  });
  // Recorded before the body is read too: a request cut by REQUEST_TIMEOUT_MS while it arrives never reaches onSend.
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    recordContext(request);
    return payload;
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    // Answers sent before this file's onRequest hook ran (CORS preflights) echo it too.
    if (!reply.hasHeader('x-request-id')) void reply.header('X-Request-Id', request.id);
    recordContext(request);
    return payload;
  });
}

function recordContext(request: FastifyRequest): void {
  (request.raw as RawRequest)[LOG_CONTEXT] = {
    route: request.routeOptions?.url ?? null,
    tenant: (request.params as Record<string, string> | undefined)?.tenantId ?? null,
    key_id: (request as unknown as WithPrincipal)[PRINCIPAL]?.keyId ?? null,
    // The peer, or with TRUST_PROXY the client X-Forwarded-For names.
    client_ip: request.ip ?? null,
  };
}

/**
 * The request line for every request nestjs-pino's middleware never sees: Nest middleware runs only
 * under /api, and after the adapter's own hooks, so `GET /`, the docs, unknown paths outside /api and
 * CORS preflights (answered before any middleware) would go unlogged. The same line, from the same
 * logger, written when the response is sent; a request pino-http took (`req.allLogs` set) is left to it,
 * so no request is logged twice.
 */
export function logRequestsOutsideNest(fastify: FastifyInstance, root: () => pino.Logger): void {
  fastify.addHook('onResponse', async (request, reply) => {
    // pino-http's own mark (middie sets `req.log` on every request it sees, so that one is no sign).
    const raw = request.raw as RawRequest & { allLogs?: unknown };
    if (raw.allLogs !== undefined) return;
    const failed = isFailure(reply.statusCode);
    const line = requestLine(raw, reply.raw, Math.round(reply.elapsedTime));
    root()
      .child({ request_id: request.id })
      [failed ? 'error' : 'info'](line, failed ? 'request failed' : 'request completed');
  });
}
