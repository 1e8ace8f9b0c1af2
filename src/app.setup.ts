import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import { ApiKeyAuthenticator } from './auth/api-key.authenticator.js';
import { appConfig, httpConfig } from './config/app.config.js';
import { applyConnectionLimits, installEdgeGuards } from './http-edge.js';
import { Lifecycle } from './health/lifecycle.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsFilter } from './common/problem/problem-details.filter.js';
import { RejectUndeclaredQueryInterceptor } from './common/validation/query-params.js';
import { createValidationPipe } from './common/validation/validation-pipe.js';

export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('MSP data backend')
    .setDescription(
      "Per tenant: an MSP's PSA tickets and time entries (ConnectWise), CSAT surveys (SmileBack) and endpoint " +
        'security alerts (SentinelOne, Microsoft Defender), from local mock files or the live vendor APIs. ' +
        'Errors are `application/problem+json` (RFC 9457).',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: the dev admin key is in .env.local (ADMIN_API_KEY)' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Everything main.ts and the e2e tests share: prefix, validation, errors, docs, the HTTP edge's limits. */
export function configureApp(app: INestApplication): void {
  const { version } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new RejectUndeclaredQueryInterceptor());
  app.useGlobalFilters(new ProblemDetailsFilter());
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  installEdgeGuards(fastify, app.get(ApiKeyAuthenticator), app.get(Lifecycle));
  applyConnectionLimits(app.getHttpServer() as Server, app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY));
  // Swagger UI's page links its assets relative to `/docs`; `/docs/` would break them.
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.url === '/docs/' || request.url.startsWith('/docs/?')) await reply.redirect(request.url.replace('/docs/', '/docs'), 301);
  });
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, version), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
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
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    routerOptions: { maxParamLength: 16_384, ignoreTrailingSlash: true },
    clientErrorHandler: (error: FastifyError & { code?: string }, socket: Socket) => {
      // Requests Node's parser refuses (unknown method, headers too large) or that took too long: no route ever sees them.
      const { status, type, detail } = CLIENT_ERRORS[error.code ?? ''] ?? CLIENT_ERRORS.default;
      const body = JSON.stringify({ type, title: STATUS_CODES[status], status, detail, instance: '' });
      const responding = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
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
