import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { appConfig } from './config/app.config.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsFilter } from './common/problem/problem-details.filter.js';
import { RejectUndeclaredQueryInterceptor } from './common/validation/query-params.js';
import { createValidationPipe } from './common/validation/validation-pipe.js';
import { RecordSnapshot } from './common/query/record-snapshot.js';

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

/** Everything main.ts and the e2e tests share: prefix, validation, errors, docs. */
export function configureApp(app: INestApplication): void {
  const { version } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new RejectUndeclaredQueryInterceptor());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  // A page of records is assembled from JSON serialised once per snapshot; anything else is stringified.
  fastify.setReplySerializer((payload) => RecordSnapshot.preserialisedBody(payload) ?? JSON.stringify(payload));
  // Swagger UI's page links its assets relative to `/docs`; `/docs/` would break them.
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.url === '/docs/' || request.url.startsWith('/docs/?')) await reply.redirect(request.url.replace('/docs/', '/docs'), 301);
  });
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, version), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}

/**
 * Fastify answers a few malformed requests (bad percent-encoding) before Nest sees them; they get
 * problem+json too. Path parameters may be as long as a URL can be, so our own checks name what is wrong.
 */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    routerOptions: { maxParamLength: 16_384, ignoreTrailingSlash: true },
    clientErrorHandler: (error: FastifyError & { code?: string }, socket: Socket) => {
      // Requests Node's parser refuses (unknown method, headers too large): no route ever sees them.
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({
        type: status === 431 ? '/problems/request-header-too-large' : '/problems/bad-request',
        title: STATUS_CODES[status],
        status,
        detail: status === 431 ? 'the request line or headers are too large' : 'the request could not be parsed as HTTP',
        instance: '',
      });
      if (socket.writable) {
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
