import { INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { appConfig } from './config/app.config.js';
import { ProblemDetailsFilter } from './common/problem/problem-details.filter.js';
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
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Everything main.ts and the e2e tests share: prefix, validation, errors, docs. */
export function configureApp(app: INestApplication): void {
  const { version } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, version), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
