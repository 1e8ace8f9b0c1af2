import { STATUS_CODES } from 'node:http';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ApiReadRoute, ApiWriteRoute } from '../common/openapi/api-route.decorators.js';
import { ValidationProblemError } from '../common/problem/problem.error.js';
import { fieldProblems } from '../common/validation/validation-pipe.js';
import {
  ConnectWiseIntegrationBody,
  DefenderIntegrationBody,
  SentinelOneIntegrationBody,
  SmileBackIntegrationBody,
  VENDOR_DEFINITIONS,
  Vendor,
  isVendor,
} from '../platform/integration-bodies.dto.js';
import { IntegrationNotConfiguredError, VendorNotFoundError } from '../platform/platform.errors.js';
import { PlatformStore } from '../platform/platform.store.js';
import { TENANT_WRITER, TenantWriter } from '../tenants/sources/tenant-source.js';
import { ApiTenantParam, TenantParam } from '../tenants/tenant-param.decorator.js';
import { TenantPipe } from '../tenants/tenant.pipes.js';
import { Tenant } from '../tenants/tenant.record.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { ApiKeyInfo, CreateApiKeyBody, CreatedApiKey, IntegrationInfo, IntegrationTestResult } from './admin-api-key.dto.js';
import { VendorAuthError, VendorError, VendorHttpError } from '../integrations/http/vendor-errors.js';
import { LiveClients } from '../live/live-clients.js';
import { CreateTenantBody, UpdateTenantBody } from './admin-tenant.dto.js';
import type { ConfigType } from '@nestjs/config';
import { liveConfig } from '../config/live.config.js';
import { integrationUrlProblems } from '../platform/integration-urls.js';

const VENDOR_PARAM = ApiParam({ name: 'vendor', enum: ['connectwise', 'smileback', 'sentinelone', 'defender'], description: 'The vendor.' });
const BODIES = [ConnectWiseIntegrationBody, SmileBackIntegrationBody, SentinelOneIntegrationBody, DefenderIntegrationBody];

function vendorOf(value: string): Vendor {
  if (!isVendor(value)) throw new VendorNotFoundError(value);
  return value;
}

/** Admin keys only: tenants, their vendor integrations, and API keys. */
@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('admin')
export class AdminController {
  constructor(
    private readonly tenants: TenantsService,
    @Inject(TENANT_WRITER) private readonly writer: TenantWriter,
    private readonly store: PlatformStore,
    private readonly clients: LiveClients,
    @Inject(liveConfig.KEY) private readonly live: ConfigType<typeof liveConfig>,
  ) {}

  @Post('tenants')
  @ApiOperation({
    summary: 'Register a tenant (live mode; 403 in mock mode, where tenants.json is the registry)',
    description: 'The body is the whole tenant: `id`, `name`, `is_active`, `llm_enabled`. 409 when the id is taken.',
  })
  @ApiWriteRoute({ status: 201, type: Tenant, description: 'The tenant, as stored.' }, 'Forbidden', 'Conflict')
  createTenant(@Body() body: CreateTenantBody): Promise<Tenant> {
    return this.writer.create({ id: body.id, name: body.name, is_active: body.is_active, llm_enabled: body.llm_enabled });
  }

  @Patch('tenants/:tenantId')
  @ApiOperation({
    summary: 'Change a tenant (live mode; 403 in mock mode)',
    description: 'Fields left out of the body keep their value; the id never changes.',
  })
  @ApiTenantParam()
  @ApiWriteRoute({ type: Tenant, description: 'The tenant after the change.' }, 'Forbidden', 'NotFound')
  async updateTenant(@TenantParam(TenantPipe) tenant: Tenant, @Body() body: UpdateTenantBody): Promise<Tenant> {
    return this.writer.update(tenant.id, { name: body.name, is_active: body.is_active, llm_enabled: body.llm_enabled });
  }

  @Get('tenants/:tenantId/integrations')
  @ApiOperation({
    summary: "The tenant's integrations: one entry per vendor, secrets by name only",
    description: 'Non-secret settings in full; secrets are named in `secrets`, never returned, not even in part.',
  })
  @ApiTenantParam()
  @ApiReadRoute({ type: [IntegrationInfo], description: 'One entry per vendor, configured or not; secrets are never returned.' }, { problems: ['Forbidden', 'NotFound'] })
  listIntegrations(@TenantParam(TenantPipe) tenant: Tenant): Promise<IntegrationInfo[]> {
    return this.store.listIntegrations(tenant.id);
  }

