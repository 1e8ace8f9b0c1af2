import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ApiReadRoute, ApiWriteRoute } from '../common/openapi/api-route.decorators.js';
import { VENDOR_DEFINITIONS, VENDORS } from '../platform/integration-bodies.dto.js';
import { ApiTenantParam, TenantParam } from '../tenants/tenant-param.decorator.js';
import { TenantPipe } from '../tenants/tenant.pipes.js';
import { Tenant } from '../tenants/tenant.record.js';
import { ApiKeyInfo, CreateApiKeyBody, CreatedApiKey, IntegrationInfo, IntegrationTestResult } from './admin-api-key.dto.js';
import { CreateTenantBody, UpdateTenantBody } from './admin-tenant.dto.js';
import { AdminService } from './admin.service.js';

const VENDOR_PARAM = ApiParam({ name: 'vendor', enum: [...VENDORS], description: 'The vendor.' });
const BODIES = VENDORS.map((vendor) => VENDOR_DEFINITIONS[vendor].body);

/** Admin keys only: tenants, their vendor integrations, and API keys. */
@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('tenants')
  @ApiOperation({
    summary: 'Register a tenant (live mode; 403 in mock mode, where tenants.json is the registry)',
    description: 'The body is the whole tenant: `id`, `name`, `is_active`, `llm_enabled`. 409 when the id is taken.',
  })
  @ApiWriteRoute({ status: 201, type: Tenant, description: 'The tenant, as stored.' }, 'Forbidden', 'Conflict')
  createTenant(@Body() body: CreateTenantBody): Promise<Tenant> {
    return this.admin.createTenant(body);
  }

  @Patch('tenants/:tenantId')
  @ApiOperation({
    summary: 'Change a tenant (live mode; 403 in mock mode)',
    description: 'Fields left out of the body keep their value; the id never changes.',
  })
  @ApiTenantParam()
  @ApiWriteRoute({ type: Tenant, description: 'The tenant after the change.' }, 'Forbidden', 'NotFound')
  updateTenant(@TenantParam(TenantPipe) tenant: Tenant, @Body() body: UpdateTenantBody): Promise<Tenant> {
    return this.admin.updateTenant(tenant, body);
  }

  @Get('tenants/:tenantId/integrations')
  @ApiOperation({
    summary: "The tenant's integrations: one entry per vendor, secrets by name only",
    description: 'Non-secret settings in full; secrets are named in `secrets`, never returned, not even in part.',
  })
  @ApiTenantParam()
  @ApiReadRoute({ type: [IntegrationInfo], description: 'One entry per vendor, configured or not; secrets are never returned.' }, { problems: ['Forbidden', 'NotFound'] })
  listIntegrations(@TenantParam(TenantPipe) tenant: Tenant): Promise<IntegrationInfo[]> {
    return this.admin.listIntegrations(tenant);
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
  putIntegration(
    @TenantParam(TenantPipe) tenant: Tenant,
    @Param('vendor') vendorParam: string,
    @Body() body: unknown,
  ): Promise<IntegrationInfo> {
    return this.admin.putIntegration(tenant, vendorParam, body);
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
  deleteIntegration(@TenantParam(TenantPipe) tenant: Tenant, @Param('vendor') vendorParam: string): Promise<void> {
    return this.admin.deleteIntegration(tenant, vendorParam);
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
  testIntegration(@TenantParam(TenantPipe) tenant: Tenant, @Param('vendor') vendorParam: string): Promise<IntegrationTestResult> {
    return this.admin.testIntegration(tenant, vendorParam);
  }

  @Post('api-keys')
  @ApiOperation({
    summary: 'Mint an API key (shown once)',
    description: 'Scope `"admin"` or `{ "tenants": [...] }`. Only a hash is stored: the key cannot be shown again.',
  })
  @ApiWriteRoute({ status: 201, type: CreatedApiKey, description: 'The new key: `key` is shown this once.' }, 'Forbidden')
  createApiKey(@Body() body: CreateApiKeyBody): Promise<CreatedApiKey> {
    return this.admin.createApiKey(body);
  }

  @Get('api-keys')
  @ApiOperation({
    summary: 'List API keys (never the key material)',
    description: 'Id, name, scope, when it was created, last used and revoked, for every key.',
  })
  @ApiReadRoute({ type: [ApiKeyInfo], description: 'Every key, revoked ones included; never the key itself.' }, { problems: ['Forbidden'] })
  listApiKeys(): Promise<ApiKeyInfo[]> {
    return this.admin.listApiKeys();
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
    return this.admin.revokeApiKey(id);
  }
}

