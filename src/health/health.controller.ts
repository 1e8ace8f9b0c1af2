import { Controller, Get, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { PRINCIPAL, WithPrincipal } from '../auth/principal.js';
import { appConfig } from '../config/app.config.js';
import { ApiProbeRoute } from '../common/openapi/api-route.decorators.js';
import { SOURCE_MODES, SourceModes } from '../config/source-modes.js';
import { HealthCheckResult } from '../common/health/health-check.js';
import { HealthReport, LivenessReport, ReadinessReport } from './health.dto.js';
import { HealthService } from './health.service.js';
import { Lifecycle } from './lifecycle.js';

/** Without an admin key, each check says only its status: no tenant ids, no per-tenant details. */
const statusOnly = (checks: Record<string, HealthCheckResult>) =>
  Object.fromEntries(Object.entries(checks).map(([name, r]) => [name, { status: r.status }]));

// Probes come from load balancers and orchestrators, often from one address: never rate limited,
// or a busy anonymous client would take every copy out of rotation.
@SkipThrottle()
@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly lifecycle: Lifecycle,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(SOURCE_MODES) private readonly modes: SourceModes,
  ) {}

  private get sources(): Pick<HealthReport, 'mode' | 'sources'> {
    return { mode: this.modes.mode, sources: this.modes.domains };
  }

  @Get()
  @ApiOperation({
    summary: 'Service health (no key needed; an admin key sees every detail)',
    description: 'Without an admin key each check reports only its status. `degraded` (200): data is still served, with less.',
  })
  @ApiProbeRoute(
    { type: HealthReport, description: 'Every critical check passes: `ok`, or `degraded` while data is still served with less.' },
    { type: HealthReport, description: 'A critical check (store, mock data) failed; see `checks`.' },
  )
  async report(@Req() request: WithPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const admin = request[PRINCIPAL]?.isAdmin === true;
    const run = await this.health.run((c) => admin || !c.adminOnly);
    void reply.status(run.down ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return {
      status: run.status,
      ...this.sources,
      version: this.app.version,
      checks: admin ? run.checks : statusOnly(run.checks),
    };
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process answers (checks no dependency)',
    description: 'For restarts only: 200 as long as the process serves HTTP, whatever its dependencies.',
  })
  @ApiProbeRoute({ type: LivenessReport, description: 'The process answers.' })
  live(): LivenessReport {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: whether to send this copy traffic',
    description: '503 while shutting down or when the store or mock data cannot be read; 200 `degraded` when only Redis (the shared rate-limit budgets) is down.',
  })
  @ApiProbeRoute(
    { type: ReadinessReport, description: 'Ready for traffic (`ok` or `degraded`).' },
    { type: ReadinessReport, description: 'Shutting down, or a critical check failed.' },
  )
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessReport> {
    if (this.lifecycle.draining) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'draining', checks: {} };
    }
    const run = await this.health.run((c) => !c.adminOnly);
    void reply.status(run.down ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return { status: run.status, checks: statusOnly(run.checks) };
  }
}
