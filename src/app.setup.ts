import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { INestApplication, RequestMethod } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyCorsOptions } from '@fastify/cors';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PinoLogger } from 'nestjs-pino';
import type { Server } from 'node:http';
import { ApiKeyAuthenticator } from './auth/api-key.authenticator.js';
import { appConfig, httpConfig, trustProxySetting } from './config/app.config.js';
import { applyConnectionLimits, installEdgeGuards, requestInFlight } from './edge-guards.js';
import { Lifecycle } from './health/lifecycle.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsFilter } from './common/problem/problem-details.filter.js';
import { StrictValidationPipe } from './common/validation/validation-pipe.js';
import { DataResponseInterceptor } from './data-response/data-response.interceptor.js';
import { logAnsweredOutsideFastify, logRequests, requestIdOf, requestIdOfRaw } from './common/logging/request-logging.js';
import { registerHttpConventions } from './common/http/http-conventions.js';
import { describeHttpContract } from './common/openapi/http-contract.js';
import { serializeReply } from './common/record-index/record-page.js';
import { AuthFailureThrottle, throttleFailedAuthentication } from './rate-limit/auth-failure.throttle.js';
import { recordRequestDurations } from './metrics/http-metrics.js';
import { Metrics } from './metrics/metrics.js';

export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('MSP data backend')
    .setDescription(
      "Per tenant: an MSP's PSA tickets and time entries (ConnectWise), CSAT surveys (SmileBack) and endpoint " +
        'security alerts (SentinelOne, Microsoft Defender), from local mock files or the live vendor APIs. ' +
        'Errors are `application/problem+json` (RFC 9457). In mock mode the data routes also follow `Prefer` ' +
        '(`code=502|503|504`, `delay=MS`, `stale`) to rehearse what live mode answers when a vendor fails. ' +
        'Beyond what each route lists: a known path asked with a method it does not list answers 405 ' +
        '`/problems/method-not-allowed` with `Allow`; an unknown path 404 `/problems/not-found`; request headers over ' +
        'the limit 431 `/problems/request-header-too-large`. Every answer but 408 and 431 (given before a request exists) carries `X-Request-Id`.',
    )
    .setVersion(version)
    .addServer('/', 'The server this document is served from')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'opaque API key',
      description: 'An API key (`mspk_…`, or ADMIN_API_KEY): the dev admin key is in .env.local',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Routes open without a key (@Public) say so, rather than leaving security undefined.
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
  return describeHttpContract(document);
}

/** Request headers a browser may send cross-origin (beyond the CORS-safelisted ones). */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Prefer', 'If-None-Match', 'X-Request-Id'];
/** Response headers a browser script may read: live-mode warnings, scenarios, paging, caching, rate limits. */
export const CORS_EXPOSED_HEADERS = [
  'Warning',
  'X-Stale-Vendors',
  'X-Data-As-Of',
  'Retry-After',
  'Preference-Applied',
  'ETag',
  'Link',
  'X-Total-Count',
  'X-Request-Id',
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];

/**
 * CORS for the origins of CORS_ORIGINS (none: nothing registered, a browser on another origin is
 * refused by its own rules). Preflights are answered for every route, before authentication.
 * A request without `Origin` (not a browser's cross-origin request) gets no CORS headers and skips their work.
 */
function enableCors(app: INestApplication, origins: '*' | string[]): void {
  if (origins !== '*' && origins.length === 0) return;
  const options: FastifyCorsOptions = {
    origin: origins === '*' ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    // Keys travel in Authorization, never in cookies.
    credentials: false,
    maxAge: 600,
    // A bare OPTIONS (no Origin) is answered 204 too, rather than with a text/plain 400.
    strictPreflight: false,
  };
  const withoutOrigin: FastifyCorsOptions = { origin: false };
  (app as NestFastifyApplication).enableCors({
    delegator: (request, callback) => callback(null, request.headers.origin === undefined && request.method !== 'OPTIONS' ? withoutOrigin : options),
  });
}