  @Put('tenants/:tenantId/integrations/:vendor')
  @ApiOperation({
    summary: "Replace one of the tenant's integrations",
    description: 'The body depends on the vendor. Secret fields are encrypted at rest (AES-256-GCM) and never returned.',
  })
  @ApiTenantParam()
  @VENDOR_PARAM
  @ApiExtraModels(...BODIES)
  @ApiBody({ schema: { oneOf: BODIES.map((b) => ({ $ref: getSchemaPath(b) })) } })
  @ApiWriteRoute({ type: IntegrationInfo, description: 'The integration as stored, secrets named but not returned.' }, 'Forbidden', 'NotFound')
  async putIntegration(
    @TenantParam(TenantPipe) tenant: Tenant,
    @Param('vendor') vendorParam: string,
    @Body() body: unknown,
  ): Promise<IntegrationInfo> {
    const vendor = vendorOf(vendorParam);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationProblemError([{ field: 'body', message: 'must be a JSON object' }]);
    }
    const instance = plainToInstance(VENDOR_DEFINITIONS[vendor].body, body);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw new ValidationProblemError(fieldProblems(errors));
    const unsafe = integrationUrlProblems({ ...instance }, this.live.http.allowPrivateNetworks);
    if (unsafe.length > 0) throw new ValidationProblemError(unsafe);
    return this.store.putIntegration(tenant.id, vendor, { ...instance });
  }

  @Delete('tenants/:tenantId/integrations/:vendor')
  @HttpCode(204)
  @ApiOperation({
    summary: "Remove one of the tenant's integrations",
    description: 'Its stored secrets go with it; the domains it served answer empty lists from then on.',
  })
  @ApiTenantParam()
  @VENDOR_PARAM
  @ApiWriteRoute({ status: 204, description: 'Removed.' }, 'Forbidden', 'NotFound')
  async deleteIntegration(@TenantParam(TenantPipe) tenant: Tenant, @Param('vendor') vendorParam: string): Promise<void> {
    const vendor = vendorOf(vendorParam);
    if (!(await this.store.deleteIntegration(tenant.id, vendor))) throw new IntegrationNotConfiguredError(tenant.id, vendor);
  }

  @Post('tenants/:tenantId/integrations/:vendor/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Make one cheap authenticated call with the stored integration',
    description: 'Answers 200 either way: `{ ok: true, latency_ms }` or `{ ok: false, error }` with the vendor\'s answer in words.',
  })
  @ApiTenantParam()
  @VENDOR_PARAM
  @ApiWriteRoute({ type: IntegrationTestResult, description: 'Whether the vendor accepted the stored credentials.' }, 'Forbidden', 'NotFound')
  async testIntegration(@TenantParam(TenantPipe) tenant: Tenant, @Param('vendor') vendorParam: string): Promise<IntegrationTestResult> {
    const vendor = vendorOf(vendorParam);
    const client = (await this.clients.for(tenant.id, vendor))?.client;
    if (!client) throw new IntegrationNotConfiguredError(tenant.id, vendor);
    const started = performance.now();
    try {
      await client.ping();
      return { ok: true, latency_ms: Math.round(performance.now() - started) };
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      return { ok: false, error: describeVendorFailure(VENDOR_DEFINITIONS[vendor].label, error) };
    }
  }

  @Post('api-keys')
  @ApiOperation({
    summary: 'Mint an API key (shown once)',
    description: 'Scope `"admin"` or `{ "tenants": [...] }`. Only a hash is stored: the key cannot be shown again.',
  })
  @ApiWriteRoute({ status: 201, type: CreatedApiKey, description: 'The new key: `key` is shown this once.' }, 'Forbidden')
  async createApiKey(@Body() body: CreateApiKeyBody): Promise<CreatedApiKey> {
    if (body.scope !== 'admin') {
      const known = await this.tenants.ids();
      const unknown = body.scope.tenants.map((t, i) => ({ t, i })).filter(({ t }) => !known.has(t));
      if (unknown.length > 0) {
        throw new ValidationProblemError(unknown.map(({ t, i }) => ({ field: `scope.tenants.${i}`, message: `tenant '${t}' does not exist` })));
      }
    }
    return this.store.createApiKey(body.name, body.scope);
  }

  @Get('api-keys')
  @ApiOperation({
    summary: 'List API keys (never the key material)',
    description: 'Id, name, scope, when it was created, last used and revoked, for every key.',
  })
  @ApiReadRoute({ type: [ApiKeyInfo], description: 'Every key, revoked ones included; never the key itself.' }, { problems: ['Forbidden'] })
  listApiKeys(): Promise<ApiKeyInfo[]> {
    return this.store.listApiKeys();
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API key, effective at once',
    description: 'The next request with the key is answered 401.',
  })
  @ApiParam({ name: 'id', description: 'The key id (not the key).', example: '3f2a9c0d1e4b5a67' })
  @ApiWriteRoute({ status: 204, description: 'Revoked.' }, 'Forbidden', 'NotFound')
  revokeApiKey(@Param('id') id: string): Promise<void> {
    return this.store.revokeApiKey(id);
  }
}

/**
 * `401 from ConnectWise PSA: invalid credentials or insufficient permissions`: the vendor's status and a
 * short reason of ours. Never the vendor's body: the URL may point anywhere, and its answer is not ours to relay.
 */
function describeVendorFailure(label: string, error: VendorError): string {
  if (error instanceof VendorAuthError) return `${error.status} from ${label}: invalid credentials or insufficient permissions`;
  if (error instanceof VendorHttpError) return `${error.status} from ${label}: ${STATUS_CODES[error.status ?? 0] ?? 'unexpected status'}`;
  return `${label}: ${error.message}`;
}
