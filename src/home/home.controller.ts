import { Controller, Get, Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiPublicRoute } from '../common/openapi/api-route.decorators.js';
import { Public } from '../auth/auth.decorators.js';
import { appConfig } from '../config/app.config.js';

class HomeLinks {
  @ApiPropertyOptional({ example: '/docs', description: 'Swagger UI (absent when DOCS_ENABLED=false)' })
  docs?: string;

  @ApiPropertyOptional({ example: '/docs-json', description: 'The OpenAPI 3 document (absent when DOCS_ENABLED=false)' })
  openapi?: string;

  @ApiProperty({ example: '/api/health' })
  health!: string;

  @ApiProperty({ example: '/api/tenants', description: 'Needs an API key' })
  tenants!: string;
}

export class Home {
  @ApiProperty({ example: 'msp-data-backend' })
  name!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ type: HomeLinks })
  links!: HomeLinks;
}

/** `GET /`: where to go from here, for a person or a client finding the service. */
@ApiTags('home')
@Controller()
export class HomeController {
  constructor(@Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'An index of links: docs, health, tenants (no key needed)',
    description: 'Where to go from here, for a person or a client finding the service.',
  })
  @ApiPublicRoute({ type: Home, description: 'Links to the docs, the OpenAPI document, health and the tenants.' })
  index(): Home {
    const docs = this.config.docsEnabled ? { docs: '/docs', openapi: '/docs-json' } : {};
    return { name: 'msp-data-backend', version: this.config.version, links: { ...docs, health: '/api/health', tenants: '/api/tenants' } };
  }
}