/** openapi.json's exact text: what `npm run openapi` writes and the staleness test compares. */
export function openApiJson(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Everything main.ts and the e2e tests share: prefix, CORS, validation, errors, docs, the HTTP edge's limits. */
export function configureApp(app: INestApplication): void {
  const { version, corsOrigins, docsEnabled } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  enableCors(app, corsOrigins);
  // Outside /api: `GET /` (the index of links) and `GET /metrics` (where Prometheus scrapers look).
  app.setGlobalPrefix('api', {
    exclude: [
      { path: '/', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(app.get(StrictValidationPipe));
  // The only interceptor: the perimeter's steps (scenarios, shape, tenant, query, ETag, headers) and their order are in that one class.
  app.useGlobalInterceptors(app.get(DataResponseInterceptor));
  app.useGlobalFilters(new ProblemDetailsFilter());
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  // A record index's page is assembled from its records' kept JSON; anything else is stringified.
  fastify.setReplySerializer(serializeReply);
  // onRequest hooks run in this order: the request id first (every answer echoes it), then 404/405 for
  // paths and methods no route answers, then addresses over their budget of failed authentication (429),
  // then the edge's auth-before-body and JSON-only checks.
  logRequests(fastify, () => PinoLogger.root);
  recordRequestDurations(fastify, app.get(Metrics));
  registerHttpConventions(fastify);
  throttleFailedAuthentication(fastify, app.get(AuthFailureThrottle));
  installEdgeGuards(fastify, app.get(ApiKeyAuthenticator), app.get(Lifecycle));
  applyConnectionLimits(app.getHttpServer() as Server, app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY));
  if (docsEnabled) setupDocs(app, version);
}

function setupDocs(app: INestApplication, version: string): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  // Swagger UI's page links its assets relative to `/docs`; `/docs/` would break them.
  // A callback hook: an async one would cost every request, docs or not, a promise.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/docs/' || request.url.startsWith('/docs/?')) void reply.redirect(request.url.replace('/docs/', '/docs'), 301);
    else done();
  });
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, version), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    // The key entered under "Authorize" survives a reload of the page.
    swaggerOptions: { persistAuthorization: true },
  });
}

const CLIENT_ERRORS: Record<string, { status: number; type: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, type: '/problems/request-header-too-large', detail: 'the request line or headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    type: '/problems/request-timeout',
    detail: 'the request was not received in time (REQUEST_TIMEOUT_MS bounds the whole request, HEADERS_TIMEOUT_MS its headers)',
  },
  default: { status: 400, type: '/problems/bad-request', detail: 'the request could not be parsed as HTTP' },
};

/**
 * Fastify answers a few malformed requests (bad percent-encoding) before Nest sees them; they get
 * problem+json too. Path parameters may be as long as a URL can be, so our own checks name what is wrong.
 */
export function createFastifyAdapter(trustProxy: boolean | number | string[] = trustProxySetting()): FastifyAdapter {
  return new FastifyAdapter({
    // TRUST_PROXY: the client address (request.ip: rate limits, logs) comes from X-Forwarded-For, as far as
    // trusted. A number of hops is what Fastify itself turns a number into (its types leave numbers out).
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    routerOptions: { maxParamLength: 16_384, ignoreTrailingSlash: true },
    genReqId: requestIdOf,
    // No Express-style middleware is mounted: without middie, no request pays for it.
    skipMiddie: true,
    clientErrorHandler: (error: FastifyError & { code?: string }, socket: Socket) => {
      // Requests Node's parser refuses (unknown method, headers too large) or that took too long: no route ever sees them.
      const { status, type, detail } = CLIENT_ERRORS[error.code ?? ''] ?? CLIENT_ERRORS.default;
      const inFlight = requestInFlight(socket);
      const body = JSON.stringify({ type, title: STATUS_CODES[status], status, detail, instance: inFlight?.request.url?.split('?')[0] ?? '' });
      if (inFlight && !inFlight.response.headersSent && socket.writable) {
        // A request cut while its body arrives: answered through its own response, so its log line says 408 too.
        const requestId = requestIdOfRaw(inFlight.request);
        inFlight.response
          .writeHead(status, {
            'content-type': PROBLEM_CONTENT_TYPE,
            'content-length': Buffer.byteLength(body),
            connection: 'close',
            ...(typeof requestId === 'string' ? { 'x-request-id': requestId } : {}),
          })
          .end(body);
        logAnsweredOutsideFastify(PinoLogger.root, inFlight.request, inFlight.response, inFlight.startedAt);
        return;
      }
      const responding = inFlight?.response.headersSent === true;
      if (socket.writable && !responding) {
        socket.end(
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else socket.destroy(error);
    },
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      void reply
        .status(status)
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .send({
          type: '/problems/bad-request',
          title: STATUS_CODES[status] ?? 'Bad Request',
          status,
          detail: 'the request URL is malformed (for example, invalid percent-encoding)',
          instance: request.url.split('?')[0],
        });
    },
  });
}
