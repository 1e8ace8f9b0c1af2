import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { appConfig } from '../config/app.config.js';
import { mockConfig } from '../config/mock.config.js';
import { sourceModes } from '../source-binding/source-modes.js';
import { HEALTH_CHECKS, HealthCheck } from './health-check.js';
import { HealthReport } from './health.dto.js';

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(mockConfig.KEY) private readonly mock: ConfigType<typeof mockConfig>,
  ) {}

  private get sources(): Pick<HealthReport, 'mode' | 'sources'> {
    const { mode, domains } = sourceModes(this.mock);
    return { mode, sources: domains };
  }

  @Get()
  @ApiOperation({ summary: 'Service health (no key needed)' })
  @ApiOkResponse({ type: HealthReport, description: 'Every check passes (`ok`), or the service answers from an older state (`degraded`).' })
  @ApiServiceUnavailableResponse({ type: HealthReport, description: 'A check failed; see `checks`.' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const results = await Promise.all(this.checks.map(async (c) => [c.name, await c.check()] as const));
    const failed = results.some(([, r]) => r.status === 'error');
    const degraded = results.some(([, r]) => r.status === 'degraded');
    void reply.status(failed ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return {
      status: failed ? 'error' : degraded ? 'degraded' : 'ok',
      ...this.sources,
      version: this.app.version,
      checks: Object.fromEntries(results),
    };
  }
}
