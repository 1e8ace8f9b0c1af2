import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ApiTextRoute } from '../common/openapi/api-route.decorators.js';
import { Metrics } from './metrics.js';

const EXAMPLE = [
  '# HELP vendor_rate_limited_total Vendor answers 429 (rate limited).',
  '# TYPE vendor_rate_limited_total counter',
  'vendor_rate_limited_total{vendor="connectwise"} 3',
  '',
].join('\n');

/** `GET /metrics` (outside /api, where scrapers look): Prometheus text, admin keys only (tenant ids are labels). */
@ApiTags('metrics')
@ApiBearerAuth()
@AdminOnly()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics of this copy of the service (admin keys only)',
    description:
      'Prometheus text format 0.0.4: HTTP request durations by method, route pattern and status; vendor requests by ' +
      'vendor and outcome, and 429s by vendor; sync lag, run durations and replica record counts per tenant and stream; ' +
      "the Node process's default metrics. Each copy answers for itself: scrape every copy.",
  })
  @ApiTextRoute(
    { description: 'The metrics, in Prometheus text format.', content: { [Registry.PROMETHEUS_CONTENT_TYPE]: { schema: { type: 'string' }, example: EXAMPLE } } },
    { problems: ['Forbidden'] },
  )
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.metrics.contentType);
    return this.metrics.exposition();
  }
}
